"""Opening a cycle: one participation per person in scope, idempotent and resumable,
with the eligibility reason, probation and every due date; joiners and leavers follow."""

import datetime as dt
from decimal import Decimal

import pytest

from koers.core.errors import ValidationFailed
from koers.cycles import services
from koers.cycles.models import Cycle, CycleState, Participation
from koers.cycles.services import COMPUTED_FIELDS, DUE_FIELDS, absent_days
from koers.organisation import services as organisation_services
from koers.organisation.models import (
    Absence,
    AbsenceKind,
    EffectiveWork,
    PolicyPreset,
    WorkSource,
)
from koers.rulebook.deadlines import cycle_due_dates, period_for
from koers.rulebook.eligibility import Exemption
from koers.rulebook.policy import policy_for
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = 2026


def _organisation(preset=PolicyPreset.FLEMISH, people=0):
    org = factories.organisation(preset=preset)
    top = factories.unit(org)
    for _ in range(people):
        factories.person(top)
    return org, top


def _open(org, year=YEAR, **fill):
    cycle = services.cycle_open(organisation=org, year=year, actor=None, background=False)
    counts = services.cycle_fill(cycle=cycle, **fill)
    cycle.refresh_from_db()
    return cycle, counts


def _rows(cycle):
    return list(
        Participation.objects.filter(cycle=cycle).order_by("person_id")
        .values_list("person_id", *COMPUTED_FIELDS)
    )


def _participation(cycle, person):
    return Participation.objects.get(cycle=cycle, person=person)


def test_opening_creates_one_participation_per_person_employed_in_the_period():
    org, top = _organisation()
    stays = factories.person(top)
    joins_late = factories.person(top, start_date=dt.date(YEAR, 11, 2))
    leaves_midway = factories.person(top, end_date=dt.date(YEAR, 6, 30))
    factories.person(top, end_date=dt.date(YEAR - 1, 12, 31))  # left before the year
    factories.person(top, start_date=dt.date(YEAR + 1, 1, 4))  # starts after it

    cycle, counts = _open(org)

    assert cycle.state == CycleState.OPEN
    assert cycle.finished_at is not None
    assert (cycle.people_total, cycle.people_done) == (3, 3)
    assert sorted(Participation.objects.filter(cycle=cycle).values_list("person_id", flat=True)) \
        == sorted([stays.pk, joins_late.pk, leaves_midway.pk])
    assert _participation(cycle, leaves_midway).closed_on == dt.date(YEAR, 6, 30)
    assert _participation(cycle, stays).closed_on is None
    assert counts.participations == 3


def test_the_flemish_rule_gives_the_reason_when_the_evaluation_is_not_mandatory():
    org, top = _organisation()
    full_time = factories.person(top)
    recorded_few = factories.person(top)
    EffectiveWork.objects.create(person=recorded_few, year=YEAR, hours_worked=Decimal("300"),
                                 source=WorkSource.IMPORTED)
    joins_late = factories.person(top, start_date=dt.date(YEAR, 11, 2))
    on_career_break = factories.person(top)
    Absence.objects.create(person=on_career_break, kind=AbsenceKind.CAREER_BREAK,
                           start_date=dt.date(YEAR, 2, 1), end_date=dt.date(YEAR, 12, 31))
    # Annual leave is service, not "absent" for the nine-month rule; the hours decide.
    long_leave = factories.person(top)
    Absence.objects.create(person=long_leave, kind=AbsenceKind.ANNUAL_LEAVE,
                           start_date=dt.date(YEAR, 1, 1), end_date=dt.date(YEAR, 10, 31))
    EffectiveWork.objects.create(person=long_leave, year=YEAR, hours_worked=Decimal("500"),
                                 source=WorkSource.CORRECTED)

    cycle, counts = _open(org)

    def facts(person):
        p = _participation(cycle, person)
        return p.evaluation_required, p.exemption, p.hours_source

    assert facts(full_time) == (True, "", WorkSource.ESTIMATED)
    # 261 weekdays in 2026 less 8 public holidays on a weekday (15 August and
    # 1 November fall on a weekend)
    assert _participation(cycle, full_time).hours_worked == Decimal("1922.80")
    assert facts(recorded_few) == (False, Exemption.TOO_FEW_HOURS, WorkSource.IMPORTED)
    assert facts(joins_late) == (False, Exemption.TOO_FEW_HOURS, WorkSource.ESTIMATED)
    assert facts(on_career_break) == (False, Exemption.ABSENT_TOO_LONG, WorkSource.ESTIMATED)
    assert facts(long_leave) == (True, "", WorkSource.CORRECTED)
    assert counts.as_json()["exempt_by_reason"] == {
        "not_employed": 0, "too_few_hours": 2, "too_few_months": 0, "absent_too_long": 1,
        "leaves_before_evaluation": 0, "top_manager": 0, "mandate_holder": 0}
    assert (counts.participations, counts.mandatory, counts.exempt) == (5, 2, 3)


