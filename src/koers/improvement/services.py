"""The personal improvement plan: started, agreed, signed and sealed, followed up every
N months, extended once by agreement, and decided "met" or "not met" at the end.

How a plan lives (``rules.py`` cites the sources):

1. ``plan_start``: the 1st or the 2nd evaluator starts the plan for an employee with why
   (the grounds, linked to the evaluation and the conversations behind them), the
   expected improvement as goals with indicators, the support offered and the period.
   How often it is followed up is read from the policy then
   (``improvement_plan_follow_up_months``).
2. While it is being agreed the evaluator changes it (``plan_change``) and the employee
   adds remarks (``plan_remarks_set``); a change withdraws a signature given, so both
   sign the same content.
3. ``plan_sign`` by the employee and an evaluator. With both: the content and its
   SHA-256 seal are stored and never change; the plan runs, and its follow-up
   conversations fall due every N months after the start (``rules.follow_up_due_dates``).
4. Each follow-up is scheduled as a conversation with its invitation
   (``follow_up_schedule``) and recorded with the progress per goal and the actions
   agreed (``follow_up_record``). Follow-ups due are reminded and escalated
   (``reminders.py``) and are the evaluator's task (``selectors.improvement_tasks``).
5. Once, the evaluator may propose to extend the period and the employee agrees
   (``plan_extension_propose``, ``plan_extension_agree``): the later follow-ups are added.
6. From the last day, the evaluator decides "met" or "not met" with a motivation
   (``plan_decide``): "met" returns the employee to the normal cycle (no plan open);
   "not met" is input for the next evaluation, whose form shows the plan.

Every write locks the plan row, checks who acts and the plan's state, and records one
audit event on the plan, so the plan's history is one hash chain.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access import security
from koers.access.policy import Viewer, can_view_person
from koers.audit.services import record
from koers.conversations import services as conversations
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core import clock
from koers.core.clock import today_for
from koers.core.errors import NotFoundOrForbidden, RecordClosed, ValidationFailed
from koers.improvement import permissions
from koers.improvement.content import current_seal
from koers.improvement.models import (
    FollowUp,
    GoalProgress,
    ImprovementGoal,
    ImprovementPlan,
    ImprovementSignature,
)
from koers.improvement.notifications import FOLLOW_UP, SIGNATURE_AWAITED
from koers.improvement.rules import (
    EXTENSIONS_ALLOWED,
    MAX_GOALS,
    MIN_GOALS,
    decision_from,
    follow_up_due_dates,
)
from koers.improvement.states import ALLOWED, PlanStatus, SignerRole
from koers.notify.services import NewNotification, notifications_resolve, notify_many
from koers.organisation import evaluators, records
from koers.organisation.models import Person
from koers.rulebook.policy import policy_for
from koers.rulebook.terms import Terms, terms_for


@dataclass(frozen=True)
class NewGoal:
    """An expected improvement and the indicators that show it."""

    expected: str
    indicators: str


def _refuse(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field_name: [message]})


def _audit(actor: Viewer, plan: ImprovementPlan, action: str,
           changes: Mapping[str, object]) -> None:
    record(actor=actor.user, action=f"improvement_plan.{action}", target=plan,
           changes=dict(changes), organisation_id=plan.organisation_id)


def _locked(actor: Viewer, plan_id: int) -> ImprovementPlan:
    plan = (ImprovementPlan.objects.select_for_update(of=("self",))
            .select_related("employee__unit", "organisation", "started_by")
            .filter(pk=plan_id).first())
    if plan is None or not permissions.can_view_plan(actor, plan):
        raise NotFoundOrForbidden(_("This plan does not exist or is not yours to see."))
    return plan


def _terms(employee: Person) -> Terms:
    """The words of ``employee``'s regime (``rulebook.terms``), which name the roles in a
    refusal ("the manager or the next-higher manager" in a Dutch municipality)."""
    return terms_for(employee.organisation.policy_preset)


def _may_manage(actor: Viewer, plan: ImprovementPlan) -> None:
    if not permissions.can_manage(actor, plan):
        terms = terms_for(plan.organisation.policy_preset)  # the plan's regime names them
        raise ValidationFailed(_("Only the employee's %(first)s or %(second)s does this.") % {
            "first": terms.first_evaluator, "second": terms.second_evaluator})


def _move(plan: ImprovementPlan, to: PlanStatus) -> str:
    before = plan.status
    if to not in ALLOWED[before]:  # a programming error: the services check the state
        raise ValueError(f"improvement plan {before} → {to} is not allowed")
    plan.status = to
    return before


def _in_draft(plan: ImprovementPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise RecordClosed(_("The plan is signed: its content no longer changes."),
                           record=plan)


def _running(plan: ImprovementPlan) -> None:
    if plan.status != PlanStatus.RUNNING:
        raise RecordClosed(_("This plan is %(status)s: it no longer runs.")
                           % {"status": PlanStatus(plan.status).label}, record=plan)


def _clean_goals(goals: Sequence[NewGoal]) -> list[NewGoal]:
    cleaned = [NewGoal(g.expected.strip(), g.indicators.strip()) for g in goals
               if g.expected.strip() or g.indicators.strip()]
    if len(cleaned) < MIN_GOALS:
        raise _refuse("goals", _("Describe at least one expected improvement with its "
                                 "indicators."))
    if len(cleaned) > MAX_GOALS:
        raise _refuse("goals", _("A plan holds at most %(count)d expected improvements.")
                      % {"count": MAX_GOALS})
    if any(not g.expected or not g.indicators for g in cleaned):
        raise _refuse("goals", _("Each expected improvement needs its indicators: how "
                                 "both of you will see that it is reached."))
    return cleaned


def _check_texts(grounds: str, support: str) -> None:
    errors = {}
    if not grounds.strip():
        errors["grounds"] = [_("Say why the plan is started.")]
    if not support.strip():
        errors["support"] = [_("Say which support is offered (training, coaching, means).")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def _check_period(start: dt.date, end: dt.date) -> None:
    if end <= start:
        raise _refuse("period_end", _("The period must end after it starts."))


def _check_grounds(employee: Person, evaluation_id: int | None,
                   conversations_: Sequence[Conversation]) -> None:
    if any(c.employee_id != employee.pk for c in conversations_):
        raise _refuse("conversations", _("Choose conversations with this employee."))
    if evaluation_id is not None:
        # The evaluations room sits above this one: the evaluation is checked through
        # the plan's own relation, by the person it evaluates.
        evaluation = apps.get_model("evaluations", "Evaluation")
        if not evaluation.objects.filter(pk=evaluation_id,
                                         person=employee).exists():
            raise _refuse("evaluation", _("Choose an evaluation of this employee."))


def _set_goals(plan: ImprovementPlan, goals: Sequence[NewGoal]) -> None:
    plan.goals.all().delete()
    ImprovementGoal.objects.bulk_create([
        ImprovementGoal(plan=plan, position=i, expected=g.expected, indicators=g.indicators)
        for i, g in enumerate(goals, start=1)])


def plan_start(
    *,
    actor: Viewer,
    employee: Person,
    grounds: str,
    goals: Sequence[NewGoal],
    support: str,
    period_start: dt.date,
    period_end: dt.date,
    evaluation_id: int | None = None,
    grounding_conversations: Sequence[Conversation] = (),
) -> ImprovementPlan:
    """Start an improvement plan for ``employee``: why, what is expected, the support, the
    period.

    Checklist: the actor sees the employee and is their 1st or 2nd evaluator; the texts,
    goals and period are valid; the evaluation and conversations are the employee's; no
    other plan of theirs is open; the follow-up interval is the policy's; save; audit;
    ask the employee to read it.
    """
    if not can_view_person(actor, employee):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    if not permissions.can_start_for(actor, employee) or actor.person is None:
        terms = _terms(employee)
        raise ValidationFailed(_("Only the employee's %(first)s or %(second)s starts an "
                                 "improvement plan.") % {
            "first": terms.first_evaluator, "second": terms.second_evaluator})
    _check_texts(grounds, support)
    cleaned = _clean_goals(goals)
    _check_period(period_start, period_end)
    _check_grounds(employee, evaluation_id, grounding_conversations)
    months = policy_for(employee.organisation).improvement_plan_follow_up_months
    try:
        with transaction.atomic():
            if ImprovementPlan.objects.filter(employee=employee,
                                              status__in=[PlanStatus.DRAFT,
                                                          PlanStatus.RUNNING]).exists():
                raise ValidationFailed(_("This employee has an improvement plan open "
                                         "already: follow it up, or decide it first."))
            plan = ImprovementPlan.objects.create(
                organisation_id=employee.organisation_id, employee=employee,
                started_by=actor.person, evaluation_id=evaluation_id,
                grounds=grounds.strip(), support=support.strip(),
                period_start=period_start, period_end=period_end,
                follow_up_months=months, created_by=actor.user)
            plan.conversations.set(grounding_conversations)
            _set_goals(plan, cleaned)
            _audit(actor, plan, "started", {
                "period": [period_start, period_end], "follow_up_months": months,
                "evaluation": evaluation_id, "goals": len(cleaned),
                "conversations": sorted(c.pk for c in grounding_conversations)})
            _ask_to_sign(plan, signer=actor.person, other=employee)
    except IntegrityError:
        # Another plan was started at the same moment (improvement_plan_one_open).
        raise ValidationFailed(_("This employee has an improvement plan open already: "
                                 "follow it up, or decide it first.")) from None
    return plan


def _withdraw(plan: ImprovementPlan) -> list[str]:
    withdrawn = sorted(plan.signatures.values_list("role", flat=True))
    if withdrawn:
        plan.signatures.all().delete()
    return withdrawn


@security.records_closed_writes
def plan_change(
    *,
    actor: Viewer,
    plan: ImprovementPlan,
    grounds: str,
    goals: Sequence[NewGoal],
    support: str,
    period_start: dt.date,
    period_end: dt.date,
) -> ImprovementPlan:
    """Change the plan while it is being agreed (an evaluator); signatures are withdrawn."""
    _check_texts(grounds, support)
    cleaned = _clean_goals(goals)
    _check_period(period_start, period_end)
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        _may_manage(actor, plan)
        _in_draft(plan)
        plan.grounds, plan.support = grounds.strip(), support.strip()
        plan.period_start, plan.period_end = period_start, period_end
        plan.revision += 1
        plan.save(update_fields=["grounds", "support", "period_start", "period_end",
                                 "revision", "updated_at"])
        _set_goals(plan, cleaned)
        withdrawn = _withdraw(plan)
        _audit(actor, plan, "changed", {"period": [period_start, period_end],
                                        "goals": len(cleaned),
                                        **({"signatures_withdrawn": withdrawn}
                                           if withdrawn else {})})
    return plan


@security.records_closed_writes
def plan_remarks_set(*, actor: Viewer, plan: ImprovementPlan, remarks: str) -> ImprovementPlan:
    """The employee's remarks on the plan, before signing; a signature given is withdrawn."""
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        if not permissions.is_employee(actor, plan):
            raise ValidationFailed(_("Only the employee adds remarks to their plan."))
        _in_draft(plan)
        text = remarks.strip()
        if text == plan.employee_remarks:
            raise ValidationFailed(_("Nothing was changed."))
        plan.employee_remarks = text
        plan.revision += 1
        plan.save(update_fields=["employee_remarks", "revision", "updated_at"])
        withdrawn = _withdraw(plan)
        _audit(actor, plan, "remarks", {"remarks": bool(text),
                                        **({"signatures_withdrawn": withdrawn}
                                           if withdrawn else {})})
    return plan


