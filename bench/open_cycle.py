"""Benchmark: ``koers open-cycle`` for 100,000 people on PostgreSQL, in a fresh database.

    .venv/bin/python bench/open_cycle.py [--people 100000] [--preset flemish] [--year 2026]
        [--server postgres://postgres@127.0.0.1:5432] [--database koers_bench_cycle]

Builds the organisation with ``koers generate`` (as bench/generate.py does), gives half
of the people imported hours for the year and three in ten an absence (a few of them a
career break of most of the year), then times ``koers open-cycle`` and runs it a second
time, which must change nothing. Prints both commands' own times and their ratio.
Exits with status 1 when opening takes longer than the budget (30 s by default) or the
second run reports other counts. See bench/README.md for measured results.
"""

import argparse
import re
import subprocess
import sys
import time

import psycopg
from generate import KOERS, recreate_database  # bench/ is on sys.path as the script's folder

SUMMARY = re.compile(r"participations: (\d+), exempt: (\d+), seconds: ([\d.]+)")


def koers(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([*KOERS, *args], env=env, check=True,  # noqa: S603
                            capture_output=True, text=True)
    return result.stdout.strip()


def add_hours_and_absences(url: str, year: int) -> None:
    """What a time registration and an absence import would have left, in bulk SQL."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            """INSERT INTO organisation_effectivework
                   (person_id, year, hours_worked, source, note, updated_at)
               SELECT id, %(year)s, 900 + id %% 900, 'imported', '', now()
               FROM organisation_person WHERE id %% 2 = 0""",
            {"year": year},
        )
        connection.execute(
            """INSERT INTO organisation_absence (person_id, kind, start_date, end_date)
               SELECT id,
                      CASE WHEN id %% 97 = 0 THEN 'career_break'
                           WHEN id %% 3 = 0 THEN 'sickness' ELSE 'annual_leave' END,
                      make_date(%(year)s, 1, 5) + (id %% 40)::int,
                      make_date(%(year)s, 1, 5) + (id %% 40)::int
                          + CASE WHEN id %% 97 = 0 THEN 320 ELSE (id %% 15)::int END
               FROM organisation_person WHERE id %% 10 < 3""",
            {"year": year},
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--preset", default="flemish")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="koers_bench_cycle")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds allowed")
    args = parser.parse_args()
    if "bench" not in args.database:
        parser.error("the database name must contain 'bench'; it is dropped and recreated")

    env = recreate_database(args.server, args.database)
    generated = koers(env, "generate", "--people", str(args.people), "--org", "Bench",
                      "--preset", args.preset, "--seed", str(args.seed))
    print(f"generate:   {generated}")
    add_hours_and_absences(f"{args.server}/{args.database}", args.year)

    started = time.perf_counter()
    first = koers(env, "open-cycle", "--org", "Bench", "--year", str(args.year))
    wall_clock = time.perf_counter() - started
    print(f"open-cycle: {first}")
    print(f"wall clock, with interpreter and Django start-up: {wall_clock:.1f} s")
    second = koers(env, "open-cycle", "--org", "Bench", "--year", str(args.year))
    print(f"again:      {second}")

    first_match, second_match = SUMMARY.search(first), SUMMARY.search(second)
    generate_seconds = float(re.search(r"seconds: ([\d.]+)", generated).group(1))  # type: ignore[union-attr]
    if first_match is None or second_match is None:
        print("no summary line", file=sys.stderr)
        return 1
    seconds = float(first_match.group(3))
    print(f"open-cycle / generate: {seconds / generate_seconds:.2f}")
    status = 0
    if first_match.groups()[:2] != second_match.groups()[:2]:
        print("the second run reported other counts", file=sys.stderr)
        status = 1
    if seconds > args.budget:
        print(f"too slow: {seconds:.1f} s > {args.budget:.0f} s", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
