"""The personal development plan (POP): built in rounds, signed by both, sealed.

How a plan lives (the POP guide, Stap 2 and 3, Bijlagen 3 and 4):

1. ``plan_create`` in (or after) the planning conversation opens round 1.
2. While a round is open, the employee and the 1st evaluator add and change rows:
   competency with source and priority (``plan_item_*``), SMART development goals
   with terms (``plan_goal_*``), means with their terms (``plan_means_*``), actions
   for HR (``plan_hr_action_*``), success indicators, and in a follow-up round the
   realisation / follow-up entries that may add new means and HR actions
   (``plan_follow_up_*``). The rules: at most ``pop_max_competencies`` rows (refused),
   more than ``pop_priority_one_warning_above`` at priority 1 (a warning); each goal
   gets the SMART check's advice (never a refusal).
3. ``plan_sign`` by each of the two. A change after one of them signed withdraws that
   signature, so both sign the same content. With both signatures the round is
   sealed: its content (``content.plan_content``) and SHA-256 seal are stored and never
   change, the plan is ``signed`` and the next follow-up is due within the policy's
   3–6 months after the conversation.
4. To change a signed plan, ``plan_round_start`` opens the next round (a follow-up
   conversation, or an amendment between two); it must be signed again.

Every write locks the plan row, checks who acts and the plan's state, and records one
audit event on the plan, so the plan's history is one hash chain.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.access import security
from koers.access.policy import Viewer, can_view_person
from koers.conversations.models import Conversation
from koers.core import clock
from koers.core.clock import today_for
from koers.core.errors import EditConflict, NotFoundOrForbidden, RecordClosed, ValidationFailed
from koers.cycles.models import CycleState, Participation
from koers.development import permissions
from koers.development.content import current_seal
from koers.development.models import (
    Competency,
    DevelopmentAction,
    DevelopmentPlan,
    FollowUpEntry,
    HrAction,
    PlanGoal,
    PlanItem,
    PlanMeans,
    PlanRound,
    PlanSignature,
)
from koers.development.notifications import SIGNATURE_AWAITED
from koers.development.rules import (
    REQUIRED_SIGNERS,
    FollowUpWindow,
    Priority,
    SignerRole,
    competency_limit_error,
    early_follow_up_warning,
    follow_up_window,
    priority_one_warning,
)
from koers.development.selectors import goal_advice
from koers.development.services.base import Saved, check_fields, record, refuse, validate
from koers.development.states import (
    CONVERSATION_ROUNDS,
    EDITABLE_GROUP,
    HrActionStatus,
    PlanStatus,
    RoundKind,
    RoundStatus,
)
from koers.notify.services import NewNotification, notifications_resolve, notify_many
from koers.organisation import evaluators, records
from koers.organisation.models import Person
from koers.rulebook.calendar import add_months
from koers.rulebook.policy import policy_for
from koers.rulebook.terms import terms_for

ITEM_FIELDS = ("competency", "source", "priority", "success_indicators", "position")
GOAL_FIELDS = ("text", "term", "term_note", "position")
MEANS_FIELDS = ("action", "description", "term", "term_note", "supporter", "position")
HR_ACTION_FIELDS = ("description", "action", "term", "position")
TEXTS = frozenset({"success_indicators", "text", "term_note", "description"})


@dataclass(frozen=True)
class NewMeans:
    """A means a follow-up entry adds (e.g. coaching by a colleague for six months)."""

    action: DevelopmentAction | None = None
    description: str = ""
    term: dt.date | None = None
    term_note: str = ""
    supporter: Person | None = None


@dataclass(frozen=True)
class NewHrAction:
    """An HR action a follow-up entry adds."""

    description: str
    action: DevelopmentAction | None = None
    term: dt.date | None = None


# Guards -------------------------------------------------------------------------------


def _locked(actor: Viewer, plan_id: int) -> DevelopmentPlan:
    plan = (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("employee__unit", "organisation")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None or not permissions.can_view_plan(actor, plan):
        raise NotFoundOrForbidden(_("This plan does not exist or is not yours to see."))
    return plan


def _first(plan: DevelopmentPlan) -> str:
    """The 1st evaluator as the plan's regime calls them (``rulebook.terms``), for a
    refusal: "leidinggevende" in a Dutch municipality, "evaluator" in the federal one."""
    return str(terms_for(plan.organisation.policy_preset).first_evaluator)


def _may_edit(actor: Viewer, plan: DevelopmentPlan) -> None:
    if not permissions.can_edit_plan(actor, plan):
        raise ValidationFailed(_("Only the employee and their %(first)s change the plan.")
                               % {"first": _first(plan)})


def _editable(actor: Viewer, plan_id: int) -> tuple[DevelopmentPlan, PlanRound]:
    """Lock the plan; the actor builds it; a round is open. Returns the plan and round."""
    plan = _locked(actor, plan_id)
    _may_edit(actor, plan)
    if plan.status not in EDITABLE_GROUP:
        if plan.status == PlanStatus.SIGNED:
            raise RecordClosed(_("The plan is signed. Start a follow-up round to change "
                                 "it: both of you then sign it again."), record=plan)
        raise RecordClosed(_("This plan is %(status)s and can no longer change.")
                           % {"status": PlanStatus(plan.status).label}, record=plan)
    return plan, plan.rounds.get(status=RoundStatus.OPEN)


def _changed(actor: Viewer, plan: DevelopmentPlan, round: PlanRound,
             changes: Mapping[str, Any]) -> None:
    """After a change of content: withdraw the signatures given in this round (both sign
    the same content), touch the plan and record the change on the plan's chain."""
    withdrawn = sorted(round.signatures.values_list("role", flat=True))
    if withdrawn:
        round.signatures.all().delete()
    plan.save(update_fields=["updated_at"])
    record(actor=actor.user, action="development_plan.changed", target=plan,
           organisation_id=plan.organisation_id,
           changes={**changes, **({"signatures_withdrawn": withdrawn} if withdrawn else {})})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "pk", value)


