"""Shapes of the people and units endpoints, and of a person's history. Names follow
the glossary."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from koers.api.common_schemas import Input, PersonRef, UnitRef
from koers.api.pagination import PageOut
from koers.audit import actions
from koers.audit.models import AuditEvent
from koers.core import languages
from koers.organisation.evaluators import EvaluatorLine
from koers.organisation.models import EvaluatorLinePeriod, Organisation, Person, Unit


class Evaluators(Schema):
    first_evaluator: PersonRef | None
    second_evaluator: PersonRef | None
    first_set_by_hand: bool
    second_set_by_hand: bool

    @classmethod
    def of(cls, line: EvaluatorLine) -> "Evaluators":
        return cls(
            first_evaluator=PersonRef.of(line.first),
            second_evaluator=PersonRef.of(line.second),
            first_set_by_hand=line.first_is_override,
            second_set_by_hand=line.second_is_override,
        )


class OtherEvaluationOut(Schema):
    """A top manager or mandate holder, evaluated in another form than the annual
    evaluation (Flemish policy): ``function`` top_manager or mandate_holder, HR's
    ``reason``, and the day from which it holds."""

    function: str
    reason: str
    valid_from: dt.date

    @classmethod
    def of(cls, person: Person) -> "OtherEvaluationOut | None":
        if not person.other_evaluation or person.other_evaluation_from is None:
            return None
        return cls(function=person.other_evaluation, reason=person.other_evaluation_reason,
                   valid_from=person.other_evaluation_from)


class OtherEvaluationIn(Input):
    """``function``: top_manager or mandate_holder, with a ``reason`` and ``valid_from``;
    all three empty puts the person back in the annual evaluation."""

    function: str = ""
    reason: str = ""
    valid_from: dt.date | None = None


class PersonOut(Schema):
    id: int
    organisation: str
    employee_number: str
    first_name: str
    last_name: str
    email: str
    language: str
    unit: UnitRef
    job_title: str
    grade: str
    rank: str
    start_date: dt.date
    end_date: dt.date | None
    working_time_fraction: Decimal
    employment_status: str
    salary_system: str
    salary_system_set_by_hand: bool
    probation_end_date: dt.date | None
    # Set: not in the annual evaluation (PUT /people/{person_id}/other-evaluation).
    other_evaluation: OtherEvaluationOut | None
    evaluators: Evaluators
    # When the record last changed (``GET /people?updated_since=`` finds it by this).
    updated_at: dt.datetime

    @classmethod
    def of(cls, person: Person, line: EvaluatorLine) -> "PersonOut":
        return cls(
            id=person.pk,
            organisation=person.organisation.name,
            employee_number=person.employee_number,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            language=person.language,
            unit=UnitRef.of(person.unit),
            job_title=person.job_title,
            grade=person.grade,
            rank=person.rank,
            start_date=person.start_date,
            end_date=person.end_date,
            working_time_fraction=person.working_time_fraction,
            employment_status=person.employment_status,
            salary_system=person.salary_system,
            salary_system_set_by_hand=person.salary_system_overridden,
            probation_end_date=person.probation_end_date,
            other_evaluation=OtherEvaluationOut.of(person),
            evaluators=Evaluators.of(line),
            updated_at=person.updated_at,
        )


class PersonPatch(Input):
    """Only the fields given change; ``salary_system: null`` returns to the 2024 rule."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    language: str | None = None
    unit_id: int | None = None
    job_title: str | None = None
    grade: str | None = None
    rank: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    working_time_fraction: Decimal | None = None
    employment_status: str | None = None
    salary_system: str | None = None
    probation_end_date: dt.date | None = None


class PersonIn(Input):
    """A new person in the unit of the URL; ``salary_system`` only for a voluntary switch
    or a promotion (else the 1 June 2024 rule from the start date)."""

    employee_number: str
    first_name: str
    last_name: str
    email: str
    start_date: dt.date
    language: str = languages.DEFAULT
    job_title: str = ""
    grade: str = ""
    rank: str = ""
    end_date: dt.date | None = None
    working_time_fraction: Decimal = Decimal("1.00")
    employment_status: str = ""
    salary_system: str | None = None
    probation_end_date: dt.date | None = None


