"""Every URL against every role: see tests/access/matrix.py for the table and the checks."""

import datetime as dt

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import clear_url_caches, path

from koers.goals.models import Goal
from tests.access import matrix

pytestmark = pytest.mark.django_db

ENDPOINTS = matrix.endpoints()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for every endpoint, built once inside a transaction that is rolled back
    after the module; each test runs in a savepoint inside it, so what one endpoint writes
    is undone before the next. Building it per endpoint took most of the suite's time."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield matrix.build()
        transaction.set_rollback(True)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.key for e in ENDPOINTS])
def test_no_role_reaches_data_the_policy_forbids(endpoint: matrix.Endpoint, world) -> None:
    problems = matrix.check(world, [endpoint])

    assert problems == []


API_READS = [e for e in ENDPOINTS if e.api and e.method == "GET"]
API_WRITES = [e for e in ENDPOINTS if e.api and e.method != "GET"]


@pytest.mark.parametrize("endpoint", API_READS, ids=[e.key for e in API_READS])
def test_a_token_reaches_what_its_user_reaches_and_no_more(endpoint: matrix.Endpoint,
                                                             world) -> None:
    """A personal API token acts as its user: the same table holds, call by call."""
    problems = matrix.check(world, [endpoint], login=matrix.token_login)

    assert problems == []


def test_a_read_only_token_writes_nothing_whoever_holds_it(world) -> None:
    """Every operation that may change something refuses a read-only token (403), for
    every relation, before the operation runs: no audit event is written. (A token that
    may write gets 403 too on making a token: sessions make them; tests/api/test_tokens.py.)"""
    from koers.access import tokens
    from koers.access.models import TokenScope
    from koers.audit.models import AuditEvent
    from koers.core import clock

    events = AuditEvent.objects.count()
    answers: dict[str, set[tuple[int, str]]] = {}
    for user in world.users.values():
        if user is None:
            continue
        made = tokens.token_create(user=user, name="read", scope=TokenScope.READ,
                                   expires_on=clock.today() + dt.timedelta(days=1))
        events += 1  # the token's own "made" event
        client = Client(HTTP_AUTHORIZATION=f"Bearer {made.secret}")
        for endpoint in API_WRITES:
            url = matrix.url_of(endpoint, world.ids)
            response = client.generic(endpoint.method, url, data="{}",
                                      content_type="application/json")
            answers.setdefault(endpoint.key, set()).add(
                (response.status_code, response.json()["code"]))

    assert len(API_WRITES) > 80
    assert {key: found for key, found in answers.items()
            if found != {(403, "token_read_only")}} == {}
    assert AuditEvent.objects.count() == events


def test_every_pattern_has_expectations() -> None:
    keys = {endpoint.key for endpoint in ENDPOINTS}

    assert sorted(keys - set(matrix.EXPECTED)) == []
    assert sorted(set(matrix.EXPECTED) - keys) == []


# The proof that the matrix catches a view that forgets its check ------------------------


def leaky_goal(request: HttpRequest, pk: int) -> HttpResponse:
    """A view that forgets to ask the policy (never mounted outside this test)."""
    return HttpResponse(Goal.objects.get(pk=pk).title)


urlpatterns = [
    path("goals/<int:pk>/leak/", leaky_goal, name="leaky_goal"),
    *__import__("koers.config.urls", fromlist=["urlpatterns"]).urlpatterns,
]


def test_the_matrix_reports_a_view_that_forgets_its_check(settings, world) -> None:
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    try:
        leaky = [e for e in matrix.endpoints() if e.key == "leaky_goal"]

        problems = matrix.check(world, leaky, {**matrix.EXPECTED,
                                               "leaky_goal": matrix.CONTENT_READERS})
    finally:
        clear_url_caches()

    assert len(leaky) == 1
    assert f"GET /goals/{world.ids['goal']}/leak/ (leaky_goal) as colleague in the same " \
           f"team: shows {matrix.GOAL_MARKER!r}" in problems
    assert any("as anonymous: not refused (200)" in problem for problem in problems)


def test_the_matrix_asks_for_a_builder_for_an_unknown_object_kind(world) -> None:
    endpoint = matrix.Endpoint(key="home", method="GET", route="widgets/<int:widget_id>/",
                               api=False)

    assert matrix.check(world, [endpoint]) == [
        "home: add a builder for widget_id (tests/access/matrix.py)"]
