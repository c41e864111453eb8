"""The API of personal development (POP), part one: the catalogues of
competencies and development actions, the self-scan and the preparations
(the plans: api/development_plans.py; the training plans: api/training_plans.py).
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from koers.api import development_schemas as pop
from koers.api import lookups
from koers.api.common_schemas import ConflictOut, Problem
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.core.errors import ValidationFailed
from koers.development import permissions as development_permissions
from koers.development import selectors as development_selectors
from koers.development.models import (
    Competency,
    CompetencyProfile,
    DepartmentPreparation,
    DevelopmentAction,
    EmployeePreparation,
    ManagerPreparation,
    SelfScan,
)
from koers.development.services import catalogue as catalogue_services
from koers.development.services import preparations as preparation_services
from koers.organisation.models import Organisation

router = Router()


# Personal development plans (POP) -----------------------------------------------------
# The same policy as the pages (development/permissions.py): everyone of the organisation
# reads the catalogues and HR of the whole organisation edits them; the employee and the
# 1st evaluator build and sign a plan, the 2nd evaluator reads along, HR reads a plan only
# under a granted request (logged); HR of the employee's unit sees the actions asked of it.
# Missing and forbidden are the same 404.


def _catalogue_of(request: HttpRequest, organisation_id: int, *,
                  manage: bool = False) -> Organisation:
    organisation = development_permissions.catalogue_organisation_for(
        viewer_of(request), organisation_id, manage=manage)
    if organisation is None:
        raise Http404
    return organisation


def _competency(request: HttpRequest, competency_id: int, *,
                manage: bool = False) -> Competency:
    competency = (Competency.objects.select_related("organisation", "cluster")
                  .filter(pk=competency_id).first())
    if competency is None:
        raise Http404
    _catalogue_of(request, competency.organisation_id, manage=manage)
    return competency


def _development_action(request: HttpRequest, action_id: int, *,
                        manage: bool = False) -> DevelopmentAction:
    action = DevelopmentAction.objects.select_related("organisation").filter(
        pk=action_id).first()
    if action is None:
        raise Http404
    _catalogue_of(request, action.organisation_id, manage=manage)
    return action


@router.get("/organisations/{organisation_id}/competencies", response=pop.ClusterPageOut,
            tags=["development"],
            summary="The competency catalogue, in clusters, a page of clusters at a time")
def competency_catalogue(request: HttpRequest, organisation_id: int,
                         paging: Query[PageIn]) -> dict[str, Any]:
    viewer = viewer_of(request)
    organisation = _catalogue_of(request, organisation_id)
    clusters = development_selectors.clusters_with_competencies(
        organisation,
        include_inactive=development_permissions.can_manage_catalogue(viewer, organisation))
    return paged(request, clusters, paging,
                 lambda page: [pop.ClusterOut.of(cluster) for cluster in page])


@router.post("/organisations/{organisation_id}/competency-clusters",
             response={201: pop.ClusterOut, 422: Problem}, tags=["development"],
             summary="Add a cluster of the organisation's own to the competency catalogue, "
                     "after the others (HR)")
def cluster_create(request: HttpRequest, organisation_id: int,
                   data: pop.ClusterIn) -> Status[pop.ClusterOut]:
    organisation = _catalogue_of(request, organisation_id, manage=True)
    cluster = catalogue_services.cluster_create(
        actor=viewer_of(request), organisation=organisation,
        **pop.texts_parsed(data.dict()))
    return Status(201, pop.ClusterOut.of(cluster))


@router.post("/organisations/{organisation_id}/competencies",
             response={201: pop.CompetencyOut, 422: Problem}, tags=["development"],
             summary="Add a competency of the organisation's own (HR)")
def competency_create(request: HttpRequest, organisation_id: int,
                      data: pop.CompetencyIn) -> Status[pop.CompetencyOut]:
    organisation = _catalogue_of(request, organisation_id, manage=True)
    cluster = organisation.competency_clusters.filter(pk=data.cluster_id).first()
    if cluster is None:
        message = _("Choose a cluster of this organisation.")
        raise ValidationFailed(message, {"cluster_id": [message]})
    competency = catalogue_services.competency_create(
        actor=viewer_of(request), organisation=organisation, cluster=cluster,
        **pop.texts_parsed(data.dict(exclude={"cluster_id"})))
    return Status(201, pop.CompetencyOut.of(competency))


@router.patch("/competencies/{competency_id}", response={200: pop.CompetencyOut, 422: Problem},
              tags=["development"],
              summary="Rename, describe, move or archive a competency (HR)")
def competency_change(request: HttpRequest, competency_id: int,
                      patch: pop.CompetencyPatch) -> pop.CompetencyOut:
    competency = _competency(request, competency_id, manage=True)
    changes: dict[str, Any] = pop.texts_parsed(patch.dict(exclude_unset=True, exclude_none=True))
    if "cluster_id" in changes:
        cluster = competency.organisation.competency_clusters.filter(
            pk=changes.pop("cluster_id")).first()
        if cluster is None:
            message = _("Choose a cluster of this organisation.")
            raise ValidationFailed(message, {"cluster_id": [message]})
        changes["cluster"] = cluster
    competency = catalogue_services.competency_change(actor=viewer_of(request),
                                                      competency=competency, changes=changes)
    return pop.CompetencyOut.of(competency)


@router.get("/competencies/{competency_id}/advice", response=pop.ActionAdvicePageOut,
            tags=["development"],
            summary="Every development action with the matrix's word on it for the "
                    "competency, a page at a time")
def competency_advice(request: HttpRequest, competency_id: int,
                      paging: Query[PageIn]) -> dict[str, Any]:
    competency = _competency(request, competency_id)
    return paged(request, development_selectors.advice_for(competency), paging,
                 lambda page: [pop.ActionAdviceOut.of(a) for a in page])


@router.put("/competencies/{competency_id}/recommendations/{action_id}",
            response={200: pop.RecommendationOut, 422: Problem}, tags=["development"],
            summary="Fill in one cell of the recommendation matrix (HR)")
def recommendation_set(request: HttpRequest, competency_id: int, action_id: int,
                       data: pop.RecommendationIn) -> pop.RecommendationOut:
    competency = _competency(request, competency_id, manage=True)
    action = _development_action(request, action_id, manage=True)
    cell = catalogue_services.recommendation_set(actor=viewer_of(request), competency=competency,
                                                 action=action, value=data.value)
    return pop.RecommendationOut.of(cell)


@router.get("/organisations/{organisation_id}/development-actions",
            response=pop.DevelopmentActionPageOut, tags=["development"],
            summary="The development actions (learning forms) of the catalogue, a page at "
                    "a time")
def development_actions(request: HttpRequest, organisation_id: int,
                        paging: Query[PageIn]) -> dict[str, Any]:
    viewer = viewer_of(request)
    organisation = _catalogue_of(request, organisation_id)
    actions = development_selectors.development_actions(
        organisation,
        include_inactive=development_permissions.can_manage_catalogue(viewer, organisation))
    return paged(request, actions, paging,
                 lambda page: [pop.DevelopmentActionOut.of(action) for action in page])


@router.post("/organisations/{organisation_id}/development-actions",
             response={201: pop.DevelopmentActionOut, 422: Problem}, tags=["development"],
             summary="Add a development action of the organisation's own (HR)")
def development_action_create(request: HttpRequest, organisation_id: int,
                              data: pop.DevelopmentActionIn) -> Status[pop.DevelopmentActionOut]:
    organisation = _catalogue_of(request, organisation_id, manage=True)
    action = catalogue_services.development_action_create(
        actor=viewer_of(request), organisation=organisation, **pop.texts_parsed(data.dict()))
    return Status(201, pop.DevelopmentActionOut.of(action))


@router.patch("/development-actions/{action_id}",
              response={200: pop.DevelopmentActionOut, 422: Problem}, tags=["development"],
              summary="Change or archive a development action (HR)")
def development_action_change(request: HttpRequest, action_id: int,
                              patch: pop.DevelopmentActionPatch) -> pop.DevelopmentActionOut:
    action = _development_action(request, action_id, manage=True)
    action = catalogue_services.development_action_change(
        actor=viewer_of(request), action=action,
        changes=pop.texts_parsed(patch.dict(exclude_unset=True, exclude_none=True)))
    return pop.DevelopmentActionOut.of(action)


@router.get("/organisations/{organisation_id}/recommendations", response=pop.MatrixOut,
            tags=["development"],
            summary="The competency × development action matrix; unknown: no recommendation yet")
def recommendation_matrix(request: HttpRequest, organisation_id: int) -> pop.MatrixOut:
    organisation = _catalogue_of(request, organisation_id)
    return pop.MatrixOut.of(development_selectors.matrix(organisation))


@router.get("/organisations/{organisation_id}/competency-profiles",
            response=pop.ProfilePageOut, tags=["development"],
            summary="The competency profiles per job title, a page at a time")
def competency_profiles(request: HttpRequest, organisation_id: int,
                        paging: Query[PageIn]) -> dict[str, Any]:
    organisation = _catalogue_of(request, organisation_id)
    return paged(request, development_selectors.profiles_of(organisation)
                 .order_by("job_title", "pk"), paging,
                 lambda page: [pop.ProfileOut.of(profile) for profile in page])


@router.put("/organisations/{organisation_id}/competency-profiles",
            response={200: pop.ProfileOut, 422: Problem}, tags=["development"],
            summary="Save the competency profile of a job title, in the order given (HR)")
def competency_profile_save(request: HttpRequest, organisation_id: int,
                            data: pop.ProfileIn) -> pop.ProfileOut:
    organisation = _catalogue_of(request, organisation_id, manage=True)
    competencies = [lookups.competency_in(organisation.pk, pk) for pk in data.competency_ids]
    profile = catalogue_services.competency_profile_save(
        actor=viewer_of(request), organisation=organisation, job_title=data.job_title,
        competencies=competencies)
    return pop.ProfileOut.of(development_selectors.profiles_of(organisation).get(pk=profile.pk))


@router.delete("/competency-profiles/{profile_id}", response={204: None, 422: Problem},
               tags=["development"], summary="Delete the competency profile of a job title (HR)")
def competency_profile_delete(request: HttpRequest, profile_id: int) -> Status[None]:
    profile = CompetencyProfile.objects.select_related("organisation").filter(
        pk=profile_id).first()
    if profile is None:
        raise Http404
    _catalogue_of(request, profile.organisation_id, manage=True)
    catalogue_services.competency_profile_delete(actor=viewer_of(request), profile=profile)
    return Status(204, None)


# Preparing the POP conversation: the self-scan is the caller's alone; each preparation
# is private to its author until shared, then read-only (services/preparations.py). One
# the caller may not read is the same 404 as a missing one; the service refuses changes
# by anyone but the author (404) and to a shared preparation (422).


def _competencies_in(organisation_id: int, competency_ids: list[int]) -> list[Competency]:
    """The competencies of the organisation's catalogue, in the order given, in one query."""
    found = Competency.objects.filter(organisation_id=organisation_id).in_bulk(competency_ids)
    if len(found) != len(set(competency_ids)):
        message = _("Choose a competency of this organisation's catalogue.")
        raise ValidationFailed(message, {"competency_ids": [message]})
    return [found[pk] for pk in dict.fromkeys(competency_ids)]


