"""Random sequences of actions by every role, on a clock that moves through the Flemish
evaluation window, against the rules of the machine.

Each example opens Marc's annual evaluation (in a savepoint, rolled back afterwards) —
as a fresh draft or taken further down the chain first — and lets hypothesis choose who
does what, with which verdict, and how many days pass in between. After every step:

- the state is one of the machine's, and a change of state is a transition the table
  lists from the state before, to its target, taken by a role the table names;
- a refused action changed nothing;
- deadlines held: the 1st signature not before the window opened (1 December), the 2nd
  not before the hand-over (the self-evaluation, or 15 March), the employee's not after
  their term, closing without it only after the term;
- signed content never changed: every seal still verifies, and what each signature
  sealed is byte for byte what it was when it was given.
"""

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from koers.core.errors import DomainError
from koers.evaluations import permissions, rules, seals
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.states import (
    EDITS,
    TRANSITIONS,
    Action,
    EvaluationKind,
    EvaluationState,
    Role,
    roles_for,
    states_of,
    target_of,
)
from koers.rulebook.policy import policy_for
from tests import personas
from tests.evaluations.actions import perform
from tests.factories import evaluations as factory

pytestmark = pytest.mark.django_db

D = dt.date
S = EvaluationState
ACTIONS = [t.action for t in TRANSITIONS] + [e.action for e in EDITS]
WINDOW_OPENS = D(2025, 12, 1)
HANDOVER_DAY = D(2026, 3, 15)
LAST_DAY = D(2026, 5, 31)
VERDICTS = st.sampled_from(["voldoende", "onvoldoende", "voldoende", "loopbaanvertraging", ""])
# Where an example starts: (state, written procedure, with a self-evaluation).
STARTS = [(S.DRAFT, False, False), (S.DRAFT, False, True), (S.DRAFT_SENT, True, True),
          (S.FIRST_SIGNED, False, False), (S.FIRST_SIGNED, False, True),
          (S.DELIVERED, False, True)]
ROLES_OF = {"employee": {Role.EMPLOYEE}, "first": {Role.FIRST_EVALUATOR},
            "second": {Role.SECOND_EVALUATOR}, "hr": {Role.HR}}


def test_random_sequences_keep_the_rules():
    p = personas.build()
    c = factory.cast(p, goal_count=1)
    people = {"employee": c.employee, "first": c.first, "second": c.second, "hr": c.hr,
              "outsider": c.outsider}

    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.viewers = {name: factory.viewer(person) for name, person in people.items()
                            if person is not None}
            self.sealed: dict[int, bytes] = {}

        @initialize(start=st.sampled_from(STARTS), verdict=st.sampled_from(
            ["voldoende", "onvoldoende", "loopbaanvertraging"]))
        def open_the_evaluation(self, start: tuple[str, bool, bool], verdict: str) -> None:
            """Start from a fresh draft, or from further down the chain (taken there by
            the services on the factory's days), so that every state gets explored."""
            state, written, self_evaluation = start
            self.evaluation = factory.reach(c, state, written=written, verdict=verdict,
                                            self_evaluation=self_evaluation)
            when = factory.days(self_evaluation=self_evaluation)
            self.day = {S.DRAFT: when["open"], S.DRAFT_SENT: when["draft"],
                        S.FIRST_SIGNED: when["first"], S.DELIVERED: when["second"]}[state]

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def fresh(self) -> Evaluation:
            return Evaluation.objects.select_related("person__unit", "person__organisation") \
                .get(pk=self.evaluation.pk)

        @rule(days=st.sampled_from([0, 1, 3, 10, 20, 45]))
        def time_passes(self, days: int) -> None:
            self.day = min(self.day + dt.timedelta(days=days), LAST_DAY)

        @rule(data=st.data(), verdict=VERDICTS)
        def someone_acts(self, data: st.DataObject, verdict: str) -> None:
            """Mostly an action the table offers in this state, by one whose role it names
            (the policy may still refuse it), which drives the evaluation deep into the
            machine; else anything by anyone, outsiders included."""
            state = EvaluationState(self.fresh().state)
            offered = [a for a in ACTIONS if state in states_of(a) and a != Action.CANCEL]
            if offered and data.draw(st.integers(0, 3)):
                action = data.draw(st.sampled_from(offered))
                names = [n for n, roles in ROLES_OF.items() if roles & roles_for(action)]
                who = data.draw(st.sampled_from(names))
            else:
                who = data.draw(st.sampled_from(sorted(people)))
                action = data.draw(st.sampled_from(ACTIONS))
            self.act(who, action, verdict)

        def act(self, who: str, action: Action, verdict: str) -> None:
            before = self.fresh()
            roles = permissions.roles_of(self.viewers[who], before)
            self_submitted = before.self_evaluation_submitted_at
            with factory.on(self.day):
                try:
                    with transaction.atomic():
                        perform(action, before, self.viewers[who], verdict=verdict,
                                text=f"{who} on {self.day}", today=self.day)
                except DomainError:
                    done = False
                else:
                    done = True
            after = self.fresh()
            event(f"{action} by {who}: {'done' if done else 'refused'}")
            event(f"state {after.state}")
            assert after.state in S.values
            if not done:
                assert after.state == before.state
                assert after.updated_at == before.updated_at  # nothing was saved
                return
            # Done: the table allowed it to one of the actor's roles.
            assert EvaluationState(before.state) in states_of(action), (action, before.state)
            assert roles & roles_for(action), (who, action)
            assert after.state == target_of(action, before.state)
            # Deadlines per policy.
            if action == Action.SIGN_FIRST:
                assert self.day >= WINDOW_OPENS
            if action == Action.SIGN_SECOND:
                assert self.day >= HANDOVER_DAY or (
                    self_submitted is not None
                    and rules.local_day(self_submitted, "Europe/Brussels") <= self.day)
            if action == Action.SIGN_EMPLOYEE:
                assert before.employee_signature_due is not None
                assert self.day <= before.employee_signature_due
            if action == Action.CLOSE_UNSIGNED:
                assert before.employee_signature_due is not None
                assert self.day > before.employee_signature_due
            if action == Action.SAVE_REPORT:
                assert verdict in (*rules.verdicts_for(policy_for(c.employee.organisation),
                                                       c.employee), "")

        @invariant()
        def signed_content_never_changes(self) -> None:
            evaluation = self.evaluation
            assert seals.verify(evaluation) == []
            for signature in Signature.objects.filter(report__evaluation=evaluation) \
                    .select_related("report__evaluation"):
                data = seals.signed_bytes(signature)
                assert hashlib.sha256(data).hexdigest() == signature.seal
                assert self.sealed.setdefault(signature.pk, data) == data

        @invariant()
        def only_an_advanced_evaluation_follows(self) -> None:
            followers = Evaluation.objects.filter(follows=self.evaluation)
            assert all(f.kind == EvaluationKind.ADVANCED for f in followers)

    run_state_machine_as_test(Machine, settings=settings(
        max_examples=30, stateful_step_count=20, deadline=None, derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    ))
