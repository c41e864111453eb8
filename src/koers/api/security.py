"""The API of the security log: refused requests, for security officers (docs/access.md)."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router

from koers.access import security
from koers.access.models import RefusalKind
from koers.api.lookups import viewer_of
from koers.api.security_schemas import RateOut, RefusalLogOut, RefusalOut

router = Router()
MAX_ROWS = 1000


@router.get("/security/refusals", response=RefusalLogOut, tags=["access"],
            summary="Refused requests, filtered (security officers)")
def security_refusals(request: HttpRequest, kind: RefusalKind | None = None, user: str = "",
                      since: dt.date | None = None, until: dt.date | None = None,
                      limit: int = 200) -> RefusalLogOut:
    """``user`` matches part of the e-mail address; ``since`` and ``until`` are days,
    both included. Anyone but a security officer or a superuser gets 404."""
    viewer = viewer_of(request)
    if not security.can_read_security_log(viewer):
        raise Http404
    filters = security.RefusalFilter(kind=kind or "", user=user.strip(), since=since,
                                     until=until)
    rows = security.refusal_log(viewer, filters)[:max(1, min(limit, MAX_ROWS))]
    return RefusalLogOut(refusals=[RefusalOut.of(r) for r in rows],
                         rates=[RateOut.of(r) for r in security.refusal_rates(viewer, filters)])
