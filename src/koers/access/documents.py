""""My data" as a kind of PDF (``renderings.py``): everything Koers holds about the
viewer, for the viewer alone. Asking for it is the export, audited as such
(``services.personal_data_export``) before the data is read, so the PDF lists its own
event; a task worker lays it out."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access import services
from koers.access.models import Rendering
from koers.access.policy import Viewer
from koers.access.renderings import Document, Kind, register, rendering_request
from koers.core import languages
from koers.core.errors import NotFoundOrForbidden

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
    with translation.override(language):
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
