"""Opening a cycle, and keeping its participations in step with the people.

One computation, ``_Calculator.values``, gives a person's participation in a cycle:
the period, whether the evaluation is mandatory and why not, the hours it rests on,
probation and every due date. Opening (``cycle_fill``), a person joining, leaving or
changing (``participation_sync``) and an import (``participations_sync_for_organisation``)
all use it, so a participation never depends on the way it came about.

Choices the sources leave open (see also ``docs/cycles.md``):

- Who is in a cycle: everyone employed on at least one day of their period.
- Federal cycles are per person [b1]: the period of the cycle of ``year`` starts on the
  anniversary of the person's start date in ``year`` (a person hired in ``year`` starts
  on the start date itself). The 12-month cycle of a person thus restarts every year on
  the same day, and the cycle of ``year`` groups the periods that start in ``year``.
- Hours effectively worked count only under an hours rule (Flemish); they are those
  of the calendar year ``year`` (the Flemish rule counts a calendar year [f6]): the
  recorded figure, else the estimate of ``organisation.rules.estimated_hours_worked``.
  For a year still running the estimate counts its remaining weekdays as worked, so at
  opening it is a forecast; importing or correcting the hours runs the computation
  again.
- The Flemish nine-month rule [f22] counts the calendar days of the period covered by
  career breaks, parental leave, sickness and other absences. Annual leave is normal
  service and does not count; it does lower the estimated hours.
- A newcomer (started after the period started) has no due date before the start, and
  the first steps count from it (``rulebook.deadlines.cycle_due_dates``).
- A person who leaves during the period keeps their participation, closed on the last
  day of employment (``closed_on``); a participation whose person is no longer employed
  in the period at all (a corrected start or end date) is closed on the period's first
  day with the reason ``not_employed``. A participation is never deleted: milestones
  may hang on it.
- A top manager or mandate holder HR recorded on the person (``cycles.other_evaluation``)
  is not in the annual evaluation of a Flemish period ending on or after the day
  recorded (``rulebook.eligibility.other_evaluation_exemption``): the participation is
  kept, with the function as its reason, and has no mandatory step, so no task,
  reminder or overdue count. Clearing it makes the evaluation mandatory again.
- A period agreed between employee and evaluator ([f1]: up to 15 months by mutual
  agreement, recorded by HR through ``participation_period_agree``) replaces the normal
  period in the computation, so every later sync keeps it. The due dates follow it;
  eligibility is computed as for any period: the hours stay those of the calendar
  year ``year`` (Flemish rule), the whole months are counted over the agreed period
  (months rule).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.cycles import changes, selectors
from koers.cycles.dashboard import can_view_dashboard
from koers.cycles.late import PAGE_SIZE, late_on, late_step
from koers.cycles.milestones import STEPS, step_task
from koers.cycles.models import Cycle, CycleState, LateReminder, Participation
from koers.cycles.notifications import LATE_REMINDER, LATE_REMINDER_OWN
from koers.cycles.permissions import can_record_leaving
from koers.cycles.responsible import responsibles
from koers.cycles.selectors import CycleCounts
from koers.notify import outbox
from koers.notify.services import NewNotification, notify_many
from koers.organisation.models import (
    Absence,
    AbsenceKind,
    EffectiveWork,
    Organisation,
    Person,
    Unit,
    WorkSource,
)
from koers.organisation.rules import estimated_hours_worked
from koers.rulebook.deadlines import (
    Due,
    Period,
    cycle_due_dates,
    period_agreement_errors,
    period_for,
)
from koers.rulebook.eligibility import (
    OTHER_EVALUATION_EXEMPTIONS,
    Exemption,
    evaluation_requirement,
)
from koers.rulebook.leavers import (
    evaluated_before_leaving,
    leaves_before_evaluation,
    leaving_errors,
    may_be_evaluated_before_leaving,
)
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Eligibility, PeriodKind, Policy

# People per batch: each batch is one transaction, so a killed opening loses at most one.
BATCH_SIZE = 2000
BULK_UPDATE_BATCH = 500
FIRST_YEAR = 2000

# In service but not working: these count towards the Flemish nine-month rule.
NOT_WORKING = frozenset({
    AbsenceKind.CAREER_BREAK, AbsenceKind.PARENTAL_LEAVE, AbsenceKind.SICKNESS, AbsenceKind.OTHER,
})

DUE_FIELDS: dict[Due, str] = {step.due: step.due_field for step in STEPS}
# Every Participation field the computation owns; the milestones belong to other rooms.
COMPUTED_FIELDS = (
    "period_start", "period_end", "evaluation_required", "exemption", "hours_worked",
    "hours_source", "months_employed", "on_probation", *DUE_FIELDS.values(), "closed_on",
)
# What the computation reads from a participation itself: the agreed period, if any,
# and what was recorded of the person leaving.
AGREED_PERIOD_FIELDS = ("agreed_period_start", "agreed_period_end")
LEAVING_FIELDS = ("leaving_reason", "last_working_day", "evaluated_before_leaving")


class Employment(NamedTuple):
    """The facts of a person the computation reads (loaded with ``values_list``)."""

    pk: int
    start_date: dt.date
    end_date: dt.date | None
    probation_end_date: dt.date | None
    working_time_fraction: Decimal
    # A top manager or mandate holder HR recorded (``cycles.other_evaluation``), from when.
    other_evaluation: str
    other_evaluation_from: dt.date | None


EMPLOYMENT_COLUMNS = ("pk", "start_date", "end_date", "probation_end_date",
                      "working_time_fraction", "other_evaluation", "other_evaluation_from")

AbsenceSpan = tuple[str, dt.date, dt.date]  # kind, first day, last day


class _Calculator:
    """A person's participation in the cycle of ``year``, from facts loaded beforehand."""

    def __init__(
        self,
        *,
        policy: Policy,
        year: int,
        work: Mapping[int, tuple[Decimal, str]],
        absences: Mapping[int, list[AbsenceSpan]],
    ) -> None:
        self.policy, self.year = policy, year
        self.work, self.absences = work, absences
        self.shared_period = (
            None if policy.period_kind == PeriodKind.PER_PERSON
            else period_for(policy, year=year)
        )
        # Most people share their period and have no probation: their due dates are equal.
        self._dues: dict[tuple[Period, dt.date | None, dt.date | None],
                        dict[Due, dt.date]] = {}

    def period(self, person: Employment) -> Period:
        return self.shared_period or period_for(
            self.policy, year=self.year, cycle_start=person.start_date
        )

    def values(
        self, person: Employment, *, agreed: Period | None = None,
        leaving: "Leaving | None" = None,
    ) -> dict[str, Any]:
        """The computed fields; ``exemption`` is ``not_employed`` outside the period.

        ``agreed``: the period agreed for this participation, which replaces the normal one.
        ``leaving``: what HR or the 1st evaluator recorded of the person leaving.
        """
        period = agreed or self.period(person)
        absences = self.absences.get(person.pk, [])
        # Hours are kept only where they decide (the Flemish rule): beside a federal
        # period across two calendar years, the hours of one of them would mislead.
        hours: Decimal | None = None
        source = ""
        if self.policy.eligibility == Eligibility.HOURS:
            recorded = self.work.get(person.pk)
            if recorded is not None:
                hours, source = recorded
            else:
                hours = estimated_hours_worked(
                    year=self.year, start_date=person.start_date, end_date=person.end_date,
                    working_time_fraction=person.working_time_fraction,
                    absences=[(first, last) for _kind, first, last in absences],
                    preset=self.policy.preset,
                )
                source = WorkSource.ESTIMATED.value  # a plain str: COPY writes enums by name
        first = max(period.start, person.start_date)
        last = min(period.end, person.end_date or period.end)
        requirement = evaluation_requirement(
            self.policy, period_start=period.start, period_end=period.end,
            employed_from=person.start_date, employed_until=person.end_date,
            hours_worked=hours or Decimal(0), absent_days=absent_days(absences, first, last),
            other_evaluation=person.other_evaluation,
            other_evaluation_from=person.other_evaluation_from,
        )
        employed = requirement.exemption != Exemption.NOT_EMPLOYED
        probation_end = person.probation_end_date
        # A probation ending on the period's first day is over before the cycle starts.
        on_probation = employed and probation_end is not None and probation_end > period.start
        # Only a newcomer's own start moves their due dates (cycle_due_dates).
        newcomer_start = person.start_date if person.start_date > period.start else None
        key = (period, probation_end if on_probation else None, newcomer_start)
        dues = self._dues.get(key)
        if dues is None:
            dues = self._dues[key] = cycle_due_dates(
                self.policy, year=self.year, period=period, probation_end=key[1],
                employed_from=newcomer_start,
            )
        required, exemption = requirement.required, requirement.exemption
        if exemption in OTHER_EVALUATION_EXEMPTIONS.values():
            # Evaluated in other forms: no step of this cycle is theirs to take.
            dues = {}
        last_days = [day for day in (person.end_date, leaving and leaving.last_working_day)
                     if day is not None]
        last_day = min(last_days) if last_days else None
        if not employed:
            closed_on: dt.date | None = min(person.end_date or period.start, period.start)
        elif leaves_before_evaluation(dues, last_day=last_day) and last_day is not None:
            if leaving is not None and leaving.agreed and may_be_evaluated_before_leaving(
                    self.policy, leaving.reason):
                # [f1]: evaluated before leaving; open until then, whatever the end date.
                dues = evaluated_before_leaving(dues, last_day=last_day, first_day=first)
                closed_on = None
            else:
                if required:
                    required, exemption = False, Exemption.LEAVES_BEFORE_EVALUATION
                closed_on = last_day
        elif person.end_date is not None and person.end_date <= period.end:
            closed_on = person.end_date
        else:
            closed_on = None
        return {
            "period_start": period.start,
            "period_end": period.end,
            "evaluation_required": required,
            "exemption": exemption.value if exemption else "",
            "hours_worked": hours,
            "hours_source": source,
            "months_employed": requirement.months_employed,
            "on_probation": on_probation,
            **{field: dues.get(due) for due, field in DUE_FIELDS.items()},
            "closed_on": closed_on,
        }


