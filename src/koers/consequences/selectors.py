"""Reads for the pages and the API, each in a bounded number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.consequences import permissions, rules
from koers.consequences.models import (
    Appeal,
    CaseFileRead,
    SalaryDecision,
    SalaryObjection,
    UnfitnessReview,
)
from koers.consequences.states import (
    APPEAL_ALLOWED,
    APPEAL_PENDING,
    OBJECTION_PENDING,
    AppealMove,
)
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationStatus
from koers.core import clock
from koers.core.clock import today_for
from koers.evaluations.models import Evaluation, EvaluationReport, Objection
from koers.evaluations.permissions import evaluations_visible_to
from koers.evaluations.rules import local_day
from koers.evaluations.selectors import EvaluationPage, Version, evaluation_page
from koers.evaluations.states import DELIVERED_GROUP, EvaluationKind
from koers.organisation.models import (
    Absence,
    EmploymentStatus,
    Organisation,
    Person,
    SalarySystem,
)
from koers.organisation.models import Role as GrantRole
from koers.organisation.rules import worked_days_between
from koers.rulebook.appeals import (
    LATE_OBJECTION_SOURCE,
    OBJECTION_DECISION_SOURCE,
    OBJECTION_SOURCE,
    Source,
    appeal_source,
    assessment_objection_decision_due,
    assessment_objection_due,
    assessment_objection_late,
    decision_due,
)
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.verdicts import Verdict, verdict_label

# The worklist shows at most this many evaluations at once; deciding them brings the next.
WORKLIST_SIZE = 300
DECIDED_SHOWN = 100


# What names an evaluation's period (``Evaluation.period_name``), read with the row that
# points at the evaluation.
EVALUATION_PERIOD = ("evaluation__person__organisation",
                     "evaluation__participation__cycle__organisation")


def current_verdict() -> Subquery:
    """The verdict of an evaluation's latest report version, as a subquery."""
    return Subquery(
        EvaluationReport.objects.filter(evaluation=OuterRef("pk"))
        .order_by("-number").values("verdict")[:1])


def delivered_on(evaluation: Evaluation) -> dt.date | None:
    if evaluation.delivered_at is None:
        return None
    return local_day(evaluation.delivered_at, evaluation.person.organisation.time_zone)


def report_verdict(evaluation: Evaluation) -> str:
    """The verdict of the evaluation's latest report version (one query)."""
    report = evaluation.reports.order_by("-number").only("verdict").first()
    return report.verdict if report is not None else ""


def appeal_of(evaluation: Evaluation) -> Appeal | None:
    return Appeal.objects.filter(evaluation=evaluation).first()


# The management body's worklist ------------------------------------------------------


@dataclass
class Candidate:
    """An evaluation the management body must decide a step on: verdict, person, unit."""

    evaluation: Evaluation
    verdict: str  # the verdict that counts (after an appeal that changed it: voldoende)
    appeal: Appeal | None
    steps: tuple[int, ...]  # the steps the rules allow for this verdict
    refusal: str | None  # why it cannot be decided now

    @property
    def person(self) -> Person:
        return self.evaluation.person


@dataclass
class Worklist:
    organisation: Organisation
    policy: Policy
    candidates: list[Candidate]
    more: bool  # more candidates than shown
    decided: list[SalaryDecision]


def candidates_of(organisation: Organisation) -> QuerySet[Evaluation]:
    """Delivered annual evaluations of people in the evaluation-based salary system
    without a salary decision, by unit and name."""
    return (
        Evaluation.objects.filter(
            person__organisation=organisation, kind=EvaluationKind.ANNUAL,
            state__in=sorted(DELIVERED_GROUP), person__salary_system=SalarySystem.EVALUATION,
            salary_decision__isnull=True)
        .select_related("person__unit", "person__organisation",
                        "participation__cycle__organisation")
        .annotate(current_verdict=current_verdict())
        .order_by("person__unit__path", "person__last_name", "person__first_name", "pk")
    )


