"""The API of HR access to content: requests and decisions, the reads an employee
sees, and the personal-data export.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from koers.access import mail, policy
from koers.access import selectors as access_selectors
from koers.access import services as access_services
from koers.api import lookups
from koers.api.access_schemas import (
    AccessReadOut,
    AccessRequestIn,
    AccessRequestOut,
    AccessRequestsOut,
    DecisionIn,
    PersonalDataOut,
    UndeliveredEmailOut,
)
from koers.api.common_schemas import Problem
from koers.api.lookups import viewer_of

router = Router()


# HR access to content ---------------------------------------------------------------------
# HR asks (for people under its grant), the 2nd evaluator decides, the employee sees every
# read; see docs/access.md. Others get the same 404 as for a missing person or request.


@router.post("/people/{person_id}/access-requests", response={201: AccessRequestOut, 422: Problem},
             tags=["access"], summary="Ask to read a person's content for a reason and period (HR)")
def access_request_create(request: HttpRequest, person_id: int,
                          data: AccessRequestIn) -> Status[AccessRequestOut]:
    viewer = viewer_of(request)
    person = lookups.person(request, person_id)
    if not policy.can_change_person(viewer, person):
        raise Http404
    created = access_services.access_request_create(
        actor=viewer, subject=person, scope=data.scope, reason=data.reason,
        valid_from=data.valid_from, valid_until=data.valid_until)
    return Status(201, AccessRequestOut.of(created, on=viewer.on))


@router.get("/access-requests", response=AccessRequestsOut, tags=["access"],
            summary="The requests I made and those waiting for my decision")
def access_requests(request: HttpRequest) -> AccessRequestsOut:
    viewer = viewer_of(request)
    return AccessRequestsOut(
        mine=[AccessRequestOut.of(r, on=viewer.on) for r in access_selectors.requests_by(viewer)],
        to_decide=[AccessRequestOut.of(r, on=viewer.on)
                   for r in access_selectors.requests_to_decide(viewer)],
    )


@router.post("/access-requests/{request_id}/decision",
             response={200: AccessRequestOut, 422: Problem}, tags=["access"],
             summary="Grant or refuse a pending request (the subject's 2nd evaluator)")
def access_request_decide(request: HttpRequest, request_id: int,
                          data: DecisionIn) -> AccessRequestOut:
    viewer = viewer_of(request)
    pending = access_selectors.request_to_decide(viewer, request_id)
    if pending is None:
        raise Http404
    decided = access_services.access_request_decide(actor=viewer, request=pending,
                                                    grant=data.grant)
    return AccessRequestOut.of(decided, on=viewer.on)


@router.get("/me/access-reads", response=list[AccessReadOut], tags=["access"],
            summary="Who read my content under an access request, what, why and when")
def my_access_reads(request: HttpRequest) -> list[AccessReadOut]:
    person = viewer_of(request).person
    if person is None:
        return []
    return [AccessReadOut.of(read) for read in access_selectors.reads_of(person)]


@router.get("/me/personal-data", response=PersonalDataOut, tags=["access"],
            summary="Everything Koers holds about me (recorded in my history)")
def my_personal_data(request: HttpRequest) -> dict[str, Any]:
    viewer = viewer_of(request)
    if viewer.person is None:
        raise Http404
    export = access_services.personal_data_export(
        viewer=viewer, file_format=access_services.ExportFormat.JSON)
    return export.as_json()



# Undelivered e-mail ---------------------------------------------------------------------
# HR of a whole organisation; others get 404 (docs/operations.md, "The outbox").

MAX_UNDELIVERED = 500


@router.get("/mail/undelivered", response=list[UndeliveredEmailOut], tags=["access"],
            summary="E-mail about the organisation not yet sent, newest first (HR)")
def undelivered_mail(request: HttpRequest, limit: int = 100) -> list[UndeliveredEmailOut]:
    """At most ``limit`` (1 to 500) e-mails."""
    emails = mail.undelivered_mail(viewer_of(request))[:max(1, min(limit, MAX_UNDELIVERED))]
    return [UndeliveredEmailOut.of(email) for email in emails]
