"""Reads of conversations, with their prefetching (a fixed number of queries)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from koers.access import services as access_services
from koers.access.models import Scope
from koers.access.policy import Viewer
from koers.conversations import ical, rules
from koers.conversations.models import (
    AgendaItem,
    CalendarFeed,
    Conversation,
    Mediation,
    WorkPlan,
    WorkPlanAmendment,
)
from koers.conversations.permissions import (
    can_comment_work_plan,
    can_confirm_report,
    can_confirm_work_plan,
    conversation_for,
    conversations_visible_to,
    director_condition,
    is_employee,
    mediation_for,
    mediations_visible_to,
    reading_director_units,
    reads_as_director,
    work_plan_for,
    work_plans_visible_to,
)
from koers.conversations.states import ConversationKind, ConversationStatus, WorkPlanStatus
from koers.core import clock, languages
from koers.core.errors import NotFoundOrForbidden
from koers.core.models import User
from koers.organisation.models import Absence, Person, Unit, WorkingTimeChange
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy


def conversations_of(viewer: Viewer, person: Person) -> QuerySet[Conversation]:
    return (
        conversations_visible_to(viewer)
        .filter(employee=person)
        .select_related("employee__organisation", "organiser", "invitee", "holder")
        .order_by("-starts_at", "pk")
    )


def conversations_read(viewer: Viewer, person: Person) -> list[Conversation]:
    """``conversations_of`` with the agenda and the goals discussed, for a page or the API:
    HR reading under a granted request gets each conversation logged (one row each, a
    fixed number of queries), and the employee sees it."""
    conversations = list(conversations_of(viewer, person).prefetch_related("agenda", "goals"))
    access_services.access_reads_log(
        viewer=viewer, subject=person, scope=Scope.CONVERSATIONS,
        records=[(conversation, ical.title(conversation)) for conversation in conversations])
    return conversations


def conversation_read(viewer: Viewer, pk: int) -> Conversation | None:
    """The conversation ``pk`` if the viewer may see it (``None`` for missing and
    forbidden); HR's read under a granted request is logged."""
    conversation = conversation_for(viewer, pk)
    if conversation is not None:
        access_services.access_read_log(viewer=viewer, subject=conversation.employee,
                                        scope=Scope.CONVERSATIONS, record=conversation,
                                        label=ical.title(conversation))
        if reads_as_director(viewer, conversation):
            access_services.director_reads_log(
                viewer=viewer,
                records=[(conversation.employee, conversation, ical.title(conversation))])
    return conversation


@dataclass(frozen=True)
class ReportFilters:
    """The filters of the director's department view; ``None`` or empty: no filter."""

    kind: str | None = None
    unit: int | None = None
    name: str = ""
    held_from: dt.date | None = None
    held_until: dt.date | None = None
    confirmed: bool | None = None


@dataclass(frozen=True)
class DepartmentReports:
    units: list[Unit]  # the units the director may filter on, in tree order
    conversations: list[Conversation]


def department_reports(viewer: Viewer, *, filters: ReportFilters) -> DepartmentReports:
    """The held planning, progress and evaluation conversations, with their report, of
    the people in the units the viewer directs (subtrees), where the organisation's
    policy lets the director read them (Dutch municipal regulation, "Cyclus van
    jaargesprekken").

    Checklist: a director whose policy does not let them read (or no director at all)
    gets the same error as for a missing page; filter; log a read of every report
    returned, one row each for the employee's "Who looked at my data", in one
    statement. A fixed number of queries, however many reports.
    """
    directed = reading_director_units(viewer)
    if not directed or viewer.person is None:
        raise NotFoundOrForbidden(_("This page does not exist or is not yours to see."))
    subtree = Q(pk__in=[])
    for unit in directed:
        subtree |= Q(organisation_id=unit.organisation_id, path__startswith=unit.path)
    units = list(Unit.objects.filter(subtree).order_by("organisation_id", "path"))
    queryset = Conversation.objects.filter(director_condition(directed)).exclude(
        employee=viewer.person)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.unit is not None:
        chosen = next((unit for unit in units if unit.pk == filters.unit), None)
        if chosen is None:
            queryset = queryset.none()
        else:
            queryset = queryset.filter(employee__organisation_id=chosen.organisation_id,
                                       employee__unit__path__startswith=chosen.path)
    for word in filters.name.split():
        queryset = queryset.filter(Q(employee__first_name__icontains=word)
                                   | Q(employee__last_name__icontains=word))
    if filters.held_from is not None:
        queryset = queryset.filter(held_on__gte=filters.held_from)
    if filters.held_until is not None:
        queryset = queryset.filter(held_on__lte=filters.held_until)
    both = Q(employee_confirmed_at__isnull=False, evaluator_confirmed_at__isnull=False)
    if filters.confirmed is True:
        queryset = queryset.filter(both)
    elif filters.confirmed is False:
        queryset = queryset.exclude(both)
    conversations = list(
        queryset.select_related("employee__unit", "organiser", "invitee")
        .order_by("-held_on", "employee__last_name", "pk"))
    access_services.director_reads_log(
        viewer=viewer,
        records=[(c.employee, c, ical.title(c)) for c in conversations])
    return DepartmentReports(units=units, conversations=conversations)


