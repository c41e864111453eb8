"""A script with a personal API token (docs/integrations.md): no session, no CSRF token,
its user's rights, and answers in its user's language."""

import datetime as dt
import json

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from koers.access import tokens
from koers.access.models import ApiToken, TokenScope
from koers.core import clock
from koers.goals.models import Goal

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def bearer(user, scope: str = TokenScope.WRITE, days: int = 30) -> Client:
    made = tokens.token_create(user=user, name="Script", scope=scope,
                               expires_on=clock.today() + dt.timedelta(days=days))
    # As a script does: no cookies, and CSRF enforced as for any client.
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {made.secret}")


def propose(client: Client):
    return client.post("/api/v1/goals", json.dumps({"kind": "learning", "title": "Excel"}),
                       content_type="application/json")


def test_a_script_reads_and_writes_as_the_tokens_user_without_session_or_csrf(p) -> None:
    script = bearer(p.employee.user)

    me = script.get("/api/v1/me")
    proposed = propose(script)

    assert (me.status_code, me.json()["id"]) == (200, p.employee.pk)
    assert proposed.status_code == 201
    assert Goal.objects.get().owner == p.employee
    assert "sessionid" not in script.cookies


def test_a_token_has_its_users_rights_and_no_more(p) -> None:
    """The colleague's token finds the employee's record missing, as the colleague does."""
    script = bearer(p.colleague.user)

    response = script.get(f"/api/v1/people/{p.employee.pk}")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_read_only_token_reads_but_a_write_is_forbidden_and_changes_nothing(p) -> None:
    script = bearer(p.employee.user, scope=TokenScope.READ)

    assert script.get("/api/v1/me/goals").status_code == 200
    refused = propose(script)

    assert (refused.status_code, refused["Content-Type"]) == (403, PROBLEM)
    assert refused.json()["code"] == "token_read_only"
    assert not Goal.objects.exists()


@pytest.mark.parametrize("header", [
    "Bearer koers_00000000_" + "x" * 43, "Bearer ", "bearer koers_abc"])
def test_a_bad_token_is_401_even_with_a_session(p, header) -> None:
    """A request that sends a token is judged on it alone: no fall back on the cookie."""
    client = Client(HTTP_AUTHORIZATION=header)
    client.force_login(p.employee.user)

    response = client.get("/api/v1/me")

    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_scheme_is_left_to_the_session(p) -> None:
    """A proxy's Basic credentials, which a browser sends with every request, are no
    token: the session answers (and without one, 401 asks to sign in)."""
    with_session = Client(HTTP_AUTHORIZATION="Basic ZWxzOmdlaGVpbQ==")
    with_session.force_login(p.employee.user)
    without = Client(HTTP_AUTHORIZATION="Basic ZWxzOmdlaGVpbQ==")

    assert with_session.get("/api/v1/me").status_code == 200
    assert without.get("/api/v1/me").json()["code"] == "not_authenticated"


def test_an_expired_token_says_so(p) -> None:
    script = bearer(p.employee.user, days=1)

    with clock.frozen(clock.now() + dt.timedelta(days=2)):
        response = script.get("/api/v1/me")

    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_a_deactivated_users_token_stops_at_once(p) -> None:
    script = bearer(p.employee.user)
    p.employee.user.is_active = False
    p.employee.user.save(update_fields=["is_active"])

    response = script.get("/api/v1/me")

    assert (response.status_code, response.json()["code"]) == (401, "token_invalid")


def test_the_answers_speak_the_tokens_users_language(p) -> None:
    p.employee.user.language = "nl"
    p.employee.user.save(update_fields=["language"])
    script = bearer(p.employee.user)

    response = script.get("/api/v1/goals/999999")

    assert response.json()["title"] == "Niet gevonden"
    assert response["Content-Language"] == "nl"


def test_an_account_with_two_factor_sign_in_uses_its_token(p) -> None:
    """The token was made in a session that passed the second factor; the script sends
    the token alone."""
    Authenticator.objects.create(user=p.employee.user, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    script = bearer(p.employee.user)

    assert script.get("/api/v1/me").status_code == 200


def test_the_signed_in_person_makes_lists_and_revokes_tokens_through_the_api(p) -> None:
    client = Client()
    client.force_login(p.employee.user)
    until = (clock.today() + dt.timedelta(days=30)).isoformat()

    made = client.post("/api/v1/me/api-tokens", json.dumps(
        {"name": "Agenda", "scope": "read", "expires_on": until}),
        content_type="application/json")
    secret = made.json()["token"]
    listed = client.get("/api/v1/me/api-tokens").json()["items"]
    script = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    before = script.get("/api/v1/me").status_code
    revoked = client.delete(f"/api/v1/me/api-tokens/{made.json()['id']}")
    after = script.get("/api/v1/me")

    assert made.status_code == 201
    assert [(t["name"], t["scope"], t["active"]) for t in listed] == [("Agenda", "read", True)]
    assert secret not in json.dumps(listed)
    assert (before, revoked.status_code, after.status_code) == (200, 204, 401)


def test_a_token_cannot_make_a_token(p) -> None:
    script = bearer(p.employee.user)
    until = (clock.today() + dt.timedelta(days=30)).isoformat()

    response = script.post("/api/v1/me/api-tokens", json.dumps(
        {"name": "Nog een", "scope": "write", "expires_on": until}),
        content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (403, "session_required")
    assert ApiToken.objects.count() == 1


def test_an_expiry_beyond_the_maximum_is_refused_field_by_field(p) -> None:
    client = Client()
    client.force_login(p.employee.user)
    too_late = (clock.today() + dt.timedelta(days=366)).isoformat()

    response = client.post("/api/v1/me/api-tokens", json.dumps(
        {"name": "Agenda", "scope": "read", "expires_on": too_late}),
        content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (422, "refused")
    assert list(response.json()["errors"]) == ["expires_on"]
    assert not ApiToken.objects.exists()


def test_nobody_revokes_anothers_token(p) -> None:
    theirs = tokens.token_create(user=p.employee.user, name="Script", scope=TokenScope.READ,
                                 expires_on=clock.today() + dt.timedelta(days=1))
    client = Client()
    client.force_login(p.hr.user)

    response = client.delete(f"/api/v1/me/api-tokens/{theirs.token.pk}")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_a_token_over_its_rate_gets_429_with_retry_after(p, settings) -> None:
    settings.KOERS_API_TOKEN_RATE_PER_MINUTE = 3
    script = bearer(p.employee.user)

    answers = [script.get("/api/v1/me") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["code"] == "rate_limited"
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_a_token_costs_a_bounded_number_of_queries(p, django_assert_max_num_queries) -> None:
    script = bearer(p.employee.user)
    script.get("/api/v1/me")  # the minute's row of uses exists from here on
    session = Client()
    session.force_login(p.employee.user)

    with django_assert_max_num_queries(30) as by_session:
        session.get("/api/v1/me")
    with django_assert_max_num_queries(len(by_session) + 6):
        script.get("/api/v1/me")
