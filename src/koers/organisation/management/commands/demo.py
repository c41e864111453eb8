"""``koers demo``: build the demo data (idempotently), list its logins and serve."""

import os
import signal
import subprocess
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from koers.core.commands import KoersCommand
from koers.organisation import demo

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


class Command(KoersCommand):
    help = (
        "Build three demo organisations (federal, Flemish, Dutch municipal) with logins, "
        "open the cycle running today in each, then run the development server "
        "(127.0.0.1:8000 unless --host/--port say otherwise) with a task worker. Without "
        "EMAIL_HOST or EMAIL_FILE_PATH, the demo's e-mail is written to files in "
        "var/demo-mail/ instead of the terminal. Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="build the demo data and stop"
        )
        parser.add_argument("--host", default="127.0.0.1",
                            help="address the server listens on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000,
                            help="port the server listens on (default 8000)")

    def handle(self, *args: Any, **options: Any) -> None:
        # One command from a fresh checkout to a running demo: the tables first.
        call_command("migrate", interactive=False, verbosity=0)
        self._mail_to_files()
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
        # Catalogues and the POP guide's worked example, by command name too: the
        # development room sits above this one.
        call_command("demo-development", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self._logins_table())
        if not options["no_serve"]:
            self._serve(host=options["host"], port=options["port"])

    def _mail_to_files(self) -> None:
        """Write the demo's e-mail to files rather than print it: building the demo writes
        invitations to the outbox, and the worker beside the server that sends them
        would bury the logins in their raw MIME text on the console backend."""
        if settings.MAILERS["default"]["BACKEND"] != CONSOLE_BACKEND:
            return  # SMTP or files: the operator (or a test) chose where mail goes
        folder = Path(settings.PROJECT_DIR) / "var" / "demo-mail"
        # Changed for this process only, before anything is sent; the worker started by
        # _serve reads the same folder from its environment.
        os.environ["EMAIL_FILE_PATH"] = str(folder)
        settings.MAILERS = {"default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        }}
        self.stdout.write(f"E-mail of the demo is not sent: it is written to files in {folder}")

    def _serve(self, *, host: str, port: int) -> None:
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
            address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            # With the system checks this command skipped at start-up (core.commands):
            # serving is where they matter.
            call_command("runserver", address, use_reloader=False, skip_checks=False)
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
