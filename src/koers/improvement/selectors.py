"""Reads of improvement plans, with their prefetching and the read log.

- ``plan_read``: one plan for its page and the API, HR's read under a grant logged;
- ``plans_of``: a person's plans for their list;
- ``person_plans``: a person's improvement page: their plans, whether the viewer may start
  one and what one may start from;
- ``plan_page``: one plan as its page and the API show it: the plan, what the viewer may
  do on it now (``plan_actions``) and its reference number;
- ``may_start_plan``: whether the viewer may start a plan for a person now;
- ``plan_proposals``: the held conversations a new plan may start from, as the policy
  says (``improvement_plan_source``), their text proposed as the plan's grounds;
- ``improvement_tasks``: what waits for the viewer (the task list);
- ``running_per_branch``: the HR dashboard's count of running plans per unit, no content;
- ``plans_at_hand``: what the next evaluation form shows "bij de hand";
- ``support_in_period``: what the "no surprise" check of the evaluations room asks.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from koers.access import services as access_services
from koers.access.policy import Viewer
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core import clock
from koers.improvement import permissions
from koers.improvement.models import FollowUp, GoalProgress, ImprovementPlan
from koers.improvement.rules import EXTENSIONS_ALLOWED, decision_from
from koers.improvement.states import OPEN_GROUP, PlanStatus, SignerRole
from koers.organisation import records
from koers.organisation.models import Person, Unit
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import ImprovementPlanSource


def _detailed(plans: QuerySet[ImprovementPlan]) -> QuerySet[ImprovementPlan]:
    return plans.select_related("employee__unit", "organisation", "started_by",
                                "decided_by", "evaluation").prefetch_related(
        "goals", "signatures", "conversations",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related(
            "recorded_by", "conversation").prefetch_related(
            Prefetch("progress", queryset=GoalProgress.objects.select_related("goal")))))


def plan_read(viewer: Viewer, pk: int) -> ImprovementPlan | None:
    """The plan ``pk`` with everything its page shows, if the viewer may see it (``None``
    for missing and forbidden); HR's read under a granted request is logged."""
    plan = permissions.plan_for(viewer, pk)
    if plan is None:
        return None
    if permissions.reads_as_outsider(viewer, plan):
        access_services.access_read_log(viewer=viewer, subject=plan.employee,
                                        scope=permissions.PLAN_SCOPE, record=plan,
                                        label=_("Improvement plan"))
    return _detailed(ImprovementPlan.objects.filter(pk=plan.pk)).get()


def plans_of(viewer: Viewer, person: Person) -> list[ImprovementPlan]:
    """The person's plans, newest first, as far as the viewer may see them: none for
    whoever sees the person but not their plans (HR without a grant)."""
    if not permissions.can_see_plans_of(viewer, person):
        return []
    plans = list(ImprovementPlan.objects.filter(employee=person)
                 .select_related("started_by").order_by("-period_start", "-pk"))
    if plans and permissions.reads_as_outsider(viewer, plans[0]):
        for plan in plans:
            access_services.access_read_log(viewer=viewer, subject=person,
                                            scope=permissions.PLAN_SCOPE, record=plan,
                                            label=_("Improvement plan"))
    return plans


def open_plan_of(person: Person) -> ImprovementPlan | None:
    return ImprovementPlan.objects.filter(employee=person,
                                          status__in=sorted(OPEN_GROUP)).first()


@dataclass(frozen=True)
class Step:
    """What a plan waits for from whom, and by when."""

    plan: ImprovementPlan
    what: str
    due: dt.date | None


def next_follow_up(plan: ImprovementPlan) -> FollowUp | None:
    """The first follow-up not held yet (from the prefetch)."""
    return next((f for f in plan.follow_ups.all() if f.held_on is None), None)


