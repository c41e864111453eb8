"""``koers audit-anchor``: write the signed heads of every audit chain, to keep outside the
database (docs/audit.md, "Anchors")."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from koers.audit import services
from koers.core.commands import KoersCommand


class Command(KoersCommand):
    help = (
        "Write an anchor of the audit trail: every chain's head (chain seq hash), signed with "
        "the current key of KOERS_AUDIT_KEYS. Keep it where the database's administrators "
        "cannot write; koers verify-audit --anchor FILE checks the trail against it later."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", type=Path,
                            help="the file to write (default: standard output)")
        parser.add_argument("--chain", help="one chain only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"] is not None and options["chain"] is None:
            chains = services.write_anchor(options["output"])
            self.stderr.write(f"anchor: {chains} chains in {options['output']}")
            return
        lines = services.anchor_lines(chain=options["chain"])
        if options["output"] is not None:
            options["output"].write_text("".join(line + "\n" for line in lines),
                                         encoding="utf-8")
            return
        for line in lines:
            self.stdout.write(line)
