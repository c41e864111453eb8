"""Benchmark: pages and API reads over HTTP, at 1,000, 10,000 and 100,000 people.

    bench/http [--sizes 1000,10000,100000] [--duration 5]
        [--connections 16,64] [--workers 2] [--threads 8] [--reuse] [--out bench/results]
        [--server postgres://postgres@127.0.0.1:5432]

For each size a PostgreSQL database ``koers_bench_http_<size>`` is built (``--reuse``
keeps one that is complete): ``koers generate``, the 2025 cycle opened for everybody
with ``koers open-cycle``, and activity through the services for the people measured:
agreed goals and an opened annual evaluation for everyone in two teams (the team
closest to five people and the largest), HR at the top unit, a POP for the employee.
Then granian serves the database as in production (``--workers`` processes) and wrk
measures each page on loopback, in one run and interleaved with the floor: after each
page the signed-in floor again, so every ratio compares figures of the same moment.

Measured per page: requests per second and p50/p99 latency at each number of
connections, the ratio to the signed-in floor measured next to it, and, from one
request in process, the number of SQL queries and their time; per size the RSS of each
worker. The floor is a bare view that only reads the signed-in user
(``bench/http_urls.py``, served only here). Writes ``<out>/http.json``, a Markdown
table ``<out>/http.md`` and, with matplotlib installed, ``<out>/http.png`` (p50
latency at 16 connections against the organisation's size, per page: flat is the
goal). Needs wrk (Debian's package ``wrk``) and PostgreSQL.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
KOERS = [PYTHON, "-m", "koers.config.cli"]
YEAR = 2025  # the Flemish window of 2025 runs 1 December 2025 – 31 March 2026
PASSWORD = "bench-password"  # noqa: S105 - a scratch database's personas

# (key, label, persona, path template): filled from the personas' ids.
PAGES = [
    ("floor_anonymous", "bare view, anonymous", None, "/bench/floor/"),
    ("employee_home", "employee home", "employee", "/"),
    ("manager_home_5", "manager home (team of ~5)", "manager_small", "/"),
    ("manager_home_max", "manager home (largest team)", "manager_large", "/"),
    ("team_5", "team view (team of ~5)", "manager_small", "/team/"),
    ("team_max", "team view (largest team)", "manager_large", "/team/"),
    ("evaluation", "evaluation page", "manager_small", "/evaluations/{evaluation}/"),
    ("pop", "POP page", "employee", "/people/{employee}/development/"),
    ("dashboard_top", "HR dashboard, top unit", "hr", "/cycles/{cycle}/dashboard/{top}/"),
    ("dashboard_leaf", "HR dashboard, a leaf unit", "hr",
     "/cycles/{cycle}/dashboard/{leaf}/"),
    ("api_evaluations", "API: team overview (largest team)", "manager_large",
     "/api/v1/me/team/overview"),
    ("api_evaluation", "API: one evaluation", "manager_small",
     "/api/v1/evaluations/{evaluation}"),
]
FLOOR = ("floor", "bare view, signed-in (the floor)", "employee", "/bench/floor/")


# --- in the database of one size (a subprocess with DATABASE_URL set) ---------------


def prepare(size: int, out: Path) -> None:
    """Activity through the services, then the personas' sessions: ``personas-<size>.json``."""
    import datetime as dt

    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client
    from tests.factories import goals, totp

    from koers.access.policy import Viewer
    from koers.core import clock
    from koers.core.models import User
    from koers.cycles.models import Cycle
    from koers.evaluations import services as evaluation_services
    from koers.organisation import evaluators
    from koers.organisation.models import Person, Role, RoleGrant, Unit

    organisation_unit = Unit.objects.get(organisation__name="Bench", parent=None)
    organisation = organisation_unit.organisation
    today = dt.date(YEAR, 12, 10)
    teams: dict[int, int] = dict(
        Person.objects.filter(organisation=organisation).exclude(unit__manager=None)
        .values("unit__manager").annotate(n=Count("pk")).values_list("unit__manager", "n"))
    sizes = {pk: len(evaluators.team_member_ids(Person(pk=pk), on=today)) for pk in teams}
    small = min(sizes, key=lambda pk: (abs(sizes[pk] - 5), pk))
    large = max(sizes, key=lambda pk: (sizes[pk], -pk))

    def user_for(person: Person) -> User:
        person.refresh_from_db(fields=["user"])
        if person.user is None:
            person.user = User.objects.create_user(email=f"person-{person.pk}@bench.example",
                                                   password=PASSWORD)
            person.save(update_fields=["user"])
        return person.user

    manager_small, manager_large = Person.objects.get(pk=small), Person.objects.get(pk=large)
    employee = min(evaluators.team(manager_small, on=today), key=lambda p: p.pk)
    hr = Person.objects.filter(unit=organisation_unit).exclude(pk=organisation_unit.manager_id
                                                               ).order_by("pk").first()
    assert hr is not None
    RoleGrant.objects.get_or_create(organisation=organisation, person=hr, role=Role.HR,
                                    unit=organisation_unit,
                                    defaults={"valid_from": dt.date(2000, 1, 1)})
    totp(user_for(hr))  # HR must have set up two-factor sign-in (access.mfa)
    cycle = Cycle.objects.get(organisation=organisation, year=YEAR)
    evaluation_id = None
    with clock.frozen(dt.datetime(YEAR, 12, 10, 10, tzinfo=dt.UTC)):
        for manager in (manager_small, manager_large):
            viewer = Viewer.of(user_for(manager))
            for person in evaluators.team(manager, on=today):
                user_for(person)
                for n in range(3):
                    goals.agreed(person, manager, title=f"Goal {n + 1}")
                participation = person.participations.filter(cycle=cycle).first()
                if participation is None or not participation.evaluation_required:
                    continue
                evaluation = evaluation_services.evaluation_open(
                    actor=viewer, person=person, participation=participation)
                if person.pk == employee.pk:
                    evaluation_id = evaluation.pk
    leaf = Unit.objects.filter(organisation=organisation, children=None).order_by("pk").first()
    assert leaf is not None
    assert evaluation_id is not None
    sessions = {}
    for name, person in (("employee", employee), ("manager_small", manager_small),
                         ("manager_large", manager_large), ("hr", hr)):
        client = Client()
        client.force_login(user_for(person))
        sessions[name] = client.cookies["sessionid"].value
    (out / f"personas-{size}.json").write_text(json.dumps({
        "sessions": sessions,
        "ids": {"employee": employee.pk, "evaluation": evaluation_id, "cycle": cycle.pk,
                "top": organisation_unit.pk, "leaf": leaf.pk},
        "teams": {"manager_small": sizes[small], "manager_large": sizes[large]},
    }, indent=2))