def follow_up_to_record(viewer: Viewer, conversation: Conversation) -> FollowUp | None:
    """The plan's follow-up that ``conversation`` was scheduled for, when the viewer
    records it: the conversation is recorded as held there (``services.follow_up_record``)."""
    if not conversation.improvement_follow_up:
        return None
    follow_up = (FollowUp.objects.filter(conversation=conversation, held_on__isnull=True)
                 .select_related("plan__employee").first())
    if follow_up is None or not permissions.can_manage(viewer, follow_up.plan):
        return None
    return follow_up


def waits_for(viewer: Viewer, plan: ImprovementPlan, *, today: dt.date) -> list[Step]:
    """The steps of ``plan`` that are the viewer's today (prefetched signatures and
    follow-ups). The employee signs and agrees an extension; the evaluator side (the 1st
    evaluator, or the 2nd who started it) signs, follows up and decides."""
    name = plan.employee.full_name
    signed = {s.role for s in plan.signatures.all()}
    steps: list[Step] = []
    if permissions.is_employee(viewer, plan):
        if plan.status == PlanStatus.DRAFT and SignerRole.EMPLOYEE not in signed:
            steps.append(Step(plan, _("Read and sign your improvement plan"), None))
        if (plan.status == PlanStatus.RUNNING and plan.extension_until is not None
                and plan.extensions < EXTENSIONS_ALLOWED):
            steps.append(Step(plan, _("Agree or discuss the proposed extension of your "
                                      "improvement plan"), None))
        return steps
    me = viewer.person
    acts = plan.employee_id in viewer.team_ids or (
        me is not None and plan.started_by_id == me.pk
        and plan.employee_id in viewer.second_line_ids)
    if not acts:
        return steps
    if plan.status == PlanStatus.DRAFT and SignerRole.EVALUATOR not in signed:
        steps.append(Step(plan, _("Sign the improvement plan of %(name)s") % {"name": name},
                          None))
    if plan.status == PlanStatus.RUNNING:
        follow_up = next_follow_up(plan)
        if follow_up is not None:
            steps.append(Step(plan, _("Hold follow-up %(number)d of the improvement plan of "
                                      "%(name)s") % {"number": follow_up.number,
                                                     "name": name}, follow_up.due_on))
        decide = decision_from(end=plan.period_end)
        if follow_up is None or today >= decide:
            steps.append(Step(plan, _("Decide whether the improvement plan of %(name)s was "
                                      "met") % {"name": name}, decide))
    return steps


@dataclass(frozen=True)
class PlanActions:
    """What the viewer may do on one plan now: the page shows these buttons and the API
    lists them (``actions``), from this one place. The services check again on every
    change; this only tells the faces what to offer."""

    change: bool  # change or cancel the draft (an evaluator)
    remark: bool  # add or change the employee's remarks (the employee, in draft)
    sign: bool
    schedule: tuple[int, ...]  # follow-ups (ids) the evaluator may schedule
    record: int | None  # the follow-up (id) the evaluator may record now
    propose_extension: bool
    agree_extension: bool
    decide: bool
    decide_from: dt.date

    def names(self) -> list[str]:
        """The actions as the API names them."""
        flags = {"change": self.change, "cancel": self.change, "remark": self.remark,
                 "sign": self.sign, "schedule_follow_up": bool(self.schedule),
                 "record_follow_up": self.record is not None,
                 "propose_extension": self.propose_extension,
                 "agree_extension": self.agree_extension, "decide": self.decide}
        return [name for name, allowed in flags.items() if allowed]


