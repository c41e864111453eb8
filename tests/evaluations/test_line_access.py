"""Rights that follow the evaluator line: people move, units change managers, overrides
start and end over the weeks of the evaluation window, and at every step nobody outside
the person's evaluator line of that day reads or signs the evaluation, the line always
reads it, and the evaluators stored on an open evaluation are the line's.

The rule (Koers's own, written in docs/access.md): the evaluation's 1st and 2nd evaluator
are those of the evaluator line on the day of the request, for the pages, the PDF, the
API and signing alike; a successor takes over the steps still to come. The line itself
is the Flemish one of the PLOEG guide (the direct manager and the manager's manager,
``organisation.evaluators``).
"""

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from koers.core.errors import DomainError, NotFoundOrForbidden
from koers.evaluations import permissions, services
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.states import OPEN_GROUP, EvaluationState, Role, WrongRole
from koers.evaluations.tasks import evaluators_follow_lines_task
from koers.organisation import evaluators
from koers.organisation import services as organisation_services
from koers.organisation.models import EvaluatorOverride, Person
from tests import factories, personas
from tests.factories import evaluations as factory

pytestmark = pytest.mark.django_db

S = EvaluationState
LAST_DAY = dt.date(2026, 5, 31)
STARTS = [(S.DRAFT, True), (S.FIRST_SIGNED, False), (S.FIRST_SIGNED, True), (S.DELIVERED, True)]
# The signature each state waits for, and the role that gives it.
SIGNING_ROLE = {S.DRAFT: Role.FIRST_EVALUATOR, S.FIRST_SIGNED: Role.SECOND_EVALUATOR}