class Leaving(NamedTuple):
    """What was recorded of someone leaving (``participation_leaving_record``)."""

    reason: str
    last_working_day: dt.date
    agreed: bool


def leaving_of(participation: Participation | None) -> Leaving | None:
    """The record of the person leaving, or None where nothing was recorded."""
    if participation is None or participation.last_working_day is None:
        return None
    return Leaving(participation.leaving_reason, participation.last_working_day,
                   participation.evaluated_before_leaving)


def agreed_period(participation: Participation | None) -> Period | None:
    """The period agreed for a participation, or None where the normal period holds."""
    if participation is None:
        return None
    start, end = participation.agreed_period_start, participation.agreed_period_end
    return Period(start, end) if start is not None and end is not None else None


def absent_days(absences: Iterable[AbsenceSpan], first: dt.date, last: dt.date) -> int:
    """Calendar days from ``first`` to ``last`` in service but not working.

    Overlapping absences count each day once; annual leave does not count.
    """
    spans = sorted(
        (max(start, first), min(end, last))
        for kind, start, end in absences
        if kind in NOT_WORKING and start <= last and end >= first
    )
    days, counted_until = 0, first - dt.timedelta(days=1)
    for start, end in spans:
        start = max(start, counted_until + dt.timedelta(days=1))
        if end >= start:
            days += (end - start).days + 1
            counted_until = end
    return days


