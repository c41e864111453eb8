"""The API of HR access to content: requests and decisions, the reads an employee
sees, and the personal-data export; one's personal API tokens; the organisation's
employer sign-in.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status

from koers.access import mail, policy, renderings, sign_in, tokens
from koers.access import selectors as access_selectors
from koers.access import services as access_services
from koers.access.models import ApiToken
from koers.api import lookups
from koers.api.access_schemas import (
    AccessReadOut,
    AccessReadPageOut,
    AccessRequestIn,
    AccessRequestOut,
    AccessRequestsOut,
    ApiTokenIn,
    ApiTokenMadeOut,
    ApiTokenOut,
    ApiTokenPageOut,
    DecisionIn,
    EmployerSignInIn,
    EmployerSignInOut,
    PersonalDataOut,
    RenderingIn,
    UndeliveredEmailOut,
    UndeliveredEmailPageOut,
)
from koers.api.common_schemas import Problem, RenderingOut
from koers.api.lookups import viewer_of
from koers.api.pagination import PageIn, paged
from koers.organisation.models import Organisation

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


@router.get("/me/access-reads", response=AccessReadPageOut, tags=["access"],
            summary="Who read my content under an access request, what, why and when, a "
                    "page at a time")
def my_access_reads(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    person = viewer_of(request).person
    if person is None:
        return paged(request, [], paging, list)
    return paged(request, access_selectors.reads_of(person), paging,
                 lambda page: [AccessReadOut.of(read) for read in page])


@router.get("/me/personal-data", response=PersonalDataOut, tags=["access"],
            summary="Everything Koers holds about me (recorded in my history)")
def my_personal_data(request: HttpRequest) -> dict[str, Any]:
    viewer = viewer_of(request)
    if viewer.person is None:
        raise Http404
    export = access_services.personal_data_export(
        viewer=viewer, file_format=access_services.ExportFormat.JSON)
    return export.as_json()



# PDFs ---------------------------------------------------------------------------------------
# Prepared by a task worker within a budget of pages and seconds (access/renderings.py):
# ask, follow the status, download when ready. Only the requester sees a rendering, and
# downloads it while they may still read its subject (the read is logged at the download).


@router.post("/renderings", response={202: RenderingOut, 404: Problem, 422: Problem},
             tags=["documents"],
             summary="Ask for a PDF or a table (CSV, XLSX); a task worker prepares it")
def rendering_create(request: HttpRequest, data: RenderingIn,
                     response: HttpResponse) -> Status[RenderingOut]:
    rendering = renderings.rendering_request(viewer=viewer_of(request), kind=data.kind,
                                             subject_id=data.subject_id, language=data.language,
                                             parameters=data.parameters)
    out = RenderingOut.of(rendering, request)
    response["Location"] = out.status_url
    return Status(202, out)


@router.get("/renderings/{rendering_id}", response={200: RenderingOut, 404: Problem},
            tags=["documents"], summary="The state of a PDF I asked for")
def rendering_status(request: HttpRequest, rendering_id: int) -> RenderingOut:
    return RenderingOut.of(renderings.rendering_for(viewer_of(request), rendering_id), request)


@router.get("/renderings/{rendering_id}/pdf", response={404: Problem, 409: Problem},
            tags=["documents"], summary="Download a file I asked for, once ready",
            openapi_extra={"responses": {200: {
                "description": "The PDF (PDF/A-3b, tagged PDF/UA-1), or the table of a table kind",
                "content": {media: {"schema": {"type": "string", "format": "binary"}}
                            for media in renderings.CONTENT_TYPES.values()}}}})
def rendering_pdf(request: HttpRequest, rendering_id: int) -> HttpResponse:
    download = renderings.rendering_download(viewer=viewer_of(request), pk=rendering_id)
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Personal API tokens ----------------------------------------------------------------------
# Mine only (access/tokens.py); another's token answers as a missing one. A token is made
# from the signed-in session alone: a token cannot make another (403, session_required).


@router.get("/me/api-tokens", response=ApiTokenPageOut, tags=["access"],
            summary="My API tokens, the newest first (never their secrets), a page at a time")
def my_api_tokens(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    return paged(request, tokens.tokens_visible_to(viewer_of(request).user), paging,
                 lambda page: [ApiTokenOut.of(t) for t in page])


@router.post("/me/api-tokens", response={201: ApiTokenMadeOut, 422: Problem}, tags=["access"],
             summary="Make an API token (signed-in session only: a token gets 403); its "
                     "secret is in this answer and never again")
def api_token_create(request: HttpRequest, data: ApiTokenIn) -> Status[ApiTokenMadeOut]:
    through = request.auth if isinstance(request.auth, ApiToken) else None  # type: ignore[attr-defined]
    made = tokens.token_create(user=viewer_of(request).user, name=data.name,
                               scope=data.scope, expires_on=data.expires_on, through=through)
    return Status(201, ApiTokenMadeOut.made(made))


@router.delete("/me/api-tokens/{token_id}", response={204: None}, tags=["access"],
               summary="Revoke one of my API tokens: refused from the next request on")
def api_token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    user = viewer_of(request).user
    token = tokens.token_for(user, token_id)
    if token is None:
        raise Http404
    tokens.token_revoke(user=user, token=token)
    return Status(204, None)


# Undelivered e-mail ---------------------------------------------------------------------
# HR of a whole organisation; others get 404 (docs/operations.md, "The outbox").

@router.get("/mail/undelivered", response=UndeliveredEmailPageOut, tags=["access"],
            summary="E-mail about the organisation not yet sent, newest first (HR), a page "
                    "at a time")
def undelivered_mail(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    return paged(request, mail.undelivered_mail(viewer_of(request)), paging,
                 lambda page: [UndeliveredEmailOut.of(email) for email in page])


# Employer sign-in -------------------------------------------------------------------------
# HR of the whole organisation and superusers (docs/operations.md, "Employer sign-in");
# others get the 404 of a missing organisation, as on the page.


def _sign_in_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not policy.can_manage_organisation(viewer_of(request),
                                                                  organisation):
        raise Http404
    return organisation


def _redirect_uri(request: HttpRequest, provider_id: str) -> str:
    return request.build_absolute_uri(reverse("openid_connect_callback",
                                              kwargs={"provider_id": provider_id}))


@router.get("/organisations/{organisation_id}/sign-in", response=EmployerSignInOut,
            tags=["access"], summary="The organisation's employer sign-in, with the redirect "
                                     "URI to register at the provider (HR)")
def employer_sign_in(request: HttpRequest, organisation_id: int) -> EmployerSignInOut:
    status = sign_in.sign_in_status(_sign_in_organisation(request, organisation_id))
    return EmployerSignInOut.of(status, redirect_uri=_redirect_uri(request, status.provider_id))


@router.put("/organisations/{organisation_id}/sign-in",
            response={200: EmployerSignInOut, 422: Problem}, tags=["access"],
            summary="Set the organisation's employer sign-in (HR); the client secret stays "
                    "in the environment variable named")
def employer_sign_in_save(request: HttpRequest, organisation_id: int,
                          data: EmployerSignInIn) -> EmployerSignInOut:
    organisation = _sign_in_organisation(request, organisation_id)
    sign_in.employer_sign_in_save(organisation=organisation, actor=viewer_of(request).user,
                                  values=sign_in.SignInValues(**data.dict()))
    status = sign_in.sign_in_status(organisation)
    return EmployerSignInOut.of(status, redirect_uri=_redirect_uri(request, status.provider_id))
