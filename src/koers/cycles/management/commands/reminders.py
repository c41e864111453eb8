"""``koers reminders``: today's reminders, then the pending e-mails, once (cron, timers)."""

from typing import Any

from koers.core.commands import KoersCommand
from koers.cycles.reminders import send_reminders
from koers.notify.services import deliver_emails


class Command(KoersCommand):
    help = (
        "Create today's reminders for every open cycle and e-mail the pending "
        "notifications, once. Safe to run as often as you like: nothing is sent twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_reminders()
        self.stdout.write(
            f"reminders: cycles {run.cycles}, participations {run.participations}, "
            f"new notifications {run.notifications}, unreachable {run.unreachable}"
        )
        delivery = deliver_emails()
        self.stdout.write(
            f"e-mail: sent {delivery.emails} e-mails with {delivery.notifications} "
            f"notifications, skipped {delivery.skipped}, "
            f"failed {delivery.failed} (tried again later)"
        )
