"""The API of evaluations: self-evaluation, report, signatures, corrections,
objections, versions and the PDF.
"""

from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from koers.access import renderings
from koers.access.policy import person_for
from koers.api import filters, lookups
from koers.api.common_schemas import ConflictOut, Problem, RenderingOut
from koers.api.evaluations_schemas import (
    AbsencesIn,
    EvaluationOpenIn,
    EvaluationOut,
    EvaluationSummaryOut,
    EvaluationSummaryPageOut,
    EvaluationTaskOut,
    EvaluationTaskPageOut,
    ObjectionDecisionIn,
    ObjectionIn,
    ObjectionOut,
    PersonProbationOut,
    ProbationIn,
    ProbationOut,
    ReasonIn,
    RemarksIn,
    ReportIn,
    ReportOut,
    ReportPageOut,
    SelfEvaluationIn,
    SignIn,
    StageOutcomeIn,
    WrittenProcedureIn,
)
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.consequences.probation import probation_outcome
from koers.conversations import permissions as conversation_permissions
from koers.core.errors import ValidationFailed
from koers.cycles.models import Participation
from koers.evaluations import documents as evaluation_documents
from koers.evaluations import permissions as evaluation_permissions
from koers.evaluations import probation as probation_records
from koers.evaluations import selectors as evaluation_selectors
from koers.evaluations import services as evaluation_services
from koers.evaluations import steps as evaluation_steps
from koers.evaluations.models import Evaluation, Probation

router = Router()


# Evaluations ------------------------------------------------------------------------------
# The evaluations room's permissions decide who sees an evaluation (404 for missing and
# forbidden alike) and which parts: the self-evaluation is the employee's own until
# submitted, the report reaches the employee from the draft sent or the delivery on, and
# HR reads content only under a granted request (logged). A refused step answers 422 with
# the rule in words; a save that started from an older revision answers 409 with the
# texts as saved now.


def _evaluation(request: HttpRequest, evaluation_id: int) -> Evaluation:
    evaluation = evaluation_permissions.evaluation_for(viewer_of(request), evaluation_id)
    if evaluation is None:
        raise Http404
    return evaluation


def _evaluation_out(request: HttpRequest, evaluation: Evaluation) -> EvaluationOut:
    viewer = viewer_of(request)
    read = evaluation_selectors.evaluation_read(viewer, evaluation)  # HR's read: logged
    return EvaluationOut.of_page(
        read.page, show_self_evaluation=read.show_self, show_report=read.show_report,
        offers=evaluation_selectors.available_actions(viewer, read.page.evaluation, read.page),
        steps=evaluation_steps.evaluation_steps(read.page))


EVALUATION_FIELDS = filters.Fields(Evaluation, state="state", updated="updated_at")


def _evaluations(evaluations: Iterable[Evaluation]) -> list[EvaluationSummaryOut]:
    return [EvaluationSummaryOut.of(evaluation) for evaluation in evaluations]


@router.get("/me/evaluations", response=EvaluationSummaryPageOut, tags=["evaluations"],
            summary="My evaluations, the latest period first, a page at a time; by state "
                    "and last change")
def my_evaluations(request: HttpRequest, paging: Query[PageIn], state: Query[filters.StateIn],
                   since: Query[filters.UpdatedSinceIn]) -> dict[str, Any]:
    viewer = viewer_of(request)
    if viewer.person is None:
        return paged(request, [], paging, list)
    evaluations = evaluation_selectors.evaluations_for_person(viewer, viewer.person)
    return paged(request, filters.narrowed(
        request, evaluations.select_related("person"), EVALUATION_FIELDS, state=state,
        since=since), paging, _evaluations)


@router.get("/me/evaluation-tasks", response=EvaluationTaskPageOut, tags=["evaluations"],
            summary="What waits for me: the evaluation steps I can take today, with their "
                    "due dates, a page at a time")