@security.records_closed_writes
def plan_sign(*, actor: Viewer, plan: ImprovementPlan) -> ImprovementSignature:
    """Sign the plan as the employee or as an evaluator (name, role, date, seal).

    Checklist: lock; the actor signs in a role; the plan is being agreed; not signed in
    this role yet; seal the content as it is now. With both signatures: store the content
    and seal, the plan runs, its follow-ups fall due every N months after the start.
    Else the other side is asked to sign.
    """
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        role = permissions.signer_role(actor, plan)
        me = actor.person
        if role is None or me is None:
            raise ValidationFailed(_("Only the employee and their evaluators sign the plan."))
        _in_draft(plan)
        if plan.signatures.filter(role=role).exists():
            raise ValidationFailed(_("You signed this plan already."))
        content, seal = current_seal(plan)
        today = today_for(plan.organisation)
        signature = ImprovementSignature.objects.create(
            plan=plan, role=role, signer=me, user=actor.user, name=me.full_name,
            signed_on=today, signed_at=clock.now(), seal=seal)
        # The plan's reference number, from its first signature (records.reference_allocate).
        records.reference_allocate(organisation=plan.organisation, record=plan, on=today)
        _audit(actor, plan, "signed", {"role": role, "seal": seal})
        _resolve(plan, SIGN, recipient=actor)
        if set(plan.signatures.values_list("role", flat=True)) >= set(SignerRole.values):
            _move(plan, PlanStatus.RUNNING)
            plan.content, plan.seal, plan.signed_on = content, seal, today
            plan.save(update_fields=["status", "content", "seal", "signed_on", "updated_at"])
            added = _add_follow_ups(plan, start=plan.period_start, after=0)
            _audit(actor, plan, "sealed", {"seal": seal, "signed_on": today,
                                           "follow_ups": [d.isoformat() for d in added]})
            _resolve(plan, SIGN)
        else:
            other = plan.employee if role == SignerRole.EVALUATOR else plan.started_by
            _ask_to_sign(plan, signer=me, other=other)
    return signature


