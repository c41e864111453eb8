"""Proposing, confirming, adjusting, commenting and closing goals."""

import datetime as dt

import pytest

from koers.core.errors import (
    EditConflict,
    NotFoundOrForbidden,
    PreconditionFailed,
    ValidationFailed,
)
from koers.goals import services
from koers.goals.models import ChangeKind, Goal, GoalKind
from koers.goals.states import GoalStatus
from tests import personas
from tests.factories import goals
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_a_goal_the_employee_proposes_is_agreed_when_the_manager_confirms(p):
    goal = goals.proposed(p.employee)
    assert (goal.status, goal.employee_confirmed_at is not None,
            goal.evaluator_confirmed_at) == (GoalStatus.PROPOSED, True, None)

    goal = services.goal_confirm(actor=viewer(p.manager), goal=goal)

    assert goal.status == GoalStatus.AGREED
    assert goal.evaluator_confirmed_by == p.manager.user
    assert [c.kind for c in goal.changes.all()] == [ChangeKind.PROPOSED, ChangeKind.CONFIRMED]


def test_a_goal_the_manager_proposes_waits_for_the_employee(p):
    goal = goals.proposed(p.employee, by=p.manager, kind=GoalKind.LEARNING)
    assert (goal.employee_confirmed_at, goal.proposed_by) == (None, p.manager.user)

    with pytest.raises(ValidationFailed, match=r"al bevestigd|already"):
        services.goal_confirm(actor=viewer(p.manager), goal=goal)
    goal = services.goal_confirm(actor=viewer(p.employee), goal=goal)

    assert goal.status == GoalStatus.AGREED


def test_a_colleague_cannot_propose_a_goal_for_someone_else(p):
    with pytest.raises(ValidationFailed):
        goals.proposed(p.employee, by=p.colleague)
    with pytest.raises(ValidationFailed):
        goals.proposed(p.employee, by=p.hr)
    assert Goal.objects.count() == 0


def test_the_second_evaluator_cannot_confirm(p):
    goal = goals.proposed(p.employee)
    with pytest.raises(ValidationFailed):
        services.goal_confirm(actor=viewer(p.department.manager), goal=goal)


def test_hr_gets_not_found_for_a_goal(p):
    goal = goals.proposed(p.employee)
    with pytest.raises(NotFoundOrForbidden):
        services.goal_confirm(actor=viewer(p.hr), goal=goal)


def test_a_change_while_proposed_asks_the_other_side_to_confirm_again(p):
    goal = goals.proposed(p.employee)
    goal = services.goal_adjust(actor=viewer(p.manager), goal=goal,
                                changes={"deadline": dt.date(2099, 6, 30)})

    assert goal.employee_confirmed_at is None
    assert goal.evaluator_confirmed_at is not None
    goal = services.goal_confirm(actor=viewer(p.employee), goal=goal)
    assert goal.status == GoalStatus.AGREED


def test_an_agreed_goal_changes_only_with_a_reason_and_stays_agreed(p):
    goal = goals.agreed(p.employee, p.manager)

    with pytest.raises(ValidationFailed) as refused:
        services.goal_adjust(actor=viewer(p.employee), goal=goal,
                             changes={"measure": "Tickets closed"})
    assert "reason" in refused.value.errors

    goal = services.goal_adjust(actor=viewer(p.employee), goal=goal,
                                changes={"measure": "Tickets closed", "progress": 40},
                                reason="The ticket system changed")

    assert (goal.status, goal.measure, goal.progress) == (GoalStatus.AGREED, "Tickets closed", 40)
    change = goal.changes.get(kind=ChangeKind.ADJUSTED)
    assert change.fields == {
        "measure": ["Response times in the ticket system", "Tickets closed"],
        "progress": [0, 40],
    }
    assert (change.reason, change.actor) == ("The ticket system changed", p.employee.user)


def test_progress_alone_needs_no_reason(p):
    goal = goals.agreed(p.employee, p.manager)
    goal = services.goal_adjust(actor=viewer(p.employee), goal=goal, changes={"progress": 60})
    assert goal.progress == 60


