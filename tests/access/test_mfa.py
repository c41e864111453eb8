"""Two-factor sign-in required by policy (access/mfa.py, docs/access.md): superusers and
the holders of HR or a body's role must set up TOTP, and until they do every page sends
them to the set-up and every API operation answers 403 ``mfa_required``, through the
session and through the tokens they made before."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.test import Client
from django.urls import reverse

from koers.access import mfa, tokens
from koers.access.models import Refusal, RefusalKind, TokenScope
from koers.access.policy import Viewer
from koers.core import clock
from koers.core.models import User
from koers.organisation.models import Person, Role, RoleGrant
from koers.web.middleware import MFA_SET_UP_URL_NAMES
from tests import factories, personas
from tests.access import matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def member(p: personas.Personas, role: Role) -> Person:
    """Someone of the organisation with ``role``, who has not set up TOTP yet."""
    who = factories.person(p.department, with_user=True)
    factories.grant(who, role, p.top if role in (Role.HR, Role.DIRECTOR) else None,
                    with_totp=False)
    return who


@pytest.mark.parametrize("role", sorted(mfa.MFA_ROLES))
def test_hr_and_every_body_must_use_two_factor_sign_in(p, role) -> None:
    who = member(p, role)
    assert who.user is not None

    assert mfa.mfa_required(Viewer.of(who.user)) is True
    assert mfa.mfa_missing(Viewer.of(who.user)) is True


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.SECURITY_OFFICER])
def test_other_roles_and_plain_employees_need_not(p, role) -> None:
    who = member(p, role)
    assert who.user is not None
    assert p.employee.user is not None
    assert p.manager.user is not None

    assert mfa.mfa_required(Viewer.of(who.user)) is False
    assert mfa.mfa_required(Viewer.of(p.employee.user)) is False
    assert mfa.mfa_required(Viewer.of(p.manager.user)) is False


def test_a_grant_that_ended_no_longer_requires_it(p) -> None:
    who = member(p, Role.HR)
    assert who.user is not None
    RoleGrant.objects.filter(person=who).update(valid_until=clock.today() - dt.timedelta(days=1))

    assert mfa.mfa_required(Viewer.of(who.user)) is False


def test_a_superuser_without_a_person_must_use_it_too() -> None:
    root = User.objects.create_superuser(email="root@example.test", password="x")

    assert mfa.mfa_missing(Viewer.of(root)) is True
    factories.totp(root)
    assert mfa.mfa_missing(Viewer.of(root)) is False


def test_the_totp_authenticator_is_read_with_the_person(p, django_assert_num_queries) -> None:
    """The rule costs a page no query: the viewer's person query says it (and the grants'
    query says the roles)."""
    assert p.hr.user is not None

    with django_assert_num_queries(2):
        viewer = Viewer.of(p.hr.user)
        assert mfa.mfa_missing(viewer) is False


def test_recovery_codes_alone_are_not_two_factor_sign_in_set_up(p) -> None:
    assert p.hr.user is not None
    Authenticator.objects.filter(user=p.hr.user).update(type=Authenticator.Type.RECOVERY_CODES)

    assert mfa.mfa_missing(Viewer.of(p.hr.user)) is True


def test_the_organisation_may_switch_the_rule_off(p, settings) -> None:
    """For an employer sign-in that asks for a second factor itself (README)."""
    settings.KOERS_MFA_REQUIRED = False
    who = member(p, Role.HR)
    assert who.user is not None

    assert mfa.mfa_missing(Viewer.of(who.user)) is False


def test_a_token_of_such_a_user_is_refused_and_recorded_in_the_security_log(p) -> None:
    who = member(p, Role.APPEAL_BOARD)
    assert who.user is not None
    made = tokens.token_create(user=who.user, name="Script", scope=TokenScope.READ,
                               expires_on=clock.today() + dt.timedelta(days=5))
    script = Client(HTTP_AUTHORIZATION=f"Bearer {made.secret}")

    refused = script.get("/api/v1/me")

    assert (refused.status_code, refused.json()["code"]) == (403, "mfa_required")
    row = Refusal.objects.get(kind=RefusalKind.TOKEN)
    assert (row.user_id, row.action) == (who.user.pk, "mfa_required")
    factories.totp(who.user)
    assert script.get("/api/v1/me").status_code == 200


# Every face at once, with the world of the authorization matrix: its HR has not set up
# TOTP yet.
ENDPOINTS = matrix.endpoints()
PAGES = [e for e in ENDPOINTS if not e.api and e.key not in MFA_SET_UP_URL_NAMES]
OPERATIONS = [e for e in ENDPOINTS if e.api]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = matrix.build()
        Authenticator.objects.filter(user=built.people.hr.user).delete()
        yield built
        transaction.set_rollback(True)


def test_every_page_sends_hr_without_totp_to_the_set_up(world) -> None:
    client = Client()
    client.force_login(world.people.hr.user)
    answers = {}
    for endpoint in PAGES:
        url = matrix.url_of(endpoint, world.ids)
        if url is not None:
            response = client.get(url)
            answers[endpoint.key] = (response.status_code, response.get("Location"))

    set_up = (302, reverse("mfa_activate_totp"))
    assert len(answers) > 50
    assert {key: answer for key, answer in answers.items() if answer != set_up} == {}
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("login", [matrix.session_login, matrix.token_login],
                         ids=["session", "token"])
def test_every_api_operation_answers_hr_without_totp_403_mfa_required(
        world, login, settings) -> None:
    settings.KOERS_API_TOKEN_RATE_PER_MINUTE = 10_000  # one token calls every operation
    client = Client()
    login(client, world.people.hr.user)
    answers = {}
    for endpoint in OPERATIONS:
        url = matrix.url_of(endpoint, world.ids)
        if url is None or endpoint.key.endswith("/problems/{code}"):  # needs no sign-in
            continue
        response = client.generic(endpoint.method, url, "{}", content_type="application/json")
        code = response.json().get("code") if response.status_code >= 400 else None
        answers[endpoint.key] = (response.status_code, code)

    assert len(answers) > 50
    assert {key: answer for key, answer in answers.items()
            if answer != (403, "mfa_required")} == {}


def test_a_code_of_the_window_just_past_is_accepted_and_one_older_is_not(monkeypatch):
    """Typed in the last second of its 30-second window, a code arrives in the next one:
    accepted (MFA_TOTP_TOLERANCE = 1). Two windows back it is refused."""
    from allauth.mfa.totp.internal import auth as totp_auth

    secret = totp_auth.generate_totp_secret()
    now = 1_800_000_000
    monkeypatch.setattr(totp_auth.time, "time", lambda: now)

    def code(windows_back: int) -> str:
        return totp_auth.format_hotp_value(
            totp_auth.hotp_value(secret, now // 30 - windows_back))

    assert totp_auth.validate_totp_code(secret, code(0))
    assert totp_auth.validate_totp_code(secret, code(1))
    assert not totp_auth.validate_totp_code(secret, code(2))
