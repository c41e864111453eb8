"""The decision on an objection to a Dutch formal assessment, and the objection as a
procedure the employee follows.

Sources: Gemeente Heemstede, regeling "Cyclus van jaargesprekken" (overheid.nl, lokale
regelgeving): a formal assessment can be objected to. Algemene wet bestuursrecht
(https://wetten.overheid.nl/BWBR0005537): the objection is inadmissible (art. 6:6) or
well-founded, partly well-founded or unfounded (art. 7:11); the term to object is six
weeks from the day after the hand-over (art. 6:7, 6:8), and the body decides within six
weeks after that term (art. 7:10); a late objection is received, and the body judges
whether the delay can be excused (art. 6:11).
"""

import datetime as dt

import pytest
from django.utils import translation

from koers.access.personal_data import build_export
from koers.audit.models import AuditEvent
from koers.consequences.selectors import procedures_of
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, RecordClosed, ValidationFailed
from koers.evaluations import services
from koers.evaluations.states import ObjectionOutcome, WrongRole
from koers.notify.models import Notification
from koers.organisation.models import PolicyPreset
from koers.rulebook.appeals import (
    OBJECTION_DECISION_SOURCE,
    OBJECTION_SOURCE,
    assessment_objection_decision_due,
    assessment_objection_late,
)
from koers.rulebook.services import policy_setting_change
from tests import personas
from tests.factories import evaluations as factory
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db
D = dt.date
DECIDED = D(2025, 9, 1)


@pytest.fixture
def c():
    return factory.cast(personas.build(), preset=PolicyPreset.DUTCH_MUNICIPAL)


def decide(c, objection, *, by=None, outcome=ObjectionOutcome.PARTLY_UPHELD,
           day=DECIDED, motivation="Point 2 of the assessment is withdrawn."):
    with on(day):
        return services.objection_decide(
            actor=viewer(by or c.hr), objection=objection, outcome=outcome, decided_on=day,
            body="College van burgemeester en wethouders", motivation=motivation)


def test_hr_records_the_decision_on_the_objection_for_the_body_that_decides(c):
    objection = decide(c, factory.objected_assessment(c))

    objection.refresh_from_db()
    assert (objection.outcome, objection.decided_on, objection.decided_by_body,
            objection.decision_recorded_by) == (
        ObjectionOutcome.PARTLY_UPHELD, D(2025, 9, 1),
        "College van burgemeester en wethouders", c.hr.user)
    event = AuditEvent.objects.get(action="evaluation.objection_decided")
    assert event.changes["outcome"] == [None, "partly_upheld"]
    assert Notification.objects.filter(recipient=c.employee.user,
                                       kind="evaluations.objection_decided").count() == 1


def test_the_outcomes_are_those_of_the_awb():
    """Art. 6:6 (niet-ontvankelijk) and 7:11 (gegrond, gedeeltelijk gegrond, ongegrond)."""
    assert ObjectionOutcome.values == ["upheld", "partly_upheld", "rejected", "inadmissible"]


def test_only_hr_decides_and_a_decision_stays(c):
    objection = factory.objected_assessment(c)
    with pytest.raises(WrongRole):
        decide(c, objection, by=c.first)
    with pytest.raises(WrongRole):
        decide(c, objection, by=c.employee)
    with pytest.raises(NotFoundOrForbidden):
        decide(c, objection, by=c.outsider)
    decide(c, objection, outcome=ObjectionOutcome.REJECTED)
    with pytest.raises(RecordClosed):
        decide(c, objection, outcome=ObjectionOutcome.UPHELD)

    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.REJECTED


def test_bad_input_is_refused_with_a_message_per_field_and_nothing_changes(c):
    objection = factory.objected_assessment(c)
    with on(D(2025, 9, 1)), pytest.raises(ValidationFailed) as refused:
        services.objection_decide(actor=viewer(c.hr), objection=objection, outcome="granted",
                                  decided_on=D(2025, 7, 9), body=" ", motivation="")

    assert sorted(refused.value.errors) == ["body", "decided_on", "motivation", "outcome"]
    objection.refresh_from_db()
    assert (objection.outcome, objection.decided_on) == ("", None)