def _window(year: int) -> tuple[dt.date, dt.date]:
    """Days any period of the cycle of ``year`` (or its hours) can touch."""
    return dt.date(year, 1, 1), dt.date(year + 1, 12, 31)


def _calculator(
    *, policy: Policy, year: int, work: QuerySet[EffectiveWork], absences: QuerySet[Absence]
) -> _Calculator:
    """Load the hours of ``year`` and the absences around it, one query each."""
    first, last = _window(year)
    hours: dict[int, tuple[Decimal, str]] = {
        person_id: (worked, source)
        for person_id, worked, source in work.filter(year=year).values_list(
            "person_id", "hours_worked", "source"
        )
    }
    spans: dict[int, list[AbsenceSpan]] = {}
    for person_id, kind, start, end in absences.filter(
        start_date__lte=last, end_date__gte=first
    ).values_list("person_id", "kind", "start_date", "end_date"):
        spans.setdefault(person_id, []).append((kind, start, end))
    return _Calculator(policy=policy, year=year, work=hours, absences=spans)


def _organisation_calculator(organisation: Organisation, policy: Policy, year: int) -> _Calculator:
    return _calculator(
        policy=policy, year=year,
        work=EffectiveWork.objects.filter(person__organisation=organisation),
        absences=Absence.objects.filter(person__organisation=organisation),
    )


def insert_participations(cycle: Cycle, computed: list[tuple[int, dict[str, Any]]]) -> None:
    """Insert participations (person id, computed fields), skipping any that exist.

    PostgreSQL gets them through COPY: for 100,000 people ``bulk_create`` spends about
    20 s preparing and binding three million values, COPY 3 s (bench/README.md). COPY
    cannot skip conflicts, so when another run inserted one of the rows meanwhile the
    batch falls back to ``bulk_create(ignore_conflicts=True)``, as other databases do.
    """
    if not computed:
        return
    copied = False
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                _copy(cycle, computed)
        except IntegrityError:
            pass  # a concurrent run was here first
        else:
            copied = True
    if not copied:
        Participation.objects.bulk_create(
            [Participation(cycle=cycle, person_id=person_id, **values)
             for person_id, values in computed],
            ignore_conflicts=True,
        )
    changes.participations_added(cycle)