def my_evaluation_tasks(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    return paged(request, evaluation_steps.evaluation_tasks(viewer_of(request)), paging,
                 lambda page: [EvaluationTaskOut.of(step) for step in page])


@router.get("/people/{person_id}/evaluations", response=EvaluationSummaryPageOut,
            tags=["evaluations"],
            summary="A person's evaluations I may see, a page at a time; by state and last "
                    "change")
def person_evaluations(request: HttpRequest, person_id: int, paging: Query[PageIn],
                       state: Query[filters.StateIn],
                       since: Query[filters.UpdatedSinceIn]) -> dict[str, Any]:
    person = lookups.person(request, person_id)
    evaluations = evaluation_selectors.evaluations_for_person(viewer_of(request), person)
    return paged(request, filters.narrowed(
        request, evaluations.select_related("person"), EVALUATION_FIELDS, state=state,
        since=since), paging, _evaluations)


@router.post("/people/{person_id}/evaluations", response={201: EvaluationOut, 422: Problem},
             tags=["evaluations"],
             summary="Open an evaluation: annual (for a participation), a formal assessment "
                     "(Dutch policy), an advanced evaluation after onvoldoende or a "
                     "probation evaluation")
def evaluation_open(request: HttpRequest, person_id: int,
                    data: EvaluationOpenIn) -> Status[EvaluationOut]:
    person = lookups.person(request, person_id)
    participation = None
    if data.participation_id is not None:
        participation = Participation.objects.filter(pk=data.participation_id,
                                                     person=person).first()
        if participation is None:
            message = _("Choose a participation of this person.")
            raise ValidationFailed(message, {"participation_id": [message]})
    conversation = None
    if data.improvement_conversation_id is not None:
        conversation = conversation_permissions.conversation_for(
            viewer_of(request), data.improvement_conversation_id)
        if conversation is None or conversation.employee_id != person.pk:
            message = _("Choose a conversation of this person.")
            raise ValidationFailed(message, {"improvement_conversation_id": [message]})
    follows = None
    if data.follows_id is not None:
        follows = evaluation_permissions.evaluation_for(viewer_of(request), data.follows_id)
        if follows is None or follows.person_id != person.pk:
            message = _("Choose an evaluation of this person.")
            raise ValidationFailed(message, {"follows_id": [message]})
    evaluation = evaluation_services.evaluation_open(
        actor=viewer_of(request), person=person, participation=participation, kind=data.kind,
        written_procedure=data.written_procedure, formal_reason=data.formal_reason,
        improvement_conversation=conversation, follows=follows, due_on=data.due_on,
    )
    return Status(201, _evaluation_out(request, evaluation))


@router.post("/participations/{participation_id}/evaluation",
             response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
             summary="The annual evaluation of a participation, opened on first use")
def participation_evaluation(request: HttpRequest, participation_id: int) -> EvaluationOut:
    participation = evaluation_permissions.participation_for(viewer_of(request),
                                                             participation_id)
    if participation is None:
        raise Http404
    evaluation = evaluation_services.evaluation_for_participation(
        actor=viewer_of(request), participation=participation)
    return _evaluation_out(request, evaluation)


@router.get("/evaluations/{evaluation_id}", response=EvaluationOut, tags=["evaluations"],
            summary="An evaluation with the parts I may see and what I may do now")
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    return _evaluation_out(request, _evaluation(request, evaluation_id))


@router.put("/evaluations/{evaluation_id}/self-evaluation",
            response={200: EvaluationOut, 409: ConflictOut, 422: Problem}, tags=["evaluations"],
            summary="Save my self-evaluation (private until submitted); 409 when it was "
                    "saved elsewhere since the revision I started from")
def self_evaluation_save(request: HttpRequest, evaluation_id: int,
                         data: SelfEvaluationIn) -> EvaluationOut:
    evaluation = _evaluation(request, evaluation_id)
    evaluation = evaluation_services.self_evaluation_save(
        actor=viewer_of(request), evaluation=evaluation, overall=data.overall,
        items=data.items, expected_revision=data.expected_revision)
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/self-evaluation/submit",
             response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
             summary="Submit my self-evaluation: read-only from now on, and visible to the "
                     "evaluators")
def self_evaluation_submit(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    evaluation = evaluation_services.self_evaluation_submit(
        actor=viewer_of(request), evaluation=_evaluation(request, evaluation_id))
    return _evaluation_out(request, evaluation)


@router.put("/evaluations/{evaluation_id}/report",
            response={200: EvaluationOut, 409: ConflictOut, 422: Problem}, tags=["evaluations"],
            summary="Save the report's current, unsigned version (texts, verdict, advanced "
                    "evaluation day); 409 when it was saved elsewhere since my revision")
def report_save(request: HttpRequest, evaluation_id: int,
                data: ReportIn) -> EvaluationOut:
    evaluation = _evaluation(request, evaluation_id)
    evaluation_services.report_save(
        actor=viewer_of(request), evaluation=evaluation, overall=data.overall,
        items=data.items, verdict=data.verdict,
        advanced_evaluation_on=data.advanced_evaluation_on,
        expected_revision=data.expected_revision)
    return _evaluation_out(request, evaluation)


@router.put("/evaluations/{evaluation_id}/written-procedure",
            response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
            summary="Hold the evaluation in writing when an oral conversation is impossible")
def evaluation_written_procedure(request: HttpRequest, evaluation_id: int,
                                 data: WrittenProcedureIn) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_set_written_procedure(
        actor=viewer_of(request), evaluation=_evaluation(request, evaluation_id),
        written=data.written)
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/send-draft",
             response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
             summary="Written procedure: send the draft report to the employee for remarks")
