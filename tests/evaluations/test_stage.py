"""The federal stage recorded, its conversations followed, its tasks and how it ends.

Sources (docs/policies.md, Sources): BOSA, "Evaluatieperiode stagiair" [b12]
(bosa.belgium.be/…/evaluatie/stagiairs/evaluatieperiode-stagiair); BOSA, "Vermeldingen"
[b13] (…/evaluatie/stagiairs/vermeldingen); Fedweb, "Stagiairs — Gesprekken" [b14]
(fedweb.belgium.be/nl/evaluatie/evaluatiecyclus_voor_personeelsleden/stagiairs/gesprekken).
"""

import datetime as dt

import pytest

from koers.audit.models import AuditEvent
from koers.consequences.probation import probation_outcome
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.evaluations import probation, services
from koers.evaluations.states import EvaluationKind
from koers.goals.models import GoalKind
from koers.organisation.models import PolicyPreset
from koers.rulebook.probation import ProbationReason
from koers.rulebook.stage import StageOutcome, StageStepKind
from koers.tasks.selectors import TaskKind, tasks_for
from tests import personas
from tests.factories import evaluations as factory
from tests.factories import goals
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2026, 1, 1)


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def federal(p):
    p.employee.start_date = START
    p.employee.save(update_fields=["start_date"])
    return factory.cast(p, preset=PolicyPreset.FEDERAL, goal_count=0)


def _record(c, *, months=12, absences=()):
    with on(START):
        return probation.probation_record(
            actor=viewer(c.hr), person=c.employee, reason=ProbationReason.RECRUITMENT,
            starts_on=START, months=months, mentor=None, absences=absences)


def _hold(c, kind, day):
    with on(day):
        starts = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
        conversation = conversation_services.conversation_schedule(
            actor=viewer(c.first), employee=c.employee, kind=kind, starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1), location="Room 2")
        return conversation_services.conversation_hold(
            actor=viewer(c.first), conversation=conversation, report="Talked it through.")


def _stage_tasks(person):
    return [(task.step, task.due) for task in tasks_for(viewer(person))
            if task.kind == TaskKind.STAGE]


def test_hr_records_a_stage_of_a_year_and_its_end_is_computed(federal):
    # [b12]: at least a year; without absences from 1 January to 31 December.
    record = _record(federal)
    assert record.ends_on == D(2026, 12, 31)
    federal.employee.refresh_from_db()
    assert federal.employee.probation_end_date == D(2026, 12, 31)


def test_a_stage_has_no_mentor(federal):
    # [b12]-[b14] name no mentor for a stagiair (the Flemish probation's "meter of peter"
    # is its own rule): one sent anyway is refused and nothing is recorded.
    with on(START), pytest.raises(ValidationFailed) as refused:
        probation.probation_record(
            actor=viewer(federal.hr), person=federal.employee,
            reason=ProbationReason.RECRUITMENT, starts_on=START, months=12,
            mentor=federal.first)
    assert list(refused.value.errors) == ["mentor"]
    assert not federal.employee.probations.exists()


def test_a_stage_shorter_than_a_year_is_refused(federal):
    # [b12]: "duurt minimum een jaar".
    with pytest.raises(ValidationFailed) as refused:
        _record(federal, months=6)
    assert "months" in refused.value.errors


def test_absence_beyond_thirty_working_days_moves_the_end(federal):
    # [b12]: 35 working days absent (February–March 2026, no public holiday in them):
    # 5 working days beyond the first 30, so the end moves from Thursday 31 December
    # 2026 to Friday 8 January 2027 (1 January 2027 is a public holiday).
    record = _record(federal)
    days = [D(2026, 2, 2) + dt.timedelta(days=n) for n in range(60)]
    absent = [day for day in days if day.weekday() < 5][:35]
    with on(D(2026, 4, 1)):
        moved = probation.probation_absences_set(actor=viewer(federal.hr), probation=record,
                                                 absences=absent)
    assert moved.ends_on == D(2027, 1, 8)


