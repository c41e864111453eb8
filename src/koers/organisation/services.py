"""Writes to the organisation model. Views, the importer and commands all call these."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from koers.audit import services as audit
from koers.core.clock import today_for
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.organisation import evaluators
from koers.organisation.changes import lines_changed, person_changed
from koers.organisation.models import (
    Absence,
    EffectiveWork,
    EmploymentStatus,
    EvaluatorOverride,
    Organisation,
    Person,
    SalarySystem,
    Unit,
    WorkingTimeChange,
    WorkSource,
)
from koers.organisation.rules import (
    default_salary_system,
    estimated_hours_worked,
    hours_worked_error,
    work_year_error,
)

# Deeper trees than this are refused: the path column holds about 20 levels of ids,
# and no administration we know of has more than ten.
MAX_UNIT_DEPTH = 15


def _validate(instance: Unit | Person | EvaluatorOverride | EffectiveWork) -> None:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=["path", "depth"] if isinstance(instance, Unit) else None)
    except ValidationError as error:
        raise ValidationFailed(_("Please correct the errors below."), error.message_dict) from error


def _validate_fields(instance: EffectiveWork) -> None:
    """The fields' own rules, without the uniqueness a later save may satisfy by updating."""
    from django.core.exceptions import ValidationError

    try:
        instance.clean_fields()
    except ValidationError as error:
        raise ValidationFailed(_("Please correct the errors below."), error.message_dict) from error


def unit_create(
    *,
    organisation: Organisation,
    code: str,
    name: str,
    parent: Unit | None = None,
    manager: Person | None = None,
    actor: User | None = None,
) -> Unit:
    """Add a unit below ``parent``; ``actor=None`` is the system (import, demo)."""
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationFailed(_("The parent unit belongs to another organisation."))
    if parent is None and Unit.objects.filter(organisation=organisation, parent=None).exists():
        raise ValidationFailed(_("An organisation has one top unit; choose a parent unit."))
    _check_manager(organisation, manager)
    unit = Unit(
        organisation=organisation,
        code=code.strip(),
        name=name.strip(),
        parent=parent,
        manager=manager,
        path="",
        depth=0,
    )
    _validate(unit)
    with transaction.atomic():
        unit.save()
        unit.path = (
            f"{parent.path if parent else Unit.PATH_SEPARATOR}{unit.pk}{Unit.PATH_SEPARATOR}"
        )
        unit.depth = parent.depth + 1 if parent else 0
        if unit.depth > MAX_UNIT_DEPTH:
            raise ValidationFailed(
                _("The unit tree may be at most %(n)d levels deep.") % {"n": MAX_UNIT_DEPTH + 1}
            )
        unit.save(update_fields=["path", "depth"])
        audit.record(
            actor=actor, action="unit.created", target=unit,
            changes=audit.diff({}, _unit_facts(unit)), organisation_id=organisation.pk,
        )
    return unit


def _unit_facts(unit: Unit) -> dict[str, object]:
    return {"code": unit.code, "name": unit.name, "parent": unit.parent, "manager": unit.manager}


