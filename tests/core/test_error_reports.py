"""The optional error hook (KOERS_SENTRY_DSN): a report of an unexpected error carries
the fault, never the person: no name, e-mail address, token, query, body or cookie."""

import json
import secrets

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from koers.conversations import selectors, services
from koers.core import error_reports
from tests import personas


class Captured(Transport):
    """A transport that keeps what would have been sent."""

    events: list[dict] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        for item in envelope.items:
            if item.type == "event" and item.payload.json is not None:
                Captured.events.append(json.loads(json.dumps(item.payload.json)))


@pytest.fixture
def reported():
    Captured.events = []
    error_reports.configure("https://public@errors.example.org/1", environment="test",
                            transport=Captured)
    yield Captured.events
    sentry_sdk.get_client().close()
    sentry_sdk.init()


@pytest.mark.django_db
def test_an_unexpected_error_is_reported_without_anything_about_the_person(reported,
                                                                           monkeypatch):
    p = personas.build()
    user = p.employee.user
    feed = services.calendar_feed_make(user=user)[0]
    name, email = p.employee.full_name, user.email

    def broken(owner):
        secret_of_the_person = f"{name} <{email}>"  # a local variable: never sent
        raise ValueError(f"no calendar for '{name}' ({email}); "
                         f"Key (email)=({email}) already exists {len(secret_of_the_person)}")

    monkeypatch.setattr(selectors, "feed_conversations", broken)
    client = Client(raise_request_exception=False, HTTP_X_REQUEST_ID="req-42")
    cookie = secrets.token_hex(16)  # not in this file's source, which a report quotes
    client.cookies["sessionid"] = cookie

    response = client.get(f"/calendar/{feed.token}.ics?name={name}")

    assert response.status_code == 500
    [event] = reported
    sent = json.dumps(event)
    for secret in (name, p.employee.first_name, p.employee.last_name, email, feed.token,
                   cookie):
        assert secret not in sent
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert exception["value"] == ("no calendar for [redacted] ([redacted]); "
                                  f"Key (email)[redacted] already exists {len(name + email) + 3}")
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])
    assert any(frame["function"] == "broken" for frame in exception["stacktrace"]["frames"])
    assert event["request"] == {"method": "GET", "url": "/calendar/<token>.ics"}
    assert event["tags"]["request_id"] == "req-42"
    assert "user" not in event
    assert "breadcrumbs" not in event or not event["breadcrumbs"].get("values")


@pytest.mark.parametrize(("dsn", "configured"), [
    ("", []), ("https://public@errors.example.org/1", [("https://public@errors.example.org/1",
                                                         "acceptance")])])
def test_errors_are_reported_only_where_a_dsn_is_configured(settings, monkeypatch, dsn,
                                                            configured):
    settings.KOERS_SENTRY_DSN = dsn
    settings.KOERS_SENTRY_ENVIRONMENT = "acceptance"
    calls = []
    monkeypatch.setattr(error_reports, "configure",
                        lambda dsn, environment: calls.append((dsn, environment)))
    error_reports.configure_from_settings()
    assert calls == configured


@pytest.mark.parametrize(("text", "blanked"), [
    ("duplicate key value violates unique constraint\nDETAIL: Key (email)=(an@example.org)",
     "duplicate key value violates unique constraint\nDETAIL: Key (email)[redacted]"),
    ("Person 'Marc Peeters' has no unit", "Person [redacted] has no unit"),
    ('cannot sign "Sara"', "cannot sign [redacted]"),
    ("mail to marc.peeters+hr@stad.example.be failed", "mail to [redacted] failed"),
    ("Evaluation matching query does not exist.", "Evaluation matching query does not exist."),
])
def test_quoted_values_and_addresses_are_blanked(text, blanked):
    assert error_reports.blank(text) == blanked
