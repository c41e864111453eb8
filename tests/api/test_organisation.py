"""People and units through the API: my record and team, employment facts, evaluator
overrides, hours worked, the unit tree."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from koers.audit.models import AuditEvent
from koers.core import clock
from koers.organisation import services
from koers.organisation.models import (
    EffectiveWork,
    EvaluatorOverride,
    Person,
    Role,
    SalarySystem,
    Unit,
)
from tests import factories, personas
from tests.api.problems import said

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_me_returns_my_record_with_evaluators(client, p):
    client.force_login(p.employee.user)
    data = client.get("/api/v1/me").json()
    assert data["employee_number"] == p.employee.employee_number
    assert data["evaluators"]["first_evaluator"]["name"] == "Ratana Than"


def test_a_manager_lists_the_team(client, p):
    client.force_login(p.manager.user)
    names = sorted(member["first_name"] for member in client.get("/api/v1/me/team").json()["items"])
    assert names == ["Marc", "Peter"]


def test_an_employee_cannot_read_a_colleague_and_gets_a_404(client, p):
    client.force_login(p.employee.user)
    assert client.get(f"/api/v1/people/{p.colleague.pk}").status_code == 404
    assert client.get(f"/api/v1/units/{p.team.pk}").status_code == 404


def test_hr_changes_employment_facts_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.patch(
        f"/api/v1/people/{p.employee.pk}",
        json.dumps({"grade": "C2", "salary_system": "evaluation"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["salary_system_set_by_hand"] is True
    p.employee.refresh_from_db()
    assert (p.employee.grade, p.employee.salary_system) == ("C2", SalarySystem.EVALUATION)
    response = client.patch(
        f"/api/v1/people/{p.employee.pk}", json.dumps({"salary_system": None}),
        content_type="application/json",
    )
    p.employee.refresh_from_db()
    assert (p.employee.salary_system, p.employee.salary_system_overridden) == (
        SalarySystem.SENIORITY, False)


def test_bad_input_is_refused_in_the_users_language_and_changes_nothing(client, p):
    client.force_login(p.hr.user)
    response = client.patch(
        f"/api/v1/people/{p.employee.pk}",
        json.dumps({"end_date": "2001-01-01", "first_name": "Gewijzigd"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]
    p.employee.refresh_from_db()
    assert p.employee.first_name == "Marc"


def test_a_manager_cannot_change_employment_facts(client, p):
    client.force_login(p.manager.user)
    response = client.patch(f"/api/v1/people/{p.employee.pk}", json.dumps({"grade": "X"}),
                            content_type="application/json")
    assert response.status_code == 404


def test_hr_adds_and_moves_units_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.post("/api/v1/units", json.dumps(
        {"code": "NEW", "name": "Team Welzijn", "parent_id": p.department.pk}),
        content_type="application/json")
    assert response.status_code == 201
    new = Unit.objects.get(code="NEW")
    response = client.put(f"/api/v1/units/{new.pk}", json.dumps(
        {"code": "NEW", "name": "Team Welzijn", "parent_id": p.team.pk}),
        content_type="application/json")
    assert response.status_code == 200
    new.refresh_from_db()
    assert new.path == f"{p.team.path}{new.pk}/"
    response = client.put(f"/api/v1/units/{p.department.pk}", json.dumps(
        {"code": p.department.code, "name": "X", "parent_id": p.team.pk}),
        content_type="application/json")
    assert response.status_code == 422


def test_unit_detail_gives_head_counts(client, p):
    client.force_login(p.hr.user)
    data = client.get(f"/api/v1/units/{p.department.pk}").json()
    counts = {child["unit"]["name"]: child["head_count"] for child in data["children"]}
    assert counts == {"Team Loonadministratie": 3, "Team Rekrutering": 3}


def test_hr_corrects_hours_worked_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.put(f"/api/v1/people/{p.employee.pk}/effective-work/2025",
                          json.dumps({"hours_worked": "400.5", "note": "Ziekte"}),
                          content_type="application/json")
    assert response.json() == {"year": 2025, "hours_worked": "400.50", "source": "corrected"}


def test_hr_sets_an_acting_evaluator_through_the_api(client, p):
    client.force_login(p.hr.user)
    response = client.post(
        f"/api/v1/people/{p.employee.pk}/evaluator-overrides",
        json.dumps({"first_evaluator_id": p.colleague.pk, "valid_from": "2026-01-01",
                    "reason": "Waarnemend"}),
        content_type="application/json")
    assert response.status_code == 201
    assert response.json()["evaluators"]["first_evaluator"]["name"] == "Peter Gordon"


def test_a_unit_with_a_manager_that_does_not_exist_is_refused_and_keeps_its_manager(client, p):
    """Naming a missing (or unseen) person as manager used to clear the manager, and with
    it every evaluator line below the unit."""
    client.force_login(p.hr.user)
    response = client.put(f"/api/v1/units/{p.other_team.pk}",
                          json.dumps({"code": p.other_team.code, "name": p.other_team.name,
                                      "parent_id": p.department.pk, "manager_id": 999_999}),
                          content_type="application/json")

    assert response.status_code == 404
    p.other_team.refresh_from_db()
    assert p.other_team.manager == p.unrelated_manager


@pytest.mark.parametrize("year", [0, 1999, 99999])
def test_hours_worked_of_a_year_outside_the_rules_are_refused_with_422(client, p, year):
    client.force_login(p.hr.user)
    url = f"/api/v1/people/{p.employee.pk}/effective-work/{year}"

    put = client.put(url, json.dumps({"hours_worked": "400", "note": "Correctie"}),
                     content_type="application/json")
    get = client.get(url)

    message = f"Het jaar moet tussen 2000 en {clock.today().year} liggen."
    assert (put.status_code, said(put)) == (422, {"detail": message,
                                                  "errors": {"year": [message]}})
    assert (get.status_code, said(get)) == (422, {"detail": message,
                                                  "errors": {"year": [message]}})
    assert not EffectiveWork.objects.filter(person=p.employee).exists()


@pytest.mark.parametrize(("body", "field"), [
    ({"hours_worked": "-1", "note": "Correctie"}, "hours_worked"),
    ({"hours_worked": "1e30", "note": "Correctie"}, "hours_worked"),
    ({"hours_worked": "400", "note": "x" * 501}, "note"),
])
def test_hours_worked_outside_the_rules_are_refused_with_422_and_change_nothing(
        client, p, body, field):
    from koers.audit.models import AuditEvent

    client.force_login(p.hr.user)
    response = client.put(f"/api/v1/people/{p.employee.pk}/effective-work/2025",
                          json.dumps(body), content_type="application/json")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert not EffectiveWork.objects.filter(person=p.employee).exists()
    assert not AuditEvent.objects.filter(action="effective_work.corrected").exists()


PERSON = {"first_name": "Lotte", "last_name": "Peeters", "email": "Lotte.Peeters@example.be",
          "start_date": "2026-03-01", "job_title": "Deskundige", "grade": "B1",
          "working_time_fraction": "0.800", "employment_status": "statutory"}


def _stored(person):
    return {name: str(getattr(person, name)) for name in
            ("first_name", "last_name", "email", "language", "unit_id", "job_title", "grade",
             "start_date", "working_time_fraction", "employment_status", "salary_system",
             "salary_system_overridden")}


def test_hr_adds_a_person_through_the_api_as_through_the_page(client, p):
    client.force_login(p.hr.user)
    response = client.post(f"/api/v1/units/{p.team.pk}/people",
                           json.dumps({"employee_number": "E9001", **PERSON}),
                           content_type="application/json")
    page = client.post(f"/units/{p.team.pk}/people/new/",
                       {"employee_number": "E9002", "unit": p.team.pk, "language": "nl",
                        "salary_system_choice": "", **PERSON})

    assert response.status_code == 201
    assert page.status_code == 302
    by_api = Person.objects.get(employee_number="E9001")
    by_page = Person.objects.get(employee_number="E9002")
    assert response.json()["id"] == by_api.pk
    assert _stored(by_api) == _stored(by_page)
    assert by_api.email == "lotte.peeters@example.be"
    assert AuditEvent.objects.filter(action="person.created", target_id=str(by_api.pk)).exists()


def test_a_person_the_rules_refuse_is_not_added(client, p):
    client.force_login(p.hr.user)
    response = client.post(f"/api/v1/units/{p.team.pk}/people",
                           json.dumps({"employee_number": "E9001", **PERSON,
                                       "email": "geen adres"}),
                           content_type="application/json")

    assert response.status_code == 422
    assert "email" in response.json()["errors"]
    assert not Person.objects.filter(employee_number="E9001").exists()


def test_only_hr_of_the_unit_adds_people_there(client, p):
    client.force_login(p.manager.user)
    response = client.post(f"/api/v1/units/{p.team.pk}/people",
                           json.dumps({"employee_number": "E9001", **PERSON}),
                           content_type="application/json")

    assert response.status_code == 404
    assert not Person.objects.filter(employee_number="E9001").exists()


def test_hr_removes_an_empty_unit_through_the_api_and_not_one_with_people(client, p):
    client.force_login(p.hr.user)
    empty = services.unit_create(organisation=p.team.organisation, code="LEEG", name="Leeg",
                                 parent=p.team)

    removed = client.delete(f"/api/v1/units/{empty.pk}")
    refused = client.delete(f"/api/v1/units/{p.team.pk}")
    top = client.delete(f"/api/v1/units/{p.top.pk}")

    assert removed.status_code == 204
    assert not Unit.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(action="unit.deleted", target_id=str(empty.pk)).exists()
    assert refused.status_code == 422
    with translation.override(p.hr.user.language):
        assert said(refused)["detail"] == gettext(
            "Only an empty unit can be removed: move its people and units first.")
    assert Unit.objects.filter(pk=p.team.pk).exists()
    assert top.status_code == 404


def test_a_manager_cannot_remove_a_unit(client, p):
    client.force_login(p.manager.user)
    empty = services.unit_create(organisation=p.team.organisation, code="LEEG", name="Leeg",
                                 parent=p.team)

    assert client.delete(f"/api/v1/units/{empty.pk}").status_code == 404
    assert Unit.objects.filter(pk=empty.pk).exists()


def test_hr_ends_an_override_through_the_api_as_through_the_page(client, p):
    client.force_login(p.hr.user)
    overrides = []
    for person, acting in ((p.employee, p.colleague), (p.colleague, p.employee)):
        client.post(f"/api/v1/people/{person.pk}/evaluator-overrides",
                    json.dumps({"first_evaluator_id": acting.pk,
                                "valid_from": "2026-01-01", "reason": "Waarnemend"}),
                    content_type="application/json")
        overrides.append(EvaluatorOverride.objects.get(person=person))
    by_api, by_page = overrides

    response = client.post(
        f"/api/v1/people/{p.employee.pk}/evaluator-overrides/{by_api.pk}/end")
    client.post(f"/people/{p.colleague.pk}/evaluators/{by_page.pk}/end/")

    assert response.status_code == 200
    by_api.refresh_from_db()
    by_page.refresh_from_db()
    assert by_api.valid_until == by_page.valid_until == clock.today()
    assert response.json()["id"] == p.employee.pk


def test_an_override_of_another_person_is_not_found(client, p):
    client.force_login(p.hr.user)
    client.post(f"/api/v1/people/{p.employee.pk}/evaluator-overrides",
                json.dumps({"first_evaluator_id": p.colleague.pk, "valid_from": "2026-01-01",
                            "reason": "Waarnemend"}),
                content_type="application/json")
    override = EvaluatorOverride.objects.get(person=p.employee)

    response = client.post(
        f"/api/v1/people/{p.colleague.pk}/evaluator-overrides/{override.pk}/end")

    assert response.status_code == 404
    override.refresh_from_db()
    assert override.valid_until is None


# The organisations and their top units (the unit tree) ---------------------------------


def test_hr_lists_its_organisation_with_the_top_of_its_subtree(client, p):
    client.force_login(p.hr.user)

    response = client.get("/api/v1/organisations")

    organisation = p.top.organisation
    assert response.status_code == 200
    assert response.json()["items"] == [{
        "id": organisation.pk, "name": "Stad Lindendaal", "slug": organisation.slug,
        "top_units": [{"id": p.top.pk, "code": p.top.code, "name": "Stadsbestuur"}]}]


def test_hr_of_a_team_gets_the_team_as_its_top_unit_as_on_the_page(client, p):
    client.force_login(p.team_hr.user)

    (organisation,) = client.get("/api/v1/organisations").json()["items"]

    assert [unit["id"] for unit in organisation["top_units"]] == [p.other_team.pk]
    # The page opens the only top unit there is: the same one.
    assert client.get(reverse("unit_tree")).url == reverse("unit_detail",
                                                           args=[p.other_team.pk])
    assert client.get(f"/api/v1/units/{p.other_team.pk}").status_code == 200


def test_nested_hr_grants_give_one_top_unit(client, p):
    factories.grant(p.hr, Role.HR, p.department)
    client.force_login(p.hr.user)

    (organisation,) = client.get("/api/v1/organisations").json()["items"]

    assert [unit["name"] for unit in organisation["top_units"]] == ["Stadsbestuur"]


@pytest.mark.parametrize("who", ["employee", "manager", "director", "outsider"])
def test_someone_without_an_hr_grant_sees_no_organisation(client, p, who):
    client.force_login(getattr(p, who).user)

    response = client.get("/api/v1/organisations")

    assert (response.status_code, response.json()["items"]) == (200, [])
    assert client.get(reverse("unit_tree")).status_code == 404  # the page: nothing to show


def test_a_superuser_lists_every_organisation_with_its_top_unit_as_the_page(client, p):
    admin = factories.superuser(email="admin@example.org", password="x")
    client.force_login(admin)

    data = client.get("/api/v1/organisations").json()["items"]

    assert [(o["name"], [u["name"] for u in o["top_units"]]) for o in data] == [
        ("Elders", [p.outsider.unit.name]), ("Stad Lindendaal", ["Stadsbestuur"])]
    page = client.get(reverse("unit_tree")).content.decode()
    for organisation in data:
        for unit in organisation["top_units"]:
            assert reverse("unit_detail", args=[unit["id"]]) in page


def test_the_organisations_answer_in_a_bounded_number_of_queries(
        client, p, django_assert_max_num_queries):
    admin = factories.superuser(email="admin@example.org", password="x")
    client.force_login(admin)
    with django_assert_max_num_queries(20) as two:
        client.get("/api/v1/organisations")
    for n in range(3):
        factories.unit(factories.organisation(f"Gemeente {n}"))

    with django_assert_max_num_queries(len(two)):
        data = client.get("/api/v1/organisations").json()["items"]

    assert len(data) == 5
