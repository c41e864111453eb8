"""A person's timeline: every due date of their open cycles, who acts, and where it stands.

Read from the same step table as the reminders and the dashboard
(``milestones.STEPS``), so the three never disagree about what is due or late. Five
queries whatever the number of participations: the participations with their cycles
(and who recorded an agreed period), the policy, the evaluator line (two) and HR (one).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from koers.cycles.labels import role_label, step_label
from koers.cycles.leaving import Leaving, leaving_of
from koers.cycles.milestones import EVALUATION_STEPS, STEPS, Step
from koers.cycles.models import Cycle, CycleState, Participation
from koers.cycles.responsible import responsibles
from koers.organisation.models import Person
from koers.rulebook.deadlines import Period, period_for
from koers.rulebook.eligibility import Exemption
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.terms import terms_for


class EntryState(StrEnum):
    DONE = "done"
    OPEN = "open"  # to do, not yet due
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"  # a moment (nothing to do) still to come
    PASSED = "passed"  # a moment that has passed
    LAPSED = "lapsed"  # an evaluation step of a lapsed evaluation: no longer a task


@dataclass(frozen=True)
class Entry:
    step: Step
    due: dt.date
    responsible: tuple[Person, ...]  # empty: nobody holds the role
    done_on: dt.date | None
    state: EntryState
    # The policy's preset: the regime whose words name the role and the signature steps.
    preset: str = ""

    @property
    def label(self) -> str:
        return step_label(self.step.due, self.preset)

    @property
    def role(self) -> str:
        return role_label(self.step.responsible, self.preset)

    @property
    def responsible_names(self) -> str:
        return ", ".join(p.full_name for p in self.responsible)

    @property
    def is_moment(self) -> bool:
        return self.step.done_field is None


@dataclass(frozen=True)
class CycleTimeline:
    cycle: Cycle
    participation: Participation
    entries: list[Entry]
    # The policy's period; the participation's own differs when another was agreed.
    normal_period: Period
    # Someone who leaves before the evaluation, or is evaluated before leaving.
    leaving: Leaving | None = None

    @property
    def lapsed(self) -> str:
        """The lapse in the regime's words ("Lapsed on 31-03-2027: … the next evaluation
        cycle started without a mention"); empty when the evaluation did not lapse."""
        day = self.participation.lapsed_on
        words = terms_for(self.cycle.organisation.policy_preset).evaluation_lapsed
        if day is None or words is None:
            return ""
        return str(words) % {"day": day.strftime("%d-%m-%Y")}

    @property
    def leaving_recorded_by(self) -> str:
        """Who recorded the person leaving (their e-mail)."""
        user = self.participation.leaving_recorded_by
        return user.email if user is not None else ""

    @property
    def agreed_by(self) -> str:
        """Who recorded the agreed period (their e-mail, as elsewhere for HR's changes)."""
        user = self.participation.period_agreed_by
        return user.email if user is not None else ""


def person_timeline(
    person: Person, *, today: dt.date, policy: Policy | None = None
) -> list[CycleTimeline]:
    """The person's participations in open cycles, oldest cycle first, steps by date.

    Someone who leaves before the evaluation keeps the participation in the timeline,
    closed, with that state and its reason; only the steps due by the last day show.
    ``person`` must have ``unit`` and ``organisation`` loaded; ``policy``: the
    organisation's, when the caller has it already.
    """
    participations = list(
        Participation.objects.filter(
            Q(closed_on__isnull=True) | Q(exemption=Exemption.LEAVES_BEFORE_EVALUATION),
            person=person, cycle__state=CycleState.OPEN,
        )
        .select_related("cycle__organisation", "period_agreed_by", "leaving_recorded_by")
        .order_by("cycle__year", "pk")
    )
    if not participations:
        return []
    policy = policy or policy_for(person.organisation)
    who = responsibles([person], on=today)[person.pk]
    result = []
    for participation in participations:
        entries = []
        for step in STEPS:
            due: dt.date | None = getattr(participation, step.due_field)
            if due is None:
                continue
            if step.due in EVALUATION_STEPS and not participation.evaluation_required:
                continue
            done_on = getattr(participation, step.done_field) if step.done_field else None
            closed = participation.closed_on
            if closed is not None and due > closed and done_on is None:
                continue  # after the last working day: no longer a step
            state = _state(step, due, done_on, today)
            if (participation.lapsed_on is not None and step.due in EVALUATION_STEPS
                    and done_on is None and step.done_field is not None):
                state = EntryState.LAPSED
            entries.append(
                Entry(step, due, who.for_role(step.responsible), done_on, state,
                      policy.preset)
            )
        entries.sort(key=lambda entry: (entry.due, STEPS.index(entry.step)))
        normal = period_for(policy, year=participation.cycle.year, cycle_start=person.start_date)
        result.append(CycleTimeline(participation.cycle, participation, entries, normal,
                                    leaving_of(participation, person, policy)))
    return result


def _state(step: Step, due: dt.date, done_on: dt.date | None, today: dt.date) -> EntryState:
    if step.done_field is None:
        return EntryState.PASSED if due < today else EntryState.UPCOMING
    if done_on is not None:
        return EntryState.DONE
    if due < today:
        return EntryState.OVERDUE
    return EntryState.DUE_TODAY if due == today else EntryState.OPEN