def _copy(cycle: Cycle, computed: list[tuple[int, dict[str, Any]]]) -> None:
    # The fields the computation does not own (milestones, created_at) as a new
    # participation has them, prepared once for every row. Column names are the
    # attribute names: Participation sets no db_column.
    template = Participation(cycle=cycle, person_id=0)
    fields = [field for field in Participation._meta.concrete_fields
              if not field.primary_key and field.attname not in {"cycle_id", "person_id"}]
    constants = {
        field.attname: field.get_db_prep_save(field.pre_save(template, add=True), connection)
        for field in fields if field.attname not in COMPUTED_FIELDS
    }
    columns = ["cycle_id", "person_id", *COMPUTED_FIELDS, *constants]
    fixed = tuple(constants.values())
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(Participation._meta.db_table), ", ".join(quote(column) for column in columns)
    )
    # wrap_database_errors: psycopg's own errors become Django's (IntegrityError above).
    with (connection.cursor() as cursor, connection.wrap_database_errors,
          cursor.cursor.copy(statement) as copy):
        for person_id, values in computed:
            copy.write_row((cycle.pk, person_id, *(values[name] for name in COMPUTED_FIELDS),
                            *fixed))


def _enqueue_fill(cycle: Cycle) -> None:
    # Imported here: the task module imports this one to call cycle_fill.
    from koers.cycles.tasks import open_cycle_task

    # Inside the caller's transaction: with the database backend the task row commits
    # together with the cycle, so there is never a cycle without its task or the reverse.
    open_cycle_task.enqueue(cycle.pk)


def cycle_open(
    *, organisation: Organisation, year: int, actor: User | None, background: bool = True
) -> Cycle:
    """Open the cycle of ``year`` for ``organisation``; its participations follow.

    Checklist: check the year; refuse a year that already has a cycle (one per year,
    guarded by the database too); record the policy version in force and who opened it;
    enqueue the filling task in the same transaction (``background=False``: the caller
    runs ``cycle_fill`` itself, as ``koers open-cycle`` does). ``actor=None`` is the
    system: the command line and the demo.
    """
    _check_year(organisation, year)
    policy = policy_for(organisation)
    with transaction.atomic():
        if Cycle.objects.filter(organisation=organisation, year=year).exists():
            raise _already_there(year)
        try:
            with transaction.atomic():
                cycle = Cycle.objects.create(
                    organisation=organisation, year=year, state=CycleState.OPENING,
                    policy_version=policy.version, opened_by=actor, opened_at=clock.now(),
                )
        except IntegrityError:
            # Another request opened the same year a moment ago.
            raise _already_there(year) from None
        audit.record(
            actor=actor, action="cycle.opened", target=cycle,
            changes={"year": [None, year], "policy_version": [None, policy.version]},
            organisation_id=organisation.pk,
        )
        if background:
            _enqueue_fill(cycle)
    return cycle


def _check_year(organisation: Organisation, year: int) -> None:
    latest = selectors.current_year(organisation) + 1
    if not FIRST_YEAR <= year <= latest:
        message = _("Choose a year from %(first)d to %(last)d.") % {
            "first": FIRST_YEAR, "last": latest}
        raise ValidationFailed(message, {"year": [message]})


def cycle_open_preview(*, organisation: Organisation, year: int) -> int:
    """How many people opening the cycle of ``year`` would touch, asked before opening it
    (the pages' confirmation step); the same refusals as ``cycle_open``, nothing written."""
    _check_year(organisation, year)
    if Cycle.objects.filter(organisation=organisation, year=year).exists():
        raise _already_there(year)
    return selectors.opening_reach(organisation, year)


def _already_there(year: int) -> ValidationFailed:
    message = _("The cycle of %(year)d has already been opened.") % {"year": year}
    return ValidationFailed(message, {"year": [message]})


def cycle_resume(*, cycle: Cycle, actor: User | None) -> Cycle:
    """Run the filling task again for a cycle whose opening was interrupted, and record
    who asked (the trail shows why a second run of the filling followed).

    Harmless when the first task still runs: both skip the participations that exist.
    """
    if cycle.state != CycleState.OPENING:
        raise ValidationFailed(_("This cycle is already open."))
    with transaction.atomic():
        audit.record(actor=actor, action="cycle.resumed", target=cycle,
                     organisation_id=cycle.organisation_id,
                     changes={"done": cycle.people_done, "total": cycle.people_total})
        _enqueue_fill(cycle)
    return cycle


