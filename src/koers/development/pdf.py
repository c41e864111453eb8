"""The POP summary table as a PDF, laid out like the POP guide's Bijlage 3 (and filled in
like its Bijlage 4): the employee's name and unit, the nine columns, the codes of the
sources and priorities as footnotes, and under the table, per conversation (the
planning conversation, then each follow-up), the date and the participants' name, role
and signature.

Rendered by WeasyPrint from ``development/pop_pdf.html`` with the print stylesheet next
to it, landscape A4, as a PDF/A-3b and tagged PDF/UA-1 document (headings, the table's headers and
the document language are in the PDF's structure). It shows the plan's rows as they are
now and the signatures with their seals; a round still open says so. Who may download it
is the caller's question (``permissions.can_view_plan``); this module renders what it is
given. Once signed it carries its reference number under the organisation's letterhead
(``organisation/records.py``).
"""

from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation

from koers.access.renderings import pdf_now
from koers.core import languages
from koers.development.content import signed_language
from koers.development.models import DevelopmentPlan
from koers.development.rules import Priority, Source
from koers.development.selectors import plan_with_rows
from koers.development.summary import summary
from koers.organisation import records

TEMPLATE = "development/pop_pdf.html"
STYLESHEET = "development/pop_pdf.css"


def render_html(plan: DevelopmentPlan, *, language: str) -> str:
    """The summary table as HTML in ``language`` (the plan read in a fixed number of
    queries), dates in the organisation's time zone."""
    full = plan_with_rows(plan.pk)
    organisation = full.organisation
    signed_in = signed_language(full)
    table = summary(full)
    with translation.override(language), timezone.override(ZoneInfo(organisation.time_zone)):
        return render_to_string(TEMPLATE, {
            "plan": full, "table": table, "language": language,
            "employee": full.employee, "sources": Source.choices,
            "priorities": Priority.choices,
            "letterhead": records.letterhead(organisation),
            "reference": table.reference,
            # A plan signed in another language prints as a marked translation: the
            # headings and the catalogue's names in ``language``, the words people wrote
            # as they wrote them, and a statement that the signed plan is the other one.
            "signed_in": (languages.DETAILS[languages.supported(signed_in)].native_name
                          if signed_in else ""),
            "signed_in_code": signed_in or "",
        })


def stylesheet() -> str:
    return render_to_string(STYLESHEET)


def pop_pdf(plan: DevelopmentPlan, *, language: str) -> bytes:
    """The plan's summary table as a tagged PDF in ``language``, laid out at once within
    the budget (``renderings.pdf_now``): for tests and the command line, never for a
    request."""
    return pdf_now(render_html(plan, language=language), stylesheet())
