"""Shapes of the conversation endpoints."""

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from ninja import Schema

from koers.api.common_schemas import Id, Input, PersonRef
from koers.api.pagination import PageOut
from koers.conversations.models import (
    CalendarFeed,
    Conversation,
    Mediation,
    WorkPlan,
    WorkPlanAmendment,
)
from koers.conversations.team import ConversationRef, DueItem, MemberRow


class ConversationOut(Schema):
    id: int
    employee_id: int
    organiser_id: int
    invitee_id: int
    kind: str  # planning, follow_up, progress, ... (koers.conversations.states)
    status: str  # scheduled, held, cancelled
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    online_link: str
    in_writing: bool
    ical_uid: str
    ical_sequence: int
    agenda: list[str]  # in the caller's language where an item is a guiding question
    held_on: dt.date | None
    notes: str
    goal_ids: list[int]
    report: str
    # Give it as ``expected_revision`` when changing or confirming the report.
    report_revision: int
    improvement_points: str
    employee_confirmed_at: dt.datetime | None
    evaluator_confirmed_at: dt.datetime | None
    # Dutch policy: an evaluation conversation combined with the planning of the next
    # period; its report is ``report`` (looking back) and ``agreements`` (the next period).
    combined_with_planning: bool
    agreements: str
    # Dutch policy: the person the 1st evaluator designated to hold it (null: the evaluator).
    holder_id: int | None
    holder_name: str | None
    holder_designated_at: dt.datetime | None

    @classmethod
    def of(cls, c: Conversation) -> "ConversationOut":
        """Expects ``agenda`` and ``goals`` prefetched, ``employee__organisation`` and
        ``holder`` selected."""
        return cls(
            id=c.pk, employee_id=c.employee_id, organiser_id=c.organiser_id,
            invitee_id=c.invitee_id, kind=c.kind, status=c.status, starts_at=c.starts_at,
            ends_at=c.ends_at, location=c.location, online_link=c.online_link,
            in_writing=c.in_writing, ical_uid=c.ical_uid, ical_sequence=c.ical_sequence,
            agenda=[item.shown for item in c.agenda.all()], held_on=c.held_on, notes=c.notes,
            goal_ids=[goal.pk for goal in c.goals.all()], report=c.report,
            report_revision=c.report_revision, improvement_points=c.improvement_points,
            employee_confirmed_at=c.employee_confirmed_at,
            evaluator_confirmed_at=c.evaluator_confirmed_at,
            combined_with_planning=c.combined_with_planning, agreements=c.agreements,
            holder_id=c.holder_id, holder_name=c.holder.full_name if c.holder else None,
            holder_designated_at=c.holder_designated_at,
        )


class ConversationIn(Input):
    employee_id: int | None = None  # default: myself
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = ""
    online_link: str = ""
    in_writing: bool = False
    agenda: list[str] = []
    # Schedule it although fewer days are worked since or until another conversation
    # than the policy asks (federal: 20, an indicative term).
    despite_spacing: bool = False
    # Dutch policy: an evaluation conversation combined with the planning of the next
    # period (an evaluator marks it; refused where the policy has no such combination).
    combined_with_planning: bool = False


class AgendaItemIn(Input):
    text: str = ""  # an item of one's own
    # The employee's: their manager's functioning (where the policy provides for it).
    manager_functioning: bool = False


class AgendaItemOut(Schema):
    position: int
    text: str


class RescheduleIn(Input):
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str | None = None
    online_link: str | None = None
    despite_spacing: bool = False


class HoldIn(Input):
    notes: str = ""
    goal_ids: list[Id] = []
    report: str = ""
    held_on: dt.date | None = None
    improvement_points: str = ""
    # Mark it combined with the next planning now (null: as scheduled), and the
    # agreements for the next period, the second part of a combined report.
    combined_with_planning: bool | None = None
    agreements: str = ""


class ConversationReportIn(Input):
    """A new text of a held conversation's report (the 1st or 2nd evaluator); both sides
    confirm it again. ``expected_revision``: the ``report_revision`` it starts from (409
    when the report was saved since)."""

    report: str
    expected_revision: int
    # The agreements for the next period of a combined conversation (null: kept).
    agreements: str | None = None