@translation.override("en")
def test_the_objection_is_a_procedure_with_its_awb_terms_for_the_employee(c):
    objection = factory.objected_assessment(c)

    pending, = procedures_of(viewer(c.employee), c.employee)
    assert (pending.kind, pending.pk, pending.pending) == (
        "assessment_objection", objection.pk, True)
    assert pending.state == "assessment under objection since 10 July 2025"
    filed, decision = pending.steps
    # Six weeks from the hand-over on 1 July; the decision six weeks after that.
    assert (filed.day, filed.due, filed.source) == (D(2025, 7, 10), D(2025, 8, 12),
                                                    OBJECTION_SOURCE)
    assert (decision.done, decision.due, decision.source) == (
        False, D(2025, 9, 23), OBJECTION_DECISION_SOURCE)

    decide(c, objection)
    done, = procedures_of(viewer(c.employee), c.employee, evaluation=objection.evaluation)
    assert (done.pending, done.state) == (False, "objection decided: partly upheld")
    assert (done.steps[1].day, done.steps[1].note) == (
        D(2025, 9, 1), "partly upheld, by College van burgemeester en wethouders")
    assert procedures_of(viewer(c.outsider), c.employee) == []


def test_the_term_to_object_ends_six_weeks_after_the_hand_over():
    """Art. 6:7 and 6:8: handed over on 1 July, the last day to object is 12 August."""
    assert not assessment_objection_late(D(2025, 7, 1), D(2025, 8, 12))
    assert assessment_objection_late(D(2025, 7, 1), D(2025, 8, 13))


def test_with_an_objection_committee_the_decision_is_due_twelve_weeks_after_the_term():
    """Art. 7:10 lid 1: six weeks after the term to object, twelve with a committee."""
    assert assessment_objection_decision_due(D(2025, 7, 1), committee=False) == D(2025, 9, 23)
    assert assessment_objection_decision_due(D(2025, 7, 1), committee=True) == D(2025, 11, 4)


def test_the_policy_says_whether_a_committee_hears_the_objection(c):
    objection = factory.objected_assessment(c)
    policy_setting_change(organisation=c.employee.organisation, name="objection_committee",
                          value=True, actor=c.hr.user)

    _filed, decision = procedures_of(viewer(c.employee), c.employee)[0].steps
    assert decision.due == D(2025, 11, 4)
    assert objection.pk == procedures_of(viewer(c.employee), c.employee)[0].pk


@translation.override("en")
def test_a_late_objection_is_received_and_says_the_body_judges_the_delay(c):
    """Art. 6:11: a late objection is not inadmissible when the delay can be excused; the
    body decides that, so the objection is recorded and its procedure says it came late."""
    objection = factory.objected_assessment(c, filed_on=D(2025, 8, 20))

    filed, _decision = procedures_of(viewer(c.employee), c.employee)[0].steps
    assert (filed.day, filed.due) == (D(2025, 8, 20), D(2025, 8, 12))
    assert filed.note == (
        "Filed after the term to object, which ran until 12 August 2025: the body that "
        "decides judges whether the delay can be excused (Algemene wet bestuursrecht, "
        "art. 6:11).")
    decide(c, objection, outcome=ObjectionOutcome.INADMISSIBLE)
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.INADMISSIBLE


def test_my_data_holds_the_objection_with_its_decision(c):
    objection = decide(c, factory.objected_assessment(c))

    export = build_export(c.employee, now=clock.now()).as_json()

    [exported] = [e for e in export["sections"]["evaluations"]
                  if e["kind"] == "formal_assessment"]
    assert [(o["filed_on"], o["outcome"], o["decided_on"], o["decided_by_body"])
            for o in exported["objections"]] == [
        (str(objection.filed_on), "partly_upheld", "2025-09-01",
         "College van burgemeester en wethouders")]