def _apply(instance: Any, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    diff: dict[str, list[Any]] = {}
    for name, raw in changes.items():
        value = raw.strip() if name in TEXTS and isinstance(raw, str) else raw
        before = getattr(instance, name)
        if before != value:
            diff[name] = [_plain(before), _plain(value)]
            setattr(instance, name, value)
    if not diff:
        raise ValidationFailed(_("Nothing was changed."))
    return diff


def _unchanged_since(row: Any, expected_revision: int | None,
                     fields: Sequence[str]) -> None:
    """Refuse a change of ``row`` (the plan or one of its rows) that started from an
    older revision: nothing is saved, and ``EditConflict`` carries what is saved now
    (``fields``; a chosen record by its id)."""
    if expected_revision is not None and expected_revision != row.revision:
        current = {name: getattr(getattr(row, name), "pk", getattr(row, name))
                   for name in fields}
        raise EditConflict(
            _("Someone else changed this part of the plan since you opened it: nothing "
              "of yours was saved."), current=current, revision=row.revision)


def _next_position(rows: Any) -> int:
    return int(rows.aggregate(top=Max("position"))["top"] or 0) + 1


def _check_competency(plan: DevelopmentPlan, competency: Competency) -> None:
    if competency.organisation_id != plan.organisation_id:
        raise refuse("competency", _("Choose a competency of this organisation's catalogue."))
    if not competency.active:
        raise refuse("competency", _("This competency is no longer offered; choose another."))


def _check_action(plan: DevelopmentPlan, action: DevelopmentAction | None,
                  field_name: str = "action") -> None:
    if action is None:
        return
    if action.organisation_id != plan.organisation_id:
        raise refuse(field_name, _("Choose a development action of this organisation."))
    if not action.active:
        raise refuse(field_name, _("This development action is no longer offered."))


def _check_supporter(plan: DevelopmentPlan, supporter: Person | None) -> None:
    if supporter is not None and supporter.organisation_id != plan.organisation_id:
        raise refuse("supporter", _("Choose someone of this organisation."))


def _warnings(plan: DevelopmentPlan) -> tuple[str, ...]:
    count = plan.items.filter(priority=Priority.URGENT).count()
    message = priority_one_warning(priority_one=count, policy=policy_for(plan.organisation))
    return (message,) if message else ()


def _today(plan: DevelopmentPlan) -> dt.date:
    return today_for(plan.organisation)


# The plan -----------------------------------------------------------------------------


def running_participation(person: Person, day: dt.date) -> Participation | None:
    """The person's participation whose period holds ``day`` in a running cycle; else
    their latest open participation in a running cycle (as conversations do)."""
    running = Participation.objects.filter(
        person=person, closed_on__isnull=True,
        cycle__state__in=[CycleState.OPEN, CycleState.OPENING],
    )
    return (
        running.filter(period_start__lte=day, period_end__gte=day)
        .order_by("-period_start").first()
        or running.order_by("-period_start").first()
    )


def _conversation_day(conversation: Conversation) -> dt.date:
    return conversation.held_on or timezone.localdate(conversation.starts_at)


def _check_conversation(employee: Person, conversation: Conversation | None) -> None:
    if conversation is not None and conversation.employee_id != employee.pk:
        raise refuse("conversation", _("Choose a conversation with this employee."))


def plan_create(
    *,
    actor: Viewer,
    employee: Person,
    planning_conversation: Conversation | None = None,
    held_on: dt.date | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> DevelopmentPlan:
    """Start the employee's plan in the planning conversation; round 1 opens.

    Checklist: the actor sees the employee and is the employee or their 1st evaluator;
    the conversation is the employee's; no other plan of theirs is open; the day is the
    conversation's (or ``held_on``, or today); the period is given, or the cycle
    participation's period holding that day, or twelve months from it; the plan links
    to the running participation where there is one; save with its first round; audit.
    """
    if not can_view_person(actor, employee):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    if not permissions.can_create_plan_for(actor, employee):
        raise ValidationFailed(_("Only the employee and their %(first)s start a plan.") % {
            "first": terms_for(employee.organisation.policy_preset).first_evaluator})
    _check_conversation(employee, planning_conversation)
    day = held_on or (_conversation_day(planning_conversation) if planning_conversation
                      else today_for(employee.organisation))
    participation = running_participation(employee, day)
    if period_start is None:
        if participation is not None and \
                participation.period_start <= day <= participation.period_end:
            period_start, default_end = participation.period_start, participation.period_end
        else:
            period_start, default_end = day, add_months(day, 12) - dt.timedelta(days=1)
        period_end = period_end or default_end
    elif period_end is None:
        period_end = add_months(period_start, 12) - dt.timedelta(days=1)
    if period_end < period_start:
        raise refuse("period_end", _("The period cannot end before it starts."))
    if DevelopmentPlan.objects.filter(employee=employee,
                                      status__in=[PlanStatus.DRAFT, PlanStatus.SIGNED,
                                                  PlanStatus.REVISING]).exists():
        raise ValidationFailed(_("This employee has a development plan already: follow it "
                                 "up, or close it first."))
    try:
        with transaction.atomic():
            plan = DevelopmentPlan.objects.create(
                organisation_id=employee.organisation_id, employee=employee,
                period_start=period_start, period_end=period_end,
                participation=participation, planning_conversation=planning_conversation,
                created_by=actor.user,
            )
            PlanRound.objects.create(plan=plan, number=1, kind=RoundKind.PLANNING,
                                     held_on=day, conversation=planning_conversation,
                                     created_by=actor.user)
            record(actor=actor.user, action="development_plan.created", target=plan,
                   organisation_id=plan.organisation_id,
                   changes={"period": [period_start, period_end], "held_on": day,
                            "participation": participation.pk if participation else None,
                            "conversation": planning_conversation.pk
                            if planning_conversation else None})
    except IntegrityError:
        # Another plan was started at the same moment (development_plan_one_open).
        raise ValidationFailed(_("This employee has a development plan already: follow it "
                                 "up, or close it first.")) from None
    return plan


@security.records_closed_writes
def plan_remarks_set(*, actor: Viewer, plan: DevelopmentPlan, remarks: str,
                     expected_revision: int | None = None) -> DevelopmentPlan:
    """The employee's own remarks on the plan (the POP guide's planning form);
    ``expected_revision``: the plan's revision they started from (``EditConflict``)."""
    with transaction.atomic():
        plan, round = _editable(actor, plan.pk)
        if not permissions.is_employee(actor, plan):
            raise ValidationFailed(_("Only the employee writes their remarks."))
        _unchanged_since(plan, expected_revision, ["employee_remarks"])
        diff = _apply(plan, {"employee_remarks": remarks.strip()})
        plan.revision += 1
        plan.save(update_fields=["employee_remarks", "revision", "updated_at"])
        _changed(actor, plan, round, {"row": "plan", "op": "changed", "fields": list(diff)})
    return plan


# Rows: competencies -------------------------------------------------------------------


@security.records_closed_writes
def plan_item_add(
    *,
    actor: Viewer,
    plan: DevelopmentPlan,
    competency: Competency,
    source: int,
    priority: int,
    success_indicators: str = "",
) -> Saved[PlanItem]:
    """A competency to develop, with its source (1–6) and priority (1–3).

    Refused when the plan holds the policy's most competencies already (the POP guide: at
    most 5) or this competency already; warns above the priority-1 advice.
    """
    with transaction.atomic():
        plan, round = _editable(actor, plan.pk)
        _check_competency(plan, competency)
        present = list(plan.items.values_list("competency_id", flat=True))
        if competency.pk in present:
            raise refuse("competency", _("This competency is in the plan already."))
        error = competency_limit_error(competencies_now=len(present),
                                       policy=policy_for(plan.organisation))
        if error:
            raise refuse("competency", error)
        item = PlanItem(plan=plan, position=_next_position(plan.items), source=source,
                        competency=competency, priority=priority,
                        success_indicators=success_indicators.strip())
        validate(item, exclude=["plan", "competency"])
        item.save()
        _changed(actor, plan, round, {"row": "item", "op": "added", "id": item.pk,
                                      "competency": competency.code, "source": source,
                                      "priority": priority})
        warnings = _warnings(plan)
    return Saved(item, warnings)


@security.records_closed_writes
def plan_item_change(*, actor: Viewer, item: PlanItem, changes: Mapping[str, Any],
                     expected_revision: int | None = None) -> Saved[PlanItem]:
    """Change a row's competency, source, priority, success indicators or position;
    ``expected_revision``: the row's revision the change started from (``EditConflict``)."""
    check_fields(changes, ITEM_FIELDS)
    with transaction.atomic():
        plan, round = _editable(actor, item.plan_id)
        item = PlanItem.objects.select_for_update().get(pk=item.pk)
        _unchanged_since(item, expected_revision, ITEM_FIELDS)
        competency = changes.get("competency")
        if competency is not None and competency.pk != item.competency_id:
            _check_competency(plan, competency)
            if plan.items.filter(competency=competency).exists():
                raise refuse("competency", _("This competency is in the plan already."))
        diff = _apply(item, changes)
        validate(item, exclude=["plan", "competency"])
        item.revision += 1
        item.save(update_fields=[*diff, "revision"])
        _changed(actor, plan, round, {"row": "item", "op": "changed", "id": item.pk, **diff})
        warnings = _warnings(plan)
    return Saved(item, warnings)


@security.records_closed_writes
def plan_item_remove(*, actor: Viewer, item: PlanItem) -> None:
    """Remove a row with its goals, means, HR actions and follow-up entries (a signed
    round keeps them in its sealed content)."""
    with transaction.atomic():
        plan, round = _editable(actor, item.plan_id)
        item = PlanItem.objects.select_related("competency").get(pk=item.pk)
        if item.hr_actions.filter(status=HrActionStatus.ARRANGED).exists():
            raise ValidationFailed(_("HR already arranged an action of this row. Ask HR to "
                                     "undo it before you remove the row."))
        code = item.competency.code
        item.delete()
        _changed(actor, plan, round, {"row": "item", "op": "removed", "competency": code})


# Rows: goals --------------------------------------------------------------------------


@security.records_closed_writes
def plan_goal_add(*, actor: Viewer, item: PlanItem, text: str, term: dt.date | None = None,
                  term_note: str = "") -> Saved[PlanGoal]:
    """A development goal of a row with its term; returns the SMART check's advice."""
    with transaction.atomic():
        plan, round = _editable(actor, item.plan_id)
        item = PlanItem.objects.get(pk=item.pk)
        goal = PlanGoal(item=item, position=_next_position(item.goals), text=text.strip(),
                        term=term, term_note=term_note.strip())
        validate(goal, exclude=["item"])
        goal.save()
        _changed(actor, plan, round, {"row": "goal", "op": "added", "id": goal.pk,
                                      "item": item.pk})
    return Saved(goal, advice=goal_advice(goal, item, today=_today(plan)))


@security.records_closed_writes
def plan_goal_change(*, actor: Viewer, goal: PlanGoal, changes: Mapping[str, Any],
                     expected_revision: int | None = None) -> Saved[PlanGoal]:
    check_fields(changes, GOAL_FIELDS)
    with transaction.atomic():
        plan, round = _editable(actor, goal.item.plan_id)
        goal = PlanGoal.objects.select_related("item").get(pk=goal.pk)
        _unchanged_since(goal, expected_revision, GOAL_FIELDS)
        diff = _apply(goal, changes)
        validate(goal, exclude=["item"])
        goal.revision += 1
        goal.save(update_fields=[*diff, "revision"])
        _changed(actor, plan, round, {"row": "goal", "op": "changed", "id": goal.pk, **diff})
    return Saved(goal, advice=goal_advice(goal, goal.item, today=_today(plan)))


@security.records_closed_writes
def plan_goal_remove(*, actor: Viewer, goal: PlanGoal) -> None:
    with transaction.atomic():
        plan, round = _editable(actor, goal.item.plan_id)
        pk = goal.pk
        PlanGoal.objects.filter(pk=pk).delete()
        _changed(actor, plan, round, {"row": "goal", "op": "removed", "id": pk})


# Rows: means --------------------------------------------------------------------------


def _means(item: PlanItem, round: PlanRound, new: NewMeans,
           follow_up: FollowUpEntry | None = None) -> PlanMeans:
    means = PlanMeans(item=item, position=_next_position(item.means), action=new.action,
                      description=new.description.strip(), term=new.term,
                      term_note=new.term_note.strip(), supporter=new.supporter,
                      follow_up=follow_up, added_in_round=round)
    if means.action is None and not means.description:
        raise refuse("description", _("Choose a development action or describe the means."))
    validate(means, exclude=["item", "action", "supporter", "follow_up", "added_in_round"])
    means.save()
    return means


@security.records_closed_writes
def plan_means_add(
    *,
    actor: Viewer,
    item: PlanItem,
    action: DevelopmentAction | None = None,
    description: str = "",
    term: dt.date | None = None,
    term_note: str = "",
    supporter: Person | None = None,
) -> Saved[PlanMeans]:
    """A means with its own term: a development action (``selectors.recommended_actions``
    proposes those of the matrix; any other may be chosen) or a support action in words
    (``action`` None)."""
    with transaction.atomic():
        plan, round = _editable(actor, item.plan_id)
        _check_action(plan, action)
        _check_supporter(plan, supporter)
        item = PlanItem.objects.get(pk=item.pk)
        means = _means(item, round, NewMeans(action, description, term, term_note, supporter))
        _changed(actor, plan, round, {"row": "means", "op": "added", "id": means.pk,
                                      "item": item.pk,
                                      "action": action.code if action else None})
    return Saved(means)


@security.records_closed_writes
def plan_means_change(*, actor: Viewer, means: PlanMeans, changes: Mapping[str, Any],
                      expected_revision: int | None = None) -> Saved[PlanMeans]:
    check_fields(changes, MEANS_FIELDS)
    with transaction.atomic():
        plan, round = _editable(actor, means.item.plan_id)
        if "action" in changes:
            _check_action(plan, changes["action"])
        if "supporter" in changes:
            _check_supporter(plan, changes["supporter"])
        means = PlanMeans.objects.get(pk=means.pk)
        _unchanged_since(means, expected_revision, MEANS_FIELDS)
        diff = _apply(means, changes)
        if means.action_id is None and not means.description:
            raise refuse("description", _("Choose a development action or describe the "
                                          "means."))
        validate(means, exclude=["item", "action", "supporter", "follow_up", "added_in_round"])
        means.revision += 1
        means.save(update_fields=[*diff, "revision"])
        _changed(actor, plan, round, {"row": "means", "op": "changed", "id": means.pk, **diff})
    return Saved(means)


@security.records_closed_writes
def plan_means_remove(*, actor: Viewer, means: PlanMeans) -> None:
    with transaction.atomic():
        plan, round = _editable(actor, means.item.plan_id)
        pk = means.pk
        PlanMeans.objects.filter(pk=pk).delete()
        _changed(actor, plan, round, {"row": "means", "op": "removed", "id": pk})


# Rows: actions for HR -----------------------------------------------------------------


def _hr_action(item: PlanItem, round: PlanRound, new: NewHrAction,
               follow_up: FollowUpEntry | None = None) -> HrAction:
    hr_action = HrAction(item=item, position=_next_position(item.hr_actions),
                         description=new.description.strip(), action=new.action,
                         term=new.term, follow_up=follow_up, added_in_round=round)
    validate(hr_action, exclude=["item", "action", "follow_up", "added_in_round",
                                 "arranged_by"])
    hr_action.save()
    return hr_action


@security.records_closed_writes
def plan_hr_action_add(*, actor: Viewer, item: PlanItem, description: str,
                       action: DevelopmentAction | None = None,
                       term: dt.date | None = None) -> Saved[HrAction]:
    """Something HR or the personnel service must arrange (e.g. a registration), with
    the learning form it serves: it joins the training demand once the round is signed."""
    with transaction.atomic():
        plan, round = _editable(actor, item.plan_id)
        _check_action(plan, action)
        item = PlanItem.objects.get(pk=item.pk)
        hr_action = _hr_action(item, round, NewHrAction(description, action, term))
        _changed(actor, plan, round, {"row": "hr_action", "op": "added", "id": hr_action.pk,
                                      "item": item.pk})
    return Saved(hr_action)


@security.records_closed_writes
def plan_hr_action_change(*, actor: Viewer, hr_action: HrAction, changes: Mapping[str, Any],
                          expected_revision: int | None = None) -> Saved[HrAction]:
    check_fields(changes, HR_ACTION_FIELDS)
    with transaction.atomic():
        plan, round = _editable(actor, hr_action.item.plan_id)
        if "action" in changes:
            _check_action(plan, changes["action"])
        hr_action = HrAction.objects.get(pk=hr_action.pk)
        _unchanged_since(hr_action, expected_revision, HR_ACTION_FIELDS)
        diff = _apply(hr_action, changes)
        validate(hr_action, exclude=["item", "action", "follow_up", "added_in_round",
                                     "arranged_by"])
        hr_action.revision += 1
        hr_action.save(update_fields=[*diff, "revision"])
        _changed(actor, plan, round, {"row": "hr_action", "op": "changed",
                                      "id": hr_action.pk, **diff})
    return Saved(hr_action)


@security.records_closed_writes
def plan_hr_action_remove(*, actor: Viewer, hr_action: HrAction) -> None:
    with transaction.atomic():
        plan, round = _editable(actor, hr_action.item.plan_id)
        hr_action = HrAction.objects.get(pk=hr_action.pk)
        if hr_action.status == HrActionStatus.ARRANGED:
            raise ValidationFailed(_("HR already arranged this action. Ask HR to undo it "
                                     "before you remove it."))
        pk = hr_action.pk
        hr_action.delete()
        _changed(actor, plan, round, {"row": "hr_action", "op": "removed", "id": pk})


# Rows: realisation / follow-up --------------------------------------------------------


@security.records_closed_writes
def plan_follow_up_add(
    *,
    actor: Viewer,
    item: PlanItem,
    text: str,
    new_means: Sequence[NewMeans] = (),
    new_hr_actions: Sequence[NewHrAction] = (),
) -> Saved[FollowUpEntry]:
    """What was realised for a row, written in a follow-up round, with the new means
    and HR actions it leads to (the POP guide: "Realisatie/opvolging (→ nieuwe acties)")."""
    with transaction.atomic():
        plan, round = _editable(actor, item.plan_id)
        if round.kind == RoundKind.PLANNING:
            raise ValidationFailed(_("Realisation and follow-up are written in a follow-up "
                                     "round, after the plan was signed."))
        for new in new_means:
            _check_action(plan, new.action)
            _check_supporter(plan, new.supporter)
        for new_hr in new_hr_actions:
            _check_action(plan, new_hr.action)
        item = PlanItem.objects.get(pk=item.pk)
        entry = FollowUpEntry(item=item, round=round, text=text.strip(),
                              written_on=round.held_on, author=actor.user)
        validate(entry, exclude=["item", "round", "author"])
        entry.save()
        means = [_means(item, round, new, follow_up=entry) for new in new_means]
        hr_actions = [_hr_action(item, round, new, follow_up=entry) for new in new_hr_actions]
        _changed(actor, plan, round, {"row": "follow_up", "op": "added", "id": entry.pk,
                                      "item": item.pk, "new_means": [m.pk for m in means],
                                      "new_hr_actions": [h.pk for h in hr_actions]})
    return Saved(entry)


@security.records_closed_writes
def plan_follow_up_change(*, actor: Viewer, entry: FollowUpEntry, text: str,
                          expected_revision: int | None = None) -> Saved[FollowUpEntry]:
    """Change an entry of the open round (those of signed rounds are history)."""
    with transaction.atomic():
        plan, round = _editable(actor, entry.item.plan_id)
        entry = FollowUpEntry.objects.get(pk=entry.pk)
        if entry.round_id != round.pk:
            raise RecordClosed(_("This entry belongs to a signed round and can no longer "
                                 "change."), record=entry)
        _unchanged_since(entry, expected_revision, ["text"])
        diff = _apply(entry, {"text": text})
        validate(entry, exclude=["item", "round", "author"])
        entry.revision += 1
        entry.save(update_fields=["text", "revision"])
        _changed(actor, plan, round, {"row": "follow_up", "op": "changed", "id": entry.pk,
                                      "fields": list(diff)})
    return Saved(entry)


@security.records_closed_writes
def plan_follow_up_remove(*, actor: Viewer, entry: FollowUpEntry) -> None:
    """Remove an entry of the open round; the means and HR actions it added stay."""
    with transaction.atomic():
        plan, round = _editable(actor, entry.item.plan_id)
        entry = FollowUpEntry.objects.get(pk=entry.pk)
        if entry.round_id != round.pk:
            raise RecordClosed(_("This entry belongs to a signed round and can no longer "
                                 "change."), record=entry)
        pk = entry.pk
        entry.delete()
        _changed(actor, plan, round, {"row": "follow_up", "op": "removed", "id": pk})


# Rounds and signatures ----------------------------------------------------------------


def plan_round_start(
    *,
    actor: Viewer,
    plan: DevelopmentPlan,
    kind: str = RoundKind.FOLLOW_UP,
    held_on: dt.date | None = None,
    conversation: Conversation | None = None,
) -> Saved[PlanRound]:
    """Open the next round of a signed plan: a follow-up conversation (the POP guide, Stap 3)
    or an amendment between two conversations. The plan must be signed again.

    Checklist: lock; the actor builds the plan; the plan is signed; the kind is not
    ``planning``; the conversation is the employee's; the day is not before the last
    round's; a follow-up before the policy's earliest month is allowed but warned
    about; save the round; the plan is being followed up; audit.
    """
    if kind not in (RoundKind.FOLLOW_UP, RoundKind.AMENDMENT):
        raise refuse("kind", _("A later round is a follow-up or an amendment."))
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        _may_edit(actor, plan)
        if plan.status != PlanStatus.SIGNED:
            raise ValidationFailed(_("Only a signed plan gets a new round; sign the open "
                                     "round first."))
        _check_conversation(plan.employee, conversation)
        last = plan.rounds.order_by("-number").first()
        assert last is not None  # a plan is created with its first round
        day = held_on or (_conversation_day(conversation) if conversation else _today(plan))
        if day < last.held_on:
            raise refuse("held_on", _("A new round cannot come before the previous one."))
        warnings: tuple[str, ...] = ()
        if kind == RoundKind.FOLLOW_UP and plan.follow_up_earliest and plan.follow_up_due:
            message = early_follow_up_warning(
                held_on=day, window=FollowUpWindow(plan.follow_up_earliest, plan.follow_up_due))
            warnings = (message,) if message else ()
        round = PlanRound.objects.create(plan=plan, number=last.number + 1, kind=kind,
                                         held_on=day, conversation=conversation,
                                         created_by=actor.user)
        plan.status = PlanStatus.REVISING
        plan.save(update_fields=["status", "updated_at"])
        record(actor=actor.user, action="development_plan.round_started", target=plan,
               organisation_id=plan.organisation_id,
               changes={"round": round.number, "kind": kind, "held_on": day,
                        "conversation": conversation.pk if conversation else None})
        if kind == RoundKind.FOLLOW_UP:
            _resolve(plan, FOLLOW_UP)
    return Saved(round, warnings)


def plan_sign(*, actor: Viewer, plan: DevelopmentPlan) -> Saved[PlanSignature]:
    """Sign the open round as the employee or as the 1st evaluator (name, role, date).

    Checklist: lock; the actor signs this plan in a role; a round is open; the plan has
    a row; not signed in this role yet; seal the content as it is now and store the
    signature with it. A signature sealed over other content (the catalogue renamed a
    competency in between) is withdrawn. With both signatures: seal the round (content,
    seal, date), the plan is signed, and after a conversation the next follow-up falls
    in the policy's window. Else the other side is asked to sign, after the commit.
    """
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        role = permissions.signer_role(actor, plan)
        me = actor.person
        if role is None or me is None:
            raise ValidationFailed(_("Only the employee and their %(first)s sign the plan.")
                                   % {"first": _first(plan)})
        if plan.status not in EDITABLE_GROUP:
            raise ValidationFailed(_("There is nothing to sign: start a follow-up round "
                                     "first."))
        round = plan.rounds.get(status=RoundStatus.OPEN)
        if not plan.items.exists():
            raise ValidationFailed(_("Add at least one competency before you sign."))
        if round.signatures.filter(role=role).exists():
            raise ValidationFailed(_("You signed this round already."))
        content, seal = current_seal(plan, round)
        stale = list(round.signatures.exclude(seal=seal).values_list("role", flat=True))
        round.signatures.filter(role__in=stale).delete()
        today, now = _today(plan), clock.now()
        signature = PlanSignature.objects.create(
            round=round, role=role, signer=me, user=actor.user, name=me.full_name,
            signed_on=today, signed_at=now, seal=seal,
        )
        record(actor=actor.user, action="development_plan.signed", target=plan,
               organisation_id=plan.organisation_id,
               changes={"round": round.number, "role": role, "seal": seal,
                        **({"signatures_withdrawn": sorted(stale)} if stale else {})})
        _resolve(plan, SIGN, recipient=actor)
        roles = set(round.signatures.values_list("role", flat=True))
        if roles >= REQUIRED_SIGNERS:
            _seal_round(actor, plan, round, content, seal, today)
        else:
            _ask_to_sign(plan, signer=me, role=role, on=actor.on)
    return Saved(signature)


def _seal_round(actor: Viewer, plan: DevelopmentPlan, round: PlanRound,
                content: dict[str, Any], seal: str, today: dt.date) -> None:
    round.status, round.content, round.seal, round.signed_on = (
        RoundStatus.SIGNED, content, seal, today)
    round.save(update_fields=["status", "content", "seal", "signed_on"])
    plan.status = PlanStatus.SIGNED
    fields = ["status", "updated_at"]
    if round.kind in CONVERSATION_ROUNDS:
        window = follow_up_window(conversation_on=round.held_on,
                                  policy=policy_for(plan.organisation))
        plan.follow_up_earliest, plan.follow_up_due = window.earliest, window.due
        fields += ["follow_up_earliest", "follow_up_due"]
    plan.save(update_fields=fields)
    # The signed POP's reference number, given at its first sealed round and kept by
    # the rounds after it (records.reference_allocate).
    records.reference_allocate(organisation=plan.organisation, record=plan, on=today)
    record(actor=actor.user, action="development_plan.sealed", target=plan,
           organisation_id=plan.organisation_id,
           changes={"round": round.number, "seal": seal, "signed_on": today,
                    "follow_up_due": plan.follow_up_due})
    _resolve(plan, SIGN)


SIGN = "sign"  # sign the open round
FOLLOW_UP = "follow_up"  # hold the follow-up conversation (a new round)


def plan_task(plan: DevelopmentPlan, step: str) -> str:
    """The task a notification about the plan asks for (``SIGN``, ``FOLLOW_UP``); the same
    steps ``selectors.development_tasks`` lists."""
    return f"development_plan:{plan.pk}:{step}"


def _resolve(plan: DevelopmentPlan, step: str, *, recipient: Viewer | None = None) -> None:
    """``step`` is done (by ``recipient``, or for everyone): its notifications are
    resolved. An empty step: every task of the plan (closed or cancelled)."""
    notifications_resolve(task=plan_task(plan, step),
                          recipient_id=recipient.user.pk if recipient is not None else None)


def plan_url(plan: DevelopmentPlan) -> str:
    """Where a notification about the plan leads: the plan page once the web room has
    it (URL name ``development_plan``), until then the employee's timeline."""
    try:
        return reverse("development_plan", kwargs={"pk": plan.pk})
    except NoReverseMatch:
        return reverse("person_timeline", kwargs={"pk": plan.employee_id})


def _ask_to_sign(plan: DevelopmentPlan, *, signer: Person, role: SignerRole,
                 on: dt.date) -> None:
    other = (plan.employee if role == SignerRole.FIRST_EVALUATOR
             else evaluators.evaluator_line(plan.employee, on=on).first)
    if other is None or other.user_id is None:
        return
    round_number = plan.rounds.get(status=RoundStatus.OPEN).number
    notification = NewNotification(
        recipient_id=other.user_id,
        key=f"pop_sign:{plan.pk}:{round_number}:{signer.pk}:{other.user_id}",
        kind=SIGNATURE_AWAITED,
        params={"employee": plan.employee.full_name, "signer": signer.full_name},
        url=plan_url(plan), task=plan_task(plan, SIGN), about_id=plan.employee.user_id,
    )
    notify_many([notification])


def plan_close(*, actor: Viewer, plan: DevelopmentPlan) -> DevelopmentPlan:
    """Close a signed plan at the end of its period (the 1st evaluator); a new period
    gets a new plan."""
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        if not permissions.is_first_evaluator(actor, plan):
            raise ValidationFailed(_("The %(first)s closes the plan.") % {"first": _first(plan)})
        if plan.status != PlanStatus.SIGNED:
            raise ValidationFailed(_("Only a signed plan without an open round is closed."))
        plan.status = PlanStatus.CLOSED
        plan.save(update_fields=["status", "updated_at"])
        record(actor=actor.user, action="development_plan.closed", target=plan,
               organisation_id=plan.organisation_id,
               changes={"status": [PlanStatus.SIGNED, PlanStatus.CLOSED]})
        _resolve(plan, "")
    return plan


def plan_cancel(*, actor: Viewer, plan: DevelopmentPlan) -> DevelopmentPlan:
    """Drop a plan that was never signed (started by mistake, or for the wrong period)."""
    with transaction.atomic():
        plan = _locked(actor, plan.pk)
        _may_edit(actor, plan)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationFailed(_("A signed plan is closed, not cancelled."))
        plan.status = PlanStatus.CANCELLED
        plan.save(update_fields=["status", "updated_at"])
        record(actor=actor.user, action="development_plan.cancelled", target=plan,
               organisation_id=plan.organisation_id,
               changes={"status": [PlanStatus.DRAFT, PlanStatus.CANCELLED]})
        _resolve(plan, "")
    return plan
