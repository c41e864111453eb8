"""GET /api/v1/people: the people the caller may see, a page at a time, found by employee
number, e-mail address or unit (api/pagination.py, access/selectors.py)."""

import datetime as dt

import pytest

from tests import factories
from tests.api.clients import signed_in

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [person["id"] for person in response.json()["items"]]


def test_hr_finds_a_person_by_employee_number_or_e_mail(p) -> None:
    hr = signed_in(p.hr)

    by_number = hr.get("/api/v1/people", {"employee_number": p.employee.employee_number})
    by_email = hr.get("/api/v1/people", {"email": p.employee.email.upper()})

    assert ids(by_number) == ids(by_email) == [p.employee.pk]
    assert by_number.json()["items"][0]["evaluators"]["first_evaluator"]["id"] == p.manager.pk


def test_the_list_holds_only_whom_the_caller_may_see(p) -> None:
    """The colleague finds only themselves, whatever they ask for (docs/access.md)."""
    colleague = signed_in(p.colleague)

    everyone = colleague.get("/api/v1/people")
    asked = colleague.get("/api/v1/people", {"employee_number": p.employee.employee_number})

    assert ids(everyone) == [p.colleague.pk]
    assert asked.json() == {"items": [], "count": 0, "page": 1, "page_size": 50, "next": None}


def test_a_unit_narrows_the_list_to_its_subtree_and_a_hidden_unit_is_404(p) -> None:
    in_team = signed_in(p.hr).get("/api/v1/people", {"unit_id": p.team.pk})
    hidden = signed_in(p.team_hr).get("/api/v1/people", {"unit_id": p.team.pk})

    assert set(ids(in_team)) == {person.pk for person in (p.employee, p.colleague, p.manager)
                                  if person.unit_id == p.team.pk}
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")


def test_pages_follow_each_other_without_overlap_to_the_last(p) -> None:
    hr = signed_in(p.hr)
    count = hr.get("/api/v1/people").json()["count"]

    seen: list[int] = []
    url: str | None = "/api/v1/people?page_size=2"
    while url:
        page = hr.get(url).json()
        seen += [person["id"] for person in page["items"]]
        url = page["next"]

    assert count > 4
    assert len(seen) == len(set(seen)) == count


def test_the_page_size_is_bounded(p) -> None:
    response = signed_in(p.hr).get("/api/v1/people", {"page_size": 201})

    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    assert list(response.json()["errors"]) == ["page_size"]


def test_a_page_costs_the_same_queries_for_one_person_as_for_many(
        p, django_assert_max_num_queries) -> None:
    hr = signed_in(p.hr)
    hr.get("/api/v1/people", {"page_size": 1})

    with django_assert_max_num_queries(20) as one:
        hr.get("/api/v1/people", {"page_size": 1})
    for number in range(5):
        factories.person(p.other_team, first_name=f"Extra{number}")
    with django_assert_max_num_queries(len(one)):
        many = hr.get("/api/v1/people", {"page_size": 200})

    assert len(many.json()["items"]) > 5


def test_a_sync_reads_the_records_changed_since_its_last_run(p) -> None:
    """A record saved (by a page, the API or the import) carries the moment it changed, to
    the millisecond; ``updated_since`` keeps those changed at or after the moment given, so
    a sync that passes the latest moment it read reads the records of that millisecond
    again, and never misses one."""
    hr = signed_in(p.hr)
    everyone = hr.get("/api/v1/people").json()["items"]
    last_run = max(dt.datetime.fromisoformat(person["updated_at"]) for person in everyone)
    at_last_run = {person["id"] for person in everyone
                   if dt.datetime.fromisoformat(person["updated_at"]) == last_run}

    changed = hr.patch(f"/api/v1/people/{p.colleague.pk}", {"job_title": "Dossierbeheerder"},
                       content_type="application/json")
    since = hr.get("/api/v1/people", {"updated_since": last_run.isoformat()})
    wrong = hr.get("/api/v1/people", {"updated_since": "yesterday"})

    assert changed.status_code == 200
    assert set(ids(since)) == at_last_run | {p.colleague.pk}
    assert len(everyone) > len(at_last_run) + 1  # the others are left out
    assert wrong.status_code == 422
