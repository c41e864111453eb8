"""``koers demo-development``: the development room's part of the demo (``koers demo``
runs it after building the organisations and opening their cycles)."""

from typing import Any

from koers.core.commands import KoersCommand
from koers.development.demo import build_development_demo


class Command(KoersCommand):
    help = (
        "Seed the competency and development-action catalogues of the demo organisations "
        "and build the POP guide's worked example: Marc Vandamme's POP with its six-month "
        "follow-up. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = build_development_demo()
        for name in result.seeded:
            self.stdout.write(f"Catalogue seeded: {name}")
        self.stdout.write(f"The POP guide's worked example: {result.worked_example}")
        self.stdout.write(f"Training plan of the federal administration: {result.training_plan}")
