"""Shapes every room of the REST API shares: an error (RFC 9457), an edit that met a
newer save, a reference to a person or a unit. Names follow the glossary."""

from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field

from koers.core.limits import TEXT_MAX
from koers.organisation.models import Person, Unit


class Input(Schema):
    """A request body: every text in it (nested lists and maps too) holds at most
    ``core.limits.TEXT_MAX`` characters, stated in the schema as ``maxLength``. Every
    shape an operation reads derives from it (a test walks the operations)."""

    model_config = ConfigDict(str_max_length=TEXT_MAX)


# A record named by its id in a list of a request body: the databases' ids are positive
# 64-bit integers. A larger number names no record, but the list's query (``pk__in``)
# cannot even be sent with it: it failed with a server error instead of a 422.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


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
    """An error, as RFC 9457 problem details (``application/problem+json``; every error
    of the API has this shape, ``api/problems.py``). ``code`` names the kind of problem
    and never changes: a script switches on it (``type`` is the same as a URI, which
    answers with its description). ``title`` says the kind in a few words and ``detail``
    this occurrence, both in the caller's language; ``errors`` holds the messages per
    field where the request's fields are at fault (``milestones.0.text``)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] = {}


class ConflictOut(Problem):
    """Someone else saved first (409, code ``edit_conflict``): nothing of yours was saved;
    compare, and save again with the current ``revision`` as ``expected_revision``."""

    revision: int  # save again with this ``expected_revision``
    # As saved now, field by field (an evaluation: ``overall``, ``items`` by position,
    # and for the report ``verdict`` and ``advanced_evaluation_on``).
    current: dict[str, Any]
