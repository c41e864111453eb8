"""The probation evaluation: the Dutch probation assessment that settles its step, and the
Flemish probation with its computed end, mentor, appeal and consequence.

Sources: Gemeente Heemstede, "Cyclus van jaargesprekken" (the probation assessment three
months before a temporary appointment ends, with objection); Vlaamse overheid,
"Proeftijd en eedaflegging" [f21], "Interpretatie VPS: berekening eind proeftijd" [f18],
"Vlimpershandleiding: Einde proeftijd statutair invoeren" [f19], "Interpretatie VPS:
einde proeftijd — hoedanigheid van de ambtenaar op proef bij negatieve evaluatie" [f20]
and "Raad van beroep" [f5] (docs/policies.md, Sources).
"""

import datetime as dt

import pytest

from koers.consequences import services as consequence_services
from koers.consequences.probation import probation_outcome
from koers.consequences.states import AppealOutcome
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles.milestones import STEP_BY_DUE, overdue
from koers.cycles.models import Participation
from koers.cycles.reminders import send_reminders, triggers
from koers.evaluations import probation, services
from koers.evaluations.states import EvaluationKind, EvaluationState, Refused, WrongRole
from koers.notify.models import Notification
from koers.organisation.models import EmploymentStatus, PolicyPreset, Role
from koers.rulebook.deadlines import Due
from koers.rulebook.policy import policy_for
from koers.rulebook.probation import ProbationReason, mentor_error
from tests import factories, personas
from tests.factories import evaluations as factory
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db

S = EvaluationState
D = dt.date


@pytest.fixture
def p():
    return personas.build()


# The Dutch probation assessment (Heemstede) ---------------------------------------------


@pytest.fixture
def dutch(p):
    p.employee.probation_end_date = D(2025, 12, 31)
    p.employee.save(update_fields=["probation_end_date"])
    return factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)


def _open_dutch(c):
    return services.evaluation_open(actor=viewer(c.first), person=c.employee,
                                    kind=EvaluationKind.PROBATION)


def test_the_dutch_assessment_is_due_three_months_before_the_probation_ends(dutch):
    # Heemstede: "3 maanden voor het einde van een tijdelijke aanstelling op proef".
    assert dutch.participation.probation_assessment_due == D(2025, 9, 30)
    with on(D(2025, 9, 1)):
        evaluation = _open_dutch(dutch)
    assert (evaluation.kind, evaluation.due_on, evaluation.period_end) == (
        EvaluationKind.PROBATION, D(2025, 9, 30), D(2025, 12, 31))


def test_holding_the_assessment_completes_its_step_even_when_late(dutch):
    step = STEP_BY_DUE[Due.PROBATION_ASSESSMENT]
    late = D(2025, 10, 14)
    assert Participation.objects.filter(overdue(step, late)).count() == 1
    with on(late):
        evaluation = _open_dutch(dutch)
        factory.write_report(dutch, evaluation, verdict="", by=dutch.first,
                             overall="Suited for the job.")
        services.evaluation_sign(actor=viewer(dutch.first), evaluation=evaluation)
    dutch.participation.refresh_from_db()
    # Heemstede has no 2nd signature: the 1st delivers it, and the step is done that day.
    assert dutch.participation.probation_assessed_on == late
    assert Participation.objects.filter(overdue(step, late + dt.timedelta(days=1))).count() == 0


def test_the_employee_may_object_to_the_probation_assessment(dutch):
    with on(D(2025, 9, 15)):
        evaluation = _open_dutch(dutch)
        factory.write_report(dutch, evaluation, verdict="", by=dutch.first,
                             overall="Not suited for the job.")
        services.evaluation_sign(actor=viewer(dutch.first), evaluation=evaluation)
        objection = services.objection_record(actor=viewer(dutch.employee),
                                              evaluation=evaluation, filed_on=D(2025, 9, 15),
                                              text="I disagree.")
    assert objection.evaluation == evaluation


def test_a_correction_reopens_the_assessment_step(dutch):
    with on(D(2025, 9, 15)):
        evaluation = _open_dutch(dutch)
        factory.write_report(dutch, evaluation, verdict="", by=dutch.first)
        services.evaluation_sign(actor=viewer(dutch.first), evaluation=evaluation)
        services.evaluation_correct(actor=viewer(dutch.first), evaluation=evaluation,
                                    reason="Wrong date in the text.")
    dutch.participation.refresh_from_db()
    assert dutch.participation.probation_assessed_on is None


def test_the_employee_does_not_open_their_own_probation_assessment(dutch):
    with on(D(2025, 9, 1)), pytest.raises(WrongRole):
        services.evaluation_open(actor=viewer(dutch.employee), person=dutch.employee,
                                 kind=EvaluationKind.PROBATION)


