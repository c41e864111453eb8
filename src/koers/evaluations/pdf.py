"""The evaluation report as a PDF: what the employee receives, in their language.

Rendered by WeasyPrint from ``evaluations/report_pdf.html`` with the print stylesheet
next to it, as a PDF/A-3b and tagged PDF/UA-1 document (headings, tables and the document language
are in the PDF's structure, so a screen reader reads it in order). It shows the current
report version with every signature and its seal, and the earlier versions' signatures,
so a printed copy can be checked against ``koers verify-report`` years later.

Once signed, the report is a legal record: it carries its reference number under the
organisation's letterhead (``organisation/records.py``), prints the employee's next step
once delivered (the signature term; the appeal term and body where they may appeal,
``rules.next_step``), and embeds what each signature sealed as a JSON attachment
(``seals.sealed_record``) in a PDF/A-3b and PDF/UA-1 document (``access/layout.py``). The
worker then signs the PDF in the organisation's name (``documents.py``,
``organisation/pades.py``).

Who may download it is the caller's question (``permissions.can_download_pdf``); this
module writes the HTML of what it is given. A task worker lays it out
(``evaluations/documents.py`` registers the kind with ``access/renderings.py``). The
self-evaluation appears only once submitted: until then it is the employee's private
draft.
"""

import base64
import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation

from koers.access.renderings import pdf_now
from koers.core import languages
from koers.core.clock import today_for
from koers.evaluations import rules, seals
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
from koers.organisation import pades, records
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.terms import terms_for

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
    letterhead: records.Letterhead
    reference: str | None  # once signed
    next_step: rules.NextStep | None  # once delivered
    attachment: str  # the sealed content as a data: URL; "" before the first signature
    # The language the version is written in, named in itself ("Français"); "" for a
    # version that does not record it.
    written_in: str
    written_in_code: str


def report_document(evaluation: Evaluation) -> ReportDocument:
    page = evaluation_page(evaluation)
    loaded = page.evaluation
    shown = loaded.self_evaluation_submitted_at is not None
    organisation = loaded.person.organisation
    page.report.evaluation = loaded  # the loaded rows, not a query (the sealed content)
    reference = page.reference
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
        time_zone=organisation.time_zone,
        letterhead=records.letterhead(organisation),
        reference=reference,
        next_step=_next_step(loaded, page.report, page.policy, page.signatures),
        attachment=_attachment(page.report, page.items, page.self_items, page.signatures,
                               organisation.name, organisation.slug, reference),
        written_in=(languages.DETAILS[languages.supported(page.report.language)].native_name
                    if page.report.language else ""),
        written_in_code=page.report.language or "",
    )


def _next_step(evaluation: Evaluation, report: EvaluationReport, policy: Policy,
               signatures: list[Signature]) -> rules.NextStep | None:
    delivered = report.delivered_at
    if delivered is None or evaluation.state not in DELIVERED_GROUP:
        return None
    return rules.next_step(
        policy, person=evaluation.person, verdict=report.verdict,
        delivered_on=rules.local_day(delivered, evaluation.person.organisation.time_zone),
        signature_due=evaluation.employee_signature_due,
        signed_by_employee=any(s.role == Role.EMPLOYEE for s in signatures))


def _attachment(report: EvaluationReport, items: list[ReportItem],
                self_items: list[SelfEvaluationItem], signatures: list[Signature],
                name: str, slug: str,
                reference: str | None) -> str:
    """The sealed content of the version's signatures, as the data: URL WeasyPrint
    attaches (``access/layout.py``); "" while nothing is signed."""
    if not signatures:
        return ""
    record = seals.sealed_record(
        report, items=items, self_items=self_items,
        signatures=signatures, organisation={"name": name, "slug": slug},
        reference=reference)
    data = json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    return "data:application/json;base64," + base64.b64encode(data).decode("ascii")


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
            "terms": terms_for(document.policy.preset),  # the regime names the roles
            "states": EvaluationState, "record_file": seals.RECORD_FILE,
        })


def stylesheet() -> str:
    return render_to_string(STYLESHEET)


def signed(pk: int, pdf: bytes, language: str) -> bytes:
    """The laid-out report signed in the organisation's name (``pades.sign``) when it
    is a delivered version, naming the signers its embedded content names; as it was
    before delivery, or without the organisation's key. The task worker's last step
    (``documents.py``)."""
    raw = pades.embedded_file(pdf, seals.RECORD_FILE)
    if raw is None:
        return pdf
    record = json.loads(raw)
    entries = record["signatures"]
    if not entries or entries[-1]["sealed"]["delivery"] is None:
        return pdf  # not delivered: not the final version
    organisation = (Evaluation.objects.select_related("person__organisation")
                    .get(pk=pk).person.organisation)
    with translation.override(language):
        signers = [pades.Signer(role=str(Role(entry["role"]).label),
                                name=entry["sealed"]["signer"]["name"],
                                signed_at=dt.datetime.fromisoformat(
                                    entry["sealed"]["signed_at"]))
                   for entry in entries]
    return pades.sign(pdf, organisation=organisation, signatures=signers)


def report_pdf(evaluation: Evaluation, *, language: str) -> bytes:
    """The report as a tagged PDF/A in ``language``, laid out at once within the budget
    (``renderings.pdf_now``) and signed as the worker signs it: for tests and the
    command line, never for a request."""
    return signed(evaluation.pk, pdf_now(render_html(evaluation, language=language),
                                         stylesheet()), language)
