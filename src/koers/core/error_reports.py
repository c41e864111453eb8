"""The optional error hook: unexpected errors reported to Sentry or a server that speaks
its protocol (GlitchTip, Bugsink), when ``KOERS_SENTRY_DSN`` names one.

Koers holds evaluations and personal data, so a report carries what a developer needs
to find the fault and nothing about the person:

- the exception's type and stack (files, functions, lines), without the values of local
  variables;
- the request's method and its path with every text part replaced by its name
  (``/calendar/<token>.ics``), no query string, no body, no cookies, no headers;
- the request id as a tag, which leads to the request's log line (with the user's id);
- the exception's message with e-mail addresses and quoted values blanked (a database
  error quotes the row it refused);
- no breadcrumbs, no user, no IP address, no server-side performance traces.
"""

import re
from typing import Any, cast

import sentry_sdk
from django.conf import settings
from django.urls import Resolver404, resolve
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.transport import Transport
from sentry_sdk.types import Event

from koers.core import logs

REDACTED = "[redacted]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|=\([^)]*\)")


def configure(dsn: str, *, environment: str = "production",
              transport: type[Transport] | Transport | None = None) -> None:
    """Start reporting to ``dsn``; ``transport`` replaces the network (tests)."""
    options: dict[str, Any] = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        # No personal data collected by the integrations (the SDK's default without
        # `data_collection`); `scrub` removes what they gather anyway.
        include_local_variables=False,
        max_breadcrumbs=0,
        traces_sample_rate=0,
        default_integrations=False,
        integrations=[DjangoIntegration(transaction_style="url", middleware_spans=False),
                      # Errors logged at ERROR become reports; nothing becomes a breadcrumb.
                      LoggingIntegration(level=None)],
        before_send=scrub,
        **options,
    )


def configure_from_settings() -> None:
    if settings.KOERS_SENTRY_DSN:
        configure(settings.KOERS_SENTRY_DSN, environment=settings.KOERS_SENTRY_ENVIRONMENT)


def scrub(event: Event, hint: dict[str, Any]) -> Event:
    """What leaves Koers: ``before_send`` of every event."""
    _scrub(cast(dict[str, Any], event))
    return event


def _scrub(event: dict[str, Any]) -> None:
    # What the integrations gathered of the request is dropped whole; the request being
    # served is described by what RequestLogMiddleware noted of it.
    event.pop("request", None)
    if line := logs.request_line.get():
        method, path = line
        event["request"] = {"method": method, "url": safe_path(path)}
    for key in ("user", "breadcrumbs", "extra", "modules"):
        event.pop(key, None)
    event.setdefault("tags", {})
    if request_id := logs.request_id.get():
        event["tags"]["request_id"] = request_id
    for exception in (event.get("exception") or {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = blank(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    if isinstance(event.get("logentry"), dict):
        entry = event["logentry"]
        entry.pop("params", None)
        if isinstance(entry.get("message"), str):
            entry["message"] = blank(entry["message"])
        entry.pop("formatted", None)
    if isinstance(event.get("message"), str):
        event["message"] = blank(event["message"])


def blank(text: str) -> str:
    """``text`` without e-mail addresses and quoted values."""
    return _QUOTED.sub(REDACTED, _EMAIL.sub(REDACTED, text))


def safe_path(path: str) -> str:
    """``path`` with each text part of the URL (a token, a key) replaced by its name;
    numbers, the ids of records, stay. A path no view answers is not repeated."""
    try:
        match = resolve(path)
    except Resolver404:
        return "(not found)"
    return logs.with_names(path, match.kwargs)