def _add_follow_ups(plan: ImprovementPlan, *, start: dt.date, after: int) -> list[dt.date]:
    """The follow-ups of ``plan`` due after its ``after`` existing ones, up to its end."""
    existing = set(plan.follow_ups.values_list("due_on", flat=True))
    days = [d for d in follow_up_due_dates(start=start, end=plan.period_end,
                                           every_months=plan.follow_up_months)
            if d not in existing]
    FollowUp.objects.bulk_create([
        FollowUp(plan=plan, number=after + i, due_on=day)
        for i, day in enumerate(days, start=1)])
    return days


def plan_url(plan: ImprovementPlan) -> str:
    return reverse("improvement_plan", kwargs={"pk": plan.pk})


def _ask_to_sign(plan: ImprovementPlan, *, signer: Person, other: Person,
                 purpose: str = "sign") -> None:
    """Ask ``other`` to read and sign (or, for ``purpose="extension"``, agree) the plan;
    the key names the purpose and the plan's revision, so each request is sent once."""
    if other.user_id is None or other.pk == signer.pk:
        return
    notify_many([NewNotification(
        recipient_id=other.user_id,
        key=(f"improvement_{purpose}:{plan.pk}:{plan.revision}:{plan.extensions}:"
             f"{signer.pk}:{other.user_id}"),
        kind=SIGNATURE_AWAITED,
        params={"employee": plan.employee.full_name, "signer": signer.full_name},
        url=plan_url(plan), task=plan_task(plan, purpose),
        about_id=plan.employee.user_id)])


