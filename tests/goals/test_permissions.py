"""Who sees and changes goals: the employee, the evaluators, colleagues for shared goals; not HR."""

import pytest

from koers.goals.models import Visibility
from koers.goals.permissions import (
    awaits_confirmation_by,
    can_edit_goal,
    can_view_goal,
    goals_visible_to,
)
from koers.goals.states import GoalStatus
from tests import personas
from tests.factories import goals

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def private(p):
    return goals.proposed(p.employee, title="Private goal")


@pytest.fixture
def shared(p):
    return goals.proposed(p.employee, title="Shared goal", visibility=Visibility.SHARED)


# persona → (sees private, sees shared, edits)
MATRIX = {
    "employee": (True, True, True),
    "manager": (True, True, True),  # 1st evaluator
    "director": (False, False, False),  # 3 levels up: neither 1st nor 2nd
    "colleague": (False, True, False),
    "unrelated_manager": (False, False, False),
    "unrelated_employee": (False, False, False),
    "hr": (False, False, False),  # no default access to goal content
    "team_hr": (False, False, False),
    "outsider": (False, False, False),
}


@pytest.mark.parametrize(("persona", "expected"), MATRIX.items())
def test_goal_access_matrix(p, private, shared, persona, expected):
    viewer = goals.viewer(getattr(p, persona))
    sees_private, sees_shared, edits = expected

    assert can_view_goal(viewer, private) == sees_private
    assert can_view_goal(viewer, shared) == sees_shared
    assert can_edit_goal(viewer, private) == edits
    visible = set(goals_visible_to(viewer).values_list("title", flat=True))
    assert visible == {t for t, seen in (("Private goal", sees_private),
                                          ("Shared goal", sees_shared)) if seen}


def test_the_second_evaluator_reads_but_does_not_edit(p, private):
    head = p.department.manager
    viewer = goals.viewer(head)
    assert (can_view_goal(viewer, private), can_edit_goal(viewer, private)) == (True, False)


def test_a_team_goal_is_seen_by_the_members_and_edited_by_the_manager_only(p):
    team_goal = goals.team_goal(p.team, p.manager)
    for persona, sees, edits in (
        ("manager", True, True), ("employee", True, False), ("colleague", True, False),
        ("unrelated_employee", False, False), ("hr", False, False),
    ):
        viewer = goals.viewer(getattr(p, persona))
        assert (can_view_goal(viewer, team_goal), can_edit_goal(viewer, team_goal)) == (
            sees, edits), persona
        assert goals_visible_to(viewer).filter(pk=team_goal.pk).exists() == sees, persona


def test_the_status_choices_follow_the_table_and_the_role(p):
    from koers.goals import services
    from koers.goals.permissions import statuses_for
    from koers.goals.states import GoalStatus as S

    goal = goals.agreed(p.employee, p.manager)
    goal = services.goal_set_status(actor=goals.viewer(p.employee), goal=goal,
                                    status=S.IN_PROGRESS)

    assert statuses_for(goals.viewer(p.employee), goal) == []
    assert statuses_for(goals.viewer(p.manager), goal) == [
        S.ACHIEVED, S.NOT_ACHIEVED, S.CANCELLED]
    assert statuses_for(goals.viewer(p.colleague), goal) == []


def test_a_proposed_goal_awaits_the_side_that_has_not_confirmed(p):
    """The page's "waiting for your agreement" follows who has confirmed, not who proposed."""
    goal = goals.proposed(p.employee, by=p.employee)
    awaiting = {name for name in ("employee", "manager", "colleague", "hr")
                if awaits_confirmation_by(goals.viewer(getattr(p, name)), goal)}

    assert awaiting == {"manager"}


def test_an_agreed_goal_awaits_nobody(p):
    goal = goals.agreed(p.employee, p.manager)
    assert goal.status == GoalStatus.AGREED

    assert not awaits_confirmation_by(goals.viewer(p.employee), goal)
    assert not awaits_confirmation_by(goals.viewer(p.manager), goal)