def test_progress_stays_between_0_and_100(p):
    goal = goals.agreed(p.employee, p.manager)
    with pytest.raises(ValidationFailed):
        services.goal_adjust(actor=viewer(p.employee), goal=goal, changes={"progress": 120})


def test_a_deadline_before_the_start_is_refused(p):
    with pytest.raises(ValidationFailed) as refused:
        goals.proposed(p.employee, start_date=dt.date(2026, 6, 1), deadline=dt.date(2026, 1, 1))
    assert "deadline" in refused.value.errors


def test_milestones_are_stored_in_date_order(p):
    goal = goals.proposed(p.employee, milestones=[
        {"date": dt.date(2026, 9, 1), "text": "Pilot"},
        {"date": "2026-03-01", "text": "Plan"},
    ])
    assert goal.milestones == [{"date": "2026-03-01", "text": "Plan"},
                               {"date": "2026-09-01", "text": "Pilot"}]


def test_only_the_evaluator_judges_the_result(p):
    goal = goals.agreed(p.employee, p.manager)
    goal = services.goal_set_status(actor=viewer(p.employee), goal=goal,
                                    status=GoalStatus.IN_PROGRESS)
    with pytest.raises(ValidationFailed):
        services.goal_set_status(actor=viewer(p.employee), goal=goal, status=GoalStatus.ACHIEVED)

    goal = services.goal_set_status(actor=viewer(p.manager), goal=goal,
                                    status=GoalStatus.ACHIEVED)

    assert goal.status == GoalStatus.ACHIEVED
    with pytest.raises(ValidationFailed, match=r"afgesloten|closed"):
        services.goal_adjust(actor=viewer(p.manager), goal=goal, changes={"progress": 100})


def test_a_proposed_goal_cannot_be_marked_achieved_or_agreed_by_a_status_change(p):
    goal = goals.proposed(p.employee)
    for status in (GoalStatus.ACHIEVED, GoalStatus.AGREED, GoalStatus.IN_PROGRESS):
        with pytest.raises(ValidationFailed):
            services.goal_set_status(actor=viewer(p.manager), goal=goal, status=status)
    goal = services.goal_set_status(actor=viewer(p.employee), goal=goal,
                                    status=GoalStatus.CANCELLED, reason="Double")
    assert goal.status == GoalStatus.CANCELLED


def test_follow_up_notes_are_kept_on_the_goal(p):
    goal = goals.agreed(p.employee, p.manager)
    services.goal_comment(actor=viewer(p.manager), goal=goal, text="Goed op weg.")
    services.goal_comment(actor=viewer(p.employee), goal=goal, text="Dank je.")
    with pytest.raises(NotFoundOrForbidden):  # a private goal: the colleague cannot see it
        services.goal_comment(actor=viewer(p.colleague), goal=goal, text="Mag ik ook?")

    assert [(c.author, c.text) for c in goal.comments.all()] == [
        (p.manager.user, "Goed op weg."), (p.employee.user, "Dank je."),
    ]


def test_members_link_their_goals_to_a_team_goal_of_their_unit(p):
    team_goal = goals.team_goal(p.team, p.manager)
    other = goals.team_goal(p.other_team, p.unrelated_manager)

    goal = goals.proposed(p.employee, team_goal=team_goal)

    assert list(team_goal.linked_goals.all()) == [goal]
    with pytest.raises(ValidationFailed):
        goals.proposed(p.employee, team_goal=other)


def test_only_the_manager_sets_team_goals(p):
    with pytest.raises(ValidationFailed):
        goals.team_goal(p.team, p.employee)
    with pytest.raises(ValidationFailed):
        goals.team_goal(p.team, p.unrelated_manager)
    assert goals.team_goal(p.team, p.manager).status == GoalStatus.AGREED


