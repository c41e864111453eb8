"""``koers verify-report ID`` / ``--all``: recompute the seals of signed evaluation reports;
``koers verify-report FILE.pdf``: check a report's PDF, its signature and its embedded
content against the seals (``seals.pdf_problems``). Exit 1 on any mismatch."""

import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from koers.core.commands import KoersCommand
from koers.evaluations import seals
from koers.evaluations.models import Evaluation


class Command(KoersCommand):
    help = (
        "Recompute the seal of every signature of an evaluation (or of every evaluation ever "
        "signed with --all, read from the audit trail as well) from the rows as they are "
        "now, and print each mismatch: a signed version, "
        "its items, the self-evaluation or the signatures changed since they were signed. "
        "Given a report's PDF (FILE.pdf), check its PAdES signature against the "
        "organisation's configured certificate and its embedded sealed content against "
        "the seals in the database. "
        "Exits with status 1 when anything does not match."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("ids", nargs="*", metavar="ID|FILE.pdf",
                            help="evaluation ids, or PDFs of reports")
        parser.add_argument("--all", action="store_true",
                            help="every evaluation that was ever signed: those that carry a "
                                 "signature, and those the audit trail records as signed "
                                 "(a deleted signature or evaluation is a mismatch)")

    def handle(self, *args: Any, **options: Any) -> None:
        given: list[str] = options["ids"]
        if bool(given) == bool(options["all"]):
            raise CommandError("give one or more evaluation ids or PDFs, or --all")
        files = [Path(name) for name in given if not name.isdigit()]
        if files:
            self._check_files(files)
            return
        ids = [int(name) for name in given]
        started = time.perf_counter()
        checked, broken = 0, 0
        if options["all"]:
            results = seals.verify_all()
        else:
            results = ((pk, seals.verify(Evaluation(pk=pk))) for pk in ids)
        for pk, problems in results:
            checked += 1
            if problems:
                broken += 1
                for problem in problems:
                    self.stdout.write(f"evaluation {pk}: {problem}")
        seconds = time.perf_counter() - started
        if broken:
            self.stdout.write(f"mismatch: {broken} of {checked} evaluations")
            self.stdout.flush()
            sys.exit(1)
        self.stdout.write(f"ok: {checked} evaluations, seconds: {seconds:.2f}")

    def _check_files(self, files: list[Path]) -> None:
        broken = 0
        for path in files:
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"cannot read {path}: {error.strerror}") from None
            problems = seals.pdf_problems(content)
            if problems:
                broken += 1
            for problem in problems:
                self.stdout.write(f"{path}: {problem}")
        if broken:
            self.stdout.write(f"mismatch: {broken} of {len(files)} PDFs")
            self.stdout.flush()
            sys.exit(1)
        self.stdout.write(f"ok: {len(files)} PDFs")
