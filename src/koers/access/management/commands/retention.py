"""``koers retention``: erase or pseudonymise personal data older than the retention period."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q

from koers.access.retention import retention_run
from koers.core.commands import KoersCommand
from koers.organisation.models import Organisation


class Command(KoersCommand):
    help = (
        "Apply each organisation's retention period (the policy setting retention_years): "
        "pseudonymise the people who left before it and erase their content and every "
        "record that ended before it, keeping the audit trail valid. --dry-run counts "
        "and changes nothing. Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--org", help="one organisation (name or short name); default all")
        parser.add_argument("--dry-run", action="store_true",
                            help="count what would be erased; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("name")
        if options["org"]:
            name = options["org"].strip()
            organisations = organisations.filter(Q(name=name) | Q(slug=name))
            if not organisations.exists():
                raise CommandError(f"No organisation is named “{name}”.")
        started = time.perf_counter()
        for organisation in organisations:
            report = retention_run(organisation=organisation, dry_run=options["dry_run"])
            self.stdout.write(report.line())
        self.stdout.write(f"seconds: {time.perf_counter() - started:.1f}")
