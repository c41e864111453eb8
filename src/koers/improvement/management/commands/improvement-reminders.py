"""``koers improvement-reminders``: today's reminders of improvement plans, once."""

from typing import Any

from koers.core.commands import KoersCommand
from koers.improvement.reminders import send_improvement_reminders


class Command(KoersCommand):
    help = (
        "Create today's reminders and escalations of improvement plans: follow-up "
        "conversations and decisions due. Safe to run as often as you like: nothing is "
        "sent twice. Run it next to `koers reminders`, which e-mails what is pending."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_improvement_reminders()
        self.stdout.write(
            f"Improvement plan reminders: organisations {run.organisations}, steps "
            f"{run.steps}, new notifications {run.notifications}, unreachable "
            f"{run.unreachable}")
