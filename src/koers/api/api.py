"""The REST API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

It asks the same access policy and calls the same services as the web pages; no rule
lives here. A caller is a personal API token or the signed-in session, whose writes
need the CSRF token as in the browser (``api/auth.py``). Each room's operations live
in its own router (``api/<room>.py``); this module only mounts them and turns every
error into RFC 9457 problem details (``api/problems.py``); every operation refuses
text that cannot be stored (``api/storable.py``).
"""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaInvalid
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from koers.access import mfa, renderings, tokens
from koers.api import lookups, preconditions, problems
from koers.api.auth import CsrfRefused, session_auth, token_auth
from koers.api.storable import refuse_unstorable_text
from koers.core.errors import (
    EditConflict,
    NotFoundOrForbidden,
    PreconditionFailed,
    RecordClosed,
    ValidationFailed,
)
from koers.core.text import unstorable_message, unstorable_places


class KoersAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view's name alone, so an operation keeps its id when its router moves
        (the names are unique across routers: tests/api/test_api.py checks it)."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        """The schema, with the errors every operation may answer added to each and
        every error said as ``application/problem+json``."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema["paths"].values():
            for method, operation in item.items():
                _document_errors(method, operation)
        return schema


def _document_errors(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    statuses = [422] + ([401, 403, 429] if operation.get("security") else [])
    # 403: two-factor sign-in required and not set up (every operation); for a change,
    # also no CSRF token with the session, or a read-only token.
    # Every operation may answer 404: for a missing object, one not the caller's, and on
    # the operations about "me" for a login that is no person of an organisation.
    statuses.append(404)
    problem = {"$ref": "#/components/schemas/Problem"}
    for status in statuses:
        responses.setdefault(status, {"description": _STATUS_TEXT[status],
                                      "content": {"application/json": {"schema": problem}}})
    for status, response in responses.items():
        content = response.get("content", {})
        if int(status) >= 400 and "application/json" in content:
            content[problems.MEDIA_TYPE] = content.pop("application/json")


_STATUS_TEXT = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                422: "Unprocessable Content", 429: "Too Many Requests"}


api = KoersAPI(
    title="Koers API",
    version="1",
    description="Organisations, people, evaluators and the conversation cycle. A script "
                "authenticates with a personal API token (Authorization: Bearer …); every "
                "error is RFC 9457 problem details with a stable code "
                "(docs/integrations.md).",
    auth=[token_auth, session_auth],
    urls_namespace="api",
)


def _problem(request: HttpRequest, code: str, detail: str,
             errors: dict[str, list[str]] | None = None, **extra: Any) -> HttpResponse:
    body = problems.body(request, code, detail, errors)
    return problems.as_problem(api.create_response(
        request, {**body, **extra}, status=problems.KINDS[code].status))


@api.exception_handler(ValidationFailed)
def _refused(request: HttpRequest, error: ValidationFailed) -> HttpResponse:
    if isinstance(error, EditConflict):
        return _problem(request, "edit_conflict", error.message, error.errors,
                        revision=error.revision, current=error.current)
    code = "record_closed" if isinstance(error, RecordClosed) else "refused"
    return _problem(request, code, error.message, error.errors)


# Where the request put a value, not a field name: left out of the field's name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _message(problem: dict[str, Any]) -> str:
    kind = problem.get("type")
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_unicode":  # a lone surrogate: no database stores it
        return unstorable_message()
    if kind == "string_too_long":
        limit = int(problem.get("ctx", {}).get("max_length", 0))
        return _("This text is too long: at most %(limit)s characters.") % {
            "limit": number_format(limit, force_grouping=True)}
    return _("Enter a valid value.")


def _unstorable_in_body(request: HttpRequest) -> list[str]:
    if request.content_type != "application/json":
        return []  # a form's fields are checked one by one (``refuse_unstorable_text``)
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        return []
    return unstorable_places(data)


@api.exception_handler(SchemaInvalid)
def _invalid(request: HttpRequest, error: SchemaInvalid) -> HttpResponse:
    """A body, path or query the schema refuses: the same shape as a refused request,
    field by field, in the caller's language (the schema's own messages are English)."""
    errors: dict[str, list[str]] = {}
    for problem in error.errors:
        loc = list(problem.get("loc", ()))
        # Only the first part is the source: a form's field may be called ``file``.
        parts = [str(part) for part in (loc[1:] if loc and loc[0] in _SOURCES else loc)]
        # The first part is the operation's parameter name (``data``, ``patch``) when
        # the body is one schema: the field is what follows it.
        field = ".".join(parts[1:] if len(parts) > 1 else parts) or "__all__"
        message = _message(problem)
        if message not in errors.setdefault(field, []):
            errors[field].append(message)
    # Text that cannot be stored elsewhere in the body is said in the same answer (the
    # check every operation runs first never ran: the schema refused the body before).
    for where in _unstorable_in_body(request):
        if unstorable_message() not in errors.setdefault(where, []):
            errors[where].append(unstorable_message())
    return _problem(request, "invalid_input", _("Please correct the errors below."), errors)


