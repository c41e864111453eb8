"""Personal data: what each room holds about a person, to export it and to erase it.

Rooms above and below ``access`` hold data about a person; none of them should have to
be known here. Each room registers, in modules of its own:

- ``<room>/exports.py``: an **exporter** (``register_exporter``), a function that
  returns the room's ``Part`` of a person's export: records with their fields, in a
  fixed number of queries whatever the number of records;
- ``<room>/retention.py``: an **eraser** (``register_eraser``), a function that deletes
  or pseudonymises the room's records of people who left before the retention cutoff
  and the records that ended before it, and returns their counts and audit chains.

``discover()`` (called by ``AccessConfig.ready``) imports those modules of every
domain room, so the registries are complete in every process without ``access``
importing the rooms above it. The rooms below ``access`` (organisation, notify, audit)
have their parts in ``access/exports.py`` and ``access/retention.py``.

``order`` places a part in the export (ascending) and an eraser in a run (descending:
a later room's records may protect an earlier room's, as an evaluation protects its
conversation, so they go first). Used: 10 person, 20 cycles, 30 goals,
40 conversations, 50 evaluations, 60 development, 80 access, 85 API tokens,
90 notifications, 100 the audit trail (built last: it lists the events of every record
exported before).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from koers.core.models import User
from koers.organisation.models import Organisation, Person

# Rooms above the domain: they hold no data of their own.
NOT_DOMAIN = frozenset({"koers.web", "koers.api", "koers.config"})
FORMAT = "koers-personal-data/1"


# What an export is made of ------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str  # the key in the JSON export
    label: str  # what the readable export shows
    value: Any  # as JSON holds it: codes, ISO dates, decimals as text
    shown: str  # for people to read: labels of codes, dates as dates


@dataclass
class Record:
    title: str
    fields: list[Field]
    parts: list["Part"] = field(default_factory=list)  # nested lists: a goal's notes


@dataclass
class Part:
    """A section of the export (or a list inside a record): a heading and its records."""

    key: str
    title: str
    records: list[Record]
    note: str = ""  # what the part holds and what it leaves out
    # One table row per record (many short records alike: notifications, events); else
    # each record under its own heading with its fields.
    as_table: bool = False
    # Audit chains of the records in this part: the audit part lists their events.
    chains: list[str] = field(default_factory=list)


@dataclass
class Export:
    person: Person
    generated_at: dt.datetime
    parts: list[Part]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "generated_at": plain(self.generated_at),
            "person": {"id": self.person.pk, "name": self.person.full_name,
                       "organisation": self.person.organisation.name},
            "sections": {part.key: [_record_json(record) for record in part.records]
                         for part in self.parts},
        }


def _record_json(record: Record) -> dict[str, Any]:
    data: dict[str, Any] = {f.name: f.value for f in record.fields}
    for part in record.parts:
        data[part.key] = [_record_json(child) for child in part.records]
    return data


@dataclass(frozen=True)
class ExportContext:
    person: Person
    # Chains of the records the parts before this one exported (the audit part reads them).
    chains: list[str]


Exporter = Callable[[ExportContext], Part]


@dataclass(frozen=True)
class _Exporter:
    key: str
    order: int
    build: Exporter
    covers: tuple[type[models.Model], ...]


_EXPORTERS: dict[str, _Exporter] = {}


def register_exporter(
    key: str, *, order: int, covers: Iterable[type[models.Model]] = ()
) -> Callable[[Exporter], Exporter]:
    """Register a room's part of the export; ``covers`` names the models it exports
    (tests/access/test_personal_data.py checks that every model about a person is)."""

    def wrap(function: Exporter) -> Exporter:
        existing = _EXPORTERS.get(key)
        if existing is not None and existing.build is not function:
            raise ValueError(f"personal-data exporter {key!r} is registered twice")
        _EXPORTERS[key] = _Exporter(key, order, function, tuple(covers))
        return function

    return wrap


def exporters() -> list[_Exporter]:
    return sorted(_EXPORTERS.values(), key=lambda e: (e.order, e.key))


def build_export(person: Person, *, now: dt.datetime) -> Export:
    """Every part of ``person``'s data, in the registered order. Reads only."""
    chains: list[str] = []
    parts = []
    for exporter in exporters():
        part = exporter.build(ExportContext(person=person, chains=list(chains)))
        chains += part.chains
        parts.append(part)
    return Export(person=person, generated_at=now, parts=parts)


# Building records from model instances ----------------------------------------------------