SIGN = "sign"
EXTENSION = "extension"


def plan_task(plan: ImprovementPlan, step: str) -> str:
    """The task a notification about the plan asks for: ``sign``, ``extension`` (agree
    it), ``follow_up`` or ``decision`` (``notifications.STEPS``)."""
    return f"improvement_plan:{plan.pk}:{step}"


def _resolve(plan: ImprovementPlan, step: str, *, recipient: Viewer | None = None) -> None:
    """``step`` is done (by ``recipient``, or for everyone): its notifications, reminders
    and escalations included, are resolved. An empty step: every task of the plan."""
    notifications_resolve(task=plan_task(plan, step),
                          recipient_id=recipient.user.pk if recipient is not None else None)


@security.records_closed_writes
def plan_cancel(*, actor: Viewer, plan: ImprovementPlan) -> ImprovementPlan:
    """Drop a plan that was never signed (started by mistake)."""
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        _may_manage(actor, plan)
        _in_draft(plan)
        before = _move(plan, PlanStatus.CANCELLED)
        plan.save(update_fields=["status", "updated_at"])
        _audit(actor, plan, "cancelled", {"status": [before, plan.status]})
        _resolve(plan, "")
    return plan


# Follow-ups ------------------------------------------------------------------------


def _locked_follow_up(actor: Viewer, follow_up_id: int) -> tuple[ImprovementPlan, FollowUp]:
    follow_up = FollowUp.objects.filter(pk=follow_up_id).only("plan_id").first()
    if follow_up is None:
        raise NotFoundOrForbidden(_("This plan does not exist or is not yours to see."))
    plan = _locked(actor, follow_up.plan_id)
    return plan, plan.follow_ups.select_for_update().get(pk=follow_up_id)