def agenda(conversation: Conversation) -> QuerySet[AgendaItem]:
    return conversation.agenda.order_by("position")


def feed_conversations(user: User) -> QuerySet[Conversation]:
    """The conversations in a user's calendar: as employee, organiser or invitee."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(Q(employee=person) | Q(organiser=person) | Q(invitee=person)
                                    | Q(holder=person))
        .select_related("employee", "organiser", "invitee")
        .order_by("starts_at", "pk")
    )


def calendar_feed(user: User) -> CalendarFeed | None:
    """The user's private calendar feed, if they made one (reading it makes none)."""
    return CalendarFeed.objects.filter(user=user).first()


def feed_calendar(token: str, *, stamp: dt.datetime) -> bytes | None:
    """The private feed behind ``token`` (``None`` for a revoked token or an inactive
    account), in the language its subscriber saved in Koers: a calendar app fetches it
    with its own Accept-Language, or none, and the event titles are the subscriber's."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    with translation.override(languages.supported(feed.user.language)):
        return ical.calendar(feed_conversations(feed.user), stamp=stamp)


def work_plans_of(viewer: Viewer, person: Person) -> QuerySet[WorkPlan]:
    return work_plans_visible_to(viewer).filter(employee=person).order_by("-period_start", "pk")


def work_plans_read(viewer: Viewer, person: Person) -> list[WorkPlan]:
    """``work_plans_of`` for a page or the API; HR's reads under a granted request are
    logged, one row per plan in one statement."""
    plans = list(work_plans_of(viewer, person))
    access_services.access_reads_log(
        viewer=viewer, subject=person, scope=Scope.CONVERSATIONS,
        records=[(plan, _("Individual work plan")) for plan in plans])
    return plans


def work_plan_read(viewer: Viewer, pk: int) -> WorkPlan | None:
    """The work plan ``pk`` if the viewer may see it (``None`` for missing and
    forbidden); HR's read under a granted request is logged."""
    plan = work_plan_for(viewer, pk)
    if plan is not None:
        access_services.access_read_log(viewer=viewer, subject=plan.employee,
                                        scope=Scope.CONVERSATIONS, record=plan,
                                        label=_("Individual work plan"))
    return plan


def amendments(plan: WorkPlan) -> QuerySet[WorkPlanAmendment]:
    """The plan's changed agreements with their conversation and who recorded them."""
    return plan.amendments.select_related("conversation", "recorded_by__person").order_by(
        "recorded_at", "pk")


def amendments_in(conversation: Conversation) -> QuerySet[WorkPlanAmendment]:
    return conversation.work_plan_amendments.select_related("recorded_by__person").order_by(
        "recorded_at", "pk")


def reports_awaiting_confirmation(viewer: Viewer) -> list[Conversation]:
    """Held conversations whose report waits for the viewer's confirmation, oldest first
    (``permissions.can_confirm_report``, the rule of the conversation's page): one query."""
    me = viewer.person
    if me is None:
        return []
    candidates = Conversation.objects.filter(
        Q(employee=me, employee_confirmed_at__isnull=True)
        | Q(employee__in=viewer.team_ids | viewer.second_line_ids,
            evaluator_confirmed_at__isnull=True),
        status=ConversationStatus.HELD,
    ).exclude(report="").select_related("employee__unit").order_by("held_on", "pk")
    return [conversation for conversation in candidates
            if can_confirm_report(viewer, conversation)]


def work_plans_awaiting(viewer: Viewer) -> list[tuple[WorkPlan, str]]:
    """Work plans that wait for the viewer, with what they wait for: ``comment`` (the 1st
    evaluator's comments on a draft) or ``confirm`` (either side, once commented),
    oldest first (the rules of the plan's page): one query."""
    me = viewer.person
    if me is None:
        return []
    candidates = WorkPlan.objects.filter(
        Q(employee=me) | Q(employee__in=viewer.team_ids),
        status__in=[WorkPlanStatus.DRAFT, WorkPlanStatus.COMMENTED],
    ).select_related("employee__unit").order_by("created_at", "pk")
    waiting = []
    for plan in candidates:
        if can_confirm_work_plan(viewer, plan):
            waiting.append((plan, "confirm"))
        elif plan.status == WorkPlanStatus.DRAFT and can_comment_work_plan(viewer, plan):
            waiting.append((plan, "comment"))
    return waiting


def offers_manager_functioning(viewer: Viewer, conversation: Conversation) -> bool:
    """The employee may put their manager's functioning on this agenda (Heemstede)."""
    return (is_employee(viewer, conversation)
            and policy_for(conversation.employee.organisation).manager_functioning_on_agenda)


def spacing_applies(person: Person) -> bool:
    """Whether the person's policy asks days worked between two conversations ([b1])."""
    return bool(policy_for(person.organisation).minimum_worked_days_between_conversations)