def plain(value: Any) -> Any:
    """A value as the JSON export holds it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return str(value)


def shown(value: Any) -> str:
    """A value for people to read, in the active language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        # Stored in UTC; read in the local time every other page shows.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value)
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value) or "—"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {shown(v)}" for k, v in value.items()) or "—"
    return str(value)


def item(name: str, label: str | Promise, value: Any, display: str | None = None) -> Field:
    """A field that is not a model field (a computed value, a related name); its label
    starts with a capital, as ``fields_of``'s do."""
    return Field(name, capfirst(str(label)), plain(value), display if display is not None
                 else shown(value))


def fields_of(instance: models.Model, names: Iterable[str]) -> list[Field]:
    """Fields of a model instance with their verbose names as labels; choices show their
    label, foreign keys their related object (select it beforehand: no query here)."""
    result = []
    for name in names:
        model_field = instance._meta.get_field(name)
        label = str(getattr(model_field, "verbose_name", name))
        label = capfirst(label)
        value = getattr(instance, name)
        if getattr(model_field, "choices", None) and value not in (None, ""):
            display = str(getattr(instance, f"get_{name}_display")())
        elif isinstance(value, models.Model):
            display = person_name(value) if isinstance(value, User | Person) else str(value)
            value = display
        else:
            display = shown(value)
        result.append(Field(name, label, plain(value), display))
    return result


def person_name(someone: User | Person | None) -> str:
    """A person's name; for a login, its person's name (select ``user__person``)."""
    if someone is None:
        return "—"
    if isinstance(someone, Person):
        return someone.full_name
    person = getattr(someone, "person", None)
    return person.full_name if person is not None else someone.get_full_name() or someone.email


# Erasure ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasurePlan:
    """One batch of a retention run."""

    organisation: Organisation
    cutoff: dt.date  # records that ended before this day go
    leaver_ids: list[int]  # people of the batch who left before the cutoff
    dry_run: bool  # count only


@dataclass
class Erasure:
    """What one eraser erased (or would erase), by kind of record, and the audit chains
    whose payloads must go with the records."""

    counts: dict[str, int] = field(default_factory=dict)
    chains: list[str] = field(default_factory=list)

    def add(self, key: str, count: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + count


Eraser = Callable[[ErasurePlan], Erasure]


@dataclass(frozen=True)
class _Eraser:
    key: str
    order: int
    erase: Eraser


_ERASERS: dict[str, _Eraser] = {}


def register_eraser(key: str, *, order: int) -> Callable[[Eraser], Eraser]:
    def wrap(function: Eraser) -> Eraser:
        existing = _ERASERS.get(key)
        if existing is not None and existing.erase is not function:
            raise ValueError(f"personal-data eraser {key!r} is registered twice")
        _ERASERS[key] = _Eraser(key, order, function)
        return function

    return wrap


def erasers() -> list[_Eraser]:
    """Highest order first: later rooms' records may protect earlier rooms' records."""
    return sorted(_ERASERS.values(), key=lambda e: (-e.order, e.key))


def deletable[M: models.Model](records: models.QuerySet[M]) -> models.QuerySet[M]:
    """``records`` without those another record still protects (``on_delete=PROTECT``):
    they go in a later run, once the room holding the other record erased it."""
    model = records.model
    # include_hidden: relations with related_name="+" protect as well.
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) \
                or relation.on_delete is not models.PROTECT:
            continue
        column = relation.field.attname
        protected = relation.related_model._default_manager.filter(
            **{f"{column}__isnull": False}).values(column)
        records = records.exclude(pk__in=protected)
    return records


def delete_counted(records: models.QuerySet[Any], erasure: Erasure, key: str, *,
                   dry_run: bool, chains: Callable[[list[Any]], list[str]] | None = None,
                   ) -> None:
    """Delete ``records`` that nothing protects (or count them, in a dry run), noting
    their audit chains; counts what is kept for now under ``<key>_kept``."""
    erasable = deletable(records)
    if chains is not None:
        erasure.chains += chains(list(erasable.values_list("pk", flat=True)))
    count = erasable.count()
    kept = records.count() - count
    if not dry_run and count:
        erasable.delete()
    erasure.add(key, count)
    if kept:
        erasure.add(f"{key}_kept", kept)


# Discovery ------------------------------------------------------------------------------------


def discover() -> None:
    """Import ``exports`` and ``retention`` of every domain room that has them."""
    for config in apps.get_app_configs():
        if not config.name.startswith("koers.") or config.name in NOT_DOMAIN:
            continue
        for module in ("exports", "retention"):
            if module_has_submodule(config.module, module):
                import_module(f"{config.name}.{module}")
