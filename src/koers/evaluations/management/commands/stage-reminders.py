"""``koers stage-reminders``: today's reminders of the federal stages' steps, once."""

from typing import Any

from koers.core.commands import KoersCommand
from koers.evaluations.reminders import send_stage_reminders


class Command(KoersCommand):
    help = (
        "Create today's reminders and escalations of the federal stages: the next "
        "conversation of each stage, the development objectives and how the stage goes on. "
        "Safe to run as often as you like: nothing is sent twice. Run it next to "
        "`koers reminders`, which e-mails what is pending."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_stage_reminders()
        self.stdout.write(
            f"Stage reminders: organisations {run.organisations}, stages {run.stages}, "
            f"new notifications {run.notifications}, unreachable {run.unreachable}")
