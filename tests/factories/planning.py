"""The set-up the planning's tests share: a Flemish employee with a participation in the
2026 period, on a day in February, before the planning is due (31 March). Import the
three ``*_fixture`` functions into a test module: ``p`` and ``participation`` are then
its fixtures, and the clock stands on that February day for each of its tests."""

import datetime as dt
from collections.abc import Iterator

import pytest

from koers.core import clock
from koers.cycles.models import Participation
from tests import personas
from tests.factories import participations

FEBRUARY = dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(name="february", autouse=True)
def february_fixture() -> Iterator[None]:
    with clock.frozen(FEBRUARY):
        yield


@pytest.fixture(name="p")
def personas_fixture() -> personas.Personas:
    return personas.build()


@pytest.fixture(name="participation")
def participation_fixture(p: personas.Personas) -> Participation:
    cycle = participations.cycle(p.employee.organisation, 2026)
    return participations.participation(cycle, p.employee)

