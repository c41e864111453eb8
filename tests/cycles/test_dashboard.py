"""The HR cycle dashboard counts a subtree and each child unit, in two queries."""

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from koers.core import clock
from koers.cycles.dashboard import OVERDUE_STEPS, Progress, count_cycles, cycle_dashboard
from koers.cycles.milestones import STEPS
from koers.cycles.models import CycleState, UnitProgress
from koers.organisation.models import Unit
from koers.rulebook.deadlines import Due
from tests import factories
from tests.factories import bulk_participations
from tests.factories import participations as cycles

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# Flemish cycle 2026: planning due 31-03-2026; self-evaluation and 1st signature due
# 15-03-2027; evaluation conversation and 2nd signature due 31-03-2027.
AFTER_FIRST_SIGNATURES = dt.datetime(2027, 3, 20, 10, tzinfo=BRUSSELS)
ALL_DONE = {
    "planning_done_on": dt.date(2026, 2, 1),
    "follow_ups_held": 2,
    "self_evaluation_submitted_on": dt.date(2027, 1, 10),
    "evaluation_held_on": dt.date(2027, 1, 20),
    "first_signed_on": dt.date(2027, 2, 1),
    "second_signed_on": dt.date(2027, 2, 10),
    "employee_signed_on": dt.date(2027, 2, 15),
}


@pytest.fixture
def tree():
    """top ─┬─ department A ── team A1
            └─ department B, with hand-set milestones for each person."""
    org = factories.organisation("Stad Dashboard")
    top = factories.unit(org, name="Stad")
    dept_a = factories.unit(org, top, name="Dienst A")
    team_a1 = factories.unit(org, dept_a, name="Team A1")
    dept_b = factories.unit(org, top, name="Dienst B")
    cycle = cycles.cycle(org, 2026)
    add = bulk_participations.participations
    # In the top unit itself: planned, nothing since; late on the self-evaluation and
    # the 1st signature.
    add(cycle, [factories.person(top)], planning_done_on=dt.date(2026, 3, 1))
    add(cycle, [factories.person(dept_a)], **ALL_DONE)
    # Exempt: the evaluation steps do not apply, the planning does (and is late).
    add(cycle, [factories.person(team_a1)], evaluation_required=False, follow_ups_held=1)
    add(cycle, [factories.person(team_a1)], planning_done_on=dt.date(2026, 3, 1),
        self_evaluation_submitted_on=dt.date(2027, 3, 1))
    # Left during the cycle: not counted at all.
    add(cycle, [factories.person(dept_b)], closed_on=dt.date(2026, 6, 30))
    add(cycle, [factories.person(dept_b)], **{**ALL_DONE, "follow_ups_held": 3})
    # Another cycle of the same organisation does not count.
    add(cycles.cycle(org, 2025, state=CycleState.CLOSED), [factories.person(dept_b)])
    return dataclasses.make_dataclass("Tree", ["cycle", "top", "dept_a", "team_a1", "dept_b"])(
        cycle, top, dept_a, team_a1, dept_b
    )


def _by_step(**counts: int) -> dict[Due, int]:
    return {step.due: counts.get(step.due, 0) for step in OVERDUE_STEPS}


def test_the_subtree_row_counts_every_milestone(tree):
    with clock.frozen(AFTER_FIRST_SIGNATURES):
        board = cycle_dashboard(cycle=tree.cycle, unit=tree.top)

    assert board.today == dt.date(2027, 3, 20)
    assert board.total == Progress(
        participations=5,
        exempt=1,
        planning_done=4,
        with_follow_up=3,
        follow_ups=6,
        self_evaluations=3,
        first_signed=2,
        second_signed=2,
        employee_signed=2,
        overdue=3,
        overdue_by_step=_by_step(planning=1, self_evaluation=1, first_signature=2),
        # The exempt person has the planning only; no halfway conversation or
        # probation assessment in the Flemish policy.
        tasks_by_step=_by_step(planning=5, self_evaluation=4, evaluation=4,
                               first_signature=4, second_signature=4),
        done_by_step=_by_step(planning=4, self_evaluation=3, evaluation=2,
                              first_signature=2, second_signature=2),
    )
    assert [step.due for step in board.steps] == [
        Due.PLANNING, Due.SELF_EVALUATION, Due.EVALUATION, Due.FIRST_SIGNATURE,
        Due.SECOND_SIGNATURE,
    ]