@security.records_closed_writes
def follow_up_schedule(*, actor: Viewer, follow_up: FollowUp, starts_at: dt.datetime,
                       ends_at: dt.datetime, location: str = "",
                       online_link: str = "") -> FollowUp:
    """Schedule the follow-up conversation; the conversation's own invitation goes to
    the employee (``conversations.services.conversation_schedule``)."""
    with transaction.atomic():
        plan, follow_up = _locked_follow_up(actor, follow_up.pk)
        _may_manage(actor, plan)
        _running(plan)
        if follow_up.held_on is not None:
            raise ValidationFailed(_("This follow-up was held already."))
        conversation = conversations.conversation_schedule(
            actor=actor, employee=plan.employee, kind=ConversationKind.FOLLOW_UP,
            starts_at=starts_at, ends_at=ends_at, location=location,
            online_link=online_link, improvement_follow_up=True,
            agenda=[str(_("Improvement plan: progress per expected improvement")),
                    str(_("Improvement plan: actions agreed"))])
        follow_up.conversation = conversation
        follow_up.save(update_fields=["conversation"])
        plan.save(update_fields=["updated_at"])
        _audit(actor, plan, "follow_up_scheduled", {
            "follow_up": follow_up.number, "conversation": conversation.pk,
            "starts_at": starts_at.isoformat()})
    return follow_up


@security.records_closed_writes
def follow_up_record(*, actor: Viewer, follow_up: FollowUp, held_on: dt.date,
                     progress: Mapping[int, str], actions: str) -> FollowUp:
    """Record a follow-up conversation: the progress per goal and the actions agreed.

    This is also how the follow-up's scheduled conversation is recorded as held: one
    action, with the progress and the actions as the conversation's report
    (``conversations.services.conversation_hold`` refuses it on its own).

    Checklist: lock; an evaluator; the plan runs; not recorded yet; held within the plan's
    period and not in the future; a progress text for every goal; save; hold the scheduled
    conversation; audit; resolve the task's notifications.
    """
    with transaction.atomic():
        plan, follow_up = _locked_follow_up(actor, follow_up.pk)
        _may_manage(actor, plan)
        _running(plan)
        if follow_up.held_on is not None:
            raise ValidationFailed(_("This follow-up was recorded already."))
        today = today_for(plan.organisation)
        if held_on > today:
            raise _refuse("held_on", _("Record a follow-up once it was held."))
        if held_on < plan.period_start:
            raise _refuse("held_on", _("A follow-up is held within the plan's period."))
        goals = list(plan.goals.order_by("position"))
        texts = {g.pk: progress.get(g.pk, "").strip() for g in goals}
        missing = [g.position for g in goals if not texts[g.pk]]
        if missing:
            raise _refuse("progress", _("Write the progress on every expected improvement "
                                        "(missing: %(positions)s).")
                          % {"positions": ", ".join(str(p) for p in missing)})
        if not actions.strip():
            raise _refuse("actions", _("Write the actions agreed."))
        assert actor.person is not None  # can_manage: an evaluator is a person
        follow_up.held_on, follow_up.actions = held_on, actions.strip()
        follow_up.recorded_by = actor.person
        follow_up.save(update_fields=["held_on", "actions", "recorded_by"])
        GoalProgress.objects.bulk_create([
            GoalProgress(follow_up=follow_up, goal=g, text=texts[g.pk]) for g in goals])
        conversation = _hold_conversation(actor, follow_up, goals=goals, texts=texts)
        plan.save(update_fields=["updated_at"])
        _audit(actor, plan, "follow_up_recorded", {
            "follow_up": follow_up.number, "held_on": held_on,
            "conversation": conversation.pk if conversation else None})
        _resolve(plan, FOLLOW_UP)
    return follow_up


def follow_up_report(follow_up: FollowUp, *, goals: Sequence[ImprovementGoal],
                     texts: Mapping[int, str]) -> str:
    """The report of the follow-up's conversation: the progress per expected improvement
    and the actions agreed, as recorded on the plan."""
    parts = [_("Progress per expected improvement:")]
    parts += [f"{g.position}. {g.expected}\n{texts[g.pk]}" for g in goals]
    parts += [_("Actions agreed:"), follow_up.actions]
    return "\n\n".join(parts)