class HolderIn(Input):
    """The person the 1st evaluator designates to hold the conversation (Dutch policy);
    null withdraws the designation."""

    holder_id: int | None


class ConversationReportConfirmIn(Input):
    """``expected_revision``: the ``report_revision`` of the text the confirming person
    read; a report changed since is not confirmed (409 with the text now)."""

    expected_revision: int


class AmendmentOut(Schema):
    """A changed agreement of a fixed work plan, from a held progress conversation."""

    id: int
    work_plan_id: int
    conversation_id: int
    change: str
    reason: str
    recorded_by: str
    recorded_at: dt.datetime

    @classmethod
    def of(cls, amendment: WorkPlanAmendment) -> "AmendmentOut":
        return cls(id=amendment.pk, work_plan_id=amendment.work_plan_id,
                   conversation_id=amendment.conversation_id, change=amendment.change,
                   reason=amendment.reason, recorded_by=amendment.recorded_by.email,
                   recorded_at=amendment.recorded_at)


class AmendmentIn(Input):
    change: str
    reason: str


class WorkPlanOut(Schema):
    """The Dutch individual work plan; the period comes from the policy, never typed in."""

    id: int
    employee_id: int
    period_start: dt.date
    period_end: dt.date
    status: str  # draft, commented, fixed (koers.conversations.states.WorkPlanStatus)
    expected_performance: str
    competencies: str
    development_wishes: str
    support: str
    manager_comments: str
    employee_confirmed_at: dt.datetime | None
    evaluator_confirmed_at: dt.datetime | None
    fixed_at: dt.datetime | None
    revision: int  # give it as ``expected_revision`` when changing the plan

    @classmethod
    def of(cls, plan: WorkPlan) -> "WorkPlanOut":
        return cls(
            id=plan.pk, employee_id=plan.employee_id, period_start=plan.period_start,
            period_end=plan.period_end, status=plan.status,
            expected_performance=plan.expected_performance, competencies=plan.competencies,
            development_wishes=plan.development_wishes, support=plan.support,
            manager_comments=plan.manager_comments,
            employee_confirmed_at=plan.employee_confirmed_at,
            evaluator_confirmed_at=plan.evaluator_confirmed_at, fixed_at=plan.fixed_at,
            revision=plan.revision,
        )


class WorkPlanDetailOut(WorkPlanOut):
    amendments: list[AmendmentOut]


class WorkPlanIn(Input):
    """The employee's own text; a draft for the plan year that holds today."""

    expected_performance: str = ""
    competencies: str = ""
    development_wishes: str = ""
    support: str = ""


class WorkPlanPatch(Input):
    """Only the fields given change; both sides confirm the plan again.
    ``expected_revision`` is the plan's ``revision`` the change starts from: if someone
    changed the plan since, nothing is saved (409, with what is saved now)."""

    expected_revision: int
    expected_performance: str | None = None
    competencies: str | None = None
    development_wishes: str | None = None
    support: str | None = None


class WorkPlanCommentIn(Input):
    """``expected_revision``: the plan's ``revision`` the comments start from (409 when
    someone changed the plan since, with what is saved now)."""

    comments: str
    expected_revision: int


class DueOut(Schema):
    label: str
    due: dt.date
    overdue: bool
    goal_id: int | None  # a goal's deadline or milestone; null: a step of the cycle
    cycle_year: int | None = None  # the cycle of a step; null: a goal's date
    period: str | None = None  # the name of that cycle's period; null: a goal's date


class ConversationRefOut(Schema):
    id: int
    kind: str
    on: dt.datetime | dt.date  # held on (last) or starts at (next)


