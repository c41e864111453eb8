"""Benchmark: the reminders and their e-mails at 100,000 participations on PostgreSQL.

    .venv/bin/python bench/reminders.py [--people 100000] [--reuse] [--explain]
        [--budget 2000] [--server postgres://postgres@127.0.0.1:5432]
        [--database koers_bench_reminders]

Builds the same database as bench/dashboard.py (``koers generate``, then the 2026
Flemish cycle for everybody with random milestones, after one closed cycle), gives
every person a login (bulk, unusable password) so reminders have someone to reach,
then runs ``send_reminders`` for a few days of the cycle: a quiet day, the day the
planning is overdue (about 10,000 participations), the same day again (a restart),
and the day the overdue planning reaches HR (one HR officer for everybody). It then times ``deliver_emails`` with a
mail backend that discards the messages. Exits with status 1 when a quiet day takes
longer than the budget (milliseconds): a quiet day must not scan the cycle.
"""

import argparse
import datetime as dt
import os
import sys
import time

from dashboard import _has_cycle, build, open_cycles  # bench/ is on sys.path

YEAR = 2026
DAYS = [
    ("quiet day", dt.date(YEAR, 5, 12)),
    ("planning overdue", dt.date(YEAR, 4, 1)),
    ("same day again", dt.date(YEAR, 4, 1)),
    ("planning to HR", dt.date(YEAR, 4, 21)),
]


def give_logins() -> None:
    from django.contrib.auth.hashers import make_password

    from koers.core.models import User
    from koers.organisation.models import Person

    started = time.perf_counter()
    unusable = make_password(None)
    people = list(Person.objects.filter(user__isnull=True).only("pk", "email", "first_name"))
    users = User.objects.bulk_create(
        [User(username=f"bench{p.pk}@bench.test", email=f"bench{p.pk}@bench.test",
              first_name=p.first_name, password=unusable) for p in people],
        batch_size=5000,
    )
    for person, user in zip(people, users, strict=True):
        person.user = user
    Person.objects.bulk_update(people, ["user"], batch_size=5000)
    print(f"gave {len(users)} people a login in {time.perf_counter() - started:.1f} s")


def measure(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from koers.cycles.reminders import send_reminders
    from koers.notify.models import Notification
    from koers.notify.services import deliver_emails
    from koers.organisation.models import Organisation, Person, Role, RoleGrant, Unit

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    organisation = Organisation.objects.get(name="Bench")
    # One HR officer for the whole organisation: every escalation to HR reaches them.
    top = Unit.objects.get(organisation=organisation, parent=None)
    hr = Person.objects.filter(unit=top).order_by("pk").first()
    RoleGrant.objects.get_or_create(organisation=organisation, person=hr, role=Role.HR,
                                    unit=top, defaults={"valid_from": dt.date(2000, 1, 1)})
    Notification.objects.all().delete()
    quiet_ms = 0.0
    for label, day in DAYS:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run = send_reminders(today_by_org={organisation.pk: day})
            ms = (time.perf_counter() - started) * 1000
        if label == "quiet day":
            quiet_ms = ms
        print(f"{label} ({day}): {ms:.0f} ms, {len(queries.captured_queries)} queries, "
              f"{run.participations} participations, {run.notifications} new notifications")
        if args.explain and label == "quiet day":
            sql = next(q["sql"] for q in queries.captured_queries
                       if 'FROM "cycles_participation"' in q["sql"])
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join(row[0] for row in cursor.fetchall()))
    pending = Notification.objects.filter(email_claimed_at__isnull=True).count()
    started = time.perf_counter()
    delivery = deliver_emails()
    seconds = time.perf_counter() - started
    print(f"deliver_emails: {pending} notifications in {delivery.emails} e-mails, "
          f"{seconds:.1f} s")
    if quiet_ms > args.budget:
        print(f"too slow: a quiet day took {quiet_ms:.0f} ms > {args.budget:.0f} ms",
              file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--past-cycles", type=int, default=1)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="koers_bench_reminders")
    parser.add_argument("--budget", type=float, default=2000.0,
                        help="milliseconds allowed for a quiet day")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database when it already holds the cycle")
    parser.add_argument("--explain", action="store_true",
                        help="print PostgreSQL's plan of the quiet day's participation query")
    args = parser.parse_args()
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
        give_logins()
    return measure(args)


if __name__ == "__main__":
    sys.exit(main())
