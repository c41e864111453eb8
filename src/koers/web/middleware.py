from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from koers.core import languages


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
      served by the reverse proxy, and left alone here should one reach Django.
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
        add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
