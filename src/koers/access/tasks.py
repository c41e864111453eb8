"""Background tasks of the access room: thin wrappers around its services."""

from django.tasks import task

from koers.access import renderings
from koers.access.retention import retention_run_all
from koers.core.schedule import Every, periodic


@periodic("retention", every=Every.DAY, order=90)
@task()
def retention_task() -> list[str]:
    """Apply every organisation's retention period (``koers scheduler`` enqueues it daily).

    Safe to run again: what was erased is gone, what was pseudonymised is skipped.
    """
    return [report.line() for report in retention_run_all()]


@task()
def render_task(rendering_id: int) -> str:
    """Lay out a requested PDF within its budget (``renderings.rendering_run``); enqueued
    when the request is committed. Returns the rendering's state."""
    return renderings.rendering_run(rendering_id)


@periodic("expired renderings", every=Every.ROUND, order=80)
@task()
def renderings_purge_task() -> int:
    """Delete the PDFs past their expiry (``renderings.renderings_purge``); how many.

    Safe to run again: what was deleted is gone."""
    return renderings.renderings_purge()
