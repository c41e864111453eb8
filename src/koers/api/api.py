"""The REST API (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

It asks the same access policy and calls the same services as the web pages; no rule
lives here. Authentication is the signed-in session; writes need the CSRF token, as in the browser.
Each room's operations live in its own router (``api/<room>.py``); this module only
mounts them and turns the domain's errors into responses; every operation refuses text
that cannot be stored (``api/storable.py``).
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.operation import Operation
from ninja.security import django_auth

from koers.api.common_schemas import Problem
from koers.api.storable import refuse_unstorable_text
from koers.core.errors import NotFoundOrForbidden, ValidationFailed


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
