"""Writes: appeals, salary decisions, objections, and the log of the bodies' reads.

Each service: keyword-only; one transaction; lock the row; check permission (the same
``NotFoundOrForbidden`` for missing and forbidden), the state table and the rules;
save; ``audit.record``; notify inside the transaction (the notification table is the
outbox).

Salary decisions are taken many at once (the management body's worklist): the rows are
written with ``bulk_create`` and one ``SalaryDecisionBatch`` carries one audit event
listing every decision of the batch (id, person, evaluation, verdict, step), so a batch
of 300 costs a fixed number of queries; each decision row names its batch, the actor
and the day. A later final decision on an objection is an event of its own.
"""

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.consequences import notifications, permissions, rules, selectors
from koers.consequences.models import (
    Appeal,
    SalaryDecision,
    SalaryDecisionBatch,
    SalaryObjection,
    UnfitnessDecision,
    UnfitnessReview,
)
from koers.consequences.states import (
    AppealMove,
    AppealOutcome,
    ObjectionMove,
    check_appeal,
    check_objection,
)
from koers.core import clock
from koers.core.clock import today_for
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.evaluations import permissions as evaluation_permissions
from koers.evaluations.models import Evaluation
from koers.evaluations.rules import local_day
from koers.organisation.models import Organisation
from koers.organisation.models import Role as GrantRole
from koers.rulebook.policy import policy_for

MAX_TEXT = 20_000