def test_each_child_row_counts_its_own_subtree(tree):
    with clock.frozen(AFTER_FIRST_SIGNATURES):
        board = cycle_dashboard(cycle=tree.cycle, unit=tree.top)

    assert [child.unit for child in board.children] == [tree.dept_a, tree.dept_b]
    dept_a, dept_b = (child.progress for child in board.children)
    assert (dept_a.participations, dept_a.exempt, dept_a.planning_done) == (3, 1, 2)
    assert (dept_a.follow_ups, dept_a.overdue) == (3, 2)
    assert dept_a.overdue_by_step == _by_step(planning=1, first_signature=1)
    assert (dept_b.participations, dept_b.follow_ups, dept_b.overdue) == (1, 3, 0)
    assert (board.direct.participations, board.direct.overdue) == (1, 1)
    assert board.direct.overdue_by_step == _by_step(self_evaluation=1, first_signature=1)


def test_drilling_down_the_rows_add_up_to_the_subtree(tree):
    with clock.frozen(AFTER_FIRST_SIGNATURES):
        top = cycle_dashboard(cycle=tree.cycle, unit=tree.top)
        dept_a = cycle_dashboard(cycle=tree.cycle, unit=tree.dept_a)

    for board in (top, dept_a):
        summed = Progress()
        summed.add(board.direct)
        for child in board.children:
            summed.add(child.progress)
        assert summed == board.total
    assert dept_a.total == top.children[0].progress
    assert [child.unit for child in dept_a.children] == [tree.team_a1]
    assert dept_a.direct.participations == 1
    assert dept_a.children[0].progress.participations == 2


def test_nothing_is_overdue_before_the_due_dates(tree):
    with clock.frozen(dt.datetime(2026, 3, 31, 12, tzinfo=BRUSSELS)):
        board = cycle_dashboard(cycle=tree.cycle, unit=tree.top)

    assert board.total.overdue == 0
    assert board.total.overdue_by_step == _by_step()


def test_overdue_is_measured_on_the_organisations_day_not_the_servers():
    org = factories.organisation()
    top = factories.unit(org)
    cycle = cycles.cycle(org, 2026)
    bulk_participations.participations(cycle, [factories.person(top)],
                                       planning_done_on=dt.date(2026, 1, 15))
    # 23:30 UTC on the due day is already the next day in Brussels.
    late_evening_utc = dt.datetime(2027, 3, 15, 23, 30, tzinfo=dt.UTC)

    with clock.frozen(late_evening_utc):
        board = cycle_dashboard(cycle=cycle, unit=top)

    assert board.today == dt.date(2027, 3, 16)
    assert board.total.overdue_by_step == _by_step(self_evaluation=1, first_signature=1)


def test_each_step_with_a_done_milestone_is_counted_when_late():
    """Dutch municipal policy: planning, halfway progress, evaluation and probation."""
    org = factories.organisation(preset="dutch_municipal")
    top = factories.unit(org)
    on_probation = factories.person(top, probation_end_date=dt.date(2026, 12, 31))
    cycle = cycles.cycle(org, 2026)
    bulk_participations.participations(cycle, [on_probation])

    with clock.frozen(dt.datetime(2027, 2, 1, 12, tzinfo=BRUSSELS)):
        board = cycle_dashboard(cycle=cycle, unit=top)

    assert board.total.overdue == 1
    assert board.total.overdue_by_step == _by_step(
        planning=1, halfway_progress=1, self_evaluation=1, evaluation=1,
        probation_assessment=1,
    )


def test_every_step_that_can_be_late_has_a_column():
    assert [step.due for step in OVERDUE_STEPS] == [
        step.due for step in STEPS if step.done_field is not None
    ]


def test_a_top_unit_counts_its_own_subtree_only():
    """The services keep one top unit per organisation; the database does not."""
    org = factories.organisation()
    first = factories.unit(org)
    second = Unit.objects.create(organisation=org, code="TWEEDE", name="Tweede top")
    Unit.objects.filter(pk=second.pk).update(path=f"/{second.pk}/")
    second.refresh_from_db()
    cycle = cycles.cycle(org, 2026)
    bulk_participations.participations(
        cycle, [factories.person(first), factories.person(second), factories.person(second)]
    )

    board = cycle_dashboard(cycle=cycle, unit=first, today=dt.date(2026, 1, 1))

    assert board.total.participations == 1


def test_a_unit_without_participations_shows_zeros(tree):
    org = tree.cycle.organisation
    empty = factories.unit(org, tree.dept_b, name="Team zonder deelnemers")

    board = cycle_dashboard(cycle=tree.cycle, unit=empty, today=dt.date(2027, 3, 20))

    assert board.total == Progress()
    assert board.children == []


def test_a_unit_of_another_organisation_is_refused(tree):
    elsewhere = factories.unit(factories.organisation())

    with pytest.raises(ValueError, match="another organisation"):
        cycle_dashboard(cycle=tree.cycle, unit=elsewhere)


