"""``koers verify-audit``: recompute the audit trail's hash chains; exit 1 when one is broken."""

import os
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from koers.audit import services
from koers.core.commands import KoersCommand


class Command(KoersCommand):
    help = (
        "Check every audit event's hash and its link to the one before, chain by chain, "
        "and print the first broken link of each chain (altered, missing or inserted). "
        "--anchor prints the chain heads to keep outside the database; --against FILE "
        "checks that the events of such an earlier anchor are unchanged."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--chain", help='one chain only, e.g. "organisation.person:42"')
        parser.add_argument(
            "--anchor", action="store_true", help="print the chain heads (chain seq hash)"
        )
        parser.add_argument("--against", type=Path, help="an anchor printed earlier")
        parser.add_argument(
            "--workers", type=int, default=min(4, os.cpu_count() or 1),
            help="processes that check ranges of chains side by side (PostgreSQL; "
                 "default: the cores, at most 4)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chain = options["chain"]
        if options["anchor"]:
            for line in services.anchor_lines(chain=chain):
                self.stdout.write(line)
            return
        started = time.perf_counter()
        report = services.verify(chain=chain, workers=options["workers"])
        breaks = list(report.breaks)
        if options["against"] is not None:
            lines = options["against"].read_text(encoding="utf-8").splitlines()
            breaks += services.check_anchor(lines)
        seconds = time.perf_counter() - started
        if breaks:
            for found in breaks:
                self.stdout.write(str(found))
            self.stdout.flush()
            sys.exit(1)
        self.stdout.write(
            f"ok: {report.events} events in {report.chains} chains, seconds: {seconds:.2f}"
        )
