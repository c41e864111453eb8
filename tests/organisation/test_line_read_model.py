"""The read model of evaluator lines says what the tree and the overrides say, every day.

Random changes through the services HR uses (people who join or move, units that get
another manager or move, overrides that start, end or lie in the future), in random
order; after each, on the days around the changes, the stored lines, teams and second
lines equal the lines derived from the tree, and ``check_lines`` finds nothing.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.core.errors import ValidationFailed
from koers.organisation import evaluators, services
from koers.organisation.models import EvaluatorLinePeriod, EvaluatorOverride, Person, Unit
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)
DAYS = [TODAY + dt.timedelta(days=offset) for offset in (-400, -31, -1, 0, 1, 30, 400)]

index = st.integers(0, 50)
offset = st.integers(-40, 40)
operations = st.one_of(
    st.tuples(st.just("join"), index),
    st.tuples(st.just("move_person"), index, index),
    st.tuples(st.just("manager"), index, st.one_of(st.none(), index)),
    st.tuples(st.just("move_unit"), index, index),
    st.tuples(st.just("override"), index, st.one_of(st.none(), index),
              st.one_of(st.none(), index), offset, st.one_of(st.none(), st.integers(0, 60))),
    st.tuples(st.just("end_override"), index, offset),
)


def _pick[T](items: list[T], i: int) -> T:
    return items[i % len(items)]


def _apply(org, operation) -> None:
    units = list(Unit.objects.filter(organisation=org).order_by("pk"))
    people = list(Person.objects.filter(organisation=org).order_by("pk"))
    kind, *args = operation
    if kind == "join":
        factories.person(_pick(units, args[0]))
    elif kind == "move_person":
        person = _pick(people, args[0])
        services.person_save(organisation=org, person=person, unit=_pick(units, args[1]))
    elif kind in ("manager", "move_unit"):
        unit = _pick(units, args[0])
        parent, manager = unit.parent, unit.manager
        if kind == "manager":
            manager = None if args[1] is None else _pick(people, args[1])
        elif unit.parent is not None:
            parent = _pick(units, args[1])
        services.unit_update(unit=unit, code=unit.code, name=unit.name, parent=parent,
                             manager=manager)
    elif kind == "override":
        person = _pick(people, args[0])
        first = None if args[1] is None else _pick(people, args[1])
        second = None if args[2] is None else _pick(people, args[2])
        start = TODAY + dt.timedelta(days=args[3])
        until = None if args[4] is None else start + dt.timedelta(days=args[4])
        services.evaluator_override_create(person=person, first_evaluator=first,
                                           second_evaluator=second, valid_from=start,
                                           valid_until=until, reason="acting")
    elif kind == "end_override":
        overrides = list(EvaluatorOverride.objects.filter(person__organisation=org)
                         .order_by("pk"))
        if overrides:
            services.evaluator_override_end(override=_pick(overrides, args[0]),
                                            on=TODAY + dt.timedelta(days=args[1]))


def _assert_read_model_is_derived(org) -> None:
    people = list(Person.objects.filter(organisation=org).select_related("unit").order_by("pk"))
    boundaries = {d for o in EvaluatorOverride.objects.filter(person__organisation=org)
                  for d in (o.valid_from, o.valid_from - dt.timedelta(days=1),
                            o.valid_until, (o.valid_until or TODAY) + dt.timedelta(days=1))
                  if d is not None}
    for day in sorted({*DAYS, *boundaries}):
        stored = evaluators.evaluator_lines(people, on=day)
        derived = evaluators.derived_lines(people, on=day)
        assert stored == derived, day
        for evaluator in people:
            assert evaluators.team_member_ids(evaluator, on=day) == {
                pk for pk, line in derived.items() if line.first == evaluator}
            assert evaluators.second_line_member_ids(evaluator, on=day) == {
                pk for pk, line in derived.items() if line.second == evaluator}
    assert evaluators.check_lines(org, on=TODAY).wrong == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, min_size=1, max_size=12))
def test_the_stored_lines_are_the_derived_lines_after_any_changes(changes):
    org = factories.organisation()
    top = factories.unit(org, name="Directorate")
    department = factories.unit(org, top, name="Department")
    factories.unit(org, department, name="Team")
    factories.unit(org, department, name="Team without manager")
    director = factories.person(top)
    services.unit_update(unit=top, code=top.code, name=top.name, parent=None, manager=director)
    factories.person(department, manages=department)
    for operation in changes:
        try:
            _apply(org, operation)
        except ValidationFailed:
            continue  # refused by the service: nothing changed
        _assert_read_model_is_derived(org)


@pytest.fixture
def team():
    org = factories.organisation()
    top = factories.unit(org, name="Directorate")
    department = factories.unit(org, top, name="Department")
    director = factories.person(top, manages=top)
    head = factories.person(department, manages=department)
    employee = factories.person(department)
    return org, director, head, employee


def test_a_person_without_overrides_has_one_period_for_all_time(team):
    _org, _director, head, employee = team
    (period,) = EvaluatorLinePeriod.objects.filter(person=employee)
    assert (period.valid_from, period.valid_until) == (dt.date(1, 1, 1), dt.date(9999, 12, 31))
    assert period.first_evaluator == head


def test_a_future_override_starts_its_own_period_on_its_first_day(team):
    _org, director, head, employee = team
    start = TODAY + dt.timedelta(days=10)
    services.evaluator_override_create(
        person=employee, first_evaluator=director, second_evaluator=None,
        valid_from=start, valid_until=start + dt.timedelta(days=4), reason="acting")
    periods = list(EvaluatorLinePeriod.objects.filter(person=employee).order_by("valid_from"))
    assert [(p.valid_from, p.first_evaluator) for p in periods] == [
        (dt.date(1, 1, 1), head), (start, director), (start + dt.timedelta(days=5), head)]
    assert evaluators.team_member_ids(director, on=start - dt.timedelta(days=1)) == {head.pk}
    assert evaluators.team_member_ids(director, on=start) == {head.pk, employee.pk}


def test_whom_do_i_evaluate_is_one_query_whatever_the_team(team, django_assert_num_queries):
    org, director, head, _employee = team
    department = head.unit
    for _ in range(30):
        factories.person(department)
    with django_assert_num_queries(1):
        assert len(evaluators.team_member_ids(head, on=TODAY)) == 31
    with django_assert_num_queries(1):
        assert len(evaluators.second_line_member_ids(director, on=TODAY)) == 31
    people = list(Person.objects.filter(organisation=org))
    with django_assert_num_queries(1):
        evaluators.evaluator_lines(people, on=TODAY)


def test_the_command_finds_a_wrong_line_and_rebuilds_it(team):
    org, director, _head, employee = team
    EvaluatorLinePeriod.objects.filter(person=employee).update(first_evaluator=director)
    out = StringIO()
    with pytest.raises(Exception, match="1 stored lines differ"):
        call_command("evaluator-lines", "--check", "--org", org.slug, stdout=out)
    assert f"first: [{employee.pk}]" in out.getvalue()
    call_command("evaluator-lines", "--rebuild", "--org", org.slug, stdout=out)
    assert "0 lines differ" in out.getvalue().splitlines()[-1]
    assert evaluators.check_lines(org, on=TODAY).wrong == []
