"""The API tokens page: a person makes a token (shown once), sees its last use and
revokes it (access/tokens.py)."""

import datetime as dt

import pytest
from django.test import Client

from koers.access import tokens
from koers.access.models import ApiToken, TokenScope
from koers.core import clock
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_a_token_made_on_the_page_is_shown_once_and_works(p) -> None:
    client = signed_in(p.employee)
    until = clock.today() + dt.timedelta(days=30)

    made = client.post("/me/api-tokens/", {"name": "Agenda", "scope": "read",
                                           "expires_on": until.isoformat()})
    token = ApiToken.objects.get()
    secret = next(word for word in made.content.decode().split('"')
                  if word.startswith(f"koers_{token.prefix}_"))
    again = client.get("/me/api-tokens/").content.decode()

    assert made.status_code == 200
    assert (token.name, token.scope, token.expires_on) == ("Agenda", "read", until)
    assert secret not in again
    assert f"koers_{token.prefix}_…" in again
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me").status_code == 200


def test_an_expiry_beyond_the_maximum_is_said_on_the_form_and_nothing_is_made(p) -> None:
    client = signed_in(p.employee)
    p.employee.user.language = "nl"
    p.employee.user.save(update_fields=["language"])
    too_late = clock.today() + dt.timedelta(days=366)

    response = client.post("/me/api-tokens/", {"name": "Agenda", "scope": "write",
                                                "expires_on": too_late.isoformat()})

    assert response.status_code == 200
    assert "hoogstens 365 dagen vooruit" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_and_nobody_else_can(p) -> None:
    made = tokens.token_create(user=p.employee.user, name="Agenda", scope=TokenScope.READ,
                               expires_on=clock.today() + dt.timedelta(days=3))
    url = f"/me/api-tokens/{made.token.pk}/revoke/"

    by_hr = signed_in(p.hr).post(url)
    by_owner = signed_in(p.employee).post(url)

    assert (by_hr.status_code, by_owner.status_code) == (404, 302)
    made.token.refresh_from_db()
    assert made.token.revoked_at is not None
    listed = signed_in(p.employee).get("/me/api-tokens/").content.decode()
    assert "Agenda" in listed
    assert f"/me/api-tokens/{made.token.pk}/revoke/" not in listed


def test_the_page_shows_each_tokens_last_use_in_a_fixed_number_of_queries(
        p, django_assert_max_num_queries) -> None:
    client = signed_in(p.employee)
    client.get("/me/api-tokens/")
    made = tokens.token_create(user=p.employee.user, name="Agenda", scope=TokenScope.READ,
                               expires_on=clock.today() + dt.timedelta(days=3))
    tokens.token_authenticate(presented=made.secret, ip="198.51.100.7", method="GET")

    with django_assert_max_num_queries(20) as one:
        page = client.get("/me/api-tokens/")
    for number in range(3):
        tokens.token_create(user=p.employee.user, name=f"Script {number}",
                            scope=TokenScope.READ,
                            expires_on=clock.today() + dt.timedelta(days=3))
    with django_assert_max_num_queries(len(one)):
        client.get("/me/api-tokens/")

    assert "198.51.100.7" in page.content.decode()
