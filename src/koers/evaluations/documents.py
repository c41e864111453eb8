"""The evaluation report as a kind of PDF (``access/renderings.py``): its readers ask for
it, a task worker lays it out, and its download is a read of the report, logged as the
page logs it (HR's read under a grant)."""

from django.template.defaultfilters import slugify
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access.policy import Viewer
from koers.access.renderings import Document, Kind, register
from koers.evaluations import pdf, permissions, selectors
from koers.evaluations.models import Evaluation, EvaluationReport

KIND = "evaluations.report"


def _prepare(viewer: Viewer, pk: int, language: str | None) -> Document | None:
    """The report's HTML for a reader of it; in the language the report is written in
    (the employee's) unless another is asked for; for a version that does not record
    its language, the language the employee reads Koers in."""
    evaluation = permissions.evaluation_for(viewer, pk)
    if evaluation is None or not permissions.can_download_pdf(viewer, evaluation):
        return None
    person = evaluation.person
    version, written_in = EvaluationReport.objects.filter(evaluation=evaluation) \
        .order_by("-number").values_list("number", "language").first() or (1, None)
    language = language or written_in or person.reading_language
    with translation.override(language):
        name = slugify(f"{_('evaluation')} {evaluation.person_name or person.full_name} "
                       f"{evaluation.period_end:%Y} v{version}")
    return Document(html=pdf.render_html(evaluation, language=language),
                    stylesheet=pdf.stylesheet(), language=language, file_name=f"{name}.pdf")


def _allowed(viewer: Viewer, pk: int) -> bool:
    evaluation = Evaluation.objects.select_related("person").filter(pk=pk).first()
    return evaluation is not None and permissions.can_download_pdf(viewer, evaluation)


def _read(viewer: Viewer, pk: int) -> bool:
    evaluation = permissions.evaluation_for(viewer, pk)
    return evaluation is not None and selectors.report_read(viewer, evaluation) is not None


# The worker signs a delivered report in the organisation's name (``pdf.signed``).
REPORT = register(Kind(name=KIND, title=gettext_lazy("Evaluation report"),
                       prepare=_prepare, allowed=_allowed, read=_read, finish=pdf.signed))
