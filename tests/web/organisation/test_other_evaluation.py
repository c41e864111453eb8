"""HR records on the person page that someone is a top manager or mandate holder: the
form records it, the person page, My data and the record's history show it, the cycle's
counts name the reason; in another regime the page says why it does not apply.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)"
(overheid.vlaanderen.be): "Voor topkaderfuncties bestaan andere evaluatievormen."
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from koers.core.models import User
from koers.cycles import services
from koers.cycles.models import Participation
from koers.organisation.models import Person, PolicyPreset
from tests import personas

pytestmark = pytest.mark.django_db

REASON = "Leidend ambtenaar (N) sinds maart 2026"


@pytest.fixture
def p():
    people = personas.build()
    User.objects.filter(pk__in=[people.hr.user_id, people.manager.user_id]).update(
        language="en")
    return people


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _url(person):
    return reverse("person_other_evaluation", args=[person.pk])


def _post(client, person, **data):
    return client.post(_url(person), data)


def test_hr_opens_the_form_from_the_person_page_in_bounded_queries(
        client, p, django_assert_max_num_queries):
    client.force_login(p.hr.user)
    page = _text(client.get(reverse("person_detail", args=[p.manager.pk])))
    assert "Top manager or mandate holder" in page

    with django_assert_max_num_queries(12):
        response = client.get(_url(p.manager))

    assert response.status_code == 200
    text = _text(response)
    assert "A middle manager stays in the annual evaluation" in text
    assert "Neither: in the annual evaluation" in text


def test_hr_records_it_and_the_cycle_follows(client, p):
    cycle = services.cycle_open(organisation=p.top.organisation, year=2026, actor=None,
                                background=False)
    services.cycle_fill(cycle=cycle)
    client.force_login(p.hr.user)

    response = _post(client, p.manager, function="top_manager", reason=REASON,
                     valid_from="2026-03-01")

    assert response.status_code == 302
    row = Participation.objects.get(cycle=cycle, person=p.manager)
    assert (row.evaluation_required, row.exemption) == (False, "top_manager")
    page = _text(client.get(reverse("person_detail", args=[p.manager.pk])))
    assert "Not in it: top manager from 1 March 2026, evaluated in another form" in page
    assert REASON in page
    # The record's history names the change in words.
    assert "Evaluated in another form: top manager or mandate holder" in page
    counts = _text(client.get(reverse("cycle_detail", args=[cycle.pk])))
    assert "top manager, evaluated in another form" in counts


def test_the_person_reads_it_in_my_data(client, p):
    client.force_login(p.hr.user)
    _post(client, p.manager, function="mandate_holder", reason=REASON,
          valid_from="2026-03-01")
    client.force_login(p.manager.user)

    text = _text(client.get(reverse("my_data")))

    assert "mandate holder" in text
    assert REASON in text


def test_clearing_puts_the_person_back(client, p):
    client.force_login(p.hr.user)
    _post(client, p.manager, function="top_manager", reason=REASON, valid_from="2026-03-01")

    response = _post(client, p.manager, function="", reason="", valid_from="")

    assert response.status_code == 302
    assert Person.objects.get(pk=p.manager.pk).other_evaluation == ""


def test_an_incomplete_record_is_refused_on_the_form(client, p):
    client.force_login(p.hr.user)

    response = _post(client, p.manager, function="top_manager", reason="", valid_from="")

    assert response.status_code == 200
    text = _text(response)
    assert "Say why the person is evaluated in another form." in text
    assert "Give the day from which the person is evaluated in another form." in text
    assert Person.objects.get(pk=p.manager.pk).other_evaluation == ""


def test_another_regime_says_why_and_offers_no_form(client, p):
    org = p.top.organisation
    org.policy_preset = PolicyPreset.FEDERAL
    org.save(update_fields=["policy_preset"])
    client.force_login(p.hr.user)

    assert "Top manager or mandate holder" not in _text(
        client.get(reverse("person_detail", args=[p.manager.pk])))
    text = _text(client.get(_url(p.manager)))
    assert "Only the Flemish government's policy evaluates top managers" in text
    assert "<form" not in client.get(_url(p.manager)).content.decode().split("<main")[-1]

    response = _post(client, p.manager, function="top_manager", reason=REASON,
                     valid_from="2026-03-01")
    assert response.status_code == 200
    assert Person.objects.get(pk=p.manager.pk).other_evaluation == ""


@pytest.mark.parametrize("who", ["manager", "employee", "team_hr"])
def test_only_hr_of_the_unit_reaches_the_form(client, p, who):
    client.force_login(getattr(p, who).user)
    assert client.get(_url(p.employee)).status_code == 404
    assert _post(client, p.employee, function="top_manager", reason=REASON,
                 valid_from=str(dt.date(2026, 3, 1))).status_code == 404
