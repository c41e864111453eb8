from zoneinfo import ZoneInfo

from allauth.account.authentication import get_authentication_records
from django.http import HttpRequest
from django.utils import timezone

from koers.access import security, sign_in
from koers.access.policy import Viewer


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's ``Viewer``, built once per request. Its ``ip`` is the client's
    address (``security.client_ip``: behind trusted proxies, the forwarded one), and
    ``signed_in_through`` the employer sign-in of the session, if any."""
    cached: Viewer | None = getattr(request, "_koers_viewer", None)
    if cached is None:
        cached = Viewer.of(request.user,  # type: ignore[arg-type]
                           ip=security.client_ip(request.META),
                           signed_in_through=sign_in.signed_in_through(
                               get_authentication_records(request, request.user)))
        request._koers_viewer = cached  # type: ignore[attr-defined]
        if cached.person is not None:
            # Every time on the page in the organisation's time zone (no extra query:
            # the viewer's person comes with their organisation). ``LocalTimeMiddleware``
            # sets it back after the response.
            timezone.activate(ZoneInfo(cached.person.organisation.time_zone))
    return cached
