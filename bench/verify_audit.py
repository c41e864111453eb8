"""Benchmark: ``koers verify-audit`` on 100,000 people with a year of audit events.

    .venv/bin/python bench/verify_audit.py [--people 100000] [--reuse] [--budget 300]
        [--server postgres://postgres@127.0.0.1:5432] [--database koers_bench_g]

Builds a fresh database with ``koers generate`` (as bench/generate.py does), then
writes a year of audit events for everybody as the services would have written them
(the hashes come from ``koers.audit.services``), in bulk with COPY: per person three
goals (proposed, confirmed by both sides, a third of them adjusted, a status at the end
of the year), two conversations (scheduled, held, report written and confirmed by both),
a change of employment facts for one in five and an evaluator override for one in
twenty; an access request with three reads for one in five hundred; the cycle's opening
in batches; and an erasure run (``audit.redact``) that empties the goals of one person
in a hundred, so the verifier meets erased parts too. The records the events name are
not created: the verifier reads only the audit tables. Hashing runs on every core.

Then it runs ``koers verify-audit`` as the command it is, in one process and with its
default workers (one per core, at most 4), and prints for each its own time, the wall
clock, its peak memory (maximum resident set size) and the events per second, with the
time of ``koers generate`` in the same run for a ratio. ``--reuse`` skips the
build when the database holds the events already. Exits with status 1 when the trail
does not verify or the check takes longer than ``--budget`` seconds. See
bench/README.md for measured results.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

from generate import KOERS, recreate_database  # bench/ is on sys.path as the script's folder

YEAR = 2026
START = dt.datetime(YEAR, 1, 5, 8, tzinfo=dt.UTC)
PEOPLE_PER_TASK = 2000
EVENT_COLUMNS = (
    "chain", "seq", "actor_id", "actor_kind", "actor_label", "actor_salt", "actor_digest",
    "actor_redacted_in", "organisation_id", "action", "target_type", "target_id", "changes",
    "changes_salt", "changes_digest", "changes_redacted_in", "created_at", "prev_hash", "key_id",
    "hash",
)
# The command prints its own peak memory, whatever ran before it in this process tree.
LAUNCH = (
    "import resource, sys\n"
    "from koers.config.cli import main\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    print('maxrss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
    "file=sys.stderr)\n"
)

Row = tuple[Any, ...]


class Chain:
    """Events of one record, hashed and linked as ``audit.record`` does."""

    def __init__(self, name: str, organisation_id: int, rows: list[Row]) -> None:
        from koers.audit.models import GENESIS

        self.name, self.organisation_id, self.rows = name, organisation_id, rows
        self.seq, self.last = 0, GENESIS
        self.target_type, self.target_id = name.split(":")

    def add(self, action: str, at: dt.datetime, actor: str | None, changes: dict[str, Any],
            ) -> None:
        import secrets

        from koers.audit import keys
        from koers.audit.services import event_hash, part_digest

        self.seq += 1
        label = actor or "system"
        actor_salt, changes_salt = secrets.token_hex(16), secrets.token_hex(16)
        fields: dict[str, Any] = {
            "chain": self.name, "seq": self.seq, "actor_id": None,
            "actor_kind": "user" if actor else "system",
            "actor_digest": part_digest(salt=actor_salt, value=label),
            "organisation_id": self.organisation_id, "action": action,
            "target_type": self.target_type, "target_id": self.target_id,
            "changes_digest": part_digest(salt=changes_salt, value=changes),
            "created_at": at, "prev_hash": self.last, "key_id": keys.configured().current,
        }
        self.last = event_hash(**fields)
        self.rows.append((
            self.name, self.seq, None, fields["actor_kind"], label, actor_salt,
            fields["actor_digest"], "", self.organisation_id, action, self.target_type,
            self.target_id, json.dumps(changes, ensure_ascii=False), changes_salt,
            fields["changes_digest"], "", at, fields["prev_hash"], fields["key_id"], self.last,
        ))


def _at(rng: random.Random, day: int) -> dt.datetime:
    return START + dt.timedelta(days=day, minutes=rng.randrange(8 * 60))


def simulate(task: tuple[int, int, list[tuple[int, str, int]]]) -> tuple[list[Row], list[Row]]:
    """A year of events for a slice of the people: (event rows, head rows)."""
    seed, organisation_id, people = task
    rng = random.Random(seed)
    events: list[Row] = []
    heads: list[Row] = []

    def chain(name: str) -> Chain:
        return Chain(name, organisation_id, events)

    for person_id, email, unit_id in people:
        evaluator = f"evaluator.{unit_id}@bench.koers"
        made: list[Chain] = []
        for n in range(3):
            goal = chain(f"goals.goal:{person_id * 10 + n}")
            day = rng.randrange(10, 60)
            goal.add("goal.proposed", _at(rng, day), email, {
                "kind": "performance", "title": f"Doel {n + 1} van {person_id}",
                "deadline": f"{YEAR}-12-31", "status": "proposed"})
            goal.add("goal.confirmed", _at(rng, day + 3), email,
                     {"employee_confirmed_at": [None, _at(rng, day + 3).isoformat()]})
            goal.add("goal.confirmed", _at(rng, day + 5), evaluator,
                     {"status": ["proposed", "agreed"]})
            if rng.random() < 1 / 3:
                goal.add("goal.adjusted", _at(rng, day + 150), evaluator,
                         {"deadline": [f"{YEAR}-12-31", f"{YEAR}-11-30"],
                          "reason": "Bijgestuurd in het opvolgingsgesprek"})
            goal.add("goal.status", _at(rng, 340), evaluator,
                     {"status": ["agreed", rng.choice(["achieved", "partly_achieved"])]})
            made.append(goal)
        for n in range(2):
            conversation = chain(f"conversations.conversation:{person_id * 10 + n}")
            day = 30 + n * 180 + rng.randrange(20)
            conversation.add("conversation.scheduled", _at(rng, day - 14), evaluator, {
                "kind": "follow_up" if n else "planning",
                "starts_at": _at(rng, day).isoformat(), "location": "Lokaal 1"})
            conversation.add("conversation.held", _at(rng, day), evaluator,
                             {"status": ["scheduled", "held"], "held_on": [None, str(day)]})
            conversation.add("conversation.report_written", _at(rng, day + 1), evaluator,
                             {"report": "Besproken: voortgang van de doelen en de werkdruk."})
            conversation.add("conversation.report_confirmed", _at(rng, day + 2), email, {})
            conversation.add("conversation.report_confirmed", _at(rng, day + 3), evaluator, {})
            made.append(conversation)
        person = chain(f"organisation.person:{person_id}")
        if rng.random() < 0.2:
            person.add("person.changed", _at(rng, rng.randrange(300)), "hr@bench.koers",
                       {"grade": ["A1", "A2"]})
        if rng.random() < 0.05:
            person.add("evaluator_override.created", _at(rng, rng.randrange(300)),
                       "hr@bench.koers", {"first_evaluator": evaluator, "reason": "Waarneming"})
        if person.seq:
            made.append(person)
        if rng.random() < 1 / 500:
            request = chain(f"access.accessrequest:{person_id}")
            day = rng.randrange(100, 300)
            request.add("access_request.created", _at(rng, day), "hr@bench.koers",
                        {"subject": email, "scope": "goals", "reason": "Klacht onderzoeken"})
            request.add("access_request.granted", _at(rng, day + 1), evaluator,
                        {"status": "granted"})
            for read in range(3):
                request.add("access_request.read", _at(rng, day + 2 + read),
                            "hr@bench.koers", {"record": f"goals.goal:{person_id * 10 + read}"})
            made.append(request)
        heads += [(c.name, c.seq, c.last) for c in made]
    return events, heads


def _copy(table: str, columns: tuple[str, ...], rows: list[Row]) -> None:
    from django.db import connection

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _tasks(seed: int) -> Iterator[tuple[int, int, list[tuple[int, str, int]]]]:
    from koers.organisation.models import Organisation, Person

    organisation = Organisation.objects.get(name="Bench")
    people = list(Person.objects.filter(organisation=organisation).order_by("pk")
                  .values_list("pk", "email", "unit_id"))
    for start in range(0, len(people), PEOPLE_PER_TASK):
        yield seed + start, organisation.pk, people[start:start + PEOPLE_PER_TASK]


def simulate_year(seed: int) -> tuple[int, float]:
    """Write the year's events; returns their count and the seconds it took."""
    from django.db import connection, transaction

    from koers.audit import services as audit
    from koers.audit.models import AuditChainHead, AuditEvent
    from koers.core import clock
    from koers.cycles.models import Cycle
    from koers.organisation.models import Organisation, Person

    started = time.perf_counter()
    tasks = list(_tasks(seed))
    connection.close()  # the workers are forked: none may share this connection
    written = 0
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool, \
            transaction.atomic():
        for events, heads in pool.imap_unordered(simulate, tasks):
            _copy(AuditEvent._meta.db_table, EVENT_COLUMNS, events)
            _copy(AuditChainHead._meta.db_table, ("chain", "last_seq", "last_hash"), heads)
            written += len(events)
    organisation = Organisation.objects.get(name="Bench")
    with clock.frozen(START), transaction.atomic():
        cycle = Cycle.objects.create(organisation=organisation, year=YEAR, state="open",
                                     policy_version="bench", opened_at=START)
        audit.record(actor=None, action="cycle.opened", target=cycle,
                     organisation_id=organisation.pk, changes={"year": [None, YEAR]})
        total = Person.objects.filter(organisation=organisation).count()
        for done in range(2000, total + 2000, 2000):
            audit.record(actor=None, action="cycle.participations_added", target=cycle,
                         organisation_id=organisation.pk,
                         changes={"people": 2000, "participations": 2000,
                                  "done": min(done, total), "total": total})
    written += 1 + -(-total // 2000)
    with clock.frozen(START + dt.timedelta(days=360)), transaction.atomic():
        ids = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True))
        erased = audit.redact(
            chains=[f"goals.goal:{pk * 10 + n}" for pk in ids[::100] for n in range(3)],
            actor=None, target=organisation, organisation_id=organisation.pk)
        written += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"erasure run: {erased} parts emptied")
    return written, time.perf_counter() - started


