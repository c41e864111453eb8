"""Background tasks of the core room."""

from django.tasks import task

from koers.core import health
from koers.core.schedule import Every, periodic


@periodic("worker heartbeat", every=Every.ROUND, order=0)
@task()
def heartbeat_task() -> None:
    """Show that a worker runs tasks (``/health/ready`` reads it)."""
    health.beat()
