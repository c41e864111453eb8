"""The pages' side of the two-factor rule (access/mfa.py, docs/access.md): a user who
must sign in with a second factor and has none yet sees the TOTP set-up and what they
need to get there, with a message in their language, and every page once it is set up."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from koers.core.models import User
from koers.organisation.models import Role
from tests import factories, personas

pytestmark = pytest.mark.django_db

SET_UP = "/accounts/2fa/totp/activate/"


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


@pytest.fixture
def hr(p) -> User:
    """HR who signed in with a password and has not set up TOTP yet."""
    who = factories.person(p.department, with_user=True, language="en")
    factories.grant(who, Role.HR, p.top, with_totp=False)
    assert who.user is not None
    who.user.language = "en"
    who.user.save(update_fields=["language"])
    return who.user


def test_hr_without_totp_is_sent_to_the_set_up_with_the_reason_in_their_language(
        client, hr) -> None:
    client.force_login(hr)

    response = client.get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, SET_UP)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["Your role gives you access to other people's personal data or a say "
                    "in decisions about them, so you must sign in with two-factor "
                    "authentication. Set up an authenticator app first; until then Koers "
                    "shows you nothing else."]


def test_the_reason_is_said_in_dutch_to_a_dutch_user(client, p, hr) -> None:
    hr.language = "nl"
    hr.save(update_fields=["language"])
    client.force_login(hr)

    response = client.get(reverse("person_detail", args=[p.employee.pk]), follow=True)

    assert response.redirect_chain[0] == (SET_UP, 302)
    assert "moet je aanmelden met tweestapsverificatie" in response.content.decode()


def test_the_set_up_sign_out_and_language_switch_stay_reachable(client, hr) -> None:
    client.force_login(hr)

    # The set-up asks for the password once more (the session has no recent sign-in).
    assert client.get(SET_UP)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": "demo"})
    set_up = client.get(SET_UP)
    assert (set_up.status_code, 'name="code"' in set_up.content.decode()) == (200, True)
    assert client.post(reverse("language"), {"language": "nl"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_htmx_request_sends_the_whole_page_to_the_set_up(client, hr) -> None:
    client.force_login(hr)

    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == SET_UP


def test_the_api_session_answers_403_mfa_required(client, hr) -> None:
    client.force_login(hr)

    response = client.get("/api/v1/me")

    assert (response.status_code, response["Content-Type"]) == (403, "application/problem+json")
    assert response.json()["code"] == "mfa_required"
    assert response.json()["detail"].startswith("Your role gives you access")


def test_once_totp_is_set_up_the_pages_and_the_api_answer(client, p, hr) -> None:
    factories.totp(hr)
    client.force_login(hr)

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("person_detail", args=[p.employee.pk])).status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_an_employee_without_roles_is_not_affected(client, p) -> None:
    client.force_login(p.employee.user)

    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_a_superuser_without_totp_is_sent_to_the_set_up_from_the_admin_too(client) -> None:
    root = User.objects.create_superuser(email="root@example.test", password="x")
    client.force_login(root)

    assert client.get("/admin/")["Location"] == SET_UP
    assert client.get(reverse("home"))["Location"] == SET_UP
    factories.totp(root)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [Role.MANAGEMENT_BODY, Role.ADVISORY_BODY, Role.APPEAL_BOARD])
def test_a_body_member_without_totp_is_sent_to_the_set_up(client, p, role) -> None:
    who = factories.person(p.department, with_user=True)
    factories.grant(who, role, with_totp=False)
    client.force_login(who.user)

    assert client.get(reverse("home"))["Location"] == SET_UP
    assert client.get("/api/v1/me").json()["code"] == "mfa_required"
    factories.totp(who.user)
    assert client.get(reverse("home")).status_code == 200


def test_the_rule_switched_off_lets_hr_in_without_totp(client, hr, settings) -> None:
    settings.KOERS_MFA_REQUIRED = False
    client.force_login(hr)

    assert client.get(reverse("home")).status_code == 200
