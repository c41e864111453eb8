"""One run at a time of a periodic task, across every worker and scheduler.

``exclusive(name)`` holds a database lock while a periodic task runs: a second run of
the same task, started by a second scheduler or a slow round, finds it taken and
returns at once. The tasks are idempotent anyway; the lock spares the duplicate work
and closes the window in which two runs could both find the same thing still to do.

- PostgreSQL: ``pg_try_advisory_lock`` on a key made of the database's name and the
  task's name, held by the worker's session; a worker that dies closes its connection
  and the server releases the lock with it.
- SQLite (one machine): a row of ``core.TaskLock`` whose primary key is the name; the
  database lets one insert win. A holder that dies leaves the row until ``expires_at``
  (``LOCK_TTL`` after it was taken), then the next run takes it over.
"""

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from koers.core.models import TaskLock

# Longer than any periodic task runs (the retention of a 100,000-person organisation
# takes minutes); only a holder that died waits this long to be replaced.
LOCK_TTL = dt.timedelta(hours=2)


def _advisory_key(name: str) -> int:
    """A signed 64-bit key: locks are per server, so the database's name is in it."""
    text = f"{connection.settings_dict['NAME']}:koers:{name}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


@contextmanager
def exclusive(name: str) -> Iterator[bool]:
    """Try to take the lock ``name``; yields whether this run holds it, releases it after."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            held = bool(cursor.fetchone()[0])
        try:
            yield held
        finally:
            if held:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    holder = uuid.uuid4().hex
    now = timezone.now()  # the real time, not the clock tests freeze: expiry is real
    try:
        with transaction.atomic():
            TaskLock.objects.filter(name=name, expires_at__lt=now).delete()
            TaskLock.objects.create(name=name, holder=holder, expires_at=now + LOCK_TTL)
        held = True
    except IntegrityError:
        held = False
    try:
        yield held
    finally:
        if held:
            TaskLock.objects.filter(name=name, holder=holder).delete()


SKIPPED = {"skipped": "another run of this task holds its lock"}


def one_at_a_time[**P](name: str) -> Callable[[Callable[P, Any]], Callable[P, Any]]:
    """Run the function under ``exclusive(name)``; a run that finds the lock taken does
    nothing and returns ``SKIPPED``."""

    def decorate(function: Callable[P, Any]) -> Callable[P, Any]:
        @wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> Any:
            with exclusive(name) as held:
                if not held:
                    return dict(SKIPPED)
                return function(*args, **kwargs)

        run.koers_lock = name  # type: ignore[attr-defined]
        return run

    return decorate