def _hold_conversation(actor: Viewer, follow_up: FollowUp, *,
                       goals: Sequence[ImprovementGoal],
                       texts: Mapping[int, str]) -> Conversation | None:
    """Record the follow-up's scheduled conversation as held on the follow-up's day, with
    the follow-up as its report; one held or cancelled already is left as it is."""
    conversation = follow_up.conversation
    if conversation is None or conversation.status != ConversationStatus.SCHEDULED:
        return None
    assert follow_up.held_on is not None
    return conversations.conversation_hold(
        actor=actor, conversation=conversation, held_on=follow_up.held_on,
        report=follow_up_report(follow_up, goals=goals, texts=texts),
        follow_up_recorded=True)


# Extension and decision --------------------------------------------------------------


@security.records_closed_writes
def plan_extension_propose(*, actor: Viewer, plan: ImprovementPlan, until: dt.date,
                           reason: str) -> ImprovementPlan:
    """The evaluator proposes to extend the running plan once; the employee agrees."""
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        _may_manage(actor, plan)
        _running(plan)
        if plan.extensions >= EXTENSIONS_ALLOWED:
            raise ValidationFailed(_("A plan is extended once; this one was extended "
                                     "already."))
        if until <= plan.period_end:
            raise _refuse("until", _("The extension ends after the current end."))
        if not reason.strip():
            raise _refuse("reason", _("Say why the plan is extended."))
        plan.extension_until, plan.extension_reason = until, reason.strip()
        plan.save(update_fields=["extension_until", "extension_reason", "updated_at"])
        _audit(actor, plan, "extension_proposed", {"until": until})
        assert actor.person is not None
        _ask_to_sign(plan, signer=actor.person, other=plan.employee, purpose="extension")
    return plan


@security.records_closed_writes
def plan_extension_agree(*, actor: Viewer, plan: ImprovementPlan) -> ImprovementPlan:
    """The employee agrees the proposed extension: the period ends later and the
    follow-ups of the added months fall due."""
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        if not permissions.is_employee(actor, plan):
            raise ValidationFailed(_("The employee agrees the extension of their plan."))
        _running(plan)
        if plan.extension_until is None or plan.extensions >= EXTENSIONS_ALLOWED:
            raise ValidationFailed(_("No extension is proposed."))
        before = plan.period_end
        plan.period_end, plan.extensions = plan.extension_until, plan.extensions + 1
        plan.save(update_fields=["period_end", "extensions", "updated_at"])
        added = _add_follow_ups(plan, start=plan.period_start,
                                after=plan.follow_ups.count())
        _audit(actor, plan, "extended", {"period_end": [before, plan.period_end],
                                         "follow_ups": [d.isoformat() for d in added]})
        _resolve(plan, EXTENSION)
    return plan


@security.records_closed_writes
def plan_decide(*, actor: Viewer, plan: ImprovementPlan, met: bool,
                motivation: str) -> ImprovementPlan:
    """Decide at the end whether the plan's goals were met, with the motivation.

    "Met" returns the employee to the normal cycle; "not met" stays on record as input
    for the next evaluation (its form shows the plan).
    """
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        _may_manage(actor, plan)
        _running(plan)
        today = today_for(plan.organisation)
        if today < decision_from(end=plan.period_end):
            raise ValidationFailed(_("The plan runs until %(end)s: decide from that day.")
                                   % {"end": plan.period_end.isoformat()})
        if not motivation.strip():
            raise _refuse("motivation", _("Motivate the decision."))
        assert actor.person is not None
        before = _move(plan, PlanStatus.MET if met else PlanStatus.NOT_MET)
        plan.decided_on, plan.decided_by, plan.motivation = (
            today, actor.person, motivation.strip())
        plan.save(update_fields=["status", "decided_on", "decided_by", "motivation",
                                 "updated_at"])
        _audit(actor, plan, "decided", {"status": [before, plan.status], "decided_on": today})
        _resolve(plan, "")
    return plan


def evaluator_of(plan: ImprovementPlan, *, on: dt.date) -> Person | None:
    """Who acts for the evaluator side today: the 1st evaluator, else the 2nd."""
    line = evaluators.evaluator_line(plan.employee, on=on)
    return line.first or line.second
