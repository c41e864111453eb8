"""Shapes every room of the REST API shares: a refused request, an edit that met a newer
save, a reference to a person or a unit. Names follow the glossary."""

from typing import Any

from ninja import Schema
from pydantic import ConfigDict

from koers.core.errors import EditConflict
from koers.core.limits import TEXT_MAX
from koers.organisation.models import Person, Unit


class Input(Schema):
    """A request body: every text in it (nested lists and maps too) holds at most
    ``core.limits.TEXT_MAX`` characters, stated in the schema as ``maxLength``. Every
    shape an operation reads derives from it (a test walks the operations)."""

    model_config = ConfigDict(str_max_length=TEXT_MAX)


class PersonRef(Schema):
    id: int
    name: str

    @classmethod
    def of(cls, person: Person | None) -> "PersonRef | None":
        return None if person is None else cls(id=person.pk, name=person.full_name)


class UnitRef(Schema):
    id: int
    code: str
    name: str

    @classmethod
    def of(cls, unit: Unit) -> "UnitRef":
        return cls(id=unit.pk, code=unit.code, name=unit.name)


class Problem(Schema):
    """A refused request: a message in the user's language, per field where it applies."""

    message: str
    errors: dict[str, list[str]] = {}


class ConflictOut(Schema):
    """Someone else saved first (409): nothing of yours was saved; compare, and save again
    with the current ``revision`` as ``expected_revision``."""

    message: str
    errors: dict[str, list[str]]
    revision: int  # save again with this ``expected_revision``
    # As saved now, field by field (an evaluation: ``overall``, ``items`` by position,
    # and for the report ``verdict`` and ``advanced_evaluation_on``).
    current: dict[str, Any]

    @classmethod
    def of(cls, conflict: EditConflict) -> "ConflictOut":
        return cls(message=conflict.message, errors=conflict.errors,
                   revision=conflict.revision, current=conflict.current)
