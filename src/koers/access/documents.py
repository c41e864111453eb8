"""The access room's files made by the task workers (``renderings.py``).

- "My data" as a PDF: everything Koers holds about the viewer, for the viewer alone.
  Asking for it is the export, audited as such (``services.personal_data_export``) before
  the data is read, so the PDF lists its own event; a task worker lays it out.
- The security log as a CSV or XLSX table, for a security officer: its filters are
  kept with the request, and a task worker reads the log and writes the file.
"""

from collections.abc import Mapping
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access import security, services
from koers.access.models import Rendering
from koers.access.policy import Viewer
from koers.access.renderings import Document, Kind, Table, register, rendering_request, table_format
from koers.core import clock, languages
from koers.core.errors import NotFoundOrForbidden
from koers.core.tables import csv_bytes, xlsx_bytes

KIND = "access.personal_data"
TEMPLATE = "access/personal_data_pdf.html"
STYLESHEET = "access/personal_data_pdf.css"


def _own(viewer: Viewer, pk: int) -> bool:
    return viewer.person is not None and viewer.person.pk == pk


def _prepare(viewer: Viewer, pk: int, language: str | None) -> Document | None:
    if not _own(viewer, pk):
        return None
    export = services.personal_data_export(viewer=viewer,
                                           file_format=services.ExportFormat.PDF)
    language = language or languages.active()
    # The organisation's time zone, wherever the document is prepared.
    zone = ZoneInfo(export.person.organisation.time_zone)
    with translation.override(language), timezone.override(zone):
        html = render_to_string(TEMPLATE, {"export": export})
    return Document(html=html, stylesheet=render_to_string(STYLESHEET), language=language,
                    file_name=f"koers-{export.person.pk}-{export.generated_at:%Y%m%d}.pdf")


PERSONAL_DATA = register(Kind(name=KIND, title=gettext_lazy("My data"), prepare=_prepare,
                              allowed=_own, read=_own))


def personal_data_pdf_request(*, viewer: Viewer, language: str | None = None) -> Rendering:
    """Ask for the viewer's own data as a PDF (``renderings.rendering_request``); without
    a person behind the account: ``NotFoundOrForbidden``, as for a missing one."""
    if viewer.person is None:
        raise NotFoundOrForbidden(_("Your account is not linked to a person."))
    return rendering_request(viewer=viewer, kind=KIND, subject_id=viewer.person.pk,
                             language=language)


# The security log as a table ----------------------------------------------------------------

SECURITY_LOG = "access.security_log"
# The log is the viewer's own reading of it, not a record: its subject is always 0.
LOG = 0


def _reads_log(viewer: Viewer, subject_id: int) -> bool:
    return subject_id == LOG and security.can_read_security_log(viewer)


def _prepare_log(viewer: Viewer, subject_id: int, parameters: Mapping[str, str],
                 language: str | None) -> Document | None:
    if not _reads_log(viewer, subject_id):
        return None
    file_format = table_format(parameters)
    filters = security.RefusalFilter.of(parameters)
    language = language or languages.active()
    with translation.override(language):
        name = slugify(_("Security log"))
    return Document(html="", stylesheet="", language=language,
                    file_name=f"{name}-{clock.now():%Y%m%d}.{file_format}",
                    parameters={"format": file_format, **filters.as_parameters()})


def _make_log(viewer: Viewer, subject_id: int, parameters: Mapping[str, str]) -> bytes:
    header, rows = security.refusal_table(viewer, security.RefusalFilter.of(parameters))
    if parameters.get("format") == "csv":
        return csv_bytes(header, rows)
    return xlsx_bytes(_("Security log"), header, rows)


SECURITY_LOG_TABLE = register(Kind(
    name=SECURITY_LOG, title=gettext_lazy("Security log"), prepare=None, allowed=_reads_log,
    read=_reads_log, table=Table(prepare=_prepare_log, make=_make_log)))


def security_log_table_request(*, viewer: Viewer, filters: security.RefusalFilter,
                               file_format: str) -> Rendering:
    """Ask for the filtered security log as a CSV or XLSX file, made by a task worker (a
    long period is a long table); only a security officer (or a superuser) may."""
    return rendering_request(viewer=viewer, kind=SECURITY_LOG, subject_id=LOG,
                             parameters={"format": file_format, **filters.as_parameters()})
