"""The API of appeals, salary decisions and objections (mounted by ``api.api``).

The same permissions and services as the pages: 404 for missing and forbidden alike, the
rules' refusals as 422 with the message, every read of a file by a member of a body
logged.
"""


from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from koers.api import filters
from koers.api.common_schemas import Problem
from koers.api.consequences_schemas import (
    AdviceIn,
    AppealAdviceIn,
    AppealFileOut,
    AppealIn,
    AppealOut,
    AppealOutcomeIn,
    AppealPageOut,
    CandidateOut,
    DecisionOut,
    DecisionsIn,
    FinalDecisionIn,
    HearingIn,
    ProcedureStepOut,
    SalaryObjectionIn,
    SalaryObjectionOut,
    SalaryObjectionPageOut,
    UnfitnessFlagOut,
    UnfitnessFlagPageOut,
    UnfitnessReviewIn,
    UnfitnessReviewOut,
    WorklistOut,
)
from koers.api.evaluations_schemas import ReportOut, SelfEvaluationOut
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.consequences import permissions, selectors, services
from koers.consequences.models import Appeal, SalaryDecision, SalaryObjection
from koers.evaluations import permissions as evaluation_permissions
from koers.organisation.models import Organisation

router = Router(tags=["appeals and salary decisions"])


def _appeal(request: HttpRequest, appeal_id: int) -> Appeal:
    appeal = permissions.appeal_for(viewer_of(request), appeal_id)
    if appeal is None:
        raise Http404
    return appeal


def _decision(request: HttpRequest, decision_id: int) -> SalaryDecision:
    decision = permissions.decision_for(viewer_of(request), decision_id)
    if decision is None:
        raise Http404
    return decision


def _objection(request: HttpRequest, objection_id: int) -> SalaryObjection:
    objection = permissions.objection_for(viewer_of(request), objection_id)
    if objection is None:
        raise Http404
    return objection


def _management_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = next((o for o in selectors.management_organisations(viewer_of(request))
                         if o.pk == organisation_id), None)
    if organisation is None:
        raise Http404
    return organisation


def _appeal_out(request: HttpRequest, appeal: Appeal) -> AppealOut:
    """The appeal as the caller may see it; a read of the grounds by a body is logged."""
    read = selectors.appeal_read(viewer_of(request), appeal)
    out = AppealOut.of(appeal, show_grounds=read.show_grounds)
    out.procedure = [ProcedureStepOut(what=step.what, day=step.day, done=step.done,
                                      note=step.note, due=step.due,
                                      source=str(step.source or ""))
                     for step in read.procedure]
    return out


def _objection_out(request: HttpRequest, objection: SalaryObjection) -> SalaryObjectionOut:
    read = selectors.objection_read(viewer_of(request), objection)  # a body's read: logged
    return SalaryObjectionOut.of(objection, show_file=read.show_file)


# Appeals --------------------------------------------------------------------------------


@router.get("/appeals", response=AppealPageOut,
            summary="The appeals I may see, a page at a time; by state, last change, unit "
                    "(with its subtree) and the person's employee number or e-mail address")
def appeals(request: HttpRequest, paging: Query[PageIn], state: Query[filters.StateIn],
            since: Query[filters.UpdatedSinceIn], unit: Query[filters.UnitFilterIn],
            person: Query[filters.PersonFilterIn]) -> dict[str, Any]:
    """Mine, those of my HR units, and (for a member of the appeal board) those before the
    board. Grounds are left out of the list: open an appeal to read them."""
    rows = filters.narrowed(request, selectors.appeals_for(viewer_of(request))
                            .select_related("report"),
                            filters.Fields(Appeal, state="state", updated="updated_at",
                                           person="person"),
                            state=state, since=since, unit=unit, person=person)
    return paged(request, rows, paging,
                 lambda page: [AppealOut.of(appeal, show_grounds=False) for appeal in page])


@router.post("/evaluations/{evaluation_id}/appeal", response={201: AppealOut, 422: Problem},
             summary="Appeal the verdict of my delivered evaluation to the appeal board")
def appeal_file(request: HttpRequest, evaluation_id: int, data: AppealIn) -> Status[AppealOut]:
    evaluation = evaluation_permissions.evaluation_for(viewer_of(request), evaluation_id)
    if evaluation is None or not permissions.can_file_appeal(viewer_of(request), evaluation):
        raise Http404
    appeal = services.appeal_file(actor=viewer_of(request), evaluation=evaluation,
                                  grounds=data.grounds)
    return Status(201, _appeal_out(request, _appeal(request, appeal.pk)))