def plan_actions(viewer: Viewer, plan: ImprovementPlan, *, today: dt.date) -> PlanActions:
    """What ``viewer`` may do on ``plan`` today (from the prefetched plan: no query)."""
    manages = permissions.can_manage(viewer, plan)
    employee = permissions.is_employee(viewer, plan)
    role = permissions.signer_role(viewer, plan)
    signed = {s.role for s in plan.signatures.all()}
    draft = plan.status == PlanStatus.DRAFT
    running = plan.status == PlanStatus.RUNNING
    extension_left = plan.extensions < EXTENSIONS_ALLOWED
    decide_from = decision_from(end=plan.period_end)
    follow_ups = list(plan.follow_ups.all()) if manages and running else []
    upcoming = next_follow_up(plan) if follow_ups else None
    return PlanActions(
        change=manages and draft,
        remark=employee and draft,
        sign=draft and role is not None and role not in signed,
        schedule=tuple(f.pk for f in follow_ups if f.held_on is None and f.conversation_id is None),
        record=upcoming.pk if upcoming is not None else None,
        propose_extension=manages and running and extension_left and plan.extension_until is None,
        agree_extension=employee and running and extension_left
        and plan.extension_until is not None,
        decide=manages and running and today >= decide_from,
        decide_from=decide_from,
    )


@dataclass(frozen=True)
class PlanPage:
    plan: ImprovementPlan
    actions: PlanActions
    reference: str | None  # the record's number, from its first signature


def plan_page(viewer: Viewer, pk: int, *, today: dt.date | None = None) -> PlanPage | None:
    """The plan ``pk`` for its page and the API (``plan_read``: ``None`` for missing and
    forbidden, HR's read logged), with the viewer's actions today and its reference."""
    plan = plan_read(viewer, pk)
    if plan is None:
        return None
    day = today if today is not None else clock.today_for(plan.organisation)
    reference = records.reference_of(plan) if plan.signatures.all() else None
    return PlanPage(plan=plan, actions=plan_actions(viewer, plan, today=day),
                    reference=reference)


@dataclass(frozen=True)
class PlanProposal:
    """A held conversation a new plan may start from: it grounds the plan, and its text
    (the improvement points, or the remediation conversation's report) is proposed as
    the plan's grounds, for the evaluator to complete."""

    conversation: Conversation
    grounds: str


def plan_proposals(viewer: Viewer, person: Person,
                   plans: Iterable[ImprovementPlan]) -> list[PlanProposal]:
    """The person's held conversations of the policy's ``improvement_plan_source``, newest
    first, that no plan is grounded on yet; none when the viewer may not start a plan for
    them (their 1st or 2nd evaluator, none of their ``plans`` open). Two queries."""
    if not may_start_plan(viewer, person, plans):
        return []
    source = policy_for(person.organisation).improvement_plan_source
    held = Conversation.objects.filter(employee=person, status=ConversationStatus.HELD)
    if source == ImprovementPlanSource.REMEDIATION:
        held = held.filter(kind=ConversationKind.REMEDIATION)
    else:
        held = held.filter(kind=ConversationKind.PROGRESS).exclude(improvement_points="")
    grounding = ImprovementPlan.conversations.through.objects.filter(
        improvementplan__employee=person).values("conversation_id")
    return [PlanProposal(conversation, conversation.improvement_points
                         if source == ImprovementPlanSource.IMPROVEMENT_POINTS
                         else conversation.report)
            for conversation in held.exclude(pk__in=grounding)
            .order_by("-held_on", "-pk")[:PROPOSALS_SHOWN]]


def proposals_for(viewer: Viewer, person: Person) -> list[PlanProposal]:
    """``plan_proposals`` without a list of plans at hand (the API, the form): only the
    person's evaluators get any, so nobody else's read of the plans is logged for it."""
    if not permissions.can_start_for(viewer, person):
        return []
    return plan_proposals(viewer, person, plans_of(viewer, person))


def plan_proposal(viewer: Viewer, person: Person, conversation_id: int) -> PlanProposal | None:
    """One of ``plan_proposals``, for the form that starts from it."""
    return next((proposal for proposal in proposals_for(viewer, person)
                 if proposal.conversation.pk == conversation_id), None)


# The newest conversations a plan may start from, offered on the person's plans page.
PROPOSALS_SHOWN = 5


@dataclass(frozen=True)
class PersonPlans:
    """A person's improvement page: the plans the viewer may see, whether they may start
    one and the conversations one may start from."""

    plans: list[ImprovementPlan]
    can_start: bool
    proposals: list[PlanProposal]