def test_no_probation_assessment_without_a_probation(p):
    c = factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    with on(D(2025, 9, 1)), pytest.raises(ValidationFailed):
        _open_dutch(c)


def test_one_probation_assessment_per_probation(dutch):
    with on(D(2025, 9, 1)):
        _open_dutch(dutch)
        with pytest.raises(ValidationFailed):
            _open_dutch(dutch)


# The Flemish probation -------------------------------------------------------------------


@pytest.fixture
def flemish(p):
    p.employee.employment_status = EmploymentStatus.STATUTORY
    p.employee.start_date = D(2025, 1, 1)
    p.employee.save(update_fields=["employment_status", "start_date"])
    return factory.cast(p)


def _record(c, *, mentor=None, months=6, starts_on=D(2025, 3, 3), absences=()):  # noqa: B008
    with on(starts_on):
        return probation.probation_record(
            actor=viewer(c.hr), person=c.employee, reason=ProbationReason.RECRUITMENT,
            starts_on=starts_on, months=months, mentor=mentor, absences=absences)


def test_hr_records_a_probation_and_its_end_is_computed(flemish, p):
    record = _record(flemish, mentor=p.colleague)
    # [f18]: 6 months × 21 = 126 working days from Monday 3 March 2025; Easter Monday
    # (21 April), 1 May, Ascension (29 May), Whit Monday (9 June) and 11 July (the
    # Flemish community's holiday) are no working days.
    assert record.ends_on == D(2025, 9, 2)
    flemish.employee.refresh_from_db()
    assert flemish.employee.probation_end_date == record.ends_on


def test_days_not_worked_move_the_end(flemish):
    record = _record(flemish)
    with on(D(2025, 4, 1)):
        moved = probation.probation_absences_set(
            actor=viewer(flemish.hr), probation=record,
            absences=[D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 5)])  # the 5th is a Saturday
    assert moved.ends_on == D(2025, 9, 4)


def test_only_hr_records_a_probation(flemish):
    with on(D(2025, 3, 3)), pytest.raises(NotFoundOrForbidden):
        probation.probation_record(
            actor=viewer(flemish.first), person=flemish.employee,
            reason=ProbationReason.RECRUITMENT, starts_on=D(2025, 3, 3), months=6, mentor=None)


def test_the_mentor_cannot_be_the_evaluator(flemish):
    # [f21]: the mentor (meter of peter) guides; the evaluator evaluates.
    _record(flemish, mentor=flemish.first)
    with on(D(2025, 8, 1)), pytest.raises(ValidationFailed) as refused:
        services.evaluation_open(actor=viewer(flemish.first), person=flemish.employee,
                                 kind=EvaluationKind.PROBATION)
    assert refused.value.message == mentor_error(mentor_id=1, evaluator_ids=(1,))


def test_a_mentor_who_became_2nd_evaluator_cannot_sign(flemish, p):
    record = _record(flemish, mentor=p.colleague)
    with on(D(2025, 8, 1)):
        evaluation = services.evaluation_open(actor=viewer(flemish.first),
                                              person=flemish.employee,
                                              kind=EvaluationKind.PROBATION)
    record.mentor = flemish.second
    record.save(update_fields=["mentor"])
    with on(D(2025, 8, 20)):
        factory.write_report(flemish, evaluation, verdict="voldoende")
        with pytest.raises(Refused):
            services.evaluation_sign(actor=viewer(flemish.first), evaluation=evaluation)


def _evaluate(c, *, verdict, signed_on):
    with on(D(2025, 8, 1)):
        evaluation = services.evaluation_open(actor=viewer(c.first), person=c.employee,
                                              kind=EvaluationKind.PROBATION)
    with on(signed_on):
        factory.write_report(c, evaluation, verdict=verdict)
        services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)
        services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    evaluation.refresh_from_db()
    return evaluation


def test_a_probation_evaluation_has_no_career_delay(flemish):
    _record(flemish)
    with on(D(2025, 8, 1)):
        evaluation = services.evaluation_open(actor=viewer(flemish.first),
                                              person=flemish.employee,
                                              kind=EvaluationKind.PROBATION)
        with pytest.raises(ValidationFailed):
            factory.write_report(flemish, evaluation, verdict="loopbaanvertraging")


def test_signed_on_time_the_probation_ends_the_day_after_the_2nd_signature(flemish, p):
    record = _record(flemish, mentor=p.colleague)
    _evaluate(flemish, verdict="voldoende", signed_on=D(2025, 8, 25))
    with on(D(2025, 8, 26)):
        outcome = probation_outcome(viewer(flemish.hr), record)
    assert (outcome.verdict, outcome.ended_on, outcome.may_appeal) == (
        "voldoende", D(2025, 8, 26), False)
    # The participation's probation step is due by the computed end and done on delivery:
    # the timeline, the reminders and the dashboard read it there.
    flemish.participation.refresh_from_db()
    assert (flemish.participation.probation_assessment_due,
            flemish.participation.probation_assessed_on) == (D(2025, 9, 2), D(2025, 8, 25))


