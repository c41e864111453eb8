"""The probation pages: HR records a Flemish probation, the 1st evaluator opens its
evaluation, the outcome shows the end, the appeal and the consequence; the Dutch probation
assessment is opened from the person's probation page. Bounded queries on each page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.evaluations import probation as records
from koers.evaluations import services
from koers.evaluations.models import Evaluation, Probation
from koers.evaluations.states import EvaluationKind
from koers.organisation.models import EmploymentStatus, PolicyPreset
from tests import factories, personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

D = dt.date
PAGE_QUERIES = 30


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


@pytest.fixture
def cast(p):
    p.employee.employment_status = EmploymentStatus.STATUTORY
    p.employee.start_date = D(2025, 1, 1)
    p.employee.save(update_fields=["employment_status", "start_date"])
    return ev.cast(p)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _record(cast, p, *, starts_on=D(2025, 3, 3)):  # noqa: B008
    with ev.on(starts_on):
        return records.probation_record(actor=ev.viewer(cast.hr), person=cast.employee,
                                        reason="recruitment", starts_on=starts_on, months=6,
                                        mentor=p.colleague)


def test_hr_records_a_probation_and_sees_its_computed_end(client, cast, p):
    client.force_login(cast.hr.user)
    with ev.on(D(2025, 3, 3)):
        response = client.post(reverse("probation_new", args=[cast.employee.pk]), {
            "reason": "recruitment", "starts_on": "2025-03-03", "months": "6",
            "mentor": str(p.colleague.pk), "absences": "2025-04-01\n02-04-2025"})
    probation = Probation.objects.get(person=cast.employee)
    assert response.status_code == 302
    assert probation.ends_on == D(2025, 9, 4)
    page = client.get(reverse("probation_detail", args=[probation.pk])).content.decode()
    assert "04-09-2025" in page


def test_a_wrong_date_changes_nothing_and_says_why(client, cast):
    client.force_login(cast.hr.user)
    with ev.on(D(2025, 3, 3)):
        response = client.post(reverse("probation_new", args=[cast.employee.pk]), {
            "reason": "recruitment", "starts_on": "2025-03-03", "months": "6",
            "absences": "the first of April"})
    assert response.status_code == 200
    assert "is geen datum" in response.content.decode()
    assert not Probation.objects.exists()


def test_the_employee_cannot_record_a_probation(client, cast):
    client.force_login(cast.employee.user)
    response = client.get(reverse("probation_new", args=[cast.employee.pk]))
    assert response.status_code == 404


def test_the_first_evaluator_opens_the_evaluation_from_the_probation(client, cast, p):
    probation = _record(cast, p)
    client.force_login(cast.first.user)
    with ev.on(D(2025, 8, 1)):
        response = client.post(reverse("probation_evaluation_new", args=[cast.employee.pk]))
    evaluation = Evaluation.objects.get(kind=EvaluationKind.PROBATION)
    assert response["Location"] == reverse("evaluation_detail", args=[evaluation.pk])
    assert (evaluation.probation, evaluation.due_on) == (probation, probation.ends_on)


def test_a_negative_outcome_shows_the_appeal_term_then_the_contract(client, cast, p):
    probation = _record(cast, p)
    with ev.on(D(2025, 8, 1)):
        evaluation = services.evaluation_open(actor=ev.viewer(cast.first),
                                              person=cast.employee,
                                              kind=EvaluationKind.PROBATION)
    with ev.on(D(2025, 8, 25)):
        ev.write_report(cast, evaluation, verdict="onvoldoende")
        services.evaluation_sign(actor=ev.viewer(cast.first), evaluation=evaluation)
        services.evaluation_sign(actor=ev.viewer(cast.second), evaluation=evaluation)
    client.force_login(cast.employee.user)
    with ev.on(D(2025, 9, 1)):
        during = client.get(reverse("probation_detail", args=[probation.pk])).content.decode()
    with ev.on(D(2025, 9, 10)):
        after = client.get(reverse("probation_detail", args=[probation.pk])).content.decode()
    # The pages speak Dutch by default.
    assert "tot 09-09-2025 in beroep gaan" in during
    assert "van 10-09-2025 tot 09-12-2025" in after


def test_a_negative_probation_report_offers_no_advanced_evaluation_day(client, cast, p):
    """PLOEG: after an onvoldoende the next evaluation may be advanced; a probation's
    onvoldoende ends the probation instead, with a fixed-term contract
    (https://overheid.vlaanderen.be/interpretatie-vps-einde-proeftijd-hoedanigheid-van-de-
    ambtenaar-op-proef-bij-negatieve-evaluatie): its report form does not offer the day
    the service refuses."""
    _record(cast, p)
    with ev.on(D(2025, 8, 1)):
        evaluation = services.evaluation_open(actor=ev.viewer(cast.first),
                                              person=cast.employee,
                                              kind=EvaluationKind.PROBATION)
    client.force_login(cast.first.user)
    report = reverse("evaluation_report", args=[evaluation.pk])
    with ev.on(D(2025, 8, 1)):
        swapped = client.get(report, {"verdict": "onvoldoende"}, HTTP_HX_REQUEST="true")
        page = client.get(report)

    assert swapped.status_code == page.status_code == 200
    assert 'name="verdict"' in page.content.decode()
    assert 'name="advanced_evaluation_on"' not in swapped.content.decode()
    assert 'name="advanced_evaluation_on"' not in page.content.decode()


def test_the_dutch_probation_assessment_is_opened_from_the_probation_page(client, p):
    p.employee.probation_end_date = D(2025, 12, 31)
    p.employee.save(update_fields=["probation_end_date"])
    cast = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    client.force_login(cast.first.user)
    with ev.on(D(2025, 9, 1)):
        page = client.get(reverse("person_probation", args=[cast.employee.pk])).content.decode()
        client.post(reverse("probation_evaluation_new", args=[cast.employee.pk]))
    assert "30-09-2025" in page
    assert Evaluation.objects.filter(kind=EvaluationKind.PROBATION).count() == 1


def test_the_probation_pages_answer_in_the_same_queries_with_1_and_3_probations(
        client, cast, p):
    _record(cast, p, starts_on=D(2025, 3, 3))
    client.force_login(cast.hr.user)
    with ev.on(D(2025, 3, 4)):
        one_list = _queries(client, reverse("person_probation", args=[cast.employee.pk]))
        one = _queries(client, reverse("probation_detail",
                                       args=[Probation.objects.get().pk]))
    _record(cast, p, starts_on=D(2025, 3, 10))
    _record(cast, p, starts_on=D(2025, 3, 17))
    other = factories.person(p.team, with_user=True, first_name="Lid")
    with ev.on(D(2025, 3, 18)):
        records.probation_record(actor=ev.viewer(cast.hr), person=other, reason="promotion",
                                 starts_on=D(2025, 3, 17), months=3, mentor=None)
        three_list = _queries(client, reverse("person_probation", args=[cast.employee.pk]))
        three = _queries(client, reverse("probation_detail",
                                         args=[Probation.objects.order_by("-pk")[1].pk]))
    assert one_list == three_list <= PAGE_QUERIES
    assert one == three <= PAGE_QUERIES
