"""The filters a list takes besides its page, the same on every list that takes them:
``state`` (one of the values the record's state field knows), ``updated_since`` (changed
at or after that moment), ``unit_id`` (the person's unit or one below it) and
``employee_number`` or ``email`` (the person's; the address without regard to case).

They only narrow what the list's selector answered, so they never show what the caller
may not see; a unit the caller may not see is the 404 of a missing one. A query set is
narrowed in the database; a list a selector built whole (it logged the reads) is narrowed
on the fields it already holds, without another query."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.api import lookups
from koers.api.common_schemas import Input
from koers.core.errors import ValidationFailed


class StateIn(Input):
    state: str = ""


class UpdatedSinceIn(Input):
    updated_since: dt.datetime | None = None


class UnitFilterIn(Input):
    unit_id: int | None = None


class PersonFilterIn(Input):
    employee_number: str = ""
    email: str = ""


@dataclass(frozen=True)
class Fields:
    """Where a list's records keep what the filters ask about: the state field, the
    change timestamp and the path to the person the record is about."""

    model: type[Model]
    state: str = ""
    updated: str = ""
    person: str = ""


def narrowed(request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], fields: Fields, *,
             state: StateIn | None = None, since: UpdatedSinceIn | None = None,
             unit: UnitFilterIn | None = None,
             person: PersonFilterIn | None = None) -> QuerySet[Any] | list[Any]:
    conditions: dict[str, Any] = {}
    if state is not None and state.state:
        conditions[fields.state] = _state(fields, state.state)
    if since is not None and since.updated_since is not None:
        conditions[f"{fields.updated}__gte"] = _moment(since.updated_since)
    if unit is not None and unit.unit_id is not None:
        conditions[f"{fields.person}__unit__path__startswith"] = lookups.unit(
            request, unit.unit_id).path
    if person is not None and person.employee_number.strip():
        conditions[f"{fields.person}__employee_number"] = person.employee_number.strip()
    if person is not None and person.email.strip():
        conditions[f"{fields.person}__email__iexact"] = person.email.strip()
    if isinstance(rows, QuerySet):
        return rows.filter(**conditions)
    return [row for row in rows if all(_holds(row, lookup, value)
                                       for lookup, value in conditions.items())]


def _moment(value: dt.datetime) -> dt.datetime:
    """The moment in UTC (without a zone: the server's). One so far off that UTC cannot
    hold it (the year 1 east of Greenwich) keeps everything, or nothing, as it would."""
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return dt.datetime.min.replace(tzinfo=dt.UTC) if value.year < 2 \
            else dt.datetime.max.replace(tzinfo=dt.UTC)


def _state(fields: Fields, value: str) -> str:
    field = fields.model._meta.get_field(fields.state)
    known = [str(choice) for choice, _label in getattr(field, "choices", None) or []]
    if value not in known:
        message = _("Choose one of: %(values)s.") % {"values": ", ".join(known)}
        raise ValidationFailed(message, {"state": [message]})
    return value


def _holds(row: Any, lookup: str, value: Any) -> bool:
    """A filter on a record already read: only its own state and timestamp (the lists
    built whole take no unit or person filter, which would read more)."""
    if lookup.endswith("__gte"):
        return bool(getattr(row, lookup.removesuffix("__gte")) >= value)
    return bool(getattr(row, lookup) == value)
