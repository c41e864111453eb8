"""What ``koers scheduler`` enqueues, and how often: each room registers its periodic
tasks here, so the scheduler knows none of them by name.

A room marks a task with ``periodic`` where it defines it; ``periodic_tasks()`` imports
the ``tasks`` and ``reminders`` modules of every installed app first, so the list is
complete in any process. Every periodic task must be idempotent: a restart or a second
scheduler may run it twice in a row. Two runs of one task never overlap: each holds a
database lock while it runs (``core.locks``).

- ``EVERY_ROUND``: each round of the scheduler (reminders, e-mail delivery);
- ``DAILY``: the first round of each day (work that counts in days or years).

``order`` sets the order within a round: e-mail delivery goes last, so what a round's
reminders created is sent in the same round.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.tasks import Task
from django.utils.module_loading import autodiscover_modules

from koers.core.locks import one_at_a_time

DISCOVERED_MODULES = ("tasks", "reminders")


class Every(StrEnum):
    ROUND = "round"
    DAY = "day"


@dataclass(frozen=True)
class Periodic:
    name: str  # what the scheduler's output calls it
    task: Task[Any, Any]
    every: Every
    order: int


_PERIODIC: dict[str, Periodic] = {}


def periodic[T: Task[Any, Any]](name: str, *, every: Every,
                                order: int = 50) -> Callable[[T], T]:
    """Register ``task`` (a ``django.tasks`` task taking no arguments) for the scheduler.

    The task returned runs one at a time (``core.locks``): a run that finds another run
    of it under way, from a second scheduler or a slow round, returns at once. Its
    function keeps its module and name, so the workers find it where it is defined.
    """

    def wrap(task: T) -> T:
        existing = _PERIODIC.get(name)
        if existing is not None and existing.task.name != task.name:
            raise ValueError(f"periodic task {name!r} is registered twice")
        locked = dataclasses.replace(task, func=one_at_a_time(f"periodic:{name}")(task.func))
        _PERIODIC[name] = Periodic(name, locked, every, order)
        return locked

    return wrap


def periodic_tasks(every: Every) -> list[Periodic]:
    autodiscover_modules(*DISCOVERED_MODULES)
    return sorted((p for p in _PERIODIC.values() if p.every == every),
                  key=lambda p: (p.order, p.name))
