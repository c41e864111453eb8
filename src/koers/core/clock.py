"""The one place the application asks what time it is, so tests can freeze it."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def today_in(time_zone: str) -> dt.date:
    """Today in a named time zone (an organisation's), not the server's."""
    return now().astimezone(ZoneInfo(time_zone)).date()


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Freeze the clock (tests, simulations). ``moment`` must be timezone-aware."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
