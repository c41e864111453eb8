"""Imports a task worker would apply (``organisation.tasks.apply_import_task``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from koers.organisation import importing
from koers.organisation.models import ImportBatch, ImportPhase

PEOPLE_HEADER = "employee_number;first_name;last_name;email;unit_code;start_date;employment_status"


def people_file(*rows: str, name: str = "people.csv") -> SimpleUploadedFile:
    """A people import file (CSV, semicolons) with ``rows`` under the header."""
    return SimpleUploadedFile(name, "\r\n".join([PEOPLE_HEADER, *rows]).encode(),
                              content_type="text/csv")


def person_row(number: str, start: str = "01/09/2019", unit: str = "HR") -> str:
    return f"{number};First {number};Last {number};{number.lower()}@example.test;{unit};" \
           f"{start};statutory"


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
