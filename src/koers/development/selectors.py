"""Reads of catalogues, preparations, plans and the training demand, each in a fixed
number of queries whatever the number of rows."""

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext as _

from koers.access import services as access_services
from koers.access.policy import Viewer
from koers.conversations.models import Conversation
from koers.conversations.permissions import conversations_visible_to
from koers.conversations.states import ConversationStatus
from koers.core import clock
from koers.core.clock import today_for
from koers.development import permissions
from koers.development.models import (
    Competency,
    CompetencyCluster,
    CompetencyProfile,
    CompetencyProfileEntry,
    DevelopmentAction,
    DevelopmentPlan,
    EmployeePreparation,
    FollowUpEntry,
    HrAction,
    ManagerPreparation,
    PlanGoal,
    PlanItem,
    PlanMeans,
    PlanRound,
    Recommendation,
    SelfScan,
)
from koers.development.rules import Priority, SignerRole, priority_one_warning
from koers.development.states import (
    EDITABLE_GROUP,
    OPEN_GROUP,
    HrActionStatus,
    PlanStatus,
    RecommendationValue,
    RoundStatus,
)
from koers.goals import smart
from koers.organisation import records
from koers.organisation.models import Organisation, Person
from koers.rulebook.policy import policy_for

# Catalogue ---------------------------------------------------------------------------


def clusters_with_competencies(
    organisation: Organisation, *, include_inactive: bool = False
) -> list[CompetencyCluster]:
    """The catalogue: clusters in order, each with ``competencies`` prefetched (2 queries).

    Read through ``organisation``, the entries carry it: their texts fall back to its
    language without a query (``models.organisation_language``), here and below."""
    competencies = Competency.objects.order_by("position", "pk")
    if not include_inactive:
        competencies = competencies.filter(active=True)
    return list(
        organisation.competency_clusters.all()
        .prefetch_related(Prefetch("competencies", queryset=competencies))
        .order_by("position", "pk")
    )


def competencies_for(organisation: Organisation, *,
                     include_inactive: bool = False) -> QuerySet[Competency]:
    """The competencies a plan row may choose, in catalogue order."""
    competencies = organisation.competencies.select_related("cluster")
    if not include_inactive:
        competencies = competencies.filter(active=True)
    return competencies.order_by("cluster__position", "position", "pk")


def development_actions(organisation: Organisation, *,
                        include_inactive: bool = False) -> QuerySet[DevelopmentAction]:
    actions = organisation.development_actions.all()
    if not include_inactive:
        actions = actions.filter(active=True)
    return actions.order_by("position", "pk")


def recommended_actions(competency: Competency) -> list[DevelopmentAction]:
    """The development actions the matrix recommends for ``competency`` (one query).

    What a plan row proposes first; the user may pick any other action as well.
    """
    return list(
        DevelopmentAction.objects.filter(
            active=True, recommendations__competency=competency,
            recommendations__value=RecommendationValue.RECOMMENDED,
        ).order_by("position", "pk")
    )


@dataclass(frozen=True)
class ActionAdvice:
    action: DevelopmentAction
    value: RecommendationValue


def advice_for(competency: Competency) -> list[ActionAdvice]:
    """Every active action with the matrix's word on it for ``competency``: recommended,
    not recommended or no recommendation yet (a missing cell counts as the latter).
    Two queries."""
    values = dict(
        Recommendation.objects.filter(competency=competency).values_list("action_id", "value")
    )
    return [
        ActionAdvice(action, RecommendationValue(values.get(action.pk,
                                                            RecommendationValue.UNKNOWN)))
        for action in DevelopmentAction.objects.filter(
            organisation_id=competency.organisation_id, active=True).order_by("position", "pk")
    ]


