"""The training plan pages: everyone of the organisation reads the list, HR of the whole
organisation adds, changes and removes plans; the preparation forms show the plans in
force beside them. Also through the API."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.core.clock import today_for
from koers.core.models import User
from koers.development.models import TrainingPlan
from koers.development.services import preparations, training_plans
from tests import personas
from tests.factories import development
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    """The personas with a seeded catalogue, reading the pages in English."""
    people = personas.build()
    development.seeded(people.employee.organisation)
    User.objects.update(language="en")
    return people


def _today(p):
    return today_for(p.employee.organisation)


def _plan(p, title="Opleidingsplan", *, days_before=30, days_after=300, **fields):
    today = _today(p)
    return training_plans.training_plan_create(
        actor=viewer(p.hr), organisation=p.employee.organisation, title=title,
        valid_from=today - dt.timedelta(days=days_before),
        valid_until=today + dt.timedelta(days=days_after), **fields)


def _form(p, **changes):
    today = _today(p)
    data = {"title": "Opleidingsplan 2026", "valid_from": today.replace(month=1, day=1),
            "valid_until": today.replace(month=12, day=31),
            "objectives": "Administratief assistenten: de nieuwe software leren.",
            "competencies": [development.competency(p.employee.organisation,
                                                    "werk-structureren").pk],
            "document_url": "https://intranet.example/gop.pdf"}
    data.update(changes)
    return data


# HR keeps the plans ---------------------------------------------------------------------


def test_hr_adds_a_training_plan_and_the_list_shows_it(client, p):
    org = p.employee.organisation
    client.force_login(p.hr.user)

    response = client.post(reverse("training_plan_new", args=[org.pk]), _form(p))

    assert response.status_code == 302
    plan = TrainingPlan.objects.get()
    assert (plan.title, plan.document_url) == ("Opleidingsplan 2026",
                                              "https://intranet.example/gop.pdf")
    assert [c.code for c in plan.competencies.all()] == ["werk-structureren"]
    page = client.get(response["Location"]).content.decode()
    assert "Opleidingsplan 2026" in page
    assert "Structuring work" in page
    assert reverse("training_plan_edit", args=[plan.pk]) in page


def test_the_new_plan_form_proposes_the_current_year(client, p):
    client.force_login(p.hr.user)

    page = client.get(reverse("training_plan_new", args=[p.employee.organisation_id]))

    year = _today(p).year
    assert page.context["form"].initial == {"valid_from": dt.date(year, 1, 1),
                                            "valid_until": dt.date(year, 12, 31)}


def test_hr_changes_a_training_plan(client, p):
    plan = _plan(p)
    client.force_login(p.hr.user)
    url = reverse("training_plan_edit", args=[plan.pk])
    assert "Opleidingsplan" in client.get(url).content.decode()

    response = client.post(url, _form(p, title="Opleidingsplan herzien", competencies=[
        development.competency(p.employee.organisation, "ondersteunen").pk]))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Opleidingsplan herzien"
    assert [c.code for c in plan.competencies.all()] == ["ondersteunen"]


def test_hr_removes_a_training_plan(client, p):
    plan = _plan(p)
    client.force_login(p.hr.user)

    response = client.post(reverse("training_plan_remove", args=[plan.pk]))

    assert response.status_code == 302
    assert TrainingPlan.objects.count() == 0


@pytest.mark.parametrize(("language", "message"), [
    ("en", "The plan cannot end before it starts: choose an end date on or after its start "
           "date."),
    ("nl", "Het plan kan niet eindigen voor het begint: kies een einddatum op of na de "
           "begindatum."),
])
def test_an_end_before_the_start_is_shown_on_the_form_in_the_users_language(client, p,
                                                                             language, message):
    User.objects.filter(pk=p.hr.user_id).update(language=language)
    client.force_login(p.hr.user)
    data = _form(p, valid_from=dt.date(2026, 12, 31), valid_until=dt.date(2026, 1, 1))

    response = client.post(reverse("training_plan_new", args=[p.employee.organisation_id]),
                           data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"valid_until": [message]}
    assert TrainingPlan.objects.count() == 0


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Give the training plan a title."),
    ("nl", "Geef het opleidingsplan een titel."),
])
def test_a_missing_title_is_shown_on_the_form_in_the_users_language(client, p, language,
                                                                     message):
    User.objects.filter(pk=p.hr.user_id).update(language=language)
    client.force_login(p.hr.user)

    response = client.post(reverse("training_plan_new", args=[p.employee.organisation_id]),
                           _form(p, title=""))

    assert response.context["form"].errors == {"title": [message]}


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr", "outsider"])
def test_others_get_a_404_for_every_change_and_nothing_changes(client, p, who):
    plan = _plan(p)
    client.force_login(getattr(p, who).user)
    org = p.employee.organisation

    statuses = [
        client.get(reverse("training_plan_new", args=[org.pk])).status_code,
        client.post(reverse("training_plan_new", args=[org.pk]), _form(p)).status_code,
        client.get(reverse("training_plan_edit", args=[plan.pk])).status_code,
        client.post(reverse("training_plan_edit", args=[plan.pk]),
                    _form(p, title="Overgenomen")).status_code,
        client.post(reverse("training_plan_remove", args=[plan.pk])).status_code,
    ]

    assert statuses == [404] * 5
    assert list(TrainingPlan.objects.values_list("pk", "title")) == [(plan.pk,
                                                                      "Opleidingsplan")]


def test_a_colleague_reads_the_list_without_the_links_to_change(client, p):
    plan = _plan(p, objectives="Alle teams: samenwerken leren.")
    client.force_login(p.colleague.user)

    page = client.get(reverse("training_plans", args=[p.employee.organisation_id]))

    body = page.content.decode()
    assert page.status_code == 200
    assert "Alle teams: samenwerken leren." in body
    assert reverse("training_plan_edit", args=[plan.pk]) not in body
    assert reverse("training_plan_new", args=[p.employee.organisation_id]) not in body


def test_another_organisation_gets_a_404_for_the_list(client, p):
    _plan(p)
    client.force_login(p.outsider.user)

    response = client.get(reverse("training_plans", args=[p.employee.organisation_id]))

    assert response.status_code == 404


def test_the_catalogue_pages_link_to_the_training_plans(client, p):
    client.force_login(p.colleague.user)
    org = p.employee.organisation

    page = client.get(reverse("competency_catalogue", args=[org.pk])).content.decode()

    assert reverse("training_plans", args=[org.pk]) in page


def test_the_list_reads_in_a_fixed_number_of_queries(client, p):
    org = p.employee.organisation
    url = reverse("training_plans", args=[org.pk])
    competency = development.competency(org, "werk-structureren")
    client.force_login(p.hr.user)
    _plan(p, "Plan 1", competencies=[competency])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in (2, 3):
        _plan(p, f"Plan {n}", competencies=[competency])

    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()

    assert all(f"Plan {n}" in page for n in (1, 2, 3))
    assert len(three) == len(one)
    assert len(three) <= 12


# Beside the preparation forms -----------------------------------------------------------


def _preparation_urls(p):
    """The three preparation forms, each the author's draft."""
    own = preparations.employee_preparation_start(actor=viewer(p.employee))
    view = preparations.department_preparation_start(actor=viewer(p.manager), unit=p.team)
    about = preparations.manager_preparation_start(actor=viewer(p.manager), employee=p.employee)
    return [(p.employee.user, reverse("employee_preparation", args=[own.pk])),
            (p.manager.user, reverse("department_preparation", args=[view.pk])),
            (p.manager.user, reverse("manager_preparation", args=[about.pk]))]