@router.get("/appeals/{appeal_id}", response=AppealOut, summary="One appeal")
def appeal_detail(request: HttpRequest, appeal_id: int) -> AppealOut:
    return _appeal_out(request, _appeal(request, appeal_id))


@router.get("/appeals/{appeal_id}/file", response=AppealFileOut,
            summary="The evaluation file of an appeal before the appeal board (read-only)")
def appeal_file_read(request: HttpRequest, appeal_id: int) -> AppealFileOut:
    file = selectors.appeal_file_read(viewer_of(request), _appeal(request, appeal_id))
    if file is None:  # not before the viewer's board: the same 404
        raise Http404
    return AppealFileOut(appeal=AppealOut.of(file.appeal, show_grounds=True),
                         report=ReportOut.of(file.version.report),
                         self_evaluation=SelfEvaluationOut.of(file.page.evaluation)
                         if file.submitted else None)


@router.post("/appeals/{appeal_id}/hearing", response={200: AppealOut, 422: Problem},
             summary="Record the hearing of an appeal (HR)")
def appeal_hearing(request: HttpRequest, appeal_id: int, data: HearingIn) -> AppealOut:
    appeal = _appeal(request, appeal_id)
    if not permissions.can_record_appeal(viewer_of(request), appeal):
        raise Http404
    services.appeal_record_hearing(actor=viewer_of(request), appeal=appeal,
                                   hearing_on=data.hearing_on, notes=data.notes)
    return _appeal_out(request, _appeal(request, appeal_id))


@router.post("/appeals/{appeal_id}/advice", response={200: AppealOut, 422: Problem},
             summary="Record the evaluation commission's advice on an appeal (HR): keep the "
                     "mention or give a better one")
def appeal_advice(request: HttpRequest, appeal_id: int, data: AppealAdviceIn) -> AppealOut:
    appeal = _appeal(request, appeal_id)
    if not permissions.can_record_appeal(viewer_of(request), appeal):
        raise Http404
    services.appeal_advise(actor=viewer_of(request), appeal=appeal, advice=data.advice,
                           advised_on=data.advised_on, remarks=data.remarks)
    return _appeal_out(request, _appeal(request, appeal_id))


@router.post("/appeals/{appeal_id}/outcome", response={200: AppealOut, 422: Problem},
             summary="Record the outcome of an appeal (HR): the verdict kept or changed")
def appeal_outcome(request: HttpRequest, appeal_id: int, data: AppealOutcomeIn) -> AppealOut:
    appeal = _appeal(request, appeal_id)
    if not permissions.can_record_appeal(viewer_of(request), appeal):
        raise Http404
    services.appeal_decide(actor=viewer_of(request), appeal=appeal, outcome=data.outcome,
                           decided_on=data.decided_on, remarks=data.remarks)
    return _appeal_out(request, _appeal(request, appeal_id))


# Salary decisions -----------------------------------------------------------------------


@router.get("/organisations/{organisation_id}/salary-worklist", response=WorklistOut,
            summary="The verdicts the management body must decide a salary step on")
def salary_worklist(request: HttpRequest, organisation_id: int) -> WorklistOut:
    organisation = _management_organisation(request, organisation_id)
    work = selectors.worklist(viewer_of(request), organisation)
    return WorklistOut(organisation_id=organisation.pk, more=work.more,
                       candidates=[CandidateOut.of(c) for c in work.candidates])


@router.post("/organisations/{organisation_id}/salary-decisions",
             response={201: list[DecisionOut], 422: Problem},
             summary="Take salary decisions, many at once (all or nothing)")
def salary_decisions_take(request: HttpRequest, organisation_id: int,
                          data: DecisionsIn) -> Status[list[DecisionOut]]:
    organisation = _management_organisation(request, organisation_id)
    decisions = services.salary_decisions_take(
        actor=viewer_of(request), organisation=organisation,
        steps={row.evaluation_id: row.step for row in data.decisions})
    return Status(201, [DecisionOut.of(d) for d in decisions])


@router.get("/salary-decisions/{decision_id}", response=DecisionOut,
            summary="One salary decision")
def salary_decision(request: HttpRequest, decision_id: int) -> DecisionOut:
    return DecisionOut.of(_decision(request, decision_id))


