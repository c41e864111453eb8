"""The timeline: every due date, who acts, and what is late — said in words, not colour alone."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.core import clock
from koers.cycles.models import CycleState
from tests import factories, personas
from tests.factories import participations

pytestmark = pytest.mark.django_db

# 5 April 2026: the Flemish planning (31 March) is late, the rest lies ahead.
APRIL_5 = dt.datetime(2026, 4, 5, 10, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def p():
    return personas.build()


def _page(client, person):
    with clock.frozen(APRIL_5):
        return client.get(reverse("person_timeline", args=[person.pk]))


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_employee_sees_what_is_due_by_whom_and_the_late_step_in_words(client, p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee)
    client.force_login(p.employee.user)
    response = _page(client, p.employee)
    assert response.status_code == 200
    page = response.content.decode()
    text = _text(response)
    assert "Evaluatieperiode 2026" in text
    # Overdue is red *and* written out, with an icon hidden from screen readers.
    assert re.search(
        r'<span class="koers-overdue"><span aria-hidden="true">⚠ </span>Te laat</span>', page
    )
    assert page.count("koers-overdue") == 1
    assert "31-03-2026 Planningsgesprek 1ste evaluator: Ratana Than ⚠ Te laat" in text
    assert "15-03-2027 Zelfevaluatie Medewerker: Marc Vandamme Te doen" in text
    assert f"2de evaluator: {p.department.manager.full_name}" in text


def test_the_timeline_speaks_english_too(client, p):
    participations.participation(participations.cycle(p.top.organisation, 2026), p.employee)
    p.employee.user.language = "en"
    p.employee.user.save()
    client.force_login(p.employee.user)
    text = _text(_page(client, p.employee))
    assert "31-03-2026 Planning conversation 1st evaluator: Ratana Than ⚠ Overdue" in text


def test_done_steps_say_when_they_were_done(client, p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee, planning_done_on=dt.date(2026, 2, 3))
    client.force_login(p.manager.user)
    text = _text(_page(client, p.employee))
    assert "Planningsgesprek 1ste evaluator: Ratana Than ✓ Gedaan op 03-02-2026" in text
    assert "Te laat" not in text


@pytest.mark.parametrize("who", ["employee", "manager", "hr"])
def test_whoever_may_see_the_person_sees_the_timeline(client, p, who):
    participations.participation(participations.cycle(p.top.organisation, 2026), p.employee)
    client.force_login(getattr(p, who).user)
    assert _page(client, p.employee).status_code == 200


@pytest.mark.parametrize("who", ["colleague", "unrelated_manager", "team_hr", "outsider"])
def test_others_get_the_same_404_as_for_a_missing_person(client, p, who):
    participations.participation(participations.cycle(p.top.organisation, 2026), p.employee)
    client.force_login(getattr(p, who).user)
    assert _page(client, p.employee).status_code == 404
    with clock.frozen(APRIL_5):
        assert client.get(reverse("person_timeline", args=[999_999])).status_code == 404


def test_without_an_open_cycle_the_page_says_so(client, p):
    closed = participations.cycle(p.top.organisation, 2025, state=CycleState.CLOSED)
    participations.participation(closed, p.employee)
    client.force_login(p.employee.user)
    assert "Er is geen open cyclus voor deze persoon." in _text(_page(client, p.employee))


def test_the_person_page_and_home_link_to_the_timeline(client, p):
    client.force_login(p.employee.user)
    url = reverse("person_timeline", args=[p.employee.pk])
    assert url in client.get(reverse("home")).content.decode()
    assert url in client.get(reverse("person_detail", args=[p.employee.pk])).content.decode()


def test_one_or_several_cycles_need_the_same_number_of_queries(client, p):
    org = p.top.organisation
    participations.participation(participations.cycle(org, 2026), p.employee)
    client.force_login(p.manager.user)
    _page(client, p.employee)  # warm the session

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = _page(client, p.employee)
        return len(queries), response.content.decode()

    one, page = count()
    assert page.count("<section") == 1
    for year in (2024, 2025):
        participations.participation(participations.cycle(org, year), p.employee)
    several, page = count()
    assert page.count("<section") == 3
    assert one == several


OCTOBER_1 = dt.datetime(2026, 10, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "17-12-2026 Planningsgesprek 1ste evaluator: Ratana Than Te doen"),
    ("en", "17-12-2026 Planning conversation 1st evaluator: Ratana Than To do"),
])
def test_a_newcomers_planning_follows_the_start_in_bounded_queries(
        client, p, django_assert_max_num_queries, language, expected):
    # PLOEG-gesprekken, https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken:
    # the planning within the first 90 days (by the end of March) — of the start.
    newcomer = factories.person(p.team, start_date=dt.date(2026, 9, 19))
    participations.participation(participations.cycle(p.top.organisation, 2026), newcomer)
    p.manager.user.language = language
    p.manager.user.save()
    client.force_login(p.manager.user)
    with clock.frozen(OCTOBER_1), django_assert_max_num_queries(16):
        response = client.get(reverse("person_timeline", args=[newcomer.pk]))
    text = _text(response)
    assert expected in text
    assert "31-03-2026" not in text
    assert "koers-overdue" not in response.content.decode()


def test_a_lapsed_federal_evaluation_says_so_in_the_timeline_and_on_the_dashboard(client, p):
    """[b2] BOSA, "Evaluatie – contractuelen en statutairen",
    https://bosa.belgium.be/nl/themas/werken-bij-de-overheid/loopbaan-en-statuut/evaluatie/contractuelen-en-statutairen-3:
    not evaluated 3 months after the cycle, the next cycle starts without a mention."""
    from koers.cycles.lapse import lapses_record

    organisation = p.top.organisation
    organisation.policy_preset = "federal"
    organisation.save(update_fields=["policy_preset"])
    cycle = participations.cycle(organisation, 2025)
    lapsing = participations.participation(cycle, p.employee)
    participations.participation(cycle, p.colleague)
    day = lapsing.evaluation_lapses
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Europe/Brussels"))
    client.force_login(p.hr.user)

    def timeline(person) -> tuple[str, int]:
        with clock.frozen(moment), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("person_timeline", args=[person.pk]))
        assert response.status_code == 200
        return _text(response), len(queries)

    with clock.frozen(moment):
        lapses_record()
    text, lapsed_queries = timeline(p.employee)
    assert f"Vervallen op {day:%d-%m-%Y}: niet geëvalueerd binnen 3 maanden" in text
    assert "zonder vermelding" in text
    assert "Vervallen, geen vermelding" in text  # the evaluation step, no longer overdue
    assert "Te laat" not in text
    # Saying it costs no query more than a timeline without a lapse.
    lapsing.lapsed_on = None
    lapsing.save(update_fields=["lapsed_on"])
    assert timeline(p.employee)[1] == lapsed_queries
    with clock.frozen(moment):
        lapses_record()
        board = _text(client.get(reverse("cycle_dashboard", args=[cycle.pk]), follow=True))
    assert "Vervallen, geen vermelding" in board