def test_the_steps_are_computed_and_done_by_the_held_conversations(federal):
    # [b14]: planning in the first month, three functioning conversations spread evenly,
    # the final conversation at the end; each is done by a held conversation of its kind.
    record = _record(federal)
    _hold(federal, ConversationKind.PLANNING, D(2026, 1, 20))
    _hold(federal, ConversationKind.FUNCTIONING, D(2026, 4, 1))
    with on(D(2026, 7, 10)):
        progress = probation.stage_progress(record)
    assert progress is not None
    assert [(d.step.kind, d.step.due, d.held_on, d.overdue) for d in progress.steps] == [
        (StageStepKind.PLANNING, D(2026, 1, 31), D(2026, 1, 20), False),
        (StageStepKind.FUNCTIONING, D(2026, 4, 2), D(2026, 4, 1), False),
        (StageStepKind.FUNCTIONING, D(2026, 7, 2), None, True),
        (StageStepKind.FUNCTIONING, D(2026, 10, 1), None, False),
        (StageStepKind.FINAL, D(2026, 12, 31), None, False),
    ]


def test_the_evaluator_is_asked_for_the_next_conversation_and_the_stagiair_for_objectives(
        federal):
    # [b14]: the evaluator holds the planning in the first month, where at least two
    # development objectives are fixed; the stagiair agrees them (learning goals).
    _record(federal)
    with on(D(2026, 1, 5)):
        assert _stage_tasks(federal.first) == [("planning", D(2026, 1, 31))]
        assert _stage_tasks(federal.employee) == [("objectives", D(2026, 1, 31))]
    _hold(federal, ConversationKind.PLANNING, D(2026, 1, 20))
    with on(D(2026, 1, 21)):
        goals.agreed(federal.employee, federal.first, kind=GoalKind.LEARNING, title="Excel")
        goals.agreed(federal.employee, federal.first, kind=GoalKind.LEARNING, title="Writing")
        assert _stage_tasks(federal.first) == [("functioning_1", D(2026, 4, 2))]
        assert _stage_tasks(federal.employee) == []
        # Nobody else is asked: not the 2nd evaluator, not HR.
        assert _stage_tasks(federal.second) == []
        assert _stage_tasks(federal.hr) == []


def test_hr_is_asked_to_record_how_the_stage_goes_on_from_the_first_reminder(federal):
    # [b13]: at the end of the stage HR records the appointment, the extension or the
    # dismissal; the task comes as early as the policy's first reminder (14 days), is due
    # on the last day of the stage, and leaves once the outcome is recorded.
    record = _record(federal)
    with on(D(2026, 12, 16)):
        assert _stage_tasks(federal.hr) == []
    with on(D(2026, 12, 17)):
        assert _stage_tasks(federal.hr) == [("outcome", D(2026, 12, 31))]
        assert ("outcome", D(2026, 12, 31)) not in _stage_tasks(federal.first)
        assert _stage_tasks(federal.outsider) == []
    with on(D(2027, 1, 4)):
        probation.stage_outcome_record(actor=viewer(federal.hr), probation=record,
                                       outcome=StageOutcome.EXTEND, extension_months=4)
        assert _stage_tasks(federal.hr) == []
    with on(D(2027, 4, 16)):
        assert _stage_tasks(federal.hr) == [("outcome", D(2027, 4, 30))]
        probation.stage_outcome_record(actor=viewer(federal.hr), probation=record,
                                       outcome=StageOutcome.DISMISS)
        assert _stage_tasks(federal.hr) == []


def test_the_task_list_stays_within_a_fixed_number_of_queries(federal, p,
                                                              django_assert_max_num_queries):
    _record(federal)
    with on(D(2026, 1, 5)), django_assert_max_num_queries(40):
        tasks_for(viewer(federal.first))
    with on(D(2026, 12, 20)), django_assert_max_num_queries(40):
        tasks_for(viewer(federal.hr))


def test_the_stage_evaluation_closes_the_stage_on_its_end(federal):
    # [b14]: the final conversation at the end of the stage; its evaluation is the
    # probation evaluation of the recorded stage, due on its end.
    record = _record(federal)
    with on(D(2026, 12, 1)):
        evaluation = services.evaluation_open(actor=viewer(federal.first),
                                              person=federal.employee,
                                              kind=EvaluationKind.PROBATION)
    assert (evaluation.probation_id, evaluation.due_on) == (record.pk, D(2026, 12, 31))


