"""The state machine, exhaustively: every action × every state × every role.

For each preset and each state it can reach, one evaluation is taken there through the
services; then every action is tried by every role (in a savepoint that is rolled back,
on a day the policy allows it), and the outcome must be exactly what ``states`` lists:
done, with the table's target state, when the state and the role are listed (narrowed by
the policy where the table says so); else refused — ``NotFoundOrForbidden`` for someone
who cannot see the evaluation, ``WrongState`` for a state the action is not listed for,
``WrongRole`` for a role it is not listed for.
"""

import datetime as dt

import pytest
from django.db import transaction

from koers.core.errors import DomainError, NotFoundOrForbidden
from koers.evaluations import rules, services
from koers.evaluations.models import Evaluation
from koers.evaluations.states import (
    EDITS,
    TRANSITIONS,
    Action,
    EvaluationKind,
    EvaluationState,
    Refused,
    Role,
    WrongRole,
    WrongState,
    roles_for,
    states_of,
    target_of,
)
from koers.organisation.models import PolicyPreset
from koers.rulebook.policy import policy_for
from tests import personas
from tests.evaluations.actions import perform
from tests.factories import evaluations as factory

pytestmark = pytest.mark.django_db

S = EvaluationState
ACTIONS = [t.action for t in TRANSITIONS] + [e.action for e in EDITS]
ROLE_OF_NAME = {"employee": {Role.EMPLOYEE}, "first": {Role.FIRST_EVALUATOR},
                "second": {Role.SECOND_EVALUATOR}, "hr": {Role.HR}, "outsider": set()}


class Rollback(Exception):
    pass


def test_every_action_is_in_one_table_once():
    assert sorted(ACTIONS) == sorted(Action.values)
    assert len(ACTIONS) == len(set(ACTIONS))
    for action in ACTIONS:
        assert states_of(action)
        assert roles_for(action)


def test_the_table_is_the_one_agreed():
    """A change of the machine must change this test too (docs/evaluations.md)."""
    table = {t.action: (sorted(t.sources), t.target, sorted(t.roles)) for t in TRANSITIONS}
    assert table == {
        Action.SEND_DRAFT: ([S.DRAFT], S.DRAFT_SENT, [Role.FIRST_EVALUATOR]),
        Action.SIGN_FIRST: ([S.DRAFT, S.DRAFT_SENT], S.FIRST_SIGNED, [Role.FIRST_EVALUATOR]),
        Action.SIGN_SECOND: ([S.FIRST_SIGNED], S.DELIVERED, [Role.SECOND_EVALUATOR]),
        Action.CORRECT: ([S.DELIVERED, S.FIRST_SIGNED], S.DRAFT,
                         [Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR]),
        Action.SIGN_EMPLOYEE: ([S.DELIVERED], S.COMPLETED, [Role.EMPLOYEE]),
        Action.CLOSE_UNSIGNED: ([S.DELIVERED], S.CLOSED_UNSIGNED,
                                [Role.FIRST_EVALUATOR, Role.HR]),
        Action.CANCEL: ([S.DRAFT, S.DRAFT_SENT], S.CANCELLED, [Role.HR]),
    }
    # Nothing leaves a final state.
    for state in (S.COMPLETED, S.CLOSED_UNSIGNED, S.CANCELLED):
        assert [t.action for t in TRANSITIONS if state in t.sources] == []


def _prepare(action: Action, evaluation: Evaluation, c: factory.Cast) -> None:
    """What the action needs besides the table, done by whoever may do it (if they may)."""
    fresh = Evaluation.objects.get(pk=evaluation.pk)
    try:
        if action == Action.SEND_DRAFT and not fresh.written_procedure:
            services.evaluation_set_written_procedure(
                actor=factory.viewer(c.first), evaluation=fresh, written=True)
        if action == Action.SUBMIT_SELF_EVALUATION:
            services.self_evaluation_save(
                actor=factory.viewer(c.employee), evaluation=fresh, overall="Looking back.",
                items={}, expected_revision=fresh.self_evaluation_revision)
    except DomainError:
        pass


