"""PUT /api/v1/participations/{id}/agreed-period: the same service and rule as the page."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from koers.core import clock
from tests import personas
from tests.factories import participations

pytestmark = pytest.mark.django_db

JANUARY_12 = dt.datetime(2026, 1, 12, 10, tzinfo=ZoneInfo("Europe/Brussels"))
NOTE = "Agreed with Marc and Ratana on 12 January."


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def row(p):
    return participations.participation(participations.cycle(p.top.organisation, 2026),
                                        p.employee)


def _put(client, participation_id, **data):
    with clock.frozen(JANUARY_12):
        return client.put(f"/api/v1/participations/{participation_id}/agreed-period",
                          json.dumps(data), content_type="application/json")


def test_hr_records_the_agreed_period_and_the_due_dates_follow(client, p, row):
    client.force_login(p.hr.user)

    response = _put(client, row.pk, start="2025-10-15", end="2026-12-31", note=NOTE)

    assert response.status_code == 200
    data = response.json()
    assert {key: data[key] for key in (
        "participation_id", "year", "person_id", "period_start", "period_end", "agreed",
        "note", "agreed_by", "evaluation_required")} == {
        "participation_id": row.pk, "year": 2026, "person_id": p.employee.pk,
        "period_start": "2025-10-15", "period_end": "2026-12-31", "agreed": True,
        "note": NOTE, "agreed_by": p.hr.user.email, "evaluation_required": True,
    }
    assert data["agreed_at"].startswith("2026-01-12T")
    assert data["due_dates"]["planning"] == "2026-01-14"
    assert data["due_dates"]["evaluation"] == "2027-03-31"  # the window stays with 2026
    client.force_login(p.employee.user)
    with clock.frozen(JANUARY_12):
        (timeline,) = client.get(f"/api/v1/people/{p.employee.pk}/timeline").json()
    assert (timeline["participation_id"], timeline["period_start"], timeline["period_agreed"]) \
        == (row.pk, "2025-10-15", True)


def test_nulls_go_back_to_the_normal_period(client, p, row):
    client.force_login(p.hr.user)
    _put(client, row.pk, start="2025-10-15", end="2026-12-31", note=NOTE)

    data = _put(client, row.pk, start=None, end=None).json()

    assert (data["period_start"], data["agreed"], data["note"], data["agreed_by"]) == (
        "2026-01-01", False, "", None)
    assert data["due_dates"]["planning"] == "2026-03-31"


def test_a_refused_period_is_a_422_in_the_users_language_and_changes_nothing(client, p, row):
    client.force_login(p.hr.user)

    response = _put(client, row.pk, start="2026-01-01", end="2027-03-31", note=NOTE)

    assert response.status_code == 422
    assert response.json() == {
        "message": "De evaluatieperiode is niet gewijzigd.",
        "errors": {"period": [
            "Onder dit beleid eindigt de periode altijd op 31-12-2026; alleen het begin kan "
            "vroeger vallen."]},
    }
    row.refresh_from_db()
    assert (row.period_end, row.agreed_period_end) == (dt.date(2026, 12, 31), None)


def test_half_a_period_is_refused(client, p, row):
    client.force_login(p.hr.user)

    response = _put(client, row.pk, start="2025-10-15", end=None, note=NOTE)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["end"]


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr", "outsider"])
def test_others_get_the_same_404_as_for_a_missing_participation(client, p, row, who):
    client.force_login(getattr(p, who).user)

    assert _put(client, row.pk, start="2025-10-15", end="2026-12-31", note=NOTE
                ).status_code == 404
    assert _put(client, 999_999, start="2025-10-15", end="2026-12-31", note=NOTE
                ).status_code == 404
    row.refresh_from_db()
    assert row.agreed_period_start is None