def test_only_a_dismissal_is_recorded_before_the_end(federal):
    # [b13]: an onvoldoende during the stage may lead to a dismissal; appointment and
    # extension come at its end.
    record = _record(federal)
    with on(D(2026, 6, 1)), pytest.raises(ValidationFailed):
        probation.stage_outcome_record(actor=viewer(federal.hr), probation=record,
                                       outcome=StageOutcome.APPOINT)
    with on(D(2026, 6, 1)):
        assert probation.stage_progress(record).outcomes == (StageOutcome.DISMISS,)
    record.refresh_from_db()
    assert record.outcome == ""


def test_an_extension_then_an_appointment_is_recorded_and_audited(federal):
    # [b12][b13]: extended by at most 4 months; after the extension, appointment or
    # dismissal only.
    record = _record(federal)
    with on(D(2027, 1, 4)):
        extended = probation.stage_outcome_record(
            actor=viewer(federal.hr), probation=record, outcome=StageOutcome.EXTEND,
            extension_months=4)
    assert (extended.ends_on, extended.extension_months) == (D(2027, 4, 30), 4)
    federal.employee.refresh_from_db()
    assert federal.employee.probation_end_date == D(2027, 4, 30)
    with on(D(2027, 5, 3)), pytest.raises(ValidationFailed) as refused:
        probation.stage_outcome_record(actor=viewer(federal.hr), probation=record,
                                       outcome=StageOutcome.EXTEND, extension_months=1)
    assert "outcome" in refused.value.errors
    with on(D(2027, 5, 3)):
        appointed = probation.stage_outcome_record(
            actor=viewer(federal.hr), probation=record, outcome=StageOutcome.APPOINT)
    assert (appointed.outcome, appointed.decided_on) == (StageOutcome.APPOINT, D(2027, 5, 3))
    assert list(AuditEvent.objects.filter(action__startswith="stage.")
                .order_by("pk").values_list("action", flat=True)) == [
        "stage.extended", "stage.ended"]
    with on(D(2027, 5, 4)), pytest.raises(ValidationFailed):
        probation.stage_outcome_record(actor=viewer(federal.hr), probation=record,
                                       outcome=StageOutcome.DISMISS)
    with on(D(2027, 5, 4)):
        assert _stage_tasks(federal.first) == []


def test_a_dismissal_has_three_months_notice(federal):
    # [b13]: "een opzeggingstermijn van 3 maanden", none for a serious fault.
    record = _record(federal)
    with on(D(2026, 9, 15)):
        dismissed = probation.stage_outcome_record(
            actor=viewer(federal.hr), probation=record, outcome=StageOutcome.DISMISS)
        outcome = probation_outcome(viewer(federal.hr), dismissed)
    assert outcome.stage is not None
    assert outcome.stage.notice_ends == D(2026, 12, 15)


def test_an_extension_beyond_four_months_changes_nothing(federal):
    record = _record(federal)
    with on(D(2027, 1, 4)), pytest.raises(ValidationFailed) as refused:
        probation.stage_outcome_record(actor=viewer(federal.hr), probation=record,
                                       outcome=StageOutcome.EXTEND, extension_months=5)
    assert "extension_months" in refused.value.errors
    record.refresh_from_db()
    assert (record.ends_on, record.extension_months) == (D(2026, 12, 31), None)


def test_only_hr_records_the_outcome(federal):
    record = _record(federal)
    for person in (federal.employee, federal.first, federal.second):
        with on(D(2027, 1, 4)), pytest.raises(NotFoundOrForbidden):
            probation.stage_outcome_record(actor=viewer(person), probation=record,
                                           outcome=StageOutcome.APPOINT)


def test_a_flemish_probation_has_no_stage_outcome(p):
    p.employee.start_date = D(2025, 1, 1)
    p.employee.save(update_fields=["start_date"])
    c = factory.cast(p)
    with on(D(2025, 3, 3)):
        record = probation.probation_record(
            actor=viewer(c.hr), person=c.employee, reason=ProbationReason.RECRUITMENT,
            starts_on=D(2025, 3, 3), months=6, mentor=None)
        assert probation.stage_progress(record) is None
    with on(D(2025, 12, 1)), pytest.raises(ValidationFailed):
        probation.stage_outcome_record(actor=viewer(c.hr), probation=record,
                                       outcome=StageOutcome.APPOINT)
