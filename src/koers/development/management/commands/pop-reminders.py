"""``koers pop-reminders``: today's reminders of POP follow-ups, once (cron, timers)."""

from typing import Any

from koers.core.commands import KoersCommand
from koers.development.reminders import send_follow_up_reminders


class Command(KoersCommand):
    help = (
        "Create today's reminders of development plans due for a follow-up conversation. "
        "Safe to run as often as you like: nothing is sent twice. Run it next to "
        "`koers reminders`, which e-mails what is pending."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_follow_up_reminders()
        self.stdout.write(
            f"POP follow-up reminders: organisations {run.organisations}, plans {run.plans}, "
            f"new notifications {run.notifications}, unreachable {run.unreachable}"
        )