@api.exception_handler(Http404)
@api.exception_handler(NotFoundOrForbidden)
def _not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    """A lookup or a service found the object missing or not the caller's: one answer,
    body and all, so no operation tells a forbidden id from a missing one."""
    return _problem(request, "not_found", _("Not found."))


@api.exception_handler(lookups.NotMadeYet)
def _not_made_yet(request: HttpRequest, error: lookups.NotMadeYet) -> HttpResponse:
    return _problem(request, "not_found", error.message)


@api.exception_handler(PreconditionFailed)
def _precondition_failed(request: HttpRequest, error: PreconditionFailed) -> HttpResponse:
    """``If-Match`` named no revision the record has now (compared by the service under
    its row lock)."""
    response = _problem(request, "precondition_failed", _(
        "The record changed since the version in If-Match, and nothing was saved: read "
        "it again."))
    response["ETag"] = preconditions.etag(error.revision)
    return response


@api.exception_handler(renderings.NotReady)
def _not_ready(request: HttpRequest, error: renderings.NotReady) -> HttpResponse:
    """A PDF asked for before it is ready (or one that could not be made): a wrong
    state, not a refusal."""
    return _problem(request, "not_ready", error.message)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = _problem(request, "not_authenticated", _(
        "Sign in, or send a personal API token: Authorization: Bearer <token>."))
    response["WWW-Authenticate"] = 'Bearer realm="koers"'
    return response


@api.exception_handler(tokens.TokenRefused)
def _token_refused(request: HttpRequest, error: tokens.TokenRefused) -> HttpResponse:
    response = _problem(request, error.code, error.message)
    response["WWW-Authenticate"] = 'Bearer realm="koers", error="invalid_token"'
    return response


@api.exception_handler(tokens.TokenReadOnly)
@api.exception_handler(tokens.SessionRequired)
@api.exception_handler(mfa.MfaMissing)
def _token_may_not(request: HttpRequest, error: tokens.TokenReadOnly | tokens.SessionRequired
                   | mfa.MfaMissing) -> HttpResponse:
    return _problem(request, error.code, error.message)


@api.exception_handler(tokens.TokenRateLimited)
def _rate_limited(request: HttpRequest, error: tokens.TokenRateLimited) -> HttpResponse:
    response = _problem(request, error.code, error.message)
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(CsrfRefused)
def _csrf_refused(request: HttpRequest, error: CsrfRefused) -> HttpResponse:
    return _problem(request, "csrf_failed", _(
        "A change through the signed-in session needs the CSRF token; a script sends an "
        "API token instead."))


# Before the routers are added: they take the API's decorators when they are mounted.
api.add_decorator(refuse_unstorable_text)

# Schema class names are unique across the rooms (a test checks it): the OpenAPI
# components are keyed by name alone, so two shapes of one name would publish one of them.
api.add_router("", "koers.api.organisation.router")
api.add_router("", "koers.api.imports.router")  # HR's CSV/XLSX imports
api.add_router("", "koers.api.policy.router")
api.add_router("", "koers.api.access.router")
api.add_router("", "koers.api.security.router")  # the security log
api.add_router("", "koers.api.cycles.router")
api.add_router("", "koers.api.goals.router")
api.add_router("", "koers.api.conversations.router")
api.add_router("", "koers.api.evaluations.router")
api.add_router("", "koers.api.development.router")  # catalogues, self-scan, preparations
api.add_router("", "koers.api.development_plans.router")  # the POP and the training demand
api.add_router("", "koers.api.improvement.router")  # personal improvement plans
api.add_router("", "koers.api.consequences.router")
api.add_router("", "koers.api.training_plans.router")  # the training plans (GOP)
api.add_router("", "koers.api.notifications.router")  # the caller's own notifications
api.add_router("", "koers.api.tasks.router")  # what waits for the caller, every room
api.add_router("", "koers.api.problems.router")  # what each kind of error means
