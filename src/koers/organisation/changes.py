"""Who follows a change of the organisation's facts: the subscription point.

Rooms above ``organisation`` compute things from its facts (``cycles`` computes each
person's participation in the running cycles from their employment and hours), but
``organisation`` may not import them. So the services here announce what changed, and
a room that follows subscribes once at start-up in its ``AppConfig.ready``
(``CyclesConfig.ready``). No signals and nothing in ``save()``: each service that
changes such a fact calls the announcement itself, in the place its checklist says.

- ``person_changed``: one person's employment facts or hours worked changed
  (``person_save``, ``effective_work_record``), inside the service's transaction, so
  the followers' writes commit or roll back with the change.
- ``organisation_changed``: facts of many people changed at once (an applied import of
  people, hours or absences, ``importing.import_batch_run``), after the import's
  transaction, so that the followers may work in batches of their own.
- ``lines_changed``: the evaluator line of some people may have changed (a person moved
  to another unit, a unit got another manager or moved, an evaluator override started
  or ended: ``person_save``, ``unit_update``, ``evaluator_override_create`` and
  ``_end``), inside the service's transaction, so that whoever stored the evaluators
  of the day (``evaluations``) re-points them in the same commit.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

from django.db.models import QuerySet

from koers.core.models import User
from koers.organisation.models import Organisation, Person


class PersonFollower(Protocol):
    def __call__(self, *, person: Person, actor: User | None) -> None: ...


class OrganisationFollower(Protocol):
    def __call__(self, *, organisation: Organisation, actor: User | None) -> None: ...


class LineFollower(Protocol):
    def __call__(self, *, people: QuerySet[Person], actor: User | None) -> object: ...


_person_followers: list[PersonFollower] = []
_line_followers: list[LineFollower] = []
_organisation_followers: list[OrganisationFollower] = []
# Per thread and task, so a block in one request or test never silences another.
_silenced: ContextVar[bool] = ContextVar("organisation_changes_silenced", default=False)


def on_person_changed(follower: PersonFollower) -> None:
    """Call ``follower`` whenever a person's facts change (once, however often asked)."""
    if follower not in _person_followers:
        _person_followers.append(follower)


def on_organisation_changed(follower: OrganisationFollower) -> None:
    """Call ``follower`` whenever many people's facts change at once."""
    if follower not in _organisation_followers:
        _organisation_followers.append(follower)


def on_lines_changed(follower: LineFollower) -> None:
    """Call ``follower`` whenever the evaluator line of some people may have changed."""
    if follower not in _line_followers:
        _line_followers.append(follower)


def lines_changed(*, people: QuerySet[Person], actor: User | None) -> None:
    """The evaluator lines of ``people`` (a queryset, evaluated by the followers) may
    have changed today."""
    if _silenced.get():
        return
    for follower in _line_followers:
        follower(people=people, actor=actor)


def person_changed(*, person: Person, actor: User | None) -> None:
    if _silenced.get():
        return
    for follower in _person_followers:
        follower(person=person, actor=actor)


def organisation_changed(*, organisation: Organisation, actor: User | None) -> None:
    if _silenced.get():
        return
    for follower in _organisation_followers:
        follower(organisation=organisation, actor=actor)


@contextmanager
def unannounced() -> Iterator[None]:
    """Announce nothing changed inside the block (in this thread only).

    For arranging by hand what the followers would compute: test fixtures that build
    people through the services and then set their participations themselves.
    """
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)
