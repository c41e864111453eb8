"""The federal stage's pages: HR records the stage, its page shows the computed
conversations, HR records how it ends; the evaluator's start page lists the next
conversation. Bounded queries.

Sources (docs/policies.md, Sources): BOSA, "Evaluatieperiode stagiair" [b12]; BOSA,
"Vermeldingen" [b13]; Fedweb, "Stagiairs — Gesprekken" [b14].
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.audit.models import AuditEvent
from koers.core.models import User
from koers.evaluations.models import Probation
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

D = dt.date
PAGE_QUERIES = 30


@pytest.fixture
def cast():
    p = personas.build()
    p.employee.start_date = D(2026, 1, 1)
    p.employee.save(update_fields=["start_date"])
    cast = ev.cast(p, preset=PolicyPreset.FEDERAL, goal_count=0)
    # The pages answer in English, the language of the source strings.
    User.objects.filter(person__in=[cast.employee, cast.first, cast.hr]).update(language="en")
    return cast


def _record(client, cast, *, starts_on="2026-01-01"):
    client.force_login(cast.hr.user)
    with ev.on(D(2026, 1, 1)):
        response = client.post(reverse("probation_new", args=[cast.employee.pk]), {
            "reason": "recruitment", "starts_on": starts_on, "months": "12",
            "absences": ""})
    assert response.status_code == 302
    return Probation.objects.get(person=cast.employee, starts_on=starts_on)


def test_the_stage_page_shows_the_computed_conversations(client, cast):
    stage = _record(client, cast)
    with ev.on(D(2026, 2, 10)):
        page = client.get(reverse("probation_detail", args=[stage.pk])).content.decode()
    # [b14]: planning by 31 January (overdue on 10 February), functioning conversations
    # on 2 April, 2 July and 1 October, the final one on 31 December.
    for day in ("31-01-2026", "02-04-2026", "02-07-2026", "01-10-2026", "31-12-2026"):
        assert day in page
    assert "overdue" in page
    # Before the end, HR may only record a dismissal ([b13]).
    assert 'value="dismiss"' in page
    assert 'value="appoint"' not in page


def test_hr_records_the_appointment_at_the_end(client, cast):
    stage = _record(client, cast)
    with ev.on(D(2027, 1, 4)):
        response = client.post(reverse("stage_outcome", args=[stage.pk]),
                               {"outcome": "appoint"}, follow=True)
    stage.refresh_from_db()
    assert (stage.outcome, stage.decided_on) == ("appoint", D(2027, 1, 4))
    assert "The outcome of the stage is recorded." in response.content.decode()
    assert AuditEvent.objects.filter(action="stage.ended").count() == 1


def test_a_refused_outcome_changes_nothing_and_says_why(client, cast):
    stage = _record(client, cast)
    with ev.on(D(2027, 1, 4)):
        response = client.post(reverse("stage_outcome", args=[stage.pk]),
                               {"outcome": "extend", "extension_months": "6"}, follow=True)
    stage.refresh_from_db()
    assert (stage.extension_months, stage.ends_on) == (None, D(2026, 12, 31))
    assert "The stage is extended by 1 to 4 months." in response.content.decode()


def test_the_evaluator_cannot_record_the_outcome(client, cast):
    stage = _record(client, cast)
    client.force_login(cast.first.user)
    with ev.on(D(2027, 1, 4)):
        response = client.post(reverse("stage_outcome", args=[stage.pk]),
                               {"outcome": "appoint"})
    assert response.status_code == 404
    stage.refresh_from_db()
    assert stage.outcome == ""


def test_the_evaluator_finds_the_next_conversation_on_the_start_page(client, cast):
    stage = _record(client, cast)
    client.force_login(cast.first.user)
    with ev.on(D(2026, 1, 5)):
        page = client.get(reverse("home")).content.decode()
    assert "Hold the planning conversation of the stage with Marc Vandamme" in page
    assert reverse("probation_detail", args=[stage.pk]) in page


def test_the_stage_page_answers_in_the_same_queries_with_1_and_3_stages(client, cast):
    one_stage = _record(client, cast)
    with ev.on(D(2026, 2, 10)), CaptureQueriesContext(connection) as one:
        client.get(reverse("probation_detail", args=[one_stage.pk]))
    _record(client, cast, starts_on="2026-01-15")
    _record(client, cast, starts_on="2026-02-01")
    with ev.on(D(2026, 2, 10)), CaptureQueriesContext(connection) as three:
        client.get(reverse("probation_detail", args=[one_stage.pk]))
    assert len(one) == len(three) <= PAGE_QUERIES
