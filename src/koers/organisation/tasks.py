"""Background tasks of the organisation room."""

from django.tasks import task

from koers.organisation import importing


@task()
def apply_import_task(batch_id: int) -> dict[str, int] | None:
    """Apply an uploaded import, and let the running cycles follow it (its page shows the
    phase; ``importing.import_batch_run``)."""
    report = importing.import_batch_run(batch_id)
    if report is None:
        return None
    return {"created": report.create, "updated": report.update, "unchanged": report.unchanged,
            "kept": report.kept, "errors": len(report.errors)}
