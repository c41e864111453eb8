"""``koers lapse-evaluations``: record today's lapsed federal evaluations, once."""

from typing import Any

from koers.core.commands import KoersCommand
from koers.cycles.lapse import lapses_record


class Command(KoersCommand):
    help = (
        "Record the federal evaluations that lapsed: not held 3 months after the period "
        "and the person not absent, the next cycle starts without a mention. Lifts a "
        "lapse the rule no longer gives. Safe to run as often as you like; the worker "
        "runs it daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = lapses_record()
        self.stdout.write(
            f"late evaluations: cycles {run.cycles}, lapsed {run.lapsed}, "
            f"lifted {run.lifted}, without a next cycle yet {run.without_next}")
