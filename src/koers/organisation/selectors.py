"""Reads of the organisation model, with their prefetching; each in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from koers.organisation.models import Person, Unit, path_ids


def employed_on(on: dt.date, prefix: str = "") -> Q:
    """People employed on ``on``: started, and not yet left."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def ancestors(unit: Unit) -> list[Unit]:
    """Units from the top down to the parent of ``unit`` (one query)."""
    ids = unit.ancestor_ids
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class UnitCount:
    unit: Unit
    head_count: int  # employed people in the unit and all units below it


def children_with_head_counts(unit: Unit, *, on: dt.date) -> list[UnitCount]:
    """The child units of ``unit`` with their subtree head counts (two queries)."""
    children = list(unit.children.select_related("manager").order_by("name"))
    if not children:
        return []
    counts = Person.objects.filter(employed_on(on), unit__path__startswith=unit.path).aggregate(
        **{
            f"c{child.pk}": Count("pk", filter=Q(unit__path__startswith=child.path))
            for child in children
        }
    )
    return [UnitCount(child, counts[f"c{child.pk}"]) for child in children]


def head_count(unit: Unit, *, on: dt.date) -> int:
    return Person.objects.filter(employed_on(on), unit__path__startswith=unit.path).count()


def unit_members(unit: Unit, *, on: dt.date) -> QuerySet[Person]:
    """People employed in ``unit`` itself (not its subtree), by name."""
    return (
        Person.objects.filter(employed_on(on), unit=unit)
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )


def units_on_paths(paths: list[str]) -> dict[int, Unit]:
    ids: set[int] = set()
    for path in paths:
        ids.update(path_ids(path))
    return {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
