"""``koers generate``: a synthetic organisation for tests and benchmarks."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from koers.core.errors import DomainError
from koers.organisation import generator
from koers.organisation.models import PolicyPreset


class Command(BaseCommand):
    help = (
        "Generate an organisation with a realistic unit tree and N people "
        "(bulk inserts, no user accounts)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="number of people")
        parser.add_argument("--org", required=True, help="name of the new organisation")
        parser.add_argument(
            "--preset", choices=PolicyPreset.values, default=PolicyPreset.FLEMISH,
            help="policy preset: names, grades and employment mix follow it",
        )
        parser.add_argument(
            "--seed", type=int, default=1,
            help="random seed; the same seed gives the same organisation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = generator.generate_organisation(
                name=options["org"], people=options["people"], preset=options["preset"],
                seed=options["seed"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"people: {result.people}, units: {result.units}, seconds: {seconds:.1f}"
        )