def test_delivery_resolves_the_reminder_of_the_probation_step(flemish):
    # The Flemish probation evaluation is the participation's probation step, reminded
    # by the cycle's reminders; delivered, its reminder leaves the new notifications.
    record = _record(flemish)
    soon = triggers(policy_for(flemish.employee.organisation))[0]
    with on(record.ends_on - dt.timedelta(days=soon.offset)):
        send_reminders()
    reminder = Notification.objects.get(recipient=flemish.first.user,
                                        params__step=Due.PROBATION_ASSESSMENT)
    assert reminder.resolved_at is None
    _evaluate(flemish, verdict="voldoende",
              signed_on=record.ends_on - dt.timedelta(days=soon.offset))
    reminder.refresh_from_db()
    assert reminder.resolved_at is not None


def test_signed_late_the_probation_ends_31_days_after_the_end(flemish):
    record = _record(flemish)
    _evaluate(flemish, verdict="voldoende", signed_on=D(2025, 9, 10))
    with on(D(2025, 9, 11)):
        outcome = probation_outcome(viewer(flemish.hr), record)
    # [f19]: no conversation recorded, the report late: the 31st day after the end.
    assert outcome.ended_on == D(2025, 10, 3)


def test_a_negative_evaluation_not_appealed_leads_to_a_three_month_contract(flemish):
    record = _record(flemish)
    _evaluate(flemish, verdict="onvoldoende", signed_on=D(2025, 8, 25))
    with on(D(2025, 9, 5)):
        during = probation_outcome(viewer(flemish.employee), record)
    # [f5]: 15 calendar days to appeal, the day of delivery not counted.
    assert (during.may_appeal, during.appeal_due, during.contract_from) == (
        True, D(2025, 9, 9), None)
    with on(D(2025, 9, 10)):
        after = probation_outcome(viewer(flemish.employee), record)
    # [f20]: from the first working day after the term to appeal, for three months.
    assert (after.contract_from, after.contract_until) == (D(2025, 9, 10), D(2025, 12, 9))


def test_an_appeal_suspends_and_a_kept_verdict_leads_to_the_contract(flemish, p):
    record = _record(flemish)
    evaluation = _evaluate(flemish, verdict="onvoldoende", signed_on=D(2025, 8, 25))
    board = factories.person(p.top, with_user=True, first_name="Bert")
    factories.grant(board, Role.APPEAL_BOARD, p.top)
    with on(D(2025, 9, 1)):
        appeal = consequence_services.appeal_file(actor=viewer(flemish.employee),
                                                  evaluation=evaluation,
                                                  grounds="The targets were unclear.")
    with on(D(2025, 10, 1)):
        pending = probation_outcome(viewer(flemish.employee), record)
    assert (pending.appeal_pending, pending.contract_from) == (True, None)
    with on(D(2025, 10, 3)):
        consequence_services.appeal_decide(actor=viewer(flemish.hr), appeal=appeal,
                                           outcome=AppealOutcome.KEPT,
                                           decided_on=D(2025, 10, 3))
    with on(D(2025, 10, 6)):
        decided = probation_outcome(viewer(flemish.employee), record)
    # Friday 3 October decided: the contract starts on Monday 6 October.
    assert (decided.verdict, decided.contract_from) == ("onvoldoende", D(2025, 10, 6))


def test_a_contractual_probationer_does_not_appeal(flemish):
    flemish.employee.employment_status = EmploymentStatus.CONTRACTUAL
    flemish.employee.save(update_fields=["employment_status"])
    record = _record(flemish)
    _evaluate(flemish, verdict="onvoldoende", signed_on=D(2025, 8, 25))
    with on(D(2025, 8, 26)):
        outcome = probation_outcome(viewer(flemish.employee), record)
    assert (outcome.may_appeal, outcome.contract_from) == (False, None)


def test_a_probation_evaluation_is_never_advanced(flemish):
    # [f20]: an onvoldoende ends the probation with a fixed-term contract.
    _record(flemish)
    with on(D(2025, 8, 1)):
        evaluation = services.evaluation_open(actor=viewer(flemish.first),
                                              person=flemish.employee,
                                              kind=EvaluationKind.PROBATION)
        with pytest.raises(ValidationFailed) as refused:
            factory.write_report(flemish, evaluation, verdict="onvoldoende",
                                 advanced=D(2026, 6, 1))
    assert "advanced_evaluation_on" in refused.value.errors
