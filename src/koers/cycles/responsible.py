"""Who acts on a step of the cycle: the employee, the 1st or 2nd evaluator, or HR.

Resolved for many people at once in a fixed number of queries (the evaluator lines
take two, HR one), so the reminders and the timeline never ask per participation.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from koers.organisation.evaluators import EvaluatorLine, evaluator_lines
from koers.organisation.models import Person, Role, RoleGrant, path_ids


@dataclass(frozen=True)
class Responsibles:
    employee: Person
    line: EvaluatorLine
    # HR of the nearest unit up the tree that has HR (in the end the top unit's HR).
    hr: tuple[Person, ...]

    def for_role(self, role: str) -> tuple[Person, ...]:
        """The people who hold ``role`` for this employee (none when nobody does)."""
        if role == "employee":
            return (self.employee,)
        if role == "first_evaluator":
            return (self.line.first,) if self.line.first is not None else ()
        if role == "second_evaluator":
            return (self.line.second,) if self.line.second is not None else ()
        if role == "hr":
            return self.hr
        raise ValueError(role)


def responsibles(people: Sequence[Person], *, on: dt.date) -> dict[int, Responsibles]:
    """Every role of each person on ``on``, in three queries.

    ``people`` must have ``unit`` loaded (``select_related("unit")``).
    """
    if not people:
        return {}
    lines = evaluator_lines(people, on=on)
    hr = nearest_hr(people, on=on)
    return {
        person.pk: Responsibles(person, lines[person.pk], hr.get(person.pk, ()))
        for person in people
    }


def nearest_hr(people: Sequence[Person], *, on: dt.date) -> dict[int, tuple[Person, ...]]:
    """For each person, the HR holders of the nearest unit up the tree with an HR grant.

    One query: the active HR grants of the people's organisations. Someone who is their
    own nearest HR is passed over for the next HR up the tree.
    """
    organisations = {person.organisation_id for person in people}
    by_unit: dict[int, list[Person]] = defaultdict(list)
    grants = (
        RoleGrant.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            organisation__in=organisations, role=Role.HR, valid_from__lte=on,
            unit__isnull=False,
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for grant in grants:
        if grant.unit_id is not None and all(
            held.pk != grant.person.pk for held in by_unit[grant.unit_id]
        ):
            by_unit[grant.unit_id].append(grant.person)
    result: dict[int, tuple[Person, ...]] = {}
    for person in people:
        for unit_id in reversed(path_ids(person.unit.path)):
            holders = tuple(p for p in by_unit.get(unit_id, ()) if p.pk != person.pk)
            if holders:
                result[person.pk] = holders
                break
    return result
