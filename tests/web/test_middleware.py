"""Headers every page gets from the project's middleware: its language, not stored by
any cache, no powerful browser features, the strict Content Security Policy."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from koers.web.middleware import PrivateResponseMiddleware
from tests import personas
from tests.factories import renderings


@pytest.mark.django_db
def test_the_content_language_header_is_a_plain_string(client):
    """WSGI servers refuse header values that are not exactly ``str``; a language enum
    member would pass Django's own checks and then fail every request."""
    response = client.get(reverse("account_login"))

    assert response.headers["Content-Language"] == "nl"
    assert type(response.headers["Content-Language"]) is str


# Not stored, signed in or not ---------------------------------------------------------------


@pytest.fixture
def p():
    return personas.build()


def not_stored(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "my_data", "notifications", "calendar_settings"])
def test_a_page_of_a_signed_in_user_is_not_stored(client, p, name):
    client.force_login(p.employee.user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert not_stored(response)
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["my_data_pdf", "my_data_json"])
def test_a_personal_export_is_not_stored(client, p, name):
    client.force_login(p.employee.user)

    response = renderings.download(client, reverse(name)) if name == "my_data_pdf" \
        else client.get(reverse(name))

    assert response.status_code == 200
    assert not_stored(response)


@pytest.mark.django_db
def test_an_api_answer_is_not_stored(client, p):
    client.force_login(p.employee.user)

    response = client.get(f"/api/v1/people/{p.employee.pk}")

    assert response.status_code == 200
    assert not_stored(response)


@pytest.mark.django_db
def test_a_refusal_and_a_redirect_are_not_stored_either(client, p):
    client.force_login(p.employee.user)

    assert not_stored(client.get(reverse("evaluation_detail", args=[10**9])))  # 404
    assert not_stored(client.post(reverse("calendar_renew")))  # 302


@pytest.mark.django_db
def test_the_anonymous_log_in_page_is_not_stored(client):
    """The decision: nothing Koers renders is stored, signed in or not. The log-in page
    carries the visitor's own CSRF token, and Koers has no public page worth caching."""
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert not_stored(response)


@pytest.mark.django_db
def test_the_calendar_feed_without_sign_in_is_not_stored(client, p):
    """Personal content answered to a token, not to a session."""
    client.force_login(p.employee.user)
    client.post(reverse("calendar_make"))
    client.logout()

    response = client.get(reverse("calendar_feed", args=[p.employee.user.calendar_feed.token]))

    assert response.status_code == 200
    assert not_stored(response)


def test_a_static_file_keeps_its_own_caching(rf):
    """The same for everyone: the middleware leaves a file under STATIC_URL alone."""
    def serve(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("body { }", content_type="text/css")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    middleware = PrivateResponseMiddleware(serve)

    static = middleware(rf.get("/static/koers/koers.css"))
    page = middleware(rf.get("/staticky/"))

    assert static.headers["Cache-Control"] == "public, max-age=3600"
    assert "Permissions-Policy" not in static.headers
    assert not_stored(page)


# Permissions-Policy and the Content Security Policy ------------------------------------------


DENIED = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()",
          "serial=()", "hid=()", "display-capture=()"]


def permissions(response) -> list[str]:
    return [part.strip() for part in response.headers["Permissions-Policy"].split(",")]


@pytest.mark.django_db
def test_every_response_denies_the_powerful_browser_features(client, p):
    anonymous = client.get(reverse("account_login"))
    client.force_login(p.employee.user)
    page = client.get(reverse("home"))
    api = client.get(f"/api/v1/people/{p.employee.pk}")

    for response in (anonymous, page, api):
        policy = permissions(response)
        assert set(DENIED) <= set(policy)
        assert all(part.endswith("=()") for part in policy), policy


@pytest.mark.django_db
def test_the_strict_content_security_policy_is_on_signed_in_pages_and_the_api(client, p):
    client.force_login(p.employee.user)

    for response in (client.get(reverse("home")), client.get(reverse("my_data")),
                     client.get(f"/api/v1/people/{p.employee.pk}")):
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