def person_plans(viewer: Viewer, person: Person) -> PersonPlans:
    """The person's improvement page for ``viewer`` (``plans_of``, HR's read logged;
    ``may_start_plan``; ``plan_proposals``)."""
    plans = plans_of(viewer, person)
    return PersonPlans(plans=plans, can_start=may_start_plan(viewer, person, plans),
                       proposals=plan_proposals(viewer, person, plans))


def may_start_plan(viewer: Viewer, person: Person, plans: Iterable[ImprovementPlan]) -> bool:
    """Whether ``viewer`` may start a plan for ``person``: their evaluator, and no plan of
    theirs (``plans``, from ``plans_of``) is being agreed or running."""
    return permissions.can_start_for(viewer, person) and not any(
        plan.status in (PlanStatus.DRAFT, PlanStatus.RUNNING) for plan in plans)


def improvement_tasks(viewer: Viewer) -> list[Step]:
    """Everything the viewer must do on improvement plans today (three queries)."""
    me = viewer.person
    if me is None:
        return []
    today = clock.today()
    plans = (ImprovementPlan.objects.filter(status__in=sorted(OPEN_GROUP))
             .filter(Q(employee=me) | Q(employee__in=viewer.team_ids | viewer.second_line_ids))
             .select_related("employee").prefetch_related(
                 "signatures", Prefetch("follow_ups", queryset=FollowUp.objects.order_by(
                     "number"))).order_by("pk"))
    return [step for plan in plans for step in waits_for(viewer, plan, today=today)]


@dataclass(frozen=True)
class RunningPlans:
    """How many improvement plans run under a unit: its whole subtree, the unit itself,
    and each child's subtree. Counts only, never who or why."""

    total: int
    direct: int
    by_child: dict[int, int]


def running_per_branch(*, unit: Unit, children: Iterable[Unit]) -> RunningPlans:
    """The HR dashboard's count of running plans per unit (by the employee's unit on the
    tree's paths, as the cycle dashboard counts participations): one query."""
    kids = list(children)
    branch = Case(*(When(employee__unit__path__startswith=child.path, then=Value(child.pk))
                    for child in kids), default=None, output_field=IntegerField())
    rows = (ImprovementPlan.objects.filter(status=PlanStatus.RUNNING,
                                           employee__unit__path__startswith=unit.path)
            .annotate(branch=branch).values("branch").annotate(count=Count("pk")).order_by())
    counts = {row["branch"]: row["count"] for row in rows}
    return RunningPlans(total=sum(counts.values()), direct=counts.get(None, 0),
                        by_child={child.pk: counts.get(child.pk, 0) for child in kids})


def plans_at_hand(person: Person, *, start: dt.date, end: dt.date) -> list[ImprovementPlan]:
    """The person's signed plans that overlap the evaluated period, with their goals,
    follow-ups and decision: what the evaluation form shows "bij de hand"."""
    return list(_detailed(ImprovementPlan.objects.filter(
        employee=person, status__in=[PlanStatus.RUNNING, PlanStatus.MET, PlanStatus.NOT_MET],
        period_start__lte=end, period_end__gte=start)).order_by("period_start", "pk"))


@dataclass(frozen=True)
class SupportInPeriod:
    """What the period held before a negative verdict ("no surprise"): a recorded
    follow-up of an improvement plan, and an improvement plan at all."""

    plan: bool
    follow_up_held: bool


def support_in_period(person: Person, *, start: dt.date, end: dt.date) -> SupportInPeriod:
    """Two queries."""
    plans = ImprovementPlan.objects.filter(
        employee=person, status__in=[PlanStatus.RUNNING, PlanStatus.MET, PlanStatus.NOT_MET],
        period_start__lte=end, period_end__gte=start)
    return SupportInPeriod(
        plan=plans.exists(),
        follow_up_held=FollowUp.objects.filter(plan__in=plans, held_on__gte=start,
                                               held_on__lte=end).exists())
