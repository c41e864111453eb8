"""HR is told where a 2nd evaluator does not hold a higher rank than the person evaluated
(Vlaamse overheid, PLOEG-gesprekken,
https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken): on the unit's list
of ranks to check, on the person's page and in the API, from one selector."""

import pytest
from django.test import Client
from django.urls import reverse

from koers.core import clock
from koers.organisation.evaluators import evaluator_line
from koers.organisation.models import Person, PolicyPreset, Role
from tests import factories, personas
from tests.api.clients import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    p = personas.build()
    # Marc (A2) and his 2nd evaluator, the head of the department (A2): not higher.
    Person.objects.filter(pk=p.employee.pk).update(rank="A2")
    second = evaluator_line(p.employee, on=clock.today()).second
    assert second is not None
    Person.objects.filter(pk=second.pk).update(rank="A2")
    # Peter (B1) under the same head: A2 is higher.
    Person.objects.filter(pk=p.colleague.pk).update(rank="B1")
    return p


def test_hr_finds_the_unit_list_and_the_people_to_check(p, django_assert_max_num_queries):
    client = signed_in(p.hr)
    unit_page = client.get(reverse("unit_detail", args=[p.top.pk])).content.decode()
    assert reverse("unit_rank_check", args=[p.top.pk]) in unit_page
    assert "Rangen van de 2de evaluator nakijken" in unit_page
    with django_assert_max_num_queries(12):
        page = client.get(reverse("unit_rank_check", args=[p.top.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Marc Vandamme" in text
    assert "Peter Gordon" not in text  # B1 under an A2: higher
    assert reverse("override_create", args=[p.employee.pk]) in text
    assert "1 persoon om na te kijken" in text


def test_the_list_costs_the_same_for_more_people(p, django_assert_max_num_queries):
    for _ in range(5):
        factories.person(p.team, rank="A3")
    client = signed_in(p.hr)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("unit_rank_check", args=[p.top.pk]))
    assert page.content.decode().count("Een andere 2de evaluator instellen voor") == 6


def test_the_persons_page_tells_hr_and_nobody_else(p):
    warning = "heeft geen hogere rang dan deze persoon"
    hr_page = signed_in(p.hr).get(reverse("person_detail", args=[p.employee.pk]))
    assert warning in hr_page.content.decode()
    colleague = signed_in(p.hr).get(reverse("person_detail", args=[p.colleague.pk]))
    assert warning not in colleague.content.decode()
    manager_page = signed_in(p.manager).get(reverse("person_detail", args=[p.employee.pk]))
    assert manager_page.status_code == 200
    assert warning not in manager_page.content.decode()


def test_a_higher_second_evaluator_leaves_nothing_to_check(p):
    Person.objects.filter(pk=p.employee.pk).update(rank="A1")
    page = signed_in(p.hr).get(reverse("unit_rank_check", args=[p.top.pk]))
    assert "Niemand om na te kijken" in page.content.decode()
    assert signed_in(p.hr).get(f"/api/v1/units/{p.top.pk}/rank-check").json()["items"] == []


def test_only_hr_of_the_unit_reads_the_list(p):
    for reader in (p.manager, p.employee, p.team_hr, p.outsider):
        assert signed_in(reader).get(
            reverse("unit_rank_check", args=[p.top.pk])).status_code == 404
        assert signed_in(reader).get(
            f"/api/v1/units/{p.top.pk}/rank-check").status_code == 404
    assert Client().get(reverse("unit_rank_check", args=[p.top.pk])).status_code == 302


def test_the_api_gives_the_same_people(p):
    body = signed_in(p.hr).get(f"/api/v1/units/{p.top.pk}/rank-check").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["person"]["id"] == p.employee.pk
    assert (item["rank"], item["second_evaluator_rank"]) == ("A2", "A2")
    assert item["second_evaluator_set_by_hr"] is False


@pytest.mark.parametrize("preset", [PolicyPreset.FEDERAL, PolicyPreset.DUTCH_MUNICIPAL])
def test_other_regimes_do_not_compare_ranks(preset):
    org = factories.organisation(preset=preset)
    top = factories.unit(org)
    team = factories.unit(org, top)
    head = factories.person(top, manages=top, rank="A2")
    factories.person(team, manages=team, rank="A1")
    employee = factories.person(team, rank="A3")
    hr = factories.person(top, with_user=True)
    factories.grant(hr, Role.HR, top)
    del head
    client = signed_in(hr)
    assert "rank-check" not in client.get(reverse("unit_detail", args=[top.pk])).content.decode()
    assert client.get(reverse("unit_rank_check", args=[top.pk])).status_code == 404
    assert client.get(f"/api/v1/units/{top.pk}/rank-check").status_code == 404
    person_page = client.get(reverse("person_detail", args=[employee.pk])).content.decode()
    assert "hogere rang" not in person_page
