"""Background tasks of the core room."""

from django.tasks import task

from koers.core import health
from koers.core.schedule import Every, periodic


@periodic("worker heartbeat", every=Every.ROUND, order=0)
@task()
def heartbeat_task() -> None:
    """Show that a worker runs tasks (``/health/ready`` reads it)."""
    health.beat()


@periodic("finished task results pruned", every=Every.DAY)
@task()
def prune_task_results_task() -> dict[str, int]:
    """Delete what the workers recorded of finished tasks once it is old: every e-mail and
    every PDF is a task, and nothing reads a result after the metrics' last day."""
    return {"deleted": health.prune_task_results()}
