"""The manager's team view: each member's goals, conversations and what is due.

One read for one screen (and its API operation), in a fixed number of queries whatever
the size of the team: the members with their last and next conversation (subqueries),
their goals counted by status, their open goals' deadlines and milestones, and their
participations in open cycles. What is due and what is overdue comes from the same
step table as the timeline, the reminders and the dashboard (``cycles.milestones``), so
the four never disagree; a goal's deadline and milestones count as due dates too.

The team is the viewer's 1st-evaluator team (``Viewer.team_ids``): the people whose
goals and conversations they agree and hold.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.conversations.permissions import conversations_visible_to
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.cycles.labels import step_label
from koers.cycles.milestones import EVALUATION_STEPS, STEPS
from koers.cycles.models import CycleState, Participation
from koers.goals.permissions import goals_visible_to
from koers.goals.states import OPEN_GROUP, GoalStatus
from koers.organisation.models import Person, Unit


@dataclass(frozen=True)
class DueItem:
    """One thing to do by a date: a step of the cycle or a goal's deadline or milestone."""

    label: str
    due: dt.date
    overdue: bool
    goal_id: int | None = None  # a goal's deadline or milestone; None: a cycle step
    # The cycle of a step: a person may be in two open cycles (last year's, still open,
    # and this year's), whose steps would otherwise read as the same item twice.
    cycle_year: int | None = None
    cycle_name: str | None = None  # the period's name (``Cycle.name``)


@dataclass(frozen=True)
class ConversationRef:
    pk: int
    kind: str
    on: dt.datetime | dt.date

    @property
    def kind_label(self) -> str:
        return str(ConversationKind(self.kind).label)


@dataclass
class MemberRow:
    person: Person
    goal_counts: dict[str, int] = field(default_factory=dict)  # status → number
    last_conversation: ConversationRef | None = None
    next_conversation: ConversationRef | None = None
    due: list[DueItem] = field(default_factory=list)  # open items, by date

    @property
    def goals_total(self) -> int:
        return sum(self.goal_counts.values())

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """``(status, label, number)`` in the order of the statuses, those with goals."""
        return [(status.value, str(status.label), self.goal_counts[status.value])
                for status in GoalStatus if self.goal_counts.get(status.value)]

    @property
    def overdue(self) -> list[DueItem]:
        return [item for item in self.due if item.overdue]

    @property
    def next_due(self) -> DueItem | None:
        return next((item for item in self.due if not item.overdue), None)


@dataclass(frozen=True)
class TeamFilters:
    status: str = ""  # members with at least one goal of this status
    overdue_only: bool = False
    unit_id: int | None = None


@dataclass(frozen=True)
class TeamOverview:
    rows: list[MemberRow]
    units: list[Unit]  # the units the members work in, for the filter
    total: int  # members before filtering


def _conversation_subqueries(viewer: Viewer, now: dt.datetime) -> dict[str, Subquery]:
    visible = conversations_visible_to(viewer).filter(employee=OuterRef("pk"))
    last = visible.filter(status=ConversationStatus.HELD).order_by("-held_on", "-pk")
    upcoming = visible.filter(status=ConversationStatus.SCHEDULED, ends_at__gte=now).order_by(
        "starts_at", "pk")
    return {
        "last_pk": Subquery(last.values("pk")[:1]),
        "last_kind": Subquery(last.values("kind")[:1]),
        "last_on": Subquery(last.values("held_on")[:1]),
        "next_pk": Subquery(upcoming.values("pk")[:1]),
        "next_kind": Subquery(upcoming.values("kind")[:1]),
        "next_on": Subquery(upcoming.values("starts_at")[:1]),
    }


def _cycle_items(participation: Participation, today: dt.date) -> list[DueItem]:
    items = []
    for step in STEPS:
        due: dt.date | None = getattr(participation, step.due_field)
        if due is None or step.done_field is None:
            continue  # no date, or a moment with nothing to do
        if step.due in EVALUATION_STEPS and not participation.evaluation_required:
            continue
        if getattr(participation, step.done_field) is not None:
            continue
        items.append(DueItem(step_label(step.due), due, due < today,
                             cycle_year=participation.cycle.year,
                             cycle_name=participation.cycle.name))
    return items


def _goal_items(goal: Mapping[str, Any], today: dt.date) -> list[DueItem]:
    items = []
    pk: int = goal["pk"]
    deadline = goal["deadline"]
    if isinstance(deadline, dt.date):
        items.append(DueItem(_("Deadline of a goal"), deadline, deadline < today, pk))
    milestones = goal["milestones"]
    for step in milestones if isinstance(milestones, list) else []:
        try:
            day = dt.date.fromisoformat(str(step.get("date", "")))
        except ValueError:
            continue
        # A past milestone is a step on the way, not a task: only those to come count.
        if day >= today:
            items.append(DueItem(_("Milestone of a goal"), day, False, pk))
    return items


def team_overview(
    viewer: Viewer, *, today: dt.date, now: dt.datetime, filters: TeamFilters | None = None
) -> TeamOverview:
    """The viewer's 1st-evaluator team, one row per member, filtered. Four queries."""
    filters = filters or TeamFilters()
    ids = viewer.team_ids
    members = list(
        Person.objects.filter(pk__in=ids)
        .select_related("unit")
        .annotate(**_conversation_subqueries(viewer, now))
        .order_by("last_name", "first_name", "pk")
    )
    rows = {member.pk: MemberRow(person=member) for member in members}
    for member in members:
        row = rows[member.pk]
        # The subqueries' annotations (see _conversation_subqueries).
        last, upcoming = (tuple(getattr(member, f"{which}_{name}") for name in ("pk", "kind", "on"))
                          for which in ("last", "next"))
        if last[0] is not None:
            row.last_conversation = ConversationRef(*last)
        if upcoming[0] is not None:
            row.next_conversation = ConversationRef(*upcoming)
    goals = goals_visible_to(viewer).filter(owner__in=ids)
    for counted in goals.values("owner_id", "status").annotate(n=Count("pk")).order_by():
        rows[counted["owner_id"]].goal_counts[counted["status"]] = counted["n"]
    for goal in goals.filter(status__in=sorted(OPEN_GROUP)).values(
            "pk", "owner_id", "deadline", "milestones").order_by():
        rows[goal["owner_id"]].due.extend(_goal_items(goal, today))
    participations = Participation.objects.filter(
        person__in=ids, closed_on__isnull=True, cycle__state=CycleState.OPEN
    ).select_related("cycle__organisation")
    for participation in participations:
        rows[participation.person_id].due.extend(_cycle_items(participation, today))
    for row in rows.values():
        # Each item once: two milestones of one goal on the same day are one date to
        # keep. Steps of two open cycles stay apart by their cycle's year.
        row.due = sorted(set(row.due), key=lambda item: (item.due, item.label))
    units = sorted({member.unit for member in members}, key=lambda unit: (unit.name, unit.pk))
    return TeamOverview(rows=[row for row in rows.values() if _matches(row, filters)],
                        units=units, total=len(rows))


def _matches(row: MemberRow, filters: TeamFilters) -> bool:
    if filters.unit_id is not None and row.person.unit_id != filters.unit_id:
        return False
    if filters.status and not row.goal_counts.get(filters.status):
        return False
    return not filters.overdue_only or bool(row.overdue)