@router.post("/salary-decisions/{decision_id}/objection",
             response={201: SalaryObjectionOut, 422: Problem},
             summary="Object to my step-0 salary decision (to the advisory body)")
def objection_file(request: HttpRequest, decision_id: int,
                   data: SalaryObjectionIn) -> Status[SalaryObjectionOut]:
    decision = _decision(request, decision_id)
    if not permissions.can_file_objection(viewer_of(request), decision):
        raise Http404
    objection = services.salary_objection_file(actor=viewer_of(request), decision=decision,
                                               grounds=data.grounds)
    return Status(201, _objection_out(request, _objection(request, objection.pk)))


# Objections ---------------------------------------------------------------------------


@router.get("/objections", response=SalaryObjectionPageOut,
            summary="The objections to salary decisions I may see, a page at a time; by "
                    "state, last change, unit (with its subtree) and the person's employee "
                    "number or e-mail address")
def objections(request: HttpRequest, paging: Query[PageIn], state: Query[filters.StateIn],
               since: Query[filters.UpdatedSinceIn], unit: Query[filters.UnitFilterIn],
               person: Query[filters.PersonFilterIn]) -> dict[str, Any]:
    """Grounds and advice are left out of the list: open an objection to read them."""
    rows = filters.narrowed(request, selectors.objections_for(viewer_of(request))
                            .select_related("decision__person"),
                            filters.Fields(SalaryObjection, state="state", updated="updated_at",
                                           person="person"),
                            state=state, since=since, unit=unit, person=person)
    return paged(request, rows, paging,
        lambda page: [SalaryObjectionOut.of(o, show_file=False) for o in page])


@router.get("/objections/{objection_id}", response=SalaryObjectionOut,
            summary="One objection; its file for the employee and the bodies before which it lies")
def objection_detail(request: HttpRequest, objection_id: int) -> SalaryObjectionOut:
    return _objection_out(request, _objection(request, objection_id))


@router.post("/objections/{objection_id}/advice",
             response={200: SalaryObjectionOut, 422: Problem},
             summary="The advisory body's advice (not binding)")
def objection_advice(request: HttpRequest, objection_id: int,
                     data: AdviceIn) -> SalaryObjectionOut:
    objection = _objection(request, objection_id)
    if not permissions.can_advise(viewer_of(request), objection):
        raise Http404
    advised = services.salary_objection_advise(actor=viewer_of(request), objection=objection,
                                               advice=data.advice,
                                               advised_step=data.advised_step)
    # Advised, the objection moves on to the management body and leaves the advisory
    # body's view: the answer is what it just recorded.
    return SalaryObjectionOut.of(advised, show_file=True)


@router.post("/objections/{objection_id}/decision",
             response={200: SalaryObjectionOut, 422: Problem},
             summary="The management body's final decision on an objection")
def objection_decide(request: HttpRequest, objection_id: int,
                     data: FinalDecisionIn) -> SalaryObjectionOut:
    objection = _objection(request, objection_id)
    if not permissions.can_decide_objection(viewer_of(request), objection):
        raise Http404
    services.salary_objection_decide(actor=viewer_of(request), objection=objection,
                                     final_step=data.final_step, remarks=data.remarks)
    return _objection_out(request, _objection(request, objection_id))


# Possible professional unfitness (federal) -----------------------------------------------


@router.get("/unfitness-flags", response=UnfitnessFlagPageOut,
            summary="Two onvoldoende within the policy's years, for HR to answer, a page at "
                    "a time")
def unfitness_flags(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    """The flags of the caller's HR units not answered yet (federal, [b2][b8])."""
    return paged(request, selectors.unfitness_flags(viewer_of(request)), paging,
                 lambda page: [UnfitnessFlagOut.of(flag) for flag in page])


@router.post("/evaluations/{evaluation_id}/unfitness-review",
             response={201: UnfitnessReviewOut, 422: Problem},
             summary="Answer the flag of two onvoldoende ending in this evaluation (HR)")
def unfitness_review(request: HttpRequest, evaluation_id: int,
                     data: UnfitnessReviewIn) -> Status[UnfitnessReviewOut]:
    viewer = viewer_of(request)
    evaluation = evaluation_permissions.evaluation_for(viewer, evaluation_id)
    if evaluation is None or not permissions.can_review_unfitness(viewer, evaluation.person):
        raise Http404
    review = services.unfitness_review_record(actor=viewer, evaluation=evaluation,
                                              decision=data.decision, remarks=data.remarks)
    return Status(201, UnfitnessReviewOut.of(review))
