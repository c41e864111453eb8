"""Shapes of the cycle endpoints: a cycle with the progress of its opening and its counts."""

import datetime as dt

from ninja import Schema

from koers.cycles import selectors
from koers.cycles.models import Cycle
from koers.cycles.selectors import CycleCounts


class CycleCountsOut(Schema):
    participations: int
    mandatory: int
    exempt: int
    # Exemption code (not_employed, too_few_hours, too_few_months, absent_too_long) → count.
    exempt_by_reason: dict[str, int]
    on_probation: int
    closed: int


class CycleOut(Schema):
    """``state`` is ``opening`` until every participation exists; ``people_done`` of
    ``people_total`` (and ``percent_done``) follow the background task."""

    id: int
    organisation_id: int
    organisation: str
    year: int
    state: str
    policy_version: str
    opened_at: dt.datetime
    finished_at: dt.datetime | None
    people_total: int
    people_done: int
    percent_done: int
    counts: CycleCountsOut

    @classmethod
    def of(cls, cycle: Cycle, counts: CycleCounts) -> "CycleOut":
        return cls(
            id=cycle.pk, organisation_id=cycle.organisation_id,
            organisation=cycle.organisation.name, year=cycle.year, state=cycle.state,
            policy_version=cycle.policy_version, opened_at=cycle.opened_at,
            finished_at=cycle.finished_at, people_total=cycle.people_total,
            people_done=cycle.people_done, percent_done=selectors.percent_done(cycle),
            counts=CycleCountsOut(**counts.as_json()),
        )


class CycleIn(Schema):
    year: int
    # May be left out by HR of a single organisation.
    organisation_id: int | None = None
