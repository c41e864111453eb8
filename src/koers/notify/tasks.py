"""Background tasks of the notify room: thin wrappers around its services."""

from typing import Any

from django.tasks import task

from koers.core.schedule import Every, periodic
from koers.notify import services


@periodic("e-mail delivery", every=Every.ROUND, order=90)
@task()
def deliver_emails_task() -> dict[str, Any]:
    """E-mail the notifications not yet e-mailed and send the outbox (safe to run on
    several workers at once)."""
    delivery = services.deliver_emails()
    return {
        "emails": delivery.emails,
        "notifications": delivery.notifications,
        "skipped": delivery.skipped,
        "failed": delivery.failed,
    }