def test_rights_follow_the_line_of_the_day_through_moves_and_overrides():
    p = personas.build()
    c = factory.cast(p, goal_count=1)
    head = p.department.manager
    assert head is not None
    # Who may come into (and go out of) Marc's line: a deputy in his team, a colleague of
    # the head, a new head of the department, the unrelated manager (whose team Marc may
    # join) and the director above all.
    deputy = factories.person(p.team, with_user=True, first_name="Dana")
    fiona = factories.person(p.department, with_user=True, first_name="Fiona")
    new_head = factories.person(p.department, with_user=True, first_name="Tom")
    pool = {"manager": p.manager, "head": head, "deputy": deputy, "fiona": fiona,
            "new_head": new_head, "unrelated": p.unrelated_manager, "director": p.director}
    hr = p.hr.user

    def marc() -> Person:
        return Person.objects.select_related("unit").get(pk=c.employee.pk)

    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        @initialize(start=st.sampled_from(STARTS))
        def open_the_evaluation(self, start: tuple[str, bool]) -> None:
            state, self_evaluation = start
            self.evaluation = factory.reach(c, state, self_evaluation=self_evaluation)
            when = factory.days(self_evaluation=self_evaluation)
            self.day = {S.DRAFT: when["self"], S.FIRST_SIGNED: when["first"],
                        S.DELIVERED: when["second"]}[state]

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def fresh(self) -> Evaluation:
            return Evaluation.objects.select_related(
                "person__unit", "person__organisation").get(pk=self.evaluation.pk)

        @rule(days=st.sampled_from([1, 3, 10, 30]))
        def time_passes(self, days: int) -> None:
            """A new day: the daily task brings the stored evaluators in line with the
            overrides that started or ended on their own."""
            self.day = min(self.day + dt.timedelta(days=days), LAST_DAY)
            with factory.on(self.day):
                evaluators_follow_lines_task.call()

        @rule(to=st.sampled_from(["team", "other_team"]))
        def marc_moves(self, to: str) -> None:
            unit = getattr(p, to)
            employee = marc()
            with factory.on(self.day):
                organisation_services.person_save(
                    organisation=employee.organisation, person=employee, unit=unit, actor=hr)

        @rule(manager=st.sampled_from(["head", "new_head"]))
        def the_department_gets_a_manager(self, manager: str) -> None:
            department = type(p.department).objects.get(pk=p.department.pk)
            with factory.on(self.day):
                organisation_services.unit_update(
                    unit=department, code=department.code, name=department.name,
                    parent=department.parent, manager=pool[manager], actor=hr)

        @rule(first=st.sampled_from([None, "deputy", "unrelated"]),
              second=st.sampled_from([None, "fiona", "director"]),
              starts_in=st.sampled_from([0, 0, 5]), lasts=st.sampled_from([None, 0, 7, 40]))
        def an_override_starts(self, first: str | None, second: str | None, starts_in: int,
                               lasts: int | None) -> None:
            valid_from = self.day + dt.timedelta(days=starts_in)
            # Refused when it overlaps another or names nobody: nothing changes.
            with factory.on(self.day), contextlib.suppress(DomainError):
                organisation_services.evaluator_override_create(
                    person=c.employee, first_evaluator=pool[first] if first else None,
                    second_evaluator=pool[second] if second else None,
                    valid_from=valid_from,
                    valid_until=None if lasts is None else valid_from + dt.timedelta(lasts),
                    reason="Deputising", actor=hr)

        @rule(after=st.sampled_from([0, 2]))
        def the_override_ends(self, after: int) -> None:
            running = EvaluatorOverride.objects.filter(person=c.employee).order_by(
                "-valid_from").first()
            if running is None:
                return
            # Refused when it starts later than that day.
            with factory.on(self.day), contextlib.suppress(DomainError):
                organisation_services.evaluator_override_end(
                    override=running, on=self.day + dt.timedelta(days=after), actor=hr)

        @rule(who=st.sampled_from(sorted(pool)))
        def someone_signs(self, who: str) -> None:
            """Whoever tries: only the line's holder of the awaited signature gets past
            the question of who they are (the policy may still say not yet)."""
            evaluation = self.fresh()
            needed = SIGNING_ROLE.get(S(evaluation.state))
            with factory.on(self.day):
                line = evaluators.evaluator_line(marc(), on=self.day)
                holder = {Role.FIRST_EVALUATOR: line.first,
                          Role.SECOND_EVALUATOR: line.second}.get(needed)  # type: ignore[arg-type]
                signatures = Signature.objects.count()
                try:
                    services.evaluation_sign(actor=factory.viewer(pool[who]),
                                             evaluation=evaluation)
                except (NotFoundOrForbidden, WrongRole):
                    assert holder is None or holder.pk != pool[who].pk
                    assert Signature.objects.count() == signatures
                except DomainError:
                    assert Signature.objects.count() == signatures
                else:
                    assert holder is not None
                    assert holder.pk == pool[who].pk

        @invariant()
        def only_the_line_of_the_day_reads_and_acts(self) -> None:
            if not hasattr(self, "evaluation"):
                return
            evaluation = self.fresh()
            with factory.on(self.day):
                line = evaluators.evaluator_line(marc(), on=self.day)
                for person in pool.values():
                    viewer = factory.viewer(person)
                    expected = {role for role, holder in (
                        (Role.FIRST_EVALUATOR, line.first),
                        (Role.SECOND_EVALUATOR, line.second))
                        if holder is not None and holder.pk == person.pk}
                    assert permissions.personal_roles(viewer, evaluation) == expected
                    in_line = bool(expected)
                    assert permissions.can_view(viewer, evaluation) == in_line
                    assert permissions.can_view_report(viewer, evaluation) == in_line
                    listed = permissions.evaluations_visible_to(viewer).filter(
                        pk=evaluation.pk).exists()
                    assert listed == in_line

        @invariant()
        def an_open_evaluation_names_the_line_of_the_day(self) -> None:
            if not hasattr(self, "evaluation"):
                return
            evaluation = self.fresh()
            if evaluation.state not in OPEN_GROUP:
                return
            line = evaluators.evaluator_line(marc(), on=self.day)
            assert evaluation.first_evaluator_id == (line.first.pk if line.first else None)
            assert evaluation.second_evaluator_id == (line.second.pk if line.second else None)

    run_state_machine_as_test(Machine, settings=settings(
        max_examples=10, stateful_step_count=10, deadline=None, derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    ))
