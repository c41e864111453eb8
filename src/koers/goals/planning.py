"""The planning signed "voor akkoord": the agreed goals of one evaluation period, signed
by the employee, the 1st evaluator and the 2nd evaluator (Flemish regime; who signs and
in which order is ``rulebook.planning``).

What the planning is: the person's goals of the participation's period — a goal of the
participation's cycle, or a goal without a cycle whose start and deadline do not lie
wholly outside the period — that both sides agreed (``states.AGREED_GROUP``). It can be
signed once at least one goal is agreed and none is still proposed.

What a signature seals: the participation, the period and, for each agreed goal, its
content (kind, title, description, measure, means, start, deadline, milestones, team
goal) — not its status or progress, which change during the year without changing the
planning. The seal is the SHA-256 of a canonical serialisation (``FORMAT``), stored with
the content on the signature, so anyone can recompute it. A signature counts for the
planning as it is now when its seal is the current one; when a goal is added or changed
after, the seal changes, the signatures of before stay as history and the planning is
signed again.

Who signs is decided by the line of the day (``Viewer.team_ids``, ``second_line_ids``):
the employee, their 1st and their 2nd evaluator. Nobody else reads the planning here.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles.milestones import steps_done
from koers.cycles.models import CycleState, Participation
from koers.goals.models import Goal, PlanningSignature
from koers.goals.notifications import PLANNING_TO_SIGN
from koers.goals.states import AGREED_GROUP, GoalStatus
from koers.notify.services import notifications_resolve, notify
from koers.organisation import evaluators
from koers.organisation.models import Person
from koers.rulebook.planning import PlanningSigner, PlanningSigning, planning_signing
from koers.rulebook.terms import Terms, terms_for

FORMAT = "koers-planning-seal-1"
# What of a goal the planning seals (see the module's docstring).
SEALED_FIELDS = ("kind", "title", "description", "measure", "means", "start_date",
                 "deadline", "milestones")


def canonical(content: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8; ``content`` holds JSON values only."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")


def seal(content: Any) -> str:
    return hashlib.sha256(FORMAT.encode("ascii") + b"\n" + canonical(content)).hexdigest()


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def planning_content(participation: Participation, goals: Sequence[Goal]) -> dict[str, Any]:
    """What a signature covers: the period and the agreed goals' content, by goal id."""
    return {
        "format": FORMAT,
        "participation": participation.pk,
        "person": participation.person_id,
        "period": [participation.period_start.isoformat(),
                   participation.period_end.isoformat()],
        "goals": [
            {"id": goal.pk, "team_goal": goal.team_goal_id,
             **{name: _value(getattr(goal, name)) for name in SEALED_FIELDS}}
            for goal in sorted(goals, key=lambda goal: goal.pk)
        ],
    }


def _in_period(goal: Goal, participation: Participation) -> bool:
    if goal.cycle_id is not None:
        return goal.cycle_id == participation.cycle_id
    return ((goal.deadline is None or goal.deadline >= participation.period_start)
            and (goal.start_date is None or goal.start_date <= participation.period_end))


@dataclass(frozen=True)
class Planning:
    """One person's planning of one period as it stands, for the viewer."""

    participation: Participation
    signing: PlanningSigning | None  # None: the regime signs no planning
    goals: list[Goal]  # the agreed goals it covers now
    proposed: int  # goals of the period still waiting for agreement
    content: dict[str, Any]
    seal: str
    signatures: list[PlanningSignature]  # every signature ever given, oldest first
    role: PlanningSigner | None  # the viewer's part in it today
    today: dt.date
    current: dict[str, PlanningSignature] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "current", {
            signature.role: signature for signature in self.signatures
            if signature.seal == self.seal})

    @property
    def person(self) -> Person:
        return self.participation.person

    @property
    def terms(self) -> Terms:
        return terms_for(self.person.organisation.policy_preset)

    @property
    def signable(self) -> bool:
        """The period's goals are agreed: at least one, none still proposed."""
        return self.signing is not None and bool(self.goals) and not self.proposed

    @property
    def complete(self) -> bool:
        return (self.signing is not None and bool(self.goals)
                and self.signing.complete(self.current))

    @property
    def next_signers(self) -> tuple[PlanningSigner, ...]:
        if not self.signable or self.signing is None:
            return ()
        return self.signing.next_signers(self.current)

    @property
    def may_sign(self) -> bool:
        return self.role is not None and self.role in self.next_signers

    @property
    def due(self) -> dt.date | None:
        """The planning's deadline (``rulebook.deadlines``: the end of March in Flanders)."""
        return self.participation.planning_due

    @property
    def signer_count(self) -> int:
        return len(self.signing.signers) if self.signing is not None else 0

    @property
    def earlier(self) -> list[PlanningSignature]:
        """Signatures under an earlier version of the planning."""
        return [signature for signature in self.signatures if signature.seal != self.seal]

    def rows(self) -> list[tuple[PlanningSigner, str, PlanningSignature | None]]:
        """Each signer in order, named in the regime's words, with their signature under
        the planning as it is now (``None``: not yet)."""
        if self.signing is None:
            return []
        terms = self.terms
        names = {PlanningSigner.EMPLOYEE: _("employee"),
                 PlanningSigner.FIRST_EVALUATOR: str(terms.first_evaluator),
                 PlanningSigner.SECOND_EVALUATOR: str(terms.second_evaluator)}
        return [(signer, names[signer], self.current.get(signer))
                for signer in self.signing.signers]

    def what(self) -> str:
        """The task, in the active language."""
        return _("Sign the planning of %(period)s for agreement") % {
            "period": self.participation.cycle.name}


