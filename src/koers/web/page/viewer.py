from django.http import HttpRequest

from koers.access.policy import Viewer


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's ``Viewer``, built once per request. Its ``ip`` is the peer's address:
    behind a reverse proxy that is the proxy's, until the proxy's header is trusted."""
    cached: Viewer | None = getattr(request, "_koers_viewer", None)
    if cached is None:
        cached = Viewer.of(request.user,  # type: ignore[arg-type]
                           ip=request.META.get("REMOTE_ADDR", ""))
        request._koers_viewer = cached  # type: ignore[attr-defined]
    return cached
