"""Imports a task worker would apply (``organisation.tasks.apply_import_task``)."""

from koers.organisation import importing
from koers.organisation.models import ImportBatch, ImportPhase


def queued() -> list[int]:
    return list(ImportBatch.objects.filter(apply_phase=ImportPhase.QUEUED)
                .order_by("pk").values_list("pk", flat=True))


def work_off() -> list[int | None]:
    """Apply every queued import, as the task does in a worker; the rows created each
    (None where the rows had been written before)."""
    created = []
    for pk in queued():
        applied_before = ImportBatch.objects.get(pk=pk).applied_at is not None
        report = importing.import_batch_run(pk)
        created.append(None if applied_before or report is None else report.create)
    return created