def test_every_goal_change_writes_an_audit_event_in_the_goals_chain(p):
    from koers.audit.models import AuditEvent
    from koers.audit.services import chain_of, verify

    goal = services.goal_propose(
        actor=viewer(p.employee), owner=p.employee, kind=GoalKind.PERFORMANCE,
        title="Dossiers binnen 10 werkdagen afhandelen", measure="90% binnen 10 werkdagen",
        deadline=dt.date(2027, 6, 30),
    )
    services.goal_confirm(actor=viewer(p.manager), goal=goal)
    actions = list(AuditEvent.objects.filter(chain=chain_of(goal)).order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["goal.proposed", "goal.confirmed"]
    assert verify().breaks == []


def test_two_editors_of_one_goal_never_overwrite_each_other_unseen():
    """Optimistic locking: the second change, started from the same revision, is refused
    with what the first saved; started again from that revision, it goes through."""
    p = personas.build()
    goal = goals.agreed(p.employee, p.manager, title="Loonvragen binnen twee dagen")
    started_from = goal.revision

    services.goal_adjust(actor=viewer(p.employee), goal=goal, changes={"progress": 40},
                         expected_revision=started_from)
    with pytest.raises(EditConflict) as conflict:
        services.goal_adjust(actor=viewer(p.manager), goal=goal,
                             changes={"title": "Loonvragen binnen één dag"}, reason="Sneller",
                             expected_revision=started_from)

    goal.refresh_from_db()
    assert (goal.title, goal.progress, goal.revision) == (
        "Loonvragen binnen twee dagen", 40, started_from + 1)
    assert conflict.value.revision == goal.revision
    assert conflict.value.current["progress"] == 40
    services.goal_adjust(actor=viewer(p.manager), goal=goal,
                         changes={"title": "Loonvragen binnen één dag"}, reason="Sneller",
                         expected_revision=conflict.value.revision)
    goal.refresh_from_db()
    assert (goal.title, goal.progress) == ("Loonvragen binnen één dag", 40)


def test_every_change_of_a_goal_counts_its_revision_up():
    p = personas.build()
    goal = goals.proposed(p.employee)
    revisions = [goal.revision]
    services.goal_confirm(actor=viewer(p.manager), goal=goal)
    goal.refresh_from_db()
    revisions.append(goal.revision)
    services.goal_adjust(actor=viewer(p.employee), goal=goal, changes={"progress": 10})
    goal.refresh_from_db()
    revisions.append(goal.revision)
    services.goal_set_status(actor=viewer(p.manager), goal=goal, status=GoalStatus.IN_PROGRESS)
    goal.refresh_from_db()
    revisions.append(goal.revision)

    assert revisions == [0, 1, 2, 3]


def test_a_move_on_from_a_revision_the_locked_goal_no_longer_has_changes_nothing():
    """The caller's revisions (the API's If-Match) are compared with the goal read under
    the change's row lock, not with the copy the caller holds: a copy read before someone
    else's save still says the old revision, and the move is refused all the same."""
    p = personas.build()
    goal = goals.proposed(p.employee)
    read = Goal.objects.get(pk=goal.pk)  # the manager's copy, revision 0
    services.goal_adjust(actor=viewer(p.employee), goal=goal, changes={"progress": 10})

    with pytest.raises(PreconditionFailed) as confirm:
        services.goal_confirm(actor=viewer(p.manager), goal=read,
                              if_revision_in={read.revision})
    with pytest.raises(PreconditionFailed) as status:
        services.goal_set_status(actor=viewer(p.employee), goal=read, status="cancelled",
                                 if_revision_in={read.revision})

    goal.refresh_from_db()
    assert confirm.value.revision == status.value.revision == goal.revision == 1
    assert (goal.status, goal.evaluator_confirmed_at) == (GoalStatus.PROPOSED, None)
    services.goal_confirm(actor=viewer(p.manager), goal=read, if_revision_in={goal.revision})
    goal.refresh_from_db()
    assert (goal.status, goal.revision) == (GoalStatus.AGREED, 2)