def unit_update(
    *,
    unit: Unit,
    code: str,
    name: str,
    parent: Unit | None,
    manager: Person | None,
    actor: User | None = None,
) -> Unit:
    """Rename, re-code, change the manager or move a unit (with its whole subtree)."""
    _check_manager(unit.organisation, manager)
    before = _unit_facts(unit)
    moving = (parent.pk if parent else None) != unit.parent_id
    if moving:
        if parent is None:
            raise ValidationFailed(_("Only the top unit has no parent unit."))
        if parent.organisation_id != unit.organisation_id:
            raise ValidationFailed(_("The parent unit belongs to another organisation."))
        if parent.path.startswith(unit.path):
            raise ValidationFailed(_("A unit cannot be moved below itself."))
    new_manager = (manager.pk if manager else None) != unit.manager_id
    unit.code, unit.name, unit.manager = code.strip(), name.strip(), manager
    _validate(unit)
    with transaction.atomic():
        if moving and parent is not None:
            old_path, old_depth = unit.path, unit.depth
            new_path = f"{parent.path}{unit.pk}{Unit.PATH_SEPARATOR}"
            depth_shift = parent.depth + 1 - old_depth
            deepest = (
                Unit.objects.filter(path__startswith=old_path)
                .order_by("-depth")
                .values_list("depth", flat=True)
                .first()
            ) or old_depth
            if deepest + depth_shift > MAX_UNIT_DEPTH:
                raise ValidationFailed(
                    _("The unit tree may be at most %(n)d levels deep.") % {"n": MAX_UNIT_DEPTH + 1}
                )
            # One statement rewrites the prefix of the whole subtree.
            Unit.objects.filter(path__startswith=old_path).update(
                path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
                depth=F("depth") + depth_shift,
            )
            unit.parent = parent
            unit.path, unit.depth = new_path, parent.depth + 1
        unit.save(update_fields=["code", "name", "manager", "parent", "path", "depth"])
        changes = audit.diff(before, _unit_facts(unit))
        if changes:
            audit.record(actor=actor, action="unit.changed", target=unit, changes=changes,
                         organisation_id=unit.organisation_id)
        if moving or new_manager:
            # Everyone below has the unit's manager in their derived line.
            below = Person.objects.filter(unit__path__startswith=unit.path)
            evaluators.refresh_lines(below)
            lines_changed(people=below, actor=actor)
    return unit


def unit_delete(*, unit: Unit, actor: User | None = None) -> None:
    if unit.children.exists() or unit.members.exists():
        raise ValidationFailed(
            _("Only an empty unit can be removed: move its people and units first.")
        )
    with transaction.atomic():
        # The chain outlives the row: its last event says who removed it.
        audit.record(
            actor=actor, action="unit.deleted", target=unit,
            changes=audit.diff(_unit_facts(unit), dict.fromkeys(_unit_facts(unit))),
            organisation_id=unit.organisation_id,
        )
        unit.delete()


def _check_manager(organisation: Organisation, manager: Person | None) -> None:
    if manager is not None and manager.organisation_id != organisation.pk:
        raise ValidationFailed(_("The manager must work for the same organisation."))


def subtree(unit: Unit) -> Q:
    """A filter for units in the subtree of ``unit`` (itself included)."""
    return Q(path__startswith=unit.path)


PERSON_FIELDS = (
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "language",
    "unit",
    "job_title",
    "grade",
    "rank",
    "start_date",
    "end_date",
    "working_time_fraction",
    "employment_status",
    "probation_end_date",
)