@pytest.mark.parametrize("size", [10, 100])
def test_two_queries_whatever_the_number_of_people(django_assert_num_queries, size):
    org = factories.organisation()
    top = factories.unit(org)
    teams = [factories.unit(org, top) for _ in range(3)]
    people = [factories.person(teams[i % 3]) for i in range(size)]
    cycle = cycles.cycle(org, 2026)
    bulk_participations.participations(cycle, people, follow_ups_held=1)

    with django_assert_num_queries(2):
        board = cycle_dashboard(cycle=cycle, unit=top, today=dt.date(2027, 3, 20))

    assert board.total.participations == size
    assert board.total.follow_ups == size


# A large cycle is counted ahead --------------------------------------------------------


def _same_counts(board, live) -> None:
    assert (board.total, board.direct) == (live.total, live.direct)
    assert [(c.unit, c.progress) for c in board.children] == [
        (c.unit, c.progress) for c in live.children]


def test_a_large_cycle_answers_from_its_rollup_with_the_same_counts(tree):
    with clock.frozen(AFTER_FIRST_SIGNATURES):
        written = count_cycles(limit=1)
        assert written == {tree.cycle.pk: 4}  # top, both departments, team A1
    later = AFTER_FIRST_SIGNATURES + dt.timedelta(days=30)
    with clock.frozen(later):
        for unit in (tree.top, tree.dept_a, tree.team_a1, tree.dept_b):
            board = cycle_dashboard(cycle=tree.cycle, unit=unit)
            live = cycle_dashboard(cycle=tree.cycle, unit=unit, today=dt.date(2027, 3, 20))
            _same_counts(board, live)
            # As counted, and when: not as of the day of the visit.
            assert board.today == dt.date(2027, 3, 20)
            assert board.counted_at == AFTER_FIRST_SIGNATURES
            assert live.counted_at is None


def test_the_rollup_answers_in_two_queries_whatever_the_size(tree, django_assert_num_queries):
    count_cycles(limit=1)

    with django_assert_num_queries(2):  # the children, their rows and the unit's own
        board = cycle_dashboard(cycle=tree.cycle, unit=tree.top)

    assert board.total.participations == 5


def test_a_unit_nobody_takes_part_in_is_counted_live_in_a_large_cycle(tree):
    count_cycles(limit=1)
    empty = factories.unit(tree.top.organisation, tree.dept_b, name="Nieuw team")

    board = cycle_dashboard(cycle=tree.cycle, unit=empty)

    assert (board.total, board.counted_at) == (Progress(), None)


def test_a_cycle_that_is_small_again_or_closed_loses_its_rollup(tree):
    count_cycles(limit=1)
    count_cycles(limit=5)  # five open participations: small enough to count live

    assert not UnitProgress.objects.exists()
    assert cycle_dashboard(cycle=tree.cycle, unit=tree.top).counted_at is None

    count_cycles(limit=1)
    type(tree.cycle).objects.filter(pk=tree.cycle.pk).update(state=CycleState.CLOSED)
    count_cycles(limit=1)
    assert not UnitProgress.objects.exists()


def test_counting_twice_writes_the_same_rows(tree):
    with clock.frozen(AFTER_FIRST_SIGNATURES):
        count_cycles(limit=1)
        first = list(UnitProgress.objects.order_by("unit").values("unit", "direct", "subtree"))
        count_cycles(limit=1)
    assert list(UnitProgress.objects.order_by("unit").values("unit", "direct", "subtree")) == first


def test_each_step_says_its_share_done_late_and_not_yet_due(tree):
    with clock.frozen(AFTER_FIRST_SIGNATURES):
        board = cycle_dashboard(cycle=tree.cycle, unit=tree.top)

    shares = {share.step.due: share for share in board.shares}

    # Planning: 4 of 5 done, 1 late. Self-evaluation: 3 of 4 done, 1 late.
    assert (shares[Due.PLANNING].percentages, shares[Due.PLANNING].open) == ((80, 20, 0), 0)
    assert shares[Due.SELF_EVALUATION].percentages == (75, 25, 0)
    # The evaluation: 2 of 4 held, nobody late yet, 2 still to come.
    assert (shares[Due.EVALUATION].late, shares[Due.EVALUATION].open) == (0, 2)
    assert shares[Due.EVALUATION].percentages == (50, 0, 50)


def test_shares_are_whole_percentages_that_add_up_to_a_hundred():
    from koers.cycles.dashboard import StepShare

    share = StepShare(STEPS[0], tasks=3, done=1, late=1)

    assert share.percentages == (34, 33, 33)
    assert sum(StepShare(STEPS[0], tasks=7, done=2, late=2).percentages) == 100
    assert StepShare(STEPS[0], tasks=0, done=0, late=0).percentages == (0, 0, 0)
