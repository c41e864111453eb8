"""Background tasks of the cycles room (``django.tasks``; ``koers db_worker`` runs them)."""

from typing import Any

from django.tasks import task

from koers.cycles import services
from koers.cycles.models import Cycle


@task
def open_cycle_task(cycle_id: int) -> dict[str, Any]:
    """Fill a cycle opened by ``services.cycle_open``; the cycle page follows its progress.

    Returns the counts (stored with the task result by the database backend).
    """
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:  # deleted while the task waited
        return {}
    return services.cycle_fill(cycle=cycle).as_json()