def worklist(viewer: Viewer, organisation: Organisation) -> Worklist:
    """What the management body must decide: five queries, whatever the number."""
    policy = policy_for(organisation)
    today = today_for(organisation)
    rows = list(candidates_of(organisation)[:WORKLIST_SIZE + 1])
    more = len(rows) > WORKLIST_SIZE
    rows = rows[:WORKLIST_SIZE]
    appeals = {a.evaluation_id: a for a in Appeal.objects.filter(evaluation__in=rows)}
    candidates = []
    for evaluation in rows:
        appeal = appeals.get(evaluation.pk)
        verdict = rules.effective_verdict(getattr(evaluation, "current_verdict", "") or "", appeal)
        candidates.append(Candidate(
            evaluation=evaluation, verdict=verdict, appeal=appeal,
            steps=rules.allowed_steps(policy, verdict),
            refusal=rules.decision_refusal(
                policy=policy, evaluation=evaluation, verdict=verdict, appeal=appeal,
                delivered_on=delivered_on(evaluation), today=today)))
    decided = list(
        SalaryDecision.objects.filter(organisation=organisation)
        .select_related("person__unit", *EVALUATION_PERIOD)
        .order_by("-decided_on", "-pk")[:DECIDED_SHOWN])
    return Worklist(organisation=organisation, policy=policy, candidates=candidates,
                    more=more, decided=decided)


def management_organisations(viewer: Viewer) -> list[Organisation]:
    """The organisations whose management body the viewer sits on, with salary steps."""
    ids = permissions.body_organisations(viewer, GrantRole.MANAGEMENT_BODY)
    return [o for o in Organisation.objects.filter(pk__in=ids).order_by("name")
            if rules.salary_steps_apply(policy_for(o))]


# Lists ------------------------------------------------------------------------------


def appeals_for(viewer: Viewer) -> QuerySet[Appeal]:
    return (permissions.appeals_visible_to(viewer)
            .select_related("person__unit", *EVALUATION_PERIOD).order_by("-filed_at", "-pk"))


def objections_for(viewer: Viewer) -> QuerySet[SalaryObjection]:
    return (permissions.objections_visible_to(viewer)
            .select_related("person__unit", "decision").order_by("-filed_at", "-pk"))


def decisions_of(person: Person) -> QuerySet[SalaryDecision]:
    return SalaryDecision.objects.filter(person=person).select_related(*EVALUATION_PERIOD) \
        .order_by("-decided_on", "-pk")


@dataclass(frozen=True)
class Appealable:
    evaluation: Evaluation
    verdict: str
    due: dt.date


def appealable_for(person: Person) -> list[Appealable]:
    """The person's delivered evaluations they may still appeal (two queries)."""
    policy = policy_for(person.organisation)
    today = today_for(person.organisation)
    rows = (Evaluation.objects.filter(person=person, state__in=sorted(DELIVERED_GROUP),
                                      appeals__isnull=True)
            .select_related("person__organisation", "participation__cycle__organisation")
            .annotate(current_verdict=current_verdict()))
    result = []
    for evaluation in rows:
        verdict = getattr(evaluation, "current_verdict", "") or ""
        day = delivered_on(evaluation)
        if day is None or rules.appeal_refusal(policy=policy, evaluation=evaluation,
                                               verdict=verdict, delivered_on=day, today=today,
                                               existing=None):
            continue
        due = rules.appeal_due(policy, day)
        assert due is not None
        result.append(Appealable(evaluation, verdict, due))
    return result


def objection_of(decision: SalaryDecision) -> SalaryObjection | None:
    return SalaryObjection.objects.filter(decision=decision).first()


def reads_of(person: Person) -> QuerySet[CaseFileRead]:
    """Who of the bodies read the person's case files, newest first."""
    return CaseFileRead.objects.filter(subject=person).select_related("reader") \
        .order_by("-read_at", "-pk")


# The case files, read by the bodies -----------------------------------------------------
# Every read of a file by a member of a body is logged here, once for both faces; the
# employee sees who read it on the appeal's or the objection's page.


def appeal_label(appeal: Appeal) -> str:
    return _("Appeal of %(name)s against “%(verdict)s” (%(period)s)") % {
        "name": appeal.person.full_name, "verdict": verdict_label(None, appeal.verdict),
        "period": appeal.evaluation.period_name}


def objection_label(objection: SalaryObjection) -> str:
    return _("Objection of %(name)s to the salary decision of %(day)s") % {
        "name": objection.person.full_name,
        "day": rules.day(objection.decision.decided_on)}