@dataclass(frozen=True)
class FunctioningDue:
    """A functioning conversation the 1st evaluator must hold after a long absence."""

    person: Person
    absence_start: dt.date
    absence_end: dt.date

    @property
    def due(self) -> dt.date:
        return rules.functioning_due(self.absence_end)

    @property
    def what(self) -> str:
        return rules.functioning_task(self.absence_start, self.absence_end)

    @property
    def counts_from(self) -> dt.date:
        """A functioning conversation from this day on answers it: after the return."""
        return self.absence_end + dt.timedelta(days=1)


@dataclass(frozen=True)
class FunctioningAfterRegimeChange:
    """A functioning conversation the 1st evaluator must hold after a change of the
    person's work regime (their working-time fraction)."""

    person: Person
    change: WorkingTimeChange

    @property
    def due(self) -> dt.date:
        return rules.functioning_after_regime_due(self.change.changed_on)

    @property
    def what(self) -> str:
        return rules.functioning_after_regime_task(
            self.change.fraction_before, self.change.fraction_after, self.change.changed_on)

    @property
    def counts_from(self) -> dt.date:
        """A functioning conversation from this day on answers it: the day of the change."""
        return self.change.changed_on


def functioning_conversations_due(
        viewer: Viewer) -> list[FunctioningDue | FunctioningAfterRegimeChange]:
    """Federal [b3]: the people the viewer evaluates first who came back from an absence
    longer than their policy's threshold, or whose work regime changed where their policy
    asks a conversation after that, and who have no functioning conversation scheduled or
    held since (the return; the day of the change). Only returns and changes of the last
    year count, and of each kind the last one. Three queries, plus one per organisation
    for its policy."""
    team = viewer.team_ids
    if not team:
        return []
    today = clock.today()
    year_ago = today - dt.timedelta(days=365)
    absences = list(Absence.objects.filter(
        person_id__in=team, end_date__lt=today,
        end_date__gte=year_ago).select_related("person__organisation")
        .order_by("end_date"))
    changes = list(WorkingTimeChange.objects.filter(
        person_id__in=team, changed_on__lte=today, changed_on__gte=year_ago)
        .select_related("person__organisation").order_by("changed_on", "pk"))
    policies: dict[int, Policy] = {}

    def policy(person: Person) -> Policy:
        if person.organisation_id not in policies:
            policies[person.organisation_id] = policy_for(person.organisation)
        return policies[person.organisation_id]

    waiting: dict[tuple[str, int], FunctioningDue | FunctioningAfterRegimeChange] = {}
    for absence in absences:  # the last return counts
        if rules.long_absence(policy(absence.person), absence.start_date, absence.end_date):
            waiting[("absence", absence.person_id)] = FunctioningDue(
                absence.person, absence.start_date, absence.end_date)
    for change in changes:  # the last change counts
        if rules.regime_change_asks_functioning(policy(change.person)):
            waiting[("regime", change.person_id)] = FunctioningAfterRegimeChange(
                change.person, change)
    if not waiting:
        return []
    since: dict[int, dt.date] = {}
    for employee_id, starts_at in (Conversation.objects.filter(
            employee_id__in={person_id for _kind, person_id in waiting},
            kind=ConversationKind.FUNCTIONING)
            .exclude(status=ConversationStatus.CANCELLED)
            .values_list("employee_id", "starts_at")):
        since[employee_id] = max(since.get(employee_id, starts_at.date()), starts_at.date())
    return [due for due in waiting.values()
            if since.get(due.person.pk, dt.date.min) < due.counts_from]


# Mediation in a disagreement (Dutch policy) ------------------------------------------


def mediation_read(viewer: Viewer, pk: int) -> Mediation | None:
    """The mediation ``pk`` if the viewer may see it (``None`` for missing and
    forbidden); HR's read under a granted request is logged."""
    mediation = mediation_for(viewer, pk)
    if mediation is not None:
        access_services.access_read_log(viewer=viewer, subject=mediation.employee,
                                        scope=Scope.CONVERSATIONS, record=mediation,
                                        label=_("Mediation"))
    return mediation


def mediations_read(viewer: Viewer, *, conversation: Conversation | None = None,
                    work_plan: WorkPlan | None = None) -> QuerySet[Mediation]:
    """The mediations the viewer may see, newest first: all of them, or those about one
    conversation or work plan; with what a list shows (one query)."""
    mediations = mediations_visible_to(viewer)
    if conversation is not None:
        mediations = mediations.filter(conversation=conversation)
    if work_plan is not None:
        mediations = mediations.filter(work_plan=work_plan)
    return mediations.select_related("employee", "mediator", "conversation",
                                     "work_plan").order_by("-requested_at", "-pk")


def holder_candidates(conversation: Conversation, *, actor: Viewer) -> QuerySet[Person]:
    """Whom the 1st evaluator may designate: a colleague employed today in the employee's
    organisation, with an account (to hold it in Koers), not the employee nor the actor."""
    today = clock.today()
    people = (Person.objects.filter(organisation_id=conversation.employee.organisation_id,
                                    user__isnull=False, start_date__lte=today)
              .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
              .exclude(pk=conversation.employee_id))
    if actor.person is not None:
        people = people.exclude(pk=actor.person.pk)
    return people.order_by("last_name", "first_name", "pk")