def test_the_plan_in_force_appears_beside_each_preparation_form_and_an_expired_one_not(
        client, p):
    org = p.employee.organisation
    _plan(p, "Opleidingsplan dit jaar", objectives="Alle assistenten: plannen leren.",
          competencies=[development.competency(org, "ondersteunen")],
          document_url="https://intranet.example/gop.pdf")
    _plan(p, "Opleidingsplan vorig jaar", days_before=400, days_after=-1)

    for user, url in _preparation_urls(p):
        client.force_login(user)
        response = client.get(url)
        page = response.content.decode()

        assert response.status_code == 200
        assert "Opleidingsplan dit jaar" in page, url
        assert "Alle assistenten: plannen leren." in page
        assert "Supporting" in page
        assert 'href="https://intranet.example/gop.pdf"' in page
        assert "Opleidingsplan vorig jaar" not in page, url


def test_without_a_plan_in_force_the_preparation_says_so(client, p):
    _plan(p, "Opleidingsplan volgend jaar", days_before=-30, days_after=300)
    user, url = _preparation_urls(p)[0]
    client.force_login(user)

    page = client.get(url).content.decode()

    assert "No training plan of the organisation is in force today" in page
    assert "Opleidingsplan volgend jaar" not in page


@pytest.mark.parametrize("form", [0, 1, 2])
def test_a_preparation_page_reads_the_same_number_of_queries_with_one_or_three_plans(
        client, p, form):
    org = p.employee.organisation
    competencies = [development.competency(org, code)
                    for code in ("ondersteunen", "werk-structureren")]
    user, url = _preparation_urls(p)[form]
    client.force_login(user)
    _plan(p, "Plan 1", competencies=competencies)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in (2, 3):
        _plan(p, f"Plan {n}", competencies=competencies)

    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()

    assert all(f"Plan {n}" in page for n in (1, 2, 3))
    assert len(three) == len(one)


