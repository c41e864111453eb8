"""``koers seed-catalogue``: complete organisations' competency and action catalogues."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q

from koers.core.commands import KoersCommand
from koers.development.services.catalogue import catalogue_seed
from koers.organisation.models import Organisation


class Command(KoersCommand):
    help = (
        "Seed the competency catalogue (40 competencies in 5 clusters), the 15 development "
        "actions and the recommendation matrix of the sources into one organisation or "
        "all. Safe to run again: what exists, including HR's edits, is left as it is."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--org", help="the organisation's name (or short name)")
        which.add_argument("--all", action="store_true", help="every organisation")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            organisations = list(Organisation.objects.order_by("name"))
        else:
            name = options["org"].strip()
            organisations = list(Organisation.objects.filter(Q(name=name) | Q(slug=name)))
            if not organisations:
                raise CommandError(f"No organisation is named “{name}”.")
        for organisation in organisations:
            result = catalogue_seed(organisation=organisation)
            self.stdout.write(
                f"{organisation.name}: clusters {result.clusters}, competencies "
                f"{result.competencies}, actions {result.actions}, matrix cells {result.cells}"
            )
