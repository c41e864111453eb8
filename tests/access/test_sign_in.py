"""Sign-in through the employer's identity provider (access/sign_in.py), against a real
OpenID Connect provider on a socket (tests/oidc.py): who a sign-in is linked to, what is
refused and said, and that no account is made and no password touched."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from koers.access import sign_in
from koers.access.models import EmployerSignIn, Refusal, RefusalKind, SubjectClaim
from koers.audit.models import AuditEvent
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.organisation.models import Role
from tests import factories, personas
from tests.oidc import SECRET_VARIABLE, Provider, configure, sign_in_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def assert_untouched(users_before: int, *people: User) -> None:
    """No account made; each login keeps its password."""
    assert User.objects.count() == users_before
    for user in people:
        user.refresh_from_db()
        assert user.has_usable_password()
        assert user.check_password("demo")


def sign_in_refusals(action: str) -> list[Refusal]:
    return list(Refusal.objects.filter(kind=RefusalKind.SIGN_IN, action=action))


# Linking ----------------------------------------------------------------------------------


def test_first_sign_in_links_by_employee_number_and_keeps_the_password(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    sub = oidc_provider.person({"employee_number": p.employee.employee_number,
                                "email": "marc@elsewhere.test", "email_verified": False})
    users = User.objects.count()
    client = Client()

    answer = sign_in_through(client, oidc_provider, config, sub)

    assert (answer.status_code, answer["Location"]) == (302, "/")
    assert signed_in_user(client) == p.employee.user.pk
    assert list(SocialAccount.objects.values_list("user_id", "provider", "uid")) == [
        (p.employee.user.pk, config.provider_id, sub)]
    assert_untouched(users, p.employee.user)
    event = AuditEvent.objects.get(action="employer_sign_in.linked")
    assert (event.target_id, event.changes) == (
        str(p.employee.pk), {"provider": config.provider_id, "by": "employee_number"})
    assert Client().post("/accounts/login/", {"login": p.employee.user.email,
                                              "password": "demo"}).status_code == 302


def test_a_linked_identity_signs_in_by_its_stable_claim_whatever_else_changed(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    sub = oidc_provider.person({"employee_number": p.employee.employee_number})
    sign_in_through(Client(), oidc_provider, config, sub)
    # The provider now sends another person's number: the link by ``sub`` stands.
    oidc_provider.person({"sub": sub, "employee_number": p.colleague.employee_number})
    client = Client()

    answer = sign_in_through(client, oidc_provider, config, sub)

    assert answer.status_code == 302
    assert signed_in_user(client) == p.employee.user.pk
    assert AuditEvent.objects.filter(action="employer_sign_in.linked").count() == 1


def test_entra_oid_is_the_stable_claim_when_chosen(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user,
                       subject_claim=SubjectClaim.OID)
    oid = "00000000-0000-0000-0000-00000000beef"
    first = oidc_provider.person({"oid": oid, "employee_number": p.employee.employee_number})
    sign_in_through(Client(), oidc_provider, config, first)
    # Another app registration gives the same person another (pairwise) ``sub``; the
    # object id stays, and no employee number comes along this time.
    second = oidc_provider.person({"oid": oid})
    client = Client()

    answer = sign_in_through(client, oidc_provider, config, second)

    assert answer.status_code == 302
    assert signed_in_user(client) == p.employee.user.pk
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == [oid]


@pytest.mark.parametrize("verified", [{"email_verified": True}, {"xms_edov": True}])
def test_a_verified_address_of_an_authoritative_domain_links(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas,
        verified: dict[str, bool]) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user,
                       employee_number_claim="", email_domains="Example.test")
    sub = oidc_provider.person({"email": p.employee.user.email.upper(), **verified})
    users = User.objects.count()
    client = Client()

    answer = sign_in_through(client, oidc_provider, config, sub)

    assert answer.status_code == 302
    assert signed_in_user(client) == p.employee.user.pk
    assert AuditEvent.objects.get(action="employer_sign_in.linked").changes["by"] == "email"
    assert_untouched(users, p.employee.user)


@pytest.mark.parametrize("claims", [{"email_verified": False}, {}],
                         ids=["said unverified", "not said"])
def test_an_unverified_address_never_links_and_changes_nothing(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas,
        claims: dict[str, bool]) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user,
                       employee_number_claim="", email_domains="example.test")
    sub = oidc_provider.person({"email": p.employee.user.email, **claims})
    users = User.objects.count()
    client = Client()

    answer = sign_in_through(client, oidc_provider, config, sub)

    assert answer.status_code == 403
    assert "niet bevestigd" in answer.content.decode()
    assert "Registratie gesloten" not in answer.content.decode()
    assert signed_in_user(client) is None
    assert SocialAccount.objects.count() == 0
    assert_untouched(users, p.employee.user)
    [refusal] = sign_in_refusals("email_unverified")
    assert (refusal.organisation_id, refusal.login, refusal.target_id) == (
        p.top.organisation_id, p.employee.user.email, config.pk)


def test_an_address_of_a_domain_not_declared_authoritative_does_not_link(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user,
                       email_domains="lindendaal.be")
    sub = oidc_provider.person({"email": p.employee.user.email, "email_verified": True})
    users = User.objects.count()
    client = Client()

    answer = sign_in_through(client, oidc_provider, config, sub)

    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Koers kan niet bepalen wie van Stad Lindendaal je bent" in page
    assert "Er is geen account gemaakt" in page
    assert signed_in_user(client) is None
    assert_untouched(users, p.employee.user)
    assert [r.organisation_id for r in sign_in_refusals("no_match")] == [
        p.top.organisation_id]


def test_the_refusal_speaks_english_to_an_english_browser(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    sub = oidc_provider.person({"employee_number": "nobody"})

    answer = sign_in_through(Client(HTTP_ACCEPT_LANGUAGE="en"), oidc_provider, config, sub)

    assert answer.status_code == 403
    assert "Koers cannot tell which person of Stad Lindendaal you are" in \
        answer.content.decode()


def test_the_employee_number_of_another_organisation_does_not_link(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    sub = oidc_provider.person({"employee_number": p.outsider.employee_number})

    answer = sign_in_through(Client(), oidc_provider, config, sub)

    assert answer.status_code == 403
    assert SocialAccount.objects.count() == 0


def test_a_switched_off_login_is_not_linked(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    User.objects.filter(pk=p.employee.user.pk).update(is_active=False)
    sub = oidc_provider.person({"employee_number": p.employee.employee_number})

    answer = sign_in_through(Client(), oidc_provider, config, sub)

    assert answer.status_code == 403
    assert SocialAccount.objects.count() == 0
    assert [r.user_id for r in sign_in_refusals("inactive")] == [p.employee.user.pk]


def test_a_person_linked_to_one_identity_is_not_linked_to_a_second(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    first = oidc_provider.person({"employee_number": p.employee.employee_number})
    sign_in_through(Client(), oidc_provider, config, first)
    second = oidc_provider.person({"employee_number": p.employee.employee_number})

    answer = sign_in_through(Client(), oidc_provider, config, second)

    assert answer.status_code == 403
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == [first]
    assert len(sign_in_refusals("linked_elsewhere")) == 1


def test_without_its_secret_the_sign_in_is_not_offered(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas,
        monkeypatch: pytest.MonkeyPatch) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    assert "Aanmelden met Werkgever" in Client().get("/accounts/login/").content.decode()
    monkeypatch.delenv(SECRET_VARIABLE)

    assert "Aanmelden met Werkgever" not in Client().get("/accounts/login/").content.decode()
    assert Client().post(f"/accounts/oidc/{config.provider_id}/login/").status_code == 404


def test_the_secret_may_come_from_a_file(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas,
        monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    secret_file = tmp_path / "secret"  # type: ignore[operator]
    secret_file.write_text("from-a-file\n")
    monkeypatch.delenv(SECRET_VARIABLE)
    monkeypatch.setenv(f"{SECRET_VARIABLE}_FILE", str(secret_file))

    assert sign_in.secret_of(config) == "from-a-file"
    assert [app.secret for app in sign_in.provider_apps()] == ["from-a-file"]


# Passwords --------------------------------------------------------------------------------


def test_a_password_is_refused_where_the_organisation_no_longer_allows_it(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    configure(p.top.organisation, oidc_provider, actor=p.hr.user, passwords_allowed=False)
    client = Client()

    answer = client.post("/accounts/login/", {"login": p.employee.user.email,
                                               "password": "demo"})

    assert answer.status_code == 200
    assert "Je organisatie meldt je aan via Werkgever" in answer.content.decode()
    assert signed_in_user(client) is None
    assert [r.user_id for r in sign_in_refusals("password")] == [p.employee.user.pk]
    # Another organisation's people keep their password.
    assert Client().post("/accounts/login/", {"login": p.outsider.user.email,
                                              "password": "demo"}).status_code == 302


def test_a_wrong_password_says_nothing_of_the_employer_sign_in(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    configure(p.top.organisation, oidc_provider, actor=p.hr.user, passwords_allowed=False)

    answer = Client().post("/accounts/login/", {"login": p.employee.user.email,
                                                 "password": "wrong"})

    assert "meldt je aan via" not in answer.content.decode()
    assert signed_in_user(Client()) is None
    assert sign_in_refusals("password") == []


def test_a_superuser_keeps_the_password_to_repair_a_broken_sign_in(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    configure(p.top.organisation, oidc_provider, actor=p.hr.user, passwords_allowed=False)
    User.objects.filter(pk=p.hr.user.pk).update(is_superuser=True)

    assert sign_in.password_allowed(User.objects.get(pk=p.hr.user.pk))
    assert not sign_in.password_allowed(p.employee.user)


# Two-factor sign-in -----------------------------------------------------------------------


@pytest.mark.parametrize(("declared", "lands_on"), [(True, "/"), (False, "mfa_activate_totp")])
def test_the_providers_second_factor_counts_where_the_organisation_declares_it(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas,
        declared: bool, lands_on: str) -> None:
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user,
                       second_factor=declared)
    Authenticator.objects.filter(user=p.hr.user).delete()  # HR has not set up TOTP
    sub = oidc_provider.person({"employee_number": p.hr.employee_number})
    client = Client()
    sign_in_through(client, oidc_provider, config, sub)

    answer = client.get("/")

    expected = "/" if lands_on == "/" else reverse(lands_on)
    assert (answer.status_code, answer.get("Location", "/")) == (
        200 if declared else 302, expected)


def test_a_password_session_of_the_same_hr_officer_still_needs_totp(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    configure(p.top.organisation, oidc_provider, actor=p.hr.user, second_factor=True)
    Authenticator.objects.filter(user=p.hr.user).delete()
    client = Client()
    client.post("/accounts/login/", {"login": p.hr.user.email, "password": "demo"})

    answer = client.get("/")

    assert answer["Location"] == reverse("mfa_activate_totp")


# Behind the TLS proxy ---------------------------------------------------------------------


@pytest.mark.parametrize(("proxy_header", "scheme"), [(True, "https"), (False, "http")])
def test_the_redirect_uri_is_https_behind_a_proxy_that_says_so(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas, settings: object,
        proxy_header: bool, scheme: str) -> None:
    """The proxy ends TLS and forwards the host and ``X-Forwarded-Proto``
    (docs/operations.md); the settings' ``KOERS_PROXY_SSL_HEADER`` trusts the header."""
    settings.ALLOWED_HOSTS = ["koers.example.be"]  # type: ignore[attr-defined]
    if proxy_header:
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # type: ignore[attr-defined]
    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user)

    start = Client().post(f"/accounts/oidc/{config.provider_id}/login/",
                          headers={"Host": "koers.example.be", "X-Forwarded-Proto": "https"})

    redirect_uri = parse_qs(urlsplit(start["Location"]).query)["redirect_uri"]
    assert redirect_uri == [
        f"{scheme}://koers.example.be/accounts/oidc/{config.provider_id}/login/callback/"]


