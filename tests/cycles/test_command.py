"""``koers open-cycle``: one summary line, and a second run that changes nothing."""

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command

from koers.cycles.models import Cycle, CycleState, Participation
from koers.organisation.models import PolicyPreset
from tests import factories

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r"^participations: (\d+), exempt: (\d+), seconds: \d+\.\d$")


def _run(*args):
    out = io.StringIO()
    call_command("open-cycle", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def organisation():
    org = factories.organisation("Agentschap Test", preset=PolicyPreset.FLEMISH)
    top = factories.unit(org)
    for _ in range(4):
        factories.person(top)
    factories.person(top, start_date=dt.date(2026, 12, 1))  # too few hours in 2026
    return org


def test_the_command_prints_one_summary_line(organisation):
    output = _run("--org", "Agentschap Test", "--year", "2026")

    match = SUMMARY.fullmatch(output)
    assert match is not None, output
    assert match.groups() == ("5", "1")
    cycle = Cycle.objects.get(organisation=organisation, year=2026)
    assert cycle.state == CycleState.OPEN
    assert cycle.opened_by is None  # the system opened it


def test_a_second_run_changes_nothing_and_prints_the_same_counts(organisation):
    first = _run("--org", "Agentschap Test", "--year", "2026")
    rows = list(Participation.objects.order_by("pk").values())
    cycle = Cycle.objects.get(organisation=organisation, year=2026)

    second = _run("--org", "Agentschap Test", "--year", "2026")

    assert SUMMARY.fullmatch(second).groups() == SUMMARY.fullmatch(first).groups()
    assert list(Participation.objects.order_by("pk").values()) == rows
    assert Cycle.objects.get(pk=cycle.pk).finished_at == cycle.finished_at


def test_the_short_name_works_too_and_an_unknown_name_is_refused(organisation):
    assert SUMMARY.fullmatch(_run("--org", organisation.slug, "--year", "2026"))

    with pytest.raises(CommandError, match="Nergens"):
        _run("--org", "Nergens", "--year", "2026")
