"""A newcomer's due dates follow their start in every face that reads them: the
participation the cycle computes, the timeline, the dashboard's "overdue" and the
reminders (one computation, ``rulebook.deadlines.cycle_due_dates``).

Sources: PLOEG-gesprekken, https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken
(the planning by the end of March: the first 90 days); Gemeente Heemstede, regeling
"Cyclus van jaargesprekken" (lokaleregelgeving.overheid.nl): for new employees the
planning "vroeg in het eerste jaar", the progress conversation "een aantal maanden na
indiensttreding".
"""

import datetime as dt

import pytest

from koers.cycles import services
from koers.cycles.dashboard import cycle_dashboard
from koers.cycles.models import Participation
from koers.cycles.reminders import send_reminders
from koers.cycles.timeline import EntryState, person_timeline
from koers.notify.models import Notification
from koers.organisation import services as organisation_services
from koers.organisation.models import PolicyPreset
from koers.rulebook.deadlines import Due
from tests import factories, personas

pytestmark = pytest.mark.django_db

D = dt.date


def _open(org, year):
    cycle = services.cycle_open(organisation=org, year=year, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    return cycle


@pytest.fixture
def p():
    return personas.build()


def _newcomer(p, start):
    return factories.person(p.team, with_user=True, first_name="Nieuw", start_date=start)


def test_a_flemish_newcomer_is_not_overdue_on_a_planning_before_the_start(p):
    newcomer = _newcomer(p, D(2026, 9, 19))
    cycle = _open(p.top.organisation, 2026)
    october = D(2026, 10, 1)

    row = Participation.objects.get(cycle=cycle, person=newcomer)
    assert row.planning_due == D(2026, 12, 17)  # 90 days from 19 September
    (timeline,) = person_timeline(newcomer, today=october)
    planning = next(e for e in timeline.entries if e.step.due == Due.PLANNING)
    assert (planning.due, planning.state) == (D(2026, 12, 17), EntryState.OPEN)
    dashboard = cycle_dashboard(cycle=cycle, unit=p.top, today=october)
    # Everyone else's planning (31 March) is late; the newcomer's is not.
    assert dashboard.total.overdue_by_step[Due.PLANNING] == (
        dashboard.total.participations - 1)


def test_the_newcomers_manager_is_reminded_of_the_planning_before_its_own_due_date(p):
    newcomer = _newcomer(p, D(2026, 9, 19))
    _open(p.top.organisation, 2026)

    send_reminders(today_by_org={p.top.organisation_id: D(2026, 12, 3)})  # 14 days ahead

    mine = [n for n in Notification.objects.filter(recipient=p.manager.user)
            if n.params["person"] == newcomer.full_name]
    assert [(n.kind, n.params["step"], n.params["due"]) for n in mine] == [
        ("cycles.due_soon", "planning", "2026-12-17")]


def test_a_dutch_newcomer_plans_early_and_holds_the_progress_conversation_months_later():
    org = factories.organisation(preset=PolicyPreset.DUTCH_MUNICIPAL)
    unit = factories.unit(org)
    factories.person(unit, manages=unit)
    newcomer = factories.person(unit, start_date=D(2026, 7, 23))
    cycle = _open(org, 2026)

    row = Participation.objects.get(cycle=cycle, person=newcomer)
    assert (row.planning_due, row.halfway_progress_due, row.evaluation_due) == (
        D(2026, 8, 21), D(2026, 10, 20), D(2026, 12, 31))


def test_a_changed_start_date_moves_the_due_dates(p):
    newcomer = _newcomer(p, D(2026, 9, 19))
    cycle = _open(p.top.organisation, 2026)

    organisation_services.person_save(
        organisation=p.top.organisation, person=newcomer, actor=p.hr.user,
        start_date=D(2026, 10, 1),
    )

    assert Participation.objects.get(cycle=cycle, person=newcomer).planning_due == D(
        2026, 12, 29)
