"""Every API operation, fed by schemathesis from the OpenAPI schema: no request, however
odd, makes the server fail (5xx), and every answer matches the schema it promises.

Each operation gets ``EXAMPLES`` generated requests (``KOERS_SCHEMATHESIS_EXAMPLES``
for a longer run) with a fixed seed, sent in-process
through the WSGI application, as two callers with a personal API token that may write:
HR of the whole organisation and the employee's 1st evaluator, who between them reach
nearly every operation. Half of the requests name the objects of the authorization
matrix's world (tests/access/matrix.py) in their path, so they reach the operation's
code rather than its 404; the other half keep the generated ids.
"""

import datetime as dt
import os
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.specs.openapi.checks import response_schema_conformance

from koers.access import tokens
from koers.access.models import TokenScope
from koers.api.api import api
from koers.core import clock
from tests.access import matrix
from tests.security import figures

pytestmark = pytest.mark.django_db

REPORT = "API schema (schemathesis)"
EXAMPLES = int(os.environ.get("KOERS_SCHEMATHESIS_EXAMPLES", "8"))
SEED = 4711
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CALLERS = (matrix.Rel.HR, matrix.Rel.FIRST)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The matrix's world, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield matrix.build()
        transaction.set_rollback(True)


@pytest.fixture
def app(settings):
    """The WSGI application in this process, on the test's own database connection.

    Django's test client does the same: a request's start and end would otherwise
    close the connection that holds the test's transaction."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.KOERS_API_TOKEN_RATE_PER_MINUTE = 10_000  # the limit has tests of its own
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _bearer(world: matrix.World, rel: matrix.Rel) -> dict[str, str]:
    user = world.users[rel]
    assert user is not None
    made = tokens.token_create(user=user, name="schemathesis", scope=TokenScope.WRITE,
                               expires_on=clock.today() + dt.timedelta(days=1))
    return {"Authorization": f"Bearer {made.secret}"}


def _real_ids(operation: Any, world: matrix.World) -> dict[str, Any]:
    endpoint = matrix.Endpoint(key="", method=operation.method.upper(),
                               route=operation.path, api=True)
    return {name: world.ids[kind] for name, kind in matrix.parameters(endpoint)
            if kind in world.ids}


def _kind(failure: Failure) -> str:
    return "5xx" if isinstance(failure, ServerError) else "schema violations"


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_no_generated_request_fails_the_server_or_the_schema(operation, world, app):
    operation.app = app
    callers = [_bearer(world, rel) for rel in CALLERS]
    real_ids = _real_ids(operation, world)
    found: dict[str, list[str]] = {"5xx": [], "schema violations": []}
    cases = 0

    @hypothesis.settings(max_examples=EXAMPLES, database=None,
                         phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.seed(SEED)
    @hypothesis.given(case=operation.as_strategy(), use_real_ids=st.booleans(),
                      caller=st.sampled_from(callers))
    def probe(case, use_real_ids, caller):
        nonlocal cases
        if use_real_ids:
            case.path_parameters = {**(case.path_parameters or {}), **real_ids}
        cases += 1
        with transaction.atomic():  # what one request writes is undone before the next
            response = case.call(headers=caller)
            try:
                case.validate_response(response, checks=[not_a_server_error,
                                                         response_schema_conformance])
            except FailureGroup as group:
                for failure in group.exceptions:
                    found[_kind(failure)].append(
                        f"{case.method} {case.formatted_path} {response.status_code}: "
                        f"{failure.title}: {failure.message[:300]}")
            transaction.set_rollback(True)

    probe()

    figures.record(REPORT, "operations", 1)
    figures.record(REPORT, "cases", cases)
    figures.record(REPORT, "5xx", len(found["5xx"]))
    figures.record(REPORT, "schema violations", len(found["schema violations"]))
    figures.note(REPORT, f"{EXAMPLES} examples per operation, seed {SEED}, as "
                         f"{' and as '.join(CALLERS)} with a token that may write; checks "
                         "not_a_server_error and response_schema_conformance")
    assert found == {"5xx": [], "schema violations": []}
