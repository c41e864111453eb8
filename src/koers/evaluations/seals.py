"""Seals: the SHA-256 of exactly what a signer signed, and the check that it still holds.

``canonical`` serialises one report version as the signer saw it — sorted-key compact
JSON in UTF-8 (``audit.services.canonical``: dates and times in ISO 8601, times in UTC)
— and ``seal`` hashes it. A signature stores the seal; ``verify`` recomputes every seal
of an evaluation from the rows as they are now and reports each mismatch in words
(``koers verify-report``).

What is sealed: the evaluation (id, kind), the person (id, and the name as it stood),
the period, whether the written procedure was used, the version (number, reason for the
correction, overall, verdict, the items with their goal titles, the chosen day of an
advanced evaluation, and the language it is written in — under the key ``language``, only
for versions that record it: versions opened before Koers recorded it were sealed
without it), the self-evaluation if it was submitted when the signature was
given (``Signature.with_self_evaluation``; else ``null``), the draft remarks of the
written procedure, the seals of the earlier signatures on this version (so a later seal
also vouches for the earlier ones), and the signature itself (role, signer id and name,
moment, remarks). The signature that delivers the version (the last evaluator's) and the
employee's after it also seal the delivery moment and the advanced evaluation's earliest
and final day: they are fixed in the same transaction as the delivering signature,
before it is sealed. Which signatures those are follows from their order, not from their
times, so two signatures in the same instant are told apart.

Everything sealed is written once: the services refuse to change it, and on PostgreSQL
and SQLite database triggers refuse it too (migrations 0003, 0005 and 0007). Whatever
gets past them — someone with the database's owner rights — is what ``verify`` finds.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Count, Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.audit.models import AuditEvent
from koers.audit.services import canonical as canonical_json
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.states import (
    DELIVERED_GROUP,
    EvaluationState,
    Role,
    role_label,
    state_label,
)
from koers.organisation import pades
from koers.organisation.models import Person
from koers.rulebook.terms import Terms, terms_for

# Signatures on a version come in this order (the 2nd only where the policy has one).
SIGNING_ORDER = (Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR, Role.EMPLOYEE)


def _items(items: Sequence[ReportItem | SelfEvaluationItem]) -> list[dict[str, Any]]:
    return [
        {"position": item.position, "goal": item.goal_title, "text": item.text}
        for item in sorted(items, key=lambda item: item.position)
    ]


def _data(
    report: EvaluationReport,
    *,
    items: Sequence[ReportItem],
    self_items: Sequence[SelfEvaluationItem],
    earlier: Sequence[str],
    role: str,
    signer_id: int,
    signer_name: str,
    signed_at: dt.datetime,
    remarks: str,
    with_self_evaluation: bool,
    delivered: bool,
) -> dict[str, Any]:
    evaluation = report.evaluation
    self_evaluation = None
    if with_self_evaluation:
        self_evaluation = {
            "overall": evaluation.self_evaluation,
            "items": _items(self_items),
            "submitted_at": evaluation.self_evaluation_submitted_at,
        }
    draft = None
    if evaluation.written_procedure:
        draft = {
            "sent_on": evaluation.draft_sent_on,
            "verdict": evaluation.draft_verdict,
            "remarks": evaluation.draft_remarks,
            "remarks_on": evaluation.draft_remarks_on,
        }
    delivery = None
    if delivered:
        delivery = {
            "delivered_at": report.delivered_at,
            "advanced_evaluation_earliest": report.advanced_evaluation_earliest,
            "advanced_evaluation_day": report.advanced_evaluation_day,
        }
    data: dict[str, Any] = {
        "evaluation": evaluation.pk,
        "kind": evaluation.kind,
        "person": {"id": evaluation.person_id, "name": evaluation.person_name},
        "period": [evaluation.period_start, evaluation.period_end],
        "written_procedure": evaluation.written_procedure,
        "version": report.number,
        "correction_reason": report.correction_reason,
        "overall": report.overall,
        "verdict": report.verdict,
        "items": _items(items),
        "advanced_evaluation_on": report.advanced_evaluation_on,
        "delivery": delivery,
        "self_evaluation": self_evaluation,
        "draft": draft,
        "earlier_seals": list(earlier),
        "role": str(role),
        "signer": {"id": signer_id, "name": signer_name},
        "signed_at": signed_at,
        "remarks": remarks,
    }
    # Only versions that record their language seal it: a version opened before Koers
    # recorded it was sealed without the key, and its seals must keep holding.
    if report.language:
        data["language"] = report.language
    return data


def canonical(
    report: EvaluationReport,
    *,
    role: str,
    signer: Person,
    signed_at: dt.datetime,
    remarks: str = "",
    signer_name: str | None = None,
    earlier: Sequence[str] | None = None,
    with_self_evaluation: bool | None = None,
    delivered: bool | None = None,
) -> bytes:
    """The bytes a signature on ``report`` seals, read from the database now.

    The defaults describe a new signature: ``earlier``, the seals of the signatures
    before this one on the version (every signature it has now); ``signer_name``, the
    signer's name now; ``with_self_evaluation``, whether the self-evaluation has been
    submitted; ``delivered``, whether the version has been delivered (the delivering
    signature and the employee's seal the delivery).
    """
    if earlier is None:
        earlier = list(report.signatures.order_by("pk").values_list("seal", flat=True))
    evaluation = report.evaluation
    if with_self_evaluation is None:
        with_self_evaluation = evaluation.self_evaluation_submitted_at is not None
    if delivered is None:
        delivered = report.delivered_at is not None
    return canonical_json(_data(
        report,
        items=list(report.items.all()),
        self_items=list(evaluation.self_items.all()),
        earlier=earlier,
        role=role,
        signer_id=signer.pk,
        signer_name=signer.full_name if signer_name is None else signer_name,
        signed_at=signed_at,
        remarks=remarks,
        with_self_evaluation=with_self_evaluation,
        delivered=delivered,
    ))


def seal(
    report: EvaluationReport,
    *,
    role: str,
    signer: Person,
    signed_at: dt.datetime,
    remarks: str = "",
    signer_name: str | None = None,
    earlier: Sequence[str] | None = None,
    with_self_evaluation: bool | None = None,
    delivered: bool | None = None,
) -> str:
    """The SHA-256 (hex) of ``canonical``: what a ``Signature`` stores."""
    return hashlib.sha256(canonical(
        report, role=role, signer=signer, signed_at=signed_at, remarks=remarks,
        signer_name=signer_name, earlier=earlier, with_self_evaluation=with_self_evaluation,
        delivered=delivered,
    )).hexdigest()


# Verifying ------------------------------------------------------------------------------


def _loaded(queryset: Any) -> Any:
    # The person's organisation names the roles and the state in its regime's words.
    return queryset.select_related("person__organisation").prefetch_related(
        Prefetch("reports", queryset=EvaluationReport.objects.order_by("number")),
        Prefetch("reports__items", queryset=ReportItem.objects.order_by("position")),
        Prefetch("reports__signatures", queryset=Signature.objects.order_by("pk")),
        Prefetch("self_items", queryset=SelfEvaluationItem.objects.order_by("position")),
    )


def verify(evaluation: Evaluation) -> list[str]:
    """Every mismatch between the evaluation's signatures and its rows, in words
    (empty: every seal holds). Five queries, however many versions and signatures."""
    loaded = _loaded(Evaluation.objects.filter(pk=evaluation.pk)).first()
    if loaded is None:
        return [_("Evaluation %(id)s does not exist.") % {"id": evaluation.pk}]
    return _verify(loaded)


# The audit events of a signature (``services._record``: "evaluation.sign_<role>").
SIGN_ACTIONS = ("evaluation.sign_first", "evaluation.sign_second", "evaluation.sign_employee")


def signed_in_audit_trail() -> dict[int, int]:
    """Evaluation id → the number of signatures its audit trail records, for every
    evaluation that was ever signed, apart from those retention erased (retention empties
    the content of every event of an erased record, and ``koers verify-audit`` checks that
    each emptied event was emptied by an erasure run). One query."""
    return {
        int(target_id): n
        for target_id, n in AuditEvent.objects.filter(
            target_type=Evaluation._meta.label_lower, action__in=SIGN_ACTIONS,
            changes_redacted_in="")
        .values("target_id").annotate(n=Count("pk")).order_by()
        .values_list("target_id", "n")
    }


def verify_all(*, chunk: int = 500) -> Iterator[tuple[int, list[str]]]:
    """``(evaluation id, mismatches)`` for every evaluation that was ever signed, in id
    order, ``chunk`` evaluations per round of queries: those that carry a signature, and
    those the audit trail says were signed, so a signature, a version or a whole
    evaluation deleted behind Koers' back is found too (with ``verify``'s checks, whether
    every signature the trail records is still there)."""
    recorded = signed_in_audit_trail()
    ids = sorted(set(recorded) | set(
        Evaluation.objects.filter(reports__signatures__isnull=False)
        .values_list("pk", flat=True).distinct()))
    for start in range(0, len(ids), chunk):
        batch = ids[start:start + chunk]
        loaded = {evaluation.pk: evaluation
                  for evaluation in _loaded(Evaluation.objects.filter(pk__in=batch))}
        for pk in batch:
            evaluation = loaded.get(pk)
            if evaluation is None:
                yield pk, [_("Evaluation %(id)s was signed (its audit trail says so) but is "
                             "gone, and no retention run erased it.") % {"id": pk}]
                continue
            problems = _verify(evaluation)
            kept = sum(len(report.signatures.all()) for report in evaluation.reports.all())
            if kept < recorded.get(pk, 0):
                problems.append(_(
                    "The audit trail records %(recorded)d signatures of this evaluation; "
                    "%(kept)d remain.") % {"recorded": recorded[pk], "kept": kept})
            yield pk, problems


def signed_bytes(signature: Signature) -> bytes:
    """What ``signature`` sealed, rebuilt from the rows as they are now (its SHA-256 is
    ``signature.seal`` as long as nothing changed)."""
    report = signature.report
    signatures = list(report.signatures.order_by("pk"))
    index = next(i for i, s in enumerate(signatures) if s.pk == signature.pk)
    return canonical_json(_data(
        report, items=list(report.items.all()),
        self_items=list(report.evaluation.self_items.all()),
        earlier=[s.seal for s in signatures[:index]], role=signature.role,
        signer_id=signature.signer_id, signer_name=signature.signer_name,
        signed_at=signature.signed_at, remarks=signature.remarks,
        with_self_evaluation=signature.with_self_evaluation,
        delivered=_delivered(report, signatures, index),
    ))


def _delivered(report: EvaluationReport, signatures: Sequence[Signature], index: int) -> bool:
    """Did the signature at ``index`` deliver the version, or follow its delivery? The
    delivering signature is the last evaluator's; only the employee's comes after it."""
    return report.delivered_at is not None and not any(
        later.role != Role.EMPLOYEE for later in signatures[index + 1:])


def _when(moment: dt.datetime) -> str:
    return date_format(moment, "j F Y H:i:s")


def _terms(evaluation: Evaluation) -> Terms:
    """The words of the evaluated person's regime (``rulebook.terms``), which name the
    signers and the state in a mismatch ("the signature of the manager" in a Dutch
    municipality); the organisation is read with the evaluation (``_loaded``)."""
    return terms_for(evaluation.person.organisation.policy_preset)


def _verify(evaluation: Evaluation) -> list[str]:
    problems: list[str] = []
    terms = _terms(evaluation)
    reports: list[EvaluationReport] = list(evaluation.reports.all())
    self_items = list(evaluation.self_items.all())
    for report in reports:
        report.evaluation = evaluation  # the prefetched rows, not a query per version
        items = list(report.items.all())
        signatures: list[Signature] = list(report.signatures.all())
        for index, signature in enumerate(signatures):
            delivered = _delivered(report, signatures, index)
            expected = hashlib.sha256(canonical_json(_data(
                report, items=items, self_items=self_items,
                earlier=[s.seal for s in signatures[:index]], role=signature.role,
                signer_id=signature.signer_id, signer_name=signature.signer_name,
                signed_at=signature.signed_at, remarks=signature.remarks,
                with_self_evaluation=signature.with_self_evaluation, delivered=delivered,
            ))).hexdigest()
            if expected != signature.seal:
                problems.append(
                    _("Version %(number)s, signature of the %(role)s (%(name)s, %(when)s): "
                      "what was signed has changed since (the seal does not match).") % {
                        "number": report.number, "role": role_label(signature.role, terms),
                        "name": signature.signer_name, "when": _when(signature.signed_at)})
        roles = [signature.role for signature in signatures]
        if roles != [role for role in SIGNING_ORDER if role in roles]:
            problems.append(_("Version %(number)s: the signatures are not in the order of the "
                              "signing chain.") % {"number": report.number})
    problems += _structure(evaluation, reports, terms)
    return problems


def _structure(evaluation: Evaluation, reports: list[EvaluationReport],
               terms: Terms) -> list[str]:
    """What the state says must have been signed, and the versions' numbering."""
    problems = []
    state_name = state_label(evaluation.state, terms)
    numbers = [report.number for report in reports]
    if numbers != list(range(1, len(reports) + 1)):
        problems.append(_("The report versions are not numbered 1, 2, 3, …: a version is "
                          "missing."))
    if not reports:
        return problems
    current = reports[-1]
    current_roles = {signature.role for signature in current.signatures.all()}
    for report in reports[:-1]:
        if not report.signatures.all():
            problems.append(_("Version %(number)s was corrected without having been signed.")
                            % {"number": report.number})
    state = evaluation.state
    needs: set[str] = set()
    if state == EvaluationState.FIRST_SIGNED:
        needs = {Role.FIRST_EVALUATOR}
    elif state in DELIVERED_GROUP:
        needs = {Role.FIRST_EVALUATOR}
        if current.delivered_at is None:
            problems.append(_("The evaluation is %(state)s, but its current version was never "
                              "delivered.") % {"state": state_name})
    if state == EvaluationState.COMPLETED:
        needs.add(Role.EMPLOYEE)
    for role in sorted(needs - current_roles):
        problems.append(_("The evaluation is %(state)s, but the signature of the %(role)s on "
                          "version %(number)s is missing.") % {
            "state": state_name, "role": role_label(role, terms),
            "number": current.number})
    if state not in DELIVERED_GROUP and current.delivered_at is not None:
        problems.append(_("The evaluation is %(state)s, but its current version is marked as "
                          "delivered.") % {"state": state_name})
    if state in (EvaluationState.DRAFT, EvaluationState.DRAFT_SENT) and current_roles:
        problems.append(_("The evaluation is %(state)s, but its current version carries a "
                          "signature.") % {"state": state_name})
    return problems


