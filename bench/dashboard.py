"""Benchmark: the HR cycle dashboard at 100,000 people on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--people 100000] [--past-cycles 1] [--repeat 20]
        [--reuse] [--explain] [--budget 300]
        [--server postgres://postgres@127.0.0.1:5432] [--database koers_bench_dashboard]

Builds a fresh database with ``koers generate`` (as bench/generate.py does), opens the
2026 cycle for everybody with ``bulk_create`` (due dates from the rulebook's deadline
engine, milestones drawn at random so every column has something to count) after
``--past-cycles`` finished cycles of earlier years, so the table holds more than the
cycle asked for. It then times ``cycles.dashboard.cycle_dashboard`` (both its queries
and the Python around them) for the top unit and for the largest unit on the third
level, after one untimed run. ``--reuse`` skips the build when the database already
holds the cycle. Exits with status 1 when the median run of either unit takes longer
than the budget. See bench/README.md for measured results.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

from generate import KOERS, recreate_database  # bench/ is on sys.path as the script's folder

YEAR = 2026
# After the 1st evaluator's signature day of the Flemish 2026 cycle (15 March 2027):
# planning, self-evaluation, evaluation and first signature can all be overdue.
TODAY = dt.date(2027, 3, 20)
BATCH = 5000
# When this year's milestones happen, if they do (shifted back for past cycles).
MILESTONES = {
    "planning": dt.date(YEAR, 2, 15),
    "follow_up": dt.date(YEAR, 9, 1),
    "self_evaluation": dt.date(YEAR + 1, 1, 20),
    "evaluation": dt.date(YEAR + 1, 1, 30),
    "first_signature": dt.date(YEAR + 1, 2, 20),
    "second_signature": dt.date(YEAR + 1, 3, 1),
    "employee_signature": dt.date(YEAR + 1, 3, 10),
    "left": dt.date(YEAR, 6, 30),
}


def build(args: argparse.Namespace) -> None:
    import subprocess

    env = recreate_database(args.server, args.database)
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [*KOERS, "generate", "--people", str(args.people), "--org", "Bench",
         "--preset", "flemish", "--seed", str(args.seed)],
        env=env, check=True, capture_output=True,
    )
    print(f"generated {args.people} people in {time.perf_counter() - started:.1f} s")


def open_cycles(seed: int, past_cycles: int) -> None:
    """This year's cycle, and ``past_cycles`` closed ones before it, for everybody."""
    for years_ago in range(past_cycles, -1, -1):
        open_cycle(seed, YEAR - years_ago, finished=years_ago > 0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def open_cycle(seed: int, year: int, *, finished: bool) -> None:
    """A cycle with a participation for everybody, written in bulk."""
    from django.utils import timezone

    from koers.cycles.milestones import STEP_BY_DUE
    from koers.cycles.models import Cycle, CycleState, Participation
    from koers.organisation.models import Organisation, Person
    from koers.rulebook import deadlines
    from koers.rulebook.policy import policy_for

    started = time.perf_counter()
    rng = random.Random(seed)
    organisation = Organisation.objects.get(name="Bench")
    policy = policy_for(organisation)
    period = deadlines.period_for(policy, year=year)
    cycle = Cycle.objects.create(
        organisation=organisation, year=year,
        state=CycleState.CLOSED if finished else CycleState.OPEN,
        policy_version=policy.version, opened_at=timezone.now(),
    )

    def maybe(share: float, day: dt.date) -> dt.date | None:
        # A finished cycle has every milestone; this year's a random share of each.
        return day if finished or rng.random() < share else None

    dates = {name: day.replace(year=day.year + year - YEAR) for name, day in MILESTONES.items()}

    rows = []
    for person_id, probation_end in Person.objects.filter(organisation=organisation) \
            .values_list("pk", "probation_end_date").iterator(chunk_size=BATCH):
        dues = deadlines.cycle_due_dates(policy, year=year, period=period,
                                         probation_end=probation_end)
        due_fields = {STEP_BY_DUE[due].due_field: day for due, day in dues.items()}
        exempt = rng.random() < 0.05
        follow_ups = rng.choice((0, 0, 1, 1, 1, 2, 3))
        rows.append(Participation(
            cycle=cycle, person_id=person_id, period_start=period.start,
            period_end=period.end, evaluation_required=not exempt,
            exemption="too_few_hours" if exempt else "",
            **due_fields,
            planning_done_on=maybe(0.9, dates["planning"]),
            follow_ups_held=follow_ups,
            last_follow_up_on=dates["follow_up"] if follow_ups else None,
            self_evaluation_submitted_on=maybe(0.7, dates["self_evaluation"]),
            evaluation_held_on=maybe(0.75, dates["evaluation"]),
            first_signed_on=maybe(0.65, dates["first_signature"]),
            second_signed_on=maybe(0.5, dates["second_signature"]),
            employee_signed_on=maybe(0.4, dates["employee_signature"]),
            closed_on=dates["left"] if rng.random() < 0.02 else None,
        ))
    Participation.objects.bulk_create(rows, batch_size=BATCH)
    print(f"opened the cycle of {year} for {len(rows)} people "
          f"in {time.perf_counter() - started:.1f} s")


def measure(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from koers.cycles.dashboard import cycle_dashboard
    from koers.cycles.models import Cycle
    from koers.organisation.models import Person, Unit

    cycle = Cycle.objects.select_related("organisation").get(organisation__name="Bench",
                                                             year=YEAR)
    top = Unit.objects.get(organisation=cycle.organisation, parent=None)
    # The third level holds the departments' services: the largest is a realistic
    # "mid-level" drill-down target.
    mid = max(
        Unit.objects.filter(organisation=cycle.organisation, depth=2),
        key=lambda unit: Person.objects.filter(unit__path__startswith=unit.path).count(),
    )
    slowest = 0.0  # the slower median of the two units
    print("load average before timing: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for label, unit in (("top unit", top), ("mid-level unit", mid)):
        people = Person.objects.filter(unit__path__startswith=unit.path).count()
        children = Unit.objects.filter(parent=unit).aggregate(n=Count("pk"))["n"]
        timings = []
        with CaptureQueriesContext(connection) as queries:
            cycle_dashboard(cycle=cycle, unit=unit, today=TODAY)  # warm-up (cold caches)
        first = float(sum(float(q["time"]) for q in queries.captured_queries)) * 1000
        for _run in range(args.repeat):
            started = time.perf_counter()
            board = cycle_dashboard(cycle=cycle, unit=unit, today=TODAY)
            timings.append((time.perf_counter() - started) * 1000)
        slowest = max(slowest, statistics.median(timings))
        print(
            f"{label}: {people} people, {children} child units, "
            f"{len(queries.captured_queries)} queries; "
            f"min {min(timings):.0f} ms, median {statistics.median(timings):.0f} ms, "
            f"max {max(timings):.0f} ms "
            f"over {args.repeat} runs (first run's SQL {first:.0f} ms); "
            f"{board.total.participations} participations, {board.total.overdue} overdue"
        )
        if args.explain:
            sql = queries.captured_queries[-1]["sql"]
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join(row[0] for row in cursor.fetchall()))
    # The rollup a large cycle is read from: counted once, then read per unit.
    from koers.cycles.dashboard import count_cycle

    started = time.perf_counter()
    rows = count_cycle(cycle, today=TODAY)
    print(f"rollup: counted {rows} units in {time.perf_counter() - started:.2f} s")
    for label, unit in (("top unit", top), ("mid-level unit", mid)):
        cycle_dashboard(cycle=cycle, unit=unit)  # warm-up
        rollup_timings, live_timings = [], []
        for _run in range(args.repeat):  # interleaved, so both see the same machine
            started = time.perf_counter()
            board = cycle_dashboard(cycle=cycle, unit=unit)
            rollup_timings.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            live = cycle_dashboard(cycle=cycle, unit=unit, today=TODAY)
            live_timings.append((time.perf_counter() - started) * 1000)
        assert board.counted_at is not None
        assert board.total == live.total
        rollup, counted_live = statistics.median(rollup_timings), statistics.median(live_timings)
        print(f"{label} from the rollup: median {rollup:.1f} ms, counted live {counted_live:.0f} "
              f"ms in the same rounds: {counted_live / rollup:.0f}x faster")
    if slowest > args.budget:
        print(f"too slow: a median of {slowest:.0f} ms > {args.budget:.0f} ms", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--past-cycles", type=int, default=1,
                        help="closed cycles of earlier years in the same table")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="koers_bench_dashboard")
    parser.add_argument("--budget", type=float, default=300.0, help="milliseconds allowed")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database when it already holds the cycle")
    parser.add_argument("--explain", action="store_true",
                        help="print PostgreSQL's plan of the aggregate query")
    args = parser.parse_args()
    # The database is dropped first: refuse anything that does not look like a scratch one.
    if "bench" not in args.database:
        parser.error("the database name must contain 'bench'; it is dropped and recreated")

    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.config.settings")
    reuse = args.reuse and _has_cycle(args)
    if not reuse:
        build(args)
    import django

    django.setup()
    if not reuse:
        open_cycles(args.seed, args.past_cycles)
    return measure(args)


def _has_cycle(args: argparse.Namespace) -> bool:
    import psycopg

    try:
        with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
            row = connection.execute(
                "SELECT count(*) FROM cycles_cycle WHERE year = %s", (YEAR,)
            ).fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


if __name__ == "__main__":
    sys.exit(main())
