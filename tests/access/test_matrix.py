"""Every URL against every role: see tests/access/matrix.py for the table and the checks."""

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
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
