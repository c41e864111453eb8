"""HR manages the structure in the UI: units, people, evaluators, hours worked."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from koers.core import clock
from koers.organisation import services
from koers.organisation.evaluators import evaluator_line
from koers.organisation.models import EffectiveWork, Person, SalarySystem, Unit, WorkSource
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def _person_form(person: Person, **changes):
    data = {
        "employee_number": person.employee_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "language": person.language,
        "unit": person.unit_id,
        "job_title": person.job_title,
        "grade": person.grade,
        "rank": person.rank,
        "start_date": person.start_date.isoformat(),
        "end_date": "",
        "working_time_fraction": str(person.working_time_fraction),
        "employment_status": person.employment_status,
        "probation_end_date": "",
        "salary_system_choice": "",
    }
    data.update(changes)
    return data


def test_hr_adds_a_unit_below_another(client, p):
    client.force_login(p.hr.user)
    response = client.post(
        reverse("unit_create", args=[p.department.pk]),
        {"code": "LOON2", "name": "Team Pensioenen", "parent": p.department.pk, "manager": ""},
    )
    unit = Unit.objects.get(code="LOON2")
    assert response.url == reverse("unit_detail", args=[unit.pk])
    assert unit.path == f"{p.department.path}{unit.pk}/"


def test_removing_an_empty_unit_asks_first_and_changes_nothing_before(client, p):
    empty = services.unit_create(organisation=p.department.organisation, parent=p.department,
                                 code="LEEG", name="Team Leeg", manager=None)
    client.force_login(p.hr.user)

    asked = client.post(reverse("unit_delete", args=[empty.pk])).content.decode()

    assert "Team Leeg" in asked
    assert '<input type="hidden" name="confirmed" value="yes">' in asked
    assert Unit.objects.filter(pk=empty.pk).exists()
    response = client.post(reverse("unit_delete", args=[empty.pk]), {"confirmed": "yes"})
    assert response.url == reverse("unit_detail", args=[p.department.pk])
    assert not Unit.objects.filter(pk=empty.pk).exists()


def test_hr_moves_a_unit_with_its_subtree(client, p):
    client.force_login(p.hr.user)
    client.post(
        reverse("unit_edit", args=[p.team.pk]),
        {
            "code": p.team.code,
            "name": p.team.name,
            "parent": p.other_team.pk,
            "manager": p.manager.pk,
        },
    )
    p.team.refresh_from_db()
    assert p.team.path == f"{p.other_team.path}{p.team.pk}/"
    assert evaluator_line(p.manager, on=dt.date(2026, 11, 22)).first == p.unrelated_manager


def test_a_unit_cannot_move_below_itself_and_nothing_changes(client, p):
    client.force_login(p.hr.user)
    before = list(Unit.objects.order_by("pk").values_list("path", "parent_id"))
    response = client.post(
        reverse("unit_edit", args=[p.department.pk]),
        {"code": p.department.code, "name": "Nieuwe naam", "parent": p.team.pk, "manager": ""},
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert list(Unit.objects.order_by("pk").values_list("path", "parent_id")) == before
    p.department.refresh_from_db()
    assert p.department.name == "Dienst Personeel"


def test_hr_of_one_team_cannot_touch_another_team(client, p):
    client.force_login(p.team_hr.user)
    assert client.get(reverse("unit_detail", args=[p.other_team.pk])).status_code == 200
    assert client.get(reverse("unit_detail", args=[p.team.pk])).status_code == 404
    assert client.get(reverse("person_edit", args=[p.employee.pk])).status_code == 404
    response = client.post(
        reverse("unit_edit", args=[p.other_team.pk]),
        {"code": "X", "name": "X", "parent": p.team.pk, "manager": ""},
    )
    assert response.status_code == 200
    p.other_team.refresh_from_db()
    assert p.other_team.parent_id == p.department.pk


def test_employees_and_managers_cannot_open_structure_pages(client, p):
    for who in (p.employee, p.manager):
        client.force_login(who.user)
        assert client.get(reverse("unit_detail", args=[p.team.pk])).status_code == 404
        assert client.get(reverse("unit_tree")).status_code == 404
        assert client.get(reverse("person_edit", args=[p.employee.pk])).status_code == 404
    client.force_login(p.manager.user)
    assert client.get(reverse("person_detail", args=[p.employee.pk])).status_code == 200
    assert client.get(reverse("person_detail", args=[p.unrelated_employee.pk])).status_code == 404


def test_hr_edits_employment_facts_and_the_salary_rule_holds(client, p):
    client.force_login(p.hr.user)
    response = client.post(
        reverse("person_edit", args=[p.employee.pk]),
        _person_form(p.employee, start_date="2024-06-01", grade="C1"),
    )
    assert response.status_code == 302
    p.employee.refresh_from_db()
    assert (p.employee.grade, p.employee.salary_system) == ("C1", SalarySystem.EVALUATION)
    assert not p.employee.salary_system_overridden


def test_hr_records_a_voluntary_switch_of_salary_system(client, p):
    client.force_login(p.hr.user)
    client.post(
        reverse("person_edit", args=[p.employee.pk]),
        _person_form(p.employee, salary_system_choice="evaluation"),
    )
    p.employee.refresh_from_db()
    assert p.employee.salary_system == SalarySystem.EVALUATION
    assert p.employee.salary_system_overridden
    # Choosing "by the rule" again drops the switch.
    client.post(reverse("person_edit", args=[p.employee.pk]), _person_form(p.employee))
    p.employee.refresh_from_db()
    assert (p.employee.salary_system, p.employee.salary_system_overridden) == (
        SalarySystem.SENIORITY,
        False,
    )


def test_bad_employment_facts_are_refused_with_a_message_and_nothing_changes(client, p):
    client.force_login(p.hr.user)
    response = client.post(
        reverse("person_edit", args=[p.employee.pk]),
        _person_form(
            p.employee, end_date="2019-01-01", working_time_fraction="1.5", first_name="Gewijzigd"
        ),
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    p.employee.refresh_from_db()
    assert p.employee.first_name == "Marc"


def test_hr_sets_an_acting_first_evaluator(client, p):
    client.force_login(p.hr.user)
    response = client.post(
        reverse("override_create", args=[p.employee.pk]),
        {
            "first_evaluator": p.colleague.pk,
            "second_evaluator": "",
            "valid_from": "2026-01-01",
            "valid_until": "",
            "reason": "Waarnemend teamleider",
        },
    )
    assert response.status_code == 302
    line = evaluator_line(p.employee, on=dt.date(2026, 11, 22))
    assert (line.first, line.second) == (p.colleague, p.manager)


def test_an_overlapping_override_is_refused(client, p):
    client.force_login(p.hr.user)
    data = {
        "first_evaluator": p.colleague.pk,
        "second_evaluator": "",
        "valid_from": "2026-01-01",
        "valid_until": "",
        "reason": "Waarnemend",
    }
    client.post(reverse("override_create", args=[p.employee.pk]), data)
    response = client.post(
        reverse("override_create", args=[p.employee.pk]), {**data, "valid_from": "2026-05-01"}
    )
    assert response.status_code == 200
    assert p.employee.evaluator_overrides.count() == 1


def test_hr_corrects_hours_worked_and_an_import_does_not_overwrite_it(client, p):
    from koers.organisation import services

    client.force_login(p.hr.user)
    client.post(
        reverse("effective_work_edit", args=[p.employee.pk]),
        {"year": 2025, "hours_worked": "412.50", "note": "Lange ziekte niet geregistreerd"},
    )
    work = EffectiveWork.objects.get(person=p.employee, year=2025)
    assert (work.hours_worked, work.source) == (Decimal("412.50"), WorkSource.CORRECTED)
    services.effective_work_record(
        person=p.employee, year=2025, hours_worked=Decimal(1500), source=WorkSource.IMPORTED
    )
    work.refresh_from_db()
    assert work.hours_worked == Decimal("412.50")


@pytest.mark.parametrize("members", [10, 100])
def test_unit_page_needs_the_same_number_of_queries_whatever_its_size(
    client, django_assert_num_queries, p, members
):
    from tests import factories

    for _ in range(members):
        factories.person(p.team)
    client.force_login(p.hr.user)
    client.get(reverse("unit_detail", args=[p.team.pk]))
    # session, user, viewer (2), nav, unit, ancestors, children, head count, page count+rows,
    # the unread notifications in the header, the unit's history (HR sees it)
    with django_assert_num_queries(12):
        client.get(reverse("unit_detail", args=[p.team.pk]))


def test_hr_finds_the_access_request_form_on_the_person_page(client, p):
    client.force_login(p.hr.user)
    page = client.get(reverse("person_detail", args=[p.employee.pk])).content.decode()
    assert reverse("access_request_new", args=[p.employee.pk]) in page
    client.force_login(p.manager.user)
    page = client.get(reverse("person_detail", args=[p.employee.pk])).content.decode()
    assert reverse("access_request_new", args=[p.employee.pk]) not in page


@pytest.mark.parametrize(("year", "hours", "field"), [
    ("0", "400", "year"), ("99999", "400", "year"), ("1999", "400", "year"),
    ("2025", "-1", "hours_worked"), ("2025", "1e30", "hours_worked"),
])
def test_hours_worked_outside_the_rules_are_a_form_error_and_change_nothing(
        client, p, year, hours, field):
    from koers.audit.models import AuditEvent

    client.force_login(p.hr.user)
    response = client.post(reverse("effective_work_edit", args=[p.employee.pk]),
                           {"year": year, "hours_worked": hours, "note": "Correctie"})

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        _year_refused() if field == "year"
        else "De gewerkte uren in een jaar liggen tussen 0 en 8784."]
    assert not EffectiveWork.objects.filter(person=p.employee).exists()
    assert not AuditEvent.objects.filter(action="effective_work.corrected").exists()


@pytest.mark.parametrize("year", ["0", "99999", "1999", "abc", "2" * 5000])
def test_the_hours_page_for_a_year_outside_the_rules_says_so_and_shows_this_year(
        client, p, year):
    client.force_login(p.hr.user)
    response = client.get(reverse("effective_work_edit", args=[p.employee.pk]),
                          {"year": year})

    assert response.status_code == 422
    assert _year_refused() in response.content.decode()
    assert response.context["form"].initial["year"] == clock.today().year


def _year_refused() -> str:
    return f"Het jaar moet tussen 2000 en {clock.today().year} liggen."
