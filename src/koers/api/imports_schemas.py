"""Shapes of the import API (``api/imports.py``)."""

import datetime as dt

from ninja import Schema

from koers.api.pagination import PageOut
from koers.organisation.importing import BatchStatus, RowError
from koers.organisation.models import ImportBatch


class ImportRowErrorOut(Schema):
    """A bad cell: its line as Excel numbers it (the column names are line 1), its
    column, and what is wrong, in the language of the caller's upload."""

    line: int
    column: str
    message: str

    @classmethod
    def of(cls, error: RowError) -> "ImportRowErrorOut":
        return cls(line=error.line_number, column=error.column, message=error.message)


class ImportErrorPageOut(PageOut):
    items: list[ImportRowErrorOut]


class ImportOut(Schema):
    """An uploaded file and its dry run. ``state``: ``checked`` (every row is valid,
    nothing written: apply it), ``invalid`` (the dry run found bad rows: correct the file
    and upload it again), ``refused`` (rows went bad between the dry run and applying;
    nothing was written), ``queued``, ``writing``, ``following`` (a task worker applies
    it: the rows, then the running cycles), ``failed`` (stopped by an error: apply it
    again to go on where it stopped; ``applied_at`` says whether the rows were written)
    or ``applied``. ``create``, ``update``, ``unchanged`` and ``kept`` (hours HR
    corrected by hand, left alone) count what applying will do or did; ``bad_lines`` the
    lines with errors, listed in ``errors`` a page at a time."""

    id: int
    organisation_id: int
    kind: str
    file_name: str
    state: str
    create: int
    update: int
    unchanged: int
    kept: int
    bad_lines: int
    errors: ImportErrorPageOut
    uploaded_at: dt.datetime
    uploaded_by: str | None  # the login's e-mail address
    apply_requested_at: dt.datetime | None
    applied_at: dt.datetime | None
    applied_by: str | None
    status_url: str

    @classmethod
    def of(cls, batch: ImportBatch, status: BatchStatus, errors: ImportErrorPageOut,
           status_url: str) -> "ImportOut":
        report = status.report
        return cls(
            id=batch.pk, organisation_id=batch.organisation_id, kind=batch.kind,
            file_name=batch.file_name, state=status.state, create=report.create,
            update=report.update, unchanged=report.unchanged, kept=report.kept,
            bad_lines=report.bad_line_count, errors=errors, uploaded_at=batch.created_at,
            uploaded_by=batch.uploaded_by.email if batch.uploaded_by else None,
            apply_requested_at=batch.apply_requested_at, applied_at=batch.applied_at,
            applied_by=batch.applied_by.email if batch.applied_by else None,
            status_url=status_url)