def role_of(viewer: Viewer, person: Person) -> PlanningSigner | None:
    """The viewer's part in ``person``'s planning, by the evaluator line of the day."""
    me = viewer.person
    if me is None:
        return None
    if me.pk == person.pk:
        return PlanningSigner.EMPLOYEE
    if person.pk in viewer.team_ids:
        return PlanningSigner.FIRST_EVALUATOR
    if person.pk in viewer.second_line_ids:
        return PlanningSigner.SECOND_EVALUATOR
    return None


def _participations() -> QuerySet[Participation]:
    return Participation.objects.select_related("person__organisation", "person__unit",
                                                "cycle__organisation")


def _plannings(viewer: Viewer, participations: Sequence[Participation]) -> list[Planning]:
    """The plannings of ``participations`` in three queries, whatever their number."""
    if not participations:
        return []
    owners = {participation.person_id for participation in participations}
    goals = list(Goal.objects.filter(
        owner__in=owners,
        status__in=[*sorted(AGREED_GROUP), GoalStatus.PROPOSED]).order_by("pk"))
    signatures = list(PlanningSignature.objects.filter(participation__in=participations)
                      .order_by("signed_at", "pk"))
    today = clock.today()
    plannings = []
    for participation in participations:
        mine = [goal for goal in goals if goal.owner_id == participation.person_id
                and _in_period(goal, participation)]
        agreed = [goal for goal in mine if goal.status in AGREED_GROUP]
        content = planning_content(participation, agreed)
        plannings.append(Planning(
            participation=participation,
            signing=planning_signing(participation.person.organisation.policy_preset),
            goals=agreed,
            proposed=sum(goal.status == GoalStatus.PROPOSED for goal in mine),
            content=content, seal=seal(content),
            signatures=[s for s in signatures if s.participation_id == participation.pk],
            role=role_of(viewer, participation.person), today=today))
    return plannings


def planning_read(viewer: Viewer, participation_id: int) -> Planning | None:
    """The planning of participation ``participation_id`` if the viewer is one of its
    signers (employee, 1st or 2nd evaluator today); ``None`` for missing and forbidden."""
    participation = _participations().filter(pk=participation_id).first()
    if participation is None or role_of(viewer, participation.person) is None:
        return None
    return _plannings(viewer, [participation])[0]


def participation_for(viewer: Viewer, participation_id: int) -> Participation | None:
    """The participation ``participation_id`` if the viewer is one of its planning's
    signers; ``None`` for missing and forbidden (the faces answer 404 for both)."""
    participation = _participations().filter(pk=participation_id).first()
    if participation is None or role_of(viewer, participation.person) is None:
        return None
    return participation


def plannings_of(viewer: Viewer, person: Person) -> list[Planning]:
    """The plannings of ``person`` in the open cycles, for the person's goals page: only
    where the regime signs a planning and the viewer is one of its signers."""
    if planning_signing(person.organisation.policy_preset) is None:
        return []
    if role_of(viewer, person) is None:
        return []
    participations = list(_participations().filter(
        person=person, cycle__state=CycleState.OPEN).order_by("-period_start"))
    return _plannings(viewer, participations)


def plannings_awaiting_signature(viewer: Viewer) -> list[Planning]:
    """The plannings whose next signature is the viewer's (the task list), in the open
    cycles of a regime that signs them: a fixed number of queries."""
    me = viewer.person
    if me is None or planning_signing(me.organisation.policy_preset) is None:
        return []
    people: Iterable[int] = {me.pk} | viewer.team_ids | viewer.second_line_ids
    participations = list(_participations().filter(
        Q(person__in=people), cycle__state=CycleState.OPEN, closed_on__isnull=True,
        person__organisation=me.organisation_id).order_by("planning_due", "pk"))
    return [planning for planning in _plannings(viewer, participations) if planning.may_sign]


