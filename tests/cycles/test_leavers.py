"""People who leave during a cycle ([f1]): shown as leaving before the evaluation with
the reason, never overdue and not mandatory; or, with their agreement, evaluated before
the last working day, outside the evaluation window. Recorded by HR or the 1st
evaluator, audited, recomputed through the cycle's one computation.

Source: Vlaams personeelsstatuut, Deel IV (evaluatie), hoofdstukken 1–2,
https://overheid.vlaanderen.be/BVR_Deel04-h1-h2 — staff who leave voluntarily or retire
may, with their agreement, be evaluated before they leave; PLOEG (overheid.vlaanderen.be):
the annual evaluation between 1 December and 31 March.
"""

import datetime as dt

import pytest
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles import services
from koers.cycles.dashboard import cycle_dashboard
from koers.cycles.leaving import LeavingState
from koers.cycles.models import Participation
from koers.cycles.reminders import send_reminders
from koers.cycles.timeline import person_timeline
from koers.evaluations import services as evaluation_services
from koers.evaluations.models import EvaluationState
from koers.notify.models import Notification
from koers.organisation import services as organisation_services
from koers.organisation.models import PolicyPreset
from koers.rulebook.deadlines import Due
from koers.rulebook.eligibility import Exemption
from tests import personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

D = dt.date
LAST_DAY = D(2026, 9, 30)
SEPTEMBER = D(2026, 9, 1)


@pytest.fixture
def p():
    return personas.build()


