"""The evaluated period on the timeline: everyone who sees the person reads it, HR of
the person's unit records the period employee and evaluator agreed on ([f1])."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.core import clock
from koers.cycles.models import Participation
from tests import personas
from tests.factories import participations

pytestmark = pytest.mark.django_db

JANUARY_12 = dt.datetime(2026, 1, 12, 10, tzinfo=ZoneInfo("Europe/Brussels"))
NOTE = "Afgesproken met Marc en Ratana op 12 januari."


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def row(p):
    """Marc's participation in the Flemish cycle of 2026, as if he started in October."""
    return participations.participation(participations.cycle(p.top.organisation, 2026),
                                        p.employee)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _page(client, person):
    with clock.frozen(JANUARY_12):
        return client.get(reverse("person_timeline", args=[person.pk]))


def _post(client, row, **data):
    prefix = f"period-{row.pk}"
    with clock.frozen(JANUARY_12):
        return client.post(
            reverse("participation_period", args=[row.person_id, row.pk]),
            {f"{prefix}-{name}" if name != "clear" else name: value
             for name, value in data.items()},
        )


def _period(row):
    row.refresh_from_db()
    return row.period_start, row.period_end, row.agreed_period_start, row.planning_due


def test_hr_sees_the_rule_and_a_form_for_the_agreed_period(client, p, row):
    client.force_login(p.hr.user)

    response = _page(client, p.employee)

    text = _text(response)
    assert "Geëvalueerde periode Periode van 01-01-2026 tot en met 31-12-2026." in text
    assert ("De gewone periode loopt van 01-01-2026 tot en met 31-12-2026. In onderling "
            "akkoord kan ze vroeger beginnen, ten vroegste op 01-10-2025 (maximaal 15 maanden "
            "in totaal).") in text
    page = response.content.decode()
    assert f'id="id_period-{row.pk}-start"' in page
    assert 'value="2026-01-01"' in page
    assert "Terug naar de gewone periode" not in page  # nothing agreed yet


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_the_employee_and_the_evaluator_read_the_period_without_a_form(client, p, row, who):
    client.force_login(getattr(p, who).user)

    response = _page(client, p.employee)

    assert "Geëvalueerde periode" in _text(response)
    assert f"/timeline/{row.pk}/period/" not in response.content.decode()


def test_hr_records_the_agreed_period_and_everyone_reads_it(client, p, row):
    client.force_login(p.hr.user)

    response = _post(client, row, start="2025-10-15", end="2026-12-31", note=NOTE)

    assert response.status_code == 302
    timeline = reverse("person_timeline", args=[p.employee.pk])
    assert response.url == f"{timeline}#cycle-{row.cycle_id}"
    assert _period(row) == (dt.date(2025, 10, 15), dt.date(2026, 12, 31),
                            dt.date(2025, 10, 15), dt.date(2026, 1, 14))
    assert row.period_agreed_by == p.hr.user
    assert "De afgesproken periode is opgeslagen" in _text(_page(client, p.employee))
    client.force_login(p.employee.user)
    text = _text(_page(client, p.employee))
    assert "Periode van 15-10-2025 tot en met 31-12-2026." in text
    assert ("Afgesproken tussen de medewerker en de 1ste evaluator; de gewone periode loopt van "
            "01-01-2026 tot en met 31-12-2026. Vastgelegd door "
            f"{p.hr.user.email} op 12-01-2026.") in text
    assert NOTE in text
    assert "14-01-2026 Planningsgesprek" in text


def test_hr_goes_back_to_the_normal_period(client, p, row):
    client.force_login(p.hr.user)
    _post(client, row, start="2025-10-15", end="2026-12-31", note=NOTE)
    assert "Terug naar de gewone periode" in _text(_page(client, p.employee))

    response = _post(client, row, clear="1")

    assert response.status_code == 302
    assert _period(row) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31), None,
                            dt.date(2026, 3, 31))
    assert "De gewone periode geldt weer." in _text(_page(client, p.employee))


def test_a_refused_period_changes_nothing_and_says_why_in_dutch(client, p, row):
    client.force_login(p.hr.user)
    before = _period(row)

    response = _post(client, row, start="2025-09-30", end="2027-03-31", note=NOTE)

    assert response.status_code == 200
    text = _text(response)
    assert "Er is niets opgeslagen." in text
    assert "Onder dit beleid eindigt de periode altijd op 31-12-2026" in text
    assert "In onderling akkoord duurt de periode maximaal 15 maanden" in text
    # What HR typed stays in the form, to correct it.
    assert 'value="2025-09-30"' in response.content.decode()
    assert _period(row) == before


def test_the_errors_speak_the_users_language(client, p, row):
    p.hr.user.language = "en"
    p.hr.user.save()
    client.force_login(p.hr.user)

    refused = _text(_post(client, row, start="2025-09-30", end="2026-12-31", note=NOTE))
    incomplete = _text(_post(client, row, start="2025-10-15", end="2026-12-31", note=""))

    assert ("Nothing was saved. Please correct: The period may last at most 15 months by "
            "agreement: from 30-09-2025 it must end by 29-12-2026.") in refused
    assert "What was agreed : This field is required." in incomplete
    assert _period(row)[2] is None


def test_a_note_is_needed(client, p, row):
    client.force_login(p.hr.user)

    text = _text(_post(client, row, start="2025-10-15", end="2026-12-31", note="   "))

    assert "Wat is afgesproken" in text
    assert _period(row)[2] is None


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr", "outsider"])
def test_only_hr_of_the_persons_unit_records_it_others_get_a_404(client, p, row, who):
    client.force_login(getattr(p, who).user)

    response = _post(client, row, start="2025-10-15", end="2026-12-31", note=NOTE)

    assert response.status_code == 404
    assert _period(row)[2] is None


def test_a_participation_of_someone_else_is_a_404(client, p, row):
    colleague = participations.participation(row.cycle, p.colleague)
    client.force_login(p.hr.user)
    with clock.frozen(JANUARY_12):
        response = client.post(
            reverse("participation_period", args=[p.employee.pk, colleague.pk]),
            {f"period-{colleague.pk}-start": "2025-10-15",
             f"period-{colleague.pk}-end": "2026-12-31", f"period-{colleague.pk}-note": NOTE},
        )
    assert response.status_code == 404
    assert not Participation.objects.filter(agreed_period_start__isnull=False).exists()


def test_the_form_is_posted_not_fetched(client, p, row):
    client.force_login(p.hr.user)
    assert client.get(reverse("participation_period", args=[p.employee.pk, row.pk])
                      ).status_code == 405


def test_hr_needs_the_same_number_of_queries_for_one_or_several_cycles(client, p, row):
    client.force_login(p.hr.user)
    _page(client, p.employee)  # warm the session

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = _page(client, p.employee)
        return len(queries), response.content.decode()

    one, page = count()
    assert page.count("Afgesproken periode opslaan") == 1
    for year in (2024, 2025):
        participations.participation(participations.cycle(p.top.organisation, year), p.employee)
    several, page = count()
    assert page.count("Afgesproken periode opslaan") == 3
    assert one == several


def test_a_participation_closed_meanwhile_is_refused_with_a_message(client, p, row):
    Participation.objects.filter(pk=row.pk).update(closed_on=dt.date(2026, 1, 9))
    client.force_login(p.hr.user)

    response = _post(client, row, start="2025-10-15", end="2026-12-31", note=NOTE)

    assert response.status_code == 302
    assert "Deze deelname is afgesloten" in _text(_page(client, p.employee))
    assert _period(row)[2] is None
