"""Who evaluates whom: 1st and 2nd evaluator derived from the unit tree, with overrides.

The derived line of a person walks up the tree from the person's own unit and lists
the managers it meets, skipping units without a manager and the person themself:
the first is the 1st evaluator (the direct manager), the next one the 2nd (the
manager's manager). An active ``EvaluatorOverride`` replaces either; when only the
1st is overridden (an acting team member in a team without a manager), the 2nd is
the first manager of the derived line who is not that acting evaluator.

Every function here answers from a fixed number of queries, whatever the team size.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from koers.organisation.models import EvaluatorOverride, Person, Unit, path_ids


@dataclass(frozen=True)
class EvaluatorLine:
    first: Person | None
    second: Person | None
    first_is_override: bool = False
    second_is_override: bool = False


def active_overrides(on: dt.date) -> QuerySet[EvaluatorOverride]:
    return EvaluatorOverride.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on), valid_from__lte=on
    )


def evaluator_lines(people: Sequence[Person], *, on: dt.date) -> dict[int, EvaluatorLine]:
    """The evaluators of each person, in two queries (units up the tree, overrides).

    ``people`` must have ``unit`` loaded (``select_related("unit")``).
    """
    if not people:
        return {}
    unit_ids: set[int] = set()
    for person in people:
        unit_ids.update(path_ids(person.unit.path))
    units = {
        unit.pk: unit for unit in Unit.objects.filter(pk__in=unit_ids).select_related("manager")
    }
    first_overrides: dict[int, Person] = {}
    second_overrides: dict[int, Person] = {}
    for override in (
        active_overrides(on)
        .filter(person__in=[p.pk for p in people])
        .select_related("first_evaluator", "second_evaluator")
        .order_by("valid_from", "pk")
    ):
        # Overrides of one person never overlap (the service refuses it); if old
        # data does, the latest start wins.
        if override.first_evaluator is not None:
            first_overrides[override.person_id] = override.first_evaluator
        if override.second_evaluator is not None:
            second_overrides[override.person_id] = override.second_evaluator
    lines = {}
    for person in people:
        derived = _derived_managers(person, units)
        first = first_overrides.get(person.pk) or (derived[0] if derived else None)
        second = second_overrides.get(person.pk) or next(
            (m for m in derived if first is None or m.pk != first.pk), None
        )
        lines[person.pk] = EvaluatorLine(
            first,
            second,
            first_is_override=person.pk in first_overrides,
            second_is_override=person.pk in second_overrides,
        )
    return lines


def _derived_managers(person: Person, units: dict[int, Unit]) -> list[Person]:
    managers: list[Person] = []
    for unit_id in reversed(path_ids(person.unit.path)):
        unit = units.get(unit_id)
        if unit is None or unit.manager is None or unit.manager.pk == person.pk:
            continue
        if managers and managers[-1].pk == unit.manager.pk:
            continue
        managers.append(unit.manager)
        if len(managers) == 2:
            break
    return managers


def evaluator_line(person: Person, *, on: dt.date) -> EvaluatorLine:
    return evaluator_lines([person], on=on)[person.pk]


def first_evaluator_map(
    evaluator_ids: set[int], *, on: dt.date, with_overrides: bool = True
) -> dict[int, int]:
    """For the people whose 1st evaluator is one of ``evaluator_ids``: person id → evaluator id.

    Four queries, whatever the number of evaluators or people: the units the
    evaluators manage, the manager-less units below them, the candidates (members of
    the units an evaluator's line reaches, and managers of units directly below
    those), and the overrides that add or remove people.
    """
    if not evaluator_ids:
        return {}
    managed = list(
        Unit.objects.filter(manager__in=evaluator_ids).values_list("pk", "path", "manager_id")
    )
    result: dict[int, int] = {}
    if managed:
        reached: dict[int, int] = {pk: manager_id for pk, _path, manager_id in managed}
        below_managed = Q()
        for _pk, path, _manager_id in managed:
            below_managed |= Q(path__startswith=path)
        managerless = Unit.objects.filter(below_managed, manager__isnull=True)
        # A manager-less unit is reached when its parent is: parents first (by depth).
        for unit_pk, unit_parent_id in managerless.order_by("depth").values_list(
            "pk", "parent_id"
        ):
            if unit_parent_id is not None and unit_parent_id in reached:
                reached[unit_pk] = reached[unit_parent_id]
        rows = Person.objects.filter(
            Q(unit__in=reached) | Q(unit__parent__in=reached, unit__manager=F("pk"))
        ).values_list("pk", "unit_id", "unit__parent_id", "unit__manager_id")
        for pk, unit_id, parent_id, unit_manager_id in rows:
            if unit_manager_id == pk and parent_id is not None and parent_id in reached:
                evaluator = reached[parent_id]  # a manager of a unit below
            elif unit_id in reached:
                evaluator = reached[unit_id]
            else:
                continue
            if evaluator != pk:
                result[pk] = evaluator
    if not with_overrides:
        return result
    named = active_overrides(on).filter(first_evaluator__in=evaluator_ids).values("person_id")
    overrides = (
        active_overrides(on)
        .filter(Q(person__in=list(result)) | Q(person__in=named), first_evaluator__isnull=False)
        .order_by("valid_from", "pk")
        .values_list("person_id", "first_evaluator_id")
    )
    latest: dict[int, int] = dict(overrides)  # the latest start wins
    for person_id, first_id in latest.items():
        if first_id in evaluator_ids:
            result[person_id] = first_id
        else:
            result.pop(person_id, None)
    return result


def team_member_ids(evaluator: Person, *, on: dt.date) -> set[int]:
    """Ids of the people whose 1st evaluator is ``evaluator`` on ``on``."""
    return set(first_evaluator_map({evaluator.pk}, on=on))


def second_line_member_ids(
    evaluator: Person, *, on: dt.date, team_ids: set[int] | None = None
) -> set[int]:
    """Ids of the people whose 2nd evaluator is ``evaluator`` on ``on`` (bounded queries).

    Assumes what the tree model implies: a manager is a member of the unit they manage.
    """
    # Whom the evaluator manages by the tree, even if an override moved them elsewhere:
    # their own people keep the evaluator as 2nd.
    if team_ids is None:
        team_ids = team_member_ids(evaluator, on=on)
    team_ids = team_ids | set(first_evaluator_map({evaluator.pk}, on=on, with_overrides=False))
    candidates = set(first_evaluator_map(team_ids, on=on)) - {evaluator.pk}
    named = active_overrides(on).filter(second_evaluator=evaluator).values("person_id")
    # Someone whose 1st evaluator was set by hand keeps the tree's manager as 2nd, even
    # when the acting 1st evaluator is not in that manager's team.
    below = Q(pk__in=[])
    for path in Unit.objects.filter(manager=evaluator).values_list("path", flat=True):
        below |= Q(person__unit__path__startswith=path)
    acting = active_overrides(on).filter(below, first_evaluator__isnull=False).values("person_id")
    people = list(
        Person.objects.filter(Q(pk__in=candidates) | Q(pk__in=named) | Q(pk__in=acting))
        .exclude(pk=evaluator.pk)
        .select_related("unit")
    )
    lines = evaluator_lines(people, on=on)
    return {
        pk
        for pk, line in lines.items()
        if line.second is not None and line.second.pk == evaluator.pk
    }


def team(evaluator: Person, *, on: dt.date, team_ids: set[int] | None = None) -> QuerySet[Person]:
    """The 1st-evaluator team of ``evaluator`` as a queryset, ready for display."""
    if team_ids is None:
        team_ids = team_member_ids(evaluator, on=on)
    return (
        Person.objects.filter(pk__in=team_ids)
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )
