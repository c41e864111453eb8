"""The POP summary table as a kind of PDF (``access/renderings.py``): the plan's readers
ask for it, a task worker lays it out, and its download is the read of the plan, logged
as "Development plan (PDF)" for HR under a grant."""

from django.template.defaultfilters import slugify
from django.utils.translation import gettext_lazy

from koers.access.policy import Viewer
from koers.access.renderings import Document, Kind, register
from koers.core import languages
from koers.development import pdf, permissions, selectors
from koers.development.models import DevelopmentPlan

KIND = "development.plan"


def _prepare(viewer: Viewer, pk: int, language: str | None) -> Document | None:
    """The summary table's HTML for a reader of the plan, in the reader's language unless
    another is asked for."""
    plan = permissions.plan_for(viewer, pk)
    if plan is None:
        return None
    language = language or languages.active()
    name = slugify(f"pop-{plan.employee.full_name}-{plan.period_start:%Y}")
    return Document(html=pdf.render_html(plan, language=language), stylesheet=pdf.stylesheet(),
                    language=language, file_name=f"{name}.pdf")


def _allowed(viewer: Viewer, pk: int) -> bool:
    plan = DevelopmentPlan.objects.select_related("employee__unit", "organisation") \
        .filter(pk=pk).first()
    return plan is not None and permissions.can_view_plan(viewer, plan)


def _read(viewer: Viewer, pk: int) -> bool:
    return selectors.plan_read(viewer, pk, as_pdf=True) is not None


PLAN = register(Kind(name=KIND, title=gettext_lazy("Development plan (POP)"),
                     prepare=_prepare, allowed=_allowed, read=_read))
