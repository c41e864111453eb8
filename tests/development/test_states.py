"""The plan's transition table, tested exhaustively."""

import itertools

from koers.development.states import (
    ALLOWED,
    EDITABLE_GROUP,
    HR_ALLOWED,
    OPEN_GROUP,
    HrActionStatus,
    PlanStatus,
    can_move,
)

P = PlanStatus
EXPECTED = {
    (P.DRAFT, P.SIGNED), (P.DRAFT, P.CANCELLED),
    (P.SIGNED, P.REVISING), (P.SIGNED, P.CLOSED),
    (P.REVISING, P.SIGNED),
}


def test_exactly_these_moves_are_allowed():
    allowed = {(a, b) for a, b in itertools.product(PlanStatus, repeat=2) if can_move(a, b)}
    assert allowed == EXPECTED
    assert set(ALLOWED) == set(PlanStatus)


def test_the_groups():
    assert {P.DRAFT, P.SIGNED, P.REVISING} == OPEN_GROUP
    assert {P.DRAFT, P.REVISING} == EDITABLE_GROUP


def test_hr_moves_between_requested_and_arranged():
    assert {
        HrActionStatus.REQUESTED: {HrActionStatus.ARRANGED},
        HrActionStatus.ARRANGED: {HrActionStatus.REQUESTED},
    } == HR_ALLOWED