@dataclass(frozen=True)
class Matrix:
    """The competency × action recommendation matrix of an organisation."""

    clusters: list[CompetencyCluster]  # with ``competencies`` prefetched
    actions: list[DevelopmentAction]
    cells: dict[tuple[int, int], RecommendationValue]

    def value(self, competency: Competency, action: DevelopmentAction) -> RecommendationValue:
        return self.cells.get((competency.pk, action.pk), RecommendationValue.UNKNOWN)

    @property
    def unknown_count(self) -> int:
        """Cells without a recommendation yet (for HR's "still to fill in")."""
        total = sum(len(cluster.competencies.all()) for cluster in self.clusters)
        known = sum(1 for value in self.cells.values() if value != RecommendationValue.UNKNOWN)
        return total * len(self.actions) - known


def matrix(organisation: Organisation, *, include_inactive: bool = False) -> Matrix:
    """Three queries: clusters, their competencies, actions; and one for the cells."""
    clusters = clusters_with_competencies(organisation, include_inactive=include_inactive)
    actions = list(development_actions(organisation, include_inactive=include_inactive))
    cells = {
        (competency_id, action_id): RecommendationValue(value)
        for competency_id, action_id, value in Recommendation.objects.filter(
            competency__organisation=organisation
        ).values_list("competency_id", "action_id", "value")
    }
    return Matrix(clusters=clusters, actions=actions, cells=cells)


def profile_for(person: Person) -> CompetencyProfile | None:
    """The competency profile of the person's job title (case ignored), with its
    competencies in order as ``ordered_competencies``; two queries."""
    if not person.job_title.strip():
        return None
    profile = (
        CompetencyProfile.objects.annotate(job=Lower("job_title"))
        .filter(organisation_id=person.organisation_id, job=person.job_title.strip().lower())
        .prefetch_related(Prefetch(
            "entries",
            queryset=CompetencyProfileEntry.objects.select_related("competency__cluster"),
        ))
        .first()
    )
    return profile


def profile_competencies(profile: CompetencyProfile | None) -> list[Competency]:
    if profile is None:
        return []
    return [entry.competency for entry in profile.entries.all()]


def profile_reach(profile: CompetencyProfile) -> int:
    """How many people a competency profile serves: those employed today whose job
    title is the profile's (case and spaces around ignored, as ``profile_for``). One
    query."""
    today = today_for(profile.organisation)
    return (Person.objects.annotate(job=Lower(Trim("job_title")))
            .filter(organisation_id=profile.organisation_id,
                    job=profile.job_title.strip().lower())
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).count())


def profiles_of(organisation: Organisation) -> QuerySet[CompetencyProfile]:
    return CompetencyProfile.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("entries", queryset=CompetencyProfileEntry.objects.select_related("competency"))
    )


# Plans --------------------------------------------------------------------------------


def plan_with_rows(pk: int) -> DevelopmentPlan:
    """One plan with everything the summary table shows, in eight queries however many
    rows it has (the plan with its reference number, its rounds with signatures, items,
    goals, means, HR actions, follow-up entries)."""
    items = PlanItem.objects.select_related("competency__cluster").prefetch_related(
        Prefetch("goals", queryset=PlanGoal.objects.order_by("position", "pk")),
        Prefetch("means", queryset=PlanMeans.objects.select_related(
            "action", "supporter", "added_in_round").order_by("position", "pk")),
        Prefetch("hr_actions", queryset=HrAction.objects.select_related(
            "action", "added_in_round").order_by("position", "pk")),
        Prefetch("follow_ups", queryset=FollowUpEntry.objects.select_related(
            "round").order_by("written_on", "pk")),
    ).order_by("position", "pk")
    return (
        records.with_reference(DevelopmentPlan.objects.select_related(
            "employee__unit", "employee__user", "organisation", "participation__cycle",
            "planning_conversation"))
        .prefetch_related(
            Prefetch("items", queryset=items),
            Prefetch("rounds", queryset=PlanRound.objects.prefetch_related(
                "signatures").order_by("number")),
        )
        .get(pk=pk)
    )