def _employee_preparation(request: HttpRequest,
                          preparation_id: int) -> EmployeePreparation:
    preparation = (EmployeePreparation.objects.select_related("employee")
                   .prefetch_related("competencies").filter(pk=preparation_id).first())
    if preparation is None or not development_permissions.can_view_employee_preparation(
            viewer_of(request), preparation):
        raise Http404
    return preparation


def _department_preparation(request: HttpRequest,
                            preparation_id: int) -> DepartmentPreparation:
    preparation = DepartmentPreparation.objects.filter(pk=preparation_id).first()
    if preparation is None or not development_permissions.can_view_department_preparation(
            viewer_of(request), preparation):
        raise Http404
    return preparation


def _manager_preparation(request: HttpRequest, preparation_id: int) -> ManagerPreparation:
    preparation = (ManagerPreparation.objects.select_related("employee")
                   .prefetch_related("competencies").filter(pk=preparation_id).first())
    if preparation is None or not development_permissions.can_view_manager_preparation(
            viewer_of(request), preparation):
        raise Http404
    return preparation


@router.get("/me/self-scan", response=pop.SelfScanOut, tags=["development"],
            summary="My self-scan (mine alone); empty until I first save it")
def self_scan(request: HttpRequest) -> pop.SelfScanOut:
    me = lookups.person_or_me(request, None)
    return pop.SelfScanOut.of(SelfScan.objects.filter(employee=me).first())