# The sealed content, embedded in the report's PDF -----------------------------------------

# The format of the JSON attached to a report's PDF (``sealed_record``).
RECORD_FORMAT = "koers-report-1"
RECORD_FILE = "koers-report.json"


def sealed_record(report: EvaluationReport, *, items: Sequence[ReportItem],
                  self_items: Sequence[SelfEvaluationItem],
                  signatures: Sequence[Signature], organisation: dict[str, str],
                  reference: str | None) -> dict[str, Any]:
    """What the report's PDF carries as a machine-readable attachment: each signature
    of the version with its seal and exactly what it sealed (the JSON whose canonical
    form ``canonical`` hashes to the seal), under the record's reference number. Anyone
    can recompute each seal from it; ``record_problems`` compares it with the database.
    Read from the rows given, without a query."""
    ordered = sorted(signatures, key=lambda signature: signature.pk)
    sealed = []
    for index, signature in enumerate(ordered):
        data = _data(
            report, items=items, self_items=self_items,
            earlier=[s.seal for s in ordered[:index]], role=signature.role,
            signer_id=signature.signer_id, signer_name=signature.signer_name,
            signed_at=signature.signed_at, remarks=signature.remarks,
            with_self_evaluation=signature.with_self_evaluation,
            delivered=_delivered(report, ordered, index))
        sealed.append({"role": str(signature.role), "seal": signature.seal,
                       "sealed": json.loads(canonical_json(data))})
    return {"format": RECORD_FORMAT, "organisation": organisation, "reference": reference,
            "evaluation": report.evaluation_id, "version": report.number,
            "signatures": sealed}