# The API --------------------------------------------------------------------------------


def _send(client, method, url, data=None):
    return client.generic(method, url, json.dumps(data or {}),
                          content_type="application/json")


def test_everyone_of_the_organisation_lists_the_plans_and_those_in_force(client, p):
    current = _plan(p, "Huidig")
    _plan(p, "Vorig", days_before=400, days_after=-1)
    org = p.employee.organisation
    client.force_login(p.colleague.user)

    every = client.get(f"/api/v1/organisations/{org.pk}/training-plans").json()["items"]
    in_force = client.get(f"/api/v1/organisations/{org.pk}/training-plans",
                          {"in_force_on": _today(p).isoformat()}).json()["items"]

    assert [plan["title"] for plan in every] == ["Huidig", "Vorig"]
    assert [plan["id"] for plan in in_force] == [current.pk]
    client.force_login(p.outsider.user)
    assert client.get(f"/api/v1/organisations/{org.pk}/training-plans").status_code == 404


def test_hr_adds_changes_and_removes_a_plan_through_the_api(client, p):
    org = p.employee.organisation
    structure = development.competency(org, "werk-structureren")
    support = development.competency(org, "ondersteunen")
    client.force_login(p.hr.user)

    created = _send(client, "POST", f"/api/v1/organisations/{org.pk}/training-plans", {
        "title": "GOP", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
        "competency_ids": [structure.pk]})
    plan_id = created.json()["id"]
    changed = _send(client, "PATCH", f"/api/v1/training-plans/{plan_id}",
                    {"competency_ids": [support.pk, structure.pk]})
    removed = _send(client, "DELETE", f"/api/v1/training-plans/{plan_id}")

    assert created.status_code == 201
    assert [c["code"] for c in created.json()["competencies"]] == ["werk-structureren"]
    assert changed.status_code == 200
    assert sorted(c["code"] for c in changed.json()["competencies"]) == [
        "ondersteunen", "werk-structureren"]
    assert removed.status_code == 204
    assert TrainingPlan.objects.count() == 0


def test_the_api_refuses_a_bad_period_with_the_message_and_others_get_a_404(client, p):
    org = p.employee.organisation
    plan = _plan(p)
    client.force_login(p.hr.user)

    refused = _send(client, "POST", f"/api/v1/organisations/{org.pk}/training-plans", {
        "title": "GOP", "valid_from": "2026-12-31", "valid_until": "2026-01-01"})

    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["valid_until"]
    client.force_login(p.manager.user)
    assert _send(client, "PATCH", f"/api/v1/training-plans/{plan.pk}",
                 {"title": "Overgenomen"}).status_code == 404
    assert _send(client, "DELETE", f"/api/v1/training-plans/{plan.pk}").status_code == 404
    assert list(TrainingPlan.objects.values_list("title", flat=True)) == ["Opleidingsplan"]


def test_hrs_home_links_to_the_training_plans(client, p):
    client.force_login(p.hr.user)

    page = client.get(reverse("home")).content.decode()

    assert reverse("training_plans", args=[p.employee.organisation_id]) in page
