"""Benchmark: ``koers generate`` for 100,000 people on PostgreSQL, in a fresh database.

    .venv/bin/python bench/generate.py [--people 100000] [--preset flemish]
        [--server postgres://postgres@127.0.0.1:5432] [--database koers_bench]

Drops and recreates the database, migrates it, then times the command. Exits with
status 1 when the generation takes longer than the budget (60 s by default), so a
CI job can run it as it is. See bench/README.md for measured results.
"""

import argparse
import os
import re
import subprocess
import sys
import time

import psycopg
from psycopg import sql

KOERS = [sys.executable, "-m", "koers.config.cli"]


def recreate_database(server: str, database: str) -> dict[str, str]:
    """Drop, create and migrate ``database``; the environment that points ``koers`` at it.

    bench/dashboard.py uses it too.
    """
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        name = sql.Identifier(database)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    env = {**os.environ, "DATABASE_URL": f"{server}/{database}"}
    subprocess.run([*KOERS, "migrate", "--verbosity", "0"], env=env, check=True)  # noqa: S603
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--preset", default="flemish")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="koers_bench")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds allowed")
    args = parser.parse_args()
    # The database is dropped first: refuse anything that does not look like a scratch one.
    if "bench" not in args.database:
        parser.error("the database name must contain 'bench'; it is dropped and recreated")

    env = recreate_database(args.server, args.database)

    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        [*KOERS, "generate", "--people", str(args.people), "--org", "Bench",
         "--preset", args.preset, "--seed", str(args.seed)],
        env=env, check=True, capture_output=True, text=True,
    )
    wall_clock = time.perf_counter() - started
    print(result.stdout.strip())
    print(f"wall clock, with interpreter and Django start-up: {wall_clock:.1f} s")
    match = re.search(r"seconds: ([\d.]+)", result.stdout)
    seconds = float(match.group(1)) if match else wall_clock
    if seconds > args.budget:
        print(f"too slow: {seconds:.1f} s > {args.budget:.0f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