@router.put("/me/self-scan", response={200: pop.SelfScanOut, 422: Problem}, tags=["development"],
            summary="Save my self-scan; a preparation I start afterwards is pre-filled from it")
def self_scan_save(request: HttpRequest, data: pop.SelfScanIn) -> pop.SelfScanOut:
    scan = preparation_services.self_scan_save(actor=viewer_of(request), changes=data.dict())
    return pop.SelfScanOut.of(scan)


@router.get("/employee-preparations", response=pop.EmployeePreparationPageOut,
            tags=["development"],
            summary="My own preparations and those the people I evaluate shared with me, "
                    "newest first, a page at a time")
def employee_preparations(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    preparations = development_permissions.employee_preparations_visible_to(viewer_of(request))
    return paged(request, preparations.order_by("-created_at", "-pk"), paging,
                 lambda page: [pop.EmployeePreparationOut.of(p) for p in page])


@router.post("/employee-preparations",
             response={201: pop.EmployeePreparationDetailOut, 422: Problem}, tags=["development"],
             summary="Start a preparation of my own, pre-filled from my self-scan; private until "
                     "I share it")
def employee_preparation_start(
        request: HttpRequest,
        data: pop.EmployeePreparationIn) -> Status[pop.EmployeePreparationDetailOut]:
    me = lookups.person_or_me(request, None)
    preparation = preparation_services.employee_preparation_start(
        actor=viewer_of(request), from_self_scan=data.from_self_scan,
        competencies=_competencies_in(me.organisation_id, data.competency_ids))
    return Status(201, pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, preparation.pk)))


