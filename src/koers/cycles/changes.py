"""Who follows new participations: the subscription point.

Rooms above ``cycles`` keep facts that settle a step of a participation made later (a
Dutch evaluation conversation combined with the next planning, held before the next
cycle opened, is that cycle's planning: ``conversations.milestones``). ``cycles`` may
not import them, so ``insert_participations`` announces the new rows, inside the
caller's transaction, and a room that follows subscribes once in its
``AppConfig.ready``.
"""

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from koers.cycles.models import Cycle


class ParticipationsFollower(Protocol):
    def __call__(self, *, cycle: "Cycle") -> None: ...


_followers: list[ParticipationsFollower] = []


def on_participations_added(follower: ParticipationsFollower) -> None:
    """Call ``follower`` whenever participations were added to a cycle (once)."""
    if follower not in _followers:
        _followers.append(follower)


def participations_added(cycle: "Cycle") -> None:
    for follower in _followers:
        follower(cycle=cycle)
