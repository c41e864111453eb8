"""Background tasks of the access room: thin wrappers around its services."""

from django.tasks import task

from koers.access.retention import retention_run_all
from koers.core.schedule import Every, periodic


@periodic("retention", every=Every.DAY, order=90)
@task()
def retention_task() -> list[str]:
    """Apply every organisation's retention period (``koers scheduler`` enqueues it daily).

    Safe to run again: what was erased is gone, what was pseudonymised is skipped.
    """
    return [report.line() for report in retention_run_all()]