@router.get("/employee-preparations/{employee_preparation_id}",
            response=pop.EmployeePreparationDetailOut, tags=["development"],
            summary="An employee's preparation: the employee's, and their evaluators' once shared")
def employee_preparation(request: HttpRequest,
                         employee_preparation_id: int) -> pop.EmployeePreparationDetailOut:
    return pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, employee_preparation_id))


def _save_answers(request: HttpRequest, save: Callable[..., Any], preparation: Any,
                  organisation_id: int, patch: Schema) -> None:
    """Save the answers a patch sets and, if it names them, the chosen competencies."""
    changes: dict[str, Any] = patch.dict(exclude_unset=True, exclude_none=True)
    competency_ids = changes.pop("competency_ids", None)
    expected = changes.pop("expected_revision")
    save(actor=viewer_of(request), preparation=preparation, changes=changes,
         competencies=None if competency_ids is None
         else _competencies_in(organisation_id, competency_ids), expected_revision=expected)


@router.patch("/employee-preparations/{employee_preparation_id}",
              response={200: pop.EmployeePreparationDetailOut, 409: ConflictOut, 422: Problem},
              tags=["development"],
              summary="Save my draft preparation: its answers and the competencies chosen; "
                      "409 when it was saved since the revision the save starts from")
def employee_preparation_save(
        request: HttpRequest, employee_preparation_id: int,
        patch: pop.EmployeePreparationPatch) -> pop.EmployeePreparationDetailOut:
    preparation = _employee_preparation(request, employee_preparation_id)
    _save_answers(request, preparation_services.employee_preparation_save, preparation,
                  preparation.employee.organisation_id, patch)
    return pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, preparation.pk))


