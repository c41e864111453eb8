"""Reads of evaluations for the pages and the API, each in a bounded number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.text import capfirst

from koers.access import services as access_services
from koers.access.models import Scope
from koers.access.policy import Viewer
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationStatus
from koers.core.clock import today_for
from koers.cycles.models import Participation
from koers.evaluations import permissions, rules
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    Objection,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.states import (
    EDITS,
    TRANSITIONS,
    Action,
    EvaluationKind,
    EvaluationState,
    Role,
    action_label,
    kind_label,
    roles_for,
    states_of,
)
from koers.goals.models import Goal
from koers.goals.states import AGREED_GROUP
from koers.improvement import permissions as improvement_permissions
from koers.improvement import selectors as improvement_selectors
from koers.improvement.models import ImprovementPlan
from koers.organisation import records
from koers.organisation.models import Person
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.terms import Terms, terms_for
from koers.rulebook.verdicts import NEGATIVE_VERDICTS, NO_VERDICT, verdict_label

# Everything a page shows of an evaluation's people, in the evaluation's own query.
RELATED = ("person__unit", "person__organisation", "person__user", "first_evaluator",
           "second_evaluator", "participation__cycle__organisation",
           "follows__person__organisation", "follows__participation__cycle__organisation")


@dataclass
class Version:
    report: EvaluationReport
    items: list[ReportItem]
    signatures: list[Signature]


@dataclass
class EvaluationPage:
    evaluation: Evaluation
    report: EvaluationReport  # the current version
    items: list[ReportItem]  # of the current version
    versions: list[Version]  # every version, oldest first (the history)
    self_items: list[SelfEvaluationItem]
    objections: list[Objection]
    policy: Policy
    verdicts: tuple[str, ...]  # the verdicts the policy allows for this person
    self_evaluation_questions: list[str]  # in the active language, the reader's
    followed_by: list[Evaluation]  # the advanced evaluation this one led to
    reference: str | None  # the record's reference number, from its first signature

    @property
    def signatures(self) -> list[Signature]:
        """The signatures of the current version, in signing order."""
        return self.versions[-1].signatures

    @property
    def verdict_choices(self) -> list[tuple[str, str]]:
        """The verdicts to choose from as the policy names them, "none yet" first; empty
        where the policy gives no verdict."""
        if not self.verdicts:
            return []
        return [(code, verdict_label(self.policy, code))
                for code in (NO_VERDICT, *self.verdicts)]

    @property
    def first_signed_on(self) -> dt.date | None:
        first = next((s for s in self.signatures if s.role == Role.FIRST_EVALUATOR), None)
        if first is None:
            return None
        return rules.local_day(first.signed_at, self.evaluation.person.organisation.time_zone)


def evaluation_page(evaluation: Evaluation) -> EvaluationPage:
    """Everything the evaluation's page shows, in eight queries whatever its size."""
    loaded = (
        records.with_reference(Evaluation.objects.select_related(*RELATED))
        .prefetch_related(
            Prefetch("reports", queryset=EvaluationReport.objects.order_by("number")),
            Prefetch("reports__items", queryset=ReportItem.objects.order_by("position")),
            Prefetch("reports__signatures",
                     queryset=Signature.objects.select_related("signer").order_by("pk")),
            Prefetch("self_items", queryset=SelfEvaluationItem.objects.order_by("position")),
            Prefetch("objections", queryset=Objection.objects.order_by("filed_on", "pk")),
            Prefetch("followed_by", queryset=Evaluation.objects.order_by("pk")),
        )
        .get(pk=evaluation.pk)
    )
    versions = []
    for report in loaded.reports.all():
        report.evaluation = loaded
        versions.append(Version(report, list(report.items.all()), list(report.signatures.all())))
    policy = policy_for(loaded.person.organisation)
    current = versions[-1]
    return EvaluationPage(
        evaluation=loaded, report=current.report, items=current.items, versions=versions,
        self_items=list(loaded.self_items.all()), objections=list(loaded.objections.all()),
        policy=policy, verdicts=rules.verdicts_for(policy, loaded.person, loaded.kind),
        self_evaluation_questions=rules.self_evaluation_questions(
            policy, fallback=loaded.person.organisation.language),
        followed_by=list(loaded.followed_by.all()),
        reference=records.annotated_reference(loaded, loaded.person.organisation),
    )