def plans_of(viewer: Viewer, person: Person) -> QuerySet[DevelopmentPlan]:
    """The person's plans the viewer may see, newest first."""
    return (
        permissions.plans_visible_to(viewer)
        .filter(employee=person)
        .select_related("employee")
        .order_by("-period_start", "-pk")
    )


def plans_read(viewer: Viewer, person: Person, *,
               limit: int | None = None) -> list[DevelopmentPlan]:
    """``plans_of`` (the first ``limit``) for a page or the API; HR's reads under a
    granted request are logged, one row per plan in one statement."""
    plans = list(plans_of(viewer, person)[:limit])
    if plans and permissions.reads_as_outsider(viewer, person):
        access_services.access_reads_log(
            viewer=viewer, subject=person, scope=permissions.PLAN_SCOPE,
            records=[(plan, _("Development plan")) for plan in plans])
    return plans


def plan_read(viewer: Viewer, pk: int, *, as_pdf: bool = False) -> DevelopmentPlan | None:
    """The plan ``pk`` if the viewer may see it (``None`` for missing and forbidden);
    HR's read under a granted request is logged, the PDF as such."""
    plan = permissions.plan_for(viewer, pk)
    if plan is not None and permissions.reads_as_outsider(viewer, plan.employee):
        access_services.access_read_log(
            viewer=viewer, subject=plan.employee, scope=permissions.PLAN_SCOPE, record=plan,
            label=_("Development plan (PDF)") if as_pdf else _("Development plan"))
    return plan


def open_plan_of(person: Person) -> DevelopmentPlan | None:
    """The person's plan in draft, signed or being followed up (at most one)."""
    return DevelopmentPlan.objects.filter(
        employee=person, status__in=[PlanStatus.DRAFT, PlanStatus.SIGNED, PlanStatus.REVISING]
    ).first()


def current_round(plan: DevelopmentPlan) -> PlanRound:
    """The open round, or the last signed one (from the prefetch when there is one)."""
    rounds = list(plan.rounds.all())
    return max(rounds, key=lambda r: r.number)


@dataclass(frozen=True)
class Review:
    """What the plan page says next to the table: warnings and SMART advice per goal.

    Never a refusal: the refusals are the services' (``rules.competency_limit_error``).
    """

    warnings: list[str]
    goal_advice: dict[int, list[smart.Advice]] = field(default_factory=dict)
    follow_up_overdue: bool = False


def goal_advice(goal: PlanGoal, item: PlanItem, *, today: dt.date) -> list[smart.Advice]:
    """The goals room's SMART check on a development goal: its text, the row's success
    indicators as its measure and its term as its deadline."""
    return smart.check(
        smart.Draft(title=goal.text, measure=item.success_indicators, deadline=goal.term),
        today=today,
    )


def plan_review(plan: DevelopmentPlan, *, today: dt.date) -> Review:
    """Warnings and advice for a plan from ``plan_with_rows`` (no extra query but the
    policy's)."""
    policy = policy_for(plan.organisation)
    items = list(plan.items.all())
    warnings: list[str] = []
    priority_one = sum(1 for item in items if item.priority == Priority.URGENT)
    message = priority_one_warning(priority_one=priority_one, policy=policy)
    if message:
        warnings.append(message)
    advice = {
        goal.pk: goal_advice(goal, item, today=today)
        for item in items
        for goal in item.goals.all()
    }
    overdue = (
        plan.status == PlanStatus.SIGNED
        and plan.follow_up_due is not None
        and plan.follow_up_due < today
    )
    return Review(warnings=warnings, goal_advice=advice, follow_up_overdue=overdue)


def plans_due_for_follow_up(viewer: Viewer, *, by: dt.date) -> QuerySet[DevelopmentPlan]:
    """Signed plans the viewer may see whose next follow-up is due by ``by``."""
    return (
        permissions.plans_visible_to(viewer)
        .filter(status=PlanStatus.SIGNED, follow_up_due__lte=by)
        .select_related("employee")
        .order_by("follow_up_due", "pk")
    )


