"""The request's ``Viewer`` for the API's operations (the web layer has its own twin:
the two layers do not import each other; both cache it on the same request attribute)."""

from typing import cast

from django.http import HttpRequest

from koers.access.policy import Viewer
from koers.core.models import User


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's ``Viewer``, built once per request."""
    cached: Viewer | None = getattr(request, "_koers_viewer", None)
    if cached is None:
        cached = Viewer.of(cast(User, request.user))
        request._koers_viewer = cached  # type: ignore[attr-defined]
    return cached
