"""The decision on an objection to a formal assessment through its page, and the
objection as a procedure on the assessment's page and the timeline.

Sources: Gemeente Heemstede, regeling "Cyclus van jaargesprekken" (a formal assessment
can be objected to); Algemene wet bestuursrecht (https://wetten.overheid.nl/BWBR0005537),
art. 6:6 and 7:11 (the outcomes), 6:7, 6:8 and 7:10 (the terms).
"""

import datetime as dt

import pytest
from django.urls import reverse

from koers.core.models import User
from koers.evaluations.states import ObjectionOutcome
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> ev.Cast:
    cast = ev.cast(personas.build(), preset=PolicyPreset.DUTCH_MUNICIPAL)
    User.objects.update(language="en")
    return cast


def test_hr_records_the_decision_and_the_employee_reads_it_in_the_procedure(client, cast):
    objection = ev.objected_assessment(cast)
    page = reverse("evaluation_detail", args=[objection.evaluation_id])
    decision = reverse("evaluation_objection_decide", args=[objection.pk])
    client.force_login(cast.hr.user)
    with ev.on(dt.date(2025, 9, 1)):
        assert f'href="{decision}"' in client.get(page).content.decode()
        refused = client.post(decision, {"outcome": "", "decided_on": "2025-09-01",
                                         "body": "", "motivation": ""})
        done = client.post(decision, {
            "outcome": ObjectionOutcome.REJECTED, "decided_on": "2025-09-01",
            "body": "College van burgemeester en wethouders",
            "motivation": "The assessment rests on the improvement points of June."})
        client.force_login(cast.employee.user)
        mine = client.get(page).content.decode()
        timeline = client.get(reverse("person_timeline", args=[cast.employee.pk]))

    assert refused.status_code == 200  # the form again, with its messages
    objection.refresh_from_db()
    assert done.status_code == 302
    assert (objection.outcome, objection.decided_by_body) == (
        "rejected", "College van burgemeester en wethouders")
    assert "Objection decided: rejected (unfounded)" in mine
    assert "Algemene wet bestuursrecht, art. 7:10" in mine
    assert "Objection to the assessment (" in timeline.content.decode()


def test_the_first_evaluator_and_the_employee_do_not_reach_the_decision(client, cast):
    objection = ev.objected_assessment(cast)
    decision = reverse("evaluation_objection_decide", args=[objection.pk])
    for person in (cast.first, cast.employee):
        client.force_login(person.user)
        assert client.get(decision).status_code == 404
