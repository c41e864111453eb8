"""``koers demo-evaluations``: evaluations in every state in the demo organisations.

``koers demo`` calls it by name after opening today's cycles (the organisation room may
not import this one); on its own it builds what is missing, idempotently.
"""

from itertools import groupby
from typing import Any

from koers.core.commands import KoersCommand
from koers.evaluations.demo import build_evaluation_demo


class Command(KoersCommand):
    help = (
        "Build evaluations in every state of the machine in the demo organisations (run "
        "`koers demo` first). An organisation that has evaluations is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = build_evaluation_demo()
        for name in result.existing:
            self.stdout.write(f"Evaluations already there, left as they are: {name}")
        if not result.built:
            return
        width = max(len(e.employee) for e in result.built)
        state_width = max(len(e.state) for e in result.built)
        self.stdout.write("Evaluations in the demo (log in as the employee or their "
                          "evaluators; password for all: demo)")
        for organisation, built in groupby(result.built, key=lambda e: e.organisation):
            self.stdout.write(f"  {organisation}")
            for e in built:
                self.stdout.write(f"    {e.employee.ljust(width)}  {e.state.ljust(state_width)}"
                                  f"  {e.story}")
