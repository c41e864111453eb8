"""The personal improvement plan, from start to decision.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be)
and its "Richtlijnen PLOEG voor leidinggevenden"
(https://overheid.vlaanderen.be/personeel/loopbaan/richtlijnen-ploeg-voor-leidinggevenden):
the manager starts a personal improvement plan that says why, describes the expected
improvement and the support offered; progress is followed up monthly in conversations;
at the end the manager decides whether the goals were met, and if so the employee
returns to the normal cycle.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, RecordClosed, ValidationFailed
from koers.improvement import content, selectors, services
from koers.improvement.models import FollowUp, ImprovementPlan
from koers.improvement.rules import follow_up_due_dates
from koers.improvement.states import ALLOWED, PlanStatus, SignerRole
from koers.notify.models import Notification
from koers.organisation.models import PolicyPreset
from koers.rulebook import services as rulebook
from tests import personas
from tests.factories import improvement as plans
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 5)
END = dt.date(2026, 4, 4)


@pytest.fixture
def p():
    with clock.frozen(plans.moment(START)):
        yield personas.build()


def second(p):
    return p.department.manager


def test_the_first_evaluator_starts_a_plan_with_why_goals_support_and_period(p):
    plan = plans.draft(p.employee, p.manager)

    assert (plan.status, plan.started_by, plan.period_start, plan.period_end) == (
        PlanStatus.DRAFT, p.manager, START, END)
    assert [(g.position, g.expected) for g in plan.goals.all()] == [
        (1, plans.GOALS[0].expected), (2, plans.GOALS[1].expected)]
    assert AuditEvent.objects.filter(action="improvement_plan.started").count() == 1
    # The employee is asked to read and sign it.
    assert Notification.objects.filter(recipient=p.employee.user,
                                       kind="improvement.signature_awaited").count() == 1


def test_the_second_evaluator_may_start_it_too(p):
    plan = plans.draft(p.employee, second(p))

    assert plan.started_by == second(p)


def test_the_employee_a_colleague_and_hr_do_not_start_a_plan(p):
    for someone in (p.employee, p.hr):
        with pytest.raises(ValidationFailed):
            plans.draft(p.employee, someone)
    with pytest.raises(NotFoundOrForbidden):
        plans.draft(p.employee, p.colleague)
    assert ImprovementPlan.objects.count() == 0


@pytest.mark.parametrize(("preset", "roles"), [
    (PolicyPreset.FLEMISH, "de 1ste evaluator of de 2de evaluator"),
    # BOSA, "Evaluatie — betrokkenen": the evaluator and the hierarchical superior.
    (PolicyPreset.FEDERAL, "de evaluator of de hiërarchische meerdere"),
])
def test_who_starts_a_plan_is_named_in_the_regime_words(p, preset, roles):
    organisation = p.employee.organisation
    organisation.policy_preset = preset
    organisation.save(update_fields=["policy_preset"])

    with pytest.raises(ValidationFailed) as refused:
        plans.draft(p.employee, p.hr)

    assert refused.value.message == (
        f"Alleen {roles} van de medewerker start een verbeterplan.")
    assert ImprovementPlan.objects.count() == 0


def test_the_follow_up_interval_is_read_from_the_policy(p):
    """PLOEG: "maandelijks opgevolgd" (the Flemish preset: 1 month); an organisation may
    set another interval, which the plans started after it follow."""
    monthly = plans.running(p.employee, p.manager)
    assert (monthly.follow_up_months, monthly.follow_ups.count()) == (1, 2)

    rulebook.policy_setting_change(organisation=p.employee.organisation,
                                   name="improvement_plan_follow_up_months", value=2,
                                   actor=p.hr.user)
    every_two = plans.running(p.colleague, p.manager, end=dt.date(2026, 7, 5))

    assert every_two.follow_up_months == 2
    assert list(every_two.follow_ups.values_list("due_on", flat=True)) == [
        dt.date(2026, 3, 5), dt.date(2026, 5, 5), dt.date(2026, 7, 5)]


def test_follow_ups_fall_due_every_n_months_within_the_period():
    """PLOEG: monthly; the last follow-up falls on or before the end."""
    assert follow_up_due_dates(start=START, end=END, every_months=1) == [
        dt.date(2026, 2, 5), dt.date(2026, 3, 5)]
    assert follow_up_due_dates(start=dt.date(2026, 1, 31), end=dt.date(2026, 7, 31),
                               every_months=2) == [
        dt.date(2026, 3, 31), dt.date(2026, 5, 31), dt.date(2026, 7, 31)]


def test_the_plan_holds_once_both_sign_and_is_sealed(p):
    plan = plans.draft(p.employee, p.manager)
    with clock.frozen(plans.moment(START)):
        services.plan_sign(actor=viewer(p.manager), plan=plan)
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT
        services.plan_sign(actor=viewer(p.employee), plan=plan)

    plan.refresh_from_db()
    assert (plan.status, plan.signed_on) == (PlanStatus.RUNNING, START)
    assert content.verify(plan.content, plan.seal)
    assert {s.role for s in plan.signatures.all()} == set(SignerRole.values)
    assert {s.seal for s in plan.signatures.all()} == {plan.seal}
    assert list(plan.follow_ups.values_list("number", "due_on")) == [
        (1, dt.date(2026, 2, 5)), (2, dt.date(2026, 3, 5))]


def test_a_change_withdraws_a_signature_so_both_sign_the_same_content(p):
    plan = plans.draft(p.employee, p.manager)
    with clock.frozen(plans.moment(START)):
        services.plan_sign(actor=viewer(p.employee), plan=plan)
        services.plan_change(actor=viewer(p.manager), plan=plan, grounds="Other grounds",
                             goals=plans.GOALS, support="Coaching", period_start=START,
                             period_end=END)

    assert plan.signatures.count() == 0


def test_the_employees_remarks_are_part_of_what_both_sign(p):
    plan = plans.draft(p.employee, p.manager)
    with clock.frozen(plans.moment(START)):
        services.plan_remarks_set(actor=viewer(p.employee), plan=plan,
                                  remarks="I ask for a quieter desk.")
        services.plan_sign(actor=viewer(p.employee), plan=plan)
        services.plan_sign(actor=viewer(p.manager), plan=plan)
    plan.refresh_from_db()

    assert plan.content["employee_remarks"] == "I ask for a quieter desk."


def test_a_signed_plan_no_longer_changes(p):
    plan = plans.running(p.employee, p.manager)
    with clock.frozen(plans.moment(START)), pytest.raises(RecordClosed):
        services.plan_remarks_set(actor=viewer(p.employee), plan=plan, remarks="Later")


def test_a_plan_needs_goals_with_indicators_support_and_a_period(p):
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        plans.draft(p.employee, p.manager,
                    goals=(services.NewGoal("Faster answers", ""),))
    assert refused.value.errors["goals"] == [
        "Each expected improvement needs its indicators: how both of you will see that it "
        "is reached."]
    with pytest.raises(ValidationFailed) as refused:
        plans.draft(p.employee, p.manager, support=" ")
    assert list(refused.value.errors) == ["support"]
    with pytest.raises(ValidationFailed) as refused:
        plans.draft(p.employee, p.manager, end=START)
    assert list(refused.value.errors) == ["period_end"]
    assert ImprovementPlan.objects.count() == 0


def test_one_open_plan_per_employee_also_in_the_database(p):
    plans.draft(p.employee, p.manager)
    with pytest.raises(ValidationFailed):
        plans.draft(p.employee, second(p))
    first = ImprovementPlan.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementPlan.objects.create(
            organisation=first.organisation, employee=p.employee, started_by=p.manager,
            grounds="x", support="y", period_start=START, period_end=END,
            follow_up_months=1, created_by=p.manager.user)


def test_a_follow_up_records_progress_on_every_goal_and_the_actions(p):
    plan = plans.running(p.employee, p.manager)
    first = plan.follow_ups.get(number=1)
    goals = list(plan.goals.all())
    with clock.frozen(plans.moment(first.due_on)):
        with pytest.raises(ValidationFailed) as refused:
            services.follow_up_record(actor=viewer(p.manager), follow_up=first,
                                      held_on=first.due_on, progress={goals[0].pk: "Better"},
                                      actions="Daily review")
        assert list(refused.value.errors) == ["progress"]
        services.follow_up_record(actor=viewer(p.manager), follow_up=first,
                                  held_on=first.due_on,
                                  progress={g.pk: "Better" for g in goals},
                                  actions="Daily review")

    first.refresh_from_db()
    assert (first.held_on, first.recorded_by, first.progress.count()) == (
        dt.date(2026, 2, 5), p.manager, 2)


def test_the_employee_does_not_record_a_follow_up_and_none_is_recorded_ahead(p):
    plan = plans.running(p.employee, p.manager)
    first = plan.follow_ups.get(number=1)
    goals = {g.pk: "x" for g in plan.goals.all()}
    with clock.frozen(plans.moment(START)):
        with pytest.raises(ValidationFailed):
            services.follow_up_record(actor=viewer(p.employee), follow_up=first,
                                      held_on=START, progress=goals, actions="x")
        with pytest.raises(ValidationFailed) as refused:
            services.follow_up_record(actor=viewer(p.manager), follow_up=first,
                                      held_on=START + dt.timedelta(days=1), progress=goals,
                                      actions="x")
    assert list(refused.value.errors) == ["held_on"]


def test_a_follow_up_is_scheduled_as_a_conversation_with_its_invitation(p):
    plan = plans.running(p.employee, p.manager)
    first = plan.follow_ups.get(number=1)
    with clock.frozen(plans.moment(START)):
        services.follow_up_schedule(actor=viewer(p.manager), follow_up=first,
                                    starts_at=plans.moment(dt.date(2026, 2, 3)),
                                    ends_at=plans.moment(dt.date(2026, 2, 3))
                                    + dt.timedelta(hours=1), location="B.204")

    first.refresh_from_db()
    assert (first.conversation.employee, first.conversation.kind) == (p.employee, "follow_up")


def test_the_decision_comes_at_the_end_with_a_motivation(p):
    """PLOEG: at the end the manager decides whether the plan's goals were met."""
    plan = plans.running(p.employee, p.manager)
    with clock.frozen(plans.moment(END - dt.timedelta(days=1))), \
            pytest.raises(ValidationFailed):
        services.plan_decide(actor=viewer(p.manager), plan=plan, met=True, motivation="ok")
    with clock.frozen(plans.moment(END)):
        with pytest.raises(ValidationFailed) as refused:
            services.plan_decide(actor=viewer(p.manager), plan=plan, met=True, motivation="")
        assert list(refused.value.errors) == ["motivation"]
        services.plan_decide(actor=viewer(p.manager), plan=plan, met=True,
                             motivation="Both goals reached since March.")

    plan.refresh_from_db()
    assert (plan.status, plan.decided_on, plan.decided_by) == (PlanStatus.MET, END, p.manager)