def probe(size: int, out: Path) -> None:
    """One request per page in process: the status, SQL queries and their time."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    personas = json.loads((out / f"personas-{size}.json").read_text())
    result = {}
    for key, _label, persona, template in [FLOOR, *PAGES]:
        client = Client(HTTP_HOST="127.0.0.1")
        if persona:
            client.cookies["sessionid"] = personas["sessions"][persona]
        url = template.format(**personas["ids"])
        client.get(url)  # warm
        runs = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            runs.append((len(queries.captured_queries),
                         sum(float(q["time"]) for q in queries.captured_queries) * 1000))
        if response.status_code != 200:
            raise SystemExit(f"{url} as {persona}: HTTP {response.status_code}")
        result[key] = {"queries": runs[-1][0], "sql_ms": statistics.median(r[1] for r in runs)}
    (out / f"probe-{size}.json").write_text(json.dumps(result, indent=2))


# --- the orchestration ------------------------------------------------------------------


def build(size: int, args: argparse.Namespace, env: dict[str, str]) -> None:
    from generate import recreate_database  # bench/ is on sys.path as the script's folder

    database = f"koers_bench_http_{size}"
    if args.reuse and (args.out / f"personas-{size}.json").exists() and _exists(args, database):
        return
    started = time.perf_counter()
    env["DATABASE_URL"] = recreate_database(args.server, database)["DATABASE_URL"]
    subprocess.run([*KOERS, "generate", "--people", str(size), "--org", "Bench"],  # noqa: S603
                   env=env, check=True, capture_output=True)
    subprocess.run([*KOERS, "open-cycle", "--org", "bench", "--year", str(YEAR)],  # noqa: S603
                   env=env, check=True, capture_output=True)
    subprocess.run([PYTHON, __file__, "--prepare", str(size), "--out", str(args.out)],  # noqa: S603
                   env=env, check=True)
    # As autovacuum would in production after a while: without statistics on the bulk-
    # inserted tables the planner joins 100,000 people by a sequential scan (300 ms a
    # query for a team of 42).
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("ANALYZE")
    print(f"{size:,} people: built in {time.perf_counter() - started:.0f} s", flush=True)


def _exists(args: argparse.Namespace, database: str) -> bool:
    import psycopg

    with psycopg.connect(f"{args.server}/postgres") as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (database,)).fetchone() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, cookie: str | None, connections: int, duration: int) -> dict[str, float]:
    command = ["wrk", "--latency", "-t", "2", "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run([*command, url], check=True, capture_output=True,  # noqa: S603
                            text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} responses were not 2xx/3xx")

    def percentile(p: str) -> float:
        match = re.search(rf"^\s+{p}(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if match is None:
            raise SystemExit(f"{url}: no {p}th percentile in wrk's output:\n{output}")
        value, unit = match.groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]

    return {"rps": rate, "p50_ms": percentile("50"), "p99_ms": percentile("99")}


def _settle(url: str, cookie: str) -> None:
    """Wait until one request answers within 50 ms: the queue of the last run is done."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})  # noqa: S310
    for _ in range(600):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(0.1)


