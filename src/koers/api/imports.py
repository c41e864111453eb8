"""The API of HR's imports (``access/imports.py``, as the import page): upload a CSV or
XLSX file and get its dry run, read a stored upload's report a page of errors at a
time, ask a task worker to apply it, and download the example files.

Only HR of an organisation's top unit (and a superuser) imports; anyone else gets the
same 404 as for a missing upload.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile

from koers.access import imports
from koers.api.common_schemas import Problem
from koers.api.imports_schemas import ImportErrorPageOut, ImportOut, ImportRowErrorOut
from koers.api.lookups import viewer_of
from koers.api.pagination import DEFAULT_PAGE_SIZE, PageIn, page_of_list
from koers.organisation import importing
from koers.organisation.models import ImportBatch

router = Router(tags=["imports"])
# The errors an upload and an application answer with; the rest are GET /imports/{id}'s.
FIRST_PAGE = PageIn(page=1, page_size=DEFAULT_PAGE_SIZE)


def _out(request: HttpRequest, batch: ImportBatch, paging: PageIn) -> ImportOut:
    status = importing.batch_status(batch)
    rows, page = page_of_list(request, status.report.errors, paging)
    url = request.build_absolute_uri(reverse("api:import_detail", args=[batch.pk]))
    return ImportOut.of(batch, status, ImportErrorPageOut(
        items=[ImportRowErrorOut.of(error) for error in rows], **page), url)


@router.post("/imports", response={201: ImportOut, 422: Problem},
             summary="Upload a CSV or XLSX file of units, people, hours worked or absences "
                     "(multipart/form-data) and get its dry run; nothing changes yet")
def import_create(request: HttpRequest, response: HttpResponse, file: File[UploadedFile],
                  kind: Form[str], organisation_id: Form[int | None] = None
                  ) -> Status[ImportOut]:
    """``kind``: ``units``, ``people``, ``effective_work`` or ``absences`` (the columns of
    each are in its example file, ``GET /imports/templates/{kind}``). ``organisation_id``
    may be left out by HR of one organisation. A file that cannot be read at all
    (format, size, column names) is refused with 422 and not stored; one with bad rows
    is stored with its errors (``state`` ``invalid``) and cannot be applied."""
    batch = imports.import_upload(
        viewer=viewer_of(request), kind=kind, file_name=file.name or "",
        content=importing.upload_content(file), organisation_id=organisation_id)
    out = _out(request, batch, FIRST_PAGE)
    response["Location"] = out.status_url
    return Status(201, out)


@router.get("/imports/{import_id}", response=ImportOut,
            summary="An uploaded file: its state, what applying it does or did, and its "
                    "errors a page at a time")
def import_detail(request: HttpRequest, import_id: int, paging: Query[PageIn]) -> ImportOut:
    return _out(request, imports.import_batch_for(viewer_of(request), import_id), paging)


@router.post("/imports/{import_id}/apply", response={202: ImportOut, 422: Problem},
             summary="Apply a checked file: a task worker writes its rows, then brings the "
                     "running cycles up to date; follow it at status_url")
def import_apply(request: HttpRequest, response: HttpResponse,
                 import_id: int) -> Status[ImportOut]:
    """Asked again while it is under way, it changes nothing; a file already imported,
    or one with bad rows, is refused with 422. One that ``failed`` goes on where it
    stopped."""
    batch = imports.import_apply(viewer=viewer_of(request), pk=import_id)
    out = _out(request, batch, FIRST_PAGE)
    response["Location"] = out.status_url
    return Status(202, out)


@router.get("/imports/templates/{kind}", response={422: Problem},
            summary="The example file of a kind: the column names and rows that import "
                    "as they are",
            openapi_extra={"responses": {200: {
                "description": "A CSV file (UTF-8 with a byte-order mark, semicolons)",
                "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    file_name, text = imports.import_template(viewer=viewer_of(request), kind=kind)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
