"""Who calls the API: a personal token (``Authorization: Bearer koers_…``) or the
signed-in session of the browser (docs/integrations.md).

The token is tried first. A request that sends one (``Bearer``) is answered on the token
alone: a bad token is a 401 even when a session cookie came along, and a good one needs no CSRF
token (the CSRF check guards the cookie the browser adds by itself; a script sends the
header on purpose). Without a token, the session is asked, and its writes need the
CSRF token as in the browser. What a token may do is decided in ``access/tokens.py``.

Both ask the two-factor rule (``access.mfa``) once the caller is known: a user who must
sign in with a second factor and has not set it up gets 403 ``mfa_required``, through
the session and through any token they made before, until they set it up.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from koers.access import mfa, security, tokens
from koers.access.models import ApiToken
from koers.api.lookups import viewer_of


class CsrfRefused(Exception):
    """A write through the session without the CSRF token (403)."""


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        scheme, _space, value = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            # No token; another scheme is left alone too: a browser behind a proxy that
            # asks for Basic credentials sends them with every request, session or not.
            return None
        return self.authenticate(request, value)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = tokens.token_authenticate(presented=token, ip=security.client_ip(request.META),
                                          method=request.method or "GET")
        # The token's user is the request's user: the lookups build the viewer from it,
        # and the answers speak their language.
        request.user = found.user
        if found.user.language:
            translation.activate(found.user.language)
            request.LANGUAGE_CODE = found.user.language
        mfa.mfa_check(viewer_of(request), token=found)
        return found


class SessionAuthWithCsrf(SessionAuth):
    """Django's session; a write without the CSRF token is a ``CsrfRefused``."""

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError as error:
            raise CsrfRefused from error

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user:
            mfa.mfa_check(viewer_of(request))
        return user


token_auth = TokenAuth()
session_auth = SessionAuthWithCsrf()