def test_months_rule_of_the_dutch_policy_and_probation_are_flagged():
    org, top = _organisation(PolicyPreset.DUTCH_MUNICIPAL)
    newcomer = factories.person(top, start_date=dt.date(YEAR, 10, 5),
                                probation_end_date=dt.date(YEAR + 1, 2, 15))
    finished_probation = factories.person(top, probation_end_date=dt.date(YEAR - 1, 6, 30))
    probation_ends_in_year = factories.person(top, probation_end_date=dt.date(YEAR, 8, 31))
    probation_ends_on_first_day = factories.person(top, probation_end_date=dt.date(YEAR, 1, 1))

    cycle, counts = _open(org)

    newcomer_row = _participation(cycle, newcomer)
    assert (newcomer_row.evaluation_required, newcomer_row.exemption) == (
        False, Exemption.TOO_FEW_MONTHS)
    assert newcomer_row.months_employed == 2
    assert newcomer_row.on_probation is True
    assert newcomer_row.probation_assessment_due == dt.date(YEAR, 11, 15)  # 3 months before
    assert _participation(cycle, finished_probation).on_probation is False
    assert _participation(cycle, probation_ends_on_first_day).on_probation is False
    assert _participation(cycle, probation_ends_in_year).on_probation is True
    assert _participation(cycle, probation_ends_in_year).probation_assessment_due == \
        dt.date(YEAR, 5, 31)
    assert counts.on_probation == 2


@pytest.mark.parametrize("preset", PolicyPreset.values)
def test_due_dates_are_those_of_the_deadline_engine(preset):
    org, top = _organisation(preset)
    person = factories.person(top, start_date=dt.date(2015, 4, 20),
                              probation_end_date=dt.date(YEAR, 12, 15))

    cycle, _counts = _open(org)

    policy = policy_for(org)
    period = period_for(policy, year=YEAR, cycle_start=person.start_date)
    expected = cycle_due_dates(policy, year=YEAR, period=period,
                               probation_end=person.probation_end_date)
    row = _participation(cycle, person)
    assert (row.period_start, row.period_end) == (period.start, period.end)
    assert {due: getattr(row, field) for due, field in DUE_FIELDS.items()} == {
        due: expected.get(due) for due in DUE_FIELDS}
    assert cycle.policy_version == policy.version


def test_a_federal_period_starts_on_the_anniversary_of_the_start_date():
    org, top = _organisation(PolicyPreset.FEDERAL)
    person = factories.person(top, start_date=dt.date(2011, 10, 3))
    # Left before the anniversary: the period of this year never started for them.
    factories.person(top, start_date=dt.date(2011, 10, 3), end_date=dt.date(YEAR, 5, 31))
    hired_this_year = factories.person(top, start_date=dt.date(YEAR, 3, 2))

    cycle, counts = _open(org)

    row = _participation(cycle, person)
    assert (row.period_start, row.period_end) == (dt.date(YEAR, 10, 3), dt.date(YEAR + 1, 10, 2))
    assert row.evaluation_due == dt.date(YEAR + 1, 10, 2)
    # The months rule decides; hours of one calendar year would mislead beside this period.
    assert (row.hours_worked, row.hours_source, row.months_employed) == (None, "", 12)
    assert _participation(cycle, hired_this_year).period_start == dt.date(YEAR, 3, 2)
    assert counts.participations == 2
    assert (cycle.people_total, cycle.people_done) == (3, 3)


def test_opening_twice_changes_nothing():
    org, _top = _organisation(people=7)
    cycle, first = _open(org)
    rows, finished_at = _rows(cycle), cycle.finished_at

    second = services.cycle_fill(cycle=cycle)

    cycle.refresh_from_db()
    assert _rows(cycle) == rows
    assert cycle.finished_at == finished_at
    assert second == first


def test_opening_the_same_year_again_is_refused():
    org, _top = _organisation(people=1)
    _open(org)

    with pytest.raises(ValidationFailed, match="2026"):
        services.cycle_open(organisation=org, year=YEAR, actor=None)
    assert Cycle.objects.filter(organisation=org).count() == 1


