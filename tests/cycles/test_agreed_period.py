"""The agreed period ([f1]): HR records it, every later computation keeps it, the due
dates follow it, and refused input changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from koers.audit.models import AuditEvent
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.cycles import services
from koers.cycles.models import CycleState, Participation
from koers.cycles.services import COMPUTED_FIELDS, DUE_FIELDS
from koers.organisation import services as organisation_services
from koers.organisation.models import EffectiveWork, PolicyPreset, WorkSource
from koers.rulebook.calendar import add_months
from koers.rulebook.deadlines import Period, cycle_due_dates
from koers.rulebook.policy import policy_for
from koers.rulebook.services import policy_settings_change
from tests import factories

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = 2026
OCTOBER_15 = D(YEAR - 1, 10, 15)
NOTE = "Agreed with the employee and the 1st evaluator on 12 January 2026."


@pytest.fixture
def hr():
    return User.objects.create_user(email="hr@example.test")


def _open(org, year):
    cycle = services.cycle_open(organisation=org, year=year, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    return cycle


def _newcomer(preset=PolicyPreset.FLEMISH, start_date=None):
    """Started in mid-October of the year before: too few hours for that year [f1][f6]."""
    org = factories.organisation(preset=preset)
    person = factories.person(factories.unit(org), start_date=start_date or OCTOBER_15)
    return org, person


def _row(cycle, person):
    return Participation.objects.get(cycle=cycle, person=person)


def _agree(participation, start, end, actor, note=NOTE):
    return services.participation_period_agree(
        participation=participation, start=start, end=end, note=note, actor=actor)


def _dues(row):
    return {due: getattr(row, field) for due, field in DUE_FIELDS.items()}


def _snapshot(row):
    row.refresh_from_db()
    return [getattr(row, name) for name in (
        *COMPUTED_FIELDS, "agreed_period_start", "agreed_period_end", "period_agreement_note",
        "period_agreed_by_id", "period_agreed_at")]


def test_the_flemish_newcomer_is_evaluated_over_fifteen_months(hr):
    org, person = _newcomer()
    previous, cycle = _open(org, YEAR - 1), _open(org, YEAR)
    assert _row(previous, person).exemption == "too_few_hours"

    saved = _agree(_row(cycle, person), OCTOBER_15, D(YEAR, 12, 31), hr)

    row = _row(cycle, person)
    assert (row.period_start, row.period_end) == (OCTOBER_15, D(YEAR, 12, 31))
    assert (row.agreed_period_start, row.agreed_period_end) == (row.period_start, row.period_end)
    assert (row.period_agreement_note, row.period_agreed_by) == (NOTE, hr)
    assert row.period_agreed_at is not None
    assert saved.period_start == row.period_start
    # The hours of the calendar year decide, as before; the months cover the agreed period.
    assert (row.evaluation_required, row.hours_source) == (True, WorkSource.ESTIMATED)
    assert row.months_employed == 14
    # The window and the signature days stay with the cycle year: the end did not move.
    policy = policy_for(org)
    assert _dues(row) == {due: cycle_due_dates(
        policy, year=YEAR, period=Period(OCTOBER_15, D(YEAR, 12, 31)),
        probation_end=None).get(due) for due in DUE_FIELDS}
    assert row.evaluation_window_opens == D(YEAR, 12, 1)
    assert (row.first_signature_due, row.second_signature_due) == (
        D(YEAR + 1, 3, 15), D(YEAR + 1, 3, 31))
    # Planning within the first three months of the period [f8].
    assert row.planning_due == D(YEAR, 1, 14)
    event = AuditEvent.objects.get(action="participation.period_agreed")
    assert (event.actor_id, event.changes["agreed_period_start"]) == (
        hr.pk, [None, "2025-10-15"])


def test_every_later_sync_keeps_the_agreement(hr):
    org, person = _newcomer()
    cycle = _open(org, YEAR)
    _agree(_row(cycle, person), D(YEAR - 1, 11, 1), D(YEAR, 12, 31), hr)
    agreed = (D(YEAR - 1, 11, 1), D(YEAR, 12, 31))

    # The person is saved …
    organisation_services.person_save(organisation=org, person=person, job_title="Expert")
    services.participation_sync(person=person)
    assert (_row(cycle, person).period_start, _row(cycle, person).period_end) == agreed
    # … hours are imported …
    EffectiveWork.objects.create(person=person, year=YEAR, hours_worked=Decimal("300"),
                                 source=WorkSource.IMPORTED)
    services.participations_sync_for_organisation(org)
    row = _row(cycle, person)
    assert (row.period_start, row.period_end, row.exemption) == (*agreed, "too_few_hours")
    # … and the policy changes: the agreement stays.
    policy_settings_change(organisation=org, values={"minimum_hours": Decimal(200)}, actor=hr)
    services.participations_sync_for_organisation(org)
    row = _row(cycle, person)
    assert (row.period_start, row.period_end, row.evaluation_required) == (*agreed, True)
    assert row.planning_due == D(YEAR, 1, 31)


def test_a_sync_without_changes_writes_nothing_with_an_agreement_either(
    hr, django_assert_num_queries
):
    org, person = _newcomer()
    for _ in range(3):
        factories.person(person.unit)
    cycle = _open(org, YEAR)
    _agree(_row(cycle, person), D(YEAR - 1, 10, 1), D(YEAR, 12, 31), hr)
    before = _snapshot(_row(cycle, person))

    # Cycles, policy overrides, hours, absences, participations, people: no writes.
    with django_assert_num_queries(6):
        services.participations_sync_for_organisation(org)

    assert _snapshot(_row(cycle, person)) == before


@pytest.mark.parametrize("preset", [PolicyPreset.FEDERAL, PolicyPreset.DUTCH_MUNICIPAL])
def test_due_dates_follow_the_agreed_period_where_the_maximum_was_raised(hr, preset):
    org, person = _newcomer(preset, start_date=D(2011, 10, 3))
    policy_settings_change(organisation=org, values={"maximum_period_months": 15}, actor=hr)
    cycle = _open(org, YEAR)
    row = _row(cycle, person)
    agreed = Period(row.period_start, add_months(row.period_end, 3))

    _agree(row, agreed.start, agreed.end, hr)

    row.refresh_from_db()
    policy = policy_for(org)
    assert (row.period_start, row.period_end) == (agreed.start, agreed.end)
    assert _dues(row) == {due: cycle_due_dates(
        policy, year=YEAR, period=agreed, probation_end=None).get(due) for due in DUE_FIELDS}
    assert row.evaluation_due == agreed.end
    assert row.months_employed == 15
    if preset == PolicyPreset.FEDERAL:  # lapses 3 months after the agreed end [b2]
        assert (agreed.end, row.evaluation_lapses) == (D(YEAR + 2, 1, 2), D(YEAR + 2, 4, 2))
    else:  # the progress conversation halfway through the agreed period (Heemstede)
        assert (agreed.end, row.halfway_progress_due) == (D(YEAR + 1, 3, 31), D(YEAR, 8, 16))


def test_the_months_rule_counts_the_agreed_period(hr):
    org, person = _newcomer(PolicyPreset.DUTCH_MUNICIPAL, start_date=D(YEAR - 1, 11, 1))
    policy_settings_change(organisation=org, values={"maximum_period_months": 15}, actor=hr)
    previous, cycle = _open(org, YEAR - 1), _open(org, YEAR)
    assert (_row(previous, person).months_employed, _row(previous, person).exemption) == (
        2, "too_few_months")

    _agree(_row(cycle, person), D(YEAR - 1, 11, 1), D(YEAR, 12, 31), hr)

    assert _row(cycle, person).months_employed == 14


def test_clearing_returns_to_the_normal_period_and_its_due_dates(hr):
    org, person = _newcomer()
    cycle = _open(org, YEAR)
    normal = _snapshot(_row(cycle, person))
    _agree(_row(cycle, person), D(YEAR - 1, 10, 1), D(YEAR, 12, 31), hr)

    services.participation_period_agree(participation=_row(cycle, person), start=None,
                                        end=None, note="", actor=hr)

    assert _snapshot(_row(cycle, person)) == normal
    assert AuditEvent.objects.filter(
        action="participation.period_agreement_cleared", actor_id=hr.pk).count() == 1


def test_the_same_agreement_again_records_nothing(hr):
    org, person = _newcomer()
    cycle = _open(org, YEAR)
    _agree(_row(cycle, person), D(YEAR - 1, 10, 1), D(YEAR, 12, 31), hr)
    before = _snapshot(_row(cycle, person))

    _agree(_row(cycle, person), D(YEAR - 1, 10, 1), D(YEAR, 12, 31), hr, note=f" {NOTE} ")

    assert _snapshot(_row(cycle, person)) == before
    assert AuditEvent.objects.filter(target_type="cycles.participation").count() == 1


@pytest.mark.parametrize(("preset", "start", "end", "note", "field"), [
    # Flanders: more than 15 months, an end moved, or a shortened period.
    (PolicyPreset.FLEMISH, D(YEAR - 1, 9, 30), D(YEAR, 12, 31), NOTE, "period"),
    (PolicyPreset.FLEMISH, D(YEAR, 1, 1), D(YEAR + 1, 3, 31), NOTE, "period"),
    (PolicyPreset.FLEMISH, D(YEAR, 2, 1), D(YEAR, 12, 31), NOTE, "period"),
    # Federal and Dutch without a raised maximum: no stretch at all.
    (PolicyPreset.DUTCH_MUNICIPAL, D(YEAR - 1, 12, 1), D(YEAR, 12, 31), NOTE, "period"),
    # One day without the other, or no note.
    (PolicyPreset.FLEMISH, D(YEAR - 1, 10, 1), None, NOTE, "end"),
    (PolicyPreset.FLEMISH, None, D(YEAR, 12, 31), NOTE, "start"),
    (PolicyPreset.FLEMISH, D(YEAR - 1, 10, 1), D(YEAR, 12, 31), "  ", "note"),
])
def test_refused_input_changes_nothing(hr, preset, start, end, note, field):
    org, person = _newcomer(preset)
    cycle = _open(org, YEAR)
    row = _row(cycle, person)
    before = _snapshot(row)

    with pytest.raises(ValidationFailed) as refused:
        _agree(row, start, end, hr, note=note)

    assert list(refused.value.errors) == [field]
    assert _snapshot(row) == before
    assert not AuditEvent.objects.filter(target_type="cycles.participation").exists()


def test_an_agreement_is_checked_against_the_person_own_federal_period(hr):
    org, person = _newcomer(PolicyPreset.FEDERAL, start_date=D(2011, 10, 3))
    cycle = _open(org, YEAR)

    with pytest.raises(ValidationFailed) as refused:
        _agree(_row(cycle, person), D(YEAR, 9, 3), D(YEAR + 1, 10, 2), hr)

    (message,) = refused.value.errors["period"]
    assert "12 maanden" in message


def test_a_closed_participation_keeps_its_period(hr):
    org, person = _newcomer()
    leaver = factories.person(person.unit, end_date=D(YEAR, 6, 30))
    cycle = _open(org, YEAR)

    with pytest.raises(ValidationFailed, match="afgesloten"):
        _agree(_row(cycle, leaver), D(YEAR - 1, 10, 1), D(YEAR, 12, 31), hr)

    cycle.state = CycleState.CLOSED
    cycle.save(update_fields=["state"])
    with pytest.raises(ValidationFailed, match="afgesloten"):
        _agree(_row(cycle, person), D(YEAR - 1, 10, 1), D(YEAR, 12, 31), hr)
    assert Participation.objects.filter(cycle=cycle, agreed_period_start__isnull=False).count() \
        == 0


def test_the_database_refuses_half_an_agreed_period():
    org, person = _newcomer()
    cycle = _open(org, YEAR)

    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.filter(cycle=cycle, person=person).update(
            agreed_period_end=D(YEAR, 12, 31))
