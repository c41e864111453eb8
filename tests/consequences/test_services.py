"""Salary decisions, appeals and objections through the services."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from koers.audit.models import AuditEvent
from koers.consequences import selectors, services
from koers.consequences.models import SalaryDecision, SalaryDecisionBatch
from koers.consequences.states import AppealMove, AppealOutcome, AppealState, ObjectionState
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.notify.models import Notification
from koers.organisation.models import EmploymentStatus, SalarySystem
from koers.rulebook.services import policy_setting_change
from tests import factories
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db


def test_the_management_body_decides_many_steps_in_one_batch_event(p, bodies) -> None:
    marc = cf.delivered(p, p.employee)
    peter = cf.delivered(p, p.colleague)

    decisions = cf.decide(bodies.management, {marc: 2, peter: 0})

    assert sorted((d.person.first_name, d.step, d.verdict) for d in decisions) == [
        ("Marc", 2, "voldoende"), ("Peter", 0, "voldoende")]
    batch = SalaryDecisionBatch.objects.get()
    event = AuditEvent.objects.get(action="salary_decision.batch_taken")
    assert (batch.count, event.target_id) == (2, str(batch.pk))
    assert sorted(row["step"] for row in event.changes["decisions"]) == [0, 2]
    assert Notification.objects.filter(kind="consequences.salary_decided").count() == 2


def _queries_to_decide(p, member, people) -> int:
    evaluations = {cf.delivered(p, person): 1 for person in people}
    with ev.on(cf.AFTER_TERM), CaptureQueriesContext(connection) as queries:
        services.salary_decisions_take(
            actor=ev.viewer(member), organisation=member.organisation,
            steps={e.pk: step for e, step in evaluations.items()})
    return len(queries)


def test_deciding_three_costs_as_many_queries_as_deciding_one(p, bodies) -> None:
    one = _queries_to_decide(p, bodies.management, [p.employee])
    others = []
    for n in range(3):
        person = cf.evaluation_based(factories.person(p.team, with_user=True,
                                                      first_name=f"Extra{n}"))
        others.append(person)
    three = _queries_to_decide(p, bodies.management, others)

    assert three == one


def test_onvoldoende_with_a_step_above_0_refuses_the_whole_batch(p, bodies) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    peter = cf.delivered(p, p.colleague)

    with pytest.raises(ValidationFailed) as refused:
        cf.decide(bodies.management, {marc: 1, peter: 1})

    assert refused.value.errors == {str(marc.pk): ["Een “onvoldoende” geeft altijd trap 0."]}
    assert SalaryDecision.objects.count() == 0


def test_the_database_refuses_a_step_above_0_for_onvoldoende(p, bodies) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    decision = cf.decide(bodies.management, {marc: 0})[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        SalaryDecision.objects.filter(pk=decision.pk).update(step=1)


def test_people_in_the_seniority_system_are_not_on_the_worklist(p, bodies) -> None:
    peter = cf.delivered(p, p.colleague)
    p.colleague.__class__.objects.filter(pk=p.colleague.pk).update(
        salary_system=SalarySystem.SENIORITY)

    with ev.on(cf.AFTER_TERM):
        listed = selectors.worklist(ev.viewer(bodies.management), p.employee.organisation)
        with pytest.raises(ValidationFailed) as refused:
            cf.decide(bodies.management, {peter: 1})

    assert listed.candidates == []
    assert refused.value.errors == {
        str(peter.pk): ["Deze evaluatie staat niet op de lijst van te nemen beslissingen."]}


@pytest.mark.parametrize("who", ["manager", "hr", "employee"])
def test_only_the_management_body_decides(p, bodies, who) -> None:
    marc = cf.delivered(p, p.employee)

    with pytest.raises(NotFoundOrForbidden):
        cf.decide(getattr(p, who), {marc: 1})


def test_the_employee_appeals_within_the_term_and_hr_records_the_outcome(p, bodies) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")

    appeal = cf.appeal(p, marc)
    with ev.on(dt.date(2026, 1, 10)):
        services.appeal_record_hearing(actor=ev.viewer(p.hr), appeal=appeal,
                                       hearing_on=dt.date(2026, 1, 15), notes="Both heard.")
    decided = cf.decide_appeal(p, appeal, outcome=AppealOutcome.CHANGED)

    assert (decided.state, decided.outcome, decided.verdict) == (
        AppealState.DECIDED, AppealOutcome.CHANGED, "onvoldoende")
    assert list(AuditEvent.objects.filter(target_id=str(appeal.pk), target_type="consequences"
                                          ".appeal").values_list("action", flat=True)
                .order_by("seq")) == ["appeal.filed", "appeal.hearing_recorded",
                                      "appeal.decided"]
    # The verdict now counts as voldoende: every step is open.
    decision = cf.decide(bodies.management, {marc: 1}, day=dt.date(2026, 1, 21))[0]
    assert (decision.verdict, decision.step) == ("voldoende", 1)
    assert Notification.objects.filter(kind="consequences.appeal_filed",
                                       recipient=bodies.board.user).count() == 1


def test_an_appeal_after_the_term_is_refused(p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")

    with pytest.raises(ValidationFailed) as refused:
        cf.appeal(p, marc, day=cf.AFTER_TERM)

    assert refused.value.message == "De termijn om in beroep te gaan liep af op 27 december " \
                                    "2025."


def test_contractual_staff_cannot_appeal(p) -> None:
    cf.evaluation_based(p.employee, status=EmploymentStatus.CONTRACTUAL)
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")

    with pytest.raises(ValidationFailed):
        cf.appeal(p, marc)


def _commission_route(p) -> None:
    """The federal route on the personas' organisation ([b6][b7]): contract staff appeal
    too, and an evaluation commission advises before the decision."""
    for name in ("appeal_contract_staff", "appeal_commission_advises"):
        policy_setting_change(organisation=p.employee.organisation, name=name, value=True,
                              actor=p.hr.user)


def test_with_a_commission_the_advice_comes_between_hearing_and_decision(p) -> None:
    _commission_route(p)
    cf.evaluation_based(p.employee, status=EmploymentStatus.CONTRACTUAL)
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    appeal = cf.appeal(p, marc)  # a contract employee: admitted by this policy
    hr = ev.viewer(p.hr)

    with ev.on(dt.date(2026, 1, 10)):
        with pytest.raises(ValidationFailed):  # nobody heard yet
            services.appeal_advise(actor=hr, appeal=appeal, advice=AppealOutcome.CHANGED,
                                   advised_on=dt.date(2026, 1, 10))
        services.appeal_record_hearing(actor=hr, appeal=appeal,
                                       hearing_on=dt.date(2026, 1, 8), notes="Both heard.")
    with pytest.raises(ValidationFailed) as refused:  # the decision waits for the advice
        cf.decide_appeal(p, appeal, outcome=AppealOutcome.CHANGED)
    assert "advies" in refused.value.message
    with ev.on(dt.date(2026, 1, 12)):
        advised = services.appeal_advise(actor=hr, appeal=appeal, advice=AppealOutcome.CHANGED,
                                          advised_on=dt.date(2026, 1, 12), remarks="Better.")
    assert (advised.state, advised.advice) == (AppealState.ADVISED, AppealOutcome.CHANGED)
    assert selectors.appeal_read(hr, advised).moves == {AppealMove.DECIDE}
    decided = cf.decide_appeal(p, appeal, outcome=AppealOutcome.CHANGED)

    assert (decided.state, decided.outcome) == (AppealState.DECIDED, AppealOutcome.CHANGED)
    procedure = selectors.appeal_read(hr, decided).procedure
    assert [(step.done, step.day is not None) for step in procedure] == [(True, True)] * 5
    assert procedure[-1].note == "einduitspraak omgezet naar voldoende"  # Flemish verdicts
    assert list(AuditEvent.objects.filter(target_id=str(appeal.pk), target_type="consequences"
                                          ".appeal").values_list("action", flat=True)
                .order_by("seq")) == ["appeal.filed", "appeal.hearing_recorded",
                                      "appeal.advised", "appeal.decided"]
    # The employee got the acknowledgement of receipt, then the outcome.
    assert set(Notification.objects.filter(recipient=p.employee.user)
               .values_list("kind", flat=True)) >= {"consequences.appeal_received",
                                                    "consequences.appeal_decided"}


def test_without_a_commission_no_advice_is_recorded(p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    appeal = cf.appeal(p, marc)
    hr = ev.viewer(p.hr)
    with ev.on(dt.date(2026, 1, 10)):
        appeal = services.appeal_record_hearing(actor=hr, appeal=appeal,
                                                hearing_on=dt.date(2026, 1, 8))
        with pytest.raises(ValidationFailed):
            services.appeal_advise(actor=hr, appeal=appeal, advice=AppealOutcome.KEPT,
                                   advised_on=dt.date(2026, 1, 9))
    assert selectors.appeal_read(hr, appeal).moves == {AppealMove.RECORD_HEARING,
                                                       AppealMove.DECIDE}
    # Filed, heard, decision to come: the Flemish route has no advice of its own.
    assert [step.done for step in selectors.appeal_read(hr, appeal).procedure] == [
        True, True, False]


def test_only_the_employee_files_the_appeal(p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")

    with ev.on(cf.IN_TERM), pytest.raises(NotFoundOrForbidden):
        services.appeal_file(actor=ev.viewer(p.manager), evaluation=marc, grounds="No.")


def test_a_pending_appeal_holds_the_salary_decision(p, bodies) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    cf.appeal(p, marc)

    with pytest.raises(ValidationFailed) as refused:
        cf.decide(bodies.management, {marc: 0})

    assert refused.value.errors == {str(marc.pk): [
        "Er loopt een beroep tegen de einduitspraak: de beslissing wacht op de uitkomst."]}


def test_an_objection_is_advised_then_decided_finally(p, bodies) -> None:
    marc = cf.delivered(p, p.employee)
    decision = cf.decide(bodies.management, {marc: 0})[0]

    objection = cf.objection(decision)
    with ev.on(decision.decided_on + dt.timedelta(days=10)):
        services.salary_objection_advise(actor=ev.viewer(bodies.advisory), objection=objection,
                                         advice="Step 1 is defensible.", advised_step=1)
        final = services.salary_objection_decide(actor=ev.viewer(bodies.management),
                                                 objection=objection, final_step=0,
                                                 remarks="The advice is not followed.")

    assert (final.state, final.advised_step, final.final_step) == (ObjectionState.DECIDED, 1, 0)
    event = AuditEvent.objects.get(action="salary_objection.decided")
    assert event.changes["follows_advice"] is False


def test_the_advisory_body_cannot_decide_and_the_management_body_cannot_advise(p,
                                                                                bodies) -> None:
    marc = cf.delivered(p, p.employee)
    objection = cf.objection(cf.decide(bodies.management, {marc: 0})[0])

    with pytest.raises(NotFoundOrForbidden):
        services.salary_objection_advise(actor=ev.viewer(bodies.management),
                                         objection=objection, advice="x")
    with pytest.raises(NotFoundOrForbidden):
        services.salary_objection_decide(actor=ev.viewer(bodies.advisory), objection=objection,
                                         final_step=1)


def test_an_onvoldoende_appealed_in_vain_cannot_be_objected_to(p, bodies) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    cf.decide_appeal(p, cf.appeal(p, marc), outcome=AppealOutcome.KEPT)
    decision = cf.decide(bodies.management, {marc: 0}, day=dt.date(2026, 1, 21))[0]

    with pytest.raises(ValidationFailed) as refused:
        cf.objection(decision)

    assert refused.value.message.startswith("Je ging in beroep tegen de einduitspraak")


def test_a_step_1_decision_cannot_be_objected_to(p, bodies) -> None:
    marc = cf.delivered(p, p.employee)
    decision = cf.decide(bodies.management, {marc: 1})[0]

    with pytest.raises(ValidationFailed):
        cf.objection(decision)


def test_the_final_step_follows_the_onvoldoende_rule(p, bodies) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende", overall="Not enough.")
    p.employee.__class__.objects.filter(pk=p.employee.pk).update(
        employment_status=EmploymentStatus.CONTRACTUAL)
    decision = cf.decide(bodies.management, {marc: 0})[0]
    objection = cf.objection(decision)
    with ev.on(decision.decided_on + dt.timedelta(days=10)):
        services.salary_objection_advise(actor=ev.viewer(bodies.advisory), objection=objection,
                                         advice="Keep step 0.")
        with pytest.raises(ValidationFailed):
            services.salary_objection_decide(actor=ev.viewer(bodies.management),
                                             objection=objection, final_step=2)
