"""The one place the application asks what time it is, so tests can freeze it."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Freeze the clock (tests, simulations). ``moment`` must be timezone-aware."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
