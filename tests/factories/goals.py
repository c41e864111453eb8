"""Goals built through the services, as the employee and the 1st evaluator would."""

import datetime as dt
from typing import Any

from koers.access.policy import Viewer
from koers.goals import services
from koers.goals.models import Goal, GoalKind
from koers.organisation.models import Person, Unit


def viewer(person: Person) -> Viewer:
    assert person.user is not None
    return Viewer.of(person.user)


def proposed(owner: Person, *, by: Person | None = None, **fields: Any) -> Goal:
    values: dict[str, Any] = {
        "kind": GoalKind.PERFORMANCE,
        "title": "Handle 95 % of pay questions within 2 working days",
        "measure": "Response times in the ticket system",
        "deadline": dt.date(2099, 12, 31),
    }
    values.update(fields)
    return services.goal_propose(actor=viewer(by or owner), owner=owner, **values)


def agreed(owner: Person, evaluator: Person, **fields: Any) -> Goal:
    goal = proposed(owner, **fields)
    return services.goal_confirm(actor=viewer(evaluator), goal=goal)


def team_goal(unit: Unit, manager: Person, **fields: Any) -> Goal:
    values: dict[str, Any] = {
        "kind": GoalKind.PROCESS,
        "title": "Pay every salary on time, 12 months out of 12",
        "measure": "Payroll runs on schedule",
        "deadline": dt.date(2099, 12, 31),
    }
    values.update(fields)
    return services.team_goal_create(actor=viewer(manager), unit=unit, **values)
