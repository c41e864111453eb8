"""Shapes every room of the REST API shares: a refused request, a reference to a person
or a unit. Names follow the glossary."""

from ninja import Schema

from koers.organisation.models import Person, Unit


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
