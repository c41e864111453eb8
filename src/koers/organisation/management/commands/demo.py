"""``koers demo``: build the demo data (idempotently), list its logins and serve."""

import signal
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from koers.organisation import demo


class Command(BaseCommand):
    help = (
        "Build three demo organisations (federal, Flemish, Dutch municipal) with logins, "
        "open the cycle running today in each, then run the development server at "
        "127.0.0.1:8000 with a task worker. Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="build the demo data and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # One command from a fresh checkout to a running demo: the tables first.
        call_command("migrate", interactive=False, verbosity=0)
        result = demo.build_demo()
        for name in result.created:
            self.stdout.write(f"Created {name}")
        for name in result.existing:
            self.stdout.write(f"Already there, left as it is: {name}")
        # The cycle running today, so the demo shows real deadlines and dashboards. By
        # command name: this room may not import the cycles room (layering).
        for organisation in demo.DEMO_ORGANISATIONS:
            self.stdout.write(f"Cycle of {organisation.name}: ", ending="")
            call_command("open-cycle", "--org", organisation.name, stdout=self.stdout)
        # Evaluations in every state of the machine, by command name too (the
        # evaluations room sits above this one); they need the cycles opened above.
        call_command("demo-evaluations", stdout=self.stdout)
        # The bodies, an appeal and an objection, on those evaluations (by name too).
        call_command("demo-consequences", stdout=self.stdout)
        # Catalogues and the POP worked example of seed 002, by command name too: the
        # development room sits above this one.
        call_command("demo-development", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self._logins_table())
        if not options["no_serve"]:
            self._serve()

    def _serve(self) -> None:
        # A task worker next to the server: a cycle opened in the browser fills in the
        # background, as in production.
        worker = subprocess.Popen(
            [sys.executable, "-m", "koers.config.cli", "db_worker", "--no-reload",
             "--verbosity", "0"],
        )
        # A plain `kill` ends the server through the `finally` below, and the worker with it.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
        try:
            # Without the autoreloader: it would restart this command, and the demo
            # build with it, in a child process and on every code change.
            call_command("runserver", "127.0.0.1:8000", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _logins_table(self) -> str:
        header = ("E-mail", "Organisation", "Role")
        rows = [header, *((login.email, login.organisation or "-", login.role)
                          for login in demo.DEMO_LOGINS)]
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        lines = [f"Demo logins (password for all: {demo.DEMO_PASSWORD})"]
        for index, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)