# Reads of the content (the report, the self-evaluation) -------------------------------
# HR reading them under a granted request is logged here, once for both faces: the
# employee sees it on "Who looked at my data". The evaluation itself (who, state, dates)
# HR sees while monitoring the cycle, without a grant: lists of evaluations log nothing.


def evaluation_title(evaluation: Evaluation, terms: Terms | None = None) -> str:
    """The kind, the period's name (``Evaluation.period_name``, as the timeline names
    it) and the person; the kind in the regime's words where the caller has them
    (``rulebook.terms``); the annual one by its period alone where the period's name
    already names it (the federal evaluation cycle)."""
    name = evaluation.person_name or evaluation.person.full_name
    if (terms is not None and terms.period_names_evaluation
            and evaluation.kind == EvaluationKind.ANNUAL):
        return f"{capfirst(evaluation.period_name)} · {name}"
    kind = (kind_label(evaluation.kind, terms) if terms is not None
            else evaluation.get_kind_display())
    return f"{capfirst(kind)}, {evaluation.period_name} · {name}"


def _log_content_read(viewer: Viewer, evaluation: Evaluation) -> None:
    if permissions.reads_under_grant(viewer, evaluation):
        access_services.access_read_log(viewer=viewer, subject=evaluation.person,
                                        scope=Scope.EVALUATIONS, record=evaluation,
                                        label=evaluation_title(evaluation))


@dataclass(frozen=True)
class EvaluationRead:
    """An evaluation's page as one viewer reads it: which parts of the content they see."""

    page: EvaluationPage
    show_report: bool
    show_self: bool


def evaluation_read(viewer: Viewer, evaluation: Evaluation) -> EvaluationRead:
    """``evaluation_page`` with the parts the viewer may read; HR's read of the content
    under a granted request is logged."""
    page = evaluation_page(evaluation)
    loaded = page.evaluation
    show_report = permissions.can_view_report(viewer, loaded)
    show_self = permissions.can_view_self_evaluation(viewer, loaded)
    if show_report or show_self:
        _log_content_read(viewer, loaded)
    return EvaluationRead(page=page, show_report=show_report, show_self=show_self)


def report_read(viewer: Viewer, evaluation: Evaluation) -> Evaluation | None:
    """The evaluation if the viewer may read its report (its versions, the PDF), else
    ``None``; HR's read under a granted request is logged."""
    if not permissions.can_view_report(viewer, evaluation):
        return None
    _log_content_read(viewer, evaluation)
    return evaluation


@dataclass(frozen=True)
class Offer:
    """An action the page offers the viewer: available now (``reason`` empty) or with
    the reason it is not (yet) available, e.g. "the 2nd evaluator's task starts on …"."""

    action: Action
    reason: str = ""
    # The policy's preset: the regime whose words name a signer (``rulebook.terms``).
    preset: str = ""

    @property
    def available(self) -> bool:
        return not self.reason

    @property
    def label(self) -> str | Promise:
        return action_label(self.action, terms_for(self.preset))


def _facts(page: EvaluationPage, *, today: dt.date) -> rules.Facts:
    return rules.Facts(
        evaluation=page.evaluation, report=page.report, policy=page.policy, today=today,
        first_signed_on=page.first_signed_on,
        signed=any(version.signatures for version in page.versions),
    )


def available_actions(viewer: Viewer, evaluation: Evaluation,
                      page: EvaluationPage | None = None) -> list[Offer]:
    """The actions the table gives the viewer's roles in this state, each with the policy's
    reason when it is not available now (in the order of ``states``: moves, then edits).

    Pass the ``page`` when it is loaded already; else it is loaded here.
    """
    page = page or evaluation_page(evaluation)
    roles = permissions.roles_of(viewer, page.evaluation)
    facts = _facts(page, today=today_for(page.evaluation.person.organisation))
    offers = []
    for action in [t.action for t in TRANSITIONS] + [e.action for e in EDITS]:
        if EvaluationState(page.evaluation.state) not in states_of(action):
            continue
        if not roles & roles_for(action):
            continue
        if action == Action.SAVE_REPORT and rules.report_author(
                page.policy, kind=page.evaluation.kind) not in roles:
            continue  # the table lets two roles write; the policy names one
        offers.append(Offer(action, rules.refusal(action, facts, roles=roles) or "",
                            page.policy.preset))
    return offers