# Preparation --------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparationInputs:
    """What to have at hand beside the preparation forms (the POP guide, Stap 1; POP opmaken):
    the competency profile of the job, earlier plans and conversation reports the viewer
    may read, and the preparations shared so far."""

    person: Person
    profile: CompetencyProfile | None
    profile_competencies: list[Competency]
    previous_plans: list[DevelopmentPlan]
    conversations: list[Conversation]
    self_scan: SelfScan | None  # only for the employee themself
    employee_preparation: EmployeePreparation | None
    manager_preparation: ManagerPreparation | None


def preparation_inputs(viewer: Viewer, person: Person, *, limit: int = 5) -> PreparationInputs:
    """Seven queries or fewer; ``person`` must be one the viewer may see."""
    profile = profile_for(person)
    conversations = list(
        conversations_visible_to(viewer)
        .filter(employee=person, status=ConversationStatus.HELD)
        .exclude(report="")
        .order_by("-held_on", "-pk")[:limit]
    )
    me = viewer.person
    return PreparationInputs(
        person=person,
        profile=profile,
        profile_competencies=profile_competencies(profile),
        previous_plans=list(plans_of(viewer, person)[:limit]),
        conversations=conversations,
        self_scan=(SelfScan.objects.filter(employee=person).first()
                   if me is not None and me.pk == person.pk else None),
        employee_preparation=permissions.employee_preparations_visible_to(viewer)
        .filter(employee=person).order_by("-created_at", "-pk").first(),
        manager_preparation=permissions.manager_preparations_visible_to(viewer)
        .filter(employee=person).order_by("-created_at", "-pk").first(),
    )


# Training demand ----------------------------------------------------------------------


@dataclass
class DemandGroup:
    """The HR actions asked for one development action and one competency."""

    action: DevelopmentAction | None  # None: actions without a learning form (a pretest…)
    competency: Competency
    rows: list[HrAction] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def requested(self) -> int:
        return sum(1 for row in self.rows if row.status == HrActionStatus.REQUESTED)

    @property
    def arranged(self) -> int:
        return sum(1 for row in self.rows if row.status == HrActionStatus.ARRANGED)

    @property
    def first_term(self) -> dt.date | None:
        terms = [row.term for row in self.rows if row.term is not None]
        return min(terms) if terms else None

    @property
    def last_term(self) -> dt.date | None:
        terms = [row.term for row in self.rows if row.term is not None]
        return max(terms) if terms else None


