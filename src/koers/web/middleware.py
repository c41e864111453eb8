from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

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