def evaluations_for_person(viewer: Viewer, person: Person) -> QuerySet[Evaluation]:
    """The person's evaluations the viewer may see, the latest period first."""
    return (
        permissions.evaluations_visible_to(viewer)
        .filter(person=person)
        .select_related("first_evaluator", "second_evaluator", "person__organisation",
                        "participation__cycle__organisation")
        .order_by("-period_end", "-pk")
    )


# A participation's annual evaluation -------------------------------------------------------


def participation_evaluation(participation: Participation) -> Evaluation | None:
    """The participation's annual evaluation: the one that is not cancelled, else the
    latest cancelled one; ``None`` while nobody opened one. Reads only: opening it is
    ``services.evaluation_for_participation``, on a POST."""
    annual = Evaluation.objects.filter(participation=participation, kind=EvaluationKind.ANNUAL)
    return (annual.exclude(state=EvaluationState.CANCELLED).first()
            or annual.order_by("-pk").first())


def period_goals(person: Person, *, start: dt.date, end: dt.date,
                  cycle_id: int | None) -> list[Goal]:
    """The person's agreed goals of the period: linked to the cycle, or unlinked and
    running in the period."""
    in_period = (
        Q(cycle__isnull=True)
        & (Q(deadline__isnull=True) | Q(deadline__gte=start))
        & (Q(start_date__isnull=True) | Q(start_date__lte=end))
    )
    if cycle_id is not None:
        in_period |= Q(cycle_id=cycle_id)
    return list(
        Goal.objects.filter(in_period, owner=person, status__in=sorted(AGREED_GROUP))
        .order_by("deadline", "pk")
    )


def goals_to_add(evaluation: Evaluation) -> list[Goal]:
    """The agreed goals of the period that an annual evaluation in draft does not hold
    yet (agreed after it was opened); opening it again adds them. None once its current
    version carries a signature, nor for another state or kind."""
    participation = evaluation.participation
    if (evaluation.state != EvaluationState.DRAFT or participation is None
            or evaluation.kind != EvaluationKind.ANNUAL):
        return []
    report = evaluation.reports.order_by("-number").first()
    if report is None or report.signatures.exists():
        return []
    known = set(report.items.values_list("goal_id", flat=True))
    # The participation's period: the evaluation's own is brought up to it when opened.
    return [goal for goal in period_goals(evaluation.person, start=participation.period_start,
                                          end=participation.period_end,
                                          cycle_id=participation.cycle_id)
            if goal.pk not in known]


# What the evaluators keep at hand -----------------------------------------------------


def improvement_at_hand(viewer: Viewer, evaluation: Evaluation) -> list[ImprovementPlan]:
    """The employee's improvement plans that overlap the evaluated period, with their
    follow-ups and decision: shown "bij de hand" on the evaluation forms to the employee
    and their evaluators (five queries; nothing for anyone else)."""
    plans = improvement_selectors.plans_at_hand(
        evaluation.person, start=evaluation.period_start, end=evaluation.period_end)
    return [plan for plan in plans if improvement_permissions.can_view_plan(viewer, plan)
            and not improvement_permissions.reads_as_outsider(viewer, plan)]


def no_surprise_warnings(evaluation: Evaluation, *, verdict: str) -> list[str]:
    """What is missing before ``verdict`` ("no surprise", ``rules.no_surprise_missing``):
    nothing to read for a verdict that is not negative, else three queries."""
    if verdict not in NEGATIVE_VERDICTS:
        return []
    person, start, end = evaluation.person, evaluation.period_start, evaluation.period_end
    support = improvement_selectors.support_in_period(person, start=start, end=end)
    points = Conversation.objects.filter(
        employee=person, status=ConversationStatus.HELD, held_on__gte=start,
        held_on__lte=end).exclude(improvement_points="").exists()
    earlier = (EvaluationReport.objects.filter(
        evaluation__person=person, evaluation__period_end__lt=start)
        .order_by("-evaluation__period_end", "-number").values_list("verdict", flat=True)
        .first())
    return rules.no_surprise_missing(verdict=verdict, forewarnings=rules.Forewarnings(
        follow_up_with_points=points or support.follow_up_held,
        improvement_plan=support.plan,
        earlier_warning=earlier in NEGATIVE_VERDICTS))
