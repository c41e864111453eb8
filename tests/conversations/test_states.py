"""The transition table of a conversation's status, exhaustively."""

import pytest

from koers.conversations.states import ALLOWED, ConversationStatus, can_move

S = ConversationStatus
EDGES = {(S.SCHEDULED, S.HELD), (S.SCHEDULED, S.CANCELLED)}


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_only_the_listed_transitions_are_allowed(source, target):
    assert can_move(source, target) == ((source, target) in EDGES)


def test_every_status_has_a_row():
    assert set(ALLOWED) == set(S)