def evaluation_send_draft(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_send_draft(
        actor=viewer_of(request), evaluation=_evaluation(request, evaluation_id))
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/draft-remarks",
             response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
             summary="Written procedure: my remarks on the draft report, once, within the term")
def draft_remarks_add(request: HttpRequest, evaluation_id: int,
                      data: RemarksIn) -> EvaluationOut:
    evaluation = evaluation_services.draft_remarks_add(
        actor=viewer_of(request), evaluation=_evaluation(request, evaluation_id),
        remarks=data.remarks)
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/sign",
             response={200: EvaluationOut, 409: ConflictOut, 422: Problem}, tags=["evaluations"],
             summary="Sign the current version as first or second evaluator (the regime's "
                     "words: 1st and 2nd evaluator, evaluator and hierarchical superior, "
                     "manager and next-higher manager) or as the employee with optional "
                     "remarks; the signature stores the seal of what was signed; "
                     "409 when the report changed since the version and revision I read")
def evaluation_sign(request: HttpRequest, evaluation_id: int,
                    data: SignIn) -> EvaluationOut:
    evaluation = _evaluation(request, evaluation_id)
    evaluation_services.evaluation_sign(
        actor=viewer_of(request), evaluation=evaluation, remarks=data.remarks,
        role=data.role or None,
        expected_version=data.expected_version,
        expected_revision=data.expected_revision)
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/correct", response={200: EvaluationOut, 422: Problem},
             tags=["evaluations"],
             summary="Correct a signed report: a new version opens, to be signed again")
def evaluation_correct(request: HttpRequest, evaluation_id: int,
                       data: ReasonIn) -> EvaluationOut:
    evaluation = _evaluation(request, evaluation_id)
    evaluation_services.evaluation_correct(actor=viewer_of(request), evaluation=evaluation,
                                           reason=data.reason)
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/close-unsigned",
             response={200: EvaluationOut, 422: Problem}, tags=["evaluations"],
             summary="Close a delivered evaluation the employee did not sign within the term")
def evaluation_close_unsigned(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_close_unsigned(
        actor=viewer_of(request), evaluation=_evaluation(request, evaluation_id))
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/cancel", response={200: EvaluationOut, 422: Problem},
             tags=["evaluations"], summary="Cancel an evaluation that is not signed yet (HR)")
def evaluation_cancel(request: HttpRequest, evaluation_id: int, data: ReasonIn) -> EvaluationOut:
    evaluation = evaluation_services.evaluation_cancel(
        actor=viewer_of(request), evaluation=_evaluation(request, evaluation_id),
        reason=data.reason)
    return _evaluation_out(request, evaluation)


@router.post("/evaluations/{evaluation_id}/objections",
             response={201: ObjectionOut, 422: Problem}, tags=["evaluations"],
             summary="Record the employee's objection to a delivered formal assessment")
def objection_record(request: HttpRequest, evaluation_id: int,
                     data: ObjectionIn) -> Status[ObjectionOut]:
    objection = evaluation_services.objection_record(
        actor=viewer_of(request), evaluation=_evaluation(request, evaluation_id),
        filed_on=data.filed_on, text=data.text)
    return Status(201, ObjectionOut.of(objection))


@router.post("/evaluation-objections/{evaluation_objection_id}/decision",
             response={200: ObjectionOut, 422: Problem}, tags=["evaluations"],
             summary="Record the decision on an objection to an assessment (HR, for the "
                     "body that decides)")
def evaluation_objection_decide(request: HttpRequest, evaluation_objection_id: int,
                                data: ObjectionDecisionIn) -> ObjectionOut:
    viewer = viewer_of(request)
    objection = evaluation_permissions.objection_to_decide(viewer, evaluation_objection_id)
    if objection is None:
        raise Http404
    return ObjectionOut.of(evaluation_services.objection_decide(
        actor=viewer, objection=objection, outcome=data.outcome, decided_on=data.decided_on,
        body=data.body, motivation=data.motivation))


def _report_reader(request: HttpRequest, evaluation_id: int) -> Evaluation:
    """The evaluation, if the caller may read its report (the same 404 otherwise)."""
    evaluation = evaluation_selectors.report_read(viewer_of(request),
                                                  _evaluation(request, evaluation_id))
    if evaluation is None:
        raise Http404
    return evaluation


