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


# The organisation's stylesheet and logo: the same for everyone of it, no personal data,
# linked under an address that changes with them, so browsers keep them (privately).
CACHEABLE = frozenset({"organisation_theme", "organisation_logo"})
CACHED = "private, max-age=31536000, immutable"


def missing(headers: Mapping[str, str], *, cacheable: bool = False) -> list[str]:
    """The required headers absent from ``headers`` or without their expected part; a
    ``cacheable`` answer that was refused is not stored either, and one that was given
    is kept by the browser only."""
    required = dict(REQUIRED)
    if cacheable and "no-store" not in headers.get("Cache-Control", ""):
        required["Cache-Control"] = CACHED
    return [name for name, part in required.items() if part not in headers.get(name, "")]