# The settings -----------------------------------------------------------------------------


def test_the_secret_variable_must_carry_the_prefix(
        oidc_provider: Provider, p: personas.Personas) -> None:
    with pytest.raises(ValidationFailed) as refused:
        configure(p.top.organisation, oidc_provider, actor=p.hr.user,
                  secret_variable="SECRET_KEY")

    assert set(refused.value.errors) == {"secret_variable", "server_url"}
    assert EmployerSignIn.objects.count() == 0


def test_only_https_providers_unless_the_operator_allows_http(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas, settings: object) -> None:
    settings.KOERS_OIDC_ALLOW_HTTP = False  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed) as refused:
        configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    assert list(refused.value.errors) == ["server_url"]

    config = configure(p.top.organisation, oidc_provider, actor=p.hr.user,
                       server_url="https://login.microsoftonline.com/tenant/v2.0")
    assert config.server_url == "https://login.microsoftonline.com/tenant/v2.0"


def test_two_organisations_cannot_share_an_id(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    configure(p.top.organisation, oidc_provider, actor=p.hr.user, provider_id="werkgever")
    other = p.outsider.organisation
    factories.grant(p.outsider, Role.HR, p.outsider.unit)

    with pytest.raises(ValidationFailed) as refused:
        configure(other, oidc_provider, actor=p.outsider.user, provider_id="werkgever")

    assert list(refused.value.errors) == ["provider_id"]


def test_a_change_is_audited_with_what_changed(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    configure(p.top.organisation, oidc_provider, actor=p.hr.user)
    configure(p.top.organisation, oidc_provider, actor=p.hr.user, passwords_allowed=False)

    events = AuditEvent.objects.filter(action="employer_sign_in.changed").order_by("seq")
    assert [sorted(e.changes) for e in events][1] == ["passwords_allowed"]
    assert events[1].changes["passwords_allowed"] == [True, False]


def test_the_log_in_page_lets_its_forms_go_on_to_the_providers_alone(
        oidc_provider: Provider, oidc_secret: str, p: personas.Personas) -> None:
    configure(p.top.organisation, oidc_provider, actor=p.hr.user)

    login = Client().get("/accounts/login/")
    other = Client().get("/accounts/password/reset/")

    assert f"form-action 'self' {oidc_provider.url}" in login["Content-Security-Policy"]
    assert "form-action 'self';" in other["Content-Security-Policy"]