def test_met_returns_the_employee_to_the_normal_cycle(p):
    """PLOEG: if met, the employee returns to the normal cycle: no plan is open, nothing
    of the plan waits for anyone, and a new plan may start later."""
    plan = plans.running(p.employee, p.manager)
    plans.hold_all(plan, p.manager)
    with clock.frozen(plans.moment(END)):
        services.plan_decide(actor=viewer(p.manager), plan=plan, met=True, motivation="Met.")
        assert selectors.open_plan_of(p.employee) is None
        assert selectors.improvement_tasks(viewer(p.manager)) == []
        assert selectors.improvement_tasks(viewer(p.employee)) == []


def test_the_employee_does_not_decide(p):
    plan = plans.running(p.employee, p.manager)
    with clock.frozen(plans.moment(END)), pytest.raises(ValidationFailed):
        services.plan_decide(actor=viewer(p.employee), plan=plan, met=True, motivation="x")


def test_extended_once_by_agreement_with_the_added_follow_ups(p):
    plan = plans.running(p.employee, p.manager)
    with clock.frozen(plans.moment(dt.date(2026, 3, 20))):
        services.plan_extension_propose(actor=viewer(p.manager), plan=plan,
                                        until=dt.date(2026, 6, 4), reason="Sick leave")
        plan.refresh_from_db()
        assert plan.period_end == END  # not before the employee agrees
        assert Notification.objects.filter(recipient=p.employee.user,
                                           key__startswith="improvement_extension:").count() == 1
        services.plan_extension_agree(actor=viewer(p.employee), plan=plan)
        plan.refresh_from_db()
        assert (plan.period_end, plan.extensions) == (dt.date(2026, 6, 4), 1)
        assert list(plan.follow_ups.values_list("number", "due_on")) == [
            (1, dt.date(2026, 2, 5)), (2, dt.date(2026, 3, 5)), (3, dt.date(2026, 4, 5)),
            (4, dt.date(2026, 5, 5))]
        with pytest.raises(ValidationFailed, match=r"once|eenmaal|één keer"):
            services.plan_extension_propose(actor=viewer(p.manager), plan=plan,
                                            until=dt.date(2026, 8, 4), reason="Again")


def test_the_transition_table_holds_every_state():
    assert set(ALLOWED) == set(PlanStatus.values)
    assert ALLOWED[PlanStatus.RUNNING] == {PlanStatus.MET, PlanStatus.NOT_MET}
    assert ALLOWED[PlanStatus.MET] == ALLOWED[PlanStatus.NOT_MET] == frozenset()


def test_a_follow_up_without_the_plan_running_is_refused(p):
    plan = plans.draft(p.employee, p.manager)
    follow_up = FollowUp.objects.create(plan=plan, number=1, due_on=dt.date(2026, 2, 5))
    with clock.frozen(plans.moment(dt.date(2026, 2, 5))), pytest.raises(RecordClosed):
        services.follow_up_record(actor=viewer(p.manager), follow_up=follow_up,
                                  held_on=dt.date(2026, 2, 5), progress={}, actions="x")
