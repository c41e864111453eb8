"""The transition table, every pair of states."""

import itertools

import pytest

from koers.goals.states import (
    AGREED_GROUP,
    ALLOWED,
    CLOSED_GROUP,
    OPEN_GROUP,
    GoalStatus,
    can_move,
)

S = GoalStatus

EXPECTED = {
    (S.PROPOSED, S.CANCELLED),
    (S.AGREED, S.IN_PROGRESS),
    (S.AGREED, S.ACHIEVED),
    (S.AGREED, S.NOT_ACHIEVED),
    (S.AGREED, S.CANCELLED),
    (S.IN_PROGRESS, S.ACHIEVED),
    (S.IN_PROGRESS, S.NOT_ACHIEVED),
    (S.IN_PROGRESS, S.CANCELLED),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(S, S)))
def test_every_transition_is_allowed_only_when_listed(source, target):
    assert can_move(source, target) == ((source, target) in EXPECTED)


def test_the_table_names_every_state():
    assert set(ALLOWED) == set(S)


def test_no_status_change_leads_to_agreed_which_only_confirmation_reaches():
    assert all(S.AGREED not in targets for targets in ALLOWED.values())


def test_closed_states_are_final():
    assert all(ALLOWED[state] == frozenset() for state in CLOSED_GROUP)


def test_open_and_closed_split_every_state():
    assert set(S) == OPEN_GROUP | CLOSED_GROUP
    assert not OPEN_GROUP & CLOSED_GROUP
    assert S.PROPOSED not in AGREED_GROUP
