"""A record's history: HR with a grant over the unit (and superusers) read it, nobody else."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.core.models import User
from koers.organisation import services
from koers.organisation.models import PolicyPreset
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def _regrade(p, *grades):
    for grade in grades:
        services.person_save(organisation=p.employee.organisation, person=p.employee,
                             grade=grade, actor=p.hr.user)


def _in_english(client, person):
    User.objects.filter(pk=person.user_id).update(language="en")
    client.force_login(person.user)


def test_hr_sees_who_changed_the_grade_on_the_person_page(client, p):
    _regrade(p, "B3")
    _in_english(client, p.hr)
    page = client.get(reverse("person_detail", args=[p.employee.pk])).content.decode()
    assert 'id="history"' in page
    # A sentence with the field's name, not the column and an arrow.
    assert re.search(r"Grade / level (changed from \S+ to|set to) B3\.", page)
    assert "grade: " not in page
    assert "→" not in page
    assert p.hr.user.email in page


@pytest.mark.parametrize(("preset", "label"), [
    (PolicyPreset.FLEMISH, "Einde proeftijd"), (PolicyPreset.FEDERAL, "Einde stage")])
def test_the_end_of_probation_is_named_in_the_regime_s_words(client, p, preset, label):
    # A federal stagiair's record speaks of the stage (BOSA, "Evaluatieperiode
    # stagiair"), in the history and on the form that changes it.
    organisation = p.employee.organisation
    organisation.policy_preset = preset
    organisation.save(update_fields=["policy_preset"])
    services.person_save(organisation=organisation, person=p.employee, actor=p.hr.user,
                         probation_end_date=dt.date(2027, 1, 8))
    client.force_login(p.hr.user)
    page = client.get(reverse("person_detail", args=[p.employee.pk])).content.decode()
    assert f"{label} ingesteld op 08-01-2027." in page
    form = client.get(reverse("person_edit", args=[p.employee.pk])).content.decode()
    assert f">{label}</label>" in form or f">{label}\n" in form or label in form


def test_the_employee_does_not_see_their_history(client, p):
    _regrade(p, "B3")
    client.force_login(p.employee.user)
    page = client.get(reverse("person_detail", args=[p.employee.pk])).content.decode()
    assert 'id="history"' not in page


def test_the_history_is_one_query_however_long(client, p):
    client.force_login(p.hr.user)
    url = reverse("person_detail", args=[p.employee.pk])
    _regrade(p, "B1")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _regrade(p, "B2", "B3", "B4")
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


def test_hr_reads_the_history_through_the_api(client, p):
    _regrade(p, "B3")
    client.force_login(p.hr.user)
    events = client.get(f"/api/v1/people/{p.employee.pk}/history").json()["items"]
    assert events[0]["action"] == "person.changed"
    assert events[0]["actor"] == p.hr.user.email
    assert events[0]["changes"] == [
        {"field": "grade", "before": events[0]["changes"][0]["before"], "after": "B3"}]


def test_the_history_api_is_not_found_for_the_employee_or_another_hr(client, p):
    _regrade(p, "B3")
    client.force_login(p.employee.user)
    assert client.get(f"/api/v1/people/{p.employee.pk}/history").status_code == 404
    client.force_login(p.team_hr.user)
    assert client.get(f"/api/v1/people/{p.employee.pk}/history").status_code == 404


def test_a_date_and_a_choice_read_as_people_know_them(client, p):
    services.person_save(organisation=p.employee.organisation, person=p.employee,
                         end_date=dt.date(2031, 3, 31), employment_status="contractual",
                         actor=p.hr.user)
    _in_english(client, p.hr)
    page = client.get(reverse("person_detail", args=[p.employee.pk])).content.decode()
    assert re.search(r"End date set to 31-03-2031\.", page)
    assert re.search(r"Employment status changed from \w+ to contractual\.", page)
    assert "2031-03-31" not in page