@router.post("/employee-preparations/{employee_preparation_id}/share",
             response={200: pop.EmployeePreparationDetailOut, 422: Problem},
             tags=["development"],
             summary="Share my preparation with my evaluators; it is read-only from then on")
def employee_preparation_share(request: HttpRequest,
                               employee_preparation_id: int) -> pop.EmployeePreparationDetailOut:
    preparation = _employee_preparation(request, employee_preparation_id)
    preparation_services.employee_preparation_share(actor=viewer_of(request),
                                                    preparation=preparation)
    return pop.EmployeePreparationDetailOut.of_detail(
        _employee_preparation(request, preparation.pk))


@router.get("/department-preparations", response=pop.DepartmentPreparationPageOut,
            tags=["development"],
            summary="My general preparations of the units I manage and those the managers I "
                    "evaluate shared with me, newest first, a page at a time")
def department_preparations(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    preparations = development_permissions.department_preparations_visible_to(
        viewer_of(request))
    return paged(request, preparations.order_by("-created_at", "-pk"), paging,
                 lambda page: [pop.DepartmentPreparationOut.of(p) for p in page])


@router.post("/department-preparations",
             response={201: pop.DepartmentPreparationDetailOut, 422: Problem},
             tags=["development"],
             summary="Start the general preparation of a unit I manage; private until I share it")
def department_preparation_start(
        request: HttpRequest,
        data: pop.DepartmentPreparationIn) -> Status[pop.DepartmentPreparationDetailOut]:
    # A unit the caller does not manage is the same 404 as one that does not exist.
    unit = development_permissions.department_unit_for(viewer_of(request), data.unit_id)
    if unit is None:
        raise Http404
    preparation = preparation_services.department_preparation_start(actor=viewer_of(request),
                                                                     unit=unit)
    return Status(201, pop.DepartmentPreparationDetailOut.of_detail(preparation))


@router.get("/department-preparations/{department_preparation_id}",
            response=pop.DepartmentPreparationDetailOut, tags=["development"],
            summary="A manager's general preparation of a unit: the manager's, and their own "
                    "evaluators' once shared")
def department_preparation(request: HttpRequest,
                           department_preparation_id: int) -> pop.DepartmentPreparationDetailOut:
    return pop.DepartmentPreparationDetailOut.of_detail(
        _department_preparation(request, department_preparation_id))


@router.patch("/department-preparations/{department_preparation_id}",
              response={200: pop.DepartmentPreparationDetailOut, 409: ConflictOut,
                        422: Problem},
              tags=["development"],
              summary="Save my draft general preparation; 409 when it was saved since the "
                      "revision the save starts from")
def department_preparation_save(
        request: HttpRequest, department_preparation_id: int,
        patch: pop.DepartmentPreparationPatch) -> pop.DepartmentPreparationDetailOut:
    changes: dict[str, Any] = patch.dict(exclude_unset=True, exclude_none=True)
    expected = changes.pop("expected_revision")
    preparation = preparation_services.department_preparation_save(
        actor=viewer_of(request),
        preparation=_department_preparation(request, department_preparation_id),
        changes=changes, expected_revision=expected)
    return pop.DepartmentPreparationDetailOut.of_detail(preparation)


@router.post("/department-preparations/{department_preparation_id}/share",
             response={200: pop.DepartmentPreparationDetailOut, 422: Problem},
             tags=["development"],
             summary="Share my general preparation with my own evaluators; read-only from then "
                     "on")
def department_preparation_share(
        request: HttpRequest,
        department_preparation_id: int) -> pop.DepartmentPreparationDetailOut:
    preparation = preparation_services.department_preparation_share(
        actor=viewer_of(request),
        preparation=_department_preparation(request, department_preparation_id))
    return pop.DepartmentPreparationDetailOut.of_detail(preparation)


@router.get("/manager-preparations", response=pop.ManagerPreparationPageOut,
            tags=["development"],
            summary="The preparations I wrote about the people I evaluate first, and those "
                    "shared with me about me or the people I evaluate, newest first, a page "
                    "at a time")
def manager_preparations(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    preparations = development_permissions.manager_preparations_visible_to(viewer_of(request))
    return paged(request, preparations.order_by("-created_at", "-pk"), paging,
                 lambda page: [pop.ManagerPreparationOut.of(p) for p in page])


@router.post("/people/{person_id}/manager-preparations",
             response={201: pop.ManagerPreparationDetailOut, 422: Problem},
             tags=["development"],
             summary="Start my preparation about an employee I evaluate first, optionally on my "
                     "general preparation; private until I share it")
def manager_preparation_start(
        request: HttpRequest, person_id: int,
        data: pop.ManagerPreparationIn) -> Status[pop.ManagerPreparationDetailOut]:
    viewer = viewer_of(request)
    employee = lookups.person(request, person_id)
    view = None
    if data.department_view_id is not None:
        view = development_permissions.department_preparations_visible_to(viewer).filter(
            pk=data.department_view_id).first()
        if view is None:
            message = _("Choose a general preparation of your own.")
            raise ValidationFailed(message, {"department_view_id": [message]})
    preparation = preparation_services.manager_preparation_start(
        actor=viewer, employee=employee, department_view=view,
        competencies=_competencies_in(employee.organisation_id, data.competency_ids))
    return Status(201, pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, preparation.pk)))