def cycle_fill(
    *, cycle: Cycle, batch_size: int = BATCH_SIZE, batch_limit: int | None = None
) -> CycleCounts:
    """Create the participation of everyone in scope; run it again after a kill to finish.

    Checklist: leave a cycle that is already open as it is; count the people in scope
    for the progress bar; load the hours and absences once; take the people without a
    participation in batches by id and insert each batch ignoring conflicts (the unique
    cycle+person constraint makes a second run harmless), with the progress, in one
    transaction; finally mark the cycle open. ``batch_limit`` stops early, as a kill
    would (tests).
    """
    cycle = Cycle.objects.select_related("organisation").get(pk=cycle.pk)
    if cycle.state != CycleState.OPENING:
        return selectors.cycle_counts(cycle)
    organisation = cycle.organisation
    policy = policy_for(organisation)
    scope = selectors.people_in_scope(organisation, policy, cycle.year)
    total = scope.count()
    # Who has a participation already (an earlier, interrupted run): one query, then
    # the batches skip them in memory.
    existing = set(Participation.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    done = min(len(existing), total)
    Cycle.objects.filter(pk=cycle.pk).update(people_total=total, people_done=done)
    calculator = _organisation_calculator(organisation, policy, cycle.year)
    in_order = scope.order_by("pk").values_list(*EMPLOYMENT_COLUMNS)
    last_pk, batches = 0, 0
    while batch_limit is None or batches < batch_limit:
        batch = [Employment(*row) for row in in_order.filter(pk__gt=last_pk)[:batch_size]]
        if not batch:
            break
        last_pk = batch[-1].pk
        people = [person for person in batch if person.pk not in existing]
        if not people:
            continue
        computed = [
            (person.pk, values) for person in people
            if (values := calculator.values(person))["exemption"] != Exemption.NOT_EMPLOYED
        ]
        done = min(done + len(people), total)
        with transaction.atomic():
            insert_participations(cycle, computed)
            Cycle.objects.filter(pk=cycle.pk).update(people_done=done)
            # One event per batch, in its transaction: counts, never a row per person.
            audit.record(actor=None, action="cycle.participations_added", target=cycle,
                         organisation_id=organisation.pk,
                         changes={"people": len(people), "participations": len(computed),
                                  "done": done, "total": total})
        batches += 1
    else:
        return selectors.cycle_counts(cycle)  # stopped early: still opening
    Cycle.objects.filter(pk=cycle.pk, state=CycleState.OPENING).update(
        state=CycleState.OPEN, people_done=total, finished_at=clock.now()
    )
    return selectors.cycle_counts(cycle)


class Synced(NamedTuple):
    created: int
    updated: int


def _sync(
    cycle: Cycle,
    calculator: _Calculator,
    people: Iterable[Employment],
    existing: Mapping[int, Participation],
    record: Callable[[Synced], object] | None = None,
) -> Synced:
    """Create the missing participations and update the computed fields of the others.

    When anything changed, ``record`` gets the counts in the same transaction as the
    writes (one audit event, whatever the number of rows); nothing changed, nothing is
    written and no transaction is opened."""
    created: list[tuple[int, dict[str, Any]]] = []
    changed: list[Participation] = []
    for person in people:
        participation = existing.get(person.pk)
        values = calculator.values(person, agreed=agreed_period(participation),
                                   leaving=leaving_of(participation))
        if participation is None:
            if values["exemption"] != Exemption.NOT_EMPLOYED:
                created.append((person.pk, values))
            continue
        if any(getattr(participation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(participation, name, value)
            changed.append(participation)
    synced = Synced(len(created), len(changed))
    if created or changed:
        with transaction.atomic():
            insert_participations(cycle, created)
            Participation.objects.bulk_update(changed, COMPUTED_FIELDS,
                                              batch_size=BULK_UPDATE_BATCH)
            if record is not None:
                record(synced)
    return synced


def _running_cycles(organisation_id: int) -> list[Cycle]:
    # An opening cycle is synced too: its filling task may have passed this person already.
    return list(Cycle.objects.filter(organisation_id=organisation_id)
                .exclude(state=CycleState.CLOSED).order_by("year"))


def _person_calculator(policy: Policy, year: int, person: Person) -> _Calculator:
    return _calculator(
        policy=policy, year=year,
        work=EffectiveWork.objects.filter(person=person),
        absences=Absence.objects.filter(person=person),
    )


def participation_sync(*, person: Person, actor: User | None = None) -> None:
    """After a person was saved: their participation in every running cycle of the
    organisation, created when they joined, closed when they left, recomputed otherwise.

    Follows ``person_save`` and ``effective_work_record`` in their transaction: they
    announce the change (``organisation/changes.py``), to which ``CyclesConfig.ready``
    subscribes this function, as ``organisation`` cannot call up into ``cycles``.
    A cycle whose participation changed gets one event in the person's history (their
    chain: no lock shared with other people's saves).
    """
    cycles = _running_cycles(person.organisation_id)
    if not cycles:
        return
    policy = policy_for(person.organisation)
    employment = Employment(*(getattr(person, column) for column in EMPLOYMENT_COLUMNS))
    existing = {
        participation.cycle_id: participation
        for participation in Participation.objects.filter(person=person, cycle__in=cycles)
    }
    for cycle in cycles:
        calculator = _person_calculator(policy, cycle.year, person)
        current = existing.get(cycle.pk)
        _sync(cycle, calculator, [employment], {person.pk: current} if current else {},
              record=partial(_record_person_sync, actor=actor, person=person, year=cycle.year))


def participations_sync_for_organisation(
    organisation: Organisation, *, actor: User | None = None
) -> None:
    """``participation_sync`` for everybody at once, after an import of people, hours
    or absences (announced by ``importing.import_batch_run``, see ``CyclesConfig``)
    or a policy change (``tasks.recompute_participations_task``): a fixed number of
    queries per running cycle, whatever the head count, and one audit event per cycle
    with the counts."""
    cycles = _running_cycles(organisation.pk)
    if not cycles:
        return
    policy = policy_for(organisation)
    for cycle in cycles:
        calculator = _organisation_calculator(organisation, policy, cycle.year)
        existing = {
            participation.person_id: participation
            for participation in Participation.objects.filter(cycle=cycle)
            .only("pk", "cycle_id", "person_id", *AGREED_PERIOD_FIELDS, *LEAVING_FIELDS,
                  *COMPUTED_FIELDS)
        }
        # Everyone in scope, and whoever has a participation but fell out of scope.
        people = Person.objects.filter(organisation=organisation).filter(
            Q(pk__in=selectors.people_in_scope(organisation, policy, cycle.year).values("pk"))
            | Q(participations__cycle=cycle)
        ).distinct().values_list(*EMPLOYMENT_COLUMNS)
        _sync(cycle, calculator, (Employment(*row) for row in people), existing,
              record=partial(_record_cycle_sync, actor=actor, cycle=cycle))


def _record_person_sync(synced: Synced, *, actor: User | None, person: Person,
                        year: int) -> None:
    audit.record(actor=actor, action="participation.synced", target=person,
                 organisation_id=person.organisation_id,
                 changes={"cycle": year, **synced._asdict()})


def _record_cycle_sync(synced: Synced, *, actor: User | None, cycle: Cycle) -> None:
    audit.record(actor=actor, action="cycle.participations_synced", target=cycle,
                 organisation_id=cycle.organisation_id, changes=synced._asdict())


def participation_period_agree(
    *,
    participation: Participation,
    start: dt.date | None,
    end: dt.date | None,
    note: str,
    actor: User,
) -> Participation:
    """Record the period employee and evaluator agreed on ([f1]), or clear it.

    ``start`` and ``end`` both None return the participation to the normal period.
    The caller checks that ``actor`` may change the person (HR of their unit,
    ``access.policy.can_change_person``): HR records what employee and evaluator agreed.

    Checklist: both days or neither, and a note saying what was agreed; lock the
    participation; refuse a closed one (the person left, or the cycle is closed);
    check the rule against the normal period
    (``rulebook.deadlines.period_agreement_errors``); store the agreement with who and
    when, and audit it (the same agreement again records nothing); recompute the
    participation through the same computation as every sync, so that period,
    eligibility and due dates follow. One transaction: a refused agreement changes
    nothing.
    """
    note = note.strip()
    if (start is None) != (end is None):
        message = _("Give both the first and the last day of the agreed period, or neither "
                    "to return to the normal period.")
        raise ValidationFailed(message, {"start" if start is None else "end": [message]})
    if start is not None and not note:
        message = _("Say what was agreed, between whom and when.")
        raise ValidationFailed(message, {"note": [message]})
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("cycle__organisation", "person")
            .get(pk=participation.pk)
        )
        cycle, person = locked.cycle, locked.person
        if locked.closed_on is not None or cycle.state == CycleState.CLOSED:
            raise ValidationFailed(
                _("This participation is closed: its period can no longer change."))
        agreement = (start, end, note) if start is not None else (None, None, "")
        if agreement == (locked.agreed_period_start, locked.agreed_period_end,
                         locked.period_agreement_note):
            return locked
        policy = policy_for(cycle.organisation)
        if start is not None and end is not None:
            normal = period_for(policy, year=cycle.year, cycle_start=person.start_date)
            errors = period_agreement_errors(policy, normal=normal, start=start, end=end)
            if errors:
                raise ValidationFailed(_("The evaluated period was not changed."),
                                       {"period": errors})
        before = _agreement_facts(locked)
        locked.agreed_period_start, locked.agreed_period_end, locked.period_agreement_note = (
            agreement)
        locked.period_agreed_by = actor if start is not None else None
        locked.period_agreed_at = clock.now() if start is not None else None
        locked.save(update_fields=[*AGREED_PERIOD_FIELDS, "period_agreement_note",
                                   "period_agreed_by", "period_agreed_at"])
        audit.record(
            actor=actor,
            action="participation.period_agreed" if start is not None
            else "participation.period_agreement_cleared",
            target=locked, changes=audit.diff(before, _agreement_facts(locked)),
            organisation_id=cycle.organisation_id,
        )
        employment = Employment(*(getattr(person, column) for column in EMPLOYMENT_COLUMNS))
        _sync(cycle, _person_calculator(policy, cycle.year, person), [employment],
              {person.pk: locked})
    return locked


def _agreement_facts(participation: Participation) -> dict[str, object]:
    return {"agreed_period_start": participation.agreed_period_start,
            "agreed_period_end": participation.agreed_period_end,
            "period_agreement_note": participation.period_agreement_note}


def participation_leaving_record(
    *,
    participation: Participation,
    reason: str,
    last_working_day: dt.date | None,
    agreed: bool,
    viewer: Viewer,
) -> Participation:
    """Record that the person leaves (why, the last working day, and whether they agreed
    to be evaluated before leaving, [f1]), or clear it (``reason`` empty and no day).

    Checklist: HR of the person's unit or their 1st evaluator
    (``permissions.can_record_leaving``), else the same refusal as for a missing
    participation; the reason and the day together or neither; lock the participation;
    refuse a closed cycle and a participation of someone not employed in the period;
    check the rule (``rulebook.leavers.leaving_errors``: the day inside the person's
    employment in the period, an agreement only for voluntary leavers and retirees
    where the policy has it); store it with who and when, and audit it (the same
    record again records nothing); recompute the participation through the same
    computation as every sync, so that its due dates, whether the evaluation is
    mandatory and whether it is closed follow. One transaction: a refused record
    changes nothing. A participation closed because the person left may get an
    agreement afterwards: it opens again, due before the last working day.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("cycle__organisation", "person__unit")
            .filter(pk=participation.pk).first()
        )
        if locked is None or not can_record_leaving(viewer, locked.person):
            raise NotFoundOrForbidden(_("This participation does not exist."))
        if not reason and last_working_day is None:
            if agreed:
                message = _("Say why the person leaves and their last working day.")
                raise ValidationFailed(message, {"reason": [message]})
        elif not reason or last_working_day is None:
            message = _("Give both why the person leaves and their last working day, or "
                        "neither to clear what was recorded.")
            raise ValidationFailed(
                message, {"reason" if not reason else "last_working_day": [message]})
        cycle, person = locked.cycle, locked.person
        if cycle.state == CycleState.CLOSED or locked.exemption == Exemption.NOT_EMPLOYED:
            raise ValidationFailed(_("This participation is closed: what was recorded of "
                                     "the person leaving can no longer change."))
        record = (reason, last_working_day, agreed)
        if record == (locked.leaving_reason, locked.last_working_day,
                      locked.evaluated_before_leaving):
            return locked
        policy = policy_for(cycle.organisation)
        if last_working_day is not None:
            errors = leaving_errors(
                policy, reason=reason, last_working_day=last_working_day, agreed=agreed,
                period=Period(locked.period_start, locked.period_end),
                start_date=person.start_date, end_date=person.end_date,
            )
            if errors:
                raise ValidationFailed(_("What was recorded of the person leaving did not "
                                         "change."), errors)
        before = _leaving_facts(locked)
        locked.leaving_reason, locked.last_working_day, locked.evaluated_before_leaving = record
        recorded = last_working_day is not None
        locked.leaving_recorded_by = viewer.user if recorded else None
        locked.leaving_recorded_at = clock.now() if recorded else None
        locked.save(update_fields=[*LEAVING_FIELDS, "leaving_recorded_by",
                                   "leaving_recorded_at"])
        audit.record(
            actor=viewer.user,
            action="participation.leaving_recorded" if recorded
            else "participation.leaving_cleared",
            target=locked, changes=audit.diff(before, _leaving_facts(locked)),
            organisation_id=cycle.organisation_id,
        )
        employment = Employment(*(getattr(person, column) for column in EMPLOYMENT_COLUMNS))
        _sync(cycle, _person_calculator(policy, cycle.year, person), [employment],
              {person.pk: locked})
    return locked


def _leaving_facts(participation: Participation) -> dict[str, object]:
    return {name: getattr(participation, name) for name in LEAVING_FIELDS}


# HR reminds who must act of a late step ------------------------------------------------


@dataclass(frozen=True)
class LateReminders:
    reminded: list[Person]  # people whose late step someone was reminded of
    unreachable: list[Person]  # nobody to tell (no one holds the role, or has no login)
    notifications: int


def late_reminders_send(
    *, cycle: Cycle, unit: Unit, step: str, person_ids: Iterable[int], viewer: Viewer
) -> LateReminders:
    """Remind whoever must act on ``step`` (``deadlines.RESPONSIBLE``) for each chosen
    person late on it in ``unit``'s subtree; sent by HR from the dashboard's list.

    Checklist: HR who may see the unit's dashboard (``dashboard.can_view_dashboard``),
    else the same refusal as for a cycle that does not exist; a step that can be late;
    one to ``late.PAGE_SIZE`` people, each late on the step in the subtree today (the
    list's own condition, ``late.late_on``) and none reminded today: a person is
    reminded at most once a day, whatever the step (the database refuses a second).
    Then, in one transaction: a ``LateReminder`` row and an audit event on the
    participation per person, and a notification to each recipient in their own
    language (the employee is addressed as "you" about their own step), e-mailed
    through the outbox after the commit, which retries while the mail server is down.
    Someone nobody can be told about is left out and named in the answer. A refused
    request changes nothing.
    """
    if not can_view_dashboard(viewer, cycle, unit):
        raise NotFoundOrForbidden(_("This cycle does not exist."))
    late = late_step(step)
    if late is None:
        raise ValidationFailed(_("Choose a step that can be late."),
                               {"step": [_("Choose a step that can be late.")]})
    ids = sorted(set(person_ids))
    if not ids:
        message = _("Choose the people whose late step you want to remind of.")
        raise ValidationFailed(message, {"person_ids": [message]})
    if len(ids) > PAGE_SIZE:
        message = _("Choose at most %(count)s people at a time.") % {"count": PAGE_SIZE}
        raise ValidationFailed(message, {"person_ids": [message]})
    today = clock.today_for(cycle.organisation)
    now = clock.now()
    with transaction.atomic():
        chosen = list(
            late_on(cycle=cycle, unit=unit, step=late, today=today)
            .filter(person_id__in=ids).select_related("person__unit")
            .select_for_update(of=("self",))
        )
        if len(chosen) != len(ids):
            message = _("Some of the chosen people are not late on this step (any more): "
                        "nothing was sent. Open the list again and choose once more.")
            raise ValidationFailed(message, {"person_ids": [message]})
        already = {reminder.person_id for reminder in LateReminder.objects.filter(
            person_id__in=ids, sent_on=today)}
        if already:
            names = ", ".join(p.person.full_name for p in chosen if p.person_id in already)
            message = _("Already reminded today: %(names)s. A person is reminded at most "
                        "once a day; nothing was sent.") % {"names": names}
            raise ValidationFailed(message, {"person_ids": [message]})
        roles = responsibles([p.person for p in chosen], on=today)
        sender = viewer.person.full_name if viewer.person is not None else (
            viewer.user.get_full_name() or viewer.user.get_username())
        reminded: list[tuple[Participation, dt.date]] = []
        unreachable: list[Person] = []
        notifications: list[NewNotification] = []
        for participation in chosen:
            person = participation.person
            due = late.due_on(participation)
            assert due is not None
            recipients = [r for r in roles[person.pk].for_role(late.responsible)
                          if r.user_id is not None]
            if not recipients:
                unreachable.append(person)
                continue
            reminded.append((participation, due))
            params = {"person": person.full_name, "step": str(late.due),
                      "due": due.isoformat(), "role": late.responsible, "sender": sender,
                      "preset": cycle.organisation.policy_preset}
            url = reverse("person_timeline", kwargs={"pk": person.pk})
            for recipient in recipients:
                assert recipient.user_id is not None
                notifications.append(NewNotification(
                    recipient_id=recipient.user_id,
                    key=f"late-reminder:{person.pk}:{today.isoformat()}:{recipient.user_id}",
                    kind=LATE_REMINDER_OWN if recipient.pk == person.pk else LATE_REMINDER,
                    params=params, url=url, task=step_task(participation.pk, late.due)))
        try:
            with transaction.atomic():
                LateReminder.objects.bulk_create(
                    LateReminder(participation=participation, person=participation.person,
                                 step=late.due, due=due, sent_on=today, sent_at=now,
                                 sent_by=viewer.user)
                    for participation, due in reminded)
        except IntegrityError:  # another HR officer reminded one of them a moment ago
            message = _("Someone reminded one of these people a moment ago: nothing was "
                        "sent. Open the list again.")
            raise ValidationFailed(message, {"person_ids": [message]}) from None
        for participation, due in reminded:
            audit.record(
                actor=viewer.user, action="participation.late_reminder", target=participation,
                changes={"step": str(late.due), "due": due,
                         "recipients": sorted(
                             r.pk for r in roles[participation.person_id].for_role(
                                 late.responsible) if r.user_id is not None)},
                organisation_id=cycle.organisation_id,
            )
        sent = notify_many(notifications)
        if sent:
            transaction.on_commit(outbox.request_delivery, robust=True)
    return LateReminders([p.person for p, _due in reminded], unreachable, sent)