def _rss_mb(pid: int) -> list[float]:
    """The resident memory of each granian worker below ``pid``, in MB."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,  # noqa: S603, S607
                              text=True).stdout.split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) / 1024)
    return sizes


def measure(size: int, args: argparse.Namespace, env: dict[str, str]) -> dict[str, object]:
    env = {**env, "DATABASE_URL": f"{args.server}/koers_bench_http_{size}"}
    subprocess.run([PYTHON, __file__, "--probe", str(size), "--out", str(args.out)],  # noqa: S603
                   env=env, check=True)
    personas = json.loads((args.out / f"personas-{size}.json").read_text())
    probed = json.loads((args.out / f"probe-{size}.json").read_text())
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(Path(PYTHON).with_name("granian")), "--interface", "wsgi",
         "koers.config.wsgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers), "--blocking-threads", str(args.threads),
         "--log-level", "warning"],
        env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        # Ready when every worker answers: a few requests each, after the first success.
        deadline = time.monotonic() + 120
        answered = 0
        while answered < 4 * args.workers:
            try:
                with urllib.request.urlopen(base + FLOOR[3], timeout=30) as response:  # noqa: S310
                    answered += response.status == 200
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        pages: dict[str, dict[str, object]] = {}
        for key, label, persona, template in PAGES:
            url = base + template.format(**personas["ids"])
            cookie = personas["sessions"][persona] if persona else None
            floor_url = base + FLOOR[3]
            figures: dict[str, object] = {"label": label, **probed[key]}
            for connections in args.connections:
                wrk(url, cookie, connections, 1)  # warm
                page = wrk(url, cookie, connections, args.duration)
                # The server first finishes what the last run left queued.
                _settle(floor_url, personas["sessions"]["employee"])
                floor = wrk(floor_url, personas["sessions"]["employee"], connections,
                            args.duration)
                _settle(floor_url, personas["sessions"]["employee"])
                figures[str(connections)] = {**page, "floor_rps": floor["rps"],
                                             "ratio": page["rps"] / max(floor["rps"], 1e-9)}
            pages[key] = figures
            print(f"{size:,} people: {label}: " + ", ".join(
                f"{c} conns {figures[str(c)]['rps']:.0f} req/s "  # type: ignore[index]
                f"({figures[str(c)]['ratio']:.2f} of the floor)"  # type: ignore[index]
                for c in args.connections), flush=True)
        floor = {str(c): wrk(base + FLOOR[3], personas["sessions"]["employee"], c, args.duration)
                 for c in args.connections}
        rss = _rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"people": size, "teams": personas["teams"], "floor": floor,
            "floor_queries": probed["floor"], "rss_mb": rss, "pages": pages}


def table(results: list[dict], connections: list[int]) -> str:  # type: ignore[type-arg]
    c = str(connections[0])
    lines = [
        f"| page | people | req/s ({c}) | ratio to floor | p50 / p99 ms ({c}) | "
        + " | ".join(f"p99 ms ({n})" for n in connections[1:])
        + " | queries | SQL ms |",
        "|---|---|---|---|---|" + "---|" * (len(connections) - 1) + "---|---|",
    ]
    for result in results:
        floor = result["floor"][c]
        lines.append(f"| **signed-in floor** | {result['people']:,} | {floor['rps']:.0f} | 1 | "
                     f"{floor['p50_ms']:.1f} / {floor['p99_ms']:.1f} | "
                     + " | ".join(f"{result['floor'][str(n)]['p99_ms']:.0f}"
                                  for n in connections[1:])
                     + f" | {result['floor_queries']['queries']} | "
                     f"{result['floor_queries']['sql_ms']:.1f} |")
        for page in result["pages"].values():
            figures = page[c]
            lines.append(
                f"| {page['label']} | {result['people']:,} | {figures['rps']:.0f} | "
                f"{figures['ratio']:.2f} | {figures['p50_ms']:.1f} / {figures['p99_ms']:.1f} | "
                + " | ".join(f"{page[str(n)]['p99_ms']:.0f}" for n in connections[1:])
                + f" | {page['queries']} | {page['sql_ms']:.1f} |")
    return "\n".join(lines) + "\n"


def plot(results: list[dict], connections: list[int], path: Path) -> bool:  # type: ignore[type-arg]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    c = str(connections[0])
    figure, axes = plt.subplots(figsize=(9, 6))
    sizes = [result["people"] for result in results]
    for key, label, _persona, _template in PAGES:
        axes.plot(sizes, [result["pages"][key][c]["p50_ms"] for result in results],
                  marker="o", label=label)
    axes.plot(sizes, [result["floor"][c]["p50_ms"] for result in results], "k--",
              label="signed-in floor")
    axes.set_xscale("log")
    axes.set_xlabel("people in the organisation")
    axes.set_ylabel(f"p50 latency at {c} connections (ms)")
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8,
                        help="granian's blocking threads per worker, as in production "
                             "(docs/operations.md): each holds one database connection")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a database built by an earlier run")
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--probe", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path[:0] = [str(ROOT), str(BENCH)]
    if args.prepare or args.probe:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "http_settings")
    if args.prepare:
        prepare(args.prepare, args.out)
        return 0
    if args.probe:
        probe(args.probe, args.out)
        return 0
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt install wrk)")
    args.connections = [int(n) for n in args.connections.split(",")]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "http_settings",
           "PYTHONPATH": os.pathsep.join([str(BENCH), str(ROOT / "src"), str(ROOT),
                                          os.environ.get("PYTHONPATH", "")])}
    results = []
    for size in [int(n) for n in args.sizes.split(",")]:
        build(size, args, env)
        results.append(measure(size, args, env))
    (args.out / "http.json").write_text(json.dumps(results, indent=2))
    markdown = table(results, args.connections)
    (args.out / "http.md").write_text(markdown)
    print(markdown)
    if plot(results, args.connections, args.out / "http.png"):
        print(f"plot: {args.out / 'http.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