def test_an_interrupted_opening_finishes_with_exactly_one_participation_per_person():
    org, _top = _organisation(people=7)
    # Two batches of two, then the "kill".
    cycle, _counts = _open(org, batch_size=2, batch_limit=2)
    assert cycle.state == CycleState.OPENING
    assert (cycle.people_done, cycle.people_total) == (4, 7)
    assert Participation.objects.filter(cycle=cycle).count() == 4

    services.cycle_fill(cycle=cycle, batch_size=2)

    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN
    assert (cycle.people_done, cycle.people_total) == (7, 7)
    persons = list(Participation.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    assert len(persons) == len(set(persons)) == 7


def test_a_cycle_opened_in_the_background_is_filled_by_the_task(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    org, _top = _organisation(people=3)

    cycle = services.cycle_open(organisation=org, year=YEAR, actor=None)

    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN
    assert Participation.objects.filter(cycle=cycle).count() == 3


def test_a_joiner_is_added_and_a_leaver_closed_by_the_same_computation():
    org, top = _organisation(people=2)
    cycle, _counts = _open(org)

    joiner = factories.person(top, start_date=dt.date(YEAR, 9, 1))
    services.participation_sync(person=joiner)
    row = _participation(cycle, joiner)
    assert (row.closed_on, row.evaluation_required) == (None, True)

    organisation_services.person_save(organisation=org, person=joiner,
                                      end_date=dt.date(YEAR, 12, 15))
    services.participation_sync(person=joiner)
    row.refresh_from_db()
    assert row.closed_on == dt.date(YEAR, 12, 15)

    organisation_services.person_save(organisation=org, person=joiner, end_date=None)
    services.participation_sync(person=joiner)
    row.refresh_from_db()
    assert row.closed_on is None
    assert Participation.objects.filter(cycle=cycle).count() == 3


def test_a_person_outside_every_period_gets_no_participation():
    org, top = _organisation(people=1)
    cycle, _counts = _open(org)
    future = factories.person(top, start_date=dt.date(YEAR + 1, 2, 1))

    services.participation_sync(person=future)

    assert not Participation.objects.filter(cycle=cycle, person=future).exists()


def test_a_corrected_start_date_closes_a_participation_without_deleting_it():
    org, top = _organisation()
    person = factories.person(top)
    cycle, _counts = _open(org)

    organisation_services.person_save(organisation=org, person=person,
                                      start_date=dt.date(YEAR + 1, 1, 4))
    services.participation_sync(person=person)

    row = _participation(cycle, person)
    assert (row.exemption, row.closed_on) == (Exemption.NOT_EMPLOYED, dt.date(YEAR, 1, 1))


def test_an_import_of_hours_recomputes_the_whole_organisation_in_fixed_queries(
    django_assert_max_num_queries,
):
    org, top = _organisation(people=3)
    cycle, _counts = _open(org)
    people = list(org.people.order_by("pk"))
    for person in people[:2]:
        EffectiveWork.objects.create(person=person, year=YEAR, hours_worked=Decimal("100"),
                                     source=WorkSource.IMPORTED)
    newcomer = factories.person(top, start_date=dt.date(YEAR, 2, 2))

    # 12, and 3 for the one audit event that sums the batch up (head, event, head).
    with django_assert_max_num_queries(15):
        services.participations_sync_for_organisation(org)

    exemptions = dict(Participation.objects.filter(cycle=cycle)
                      .values_list("person_id", "exemption"))
    assert exemptions == {
        people[0].pk: Exemption.TOO_FEW_HOURS, people[1].pk: Exemption.TOO_FEW_HOURS,
        people[2].pk: "", newcomer.pk: "",
    }


def test_sync_without_changes_writes_nothing(django_assert_num_queries):
    org, _top = _organisation(people=5)
    cycle, _counts = _open(org)
    rows = _rows(cycle)

    # Cycles, policy overrides, hours, absences, participations, people: no writes.
    with django_assert_num_queries(6):
        services.participations_sync_for_organisation(org)

    assert _rows(cycle) == rows


def test_absent_days_count_overlaps_once_and_leave_out_annual_leave():
    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    spans = [
        (AbsenceKind.SICKNESS, dt.date(YEAR - 1, 12, 20), dt.date(YEAR, 1, 10)),
        (AbsenceKind.CAREER_BREAK, dt.date(YEAR, 1, 5), dt.date(YEAR, 1, 20)),
        (AbsenceKind.ANNUAL_LEAVE, dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 31)),
        (AbsenceKind.PARENTAL_LEAVE, dt.date(YEAR, 12, 30), dt.date(YEAR + 1, 1, 31)),
    ]

    assert absent_days(spans, first, last) == 20 + 2


def test_inserting_participations_that_exist_already_skips_them():
    """What a second run working at the same time would do (COPY falls back on PostgreSQL)."""
    org, _top = _organisation(people=3)
    cycle, _counts = _open(org)
    first = _participation(cycle, org.people.order_by("pk").first())
    newcomer = factories.person(first.person.unit, start_date=dt.date(YEAR, 2, 2))
    values = {name: getattr(first, name) for name in COMPUTED_FIELDS}

    services.insert_participations(cycle, [(first.person_id, values), (newcomer.pk, values)])

    assert Participation.objects.filter(cycle=cycle).count() == 4