def person_save(
    *,
    organisation: Organisation,
    person: Person | None = None,
    salary_system: SalarySystem | str | None = None,
    follow_salary_rule: bool = False,
    actor: User | None = None,
    **fields: object,
) -> Person:
    """Create (``person=None``) or update a person.

    The salary system follows the 1 June 2024 rule from the start date unless HR
    chose one: ``salary_system`` records that choice (a switch or a promotion),
    ``follow_salary_rule=True`` drops it, and neither keeps what is there.
    The audit event holds the before and after of each changed field; "before" is
    read from the database, as a form may already have changed the instance.

    Checklist: validate; save; audit the changed fields; keep a change of the
    working-time fraction (``working_time_changes_record``); announce the change
    (``changes.person_changed``: the running cycles follow a joiner, a leaver or a
    changed fact), all in one transaction.
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    stored = (
        Person.objects.select_related("unit").filter(pk=person.pk).first()
        if person is not None and person.pk is not None
        else None
    )
    before = _person_facts(stored) if stored is not None else {}
    target = person or Person(organisation=organisation)
    for name, value in fields.items():
        setattr(target, name, value)
    unit = fields.get("unit")
    if isinstance(unit, Unit) and unit.organisation_id != organisation.pk:
        raise ValidationFailed(_("The unit belongs to another organisation."))
    if isinstance(target.email, str):
        target.email = target.email.strip().lower()
    if salary_system and salary_system not in SalarySystem.values:
        raise ValidationFailed(
            _("Please correct the errors below."),
            {"salary_system": [_("Choose seniority or evaluation.")]},
        )
    apply_salary_system(
        target,
        SalarySystem(salary_system) if salary_system else None,
        new=person is None,
        follow_rule=follow_salary_rule,
    )
    if not target.employment_status:
        target.employment_status = EmploymentStatus.CONTRACTUAL
    _validate(target)
    with transaction.atomic():
        target.save()
        changes = audit.diff(before, _person_facts(target))
        if changes:
            audit.record(
                actor=actor, action="person.changed" if stored else "person.created",
                target=target, changes=changes, organisation_id=organisation.pk,
            )
        if stored is not None and stored.working_time_fraction != target.working_time_fraction:
            working_time_changes_record([(target, stored.working_time_fraction)],
                                        day=today_for(organisation))
        if stored is None or stored.unit_id != target.unit_id:
            evaluators.refresh_lines([target.pk])
        person_changed(person=target, actor=actor)
        if stored is not None and stored.unit_id != target.unit_id:
            lines_changed(people=Person.objects.filter(pk=target.pk), actor=actor)
    return target


def working_time_changes_record(changed: list[tuple[Person, Decimal]], *,
                                day: dt.date) -> None:
    """Keep each person's change of working-time fraction (the person saved with the new
    fraction, and the fraction before), dated ``day``, the organisation's day it is saved:
    no form, API or import gives a date of its own (docs/conversations.md). One query."""
    WorkingTimeChange.objects.bulk_create([
        WorkingTimeChange(person=person, changed_on=day,
                          fraction_before=before, fraction_after=person.working_time_fraction)
        for person, before in changed if before != person.working_time_fraction])


def _person_facts(person: Person) -> dict[str, object]:
    facts: dict[str, object] = {name: getattr(person, name) for name in PERSON_FIELDS}
    facts["salary_system"] = person.salary_system
    return facts


def apply_salary_system(
    person: Person, choice: SalarySystem | None, *, new: bool, follow_rule: bool = False
) -> None:
    """HR's choice of salary system, else the 1 June 2024 rule (in memory; caller saves).

    Without a choice, a person keeps a system HR set by hand, unless ``follow_rule``.
    """
    if choice:
        person.salary_system, person.salary_system_overridden = choice, True
    elif new or follow_rule or not person.salary_system_overridden:
        person.salary_system = default_salary_system(person.start_date)
        person.salary_system_overridden = False


def import_may_replace(recorded: EffectiveWork) -> bool:
    """An HR correction of hours worked is never overwritten by a later import."""
    return recorded.source != WorkSource.CORRECTED


def evaluator_override_create(
    *,
    person: Person,
    first_evaluator: Person | None,
    second_evaluator: Person | None,
    valid_from: dt.date,
    valid_until: dt.date | None,
    reason: str,
    actor: User | None = None,
) -> EvaluatorOverride:
    """Set evaluators by hand for a period; the event goes to the person's history."""
    for evaluator in (first_evaluator, second_evaluator):
        if evaluator is not None and evaluator.organisation_id != person.organisation_id:
            raise ValidationFailed(_("An evaluator must work for the same organisation."))
        if evaluator is not None and evaluator.pk == person.pk:
            raise ValidationFailed(_("Nobody can be their own evaluator."))
    if first_evaluator is None and second_evaluator is None:
        raise ValidationFailed(_("Choose a 1st or a 2nd evaluator."))
    if first_evaluator is not None and first_evaluator == second_evaluator:
        raise ValidationFailed(_("The 1st and 2nd evaluator must be different people."))
    override = EvaluatorOverride(
        person=person,
        first_evaluator=first_evaluator,
        second_evaluator=second_evaluator,
        valid_from=valid_from,
        valid_until=valid_until,
        reason=reason.strip(),
    )
    _validate(override)
    overlapping = EvaluatorOverride.objects.filter(person=person).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    )
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    with transaction.atomic():
        if overlapping.select_for_update().exists():
            raise ValidationFailed(
                _(
                    "This period overlaps another evaluator override of this person; "
                    "end that one first."
                )
            )
        override.save()
        audit.record(
            actor=actor, action="evaluator_override.created", target=person,
            changes=audit.diff({}, {
                "first_evaluator": first_evaluator, "second_evaluator": second_evaluator,
                "valid_from": valid_from, "valid_until": valid_until, "reason": override.reason,
            }),
            organisation_id=person.organisation_id,
        )
        evaluators.refresh_lines([person.pk])
        lines_changed(people=Person.objects.filter(pk=person.pk), actor=actor)
    return override


