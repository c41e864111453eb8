from django.http import HttpRequest

from koers.access.policy import Viewer


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's ``Viewer``, built once per request."""
    cached: Viewer | None = getattr(request, "_koers_viewer", None)
    if cached is None:
        cached = Viewer.of(request.user)  # type: ignore[arg-type]
        request._koers_viewer = cached  # type: ignore[attr-defined]
    return cached