def planning_sign(*, actor: Viewer, participation: Participation) -> Planning:
    """Sign the planning of ``participation`` "voor akkoord" as the employee, the 1st or
    the 2nd evaluator, sealing the agreed goals it covers now; the planning as it stands
    after the signature.

    Checklist: lock the participation (two signers at once sign one after the other);
    the actor is one of its signers; the regime signs plannings; the goals are agreed;
    the actor has not signed this version yet and it is their turn (the 2nd evaluator
    after the other two); write the signature with its seal; audit; resolve the actor's
    notification asking for it and tell whoever signs next (``_tell_next``); once all
    have signed, the participation's planning step is done (``_planning_done``): all in
    one transaction.
    """
    with transaction.atomic():
        locked = (_participations().select_for_update(of=("self",))
                  .get(pk=participation.pk))
        role = role_of(actor, locked.person)
        if role is None:
            raise NotFoundOrForbidden(_("This planning does not exist or is not yours to "
                                        "see."))
        planning = _plannings(actor, [locked])[0]
        terms = planning.terms
        if planning.signing is None:
            raise ValidationFailed(_("In this regime the planning is not signed as a whole: "
                                     "each goal is agreed on its own."))
        if not planning.goals:
            raise ValidationFailed(_("No goal of this period is agreed yet: agree the goals "
                                     "first, then sign the planning."))
        if planning.proposed:
            raise ValidationFailed(_("Some goals of this period are still proposed: agree or "
                                     "cancel them before the planning is signed."))
        if role in planning.current:
            raise ValidationFailed(_("You have signed this planning for agreement already."))
        if role not in planning.next_signers:
            raise ValidationFailed(
                _("The %(second)s signs the planning once the employee and the %(first)s "
                  "have signed it.") % {"second": terms.second_evaluator,
                                        "first": terms.first_evaluator})
        signer = actor.person
        assert signer is not None  # role_of gave a role
        signature = PlanningSignature.objects.create(
            participation=locked, role=role, signer=signer, signer_name=signer.full_name,
            signed_at=clock.now(), content=planning.content, seal=planning.seal)
        complete = planning.signing.complete({*planning.current, role})
        audit.record(
            actor=actor.user, action="planning.signed", target=locked,
            changes={"role": [None, role.value], "seal": [None, planning.seal],
                     "goals": [None, [goal.pk for goal in planning.goals]],
                     "complete": [None, complete]},
            organisation_id=locked.person.organisation_id)
        if complete:
            notifications_resolve(task=sign_task(locked.pk))
            _planning_done(locked)
        else:
            notifications_resolve(task=sign_task(locked.pk), recipient_id=actor.user.pk)
            _tell_next(locked, planning, signed={*planning.current, role}, signer=signer)
    return replace(planning, signatures=[*planning.signatures, signature])


def sign_task(participation_id: int) -> str:
    """The task a notification asking to sign the planning names (``notify``): resolved
    for the signer when they sign, for everyone once the planning is complete."""
    return f"planning:{participation_id}:sign"


def _tell_next(participation: Participation, planning: Planning, *, signed: set[str],
               signer: Person) -> None:
    """Tell each next signer, in their language when it is shown or e-mailed
    (``notify``), that the planning waits for their signature: once per version of the
    planning (its seal) and signer. The notification table is the outbox: nothing is
    told unless the signature commits, and a mail server that is down loses nothing."""
    assert planning.signing is not None
    waiting = planning.signing.next_signers(signed)
    if not waiting:
        return
    person = participation.person
    line = evaluators.evaluator_line(person, on=clock.today())
    recipients = {PlanningSigner.EMPLOYEE: person, PlanningSigner.FIRST_EVALUATOR: line.first,
                  PlanningSigner.SECOND_EVALUATOR: line.second}
    params = {"person": person.full_name, "actor": signer.full_name,
              "period": participation.cycle.name}
    url = reverse("planning_detail", args=[participation.pk])
    for role in waiting:
        recipient = recipients[role]
        if recipient is None or recipient.user is None:
            continue
        notify(recipient=recipient.user, key=f"planning:{participation.pk}:{planning.seal}:{role}",
               kind=PLANNING_TO_SIGN, params=params, url=url, task=sign_task(participation.pk),
               about_id=person.user_id)


def _planning_done(participation: Participation) -> None:
    """All three signed: the participation's planning step is done today, unless a held
    planning conversation or an earlier complete version did it already. A later change
    of the goals asks for new signatures but does not reopen the step (docs/policies.md,
    "The planning signature")."""
    if participation.planning_done_on is not None:
        return
    participation.planning_done_on = clock.today()
    participation.save(update_fields=["planning_done_on"])
    steps_done(participation, ["planning_done_on"])
