"""Writes to goals. The web pages and the API both call these; each is one transaction.

Agreement (SMART's *acceptable*): a goal is proposed by the employee or by their 1st
evaluator, whose confirmation counts at once; it becomes ``agreed`` when the other side
confirms too. While a goal is still proposed, a change by one side clears the other
side's confirmation, so both always confirm the same text.

Adjustments after agreement: goals may change during the year (changed agreements are
recorded, not renegotiated). Once agreed, a change of content needs a reason and keeps
the goal agreed; the history keeps who changed which fields from what to what, when and
why, and both sides read it. Progress alone needs no reason.
"""

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access import security
from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.core import clock
from koers.core.errors import (
    EditConflict,
    NotFoundOrForbidden,
    RecordClosed,
    ValidationFailed,
    require_revision,
)
from koers.core.models import User
from koers.cycles.models import Cycle
from koers.goals import permissions
from koers.goals.models import ChangeKind, Goal, GoalChange, GoalComment, Visibility
from koers.goals.notifications import AWAITING_CONFIRMATION
from koers.goals.states import (
    AGREED_GROUP,
    ALLOWED,
    OPEN_GROUP,
    GoalStatus,
    evaluator_decides,
)
from koers.notify.services import notifications_resolve, notify
from koers.organisation import evaluators
from koers.organisation.models import Person, Unit, path_ids
from koers.rulebook.terms import Terms, terms_for

# What goal_adjust may change; the rest follows from the other services.
CONTENT_FIELDS = (
    "kind", "title", "description", "measure", "means", "start_date", "deadline",
    "milestones", "visibility", "team_goal",
)
ADJUSTABLE_FIELDS = (*CONTENT_FIELDS, "progress")


def _user(actor: Viewer) -> User:
    return actor.user


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Goal):
        return value.pk
    return value


