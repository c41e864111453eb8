"""The backup and restore drill: dump a Koers database, restore it into a fresh one, and
prove the copy is whole and its records intact.

    bin/restore-drill --source postgres://koers@db.example.org:5432/koers
    bin/restore-drill --build 100000        # a scratch organisation of 100,000 people first

Steps, each timed:

1. (``--build N``) a scratch source database ``koers_restore_source``: the demo
   organisations (signed evaluations, appeals, an audit trail) and a generated
   organisation of N people with its cycle opened;
2. ``pg_dump --format=custom`` of the source (the backup an operator keeps);
3. ``pg_restore --jobs J`` into a fresh database (dropped and created again; its name
   must contain "restore");
4. every table compared between the source and the copy: its row count and a digest of
   its rows (the MD5 of each row's text, in order of those digests, digested again);
5. on the copy: every migration applied, ``koers verify-audit`` (the audit chains) and
   ``koers verify-report --all`` (the seals of every signed evaluation).

Prints each step's figures and the recovery time (restore + checks); exits 1 when a
table differs or a check fails. Needs PostgreSQL's client tools (pg_dump, pg_restore)
of the server's major version, and a role that may create databases on the target
server. The source is only read.
"""

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
KOERS = [sys.executable, "-m", "koers.config.cli"]
SOURCE_NAME = "koers_restore_source"


@dataclass
class Step:
    name: str
    seconds: float
    detail: str = ""


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_of(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=""))


def recreate(server: str, name: str) -> str:
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as connection:
        identifier = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    return database_url(server, name)


def koers(url: str, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own command)
        [*KOERS, *args], env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"koers {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def timed[T](steps: list[Step], name: str, work: Callable[[], tuple[T, str]]) -> T:
    started = time.perf_counter()
    value, detail = work()
    steps.append(Step(name, time.perf_counter() - started, detail))
    print(f"{name}: {steps[-1].seconds:.1f} s{f' ({detail})' if detail else ''}", flush=True)
    return value


def build(server: str, people: int) -> str:
    url = recreate(server, SOURCE_NAME)
    koers(url, "migrate", "--verbosity", "0")
    koers(url, "demo", "--no-serve", "--verbosity", "0")
    koers(url, "generate", "--people", str(people), "--org", "Drill")
    koers(url, "open-cycle", "--org", "Drill")
    return url


def tables(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        return [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]


def digests(url: str, names: list[str]) -> dict[str, tuple[int, str]]:
    """Per table: its row count and a digest of its rows, whatever their physical order."""
    found = {}
    with psycopg.connect(url) as connection:
        for name in names:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(d, '' ORDER BY d)), '') "
                "FROM (SELECT md5(t::text) AS d FROM {} AS t) AS rows").format(
                sql.Identifier(name))
            row = connection.execute(query).fetchone()
            assert row is not None
            found[name] = (int(row[0]), str(row[1]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--source", help="the database to back up (a postgres:// URL)")
    source.add_argument("--build", type=int, metavar="PEOPLE",
                        help=f"build a scratch source ({SOURCE_NAME}) of this many people")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432",
                        help="the server to restore on (default: the local one)")
    parser.add_argument("--target", default="koers_restore_drill",
                        help="the database restored into (dropped and created again)")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                        help="parallel restore jobs (pg_restore --jobs)")
    parser.add_argument("--dump", type=Path, default=ROOT / "var" / "restore-drill.dump")
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args()
    if "restore" not in args.target:
        parser.error("the target's name must contain 'restore': it is dropped and created again")

    steps: list[Step] = []
    if args.build:
        source_url = timed(steps, "build the source",
                           lambda: (build(args.server, args.build),
                                    f"demo organisations and {args.build:,} people"))
    else:
        source_url = args.source

    args.dump.parent.mkdir(parents=True, exist_ok=True)
    timed(steps, "dump", lambda: (subprocess.run(  # noqa: S603
        ["pg_dump", "--format=custom", "--file", str(args.dump),  # noqa: S607
         "--dbname", source_url],
        check=True), f"{args.dump.stat().st_size / 1e6:.1f} MB"))

    target_url = database_url(args.server, args.target)

    def restore() -> tuple[None, str]:
        recreate(args.server, args.target)
        subprocess.run(["pg_restore", "--jobs", str(args.jobs), "--no-owner",  # noqa: S603, S607
                        "--dbname", target_url, str(args.dump)], check=True)
        return None, f"{args.jobs} jobs"

    timed(steps, "restore", restore)

    names = tables(source_url)

    def compare() -> tuple[list[str], str]:
        before, after = digests(source_url, names), digests(target_url, names)
        differ = [name for name in names if before[name] != after.get(name)]
        rows = sum(count for count, _digest in before.values())
        return differ, f"{len(names)} tables, {rows:,} rows, {len(differ)} differ"

    differ = timed(steps, "compare every table", compare)

    def migrations() -> tuple[bool, str]:
        plan = koers(target_url, "showmigrations", "--plan")
        pending = [line for line in plan.splitlines() if line.startswith("[ ]")]
        return not pending, "all applied" if not pending else f"{len(pending)} not applied"

    migrated = timed(steps, "migrations", migrations)

    def audit() -> tuple[bool, str]:
        try:
            return True, koers(target_url, "verify-audit")
        except RuntimeError as error:
            return False, str(error).splitlines()[-1]

    def reports() -> tuple[bool, str]:
        try:
            return True, koers(target_url, "verify-report", "--all")
        except RuntimeError as error:
            return False, str(error).splitlines()[-1]

    audit_ok = timed(steps, "verify-audit", audit)
    reports_ok = timed(steps, "verify-report --all", reports)

    if not args.keep:
        with psycopg.connect(database_url(args.server, "postgres"), autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(args.target)))

    recovery = sum(step.seconds for step in steps
                   if step.name in ("restore", "compare every table", "migrations",
                                    "verify-audit", "verify-report --all"))
    restore_only = next(step.seconds for step in steps if step.name == "restore")
    print(f"recovery time: {restore_only:.1f} s to restore, {recovery:.1f} s restored "
          "and proven whole")
    for name in differ:
        print(f"differs: {name}", file=sys.stderr)
    ok = not differ and migrated and audit_ok and reports_ok
    print("drill: ok" if ok else "drill: FAILED", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
