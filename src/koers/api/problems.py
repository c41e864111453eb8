"""The kinds of error the API answers, as RFC 9457 problem details.

Every error of every operation is a ``Problem`` (``api/common_schemas.py``) sent as
``application/problem+json``: the handlers in ``api/api.py`` turn the domain's errors,
a body the schema refuses, a missing object, a refused token and a missing CSRF token
into one of the kinds below. ``code`` is the stable name a script switches on; ``type``
is ``/api/v1/problems/<code>`` as an absolute URI, which answers with the kind's
description (``problem_type``, the one operation that needs no sign-in). The table is
published in docs/integrations.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Kind:
    status: int
    title: Promise
    description: Promise


KINDS: dict[str, Kind] = {
    "not_authenticated": Kind(401, _("Not signed in"), _(
        "The request carried neither a signed-in session nor an API token: sign in, or "
        "send a personal API token as Authorization: Bearer <token>.")),
    "token_invalid": Kind(401, _("API token not valid"), _(
        "The token is unknown or revoked, or its user is deactivated.")),
    "token_expired": Kind(401, _("API token expired"), _(
        "The token was valid until a day that has passed: make a new one.")),
    "csrf_failed": Kind(403, _("CSRF token missing"), _(
        "A change through the browser's session needs its CSRF token (the X-CSRFToken "
        "header); a script uses an API token instead.")),
    "token_read_only": Kind(403, _("Read-only token"), _(
        "The token may only read (GET): a change needs a token that may read and write.")),
    "session_required": Kind(403, _("Signed-in session required"), _(
        "Tokens are made by a person signed in, not by another token.")),
    "mfa_required": Kind(403, _("Two-factor sign-in required"), _(
        "The account's role requires two-factor sign-in and it has none yet: sign in "
        "on the web and set up an authenticator app. Until then neither the session nor "
        "the account's API tokens are answered.")),
    "not_found": Kind(404, _("Not found"), _(
        "The object does not exist, or it is not yours to see: both answer alike.")),
    "no_such_operation": Kind(404, _("No such operation"), _(
        "No operation of the API answers at this address: /api/v1/docs lists them.")),
    "method_not_allowed": Kind(405, _("Method not allowed"), _(
        "The operation at this address does not take this method: the Allow header lists "
        "the ones it takes.")),
    "edit_conflict": Kind(409, _("Saved by someone else"), _(
        "The record changed since the revision the change started from, and nothing was "
        "saved. The answer holds what is saved now and its revision: compare, and save "
        "again with that revision.")),
    "not_ready": Kind(409, _("Document not ready"), _(
        "The PDF is still being prepared, or it could not be made: its status (state, "
        "reason and message) says which. Ask for the status again in a moment.")),
    "precondition_failed": Kind(412, _("Changed since you read it"), _(
        "The If-Match header names a version of the record that is no longer the current "
        "one, and nothing was saved. Read the record again: its ETag header is the "
        "current version.")),
    "invalid_input": Kind(422, _("Invalid input"), _(
        "The body, query string or path does not fit the operation: errors names each "
        "field and what is wrong with it. Nothing was changed.")),
    "refused": Kind(422, _("Refused"), _(
        "A rule refused the request and nothing was changed: detail says which rule, "
        "errors names the fields it concerns.")),
    "record_closed": Kind(422, _("Record closed"), _(
        "The record is signed, confirmed, fixed or closed, and no longer changes.")),
    "rate_limited": Kind(429, _("Too many requests"), _(
        "The token made more requests this minute than it may: wait the number of "
        "seconds in the Retry-After header.")),
}


def type_uri(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("api:problem_type", args=[code]))


def body(request: HttpRequest, code: str, detail: str,
         errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    kind = KINDS[code]
    return {"type": type_uri(request, code), "title": str(kind.title), "status": kind.status,
            "detail": detail, "code": code, "errors": errors or {}}


def as_problem(response: HttpResponse) -> HttpResponse:
    response["Content-Type"] = MEDIA_TYPE
    return response


router = Router()


class ProblemTypeOut(Schema):
    type: str
    code: str
    status: int
    title: str
    description: str


@router.get("/problems/{code}", response=ProblemTypeOut, auth=None, tags=["errors"],
            summary="What a kind of error means (the ``type`` of a problem; no sign-in)")
def problem_type(request: HttpRequest, code: str) -> ProblemTypeOut:
    kind = KINDS.get(code)
    if kind is None:
        raise Http404
    return ProblemTypeOut(type=type_uri(request, code), code=code, status=kind.status,
                          title=str(kind.title), description=str(kind.description))


def no_such_operation(request: HttpRequest) -> HttpResponse:
    """Any address under /api/v1/ that no operation answers (mounted after the API's own
    routes): a problem, not the web's HTML page."""
    return _response(request, "no_such_operation", str(_("No operation of the API answers "
                                                          "at this address.")))


class MethodNotAllowedMiddleware:
    """The API's 405 (ninja answers a method an address does not take with plain text)
    as a problem, keeping its Allow header. Listed after the locale middleware, so the
    problem is in the caller's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code == 405 and request.path.startswith(API_PREFIX)
                and response.get("Content-Type") != MEDIA_TYPE):
            allowed = response.get("Allow", "")
            response = _response(request, "method_not_allowed", str(_(
                "This operation does not take %(method)s, only %(allowed)s.") % {
                    "method": request.method, "allowed": allowed}))
            response["Allow"] = allowed
        return response


API_PREFIX = "/api/v1/"


def _response(request: HttpRequest, code: str, detail: str) -> HttpResponse:
    return as_problem(JsonResponse(body(request, code, detail),
                                   status=KINDS[code].status))