def file_read_log(*, viewer: Viewer, roles: set[permissions.CaseRole],
                  appeal: Appeal | None = None, objection: SalaryObjection | None = None,
                  label: str) -> CaseFileRead | None:
    """Log a read of a case file by a member of a body; nothing for anyone else (the
    employee, the evaluators, HR without the file). Called by the selectors below."""
    body = permissions.body_role_reading(roles)
    if body is None or viewer.person is None:
        return None
    case = appeal if appeal is not None else objection
    assert case is not None
    with transaction.atomic():
        read = CaseFileRead.objects.create(
            reader=viewer.person, subject=case.person, role=body, appeal=appeal,
            objection=objection, record_label=label[:300], read_at=clock.now())
        audit.record(actor=viewer.user, action="case_file.read", target=case,
                     organisation_id=case.organisation_id, changes={"as": str(body)})
    return read


@dataclass(frozen=True)
class ProcedureStep:
    """One step of an appeal's procedure, as the employee follows it."""

    what: str
    day: dt.date | None  # when it happened
    done: bool
    note: str = ""  # the term it kept, or what came of it
    due: dt.date | None = None  # its term, computed by the rules (never typed)
    source: Source | None = None  # the public source of that term


@dataclass(frozen=True)
class AppealRead:
    appeal: Appeal
    roles: set[permissions.CaseRole]
    show_grounds: bool
    moves: frozenset[AppealMove]  # what the viewer may record next
    advice: str  # the commission's advice and the outcome in the policy's words
    outcome: str
    commission: bool  # an evaluation commission advises before the decision
    procedure: list[ProcedureStep]


def appeal_procedure(appeal: Appeal, policy: Policy) -> list[ProcedureStep]:
    """The steps of the appeal from filing to decision, done or to come, each with its
    day or its term (``rulebook.appeals``), in the route the policy gives it (the federal
    one with the commission's advice, [b6][b7]). One query (the day of delivery) unless
    ``appeal.evaluation`` is loaded with its person's organisation."""
    filed_on = local_day(appeal.filed_at, appeal.person.organisation.time_zone)
    delivered = delivered_on(appeal.evaluation)
    due = rules.appeal_due(policy, delivered) if delivered is not None else None
    commission = policy.appeal_commission_advises
    steps = [ProcedureStep(
        _("Appeal filed"), filed_on, True,
        _("The term to appeal ran until %(day)s.") % {"day": rules.day(due)} if due else "",
        due=due, source=appeal_source(policy) if due else None)]
    if commission:
        steps.append(ProcedureStep(
            _("Receipt acknowledged, the file forwarded to the evaluation commission"),
            filed_on, True))
    steps.append(ProcedureStep(_("Hearing of the employee and the evaluator"),
                               appeal.hearing_on, appeal.hearing_on is not None))
    if commission:
        steps.append(ProcedureStep(_("Advice of the evaluation commission"),
                                   appeal.advised_on, appeal.advised_on is not None,
                                   rules.outcome_label(policy, appeal.advice)))
    decision_term, decision_source = decision_due(policy, filed_on=filed_on,
                                                  advised_on=appeal.advised_on)
    steps.append(ProcedureStep(
        _("Decision of the leidend ambtenaar") if commission
        else _("Decision of the appeal board"),
        appeal.decided_on, appeal.decided_on is not None,
        rules.outcome_label(policy, appeal.outcome), due=decision_term, source=decision_source))
    return steps


@dataclass(frozen=True)
class Procedure:
    """An appeal or an objection that follows an evaluation, as the employee follows it:
    the evaluation's state in its light and each step with its day or its term."""

    kind: str  # "appeal", "objection" (to a salary decision) or "assessment_objection"
    pk: int
    evaluation: Evaluation
    pending: bool  # not decided yet: the evaluation is not finished for the employee
    state: str  # the evaluation's state in the procedure's light, in the reader's language
    steps: list[ProcedureStep]


def _appeal_as_procedure(appeal: Appeal, policy: Policy) -> Procedure:
    pending = appeal.state in APPEAL_PENDING
    filed_on = local_day(appeal.filed_at, appeal.person.organisation.time_zone)
    state = (_("under appeal since %(day)s") % {"day": rules.day(filed_on)}
             if pending else _("appeal decided: %(outcome)s")
             % {"outcome": rules.outcome_label(policy, appeal.outcome)})
    return Procedure("appeal", appeal.pk, appeal.evaluation, pending, state,
                     appeal_procedure(appeal, policy))


