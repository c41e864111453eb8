"""``koers evaluator-lines``: check the read model of evaluator lines, or write it again."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError, no_translations

from koers.core.clock import today_for
from koers.core.commands import KoersCommand
from koers.organisation import evaluators
from koers.organisation.models import Organisation, Person


class Command(KoersCommand):
    help = (
        "Compare each person's stored evaluator line (who is their 1st and 2nd evaluator, "
        "per period) with the line derived from the unit tree and the overrides "
        "(--check, the default; exits 1 on a difference), or write the stored lines again "
        "where they differ (--rebuild)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--check", action="store_true", help="compare (the default)")
        action.add_argument("--rebuild", action="store_true",
                            help="write the lines that differ, then compare")
        parser.add_argument("--org", help="only the organisation with this slug")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["org"]:
            organisations = organisations.filter(slug=options["org"])
            if not organisations.exists():
                raise CommandError(f"no organisation with slug {options['org']!r}")
        wrong = 0
        for organisation in organisations:
            started = time.perf_counter()
            if options["rebuild"]:
                written = evaluators.refresh_lines(Person.objects.filter(
                    organisation=organisation))
                self.stdout.write(f"{organisation.slug}: rewrote the lines of {written} people")
            check = evaluators.check_lines(organisation, on=today_for(organisation))
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"{organisation.slug}: {check.people} people, {len(check.wrong)} lines differ "
                f"({seconds:.1f} s)"
                + (f"; first: {check.wrong[:10]}" if check.wrong else "")
            )
            wrong += len(check.wrong)
        if wrong:
            raise CommandError(f"{wrong} stored lines differ from the derived ones; "
                               "run `koers evaluator-lines --rebuild`")
