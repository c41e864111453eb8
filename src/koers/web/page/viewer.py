from django.http import HttpRequest

from koers.access import security
from koers.access.policy import Viewer


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's ``Viewer``, built once per request. Its ``ip`` is the client's
    address (``security.client_ip``: behind trusted proxies, the forwarded one)."""
    cached: Viewer | None = getattr(request, "_koers_viewer", None)
    if cached is None:
        cached = Viewer.of(request.user,  # type: ignore[arg-type]
                           ip=security.client_ip(request.META))
        request._koers_viewer = cached  # type: ignore[attr-defined]
    return cached