def evaluator_override_end(
    *, override: EvaluatorOverride, on: dt.date, actor: User | None = None
) -> EvaluatorOverride:
    if on < override.valid_from:
        raise ValidationFailed(_("An override cannot end before it starts."))
    before = override.valid_until
    override.valid_until = on
    with transaction.atomic():
        override.save(update_fields=["valid_until"])
        person = override.person
        audit.record(
            actor=actor, action="evaluator_override.ended", target=person,
            changes={"valid_from": [override.valid_from, override.valid_from],
                     "valid_until": [before, on]},
            organisation_id=person.organisation_id,
        )
        evaluators.refresh_lines([person.pk])
        lines_changed(people=Person.objects.filter(pk=person.pk), actor=actor)
    return override


def effective_work_record(
    *,
    person: Person,
    year: int,
    hours_worked: Decimal,
    source: WorkSource,
    note: str = "",
    updated_by: User | None = None,
) -> EffectiveWork:
    """Store imported or corrected hours; an HR correction always wins over an import.

    ``updated_by`` is the actor; an HR correction goes to the person's history. The
    hours decide the Flemish eligibility rule, so the change is announced
    (``changes.person_changed``) in the same transaction.
    """
    hours_worked = Decimal(hours_worked)
    _check_work_year(person, year)
    problem = hours_worked_error(hours_worked)
    if problem:
        raise ValidationFailed(problem, {"hours_worked": [problem]})
    hours_worked = hours_worked.quantize(Decimal("0.01"))
    # The other fields' own rules (the note's length) before anything is written.
    _validate_fields(EffectiveWork(person=person, year=year, hours_worked=hours_worked,
                                   source=source, note=note, updated_by=updated_by))
    with transaction.atomic():
        work = _effective_work_record(person, year, hours_worked, source, note, updated_by)
        person_changed(person=person, actor=updated_by)
    return work


def _effective_work_record(
    person: Person, year: int, hours_worked: Decimal, source: WorkSource, note: str,
    updated_by: User | None,
) -> EffectiveWork:
    before: dict[str, object] = {}
    if source == WorkSource.CORRECTED:
        hours, was = effective_hours(person, year)
        previous = EffectiveWork.objects.filter(person=person, year=year).first()
        before = {"hours_worked": hours, "source": was, "note": previous.note if previous else ""}
    work, _created = EffectiveWork.objects.get_or_create(
        person=person,
        year=year,
        defaults={
            "hours_worked": hours_worked,
            "source": source,
            "note": note,
            "updated_by": updated_by,
        },
    )
    if not _created:
        if source == WorkSource.IMPORTED and not import_may_replace(work):
            return work
        work.hours_worked, work.source, work.note = hours_worked, source, note
        work.updated_by = updated_by
    _validate(work)
    work.save()
    if source == WorkSource.CORRECTED:
        changes = audit.diff(
            before, {"hours_worked": work.hours_worked, "source": work.source, "note": work.note}
        )
        audit.record(
            actor=updated_by, action="effective_work.corrected", target=person,
            changes={"year": [year, year], **changes}, organisation_id=person.organisation_id,
        )
    return work


def _check_work_year(person: Person, year: int) -> None:
    problem = work_year_error(year, this_year=today_for(person.organisation).year)
    if problem:
        raise ValidationFailed(problem, {"year": [problem]})


def effective_hours(person: Person, year: int) -> tuple[Decimal, WorkSource]:
    """Hours effectively worked in ``year``: the recorded figure, else the estimate.

    A year outside ``rules.work_year_error`` is refused, as when recording."""
    _check_work_year(person, year)
    recorded = EffectiveWork.objects.filter(person=person, year=year).first()
    if recorded is not None:
        return recorded.hours_worked, WorkSource(recorded.source)
    absences = list(
        Absence.objects.filter(
            person=person, start_date__lte=dt.date(year, 12, 31), end_date__gte=dt.date(year, 1, 1)
        ).values_list("start_date", "end_date")
    )
    return (
        estimated_hours_worked(
            year=year,
            start_date=person.start_date,
            end_date=person.end_date,
            working_time_fraction=person.working_time_fraction,
            absences=absences,
            preset=person.organisation.policy_preset,
        ),
        WorkSource.ESTIMATED,
    )