@router.get("/manager-preparations/{manager_preparation_id}",
            response=pop.ManagerPreparationDetailOut, tags=["development"],
            summary="The 1st evaluator's preparation about an employee: the author's, and the "
                    "employee's and their evaluators' once shared")
def manager_preparation(request: HttpRequest,
                        manager_preparation_id: int) -> pop.ManagerPreparationDetailOut:
    return pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, manager_preparation_id))


@router.patch("/manager-preparations/{manager_preparation_id}",
              response={200: pop.ManagerPreparationDetailOut, 409: ConflictOut, 422: Problem},
              tags=["development"],
              summary="Save my draft preparation about an employee: its answers and the "
                      "competencies chosen; 409 when it was saved since the revision the "
                      "save starts from")
def manager_preparation_save(
        request: HttpRequest, manager_preparation_id: int,
        patch: pop.ManagerPreparationPatch) -> pop.ManagerPreparationDetailOut:
    preparation = _manager_preparation(request, manager_preparation_id)
    _save_answers(request, preparation_services.manager_preparation_save, preparation,
                  preparation.employee.organisation_id, patch)
    return pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, preparation.pk))


@router.post("/manager-preparations/{manager_preparation_id}/share",
             response={200: pop.ManagerPreparationDetailOut, 422: Problem},
             tags=["development"],
             summary="Share my preparation with the employee (and their other evaluator); "
                     "read-only from then on")
def manager_preparation_share(request: HttpRequest,
                              manager_preparation_id: int) -> pop.ManagerPreparationDetailOut:
    preparation = _manager_preparation(request, manager_preparation_id)
    preparation_services.manager_preparation_share(actor=viewer_of(request),
                                                   preparation=preparation)
    return pop.ManagerPreparationDetailOut.of_detail(
        _manager_preparation(request, preparation.pk))

