"""The people late on a step, reached from the dashboard's late counts, and HR's
reminder from that list."""

import re

import pytest
from django.urls import reverse

from koers.core import clock
from koers.cycles.models import LateReminder
from koers.notify.models import Notification
from tests import factories, personas
from tests.factories import bulk_participations
from tests.factories import participations as cycles

pytestmark = pytest.mark.django_db

AFTER_PLANNING = bulk_participations.AFTER_PLANNING


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def cycle(p):
    return bulk_participations.late_on_planning(p)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_dashboard_shows_each_steps_share_and_links_the_late_count(client, p, cycle):
    client.force_login(p.hr.user)
    with clock.frozen(AFTER_PLANNING):
        page = _text(client.get(reverse("cycle_dashboard_unit", args=[cycle.pk, p.top.pk])))

    late = reverse("cycle_dashboard_late", args=[cycle.pk, p.top.pk, "planning"])
    # 9 people: 7 planned (78 %), 2 late (22 %).
    assert "7 (78 %)" in page
    assert f'<a class="utrecht-link" href="{late}"><span class="koers-overdue">' in page
    assert "2 te laat (22 %)" in page
    # The bar repeats the numbers beside it: hidden from screen readers, which read those.
    assert ('<svg class="koers-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
            'aria-hidden="true"') in page
    # The late count of a child unit leads to that unit's list.
    child = reverse("cycle_dashboard_late", args=[cycle.pk, p.department.pk, "planning"])
    assert f'href="{child}"' in page


def test_hr_sees_who_is_late_with_unit_due_date_evaluators_and_timeline(client, p, cycle):
    client.force_login(p.hr.user)
    url = reverse("cycle_dashboard_late", args=[cycle.pk, p.top.pk, "planning"])
    with clock.frozen(AFTER_PLANNING):
        page = _text(client.get(url))

    assert "Te laat voor Planningsgesprek: Stadsbestuur" in page
    timeline = reverse("person_timeline", args=[p.employee.pk])
    assert f'<a class="utrecht-link" href="{timeline}">Marc Vandamme</a>' in page
    assert "Team Loonadministratie" in page
    assert "Ratana Than" in page  # the 1st evaluator
    assert f'name="person" value="{p.colleague.pk}"' in page


def test_hr_reminds_the_selected_people_once_a_day(client, p, cycle):
    client.force_login(p.hr.user)
    url = reverse("cycle_dashboard_late", args=[cycle.pk, p.top.pk, "planning"])
    with clock.frozen(AFTER_PLANNING):
        sent = client.post(url, {"person": [p.employee.pk, p.colleague.pk]}, follow=True)
        again = client.post(url, {"person": [p.employee.pk]}, follow=True)

    assert "Herinneringen verstuurd over 2 personen: " in _text(sent)
    assert "Vandaag herinnerd" in _text(sent)
    assert "Vandaag al herinnerd: Marc Vandamme." in _text(again)
    assert LateReminder.objects.count() == 2
    # Both have the same 1st evaluator, who gets one notification per person.
    assert Notification.objects.filter(recipient=p.manager.user,
                                       kind="cycles.late_reminder").count() == 2


@pytest.mark.parametrize(("chosen", "message"), [
    ([], "Kies de personen over wie je een herinnering wilt sturen."),
    (["x"], "De selectie kon niet gelezen worden: er werd niets verstuurd."),
    (["999999"], "Sommige gekozen personen zijn (niet langer) te laat voor deze stap"),
])
def test_a_bad_selection_is_refused_with_a_message_and_nothing_changes(
        client, p, cycle, chosen, message):
    client.force_login(p.hr.user)
    url = reverse("cycle_dashboard_late", args=[cycle.pk, p.top.pk, "planning"])
    with clock.frozen(AFTER_PLANNING):
        response = client.post(url, {"person": chosen}, follow=True)

    assert message in _text(response)
    assert (LateReminder.objects.count(), Notification.objects.count()) == (0, 0)


@pytest.mark.parametrize("who", ["manager", "employee", "team_hr"])
def test_others_get_a_404_and_remind_nobody(client, p, cycle, who):
    client.force_login(getattr(p, who).user)
    url = reverse("cycle_dashboard_late", args=[cycle.pk, p.team.pk, "planning"])
    with clock.frozen(AFTER_PLANNING):
        assert client.get(url).status_code == 404
        assert client.post(url, {"person": [p.employee.pk]}).status_code == 404
    assert LateReminder.objects.count() == 0


def test_a_step_that_cannot_be_late_is_a_404(client, p, cycle):
    client.force_login(p.hr.user)
    for step in ("evaluation_window_opens", "nonsense"):
        url = reverse("cycle_dashboard_late", args=[cycle.pk, p.top.pk, step])
        assert client.get(url).status_code == 404


def _organisation_with(size: int):
    org = factories.organisation("Stad Telling")
    top = factories.unit(org, name="Stad")
    hr = factories.person(top, with_user=True)
    factories.grant(hr, personas.Role.HR, top)
    teams = [factories.unit(org, top, name=f"Team {i}") for i in range(3)]
    for team in teams:
        factories.person(team, manages=team, with_user=True)
    cycle = cycles.cycle(org, 2026)
    bulk_participations.participations(
        cycle, [factories.person(teams[i % 3]) for i in range(size)])
    return hr, cycle, top


# session + user, viewer (person, grants), cycle, unit, the late list's four, the
# ancestors, the unread notifications in the header.
LATE_PAGE_QUERIES = 11


@pytest.mark.parametrize("size", [5, 50])
def test_the_list_needs_the_same_number_of_queries_for_5_and_50_people(
    client, django_assert_num_queries, size
):
    hr, cycle, top = _organisation_with(size)
    client.force_login(hr.user)
    url = reverse("cycle_dashboard_late", args=[cycle.pk, top.pk, "planning"])
    client.get(url)  # warm the session

    with clock.frozen(AFTER_PLANNING), django_assert_num_queries(LATE_PAGE_QUERIES):
        page = client.get(url).content.decode()

    assert page.count('name="person"') == size
