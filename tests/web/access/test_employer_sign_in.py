"""The employer sign-in page: HR of the whole organisation sets it up, sees the redirect
URI to register and whether the secret is in place, never the secret; others get 404."""

import pytest
from django.urls import reverse

from koers.access.models import EmployerSignIn
from koers.core.models import User
from koers.organisation.models import Person
from tests import personas
from tests.oidc import SECRET_VARIABLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def signed_in(client, person: Person, language: str = "en") -> None:
    User.objects.filter(pk=person.user_id).update(language=language)
    client.force_login(person.user)


def url(p) -> str:
    return reverse("employer_sign_in", args=[p.top.organisation_id])


def form(**changes: str) -> dict[str, str]:
    return {"name": "Stad Lindendaal", "server_url": "https://login.microsoftonline.com/"
            "0b5c1c6e-0000-4000-8000-000000000000/v2.0", "client_id": "c0ffee",
            "secret_variable": SECRET_VARIABLE, "provider_id": "lindendaal",
            "subject_claim": "oid", "employee_number_claim": "employeeid",
            "email_domains": "lindendaal.be", "active": "on", **changes}


def test_hr_sets_up_the_sign_in_and_sees_the_redirect_uri_to_register(
        client, p, monkeypatch, django_assert_max_num_queries) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, "never-shown")
    signed_in(client, p.hr)

    answer = client.post(url(p), form(), follow=True)

    config = EmployerSignIn.objects.get()
    assert (config.organisation_id, config.subject_claim, config.passwords_allowed,
            config.second_factor) == (p.top.organisation_id, "oid", False, False)
    html = answer.content.decode()
    assert "The employer sign-in is saved." in html
    assert "http://testserver/accounts/oidc/lindendaal/login/callback/" in html
    assert f"Set by the operator in {SECRET_VARIABLE}." in html
    assert "openid profile email" in html
    assert "never-shown" not in html
    with django_assert_max_num_queries(12):
        assert client.get(url(p)).status_code == 200


def test_the_page_speaks_dutch_and_says_the_secret_is_missing(client, p) -> None:
    signed_in(client, p.hr, language="nl")
    client.post(url(p), form())

    html = client.get(url(p)).content.decode()

    assert "Aanmelding via de werkgever van Stad Lindendaal" in html
    assert f"Niet ingesteld: vraag de beheerder het geheim in {SECRET_VARIABLE}" in html


def test_a_refused_value_is_said_and_nothing_is_saved(client, p) -> None:
    signed_in(client, p.hr)

    answer = client.post(url(p), form(secret_variable="DATABASE_URL",
                                      server_url="http://idp.example.be"))

    html = answer.content.decode()
    assert "Nothing was saved. Please correct:" in html
    assert "starts with KOERS_OIDC_SECRET_" in html
    assert "https address" in html
    assert EmployerSignIn.objects.count() == 0


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr", "outsider"])
def test_nobody_but_hr_of_the_whole_organisation_reaches_it(client, p, who: str) -> None:
    signed_in(client, getattr(p, who))

    assert client.get(url(p)).status_code == 404
    assert client.post(url(p), form()).status_code == 404
    assert EmployerSignIn.objects.count() == 0


def test_the_policy_page_links_to_it_for_hr(client, p) -> None:
    signed_in(client, p.hr)

    html = client.get(reverse("policy_detail", args=[p.top.organisation_id])).content.decode()

    assert url(p) in html
