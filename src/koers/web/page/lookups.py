"""Lookups every page family uses: the object the viewer may see, or the 404 that hides it."""

from django.http import Http404, HttpRequest

from koers.access import policy
from koers.organisation.models import Person, Unit
from koers.web.page.viewer import viewer_of


def whole_number(text: str | None, *, digits: int = 18) -> int | None:
    """A whole number typed in a query string or a form field, or ``None``: only ASCII
    digits (``"²"`` or ``"٣"`` pass ``isdigit`` but ``int`` refuses them or reads them
    otherwise) and at most ``digits`` of them, so it fits a database id."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > digits:
        return None
    return int(text)


def person_or_404(request: HttpRequest, pk: int) -> Person:
    person = policy.person_for(viewer_of(request), pk)
    if person is None:
        raise Http404
    return person


def unit_or_404(request: HttpRequest, pk: int) -> Unit:
    unit = policy.unit_for(viewer_of(request), pk)
    if unit is None:
        raise Http404
    return unit
