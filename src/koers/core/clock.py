"""The one place the application asks what time it is, so tests can freeze it."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol
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


class HasTimeZone(Protocol):
    """Anything placed in a time zone, such as an organisation (core cannot import it)."""

    @property
    def time_zone(self) -> str: ...


def today_for(place: HasTimeZone | str) -> dt.date:
    """Today where ``place`` is (an organisation's Brussels or Amsterdam), not the server's.

    ``place`` is a time zone name or anything with a ``time_zone``.
    """
    return today_in(place if isinstance(place, str) else place.time_zone)


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Freeze the clock (tests, simulations). ``moment`` must be timezone-aware."""
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous
