"""The evaluation report as a PDF: what the employee receives, in their language.

Rendered by WeasyPrint from ``evaluations/report_pdf.html`` with the print stylesheet
next to it, as a tagged PDF/UA-1 document (headings, tables and the document language
are in the PDF's structure, so a screen reader reads it in order). It shows the current
report version with every signature and its seal, and the earlier versions' signatures,
so a printed copy can be checked against ``koers verify-report`` years later.

Who may download it is the caller's question (``permissions.can_download_pdf``); this
module writes the HTML of what it is given. A task worker lays it out
(``evaluations/documents.py`` registers the kind with ``access/renderings.py``). The
self-evaluation appears only once submitted: until then it is the employee's private
draft.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation

from koers.access.renderings import pdf_now
from koers.core.clock import today_for
from koers.evaluations import rules
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    Objection,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.selectors import Version, evaluation_page
from koers.evaluations.states import DELIVERED_GROUP, EvaluationState, Role
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy

# The print stylesheet, a template next to the page so both are found the same way.
STYLESHEET = "evaluations/report_pdf.css"
TEMPLATE = "evaluations/report_pdf.html"


@dataclass(frozen=True)
class AdvancedNotice:
    """After onvoldoende: the day of the advanced evaluation (the evaluators' choice, moved
    to the earliest day the policy allows when it lay before it) and that earliest day."""

    on: dt.date
    earliest: dt.date


@dataclass(frozen=True)
class ReportDocument:
    """Everything the template shows, from ``selectors.evaluation_page`` (its queries)."""

    evaluation: Evaluation
    name: str  # the employee's name as it stood when signed (it is sealed)
    report: EvaluationReport  # the current version
    items: list[ReportItem]
    signatures: list[Signature]  # of the current version, in signing order
    earlier: list[Version]  # the older versions, newest first, with their signatures
    self_items: list[SelfEvaluationItem]
    self_evaluation_shown: bool  # only once submitted: until then it is private
    policy: Policy  # names the verdict (``verdict_label``)
    has_verdicts: bool  # False in a policy without verdicts (Dutch preset)
    advanced: AdvancedNotice | None
    employee_remarks: str
    objections: list[Objection]
    delivered: bool
    time_zone: str


def report_document(evaluation: Evaluation) -> ReportDocument:
    page = evaluation_page(evaluation)
    loaded = page.evaluation
    shown = loaded.self_evaluation_submitted_at is not None
    return ReportDocument(
        evaluation=loaded,
        name=loaded.person_name or loaded.person.full_name,
        report=page.report,
        items=page.items,
        signatures=page.signatures,
        earlier=page.versions[-2::-1],
        self_items=page.self_items if shown else [],
        self_evaluation_shown=shown,
        policy=page.policy,
        has_verdicts=bool(page.policy.verdicts),
        advanced=_advanced_notice(loaded, page.report),
        employee_remarks=next(
            (s.remarks for s in page.signatures if s.role == Role.EMPLOYEE and s.remarks), ""),
        objections=page.objections,
        delivered=loaded.state in DELIVERED_GROUP,
        time_zone=loaded.person.organisation.time_zone,
    )


def _advanced_notice(evaluation: Evaluation, report: EvaluationReport) -> AdvancedNotice | None:
    if report.advanced_evaluation_on is None:
        return None
    earliest = report.advanced_evaluation_earliest
    if earliest is None:
        # Not delivered yet: the earliest day counts from today, as the form offers it;
        # delivery fixes it from the day the employee takes note.
        organisation = evaluation.person.organisation
        earliest = rules.advanced_earliest(policy_for(organisation),
                                           acknowledged_on=today_for(organisation))
    return AdvancedNotice(on=max(report.advanced_evaluation_on, earliest), earliest=earliest)


def render_html(evaluation: Evaluation, *, language: str) -> str:
    """The report as HTML in ``language``, dates and times in the organisation's zone."""
    document = report_document(evaluation)
    with translation.override(language), timezone.override(ZoneInfo(document.time_zone)):
        return render_to_string(TEMPLATE, {
            "doc": document, "ev": document.evaluation, "language": language,
            "states": EvaluationState,
        })


def stylesheet() -> str:
    return render_to_string(STYLESHEET)


def report_pdf(evaluation: Evaluation, *, language: str) -> bytes:
    """The report as a tagged PDF in ``language``, laid out at once within the budget
    (``renderings.pdf_now``): for tests and the command line, never for a request."""
    return pdf_now(render_html(evaluation, language=language), stylesheet())