class OrganisationOut(Schema):
    """An organisation whose unit tree the caller browses, with the top units they may
    open (``GET /api/v1/units/{unit_id}``): the tops of their HR subtrees in it."""

    id: int
    name: str
    slug: str
    top_units: list[UnitRef]

    @classmethod
    def of_roots(cls, roots: list[Unit]) -> list["OrganisationOut"]:
        """``roots`` (with their organisation, ordered by it) by organisation."""
        found: dict[int, OrganisationOut] = {}
        for unit in roots:
            organisation = unit.organisation
            entry = found.setdefault(organisation.pk, cls(
                id=organisation.pk, name=organisation.name, slug=organisation.slug,
                top_units=[]))
            entry.top_units.append(UnitRef.of(unit))
        return list(found.values())


class ChildUnit(Schema):
    unit: UnitRef
    manager: PersonRef | None
    head_count: int


class UnitOut(Schema):
    id: int
    organisation: str
    code: str
    name: str
    parent: UnitRef | None
    manager: PersonRef | None
    head_count: int
    children: list[ChildUnit]


class UnitIn(Input):
    code: str
    name: str
    parent_id: int
    manager_id: int | None = None


class EvaluatorOverrideIn(Input):
    first_evaluator_id: int | None = None
    second_evaluator_id: int | None = None
    valid_from: dt.date
    valid_until: dt.date | None = None
    reason: str


class EffectiveWorkIn(Input):
    hours_worked: Decimal
    note: str


class EffectiveWorkOut(Schema):
    year: int
    hours_worked: Decimal
    source: str


class FieldChange(Schema):
    field: str
    before: Any
    after: Any


class HistoryEvent(Schema):
    at: dt.datetime
    actor: str
    actor_kind: str
    action: str
    action_label: str
    changes: list[FieldChange]

    @classmethod
    def of(cls, event: AuditEvent) -> "HistoryEvent":
        return cls(
            at=event.created_at, actor=event.actor_label, actor_kind=event.actor_kind,
            action=event.action, action_label=actions.label(event.action),
            changes=[
                FieldChange(field=change.field, before=change.before, after=change.after)
                for change in getattr(event, "change_list", [])
            ],
        )



class PersonPageOut(PageOut):
    items: list[PersonOut]


class LookOut(Schema):
    """The organisation's own look (docs/architecture.md, "Front end"): its primary colour
    ("" for Koers's own) and whether it has a logo, with the addresses the pages link
    them under (``version`` changes with every change)."""

    primary_colour: str
    logo_type: str
    version: int
    theme_url: str | None
    logo_url: str | None

    @classmethod
    def of(cls, organisation: Organisation, *, theme_url: str, logo_url: str) -> "LookOut":
        version = f"?v={organisation.look_version}"
        return cls(primary_colour=organisation.primary_colour,
                   logo_type=organisation.logo_type, version=organisation.look_version,
                   theme_url=theme_url + version if organisation.primary_colour else None,
                   logo_url=logo_url + version if organisation.logo_type else None)


class LookIn(Input):
    primary_colour: str = ""


class OrganisationPageOut(PageOut):
    items: list[OrganisationOut]


class PersonRefPageOut(PageOut):
    items: list[PersonRef]


class HistoryEventPageOut(PageOut):
    items: list[HistoryEvent]


class RankCheckOut(Schema):
    """A person whose 2nd evaluator does not hold a higher rank than theirs ([f8])."""

    person: PersonRef
    rank: str
    second_evaluator: PersonRef
    second_evaluator_rank: str
    second_evaluator_set_by_hr: bool

    @classmethod
    def of(cls, line: EvaluatorLinePeriod) -> "RankCheckOut":
        assert line.second_evaluator is not None  # only lines with one are checked
        return cls(person=PersonRef(id=line.person.pk, name=line.person.full_name),
                   rank=line.person.rank,
                   second_evaluator=PersonRef(id=line.second_evaluator.pk,
                                              name=line.second_evaluator.full_name),
                   second_evaluator_rank=line.second_evaluator.rank,
                   second_evaluator_set_by_hr=line.second_is_override)


class RankCheckPageOut(PageOut):
    items: list[RankCheckOut]