def _validate(goal: Goal) -> None:
    try:
        # The constraints are the database's; the checks below give them field messages.
        goal.full_clean(exclude=["proposed_by", "evaluator_confirmed_by", "owner", "unit",
                                 "team_goal", "cycle"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationFailed(_("Please correct the errors below."), error.message_dict) from error
    errors: dict[str, list[str]] = {}
    if goal.start_date and goal.deadline and goal.deadline < goal.start_date:
        errors["deadline"] = [_("The deadline cannot be before the start.")]
    milestone_errors = _milestone_errors(goal.milestones)
    if milestone_errors:
        errors["milestones"] = milestone_errors
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def _milestone_errors(milestones: Any) -> list[str]:
    if not isinstance(milestones, list):
        return [_("Milestones are a list of dated steps.")]
    for step in milestones:
        if not isinstance(step, dict) or not str(step.get("text", "")).strip():
            return [_("Each milestone has a date and a description.")]
        try:
            dt.date.fromisoformat(str(step.get("date", "")))
        except ValueError:
            return [_("Each milestone has a date and a description.")]
    return []


def normalise_milestones(milestones: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Milestones as stored: ISO dates, stripped text, in date order."""
    steps = [
        {"date": _json(step.get("date")), "text": str(step.get("text", "")).strip()}
        for step in milestones
    ]
    return sorted(steps, key=lambda step: str(step["date"]))


def _check_team_goal(owner: Person, team_goal: Goal | None) -> None:
    """A goal links to a team goal of the owner's unit or of a unit above it."""
    if team_goal is None:
        return
    if team_goal.unit_id is None or team_goal.unit_id not in path_ids(owner.unit.path):
        message = _("Link to a team goal of your own unit or of a unit above it.")
        raise ValidationFailed(message, {"team_goal": [message]})


def _record(goal: Goal, *, actor: Viewer, kind: ChangeKind, fields: dict[str, Any] | None = None,
            reason: str = "") -> GoalChange:
    """The goal's own history line and, in the same transaction, the audit event."""
    audit.record(
        actor=_user(actor),
        action=f"goal.{kind}",
        target=goal,
        changes={**(fields or {}), **({"reason": [None, reason.strip()]} if reason else {})},
        organisation_id=_organisation_id(goal),
    )
    return GoalChange.objects.create(
        goal=goal, kind=kind, actor=_user(actor), at=clock.now(), fields=fields or {},
        reason=reason.strip(),
    )


def _ask_the_other_side(goal: Goal, *, actor: Viewer, change: GoalChange) -> None:
    """After the commit, tell the side whose confirmation a proposed goal waits for.

    Once for each proposal or change (the key names the history line), in the app and
    by e-mail, with names only: the goal stays behind the link.
    """
    owner = goal.owner
    if owner is None or goal.status != GoalStatus.PROPOSED:
        return
    if goal.employee_confirmed_at is None:
        recipient = owner.user
    elif goal.evaluator_confirmed_at is None:
        first = evaluators.evaluator_line(owner, on=clock.today()).first
        recipient = first.user if first is not None else None
    else:
        return
    if recipient is None or recipient.pk == actor.user.pk:
        return
    params = {"person": owner.full_name,
              "actor": actor.person.full_name if actor.person else actor.user.email}
    url = reverse("goal_detail", args=[goal.pk])
    notify(recipient=recipient, key=f"goal:{goal.pk}:confirm:{change.pk}",
           kind=AWAITING_CONFIRMATION, params=params, url=url, task=_confirm_task(goal),
           about_id=owner.user_id)


def _confirm_task(goal: Goal) -> str:
    return f"goal:{goal.pk}:confirm"


def _settle(goal: Goal, *, actor: Viewer) -> None:
    """The actor confirmed or changed the goal (a change is the changer's confirmation):
    their notification asking for it is done; all of them once it waits for nobody."""
    if goal.status != GoalStatus.PROPOSED:
        notifications_resolve(task=_confirm_task(goal))
    else:
        notifications_resolve(task=_confirm_task(goal), recipient_id=actor.user.pk)


def _organisation_id(goal: Goal) -> int:
    if goal.owner_id is not None:
        return int(Person.objects.values_list("organisation_id", flat=True).get(pk=goal.owner_id))
    # A goal belongs to a person or to a unit (a database constraint says so).
    assert goal.unit_id is not None
    return int(Unit.objects.values_list("organisation_id", flat=True).get(pk=goal.unit_id))


def _locked(goal: Goal) -> Goal:
    # of=self: PostgreSQL locks no row of an outer-joined table (a team goal has no owner).
    return (
        Goal.objects.select_for_update(of=("self",))
        .select_related("owner__unit", "unit")
        .get(pk=goal.pk)
    )


def _terms(person: Person | None) -> Terms:
    """The words of ``person``'s regime (``rulebook.terms``): a refusal names the roles
    as the goal's owner's organisation does ("their manager" in a Dutch municipality)."""
    return terms_for(person.organisation.policy_preset if person is not None else None)


def _may_edit(actor: Viewer, goal: Goal) -> None:
    if not permissions.can_view_goal(actor, goal):
        raise NotFoundOrForbidden(_("This goal does not exist or is not yours to see."))
    if not permissions.can_edit_goal(actor, goal):
        raise ValidationFailed(
            _("Only the employee and their %(first)s change this goal.")
            % {"first": _terms(goal.owner).first_evaluator}
            if goal.owner_id is not None
            else _("Only the manager of the unit changes its team goals.")
        )


def goal_propose(
    *,
    actor: Viewer,
    owner: Person,
    kind: str,
    title: str,
    description: str = "",
    measure: str = "",
    means: str = "",
    start_date: dt.date | None = None,
    deadline: dt.date | None = None,
    milestones: Sequence[Mapping[str, Any]] = (),
    visibility: str = Visibility.PRIVATE,
    team_goal: Goal | None = None,
    cycle: Cycle | None = None,
) -> Goal:
    """Propose a goal for ``owner``; the proposer's own confirmation counts at once.

    Checklist: the actor is the employee or their 1st evaluator; the team goal is one of
    the owner's units; the fields are valid; save; history.
    """
    if not permissions.can_propose_for(actor, owner):
        raise ValidationFailed(_("Only the employee and their %(first)s propose goals.")
                               % {"first": _terms(owner).first_evaluator})
    _check_team_goal(owner, team_goal)
    now = clock.now()
    by_employee = actor.person is not None and actor.person.pk == owner.pk
    goal = Goal(
        owner=owner, kind=kind, title=title.strip(), description=description.strip(),
        measure=measure.strip(), means=means.strip(), start_date=start_date, deadline=deadline,
        milestones=normalise_milestones(milestones), visibility=visibility, team_goal=team_goal,
        cycle=cycle, status=GoalStatus.PROPOSED, progress=0, proposed_by=_user(actor),
        employee_confirmed_at=now if by_employee else None,
        evaluator_confirmed_at=None if by_employee else now,
        evaluator_confirmed_by=None if by_employee else _user(actor),
    )
    _validate(goal)
    with transaction.atomic():
        goal.save()
        change = _record(goal, actor=actor, kind=ChangeKind.PROPOSED)
        _ask_the_other_side(goal, actor=actor, change=change)
    return goal


def team_goal_create(
    *,
    actor: Viewer,
    unit: Unit,
    kind: str,
    title: str,
    description: str = "",
    measure: str = "",
    means: str = "",
    start_date: dt.date | None = None,
    deadline: dt.date | None = None,
    milestones: Sequence[Mapping[str, Any]] = (),
) -> Goal:
    """A goal the manager sets for a unit they manage; it is agreed as it is set.

    Team goals are always visible to the unit's members, who link their own goals to it.
    """
    if not permissions.can_set_team_goals(actor, unit):
        raise ValidationFailed(_("Only the manager of the unit sets its team goals."))
    goal = Goal(
        unit=unit, kind=kind, title=title.strip(), description=description.strip(),
        measure=measure.strip(), means=means.strip(), start_date=start_date, deadline=deadline,
        milestones=normalise_milestones(milestones), visibility=Visibility.SHARED,
        status=GoalStatus.AGREED, progress=0, proposed_by=_user(actor),
    )
    _validate(goal)
    with transaction.atomic():
        goal.save()
        _record(goal, actor=actor, kind=ChangeKind.PROPOSED)
    return goal


def goal_confirm(*, actor: Viewer, goal: Goal,
                 if_revision_in: Collection[int] | None = None) -> Goal:
    """Confirm a proposed goal as the employee or as the 1st evaluator.

    ``if_revision_in``: the revisions the caller read (the API's ``If-Match``; the pages
    pass none), compared with the locked goal's: ``PreconditionFailed`` when it has none
    of them, and nothing changes.

    Checklist: lock; the revision the caller read; the actor is one of the two sides and
    has not confirmed yet; the goal is proposed; stamp the confirmation; agreed when both
    confirmed; history.
    """
    with transaction.atomic():
        goal = _locked(goal)
        require_revision(goal.revision, if_revision_in)
        _may_edit(actor, goal)
        if goal.status != GoalStatus.PROPOSED or goal.owner_id is None:
            raise ValidationFailed(_("Only a proposed goal can be confirmed."))
        now = clock.now()
        if permissions.is_employee(actor, goal):
            if goal.employee_confirmed_at is not None:
                raise ValidationFailed(_("You have confirmed this goal already."))
            goal.employee_confirmed_at = now
        else:
            if goal.evaluator_confirmed_at is not None:
                raise ValidationFailed(_("You have confirmed this goal already."))
            goal.evaluator_confirmed_at, goal.evaluator_confirmed_by = now, _user(actor)
        fields: dict[str, Any] = {}
        if goal.employee_confirmed_at is not None and goal.evaluator_confirmed_at is not None:
            fields["status"] = [goal.status, GoalStatus.AGREED.value]
            goal.status = GoalStatus.AGREED
        goal.revision += 1
        goal.save(update_fields=["employee_confirmed_at", "evaluator_confirmed_at",
                                 "evaluator_confirmed_by", "status", "revision",
                                 "updated_at"])
        _record(goal, actor=actor, kind=ChangeKind.CONFIRMED, fields=fields)
        _settle(goal, actor=actor)
    return goal


def goal_current(goal: Goal) -> dict[str, Any]:
    """What is saved now of the adjustable fields, for an editor who met a newer save."""
    return {name: (goal.team_goal_id if name == "team_goal" else getattr(goal, name))
            for name in ADJUSTABLE_FIELDS}


@security.records_closed_writes
def goal_adjust(
    *, actor: Viewer, goal: Goal, changes: Mapping[str, Any], reason: str = "",
    expected_revision: int | None = None, if_revision_in: Collection[int] | None = None,
) -> Goal:
    """Change a goal's content or progress; after agreement a content change needs a reason.

    ``expected_revision`` is the revision the editor started from (the pages and the API
    always give it): if the goal changed since, nothing is saved and ``EditConflict``
    carries what is saved now.

    ``if_revision_in``: the revisions the caller read (the API's ``If-Match``; the pages
    pass none), compared with the locked goal's: ``PreconditionFailed`` when it has none
    of them, and nothing changes.

    Checklist: lock; the revision the caller read; the actor is one of the two sides (or
    the unit's manager); the goal
    is open; the revision the editor started from; only adjustable fields; something
    changed; the reason when agreed; before a goal is agreed, the other side's
    confirmation is cleared; validate; save with the next revision; history.
    """
    unknown = set(changes) - set(ADJUSTABLE_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s")
                               % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        goal = _locked(goal)
        require_revision(goal.revision, if_revision_in)
        _may_edit(actor, goal)
        if goal.status not in OPEN_GROUP:
            raise RecordClosed(_("A closed goal can no longer be changed."), record=goal)
        if expected_revision is not None and expected_revision != goal.revision:
            raise EditConflict(
                _("Someone else changed this goal since you opened it: nothing of yours "
                  "was saved."), current=goal_current(goal), revision=goal.revision)
        new = dict(changes)
        if "milestones" in new:
            new["milestones"] = normalise_milestones(new["milestones"])
        for name in ("title", "description", "measure", "means"):
            if name in new:
                new[name] = str(new[name]).strip()
        diff = {
            name: [_json(getattr(goal, name)), _json(value)]
            for name, value in new.items()
            if _json(getattr(goal, name)) != _json(value)
        }
        if not diff:
            raise ValidationFailed(_("Nothing was changed."))
        content_changed = any(name in CONTENT_FIELDS for name in diff)
        if content_changed and goal.status in AGREED_GROUP and not reason.strip():
            message = _("Say why an agreed goal changes: both of you read it in the history.")
            raise ValidationFailed(message, {"reason": [message]})
        if "team_goal" in diff:
            if goal.owner is None:
                raise ValidationFailed(_("A team goal does not link to another team goal."))
            _check_team_goal(goal.owner, new["team_goal"])
        for name in diff:
            setattr(goal, name, new[name])
        goal.revision += 1
        update = [*diff, "revision", "updated_at"]
        if content_changed and goal.status == GoalStatus.PROPOSED and goal.owner_id is not None:
            # Both sides confirm the same text: the change is the changer's confirmation.
            now = clock.now()
            if permissions.is_employee(actor, goal):
                goal.employee_confirmed_at = now
                goal.evaluator_confirmed_at, goal.evaluator_confirmed_by = None, None
            else:
                goal.employee_confirmed_at = None
                goal.evaluator_confirmed_at, goal.evaluator_confirmed_by = now, _user(actor)
            update += ["employee_confirmed_at", "evaluator_confirmed_at",
                       "evaluator_confirmed_by"]
        _validate(goal)
        goal.save(update_fields=update)
        change = _record(goal, actor=actor, kind=ChangeKind.ADJUSTED, fields=diff,
                         reason=reason)
        if content_changed:
            _settle(goal, actor=actor)
            _ask_the_other_side(goal, actor=actor, change=change)
    return goal


def goal_set_status(*, actor: Viewer, goal: Goal, status: str, reason: str = "",
                    if_revision_in: Collection[int] | None = None) -> Goal:
    """Move a goal along the transition table (states.ALLOWED).

    ``if_revision_in``: the revisions the caller read (the API's ``If-Match``; the pages
    pass none), compared with the locked goal's: ``PreconditionFailed`` when it has none
    of them, and nothing changes.

    Checklist: lock; the revision the caller read; the actor is one of the two sides; the
    move is in the table; achieved / not achieved, and cancelling an agreed goal, are the
    evaluator's; save; history.
    """
    try:
        target = GoalStatus(status)
    except ValueError:
        raise ValidationFailed(_("Unknown status.")) from None
    with transaction.atomic():
        goal = _locked(goal)
        require_revision(goal.revision, if_revision_in)
        _may_edit(actor, goal)
        source = GoalStatus(goal.status)
        if target == GoalStatus.AGREED:
            raise ValidationFailed(_("A goal becomes agreed when both sides confirm it."))
        if target not in ALLOWED[source]:
            raise ValidationFailed(
                _("A goal that is %(source)s cannot become %(target)s.")
                % {"source": source.label, "target": target.label}
            )
        if evaluator_decides(source, target) and permissions.is_employee(actor, goal):
            raise ValidationFailed(_("Your %(first)s decides this; ask them to.")
                                   % {"first": _terms(goal.owner).first_evaluator})
        goal.status = target
        goal.revision += 1
        goal.save(update_fields=["status", "revision", "updated_at"])
        _record(goal, actor=actor, kind=ChangeKind.STATUS,
                fields={"status": [source.value, target.value]}, reason=reason)
        _settle(goal, actor=actor)
    return goal


def goal_comment(*, actor: Viewer, goal: Goal, text: str) -> GoalComment:
    """A follow-up note by one of the two sides (or the unit's manager)."""
    _may_edit(actor, goal)
    if not text.strip():
        message = _("Write a note first.")
        raise ValidationFailed(message, {"text": [message]})
    with transaction.atomic():
        return GoalComment.objects.create(
            goal=goal, author=_user(actor), at=clock.now(), text=text.strip()
        )

