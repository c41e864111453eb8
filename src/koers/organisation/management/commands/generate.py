"""``koers generate``: a synthetic organisation for tests and benchmarks."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError, no_translations

from koers.core.commands import KoersCommand
from koers.core.errors import DomainError
from koers.organisation import generator
from koers.organisation.models import PolicyPreset


class Command(KoersCommand):
    help = (
        "Generate an organisation with a realistic unit tree and N people "
        f"({generator.MIN_PEOPLE:,} to {generator.MAX_PEOPLE:,}: the smallest tree that "
        "still has the unit depth and spans of a real one) with bulk inserts and no user "
        "accounts. Needs a migrated database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--people", type=int, required=True, metavar="N",
                            help=f"number of people, at least {generator.MIN_PEOPLE}")
        parser.add_argument("--org", required=True, help="name of the new organisation")
        parser.add_argument(
            "--preset", choices=PolicyPreset.values, default=PolicyPreset.FLEMISH,
            help="policy preset: names, grades and employment mix follow it",
        )
        parser.add_argument(
            "--seed", type=int, default=1,
            help="random seed; the same seed gives the same organisation",
        )

    # The messages of the generator are translated for the pages; here they are English
    # like every other command's.
    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        people = options["people"]
        if not generator.MIN_PEOPLE <= people <= generator.MAX_PEOPLE:
            raise CommandError(
                f"--people must be between {generator.MIN_PEOPLE} and {generator.MAX_PEOPLE}: "
                "a smaller organisation cannot have a unit tree "
                f"{generator.MIN_LEVELS} levels deep with spans of {generator.MIN_SPAN} "
                f"(got {people})"
            )
        started = time.perf_counter()
        try:
            result = generator.generate_organisation(
                name=options["org"], people=people, preset=options["preset"],
                seed=options["seed"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"people: {result.people}, units: {result.units}, seconds: {seconds:.1f}"
        )