def verify(env: dict[str, str], *options: str) -> tuple[str, float, int]:
    """Run ``koers verify-audit``: its output, the wall clock and its peak memory (KiB)."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", LAUNCH, "verify-audit", *options], env=env,
        capture_output=True, text=True, check=False)
    wall_clock = time.perf_counter() - started
    match = re.search(r"maxrss_kb (\d+)", result.stderr)
    return result.stdout.strip(), wall_clock, int(match.group(1)) if match else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="koers_bench_g")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds allowed")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database when it already holds the events")
    args = parser.parse_args()
    # The database is dropped first: refuse anything that does not look like a scratch one.
    if "bench" not in args.database:
        parser.error("the database name must contain 'bench'; it is dropped and recreated")

    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.config.settings")
    env = dict(os.environ)
    reuse = args.reuse and _has_events()
    generate_seconds = 0.0
    if not reuse:
        env = recreate_database(args.server, args.database)
        generated = subprocess.run(  # noqa: S603
            [*KOERS, "generate", "--people", str(args.people), "--org", "Bench",
             "--preset", "flemish", "--seed", str(args.seed)],
            env=env, check=True, capture_output=True, text=True).stdout.strip()
        print(f"generate: {generated}")
        generate_seconds = float(re.search(r"seconds: ([\d.]+)", generated).group(1))  # type: ignore[union-attr]
    import django

    django.setup()
    if not reuse:
        events, seconds = simulate_year(args.seed)
        print(f"a year of events: {events} written in {seconds:.1f} s")
    timings = {}
    for label, options in (("one process", ("--workers", "1")), ("default workers", ())):
        output, wall_clock, memory = verify(env, *options)
        print(f"verify-audit, {label}: {output}")
        print(f"  wall clock, with interpreter and Django start-up: {wall_clock:.1f} s; "
              f"peak memory {memory / 1024:.0f} MiB")
        match = re.search(r"ok: (\d+) events in (\d+) chains, seconds: ([\d.]+)", output)
        if match is None:
            print("the trail does not verify", file=sys.stderr)
            return 1
        events, seconds = int(match.group(1)), float(match.group(3))
        timings[label] = seconds
        print(f"  {events / seconds:,.0f} events a second")
        if generate_seconds:
            print(f"  verify-audit / generate: {seconds / generate_seconds:.2f}")
    print(f"one process / default workers: "
          f"{timings['one process'] / timings['default workers']:.2f}")
    if timings["default workers"] > args.budget:
        print(f"too slow: {timings['default workers']:.1f} s > {args.budget:.0f} s",
              file=sys.stderr)
        return 1
    return 0


def _has_events() -> bool:
    import psycopg

    try:
        with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
            row = connection.execute("SELECT count(*) FROM audit_auditevent").fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0] > 1000)


if __name__ == "__main__":
    sys.exit(main())
