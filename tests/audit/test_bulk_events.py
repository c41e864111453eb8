"""Bulk writes record one summary event per batch (who, what, counts), never one per row."""

import datetime as dt

import pytest

from koers.audit import services as audit
from koers.audit.models import AuditEvent
from koers.core import clock
from koers.core.models import User
from koers.cycles import services as cycles
from koers.cycles.models import Participation
from koers.organisation import importing
from koers.organisation import services as organisation_services
from koers.organisation.models import ImportKind
from tests import factories, personas

pytestmark = pytest.mark.django_db

YEAR = 2026
NOON = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
HEADER = ("employee_number;first_name;last_name;email;language;unit_code;job_title;grade;rank;"
          "start_date;end_date;working_time_fraction;employment_status;salary_system;"
          "probation_end_date")


def _row(number: str) -> str:
    return f"{number};An;Peeters;{number}@example.test;nl;HR;Adviser;A1;;2020-01-06;;1;" \
           "statutory;;"


def test_an_import_records_one_event_with_its_counts():
    organisation = factories.organisation()
    top = organisation_services.unit_create(organisation=organisation, code="ORG", name="Stad")
    organisation_services.unit_create(organisation=organisation, code="HR", name="HR",
                                      parent=top)
    actor = User.objects.create_user(email="hr@example.test", password="x")
    content = "\r\n".join([HEADER, *(_row(f"E{n}") for n in range(5))]).encode()

    importing.apply(organisation=organisation, kind=ImportKind.PEOPLE, content=content,
                    actor=actor)
    importing.apply(organisation=organisation, kind=ImportKind.PEOPLE, content=content,
                    actor=actor)

    events = AuditEvent.objects.filter(action="import.applied").order_by("seq")
    assert [(e.actor_id, e.chain, e.changes) for e in events] == [
        (actor.pk, audit.chain_of(organisation),
         {"kind": "people", "created": 5, "updated": 0, "unchanged": 0, "kept": 0}),
        (actor.pk, audit.chain_of(organisation),
         {"kind": "people", "created": 0, "updated": 0, "unchanged": 5, "kept": 0}),
    ]
    assert not AuditEvent.objects.filter(target_type="organisation.person").exists()


def test_a_refused_import_records_nothing():
    organisation = factories.organisation()
    actor = User.objects.create_user(email="hr@example.test", password="x")
    content = "\r\n".join([HEADER, _row("E1")]).encode()  # no unit HR

    report = importing.apply(organisation=organisation, kind=ImportKind.PEOPLE,
                             content=content, actor=actor)

    assert not report.ok
    assert not AuditEvent.objects.filter(action="import.applied").exists()


def test_filling_a_cycle_records_one_event_per_batch():
    p = personas.build()
    organisation = p.employee.organisation
    with clock.frozen(NOON):
        cycle = cycles.cycle_open(organisation=organisation, year=YEAR, actor=p.hr.user,
                                  background=False)
        cycles.cycle_fill(cycle=cycle, batch_size=5)

    people = Participation.objects.filter(cycle=cycle).count()
    events = list(AuditEvent.objects.filter(chain=audit.chain_of(cycle)).order_by("seq"))
    added = [e for e in events if e.action == "cycle.participations_added"]
    assert events[0].action == "cycle.opened"
    assert len(added) == -(-people // 5)
    assert sum(e.changes["participations"] for e in added) == people
    assert added[-1].changes["done"] == added[-1].changes["total"]
    assert audit.verify().breaks == []


def test_syncing_an_organisation_records_one_event_per_cycle():
    p = personas.build()
    organisation = p.employee.organisation
    with clock.frozen(NOON):
        cycle = cycles.cycle_open(organisation=organisation, year=YEAR, actor=None,
                                  background=False)
        cycles.cycle_fill(cycle=cycle)
        Participation.objects.filter(cycle=cycle).update(planning_due=None)

        cycles.participations_sync_for_organisation(organisation, actor=p.hr.user)
        cycles.participations_sync_for_organisation(organisation, actor=p.hr.user)

    synced = AuditEvent.objects.filter(action="cycle.participations_synced")
    count = Participation.objects.filter(cycle=cycle).count()
    assert [(e.actor_id, e.changes) for e in synced] == [
        (p.hr.user_id, {"created": 0, "updated": count})]


def test_syncing_one_person_records_it_in_their_history():
    p = personas.build()
    organisation = p.employee.organisation
    with clock.frozen(NOON):
        cycle = cycles.cycle_open(organisation=organisation, year=YEAR, actor=None,
                                  background=False)
        cycles.cycle_fill(cycle=cycle)
        person = organisation_services.person_save(
            organisation=organisation, person=p.employee, end_date=dt.date(2026, 6, 30),
            actor=p.hr.user)
        cycles.participation_sync(person=person, actor=p.hr.user)

    event = AuditEvent.objects.filter(chain=audit.chain_of(p.employee)).latest("seq")
    assert (event.action, event.actor_id, event.changes) == (
        "participation.synced", p.hr.user_id, {"cycle": YEAR, "created": 0, "updated": 1})
