import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty
from django_htmx.http import HttpResponseClientRedirect

from koers.access import mfa, sign_in
from koers.core import languages, logs, metrics
from koers.web.page.viewer import viewer_of

request_logger = logging.getLogger("koers.request")
# An id the reverse proxy gave the request is kept when it looks like one.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestLogMiddleware:
    """One log line per request: its id, the user's id, the method, the path, the
    status and the duration in milliseconds. The id comes from the proxy's
    ``X-Request-ID`` when it sends a sane one, else a new one, and goes back in the
    response's ``X-Request-ID``; every other line logged while serving it carries it.

    Never a name or content: the user by id only, no query string (filters hold names
    and addresses), and the path with every text part of the URL replaced by its name
    (the calendar feed's token and a password-reset key are credentials); numbers,
    the ids of records, stay.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = logs.request_id.set(request_id)
        line = logs.request_line.set((str(request.method), request.path))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = request_id
            seconds = time.monotonic() - started
            metrics.observe_request(_view(request), str(request.method), response.status_code,
                                    seconds)
            request_logger.info(
                "%s %s %s", request.method, _path(request), response.status_code, extra={
                    "user_id": _user_id(request),
                    "method": request.method, "path": _path(request),
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                })
            return response
        finally:
            logs.request_id.reset(token)
            logs.request_line.reset(line)


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request looked the user up (never a query here:
    a page that did not need the user is not made to load it for the log)."""
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


def _view(request: HttpRequest) -> str:
    """The view's URL name for the metrics: a bounded set of labels, never an id."""
    match = request.resolver_match
    if match is None:
        return "(not found)"
    return match.view_name or "(unnamed)"


def _path(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return "(not found)" if request.path != "/" else "/"
    return logs.with_names(request.path, match.kwargs)


class UserLanguageMiddleware:
    """A signed-in user's language is their saved choice, on every device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = getattr(user, "language", None)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", languages.active().value)
        return response


class LocalTimeMiddleware:
    """Times are shown in the organisation's time zone, which ``viewer_of`` activates
    once it knows the person; this puts the server's zone back after each response, so
    that no request inherits another's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PrivateResponseMiddleware:
    """What every response of Koers tells browsers and caches, besides the headers of
    Django's security and CSP middleware:

    - **Not stored** (``Cache-Control: no-store``, with Django's other never-cache
      headers): pages, PDFs, exports and API answers hold someone's personal data, and a
      shared or a browser cache would hand them to the next user of the machine or the
      proxy. The rule is every response, signed in or not: the few answered without
      sign-in are personal too (the private calendar feed, keyed by its token) or carry
      the visitor's own CSRF token (the log-in and password pages), and Koers has no
      public page worth caching. Static files are the exception: the same for everyone,
      served by the reverse proxy, and left alone here should one reach Django; so are
      the organisation's stylesheet and logo (``web/organisation/look.py``).
    - **No powerful browser features** (``Permissions-Policy``, from
      ``KOERS_PERMISSIONS_POLICY``): Koers uses no camera, microphone, location,
      payment, USB or the like, so every page denies them to itself and whatever it
      might embed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_url = str(settings.STATIC_URL or "")
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.KOERS_PERMISSIONS_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.static_url and request.path.startswith(self.static_url):
            return response
        # The organisation's stylesheet and logo: the same for all its people, no personal
        # data, under an address that changes with them (web/organisation/look.py).
        if not getattr(response, "koers_cacheable", False):
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


# What a user who must still set up two-factor sign-in may reach: allauth's two-factor
# pages (set-up, recovery codes), the password check that the set-up asks for when the
# sign-in is not recent, signing out and the language switch.
MFA_SET_UP_URL_NAMES = frozenset({"account_logout", "account_reauthenticate", "language"})


class MfaRequiredMiddleware:
    """The pages' gate of the two-factor rule (``access.mfa``): a signed-in user who must
    sign in with a second factor and has none yet is sent to the TOTP set-up, with a
    message that says why, from every page (the admin's included). The API answers for
    itself (``api.auth``): a script gets problem details, not a redirect.

    The rule reads the request's ``Viewer``, which the page then reuses: the check costs
    no query of its own (``access.mfa``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_url = str(settings.STATIC_URL or "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any],
                     view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or "api" in match.namespaces:
            return None
        name = match.url_name or ""
        if name.startswith("mfa_") or name in MFA_SET_UP_URL_NAMES:
            return None
        if self.static_url and request.path.startswith(self.static_url):
            return None
        if not mfa.mfa_missing(viewer_of(request)):
            return None
        messages.warning(request, mfa.why())
        set_up = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(set_up)
        return HttpResponseRedirect(set_up)


class SignInFormActionMiddleware:
    """The log-in pages let their forms go on to the organisations' identity providers
    (``access.sign_in.provider_origins``): the button posts to Koers, which redirects to
    the provider, and the browser holds that redirect to the page's ``form-action``. Every
    other page keeps ``form-action 'self'``. It sits inside Django's CSP middleware, which
    writes the header from the configuration set here."""

    URL_NAMES = frozenset({"account_login", "openid_connect_login"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and match.url_name in self.URL_NAMES:
            origins = sign_in.provider_origins()
            if origins:
                config: dict[str, Any] = dict(settings.SECURE_CSP)
                config["form-action"] = [*config.get("form-action", []), *origins]
                response._csp_config = config  # type: ignore[attr-defined]
        return response
