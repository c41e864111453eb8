"""1st and 2nd evaluator from the unit tree, with overrides."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koers.organisation import services
from koers.organisation.evaluators import (
    derived_lines,
    evaluator_line,
    evaluator_lines,
    second_line_member_ids,
    team_member_ids,
)
from koers.organisation.models import Person
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def tree():
    """Director → department head → team lead → employee; plus a team without a manager."""
    org = factories.organisation()
    top = factories.unit(org, name="Directorate")
    department = factories.unit(org, top, name="Department")
    team = factories.unit(org, department, name="Team")
    orphan_team = factories.unit(org, department, name="Team without manager")
    director = factories.person(top, manages=top)
    head = factories.person(department, manages=department)
    lead = factories.person(team, manages=team)
    employee = factories.person(team)
    orphan = factories.person(orphan_team)
    orphan_colleague = factories.person(orphan_team)
    return locals()


def test_first_evaluator_is_the_manager_and_second_the_managers_manager(tree):
    line = evaluator_line(tree["employee"], on=TODAY)
    assert (line.first, line.second) == (tree["lead"], tree["head"])


def test_a_manager_is_evaluated_by_the_manager_above(tree):
    line = evaluator_line(tree["lead"], on=TODAY)
    assert (line.first, line.second) == (tree["head"], tree["director"])


def test_a_team_without_manager_walks_up_to_the_nearest_manager(tree):
    line = evaluator_line(tree["orphan"], on=TODAY)
    assert (line.first, line.second) == (tree["head"], tree["director"])


def test_the_top_manager_has_no_evaluator_in_the_tree(tree):
    line = evaluator_line(tree["director"], on=TODAY)
    assert (line.first, line.second) == (None, None)


def test_an_acting_team_member_replaces_the_first_evaluator_only(tree):
    services.evaluator_override_create(
        person=tree["orphan"],
        first_evaluator=tree["orphan_colleague"],
        second_evaluator=None,
        valid_from=dt.date(2026, 1, 1),
        valid_until=None,
        reason="Team without a manager",
    )
    line = evaluator_line(tree["orphan"], on=TODAY)
    assert (line.first, line.second) == (tree["orphan_colleague"], tree["head"])
    assert line.first_is_override
    assert not line.second_is_override


def test_an_override_counts_only_in_its_period(tree):
    services.evaluator_override_create(
        person=tree["employee"],
        first_evaluator=tree["head"],
        second_evaluator=tree["director"],
        valid_from=dt.date(2026, 3, 1),
        valid_until=dt.date(2026, 6, 30),
        reason="Interim",
    )
    assert evaluator_line(tree["employee"], on=dt.date(2026, 2, 28)).first == tree["lead"]
    assert evaluator_line(tree["employee"], on=dt.date(2026, 3, 1)).first == tree["head"]
    assert evaluator_line(tree["employee"], on=dt.date(2026, 6, 30)).first == tree["head"]
    assert evaluator_line(tree["employee"], on=dt.date(2026, 7, 1)).first == tree["lead"]
    assert tree["employee"].pk in team_member_ids(tree["head"], on=dt.date(2026, 4, 1))
    assert tree["employee"].pk not in team_member_ids(tree["lead"], on=dt.date(2026, 4, 1))


def test_teams_follow_the_tree(tree):
    assert team_member_ids(tree["lead"], on=TODAY) == {tree["employee"].pk}
    assert team_member_ids(tree["head"], on=TODAY) == {
        tree["lead"].pk,
        tree["orphan"].pk,
        tree["orphan_colleague"].pk,
    }
    assert team_member_ids(tree["director"], on=TODAY) == {tree["head"].pk}
    assert second_line_member_ids(tree["director"], on=TODAY) == {
        tree["lead"].pk,
        tree["orphan"].pk,
        tree["orphan_colleague"].pk,
    }
    assert second_line_member_ids(tree["head"], on=TODAY) == {tree["employee"].pk}


@st.composite
def random_trees(draw):
    """Parent index per unit (a tree), which units have a manager, and member counts."""
    size = draw(st.integers(1, 9))
    # At least one person overall, so overrides have someone to name.
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    managed = [draw(st.booleans()) for _ in range(size)]
    members = [draw(st.integers(0, 3)) for _ in range(size)]
    members[0] = max(members[0], 1)
    return parents, managed, members


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_trees(), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=3))
def test_team_of_each_evaluator_is_exactly_the_people_naming_them(shape, acting):
    """Two code paths (person → line, evaluator → team) agree on any tree and overrides."""
    parents, managed, members = shape
    org = factories.organisation()
    units = []
    for parent in parents:
        units.append(factories.unit(org, units[parent] if parent is not None else None))
    for unit, has_manager, count in zip(units, managed, members, strict=True):
        if has_manager:
            factories.person(unit, manages=unit)
        for _ in range(count):
            factories.person(unit)
    people = list(Person.objects.filter(organisation=org).select_related("unit").order_by("pk"))
    overridden = set()
    for who, by in acting:
        person, evaluator = people[who % len(people)], people[by % len(people)]
        if person.pk != evaluator.pk and person.pk not in overridden:
            overridden.add(person.pk)
            services.evaluator_override_create(
                person=person,
                first_evaluator=evaluator,
                second_evaluator=None,
                valid_from=TODAY,
                valid_until=None,
                reason="acting",
            )
    lines = evaluator_lines(people, on=TODAY)
    evaluators = {line.first.pk for line in lines.values() if line.first}
    assert lines == derived_lines(people, on=TODAY)
    for evaluator_id in evaluators:
        expected = {
            pk for pk, line in lines.items() if line.first and line.first.pk == evaluator_id
        }
        evaluator = next(p for p in people if p.pk == evaluator_id)
        assert team_member_ids(evaluator, on=TODAY) == expected
        expected_second = {
            pk for pk, line in lines.items() if line.second and line.second.pk == evaluator_id
        }
        assert second_line_member_ids(evaluator, on=TODAY) == expected_second


def test_second_evaluator_keeps_people_whose_first_was_set_by_hand(tree):
    # The employee's 1st evaluator is set to someone outside the line; the 2nd stays
    # the first manager of the tree line (the team lead).
    services.evaluator_override_create(
        person=tree["employee"],
        first_evaluator=tree["orphan"],
        second_evaluator=None,
        valid_from=dt.date(2026, 1, 1),
        valid_until=None,
        reason="Project lead evaluates",
    )
    assert evaluator_line(tree["employee"], on=TODAY).second == tree["lead"]
    assert tree["employee"].pk in second_line_member_ids(tree["lead"], on=TODAY)
    assert team_member_ids(tree["orphan"], on=TODAY) == {tree["employee"].pk}