def _day(action: Action, evaluation: Evaluation, when: dict[str, dt.date]) -> dt.date:
    delivered = (rules.local_day(evaluation.delivered_at, "Europe/Brussels")
                 if evaluation.delivered_at else None)
    if action == Action.SIGN_FIRST:
        return when["first"] if evaluation.state == S.DRAFT else when["draft"] + dt.timedelta(20)
    if action == Action.SIGN_SECOND:
        return when["second"]
    if action == Action.ADD_DRAFT_REMARKS:
        return when["remarks"]
    if delivered is not None and action == Action.SIGN_EMPLOYEE:
        return delivered + dt.timedelta(days=3)
    if delivered is not None and action == Action.CLOSE_UNSIGNED:
        return delivered + dt.timedelta(days=20)
    return delivered or when["first"]


def _expected(action: Action, state: str, roles: set[Role], c: factory.Cast) -> bool:
    policy = policy_for(c.employee.organisation)
    if EvaluationState(state) not in states_of(action) or not roles & roles_for(action):
        return False
    if action == Action.SAVE_REPORT:
        return rules.report_author(policy, kind=EvaluationKind.ANNUAL) in roles
    # An objection is recorded against a formal assessment only (not an annual one).
    return action != Action.RECORD_OBJECTION


CASES = [
    (preset, state)
    for preset in (PolicyPreset.FLEMISH, PolicyPreset.DUTCH_MUNICIPAL)
    for state in S
    # Without a 2nd signature the 1st delivers at once: FIRST_SIGNED is never reached.
    if not (preset == PolicyPreset.DUTCH_MUNICIPAL and state == S.FIRST_SIGNED)
]


@pytest.mark.parametrize(("preset", "state"), CASES)
def test_every_action_by_every_role_in_every_state(preset, state):
    c = factory.cast(personas.build(), preset=preset, goal_count=1)
    # No self-evaluation, so that writing and submitting it can be tried in every state.
    evaluation = factory.reach(c, state, written=state == S.DRAFT_SENT, remarks=False,
                               self_evaluation=False)
    when = factory.days(self_evaluation=False)
    policy = policy_for(c.employee.organisation)
    people = {"employee": c.employee, "first": c.first, "second": c.second, "hr": c.hr,
              "outsider": c.outsider}
    viewers = {name: factory.viewer(person) for name, person in people.items() if person}
    outcomes = {}
    for action in ACTIONS:
        for name in people:
            with factory.on(_day(action, evaluation, when)):
                try:
                    with transaction.atomic():
                        _prepare(action, evaluation, c)
                        try:
                            perform(action, evaluation, viewers[name], text="A wrong date.",
                                    today=_day(action, evaluation, when))
                        except DomainError as error:
                            outcomes[action, name] = error
                        else:
                            outcomes[action, name] = Evaluation.objects.get(pk=evaluation.pk).state
                        raise Rollback
                except Rollback:
                    pass
            assert Evaluation.objects.get(pk=evaluation.pk).state == state
    for (action, name), outcome in outcomes.items():
        roles = ROLE_OF_NAME[name]
        where = f"{action} by {name} in {state} ({preset})"
        if _expected(action, state, roles, c):
            assert outcome == target_of(
                action, state, second_signature_required=policy.second_signature_required), \
                f"{where}: {outcome}"
        elif name == "outsider":
            assert isinstance(outcome, NotFoundOrForbidden), f"{where}: {outcome!r}"
        elif EvaluationState(state) not in states_of(action):
            assert isinstance(outcome, WrongState), f"{where}: {outcome!r}"
        elif not roles & roles_for(action):
            assert isinstance(outcome, WrongRole), f"{where}: {outcome!r}"
        else:
            assert isinstance(outcome, Refused), f"{where}: {outcome!r}"
