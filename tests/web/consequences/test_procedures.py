"""An appeal or objection that follows an evaluation, as the employee follows it: the
evaluation's state in its light and each step with its day or its term, on the
evaluation's page, the timeline and the API."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.consequences import selectors, services
from koers.consequences.states import AppealOutcome
from koers.evaluations import services as evaluation_services
from koers.rulebook.appeals import Source, decision_due
from koers.rulebook.policy import policy_for
from koers.rulebook.services import policy_setting_change
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

FILED_ON = cf.IN_TERM  # 17 December 2025
PAGE_QUERIES = 20
TIMELINE_QUERIES = 16


def test_the_flemish_appeal_board_decides_within_30_calendar_days_of_the_appeal(p) -> None:
    # Vlaams personeelsstatuut, Deel IV; Raad van beroep
    # (https://overheid.vlaanderen.be/raadvanberoep): advice within 30 calendar days.
    due, source = decision_due(policy_for(p.employee.organisation), filed_on=FILED_ON,
                               advised_on=None)

    assert due == dt.date(2026, 1, 16)
    assert source == Source("Vlaams personeelsstatuut, Deel IV; Raad van beroep",
                            "https://overheid.vlaanderen.be/raadvanberoep")


def test_the_federal_decision_follows_the_advice_within_20_working_days(p) -> None:
    # fedweb, "Beroepen": the leidend ambtenaar informs the evaluatee within 20 working
    # days of the commission's advice; no term before the advice is known.
    policy_setting_change(organisation=p.employee.organisation,
                          name="appeal_commission_advises", value=True, actor=p.hr.user)
    policy_setting_change(organisation=p.employee.organisation,
                          name="appeal_working_days", value=True, actor=p.hr.user)
    policy = policy_for(p.employee.organisation)

    assert decision_due(policy, filed_on=FILED_ON, advised_on=None) == (None, None)
    due, source = decision_due(policy, filed_on=FILED_ON, advised_on=dt.date(2026, 1, 12))
    assert due == dt.date(2026, 2, 9)  # Monday 12 January + 20 working days
    assert source is not None
    assert source.url.startswith("https://fedweb.belgium.be/")


def test_the_employee_sees_the_evaluation_under_appeal_and_its_terms(
        client, p, django_assert_max_num_queries) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    appeal = cf.appeal(p, marc)
    client.force_login(p.employee.user)

    with ev.on(FILED_ON + dt.timedelta(days=2)):
        with django_assert_max_num_queries(PAGE_QUERIES):
            page = client.get(reverse("evaluation_detail", args=[marc.pk])).content.decode()
        with django_assert_max_num_queries(TIMELINE_QUERIES):
            timeline = client.get(reverse("person_timeline", args=[p.employee.pk])
                                  ).content.decode()

    for body in (page, timeline):
        assert "In beroep sinds 17 december 2025" in body  # not "bezorgd" nor "afgerond"
        assert "uiterlijk op 16-01-2026" in body  # the board's term, computed
        # Its source: the regulation's public title, linked to its address.
        assert ('Termijn: <a class="utrecht-link" href="https://overheid.vlaanderen.be/'
                'raadvanberoep">Vlaams personeelsstatuut, Deel IV; Raad van beroep</a>') in body
        assert "(https://" not in body
        assert reverse("appeal_detail", args=[appeal.pk]) in body
    assert "Ondertekend door de medewerker" not in page


def test_an_evaluation_signed_for_receipt_is_not_complete_while_under_appeal(client, p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    with ev.on(cf.DELIVERED_ON + dt.timedelta(days=1)):
        evaluation_services.evaluation_sign(actor=ev.viewer(p.employee), evaluation=marc)
    cf.appeal(p, marc)
    client.force_login(p.employee.user)

    page = client.get(reverse("evaluation_detail", args=[marc.pk])).content.decode()

    assert "De evaluatie is afgerond" not in page
    assert "de evaluatie is nog niet definitief: in beroep sinds 17 december 2025" in page
    assert "<dd><strong>In beroep sinds 17 december 2025</strong></dd>" in page


def test_a_decided_appeal_says_so_and_keeps_its_days(client, p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    appeal = cf.decide_appeal(p, cf.appeal(p, marc), outcome=AppealOutcome.CHANGED)
    client.force_login(p.employee.user)

    procedures = selectors.procedures_of(ev.viewer(p.employee), p.employee)
    page = client.get(reverse("evaluation_detail", args=[marc.pk])).content.decode()

    assert [(one.kind, one.pk, one.pending) for one in procedures] == [
        ("appeal", appeal.pk, False)]
    assert procedures[0].steps[-1].day == dt.date(2026, 1, 20)
    assert "Beroep beslist: einduitspraak omgezet naar voldoende" in page


def test_an_objection_to_the_salary_decision_shows_on_the_evaluation(client, p, bodies) -> None:
    marc = cf.delivered(p, p.employee)
    decision = cf.decide(bodies.management, {marc: 0})[0]
    objection = cf.objection(decision)
    client.force_login(p.employee.user)

    with ev.on(decision.decided_on + dt.timedelta(days=4)):
        page = client.get(reverse("evaluation_detail", args=[marc.pk])).content.decode()

    assert "Salarisbeslissing in tegenspraak sinds" in page
    assert reverse("objection_detail", args=[objection.pk]) in page
    assert [step.done for step in selectors.procedures_of(
        ev.viewer(p.employee), p.employee, evaluation=marc)[0].steps] == [True, False, False]


def _timeline_queries(client, p) -> int:
    client.force_login(p.employee.user)
    with ev.on(dt.date(2026, 2, 1)), CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("person_timeline", args=[p.employee.pk])).content.decode()
    assert "procedure-appeal-" in body
    return len(queries)


def test_the_timeline_costs_the_same_for_one_procedure_or_three(client, p, bodies) -> None:
    cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    one = _timeline_queries(client, p)
    oldest = cf.delivered(p, p.employee, verdict="onvoldoende", year=cf.YEAR - 2)
    cf.appeal(p, oldest, day=ev.days(cf.YEAR - 2)["second"] + dt.timedelta(days=5))
    earlier = cf.delivered(p, p.employee, year=cf.YEAR - 1)
    cf.objection(cf.decide(bodies.management, {earlier: 0})[0])

    three = _timeline_queries(client, p)

    assert three == one
    assert len(selectors.procedures_of(ev.viewer(p.employee), p.employee)) == 3


def test_hr_of_the_unit_sees_the_procedure_people_without_the_appeal_do_not(client, p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    appeal = cf.appeal(p, marc)

    assert [one.pk for one in selectors.procedures_of(ev.viewer(p.hr), p.employee)] == [
        appeal.pk]

    assert selectors.procedures_of(ev.viewer(p.unrelated_manager), p.employee) == []
    assert selectors.procedures_of(ev.viewer(p.colleague), p.employee) == []


def test_the_api_gives_each_step_its_term_and_source(client, p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    appeal = cf.appeal(p, marc)
    with ev.on(dt.date(2026, 1, 10)):
        services.appeal_record_hearing(actor=ev.viewer(p.hr), appeal=appeal,
                                       hearing_on=dt.date(2026, 1, 8))
    client.force_login(p.employee.user)

    data = client.get(f"/api/v1/appeals/{appeal.pk}").json()

    assert [(s["done"], s["day"], s["due"]) for s in data["procedure"]] == [
        (True, "2025-12-17", "2025-12-27"), (True, "2026-01-08", None),
        (False, None, "2026-01-16")]
    assert data["procedure"][-1]["source"] == (
        "Vlaams personeelsstatuut, Deel IV; Raad van beroep "
        "(https://overheid.vlaanderen.be/raadvanberoep)")
