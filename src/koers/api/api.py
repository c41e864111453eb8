"""The REST API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

It asks the same access policy and calls the same services as the web pages; no rule
lives here. Authentication is the signed-in session; writes need the CSRF token, as in the browser.
Each room's operations live in its own router (``api/<room>.py``); this module only
mounts them and turns the domain's errors into responses; every operation refuses text
that cannot be stored (``api/storable.py``).
"""

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaInvalid
from ninja.operation import Operation
from ninja.security import django_auth

from koers.api.common_schemas import Problem
from koers.api.storable import refuse_unstorable_text
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.text import unstorable_message, unstorable_places


class KoersAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view's name alone, so an operation keeps its id when its router moves
        (the names are unique across routers: tests/api/test_api.py checks it)."""
        return operation.view_func.__name__


api = KoersAPI(
    title="Koers API",
    version="1",
    description="Organisations, people, evaluators and the conversation cycle.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(ValidationFailed)
def _refused(request: HttpRequest, error: ValidationFailed) -> HttpResponse:
    return api.create_response(
        request, Problem(message=error.message, errors=error.errors).dict(), status=422
    )


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
        parts = [str(part) for part in problem.get("loc", ()) if part not in _SOURCES]
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
    return api.create_response(
        request, Problem(message=_("Please correct the errors below."), errors=errors).dict(),
        status=422)


@api.exception_handler(NotFoundOrForbidden)
def _not_found(request: HttpRequest, error: NotFoundOrForbidden) -> HttpResponse:
    """A service found the object missing or not the caller's: the very answer of a
    lookup's 404, body and all, so no operation tells a forbidden id from a missing one."""
    return api.on_exception(request, Http404())


# Before the routers are added: they take the API's decorators when they are mounted.
api.add_decorator(refuse_unstorable_text)

# Schema class names are unique across the rooms (a test checks it): the OpenAPI
# components are keyed by name alone, so two shapes of one name would publish one of them.
api.add_router("", "koers.api.organisation.router")
api.add_router("", "koers.api.policy.router")
api.add_router("", "koers.api.access.router")
api.add_router("", "koers.api.security.router")  # the security log
api.add_router("", "koers.api.cycles.router")
api.add_router("", "koers.api.goals.router")
api.add_router("", "koers.api.conversations.router")
api.add_router("", "koers.api.evaluations.router")
api.add_router("", "koers.api.development.router")  # catalogues, self-scan, preparations
api.add_router("", "koers.api.development_plans.router")  # the POP and the training demand
api.add_router("", "koers.api.consequences.router")
api.add_router("", "koers.api.training_plans.router")  # the training plans (GOP)
api.add_router("", "koers.api.tasks.router")  # what waits for the caller, every room
