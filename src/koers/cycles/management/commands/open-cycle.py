"""``koers open-cycle``: open the cycle of a year and fill it now, without the task worker."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q

from koers.core.commands import KoersCommand
from koers.core.errors import DomainError
from koers.cycles import selectors, services
from koers.cycles.models import Cycle
from koers.organisation.models import Organisation


class Command(KoersCommand):
    help = (
        "Open the cycle of a year for an organisation and create every participation now. "
        "Safe to run again: a second run changes nothing, and a run after an interrupted "
        "opening finishes it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's name (or short name)")
        parser.add_argument(
            "--year", type=int, help="the cycle's year (default: the cycle running today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["org"].strip()
        organisation = Organisation.objects.filter(Q(name=name) | Q(slug=name)).first()
        if organisation is None:
            raise CommandError(f"No organisation is named “{name}”.")
        year = options["year"] or selectors.current_year(organisation)
        started = time.perf_counter()
        try:
            cycle = Cycle.objects.filter(organisation=organisation, year=year).first()
            if cycle is None:
                cycle = services.cycle_open(
                    organisation=organisation, year=year, actor=None, background=False
                )
            counts = services.cycle_fill(cycle=cycle)
        except DomainError as error:
            raise CommandError(error.message) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"participations: {counts.participations}, exempt: {counts.exempt}, "
            f"seconds: {seconds:.1f}"
        )