@router.get("/evaluations/{evaluation_id}/versions", response=ReportPageOut,
            tags=["evaluations"],
            summary="Every version of the report, oldest first, with its signatures and "
                    "seals, a page at a time")
def evaluation_versions(request: HttpRequest, evaluation_id: int,
                        paging: Query[PageIn]) -> dict[str, Any]:
    read = evaluation_selectors.evaluation_page(_report_reader(request, evaluation_id))
    return paged(request, read.versions, paging,
                 lambda page: [ReportOut.of(version.report) for version in page])


@router.post("/evaluations/{evaluation_id}/pdf",
            response={202: RenderingOut, 404: Problem, 422: Problem}, tags=["evaluations"],
            summary="Ask for the report as a PDF, in the employee's language unless one is "
                    "asked for; a task worker prepares it (follow Location)")
def evaluation_pdf(request: HttpRequest, evaluation_id: int, response: HttpResponse,
                   language: str | None = None) -> Status[RenderingOut]:
    rendering = renderings.rendering_request(
        viewer=viewer_of(request), kind=evaluation_documents.KIND, subject_id=evaluation_id,
        language=language)
    out = RenderingOut.of(rendering, request)
    response["Location"] = out.status_url
    return Status(202, out)



# Probation --------------------------------------------------------------------------------
# The probation record is HR's (Flemish policy); whoever sees the person sees it. Its
# evaluation is opened with POST /people/{person_id}/evaluations and kind "probation".


@router.get("/people/{person_id}/probation", response=PersonProbationOut, tags=["evaluations"],
            summary="A person's probation: the Flemish probations, or the Dutch assessment's "
                    "due date, and the probation evaluations")
def person_probation(request: HttpRequest, person_id: int) -> PersonProbationOut:
    person = lookups.person(request, person_id)
    return PersonProbationOut.of(probation_records.person_probation(viewer_of(request), person))


@router.post("/people/{person_id}/probations", response={201: ProbationOut, 422: Problem},
             tags=["evaluations"],
             summary="HR records a probation (Flemish policy); its end is computed")
def probation_record(request: HttpRequest, person_id: int,
                     data: ProbationIn) -> Status[ProbationOut]:
    viewer = viewer_of(request)
    person = lookups.person(request, person_id)
    mentor = None
    if data.mentor_id is not None:
        mentor = person_for(viewer, data.mentor_id)
        if mentor is None:
            message = _("Choose a colleague of the same organisation as mentor.")
            raise ValidationFailed(message, {"mentor_id": [message]})
    probation = probation_records.probation_record(
        actor=viewer, person=person, reason=data.reason, starts_on=data.starts_on,
        months=data.months, mentor=mentor, absences=data.absences)
    return Status(201, ProbationOut.of(probation_outcome(viewer, probation)))


def _probation(request: HttpRequest, probation_id: int) -> Probation:
    probation = probation_records.probation_for(viewer_of(request), probation_id)
    if probation is None:
        raise Http404
    return probation


@router.get("/probations/{probation_id}", response=ProbationOut, tags=["evaluations"],
            summary="A probation with its end, its evaluation and what follows a negative one")
def probation_detail(request: HttpRequest, probation_id: int) -> ProbationOut:
    return ProbationOut.of(probation_outcome(viewer_of(request),
                                             _probation(request, probation_id)))


@router.put("/probations/{probation_id}/absences", response={200: ProbationOut, 422: Problem},
            tags=["evaluations"],
            summary="HR records the days not worked in a probation; the end moves")
def probation_absences(request: HttpRequest, probation_id: int,
                       data: AbsencesIn) -> ProbationOut:
    viewer = viewer_of(request)
    probation = probation_records.probation_absences_set(
        actor=viewer, probation=_probation(request, probation_id), absences=data.absences)
    return ProbationOut.of(probation_outcome(viewer, probation))


@router.post("/probations/{probation_id}/outcome", response={200: ProbationOut, 422: Problem},
             tags=["evaluations"],
             summary="HR records how a federal stage goes on or ends: extension, appointment "
                     "or dismissal")
def stage_outcome(request: HttpRequest, probation_id: int, data: StageOutcomeIn) -> ProbationOut:
    viewer = viewer_of(request)
    probation = probation_records.stage_outcome_record(
        actor=viewer, probation=_probation(request, probation_id), outcome=data.outcome,
        extension_months=data.extension_months, serious_fault=data.serious_fault)
    return ProbationOut.of(probation_outcome(viewer, probation))
