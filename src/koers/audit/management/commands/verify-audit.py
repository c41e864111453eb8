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
        "Check every audit event's hash (signed with the keys of KOERS_AUDIT_KEYS) and its "
        "link to the one before, chain by chain, and print the first broken link of each "
        "chain (altered, missing or inserted). --anchor FILE also checks that every event "
        "named by an anchor written earlier (koers audit-anchor) is unchanged."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--chain", help='one chain only, e.g. "organisation.person:42"')
        parser.add_argument("--anchor", "--against", type=Path, dest="anchor",
                            help="an anchor written earlier by koers audit-anchor")
        parser.add_argument(
            "--workers", type=int, default=min(4, os.cpu_count() or 1),
            help="processes that check ranges of chains side by side (PostgreSQL; "
                 "default: the cores, at most 4)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chain = options["chain"]
        started = time.perf_counter()
        report = services.verify(chain=chain, workers=options["workers"])
        breaks = list(report.breaks)
        if options["anchor"] is not None:
            lines = options["anchor"].read_text(encoding="utf-8").splitlines()
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