def _objection_as_procedure(objection: SalaryObjection) -> Procedure:
    """The objection to a step-0 salary decision (Prestatiemanagement): the advisory
    body's advice and the management body's decision; the sources give neither a term."""
    pending = objection.state in OBJECTION_PENDING
    filed_on = local_day(objection.filed_at, objection.person.organisation.time_zone)
    state = (_("salary decision under objection since %(day)s") % {"day": rules.day(filed_on)}
             if pending else _("objection decided: salary step %(step)s")
             % {"step": objection.final_step})
    steps = [ProcedureStep(_("Objection filed"), filed_on, True),
             ProcedureStep(_("Advice of the advisory body"), objection.advised_on,
                           objection.advised_on is not None),
             ProcedureStep(_("Final decision of the management body"), objection.decided_on,
                           objection.decided_on is not None)]
    return Procedure("objection", objection.pk, objection.decision.evaluation, pending, state,
                     steps)


def _assessment_objection_as_procedure(objection: Objection, policy: Policy) -> Procedure:
    """The objection to a Dutch formal or probation assessment (Heemstede): filed within
    six weeks of the hand-over, decided within six weeks after that term, twelve with an
    objection committee (Algemene wet bestuursrecht, art. 6:7, 6:8 and 7:10;
    ``rulebook.appeals``)."""
    evaluation = objection.evaluation
    delivered = delivered_on(evaluation)
    term = assessment_objection_due(delivered) if delivered else None
    decision_term = (assessment_objection_decision_due(
        delivered, committee=policy.objection_committee) if delivered else None)
    outcome = objection.get_outcome_display()
    state = (_("assessment under objection since %(day)s") % {"day": rules.day(objection.filed_on)}
             if not objection.decided else _("objection decided: %(outcome)s")
             % {"outcome": outcome})
    late = delivered is not None and assessment_objection_late(delivered, objection.filed_on)
    filed_note = ("" if term is None else
                  _("Filed after the term to object, which ran until %(day)s: the body that "
                    "decides judges whether the delay can be excused (%(source)s).")
                  % {"day": rules.day(term), "source": LATE_OBJECTION_SOURCE}
                  if late else
                  _("The term to object ran until %(day)s.") % {"day": rules.day(term)})
    steps = [
        ProcedureStep(
            _("Objection to the assessment filed"), objection.filed_on, True, filed_note,
            due=term, source=OBJECTION_SOURCE if term else None),
        ProcedureStep(
            _("Decision on the objection"), objection.decided_on, objection.decided,
            _("%(outcome)s, by %(body)s") % {"outcome": outcome,
                                             "body": objection.decided_by_body}
            if objection.decided else "",
            due=decision_term, source=OBJECTION_DECISION_SOURCE if decision_term else None),
    ]
    return Procedure("assessment_objection", objection.pk, evaluation, not objection.decided,
                     state, steps)


def procedures_of(viewer: Viewer, person: Person, *,
                  evaluation: Evaluation | None = None) -> list[Procedure]:
    """The appeals and objections of ``person`` the viewer may see (the appellant always),
    newest first; only those of ``evaluation`` when given. A fixed number of queries,
    whatever their number (the timeline's test counts them)."""
    appeals = permissions.appeals_visible_to(viewer).filter(person=person)
    objections = permissions.objections_visible_to(viewer).filter(person=person)
    # The objections to an assessment: those of the evaluations the viewer may see.
    against_assessments = Objection.objects.filter(
        evaluation__in=evaluations_visible_to(viewer).filter(person=person))
    if evaluation is not None:
        appeals = appeals.filter(evaluation=evaluation)
        objections = objections.filter(decision__evaluation=evaluation)
        against_assessments = against_assessments.filter(evaluation=evaluation)
    found = list(appeals.select_related("person__organisation", *EVALUATION_PERIOD))
    filed = list(objections.select_related(
        "person__organisation", *(f"decision__{path}" for path in EVALUATION_PERIOD)))
    assessed = list(against_assessments.select_related(*EVALUATION_PERIOD))
    if not found and not filed and not assessed:
        return []
    policy = policy_for(person.organisation)
    result = [_appeal_as_procedure(appeal, policy) for appeal in found]
    result += [_objection_as_procedure(objection) for objection in filed]
    result += [_assessment_objection_as_procedure(objection, policy) for objection in assessed]
    return sorted(result, key=lambda p: (p.steps[0].day or dt.date.min, p.kind), reverse=True)


