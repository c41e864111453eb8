"""The admin has no sign-in of its own: /admin/login/ leads to the login page everyone
uses, with its two-factor step and its rate limits; a password posted to the admin's old
form signs nobody in."""

import pytest
from django.urls import reverse

from koers.core.models import User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-admin-password"


@pytest.fixture
def admin_user() -> User:
    return factories.superuser(email="admin@example.test", password=PASSWORD)


def test_the_admin_sends_an_anonymous_visitor_to_the_one_login_page(client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


def test_a_password_posted_to_the_admin_form_signs_nobody_in(client, admin_user) -> None:
    response = client.post("/admin/login/?next=/admin/",
                           {"username": admin_user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_signed_in_through_the_login_page_the_superuser_goes_on_to_the_admin(
        client, admin_user) -> None:
    client.force_login(admin_user)

    response = client.get("/admin/login/?next=/admin/koers_core/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/koers_core/"
    assert client.get("/admin/").status_code == 200


def test_a_next_address_elsewhere_is_ignored(client, admin_user) -> None:
    client.force_login(admin_user)

    response = client.get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == reverse("admin:index")


def test_a_signed_in_user_without_staff_rights_gets_404(client) -> None:
    user = User.objects.create_user(email="someone@example.test", password=PASSWORD)
    client.force_login(user)

    assert client.get("/admin/login/").status_code == 404