def training_demand_rows(viewer: Viewer, organisation: Organisation, *,
                         status: str | None = None) -> QuerySet[HrAction]:
    """The HR actions of the organisation's signed plans the viewer may see, with the
    employee, competency and action loaded (one query)."""
    rows = (
        permissions.hr_actions_visible_to(viewer)
        .filter(item__plan__organisation=organisation)
        .select_related("item__plan__employee__unit", "item__competency__cluster", "action")
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("action__position", "item__competency__position", "term", "pk")


def training_demand(viewer: Viewer, organisation: Organisation, *,
                    status: str | None = None) -> list[DemandGroup]:
    """The organisation's training demand grouped per development action and competency,
    in catalogue order, with counts, terms and status (one query)."""
    groups: dict[tuple[int | None, int], DemandGroup] = {}
    for row in training_demand_rows(viewer, organisation, status=status):
        key = (row.action_id, row.item.competency_id)
        if key not in groups:
            groups[key] = DemandGroup(action=row.action, competency=row.item.competency)
        groups[key].rows.append(row)
    return sorted(groups.values(), key=_demand_order)


def _demand_order(group: DemandGroup) -> tuple[int, int, int, int]:
    action = group.action
    # Actions without a learning form come last.
    return (
        0 if action is not None else 1,
        action.position if action is not None else 0,
        group.competency.cluster.position,
        group.competency.position,
    )


# What waits for whom --------------------------------------------------------------------


class DevelopmentStep(StrEnum):
    """The POP steps that wait for a person; the same codes name the notifications'
    tasks (``services.plans.plan_task``)."""

    SIGN = "sign"  # sign the open round (the employee, the 1st evaluator)
    FOLLOW_UP = "follow_up"  # hold the follow-up conversation: start the next round
    SHARE_PREPARATION = "share_preparation"  # finish and share one's own preparation
    SHARE_MANAGER_PREPARATION = "share_manager_preparation"


@dataclass(frozen=True)
class DevelopmentTask:
    """One POP step that is the viewer's today: on ``plan`` (sign, follow-up) or on a
    preparation (``record_id``), for ``person`` (whose plan or preparation)."""

    step: DevelopmentStep
    what: str  # in the active language
    person: Person
    record_id: int
    due: dt.date | None


def development_tasks(viewer: Viewer) -> list[DevelopmentTask]:
    """The POP steps that wait for the viewer (the POP guide, Stap 2 and 3):

    - sign the open round, as the employee or the 1st evaluator, once it has a row (the
      service refuses an empty plan) and their signature is not under it;
    - hold the follow-up conversation of a signed plan they evaluate first, from the first
      day of the follow-up window (due by its last day, ``follow_up_due``);
    - share a preparation of the development conversation they started (their own, or as
      1st evaluator about an employee): it is written for the other side to read.

    Five queries whatever the number of plans: the plans, their open rounds, the rounds'
    signatures, and the two kinds of preparation.
    """
    me = viewer.person
    if me is None:
        return []
    today = clock.today()
    tasks: list[DevelopmentTask] = []
    open_rounds = PlanRound.objects.filter(status=RoundStatus.OPEN).prefetch_related(
        "signatures")
    plans = (
        DevelopmentPlan.objects.filter(status__in=sorted(OPEN_GROUP))
        .filter(Q(employee=me) | Q(employee__in=viewer.team_ids))
        .annotate(has_rows=Exists(PlanItem.objects.filter(plan=OuterRef("pk"))))
        .select_related("employee")
        .prefetch_related(Prefetch("rounds", queryset=open_rounds, to_attr="open_rounds"))
        .order_by("pk")
    )
    for plan in plans:
        role = permissions.signer_role(viewer, plan)
        if plan.status in EDITABLE_GROUP and plan.has_rows and role is not None:
            signed = {s.role for r in plan.open_rounds for s in r.signatures.all()}
            if role not in signed:
                what = (_("Sign your development plan") if role == SignerRole.EMPLOYEE
                        else _("Sign the development plan of %(name)s")
                        % {"name": plan.employee.full_name})
                tasks.append(DevelopmentTask(DevelopmentStep.SIGN, what, plan.employee,
                                             plan.pk, None))
        opens = plan.follow_up_earliest or plan.follow_up_due
        if (plan.status == PlanStatus.SIGNED and opens is not None and opens <= today
                and permissions.is_first_evaluator(viewer, plan)):
            tasks.append(DevelopmentTask(
                DevelopmentStep.FOLLOW_UP,
                _("Hold the follow-up conversation of the development plan of %(name)s")
                % {"name": plan.employee.full_name},
                plan.employee, plan.pk, plan.follow_up_due))
    tasks += [
        DevelopmentTask(DevelopmentStep.SHARE_PREPARATION,
                        _("Finish and share your preparation of the development "
                          "conversation"), me, preparation.pk, None)
        for preparation in EmployeePreparation.objects.filter(
            employee=me, shared_at__isnull=True).order_by("pk")
    ]
    tasks += [
        DevelopmentTask(DevelopmentStep.SHARE_MANAGER_PREPARATION,
                        _("Finish and share your preparation of the development "
                          "conversation with %(name)s") % {"name": preparation.employee.full_name},
                        preparation.employee, preparation.pk, None)
        for preparation in ManagerPreparation.objects.filter(
            author=me, shared_at__isnull=True).select_related("employee").order_by("pk")
    ]
    return tasks
