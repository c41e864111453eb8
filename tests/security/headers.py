"""The headers every response of Koers carries (``config/settings.py``: the security and
CSP middleware; ``web/middleware.py``: not stored, no powerful browser features), as one
check the authorization matrix runs on each of its answers and ``test_headers`` on the
routes the matrix leaves out."""

from collections.abc import Mapping

REQUIRED = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def missing(headers: Mapping[str, str]) -> list[str]:
    """The required headers absent from ``headers`` or without their expected part."""
    return [name for name, part in REQUIRED.items() if part not in headers.get(name, "")]
