"""The synthetic organisation generator: shape of the tree, people, determinism."""

import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from koers.core.errors import ValidationFailed
from koers.organisation import generator
from koers.organisation.evaluators import evaluator_line
from koers.organisation.models import (
    EmploymentStatus,
    Organisation,
    Person,
    PolicyPreset,
    Unit,
)
from koers.organisation.rules import default_salary_system

pytestmark = pytest.mark.django_db
PEOPLE = 300


@pytest.fixture
def generated():
    return generator.generate_organisation(
        name="Generated", people=PEOPLE, preset=PolicyPreset.FEDERAL, seed=7
    )


def _units(organisation):
    return list(Unit.objects.filter(organisation=organisation).order_by("path"))


def test_generates_the_requested_number_of_people_and_units(generated):
    org = generated.organisation
    assert Person.objects.filter(organisation=org).count() == PEOPLE
    assert Unit.objects.filter(organisation=org).count() == generated.units


def test_the_tree_has_one_top_unit_and_four_to_six_levels(generated):
    units = _units(generated.organisation)
    assert [u.depth for u in units if u.parent_id is None] == [0]
    levels = max(u.depth for u in units) + 1
    assert generator.MIN_LEVELS <= levels <= generator.MAX_LEVELS


def test_paths_and_depths_follow_the_parents(generated):
    by_id = {u.pk: u for u in _units(generated.organisation)}
    for unit in by_id.values():
        if unit.parent_id is None:
            assert unit.path == f"/{unit.pk}/"
            assert unit.depth == 0
        else:
            parent = by_id[unit.parent_id]
            assert unit.path == f"{parent.path}{unit.pk}/"
            assert unit.depth == parent.depth + 1


def test_spans_of_control_stay_between_five_and_twelve(generated):
    units = _units(generated.organisation)
    children = Counter(u.parent_id for u in units if u.parent_id is not None)
    members = Counter(
        Person.objects.filter(organisation=generated.organisation).values_list("unit_id", flat=True)
    )
    assert all(5 <= count <= 12 for count in children.values())
    assert sorted(members) == sorted(u.pk for u in units)  # every unit has members
    assert all(5 <= count <= 12 for count in members.values())


def test_every_person_works_in_a_unit_of_their_organisation(generated):
    org = generated.organisation
    assert not Person.objects.filter(organisation=org).exclude(unit__organisation=org).exists()


def test_managers_are_members_of_their_unit_and_a_few_teams_have_none(generated):
    units = _units(generated.organisation)
    managed = [u for u in units if u.manager_id is not None]
    managerless = [u for u in units if u.manager_id is None]
    teams = [u for u in units if not any(c.parent_id == u.pk for c in units)]
    members = dict(Person.objects.filter(managed_units__in=units).values_list("pk", "unit_id"))
    assert all(members[u.manager_id] == u.pk for u in managed)
    assert managerless
    assert {u.pk for u in managerless} <= {t.pk for t in teams}
    assert len(managerless) == max(1, round(0.03 * len(teams)))


def test_a_team_without_manager_is_evaluated_from_the_unit_above(generated):
    team = Unit.objects.filter(
        organisation=generated.organisation, manager__isnull=True
    ).select_related("parent__manager").get()
    member = Person.objects.select_related("unit").filter(unit=team).order_by("pk")[0]
    line = evaluator_line(member, on=dt.date(2026, 11, 22))
    assert team.parent is not None
    assert line.first == team.parent.manager


def test_people_have_plausible_employment_facts(generated):
    people = list(Person.objects.filter(organisation=generated.organisation))
    assert {p.working_time_fraction for p in people} <= {
        Decimal("1.000"), Decimal("0.800"), Decimal("0.500")
    }
    assert all(dt.date(1985, 1, 1) <= p.start_date <= dt.date(2026, 12, 31) for p in people)
    assert all(p.end_date is None or p.end_date >= p.start_date for p in people)
    assert all(p.salary_system == default_salary_system(p.start_date) for p in people)
    assert {p.grade for p in people} <= {"A", "B", "C", "D"}
    statutory = sum(p.employment_status == EmploymentStatus.STATUTORY for p in people)
    assert 0.8 * PEOPLE < statutory < PEOPLE  # about 8% contractual
    assert any(p.probation_end_date for p in people)
    assert len({p.employee_number for p in people}) == PEOPLE
    assert len({p.email for p in people}) == PEOPLE


