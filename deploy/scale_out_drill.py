"""The scale-out drill: two app servers and two task workers on one PostgreSQL, with two
schedulers, while a load runs; then proof that no task ran twice and no reminder went
out twice.

    bin/scale-out-drill [--people 5000] [--server postgres://postgres@127.0.0.1:5432]

Steps:

1. a scratch database ``koers_scaleout_drill``: a generated organisation of N people,
   each with a login (so reminders reach them);
2. two app servers (granian, one process each) and two workers (``koers db_worker``),
   all on that database, e-mail written to files (one file per message);
3. a load on both app servers (wrk on ``/health/ready``, which asks the database) for
   the whole drill;
4. the year's cycle opened through the task queue (a worker fills it); everybody's
   planning made due yesterday (so today every open planning is overdue and reminded);
   then two schedulers started side by side, twice: each enqueues the reminders and the
   e-mail delivery, and the workers run them;
5. when the queue is empty: every task was run by one worker and once; every reminder
   notification is unique; every e-mail was delivered once (its Message-ID appears in
   one file only), and the second pair of rounds sent nothing new.

Prints the figures and exits 1 when a check fails. Needs PostgreSQL and, for the load,
wrk (Debian's package ``wrk``; without it the drill runs without load and says so).
"""

import argparse
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
KOERS = [sys.executable, "-m", "koers.config.cli"]
DATABASE = "koers_scaleout_drill"
YEAR = 2026

USERS = """
from django.contrib.auth.hashers import make_password
from koers.core.models import User
from koers.organisation.models import Person
people = list(Person.objects.filter(user__isnull=True).only("pk"))
password = make_password(None)
users = User.objects.bulk_create(
    [User(username=f"p{p.pk}", email=f"p{p.pk}@drill.example", password=password)
     for p in people], batch_size=2000)
for person, user in zip(people, users, strict=True):
    person.user_id = user.pk
Person.objects.bulk_update(people, ["user"], batch_size=2000)
print(len(users))
"""

