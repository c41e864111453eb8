"""Who evaluates whom: 1st and 2nd evaluator derived from the unit tree, with overrides.

The derived line of a person walks up the tree from the person's own unit and lists
the managers it meets, skipping units without a manager and the person themself:
the first is the 1st evaluator (the direct manager), the next one the 2nd (the
manager's manager). An active ``EvaluatorOverride`` replaces either; when only the
1st is overridden (an acting team member in a team without a manager), the 2nd is
the first manager of the derived line who is not that acting evaluator. When two
overrides of one person overlap (old data: the service refuses it), the latest start
wins.

Two ways to the same answer:

- ``derived_lines`` derives it from the tree and the overrides (the definition, read
  by ``check_lines``);
- the read model ``EvaluatorLinePeriod`` stores it per person and period, written by
  ``refresh_lines`` from every service that changes a fact of the line, in that
  service's transaction. Every question asked while a page or an API operation
  answers (``evaluator_lines``, ``team_member_ids``, ``second_line_member_ids``)
  reads the read model through an index, so its cost depends on the size of the
  answer, not of the organisation.

The periods break on the days an override starts or ends, so the read model is right
on every day, past and future, for the tree as it stands: a move or a new manager
rewrites the periods of the people it concerns (who evaluated whom before a move is
kept on the evaluations themselves and in the audit trail).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import batched, pairwise

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from koers.organisation.models import (
    EvaluatorLinePeriod,
    EvaluatorOverride,
    Organisation,
    Person,
    Unit,
    path_ids,
)

EVER, NEVER = EvaluatorLinePeriod.EVER, EvaluatorLinePeriod.NEVER
# People per round of ``refresh_lines`` and ``check_lines``: a few queries each.
BATCH = 2000


@dataclass(frozen=True)
class EvaluatorLine:
    first: Person | None
    second: Person | None
    first_is_override: bool = False
    second_is_override: bool = False


def active_overrides(on: dt.date) -> QuerySet[EvaluatorOverride]:
    return EvaluatorOverride.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on), valid_from__lte=on
    )


# --- the definition ------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideFacts:
    pk: int
    first_id: int | None
    second_id: int | None
    valid_from: dt.date
    valid_until: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


# (first id, second id, first is override, second is override)
_Ids = tuple[int | None, int | None, bool, bool]


def _line_ids(person_id: int, path: str, managers: Mapping[int, int | None],
              overrides: Sequence[OverrideFacts], day: dt.date) -> _Ids:
    """The line of one person on ``day``, from the managers up the path and the overrides
    (ordered by start, then id: the latest start wins)."""
    derived: list[int] = []
    for unit_id in reversed(path_ids(path)):
        manager_id = managers.get(unit_id)
        if manager_id is None or manager_id == person_id:
            continue
        if derived and derived[-1] == manager_id:
            continue
        derived.append(manager_id)
        if len(derived) == 2:
            break
    first_override = second_override = None
    for override in overrides:
        if override.active_on(day):
            first_override = override.first_id or first_override
            second_override = override.second_id or second_override
    first = first_override or (derived[0] if derived else None)
    second = second_override or next((m for m in derived if m != first), None)
    return first, second, first_override is not None, second_override is not None


def derived_lines(people: Sequence[Person], *, on: dt.date) -> dict[int, EvaluatorLine]:
    """The evaluators of each person on ``on``, derived from the tree and the overrides
    in three queries. ``people`` must have ``unit`` loaded (``select_related("unit")``)."""
    if not people:
        return {}
    unit_ids = {unit_id for person in people for unit_id in path_ids(person.unit.path)}
    managers = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "manager_id"))
    overrides = _overrides_of([person.pk for person in people])
    ids = {
        person.pk: _line_ids(person.pk, person.unit.path, managers,
                             overrides.get(person.pk, ()), on)
        for person in people
    }
    named = {pk for first, second, *_ in ids.values() for pk in (first, second) if pk}
    evaluators = Person.objects.in_bulk(named)
    return {
        pk: EvaluatorLine(evaluators.get(first) if first else None,
                          evaluators.get(second) if second else None, first_o, second_o)
        for pk, (first, second, first_o, second_o) in ids.items()
    }


def _overrides_of(person_ids: Iterable[int]) -> dict[int, list[OverrideFacts]]:
    result: dict[int, list[OverrideFacts]] = defaultdict(list)
    for pk, person_id, first_id, second_id, valid_from, valid_until in (
        EvaluatorOverride.objects.filter(person__in=list(person_ids))
        .order_by("valid_from", "pk")
        .values_list("pk", "person_id", "first_evaluator_id", "second_evaluator_id",
                     "valid_from", "valid_until")
    ):
        result[person_id].append(OverrideFacts(pk, first_id, second_id, valid_from, valid_until))
    return result


def _boundaries(overrides: Sequence[OverrideFacts]) -> list[dt.date]:
    """The days on which an override starts or stops applying."""
    days = set()
    for override in overrides:
        days.add(override.valid_from)
        if override.valid_until is not None and override.valid_until < NEVER:
            days.add(override.valid_until + dt.timedelta(days=1))
    return sorted(day for day in days if day > EVER)


# --- the read model --------------------------------------------------------------------

# (valid from, valid until, line)
LinePeriod = tuple[dt.date, dt.date, _Ids]


def line_periods(person_id: int, path: str, managers: Mapping[int, int | None],
             overrides: Sequence[OverrideFacts]) -> list[LinePeriod]:
    """The periods of one person from ``EVER`` to ``NEVER``, merged where equal."""
    starts = [EVER, *_boundaries(overrides)]
    periods: list[LinePeriod] = []
    for index, start in enumerate(starts):
        until = starts[index + 1] - dt.timedelta(days=1) if index + 1 < len(starts) else NEVER
        line = _line_ids(person_id, path, managers, overrides, start)
        if periods and periods[-1][2] == line:
            periods[-1] = (periods[-1][0], until, line)
        else:
            periods.append((start, until, line))
    return periods


@dataclass
class _Round:
    """What the read model should hold for a round of people, and what it holds."""

    organisation_of: dict[int, int]
    expected: dict[int, list[LinePeriod]]
    stored: dict[int, list[LinePeriod]]

    def stale(self) -> list[int]:
        return [pk for pk, periods in self.expected.items() if self.stored.get(pk) != periods]


def _rounds(person_ids: Sequence[int]) -> Iterator[_Round]:
    managers: dict[int, int | None] = {}
    for chunk in batched(person_ids, BATCH, strict=False):
        people = list(Person.objects.filter(pk__in=chunk)
                      .values_list("pk", "organisation_id", "unit__path"))
        missing = {u for _pk, _org, path in people for u in path_ids(path)} - managers.keys()
        managers.update(Unit.objects.filter(pk__in=missing).values_list("pk", "manager_id"))
        overrides = _overrides_of(chunk)
        stored: dict[int, list[LinePeriod]] = defaultdict(list)
        for person_id, first, second, first_o, second_o, start, until in (
            EvaluatorLinePeriod.objects.filter(person__in=chunk)
            .order_by("person", "valid_from")
            .values_list("person_id", "first_evaluator_id", "second_evaluator_id",
                         "first_is_override", "second_is_override", "valid_from",
                         "valid_until")
        ):
            stored[person_id].append((start, until, (first, second, first_o, second_o)))
        yield _Round(
            organisation_of={pk: org for pk, org, _path in people},
            expected={pk: line_periods(pk, path, managers, overrides.get(pk, ()))
                      for pk, _org, path in people},
            stored=stored,
        )


def _ids_of(people: QuerySet[Person] | Iterable[int]) -> list[int]:
    if isinstance(people, QuerySet):
        return list(people.order_by("pk").values_list("pk", flat=True))
    return sorted(set(people))


# Inside ``refreshed_once``: the ids asked for so far (per thread and task).
_deferred: ContextVar[set[int] | None] = ContextVar("evaluator_lines_deferred", default=None)


@contextmanager
def refreshed_once() -> Iterator[None]:
    """Refresh the lines asked for inside the block once, at its end (an import that
    writes many units through their services)."""
    if _deferred.get() is not None:
        yield
        return
    asked: set[int] = set()
    token = _deferred.set(asked)
    try:
        yield
    finally:
        _deferred.reset(token)
    refresh_lines(asked)


def refresh_lines(people: QuerySet[Person] | Iterable[int]) -> int:
    """Write the line periods of ``people`` again where they changed; the number changed.

    Called by the services that change a fact of someone's line, inside their
    transaction; a few queries per 2,000 people, and writes only for the people whose
    periods differ.
    """
    deferred = _deferred.get()
    if deferred is not None:
        deferred.update(_ids_of(people))
        return 0
    changed = 0
    with transaction.atomic():
        for round_ in _rounds(_ids_of(people)):
            stale = round_.stale()
            if not stale:
                continue
            EvaluatorLinePeriod.objects.filter(person__in=stale).delete()
            EvaluatorLinePeriod.objects.bulk_create(
                [
                    EvaluatorLinePeriod(
                        organisation_id=round_.organisation_of[pk], person_id=pk,
                        first_evaluator_id=first, second_evaluator_id=second,
                        first_is_override=first_o, second_is_override=second_o,
                        valid_from=start, valid_until=until,
                    )
                    for pk in stale
                    for start, until, (first, second, first_o, second_o) in round_.expected[pk]
                ],
                batch_size=BATCH,
            )
            changed += len(stale)
    return changed


@dataclass(frozen=True)
class LineCheck:
    people: int
    wrong: list[int]  # ids of the people whose stored line differs from the derived one


def check_lines(organisation: Organisation, *, on: dt.date) -> LineCheck:
    """Compare the read model with ``derived_lines``, person by person.

    Each person's periods must cover every day once; and on the first day of each
    period, on every day an override starts or stops applying, and on ``on``, the
    stored line must be the derived one.
    """
    ids = _ids_of(Person.objects.filter(organisation=organisation))
    wrong: list[int] = []
    for chunk in batched(ids, BATCH, strict=False):
        people = list(Person.objects.filter(pk__in=chunk).select_related("unit"))
        stored: dict[int, list[EvaluatorLinePeriod]] = defaultdict(list)
        for period in EvaluatorLinePeriod.objects.filter(person__in=chunk).order_by(
                "person", "valid_from"):
            stored[period.person_id].append(period)
        overrides = _overrides_of(chunk)
        days: dict[dt.date, list[Person]] = defaultdict(list)
        for person in people:
            periods = stored.get(person.pk, [])
            if not _covers_every_day(periods):
                wrong.append(person.pk)
                continue
            for day in {on, *(p.valid_from for p in periods),
                        *_boundaries(overrides.get(person.pk, ()))}:
                days[day].append(person)
        for day, day_people in sorted(days.items()):
            derived = derived_lines(day_people, on=day)
            for person in day_people:
                period = next(p for p in stored[person.pk] if p.valid_from <= day <= p.valid_until)
                if _line_of(period) != derived[person.pk] and person.pk not in wrong:
                    wrong.append(person.pk)
    return LineCheck(len(ids), sorted(wrong))


def _covers_every_day(periods: Sequence[EvaluatorLinePeriod]) -> bool:
    if not periods or periods[0].valid_from != EVER or periods[-1].valid_until != NEVER:
        return False
    return all(later.valid_from == earlier.valid_until + dt.timedelta(days=1)
               for earlier, later in pairwise(periods))


def _line_of(period: EvaluatorLinePeriod) -> EvaluatorLine:
    return EvaluatorLine(period.first_evaluator, period.second_evaluator,
                         period.first_is_override, period.second_is_override)


def _on(day: dt.date) -> Q:
    return Q(valid_from__lte=day, valid_until__gte=day)


def evaluator_lines(people: Sequence[Person], *, on: dt.date) -> dict[int, EvaluatorLine]:
    """The evaluators of each person on ``on``: one indexed query, evaluators loaded."""
    if not people:
        return {}
    periods = {
        period.person_id: period
        for period in EvaluatorLinePeriod.objects.filter(
            _on(on), person__in=[person.pk for person in people]
        ).select_related("first_evaluator", "second_evaluator")
    }
    return {
        person.pk: _line_of(periods[person.pk]) if person.pk in periods
        else EvaluatorLine(None, None)
        for person in people
    }


def evaluator_line(person: Person, *, on: dt.date) -> EvaluatorLine:
    return evaluator_lines([person], on=on)[person.pk]


def team_member_ids(evaluator: Person, *, on: dt.date) -> set[int]:
    """Ids of the people whose 1st evaluator is ``evaluator`` on ``on`` (one query)."""
    return set(EvaluatorLinePeriod.objects.filter(_on(on), first_evaluator=evaluator)
               .values_list("person_id", flat=True))


def evaluates_any(*, first: bool, on: dt.date) -> Exists:
    """An expression for a Person query: whether the person is anyone's 1st (``first``)
    or 2nd evaluator on ``on``; a subquery, so it adds no query of its own."""
    role = "first_evaluator" if first else "second_evaluator"
    return Exists(EvaluatorLinePeriod.objects.filter(_on(on), **{role: OuterRef("pk")}))


def second_line_member_ids(evaluator: Person, *, on: dt.date) -> set[int]:
    """Ids of the people whose 2nd evaluator is ``evaluator`` on ``on`` (one query)."""
    return set(EvaluatorLinePeriod.objects.filter(_on(on), second_evaluator=evaluator)
               .values_list("person_id", flat=True))


def team(evaluator: Person, *, on: dt.date, team_ids: set[int] | None = None) -> QuerySet[Person]:
    """The 1st-evaluator team of ``evaluator`` as a queryset, ready for display."""
    if team_ids is None:
        team_ids = team_member_ids(evaluator, on=on)
    return (
        Person.objects.filter(pk__in=team_ids)
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )
