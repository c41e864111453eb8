"""Text that cannot be stored (core.text) anywhere in a body or a query string is a 422
naming the field, before any operation runs: never a server error on PostgreSQL."""

import json

import pytest

from koers.goals.models import Goal
from tests import factories, personas
from tests.api.problems import said

pytestmark = pytest.mark.django_db

REFUSED = "De tekst bevat een teken dat niet bewaard kan worden."


@pytest.fixture
def p():
    return personas.build()


def _propose(client, body: str):
    return client.post("/api/v1/goals", body, content_type="application/json")


def test_a_goal_title_with_a_nul_is_refused_with_422_and_nothing_is_saved(client, p):
    client.force_login(p.employee.user)

    response = _propose(client, json.dumps({"kind": "performance", "title": "Excel\x00 leren"}))

    assert (response.status_code, said(response)) == (
        422, {"detail": REFUSED, "errors": {"title": [REFUSED]}})
    assert not Goal.objects.exists()


def test_every_field_is_covered_however_deep_and_a_lone_surrogate_too(client, p):
    client.force_login(p.employee.user)
    # Written by hand: json.dumps cannot write a lone surrogate.
    body = ('{"kind": "learning", "title": "Excel", "description": "\\u0000", '
            '"milestones": [{"date": "2099-05-01", "text": "Cursus \\ud800"}]}')

    response = _propose(client, body)

    assert response.status_code == 422
    assert response.json()["errors"] == {"description": [REFUSED],
                                         "milestones.0.text": [REFUSED]}
    assert not Goal.objects.exists()


def test_a_query_string_with_a_nul_is_refused_with_422(client, p):
    admin = factories.superuser(email="admin@example.org", password="x")
    client.force_login(admin)

    response = client.get("/api/v1/security/refusals", {"user": "els\x00"})

    assert (response.status_code, response.json()["errors"]) == (422, {"user": [REFUSED]})
    assert client.get("/api/v1/security/refusals", {"user": "els"}).status_code == 200
