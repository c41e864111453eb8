"""Log in with e-mail and password; TOTP can be switched on per user; nobody signs up."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from koers.notify import outbox
from koers.notify.models import EmailKind, OutgoingEmail
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_login_with_email_and_password_lands_on_home(client, p):
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="login"' in page
    assert 'class="utrecht-textbox' in page
    response = client.post(
        reverse("account_login"), {"login": p.employee.user.email, "password": "demo"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_password_is_refused_with_a_message(client, p):
    response = client.post(
        reverse("account_login"), {"login": p.employee.user.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_nobody_can_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()


def test_a_user_can_switch_on_two_factor_authentication(client, p):
    client.post(reverse("account_login"), {"login": p.employee.user.email, "password": "demo"})
    # Switching on a second factor asks for the password once more.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": "demo"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_with_totp_switched_on_the_password_alone_does_not_log_in(client, p):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(p.employee.user, generate_totp_secret())
    assert Authenticator.objects.filter(user=p.employee.user).exists()
    response = client.post(
        reverse("account_login"), {"login": p.employee.user.email, "password": "demo"}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_pages_carry_a_strict_content_security_policy(client, p):
    response = client.get(reverse("account_login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_a_password_reset_goes_through_the_outbox(client, p, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notify.test_services.FailingBackend"}}
    response = client.post(reverse("account_reset_password"),
                           {"email": p.employee.user.email})
    assert response.status_code == 302  # the relay is down, the page does not fail
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.to, email.recipient) == (
        EmailKind.ACCOUNT, [p.employee.user.email], p.employee.user)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    outbox.deliver_outbox()
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == email.message_id
    assert "/accounts/password/reset/key/" in message.body