def _open(org, year=2026):
    cycle = services.cycle_open(organisation=org, year=year, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    return cycle


def _leaves(p, person, day=LAST_DAY):
    with ev.on(SEPTEMBER):
        organisation_services.person_save(organisation=p.top.organisation, person=person,
                                          actor=p.hr.user, end_date=day)


def _row(cycle, person):
    return Participation.objects.get(cycle=cycle, person=person)


def _record(row, by, *, reason="retirement", day=LAST_DAY, agreed=True):
    with ev.on(SEPTEMBER):
        return services.participation_leaving_record(
            participation=row, reason=reason, last_working_day=day, agreed=agreed,
            viewer=ev.viewer(by))


def test_a_leaver_without_agreement_leaves_before_the_evaluation_not_overdue(p):
    cycle = _open(p.top.organisation)
    _leaves(p, p.employee)

    row = _row(cycle, p.employee)
    assert (row.evaluation_required, row.exemption, row.closed_on) == (
        False, Exemption.LEAVES_BEFORE_EVALUATION, LAST_DAY)
    (timeline,) = person_timeline(p.employee, today=SEPTEMBER)
    assert timeline.leaving.state == LeavingState.LEAVES_BEFORE_EVALUATION
    assert "30-09-2026" in timeline.leaving.reason
    assert not {e.step.due for e in timeline.entries} & {Due.EVALUATION, Due.FIRST_SIGNATURE}
    board = cycle_dashboard(cycle=cycle, unit=p.top, today=D(2027, 4, 15))
    assert (board.total.leaves_before_evaluation, board.total.leaves_unrecorded) == (1, 1)
    # Nobody is overdue on the evaluation after 31 March: the leaver is not counted.
    assert board.total.overdue_by_step[Due.EVALUATION] == board.total.tasks_by_step[
        Due.EVALUATION]
    assert p.employee.pk not in set(Participation.objects.filter(
        cycle=cycle, evaluation_required=True).values_list("person_id", flat=True))


def test_the_1st_evaluator_records_the_agreement_and_the_evaluation_falls_before_leaving(p):
    cycle = _open(p.top.organisation)
    _leaves(p, p.employee)

    _record(_row(cycle, p.employee), p.manager)

    row = _row(cycle, p.employee)
    assert (row.evaluation_required, row.exemption, row.closed_on) == (True, "", None)
    assert (row.evaluation_due, row.first_signature_due, row.second_signature_due) == (
        LAST_DAY, LAST_DAY, LAST_DAY)
    assert row.evaluation_window_opens == D(2026, 1, 1)
    assert (row.leaving_reason, row.last_working_day, row.evaluated_before_leaving,
            row.leaving_recorded_by) == ("retirement", LAST_DAY, True, p.manager.user)
    event = AuditEvent.objects.get(action="participation.leaving_recorded")
    assert event.actor == p.manager.user
    assert event.changes["evaluated_before_leaving"] == [False, True]
    (timeline,) = person_timeline(p.employee, today=SEPTEMBER)
    assert timeline.leaving.state == LeavingState.EVALUATED_BEFORE_LEAVING
    board = cycle_dashboard(cycle=cycle, unit=p.top, today=SEPTEMBER)
    assert (board.total.evaluated_before_leaving, board.total.leaves_before_evaluation) == (1, 0)


def test_the_evaluation_due_before_leaving_is_reminded(p):
    cycle = _open(p.top.organisation)
    _leaves(p, p.employee)
    _record(_row(cycle, p.employee), p.hr)

    send_reminders(today_by_org={p.top.organisation_id: LAST_DAY - dt.timedelta(days=14)})

    mine = sorted(n.params["step"] for n in Notification.objects.filter(
        recipient=p.manager.user) if n.params["person"] == p.employee.full_name)
    assert mine == ["evaluation", "first_signature"]


def test_an_agreed_evaluation_is_signed_in_september_outside_the_window(p):
    c = ev.cast(p, year=2026)
    _leaves(p, p.employee)
    _record(c.participation, p.manager)
    c.participation.refresh_from_db()

    evaluation = ev.annual(c, day=D(2026, 9, 2))
    with ev.on(D(2026, 9, 3)):
        ev.write_report(c, evaluation)
        ev.write_self_evaluation(c, evaluation)
    with ev.on(D(2026, 9, 10)):
        evaluation_services.evaluation_sign(actor=ev.viewer(c.first), evaluation=evaluation)
    assert c.second is not None
    with ev.on(D(2026, 9, 11)):
        evaluation_services.evaluation_sign(actor=ev.viewer(c.second), evaluation=evaluation)

    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.DELIVERED


def test_without_an_agreement_the_window_still_holds(p):
    c = ev.cast(p, year=2026)
    evaluation = ev.annual(c, day=D(2026, 9, 2))
    with ev.on(D(2026, 9, 3)):
        ev.write_report(c, evaluation)
    with ev.on(D(2026, 9, 10)), pytest.raises(ValidationFailed) as refused:
        evaluation_services.evaluation_sign(actor=ev.viewer(c.first), evaluation=evaluation)
    assert "1 december 2026" in refused.value.message


@pytest.mark.parametrize(("reason", "agreed", "says"), [
    ("retirement", False, "did not agree"),
    ("other", False, "only someone who leaves voluntarily or retires"),
])
def test_a_leaver_who_is_not_evaluated_is_shown_with_the_reason(p, reason, agreed, says):
    cycle = _open(p.top.organisation)
    _leaves(p, p.employee)
    _record(_row(cycle, p.employee), p.hr, reason=reason, agreed=agreed)

    row = _row(cycle, p.employee)
    assert (row.evaluation_required, row.exemption) == (False, "leaves_before_evaluation")
    with translation.override("en"):
        (timeline,) = person_timeline(p.employee, today=SEPTEMBER)
    assert says in timeline.leaving.reason
    board = cycle_dashboard(cycle=cycle, unit=p.top, today=SEPTEMBER)
    assert getattr(board.total, f"leaves_{reason}") == 1


def test_an_agreement_for_another_reason_is_refused_and_changes_nothing(p):
    cycle = _open(p.top.organisation)
    _leaves(p, p.employee)
    before = _row(cycle, p.employee)

    with pytest.raises(ValidationFailed) as refused:
        _record(before, p.hr, reason="other", agreed=True)

    assert set(refused.value.errors) == {"agreed"}
    after = _row(cycle, p.employee)
    assert (after.leaving_reason, after.exemption, after.closed_on) == (
        "", before.exemption, before.closed_on)
    assert not AuditEvent.objects.filter(action="participation.leaving_recorded").exists()


def test_the_federal_policy_has_no_evaluation_before_leaving(p):
    org = p.top.organisation
    org.policy_preset = PolicyPreset.FEDERAL
    org.save(update_fields=["policy_preset"])
    cycle = _open(org)
    _leaves(p, p.employee)

    with pytest.raises(ValidationFailed) as refused:
        _record(_row(cycle, p.employee), p.hr)

    assert set(refused.value.errors) == {"agreed"}


@pytest.mark.parametrize("who", ["employee", "colleague", "unrelated_manager", "team_hr",
                                 "outsider"])
def test_only_hr_and_the_1st_evaluator_record_it(p, who):
    cycle = _open(p.top.organisation)
    with pytest.raises(NotFoundOrForbidden):
        _record(_row(cycle, p.employee), getattr(p, who))
    assert _row(cycle, p.employee).leaving_reason == ""


def test_the_2nd_evaluator_does_not_record_it(p):
    cycle = _open(p.top.organisation)
    with pytest.raises(NotFoundOrForbidden):
        _record(_row(cycle, p.employee), p.department.manager)


def test_a_recorded_last_day_without_an_end_date_counts_too_and_clearing_undoes_it(p):
    cycle = _open(p.top.organisation)
    _record(_row(cycle, p.employee), p.manager, reason="voluntary", agreed=False)
    assert _row(cycle, p.employee).exemption == "leaves_before_evaluation"

    with ev.on(SEPTEMBER):
        services.participation_leaving_record(
            participation=_row(cycle, p.employee), reason="", last_working_day=None,
            agreed=False, viewer=ev.viewer(p.manager))

    row = _row(cycle, p.employee)
    assert (row.exemption, row.closed_on, row.leaving_reason) == ("", None, "")
    assert AuditEvent.objects.filter(action="participation.leaving_cleared").count() == 1
