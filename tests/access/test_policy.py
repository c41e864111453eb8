"""The access policy: who sees and changes which people and units."""

import pytest

from koers.access import policy
from koers.access.policy import Viewer
from koers.organisation.models import Organisation, Person
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def visible(person: Person) -> set[int]:
    return set(policy.people_visible_to(Viewer.of(person.user)).values_list("pk", flat=True))


def test_an_employee_sees_only_themself(p):
    assert visible(p.employee) == {p.employee.pk}
    viewer = Viewer.of(p.employee.user)
    assert not policy.can_view_person(viewer, p.colleague)
    assert not policy.can_view_person(viewer, p.manager)
    assert not policy.can_change_person(viewer, p.employee)


def test_a_manager_sees_only_their_team_and_themself(p):
    assert visible(p.manager) == {p.manager.pk, p.employee.pk, p.colleague.pk}
    viewer = Viewer.of(p.manager.user)
    assert not policy.can_view_person(viewer, p.unrelated_employee)
    assert not policy.can_change_person(viewer, p.employee)
    assert not policy.can_view_unit(viewer, p.team)


def test_an_unrelated_manager_sees_nobody_of_another_team(p):
    assert visible(p.unrelated_manager) == {
        p.unrelated_manager.pk,
        p.unrelated_employee.pk,
        p.team_hr.pk,
    }


def test_the_second_evaluator_sees_the_teams_below(p):
    head = p.department.manager
    assert {p.employee.pk, p.colleague.pk} <= visible(head)
    assert p.outsider.pk not in visible(head)


def test_hr_sees_and_manages_its_subtree_only(p):
    everyone_in_org = set(
        Person.objects.filter(organisation=p.employee.organisation).values_list("pk", flat=True)
    )
    assert visible(p.hr) == everyone_in_org
    team_hr = Viewer.of(p.team_hr.user)
    assert visible(p.team_hr) == {p.unrelated_manager.pk, p.unrelated_employee.pk, p.team_hr.pk}
    assert policy.can_manage_unit(team_hr, p.other_team)
    assert not policy.can_manage_unit(team_hr, p.team)
    assert not policy.can_manage_organisation(team_hr, p.team.organisation)
    assert policy.can_manage_organisation(Viewer.of(p.hr.user), p.team.organisation)


def test_nobody_sees_another_organisation(p):
    for person in (p.hr, p.director, p.manager, p.employee):
        assert p.outsider.pk not in visible(person)
        assert not policy.can_view_person(Viewer.of(person.user), p.outsider)


def test_the_object_and_list_questions_agree(p):
    """can_view_person and people_visible_to give the same answer for every pair."""
    everyone = list(Person.objects.select_related("unit", "user"))
    for who in everyone:
        viewer = Viewer.of(who.user)
        listed = set(policy.people_visible_to(viewer).values_list("pk", flat=True))
        assert listed == {other.pk for other in everyone if policy.can_view_person(viewer, other)}


def test_the_organisations_hr_manages_agree_with_the_object_question(p):
    """organisations_managed_by lists exactly what can_manage_organisation allows."""
    organisations = list(Organisation.objects.all())
    for who in Person.objects.select_related("user"):
        viewer = Viewer.of(who.user)
        listed = set(policy.organisations_managed_by(viewer))
        assert listed == {o for o in organisations if policy.can_manage_organisation(viewer, o)}
    assert list(policy.organisations_managed_by(Viewer.of(p.hr.user))) == [p.hr.organisation]
    assert list(policy.organisations_managed_by(Viewer.of(p.team_hr.user))) == []
