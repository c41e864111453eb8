"""Optimistic locking of the development plan: the employee's remarks and each row and
part of a row (goal, means, HR action, follow-up entry) carry a revision; a change that
started from an older one is refused with what is saved now, so the employee and the
1st evaluator never overwrite each other's change unseen."""

import datetime as dt

import pytest

from koers.core import clock
from koers.core.errors import EditConflict
from koers.development.models import HrAction, PlanGoal, PlanMeans
from koers.development.services import plans
from koers.development.states import RoundKind
from tests import personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 4, 22, 12, tzinfo=dt.UTC)


@pytest.fixture
def p():
    with clock.frozen(NOON):
        yield personas.build()


def _both_from_one_revision(first, second, read):
    """Save ``first`` and then ``second`` from the revision both opened; the second is
    refused with the first's text. Returns the conflict and what is saved."""
    first()
    with pytest.raises(EditConflict) as conflict:
        second()
    return conflict.value, read()


def test_a_goal_changed_by_both_from_one_revision_keeps_the_first_and_refuses_the_second(p):
    plan = dev.draft(p.employee, p.manager)
    dev.item(plan, p.manager, "werk-structureren")
    goal = dev.goals_of(plan)[0]
    opened = goal.revision

    conflict, saved = _both_from_one_revision(
        lambda: plans.plan_goal_change(actor=viewer(p.manager), goal=goal,
                                       changes={"text": "Ratana's goal"},
                                       expected_revision=opened),
        lambda: plans.plan_goal_change(actor=viewer(p.employee), goal=goal,
                                       changes={"text": "Marc's goal"},
                                       expected_revision=opened),
        lambda: PlanGoal.objects.get(pk=goal.pk))

    assert (saved.text, saved.revision) == ("Ratana's goal", opened + 1)
    assert (conflict.current["text"], conflict.revision) == ("Ratana's goal", saved.revision)
    plans.plan_goal_change(actor=viewer(p.employee), goal=goal, changes={"text": "Marc's goal"},
                           expected_revision=conflict.revision)
    assert PlanGoal.objects.get(pk=goal.pk).text == "Marc's goal"


def test_every_editable_part_of_the_plan_is_locked_the_same_way(p):
    plan = dev.draft(p.employee, p.manager)
    item = dev.item(plan, p.manager, "werk-structureren")
    means = plans.plan_means_add(actor=viewer(p.manager), item=item,
                                 description="Coaching").obj
    hr_action = plans.plan_hr_action_add(actor=viewer(p.manager), item=item,
                                         description="Inschrijven").obj
    manager, employee = viewer(p.manager), viewer(p.employee)
    cases = [
        (lambda r, text: plans.plan_item_change(actor=manager, item=item, expected_revision=r,
                                                changes={"success_indicators": text}),
         lambda: type(item).objects.get(pk=item.pk), "success_indicators"),
        (lambda r, text: plans.plan_means_change(actor=manager, means=means,
                                                 expected_revision=r,
                                                 changes={"description": text}),
         lambda: PlanMeans.objects.get(pk=means.pk), "description"),
        (lambda r, text: plans.plan_hr_action_change(actor=manager, hr_action=hr_action,
                                                     expected_revision=r,
                                                     changes={"description": text}),
         lambda: HrAction.objects.get(pk=hr_action.pk), "description"),
        (lambda r, text: plans.plan_remarks_set(actor=employee, plan=plan, remarks=text,
                                                expected_revision=r),
         lambda: type(plan).objects.get(pk=plan.pk), "employee_remarks"),
    ]
    for change, read, field in cases:
        opened = read().revision
        conflict, saved = _both_from_one_revision(
            lambda change=change, opened=opened: change(opened, "First"),
            lambda change=change, opened=opened: change(opened, "Second"), read)
        assert (getattr(saved, field), saved.revision) == ("First", opened + 1), field
        assert conflict.current[field] == "First", field


def test_a_follow_up_entry_is_locked_the_same_way(p):
    plan = dev.signed(p.employee, p.manager)
    plans.plan_round_start(actor=viewer(p.manager), plan=plan, kind=RoundKind.FOLLOW_UP)
    item = plan.items.get()
    entry = plans.plan_follow_up_add(actor=viewer(p.manager), item=item, text="Half done").obj

    conflict, saved = _both_from_one_revision(
        lambda: plans.plan_follow_up_change(actor=viewer(p.manager), entry=entry,
                                            text="Done", expected_revision=0),
        lambda: plans.plan_follow_up_change(actor=viewer(p.employee), entry=entry,
                                            text="Not started", expected_revision=0),
        lambda: type(entry).objects.get(pk=entry.pk))

    assert (saved.text, conflict.current["text"]) == ("Done", "Done")