def appeal_moves(viewer: Viewer, appeal: Appeal, policy: Policy) -> frozenset[AppealMove]:
    """The moves the viewer may record on the appeal now: the state table, the policy's
    route (a commission's advice before the decision, [b6][b7]) and who records."""
    if not permissions.can_record_appeal(viewer, appeal):
        return frozenset()
    refusals = {AppealMove.RECORD_HEARING: None,
                AppealMove.ADVISE: rules.advice_refusal(policy, appeal),
                AppealMove.DECIDE: rules.outcome_refusal(policy, appeal)}
    return frozenset(move for move, refusal in refusals.items()
                     if refusal is None and appeal.state in APPEAL_ALLOWED[move])


def appeal_read(viewer: Viewer, appeal: Appeal) -> AppealRead:
    """The appeal (from ``permissions.appeal_for``) as the viewer reads it: the grounds
    if theirs to read, a body member's read of them logged, and what they may record."""
    roles = permissions.appeal_roles(viewer, appeal)
    show_grounds = permissions.can_read_appeal_grounds(viewer, appeal)
    if show_grounds:
        file_read_log(viewer=viewer, roles=roles, appeal=appeal, label=appeal_label(appeal))
    policy = policy_for(appeal.person.organisation)
    return AppealRead(appeal=appeal, roles=roles, show_grounds=show_grounds,
                      moves=appeal_moves(viewer, appeal, policy),
                      advice=rules.outcome_label(policy, appeal.advice),
                      outcome=rules.outcome_label(policy, appeal.outcome),
                      commission=policy.appeal_commission_advises,
                      procedure=appeal_procedure(appeal, policy))


@dataclass(frozen=True)
class AppealFile:
    """The evaluation file of an appeal: the version appealed, the self-evaluation."""

    appeal: Appeal
    page: EvaluationPage
    version: Version
    submitted: bool  # the self-evaluation was submitted: the file holds it


def appeal_file_read(viewer: Viewer, appeal: Appeal) -> AppealFile | None:
    """The evaluation file of the appeal if the viewer sits on the board it lies before
    (``None`` otherwise); the read is logged. Nine queries or so, whatever its size."""
    if not permissions.can_read_appeal_file(viewer, appeal):
        return None
    page = evaluation_page(appeal.evaluation)
    version = next(v for v in page.versions if v.report.pk == appeal.report_id)
    file_read_log(viewer=viewer, roles=permissions.appeal_roles(viewer, appeal), appeal=appeal,
                  label=appeal_label(appeal))
    return AppealFile(appeal=appeal, page=page, version=version,
                      submitted=page.evaluation.self_evaluation_submitted_at is not None)


@dataclass(frozen=True)
class ObjectionRead:
    objection: SalaryObjection
    roles: set[permissions.CaseRole]
    show_file: bool


def objection_read(viewer: Viewer, objection: SalaryObjection) -> ObjectionRead:
    """The objection (from ``permissions.objection_for``) as the viewer reads it: its
    file if theirs to read, a body member's read of it logged."""
    roles = permissions.objection_roles(viewer, objection)
    show_file = permissions.can_read_objection_file(viewer, objection)
    if show_file:
        file_read_log(viewer=viewer, roles=roles, objection=objection,
                      label=objection_label(objection))
    return ObjectionRead(objection=objection, roles=roles, show_file=show_file)


# Possible professional unfitness (federal) -----------------------------------------------


@dataclass(frozen=True)
class UnfitnessFlag:
    """Two ``onvoldoende`` that may start the procedure for professional unfitness
    (``rules.unfitness_pair``): a flag for HR, never a decision."""

    person: Person
    earlier: Evaluation
    later: Evaluation
    worked_days: int
    delivered: tuple[dt.date, dt.date]  # the days the two reports were delivered
    # Contract staff (fedweb, "Beroepen" [b8]): the earlier conversations must have
    # warned them; the held conversations with improvement points before the later one.
    contract: bool
    warnings: list[Conversation]


