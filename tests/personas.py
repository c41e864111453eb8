"""The personas every access test uses: an organisation with two teams and HR."""

from dataclasses import dataclass

from koers.organisation.models import Person, Role, Unit
from tests import factories


@dataclass
class Personas:
    top: Unit
    department: Unit
    team: Unit
    other_team: Unit
    director: Person
    manager: Person  # 1st evaluator of employee and colleague
    employee: Person
    colleague: Person
    unrelated_manager: Person
    unrelated_employee: Person
    hr: Person  # HR for the whole organisation
    team_hr: Person  # HR for the other team only
    outsider: Person  # another organisation


def build() -> Personas:
    org = factories.organisation("Stad Lindendaal")
    top = factories.unit(org, name="Stadsbestuur")
    department = factories.unit(org, top, name="Dienst Personeel")
    team = factories.unit(org, department, name="Team Loonadministratie")
    other_team = factories.unit(org, department, name="Team Rekrutering")
    director = factories.person(top, manages=top, with_user=True, first_name="Dirk")
    head = factories.person(department, manages=department, with_user=True)
    manager = factories.person(
        team, manages=team, with_user=True, first_name="Ratana", last_name="Than"
    )
    employee = factories.person(team, with_user=True, first_name="Marc", last_name="Vandamme")
    colleague = factories.person(team, with_user=True, first_name="Peter", last_name="Gordon")
    unrelated_manager = factories.person(other_team, manages=other_team, with_user=True)
    unrelated_employee = factories.person(other_team, with_user=True, first_name="Ilse")
    hr = factories.person(department, with_user=True, first_name="Els", last_name="Deckers")
    factories.grant(hr, Role.HR, top)
    team_hr = factories.person(other_team, with_user=True, first_name="Hanne")
    factories.grant(team_hr, Role.HR, other_team)
    other_org = factories.organisation("Elders")
    outsider = factories.person(factories.unit(other_org), with_user=True)
    del head
    return Personas(
        top,
        department,
        team,
        other_team,
        director,
        manager,
        employee,
        colleague,
        unrelated_manager,
        unrelated_employee,
        hr,
        team_hr,
        outsider,
    )