class TeamMemberOut(Schema):
    """One member of my team: goals by status, last and next conversation, what is due."""

    person_id: int
    name: str
    unit_id: int
    goal_counts: dict[str, int]  # status → number of goals
    last_conversation: ConversationRefOut | None
    next_conversation: ConversationRefOut | None
    next_due: DueOut | None
    overdue: list[DueOut]

    @classmethod
    def of(cls, row: MemberRow) -> "TeamMemberOut":
        def ref(value: ConversationRef | None) -> ConversationRefOut | None:
            return None if value is None else ConversationRefOut(id=value.pk, kind=value.kind,
                                                                 on=value.on)

        def due(item: DueItem) -> DueOut:
            return DueOut(label=item.label, due=item.due, overdue=item.overdue,
                          goal_id=item.goal_id, cycle_year=item.cycle_year,
                          period=item.cycle_name)

        return cls(
            person_id=row.person.pk, name=row.person.full_name, unit_id=row.person.unit_id,
            goal_counts=row.goal_counts, last_conversation=ref(row.last_conversation),
            next_conversation=ref(row.next_conversation),
            next_due=due(row.next_due) if row.next_due else None,
            overdue=[due(item) for item in row.overdue],
        )


class TeamOverviewOut(Schema):
    total: int  # members before filtering
    members: list[TeamMemberOut]


class DepartmentReportOut(Schema):
    """A held conversation's report as the director of the department reads it."""

    id: int
    employee: PersonRef
    unit: str
    kind: str  # planning, progress, evaluation
    held_on: dt.date | None
    report: str
    confirmed: bool  # by both sides: the report is final

    @classmethod
    def of(cls, c: Conversation) -> "DepartmentReportOut":
        """Expects ``employee__unit`` selected."""
        employee = PersonRef.of(c.employee)
        assert employee is not None
        return cls(id=c.pk, employee=employee, unit=c.employee.unit.name, kind=c.kind,
                   held_on=c.held_on, report=c.report, confirmed=c.report_locked)


class CalendarFeedOut(Schema):
    """My private calendar feed (iCalendar) of my conversations: a calendar application
    subscribes to ``url`` without signing in, so the link is the key; renewing it makes
    a new one and the old one stops at once."""

    url: str
    created_at: dt.datetime  # when this link was made

    @classmethod
    def of(cls, feed: CalendarFeed, request: HttpRequest) -> "CalendarFeedOut":
        return cls(url=request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])),
                   created_at=feed.created_at)


class DepartmentReportPageOut(PageOut):
    items: list[DepartmentReportOut]


class ConversationPageOut(PageOut):
    items: list[ConversationOut]


class WorkPlanPageOut(PageOut):
    items: list[WorkPlanOut]


class MediationOut(Schema):
    """A mediation in a disagreement (Dutch policy): about one conversation or one work
    plan, asked by the employee, its outcome recorded once by the mediator."""

    id: int
    employee: PersonRef
    conversation_id: int | None
    work_plan_id: int | None
    account: str
    mediator_kind: str  # next_manager, hr_adviser (koers.conversations.states.MediatorKind)
    mediator: PersonRef
    status: str  # requested, closed
    outcome: str  # "", agreed, not_agreed
    outcome_text: str
    requested_at: dt.datetime
    recorded_at: dt.datetime | None

    @classmethod
    def of(cls, mediation: Mediation) -> "MediationOut":
        employee, mediator = PersonRef.of(mediation.employee), PersonRef.of(mediation.mediator)
        assert employee is not None
        assert mediator is not None
        return cls(
            id=mediation.pk, employee=employee, conversation_id=mediation.conversation_id,
            work_plan_id=mediation.work_plan_id, account=mediation.account,
            mediator_kind=mediation.mediator_kind, mediator=mediator,
            status=mediation.status, outcome=mediation.outcome,
            outcome_text=mediation.outcome_text, requested_at=mediation.requested_at,
            recorded_at=mediation.recorded_at,
        )


class MediationIn(Input):
    """Ask for mediation about one held conversation or one work plan of mine; without
    ``mediator_id``, the first mediator of the kind I may ask."""

    conversation_id: Id | None = None
    work_plan_id: Id | None = None
    mediator_kind: str  # next_manager, hr_adviser
    mediator_id: Id | None = None
    account: str


class MediationOutcomeIn(Input):
    outcome: str  # agreed, not_agreed
    text: str


class MediationPageOut(PageOut):
    items: list[MediationOut]