def unfitness_flags(viewer: Viewer, *, evaluation: Evaluation | None = None,
                    ) -> list[UnfitnessFlag]:
    """The flags HR must answer: in the viewer's HR units, under a policy with the rule,
    not answered yet (``UnfitnessReview``); only the one ending in ``evaluation`` when
    given. Six queries, plus one per organisation for its policy."""
    people = permissions.unfitness_people(viewer)
    if people is None:
        return []
    if evaluation is not None:
        people = people.filter(pk=evaluation.person_id)
    delivered = list(
        Evaluation.objects.filter(person__in=people, state__in=sorted(DELIVERED_GROUP),
                                  delivered_at__isnull=False)
        .annotate(current_verdict=current_verdict())
        .filter(current_verdict=Verdict.ONVOLDOENDE)
        .select_related("person__organisation", "person__unit"))
    if len(delivered) < rules.UNFITNESS_ONVOLDOENDE:
        return []
    appeals = {a.evaluation_id: a for a in Appeal.objects.filter(evaluation__in=delivered)}
    reviewed = set(UnfitnessReview.objects.filter(evaluation__in=delivered)
                   .values_list("evaluation_id", flat=True))
    by_person: dict[int, list[Evaluation]] = {}
    for one in delivered:
        if rules.effective_verdict(Verdict.ONVOLDOENDE, appeals.get(one.pk)) \
                == Verdict.ONVOLDOENDE:
            by_person.setdefault(one.person_id, []).append(one)
    candidates = {pk: found for pk, found in by_person.items()
                  if len(found) >= rules.UNFITNESS_ONVOLDOENDE}
    if not candidates:
        return []
    absences: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for person_id, start, end in Absence.objects.filter(
            person_id__in=list(candidates)).values_list("person_id", "start_date", "end_date"):
        absences.setdefault(person_id, []).append((start, end))
    policies: dict[int, Policy] = {}
    flags = []
    for person_id, found in candidates.items():
        person = found[0].person
        organisation = person.organisation
        if organisation.pk not in policies:
            policies[organisation.pk] = policy_for(organisation)
        policy = policies[organisation.pk]
        by_pk = {e.pk: e for e in found}
        days = {e.pk: delivered_on(e) for e in found}

        def worked(first: dt.date, last: dt.date, person_id: int = person_id,
                   preset: str = policy.preset) -> int:
            return worked_days_between(first=first, last=last, preset=preset,
                                       absences=absences.get(person_id, []))

        pair = rules.unfitness_pair(
            policy, [(day, pk) for pk, day in days.items() if day is not None], worked)
        if pair is None or pair[1] in reviewed:
            continue
        if evaluation is not None and pair[1] != evaluation.pk:
            continue
        first, second, worked_days = pair
        flags.append(UnfitnessFlag(
            person=person, earlier=by_pk[first], later=by_pk[second], worked_days=worked_days,
            delivered=(days[first] or dt.date.min, days[second] or dt.date.min),
            contract=person.employment_status == EmploymentStatus.CONTRACTUAL, warnings=[]))
    contract = [flag for flag in flags if flag.contract]
    if contract:
        held = list(Conversation.objects.filter(
            employee_id__in=[flag.person.pk for flag in contract],
            status=ConversationStatus.HELD).exclude(improvement_points="")
            .order_by("held_on"))
        for flag in contract:
            flag.warnings.extend(c for c in held if c.employee_id == flag.person.pk
                                 and c.held_on is not None and c.held_on <= flag.delivered[1])
    return sorted(flags, key=lambda flag: flag.delivered[1])


@dataclass(frozen=True)
class UnfitnessPage:
    flag: UnfitnessFlag | None  # open: HR must answer it
    review: UnfitnessReview | None  # answered


def unfitness_page(viewer: Viewer, evaluation: Evaluation) -> UnfitnessPage | None:
    """The flag ending in ``evaluation``, or HR's answer to it; ``None`` when there is
    neither or the viewer is not HR of the person (the same 404)."""
    if not permissions.can_review_unfitness(viewer, evaluation.person):
        return None
    review = (UnfitnessReview.objects.filter(evaluation=evaluation)
              .select_related("earlier", "reviewed_by").first())
    if review is not None:
        return UnfitnessPage(flag=None, review=review)
    flag = next(iter(unfitness_flags(viewer, evaluation=evaluation)), None)
    return UnfitnessPage(flag=flag, review=None) if flag is not None else None
