"""Leaving on the timeline: HR or the 1st evaluator records that the person leaves and
whether they agreed to be evaluated before; everyone who sees the person reads the
state and its reason, in Dutch and English; the HR dashboard counts them apart.

Source: Vlaams personeelsstatuut, Deel IV (evaluatie), hoofdstukken 1–2,
https://overheid.vlaanderen.be/BVR_Deel04-h1-h2 — staff who leave voluntarily or retire
may, with their agreement, be evaluated before they leave.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from koers.core import clock
from koers.cycles import services
from koers.cycles.models import Participation
from koers.organisation import services as organisation_services
from tests import personas

pytestmark = pytest.mark.django_db

SEPTEMBER_1 = dt.datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def row(p):
    """Marc retires on 30 September 2026, in the Flemish cycle of 2026."""
    cycle = services.cycle_open(organisation=p.top.organisation, year=2026, actor=None,
                                background=False)
    services.cycle_fill(cycle=cycle)
    with clock.frozen(SEPTEMBER_1):
        organisation_services.person_save(organisation=p.top.organisation, person=p.employee,
                                          actor=p.hr.user, end_date=dt.date(2026, 9, 30))
    return Participation.objects.get(cycle=cycle, person=p.employee)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _page(client, person):
    with clock.frozen(SEPTEMBER_1):
        return client.get(reverse("person_timeline", args=[person.pk]))


def _post(client, row, **data):
    prefix = f"leaving-{row.pk}"
    with clock.frozen(SEPTEMBER_1):
        return client.post(
            reverse("participation_leaving", args=[row.person_id, row.pk]),
            {f"{prefix}-{name}" if name != "clear" else name: value
             for name, value in data.items()},
        )


def test_the_timeline_shows_someone_leaving_before_the_evaluation_with_the_reason(
        client, p, row, django_assert_max_num_queries):
    client.force_login(p.employee.user)
    with django_assert_max_num_queries(16):
        response = _page(client, p.employee)
    text = _text(response)
    assert "Vertrekt vóór de evaluatie. Vertrekt op 30-09-2026, voor de evaluatie moet " \
        "plaatsvinden; niemand legde een akkoord vast" in text
    assert "Afspraken over het vertrek opslaan" not in text  # the employee reads only
    # No evaluation step is due (nor late): only the planning of March is.
    assert "Evaluatiegesprek" not in text
    assert text.count("Te laat") == 1


def test_the_1st_evaluator_records_the_agreement_on_the_page(client, p, row):
    client.force_login(p.manager.user)
    assert "Afspraken over het vertrek opslaan" in _text(_page(client, p.employee))

    response = _post(client, row, reason="retirement", last_working_day="2026-09-30",
                     agreed="on")

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.evaluated_before_leaving, row.evaluation_due, row.closed_on) == (
        True, dt.date(2026, 9, 30), None)
    text = _text(_page(client, p.employee))
    assert "Geëvalueerd vóór het vertrek. Akkoord met een evaluatie vóór het vertrek " \
        "(gaat met pensioen)" in text
    assert f"Vastgelegd door {p.manager.user.email} op 01-09-2026." in text
    assert "30-09-2026 Evaluatiegesprek" in text


def test_the_state_reads_in_english_too(client, p, row):
    p.hr.user.language = "en"
    p.hr.user.save()
    client.force_login(p.hr.user)
    _post(client, row, reason="voluntary", last_working_day="2026-09-30")

    text = _text(_page(client, p.employee))

    assert "Leaves before the evaluation. Leaves on 30-09-2026 (leaves voluntarily), before " \
        "the evaluation is due, and did not agree to be evaluated before leaving." in text


def test_an_agreement_for_another_reason_is_refused_in_dutch_and_changes_nothing(
        client, p, row):
    client.force_login(p.hr.user)

    response = _post(client, row, reason="other", last_working_day="2026-09-30", agreed="on")

    assert response.status_code == 200
    assert "Alleen wie vrijwillig vertrekt of met pensioen gaat, kan vóór het vertrek " \
        "geëvalueerd worden." in _text(response)
    row.refresh_from_db()
    assert (row.leaving_reason, row.exemption) == ("", "leaves_before_evaluation")


@pytest.mark.parametrize("who", ["colleague", "unrelated_manager", "team_hr"])
def test_others_get_a_404(client, p, row, who):
    client.force_login(getattr(p, who).user)
    response = _post(client, row, reason="retirement", last_working_day="2026-09-30",
                     agreed="on")
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.leaving_reason == ""


def test_the_2nd_evaluator_reads_but_cannot_record(client, p, row):
    client.force_login(p.department.manager.user)
    assert "Afspraken over het vertrek opslaan" not in _text(_page(client, p.employee))
    assert _post(client, row, reason="retirement", last_working_day="2026-09-30"
                 ).status_code == 404


def test_the_hr_dashboard_counts_who_leaves_before_the_evaluation(
        client, p, row, django_assert_max_num_queries):
    client.force_login(p.hr.user)
    url = reverse("cycle_dashboard_unit", args=[row.cycle_id, p.top.pk])
    with clock.frozen(SEPTEMBER_1), django_assert_max_num_queries(14):
        response = client.get(url)
    text = _text(response)
    assert "Vertrek vóór de evaluatie" in text
    assert "… zonder vastgelegde reden" in text
    assert re.search(r"Stadsbestuur, met de eenheden eronder( 0){0,1} 0 1 0 0 0 1", text)
