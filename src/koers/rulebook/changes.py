"""Who follows a change of an organisation's policy: the subscription point.

``cycles`` stores what it computes from the policy (every running cycle's eligibility
and due dates), but ``rulebook`` may not import it. So the policy's write service
announces the change, and the rooms that follow subscribe once at start-up in their
``AppConfig.ready`` (``CyclesConfig.ready``). No signals: ``policy_settings_change``
calls ``policy_changed`` itself, inside its transaction; a follower with slow work
defers it until the change is committed (``transaction.on_commit``).
"""

from typing import Protocol

from koers.organisation.models import Organisation


class PolicyFollower(Protocol):
    def __call__(self, *, organisation: Organisation) -> None: ...


_followers: list[PolicyFollower] = []


def on_policy_changed(follower: PolicyFollower) -> None:
    """Call ``follower`` whenever an organisation's policy is written (once, however
    often asked)."""
    if follower not in _followers:
        _followers.append(follower)


def policy_changed(*, organisation: Organisation) -> None:
    for follower in _followers:
        follower(organisation=organisation)
