"""The employer sign-in through the API: the same service and checks as the page."""

import json

import pytest

from koers.access.models import EmployerSignIn
from tests.oidc import SECRET_VARIABLE

pytestmark = pytest.mark.django_db


def url(p) -> str:
    return f"/api/v1/organisations/{p.top.organisation_id}/sign-in"


BODY = {"provider_id": "lindendaal", "name": "Stad Lindendaal",
        "server_url": "https://auth.vlaanderen.be/op", "client_id": "koers-lindendaal",
        "secret_variable": SECRET_VARIABLE, "employee_number_claim": "vo_id",
        "passwords_allowed": False, "second_factor": True}


def test_hr_reads_the_redirect_uri_before_anything_is_saved(client, p) -> None:
    client.force_login(p.hr.user)

    data = client.get(url(p)).json()

    assert (data["configured"], data["provider_id"], data["secret_set"]) == (
        False, p.top.organisation.slug, False)
    assert data["redirect_uri"] == \
        f"http://testserver/accounts/oidc/{p.top.organisation.slug}/login/callback/"
    assert data["scopes"] == ["openid", "profile", "email"]


def test_hr_saves_it_and_the_redirect_uri_is_https_behind_the_proxy(
        client, p, settings, monkeypatch) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv(SECRET_VARIABLE, "never-shown")
    client.force_login(p.hr.user)

    answer = client.put(url(p), json.dumps(BODY), content_type="application/json",
                        headers={"X-Forwarded-Proto": "https"})

    data = answer.json()
    assert answer.status_code == 200
    assert (data["configured"], data["secret_set"], data["passwords_allowed"],
            data["second_factor"], data["subject_claim"]) == (True, True, False, True, "sub")
    assert data["redirect_uri"].startswith("https://")
    assert "never-shown" not in answer.content.decode()
    assert EmployerSignIn.objects.get().employee_number_claim == "vo_id"


def test_a_refused_value_is_a_422_with_the_field_and_changes_nothing(client, p) -> None:
    client.force_login(p.hr.user)

    answer = client.put(url(p), json.dumps({**BODY, "secret_variable": "SECRET_KEY"}),
                        content_type="application/json")

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["secret_variable"]
    assert EmployerSignIn.objects.count() == 0


@pytest.mark.parametrize("who", ["employee", "team_hr", "outsider"])
def test_others_get_404(client, p, who: str) -> None:
    client.force_login(getattr(p, who).user)

    assert client.get(url(p)).status_code == 404
    assert client.put(url(p), json.dumps(BODY),
                      content_type="application/json").status_code == 404