def _text(value: str, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(message, {field: [message]})
    if len(value) > MAX_TEXT:
        too_long = _("Keep it under %(max)s characters.") % {"max": MAX_TEXT}
        raise ValidationFailed(too_long, {field: [too_long]})
    return value


# Appeals ----------------------------------------------------------------------------


def appeal_file(*, actor: Viewer, evaluation: Evaluation, grounds: str) -> Appeal:
    """The employee appeals the verdict of their delivered evaluation to the appeal board.

    Checklist: the actor is the evaluated person (else the same 404 as for a stranger);
    reasoned; lock the evaluation; the rules (statutory, a negative verdict, delivered,
    within the term, not appealed yet); save with the version appealed; audit; tell the
    appeal board.
    """
    if not evaluation_permissions.can_view(actor, evaluation) or \
            not permissions.can_file_appeal(actor, evaluation):
        raise NotFoundOrForbidden(_("This evaluation does not exist or is not yours to see."))
    grounds = _text(grounds, "grounds", _("Say why you appeal: an appeal must be reasoned."))
    with transaction.atomic():
        locked = (Evaluation.objects.select_for_update(of=("self",))
                  .select_related("person__organisation", "person__unit")
                  .get(pk=evaluation.pk))
        organisation = locked.person.organisation
        policy = policy_for(organisation)
        report = locked.reports.order_by("-number").first()
        verdict = report.verdict if report is not None else ""
        refusal = rules.appeal_refusal(
            policy=policy, evaluation=locked, verdict=verdict,
            delivered_on=selectors.delivered_on(locked), today=today_for(organisation),
            existing=selectors.appeal_of(locked))
        if refusal or report is None:
            raise ValidationFailed(refusal or _("The evaluation has no report."))
        appeal = Appeal.objects.create(
            evaluation=locked, report=report, person=locked.person, organisation=organisation,
            verdict=verdict, grounds=grounds, filed_at=clock.now(), filed_by=actor.user)
        audit.record(actor=actor.user, action="appeal.filed", target=appeal,
                     organisation_id=organisation.pk,
                     changes={"evaluation": locked.pk, "report_version": report.number,
                              "verdict": verdict})
        notifications.tell(
            notifications.APPEAL_FILED, key=f"appeal:{appeal.pk}",
            recipients=notifications.members(organisation, GrantRole.APPEAL_BOARD,
                                             on=today_for(organisation)),
            person=locked.person, url_name="appeal_detail", pk=appeal.pk)
        # The receipt is acknowledged to the employee ([b6]), with the appeal's day.
        notifications.tell(
            notifications.APPEAL_RECEIVED, key=f"appeal:{appeal.pk}",
            recipients=[locked.person], person=locked.person,
            url_name="appeal_detail", pk=appeal.pk)
    return appeal


def _locked_appeal(actor: Viewer, appeal: Appeal) -> Appeal:
    locked = (Appeal.objects.select_for_update(of=("self",))
              .select_related("person__organisation", "person__unit", "evaluation")
              .get(pk=appeal.pk))
    if not permissions.can_record_appeal(actor, locked):
        raise NotFoundOrForbidden(_("This appeal does not exist or is not yours to see."))
    return locked


def appeal_record_hearing(*, actor: Viewer, appeal: Appeal, hearing_on: dt.date,
                          notes: str = "") -> Appeal:
    """HR (the board's secretariat) records the day of the hearing and its notes."""
    with transaction.atomic():
        locked = _locked_appeal(actor, appeal)
        target = check_appeal(locked.state, AppealMove.RECORD_HEARING)
        if hearing_on < local_day(locked.filed_at, locked.person.organisation.time_zone):
            message = _("The hearing cannot lie before the appeal was filed.")
            raise ValidationFailed(message, {"hearing_on": [message]})
        changes = audit.diff(
            {"state": locked.state, "hearing_on": locked.hearing_on,
             "hearing_notes": locked.hearing_notes},
            {"state": target, "hearing_on": hearing_on, "hearing_notes": notes.strip()})
        locked.state, locked.hearing_on, locked.hearing_notes = target, hearing_on, notes.strip()
        locked.recorded_by = actor.user
        locked.save(update_fields=["state", "hearing_on", "hearing_notes", "recorded_by",
                                   "updated_at"])
        audit.record(actor=actor.user, action="appeal.hearing_recorded", target=locked,
                     organisation_id=locked.organisation_id, changes=changes)
    return locked


def appeal_advise(*, actor: Viewer, appeal: Appeal, advice: str, advised_on: dt.date,
                  remarks: str = "") -> Appeal:
    """HR (the commission's secretariat) records the evaluation commission's advice: keep
    the mention or give a better one ([b6][b7]); the leidend ambtenaar decides next."""
    if advice not in AppealOutcome.values:
        message = _("Choose the advice.")
        raise ValidationFailed(message, {"advice": [message]})
    with transaction.atomic():
        locked = _locked_appeal(actor, appeal)
        organisation = locked.person.organisation
        refusal = rules.advice_refusal(policy_for(organisation), locked)
        if refusal:
            raise ValidationFailed(refusal)
        target = check_appeal(locked.state, AppealMove.ADVISE)
        today = today_for(organisation)
        if locked.hearing_on is None or not locked.hearing_on <= advised_on <= today:
            message = _("The advice lies between the hearing (%(day)s) and today.") % {
                "day": rules.day(locked.hearing_on or today)}
            raise ValidationFailed(message, {"advised_on": [message]})
        before = locked.state
        locked.state, locked.advice, locked.advised_on = target, advice, advised_on
        locked.advice_remarks, locked.recorded_by = remarks.strip(), actor.user
        locked.save(update_fields=["state", "advice", "advised_on", "advice_remarks",
                                   "recorded_by", "updated_at"])
        audit.record(actor=actor.user, action="appeal.advised", target=locked,
                     organisation_id=organisation.pk,
                     changes={"state": [before, target], "advice": advice,
                              "advised_on": advised_on})
    return locked


def appeal_decide(*, actor: Viewer, appeal: Appeal, outcome: str, decided_on: dt.date,
                  remarks: str = "") -> Appeal:
    """HR records the outcome: the verdict kept, or changed for the better (to
    ``voldoende``; the federal mention lifted). Where a commission advises, only after
    its advice ([b7])."""
    if outcome not in AppealOutcome.values:
        message = _("Choose the outcome.")
        raise ValidationFailed(message, {"outcome": [message]})
    with transaction.atomic():
        locked = _locked_appeal(actor, appeal)
        organisation = locked.person.organisation
        refusal = rules.outcome_refusal(policy_for(organisation), locked)
        if refusal:
            raise ValidationFailed(refusal)
        target = check_appeal(locked.state, AppealMove.DECIDE)
        today = today_for(organisation)
        filed_on = local_day(locked.filed_at, organisation.time_zone)
        if not filed_on <= decided_on <= today:
            message = _("The decision lies between the filing (%(day)s) and today.") % {
                "day": rules.day(filed_on)}
            raise ValidationFailed(message, {"decided_on": [message]})
        before = locked.state
        locked.state, locked.outcome, locked.decided_on = target, outcome, decided_on
        locked.decision_remarks, locked.recorded_by = remarks.strip(), actor.user
        locked.save(update_fields=["state", "outcome", "decided_on", "decision_remarks",
                                   "recorded_by", "updated_at"])
        audit.record(actor=actor.user, action="appeal.decided", target=locked,
                     organisation_id=organisation.pk,
                     changes={"state": [before, target], "outcome": outcome,
                              "decided_on": decided_on})
        notifications.tell(notifications.APPEAL_DECIDED, key=f"appeal:{locked.pk}",
                           recipients=[locked.person], person=locked.person,
                           url_name="appeal_detail", pk=locked.pk)
    return locked


# Salary decisions ---------------------------------------------------------------------


def salary_decisions_take(*, actor: Viewer, organisation: Organisation,
                          steps: Mapping[int, int]) -> list[SalaryDecision]:
    """The management body decides the steps of many evaluations at once; all or nothing.

    ``steps`` maps evaluation ids to steps. Checklist: the actor sits on the
    organisation's management body (else 404); lock the evaluations; each must be on the
    worklist (delivered, annual, evaluation-based salary system, not decided) and pass the
    rules (``onvoldoende`` only step 0; no pending appeal or running appeal term); any
    refusal refuses the whole batch with the errors by evaluation id; ``bulk_create``;
    one batch audit event listing every decision; tell the employees.
    """
    if not permissions.can_decide_salary(actor, organisation.pk):
        raise NotFoundOrForbidden(_("This organisation does not exist or is not yours to see."))
    if not steps:
        raise ValidationFailed(_("Choose a step for at least one person."))
    if len(steps) > selectors.WORKLIST_SIZE:
        raise ValidationFailed(_("Decide at most %(max)s at once.")
                               % {"max": selectors.WORKLIST_SIZE})
    policy = policy_for(organisation)
    today = today_for(organisation)
    with transaction.atomic():
        locked = {e.pk: e for e in selectors.candidates_of(organisation)
                  .filter(pk__in=list(steps)).select_for_update(of=("self",))}
        appeals = {a.evaluation_id: a for a in Appeal.objects.filter(evaluation__in=list(locked))}
        errors: dict[str, list[str]] = {}
        rows = []
        for evaluation_id, step in steps.items():
            evaluation = locked.get(evaluation_id)
            if evaluation is None:
                errors[str(evaluation_id)] = [
                    _("This evaluation is not on the list of decisions to take.")]
                continue
            appeal = appeals.get(evaluation_id)
            reported = getattr(evaluation, "current_verdict", "") or ""
            verdict = rules.effective_verdict(reported, appeal)
            refusal = rules.decision_refusal(
                policy=policy, evaluation=evaluation, verdict=verdict, appeal=appeal,
                delivered_on=selectors.delivered_on(evaluation), today=today,
            ) or rules.step_refusal(policy, verdict, step)
            if refusal:
                errors[str(evaluation_id)] = [refusal]
                continue
            rows.append((evaluation, verdict, step))
        if errors:
            raise ValidationFailed(_("No decision was taken: please correct the errors."),
                                   errors)
        batch = SalaryDecisionBatch.objects.create(
            organisation=organisation, decided_by=actor.user, decided_at=clock.now(),
            count=len(rows))
        decisions = SalaryDecision.objects.bulk_create([
            SalaryDecision(evaluation=evaluation, person=evaluation.person,
                           organisation=organisation, verdict=verdict, step=step, batch=batch,
                           decided_on=today, decided_by=actor.user)
            for evaluation, verdict, step in rows
        ])
        audit.record(actor=actor.user, action="salary_decision.batch_taken", target=batch,
                     organisation_id=organisation.pk, changes={"decisions": [
                         {"id": d.pk, "person": d.person_id, "evaluation": d.evaluation_id,
                          "verdict": d.verdict, "step": d.step} for d in decisions]})
        notifications.tell_decided((d.pk, d.person) for d in decisions)
    return decisions


# Objections -----------------------------------------------------------------------------


def salary_objection_file(*, actor: Viewer, decision: SalaryDecision,
                          grounds: str) -> SalaryObjection:
    """The employee objects to a step-0 decision before the advisory body.

    Checklist: the actor is the employee (else 404); reasoned; lock the decision; the
    rules (step 0, not objected yet, not barred by an appeal, within the term); save;
    audit; tell the advisory body.
    """
    if not permissions.can_view_decision(actor, decision) or \
            not permissions.can_file_objection(actor, decision):
        raise NotFoundOrForbidden(_("This decision does not exist or is not yours to see."))
    grounds = _text(grounds, "grounds", _("Say why you object."))
    with transaction.atomic():
        locked = (SalaryDecision.objects.select_for_update(of=("self",))
                  .select_related("person__organisation", "evaluation").get(pk=decision.pk))
        organisation = locked.person.organisation
        refusal = rules.objection_refusal(
            policy=policy_for(organisation), person=locked.person, step=locked.step,
            decided_on=locked.decided_on, appeal=selectors.appeal_of(locked.evaluation),
            already=SalaryObjection.objects.filter(decision=locked).exists(),
            today=today_for(organisation))
        if refusal:
            raise ValidationFailed(refusal)
        objection = SalaryObjection.objects.create(
            decision=locked, person=locked.person, organisation=organisation, grounds=grounds,
            filed_at=clock.now(), filed_by=actor.user)
        audit.record(actor=actor.user, action="salary_objection.filed", target=objection,
                     organisation_id=organisation.pk, changes={"decision": locked.pk})
        notifications.tell(
            notifications.OBJECTION_FILED, key=f"objection:{objection.pk}",
            recipients=notifications.members(organisation, GrantRole.ADVISORY_BODY,
                                             on=today_for(organisation)),
            person=locked.person, url_name="objection_detail", pk=objection.pk)
    return objection


def _locked_objection(objection: SalaryObjection) -> SalaryObjection:
    return (SalaryObjection.objects.select_for_update(of=("self",))
            .select_related("person__organisation", "person__unit", "decision__person")
            .get(pk=objection.pk))


def salary_objection_advise(*, actor: Viewer, objection: SalaryObjection, advice: str,
                            advised_step: int | None = None) -> SalaryObjection:
    """The advisory body records its (non-binding) advice, with the step it advises."""
    advice = _text(advice, "advice", _("Write the advice."))
    with transaction.atomic():
        # Asked of the locked row: who may act follows the state it is in now.
        locked = _locked_objection(objection)
        if not permissions.can_advise(actor, locked):
            raise NotFoundOrForbidden(_("This objection does not exist or is not yours to "
                                        "see."))
        target = check_objection(locked.state, ObjectionMove.ADVISE)
        organisation = locked.person.organisation
        policy = policy_for(organisation)
        if advised_step is not None:
            refusal = rules.step_refusal(policy, locked.decision.verdict, advised_step)
            if refusal:
                raise ValidationFailed(refusal, {"advised_step": [refusal]})
        before = locked.state
        locked.state, locked.advice, locked.advised_step = target, advice, advised_step
        locked.advised_on, locked.advised_by = today_for(organisation), actor.user
        locked.save(update_fields=["state", "advice", "advised_step", "advised_on",
                                   "advised_by", "updated_at"])
        audit.record(actor=actor.user, action="salary_objection.advised", target=locked,
                     organisation_id=organisation.pk,
                     changes={"state": [before, target], "advised_step": advised_step})
        notifications.tell(
            notifications.OBJECTION_ADVISED, key=f"objection:{locked.pk}",
            recipients=notifications.members(organisation, GrantRole.MANAGEMENT_BODY,
                                             on=today_for(organisation)),
            person=locked.person, url_name="objection_detail", pk=locked.pk)
    return locked


def salary_objection_decide(*, actor: Viewer, objection: SalaryObjection, final_step: int,
                            remarks: str = "") -> SalaryObjection:
    """The management body decides finally, following the advice or not (Prestatiemanagement)."""
    with transaction.atomic():
        locked = _locked_objection(objection)
        if not permissions.can_decide_objection(actor, locked):
            raise NotFoundOrForbidden(_("This objection does not exist or is not yours to "
                                        "see."))
        target = check_objection(locked.state, ObjectionMove.DECIDE)
        organisation = locked.person.organisation
        refusal = rules.final_step_refusal(policy_for(organisation), locked.decision.verdict,
                                           final_step)
        if refusal:
            raise ValidationFailed(refusal, {"final_step": [refusal]})
        before = locked.state
        locked.state, locked.final_step, locked.final_remarks = target, final_step, \
            remarks.strip()
        locked.decided_on, locked.decided_by = today_for(organisation), actor.user
        locked.save(update_fields=["state", "final_step", "final_remarks", "decided_on",
                                   "decided_by", "updated_at"])
        audit.record(actor=actor.user, action="salary_objection.decided", target=locked,
                     organisation_id=organisation.pk,
                     changes={"state": [before, target], "step": [locked.decision.step,
                                                                  final_step],
                              "follows_advice": locked.advised_step == final_step})
        notifications.tell(notifications.OBJECTION_DECIDED, key=f"objection:{locked.pk}",
                           recipients=[locked.person], person=locked.person,
                           url_name="objection_detail", pk=locked.pk)
    return locked


# Possible professional unfitness (federal) -----------------------------------------------


def unfitness_review_record(*, actor: Viewer, evaluation: Evaluation, decision: str,
                            remarks: str = "") -> UnfitnessReview:
    """HR answers the flag of two ``onvoldoende`` ending in ``evaluation`` ([b2][b8]):
    whether the procedure for professional unfitness starts. The decision is HR's (and
    the authority's); Koers records it with the figures it was taken on, and the flag
    and the task go."""
    if not permissions.can_review_unfitness(actor, evaluation.person):
        raise NotFoundOrForbidden(_("This evaluation does not exist or is not yours to see."))
    if decision not in UnfitnessDecision.values:
        message = _("Choose what happens.")
        raise ValidationFailed(message, {"decision": [message]})
    if len(remarks) > MAX_TEXT:
        too_long = _("Keep it under %(max)s characters.") % {"max": MAX_TEXT}
        raise ValidationFailed(too_long, {"remarks": [too_long]})
    with transaction.atomic():
        Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
        flag = next(iter(selectors.unfitness_flags(actor, evaluation=evaluation)), None)
        if flag is None:
            raise ValidationFailed(_("There is no flag of two “onvoldoende” to answer for "
                                     "this evaluation."))
        review = UnfitnessReview.objects.create(
            evaluation=flag.later, earlier=flag.earlier, person=flag.person,
            organisation=flag.person.organisation, worked_days=flag.worked_days,
            decision=decision, remarks=remarks.strip(), reviewed_by=actor.user,
            reviewed_at=clock.now())
        audit.record(actor=actor.user, action="unfitness.reviewed", target=review,
                     organisation_id=flag.person.organisation_id,
                     changes={"evaluation": flag.later.pk, "earlier": flag.earlier.pk,
                              "worked_days": flag.worked_days, "decision": decision})
    return review