def record_problems(record: Any) -> list[str]:
    """Every mismatch between a report's embedded record (``sealed_record``, read from
    a PDF) and the database, in words: each embedded content must hash to its seal, and
    each seal must be the seal of that signature in the database, whose rows must still
    match it (``verify``). Empty: the PDF says what the database sealed."""
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        return [_("The PDF carries no sealed content of a Koers report.")]
    problems: list[str] = []
    pk, number = record.get("evaluation"), record.get("version")
    if not isinstance(pk, int) or not isinstance(number, int):
        return [_("The PDF carries no sealed content of a Koers report.")]
    signatures = list(Signature.objects.filter(report__evaluation_id=pk, report__number=number)
                      .select_related("report__evaluation__person__organisation"))
    if not signatures:
        return [_("The database holds no signed version %(number)s of evaluation %(id)s.")
                % {"number": number, "id": pk}]
    stored = {signature.role: signature.seal for signature in signatures}
    terms = _terms(signatures[0].report.evaluation)
    for entry in record.get("signatures", []):
        code, seal_value = entry.get("role"), entry.get("seal")
        role = role_label(code, terms) if isinstance(code, str) else code
        if hashlib.sha256(canonical_json(entry.get("sealed") or {})).hexdigest() != seal_value:
            problems.append(_("The content the PDF embeds for the signature of the %(role)s "
                              "does not match its seal.") % {"role": role})
        elif stored.get(code) != seal_value:
            problems.append(_("The seal of the %(role)s in the PDF is not the seal in the "
                              "database.") % {"role": role})
    if not record.get("signatures"):
        problems.append(_("The PDF embeds no signature."))
    return problems + verify(Evaluation(pk=pk))