OPEN = f"""
from koers.cycles.services import cycle_open
from koers.organisation.models import Organisation
cycle = cycle_open(organisation=Organisation.objects.get(name="Drill"), year={YEAR}, actor=None)
print(cycle.pk)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own server)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def scalar(url: str, query: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(query).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds to wait for the queue to empty")
    args = parser.parse_args()

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as connection:
        name = sql.Identifier(DATABASE)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    url = f"{args.server}/{DATABASE}"
    mail = ROOT / "var" / "scale-out-drill-mail"
    shutil.rmtree(mail, ignore_errors=True)
    mail.mkdir(parents=True)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src"),
           "EMAIL_FILE_PATH": str(mail), "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "KOERS_LOG_FORMAT": "text", "LOG_LEVEL": "WARNING"}

    def koers(*command: str) -> str:
        return subprocess.run([*KOERS, *command], env=env, check=True,  # noqa: S603
                              capture_output=True, text=True).stdout.strip()

    started = time.perf_counter()
    koers("migrate", "--verbosity", "0")
    koers("generate", "--people", str(args.people), "--org", "Drill")
    logins = koers("shell", "--verbosity", "0", "-c", USERS)
    print(f"organisation: {args.people:,} people, {logins} logins "
          f"({time.perf_counter() - started:.1f} s)", flush=True)

    processes: list[subprocess.Popen[bytes]] = []
    ports = [free_port(), free_port()]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for port in ports:
        processes.append(subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi",
             "koers.config.wsgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--workers", "1", "--blocking-threads", "4"], env=env, **quiet))
    for worker in ("worker-a", "worker-b"):
        processes.append(subprocess.Popen(  # noqa: S603
            [*KOERS, "db_worker", "--worker-id", worker, "--interval", "0.2"], env=env,
            **quiet))
    load: list[subprocess.Popen[str]] = []
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/health/live")
        if shutil.which("wrk"):
            for port in ports:
                load.append(subprocess.Popen(  # noqa: S603
                    ["wrk", "-t1", "-c4", f"-d{int(args.timeout)}s",  # noqa: S607
                     f"http://127.0.0.1:{port}/health/ready"],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        else:
            print("load: wrk not found, the drill runs without load")

        drill_started = time.perf_counter()
        koers("shell", "--verbosity", "0", "-c", OPEN)
        wait_until_idle(url, args.timeout)
        participations = scalar(url, "SELECT count(*) FROM cycles_participation")
        # Reminders fire on the day a due date makes a stage; the drill makes today that
        # day for everybody: the planning was due yesterday, so the first round sends an
        # "overdue" reminder to every employee (and the second must send nothing).
        with psycopg.connect(url, autocommit=True) as connection:
            # "Yesterday" where the organisation is, as the reminders count days.
            connection.execute(
                "UPDATE cycles_participation AS p "
                "SET planning_due = (now() AT TIME ZONE o.time_zone)::date - 1 "
                "FROM cycles_cycle AS c JOIN organisation_organisation AS o "
                "ON o.id = c.organisation_id WHERE p.cycle_id = c.id "
                "AND p.planning_due IS NOT NULL AND p.planning_done_on IS NULL")
        print(f"cycle opened by the workers: {participations:,} participations "
              f"({time.perf_counter() - drill_started:.1f} s)", flush=True)

        for round_ in (1, 2):
            schedulers = [subprocess.Popen(  # noqa: S603
                [*KOERS, "scheduler", "--rounds", "1"], env=env, **quiet) for _ in range(2)]
            for scheduler in schedulers:
                scheduler.wait(timeout=120)
            wait_until_idle(url, args.timeout)
            if round_ == 1:
                first = (scalar(url, "SELECT count(*) FROM notify_notification"),
                         scalar(url, "SELECT count(*) FROM notify_outgoingemail"))
            print(f"round {round_} of two schedulers done "
                  f"({time.perf_counter() - drill_started:.1f} s)", flush=True)
        elapsed = time.perf_counter() - drill_started
    finally:
        for process in load:
            process.send_signal(signal.SIGINT)
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    served = [process.communicate(timeout=30)[0] for process in load]

    notifications = scalar(url, "SELECT count(*) FROM notify_notification")
    reminders = scalar(url, "SELECT count(*) FROM notify_notification "
                            "WHERE key LIKE 'reminder:%%'")
    unique_keys = scalar(url, "SELECT count(DISTINCT key) FROM notify_notification")
    emails = scalar(url, "SELECT count(*) FROM notify_outgoingemail")
    sent = scalar(url, "SELECT count(*) FROM notify_outgoingemail WHERE sent_at IS NOT NULL")
    tasks = scalar(url, "SELECT count(*) FROM django_tasks_database_dbtaskresult")
    twice = scalar(url, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                        "WHERE jsonb_array_length(worker_ids) > 1")
    failed = scalar(url, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                         "WHERE status = 'FAILED'")
    with psycopg.connect(url) as connection:
        by_worker = dict(connection.execute(
            "SELECT worker_ids->>0, count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE jsonb_array_length(worker_ids) > 0 GROUP BY 1 ORDER BY 1").fetchall())
    message_ids = Counter(
        email.message_from_bytes(message).get("Message-ID", "")
        for path in mail.iterdir() for message in _messages(path.read_bytes()))
    delivered = sum(message_ids.values())
    duplicates = sum(count - 1 for count in message_ids.values() if count > 1)

    print(f"tasks: {tasks:,} run, by worker {by_worker}, {twice} run twice, {failed} failed")
    print(f"notifications: {notifications:,} ({reminders:,} reminders), "
          f"{notifications - unique_keys} with a repeated key; second round added "
          f"{notifications - first[0]} notifications and {emails - first[1]} e-mails")
    print(f"e-mail: {emails:,} in the outbox, {sent:,} sent, {delivered:,} delivered to the "
          f"relay, {duplicates} delivered twice")
    for port, output in zip(ports, served, strict=True):
        requests = next((line.strip() for line in output.splitlines()
                         if "requests in" in line), "no figures")
        errors = next((line.strip() for line in output.splitlines()
                       if "Non-2xx" in line or "Socket errors" in line), "no errors")
        print(f"load on app server :{port}: {requests}; {errors}")
    print(f"drill: {elapsed:.1f} s from opening the cycle to the last e-mail")
    ok = (twice == 0 and failed == 0 and notifications == unique_keys and duplicates == 0
          and sent == emails == delivered and len(by_worker) == 2 and reminders > 0
          and (notifications, emails) == first)
    print("scale-out drill: ok" if ok else "scale-out drill: FAILED")
    return 0 if ok else 1


def _messages(content: bytes) -> list[bytes]:
    """The messages of one file of Django's file e-mail backend (separated by a line of
    dashes)."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return [part for part in content.split(separator) if part.strip()]


def wait_until_idle(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not scalar(url, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                           "WHERE status IN ('READY', 'RUNNING')"):
            return
        time.sleep(0.5)
    raise RuntimeError("the queue did not empty in time")


if __name__ == "__main__":
    sys.exit(main())