def test_dutch_municipal_staff_are_contractual_on_salary_scales():
    result = generator.generate_organisation(
        name="Gemeente Proef", people=120, preset=PolicyPreset.DUTCH_MUNICIPAL, seed=3
    )
    people = Person.objects.filter(organisation=result.organisation)
    assert set(people.values_list("employment_status", flat=True)) == {
        EmploymentStatus.CONTRACTUAL
    }
    grades = people.values_list("grade", flat=True)
    assert all(re.fullmatch(r"schaal \d+", grade) for grade in grades)


def _snapshot(organisation):
    """Everything drawn from the seed (the top unit is named after the organisation)."""
    units = list(
        Unit.objects.filter(organisation=organisation, parent__isnull=False)
        .order_by("code")
        .values_list("code", "name", "depth", "parent__code", "manager__employee_number")
    )
    people = list(
        Person.objects.filter(organisation=organisation)
        .order_by("employee_number")
        .values_list(
            "employee_number", "first_name", "last_name", "language", "unit__code", "job_title",
            "grade", "rank", "start_date", "end_date", "working_time_fraction",
            "employment_status", "probation_end_date", "email",
        )
    )
    # E-mail domains differ per organisation; the local part is drawn.
    return units, [(*row[:-1], row[-1].split("@")[0]) for row in people]


def test_the_same_seed_gives_the_same_organisation():
    first = generator.generate_organisation(name="One", people=PEOPLE, preset="flemish", seed=11)
    second = generator.generate_organisation(name="Two", people=PEOPLE, preset="flemish", seed=11)
    other = generator.generate_organisation(name="Three", people=PEOPLE, preset="flemish", seed=12)
    assert _snapshot(first.organisation) == _snapshot(second.organisation)
    assert _snapshot(first.organisation) != _snapshot(other.organisation)


def test_an_existing_organisation_name_is_refused(generated):
    with pytest.raises(ValidationFailed):
        generator.generate_organisation(name="Generated", people=PEOPLE, preset="federal", seed=1)
    # In English, like every command, although the site speaks Dutch by default.
    with pytest.raises(CommandError, match="An organisation named “Generated” already exists"):
        call_command("generate", people=PEOPLE, org="Generated")
    assert Organisation.objects.filter(name="Generated").count() == 1


def test_the_command_refuses_too_few_people_before_it_starts():
    with pytest.raises(CommandError, match=f"--people must be between {generator.MIN_PEOPLE} "):
        call_command("generate", people=generator.MIN_PEOPLE - 1, org="Tiny")

    assert not Organisation.objects.filter(name="Tiny").exists()


def test_too_few_people_for_four_levels_is_refused():
    with pytest.raises(ValidationFailed):
        generator.generate_organisation(
            name="Tiny", people=generator.MIN_PEOPLE - 1, preset="flemish", seed=1
        )
    assert not Organisation.objects.filter(name="Tiny").exists()


def test_the_smallest_organisation_still_reaches_four_levels():
    result = generator.generate_organisation(
        name="Smallest", people=generator.MIN_PEOPLE, preset="flemish", seed=5
    )
    units = _units(result.organisation)
    assert max(u.depth for u in units) + 1 == generator.MIN_LEVELS
    assert Person.objects.filter(organisation=result.organisation).count() == generator.MIN_PEOPLE


def test_the_command_prints_people_units_and_seconds():
    out = io.StringIO()
    call_command(
        "generate", people=150, org="Command Org", preset="dutch_municipal", seed=2, stdout=out
    )
    organisation = Organisation.objects.get(name="Command Org")
    units = Unit.objects.filter(organisation=organisation).count()
    assert re.fullmatch(rf"people: 150, units: {units}, seconds: \d+\.\d\n", out.getvalue())
    assert organisation.policy_preset == PolicyPreset.DUTCH_MUNICIPAL