def pdf_problems(pdf: bytes) -> list[str]:
    """Every problem with a report's PDF (``koers verify-report FILE.pdf``), in words:
    its PAdES signature must be intact, cover the whole file and chain up to the
    organisation's configured certificate (a PDF without one passes only while the
    organisation has no key); its embedded content must match the seals in the database
    (``record_problems``). Empty: the PDF is the organisation's, unchanged, and says
    what was signed."""
    raw = pades.embedded_file(pdf, RECORD_FILE)
    try:
        record = json.loads(raw) if raw is not None else None
    except ValueError:
        record = None
    problems = record_problems(record)
    if not isinstance(record, dict) or not isinstance(record.get("evaluation"), int):
        return problems
    evaluation = (Evaluation.objects.select_related("person__organisation")
                  .filter(pk=record["evaluation"]).first())
    if evaluation is None:
        return problems
    organisation = evaluation.person.organisation
    checked = pades.check(pdf, trust_roots=pades.certificates(organisation))
    if not checked.signed:
        if pades.has_key(organisation):
            problems.append(_("The PDF is not signed by %(organisation)s.")
                            % {"organisation": organisation.name})
        return problems
    if not (checked.intact and checked.whole_file):
        problems.append(_("The PDF's signature does not cover it as it is: the file was "
                          "changed after it was signed."))
    elif not checked.trusted:
        problems.append(_("The PDF is signed by %(signer)s, not with the key configured for "
                          "%(organisation)s.") % {"signer": checked.signer,
                                                  "organisation": organisation.name})
    return problems
