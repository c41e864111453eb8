"""``koers demo-consequences``: the bodies, an appeal and an objection in the demo.

``koers demo`` calls it by name after ``demo-evaluations`` (the organisation room may not
import this one); on its own it builds what is missing, idempotently.
"""

from typing import Any

from koers.consequences.demo import build_consequences_demo
from koers.core.commands import KoersCommand


class Command(KoersCommand):
    help = (
        "Give people of the demo organisations a seat on the management body, the appeal "
        "board and the advisory body, and leave an appeal and an objection in the Flemish "
        "demo (run `koers demo-evaluations` first). An organisation whose bodies have "
        "members is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = build_consequences_demo()
        for name in result.existing:
            self.stdout.write(f"Bodies already there, left as they are: {name}")
        if not result.built:
            return
        width = max(len(case.login) for case in result.built)
        self.stdout.write("Appeals, salary decisions and objections (password for all: demo)")
        for case in result.built:
            self.stdout.write(f"  {case.organisation}: {case.login.ljust(width)}  {case.what}")
