"""The audit trail: events are chained per record, and any tampering is found."""

import datetime as dt
import hashlib
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from koers.audit import services as audit
from koers.audit.actions import UnknownAction
from koers.audit.models import AuditChainHead, AuditEvent
from koers.core.models import User
from koers.organisation import services
from koers.organisation.models import Organisation, Person, WorkSource
from tests import factories, personas

pytestmark = pytest.mark.django_db

real_concurrency = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database (run on PostgreSQL)"
)


# The fields ``event_hash`` takes: all but the payload, which enters through its digest.
HASHED = ("chain", "seq", "actor_id", "actor_kind", "actor_digest", "organisation_id", "action",
          "target_type", "target_id", "changes_digest", "created_at", "prev_hash")


def _three_events(target: Organisation, actor: User | None = None) -> str:
    """Three events on a record that has none yet (creating an organisation records none)."""
    for name in ("A1", "A2", "A3"):
        audit.record(actor=actor, action="policy.setting_changed", target=target,
                     changes={"name": [target.name, name]}, organisation_id=target.pk)
    return audit.chain_of(target)


def _breaks() -> list[str]:
    return [str(found) for found in audit.verify().breaks]


def test_events_chain_and_verify():
    chain = _three_events(factories.organisation())
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert events[0].actor_kind == "system"
    assert events[0].actor_label == "system"
    report = audit.verify()
    assert report.breaks == []
    assert report.events == AuditEvent.objects.count()


def test_an_unknown_action_is_refused():
    unit = factories.unit(factories.organisation())
    with pytest.raises(UnknownAction):
        audit.record(actor=None, action="unit.renamed", target=unit)


def test_the_hash_covers_decimals_and_dates_canonically():
    assert audit.canonical({"b": Decimal("1.50"), "a": None}) == b'{"a":null,"b":"1.50"}'


_text = st.text(max_size=40)
_json = st.recursive(st.none() | st.booleans() | st.integers() | _text,
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_text, inner, max_size=3), max_leaves=8)


@given(chain=_text, seq=st.integers(1, 10**12), actor_id=st.none() | st.integers(1, 10**9),
       organisation_id=st.none() | st.integers(1, 10**9), words=st.lists(_text, min_size=6,
                                                                       max_size=6),
       moment=st.datetimes(timezones=st.just(dt.UTC)))
def test_the_hand_written_hash_text_is_the_canonical_json(chain, seq, actor_id, organisation_id,
                                                          words, moment):
    fields = dict(chain=chain, seq=seq, actor_id=actor_id, actor_kind=words[0],
                  actor_digest=words[1], organisation_id=organisation_id, action=words[2],
                  target_type=words[3], target_id=words[4], changes_digest=words[5],
                  created_at=moment, prev_hash=words[0])

    assert audit.event_hash(**fields) == hashlib.sha256(audit.canonical(fields)).hexdigest()


@given(salt=_text, value=_json)
def test_the_hand_written_part_digest_is_the_canonical_json(salt, value):
    assert audit.part_digest(salt=salt, value=value) == hashlib.sha256(
        audit.canonical({"salt": salt, "value": value})).hexdigest()


def test_an_altered_event_is_detected():
    chain = _three_events(factories.organisation())
    AuditEvent.objects.filter(chain=chain, seq=2).update(changes={"name": ["x", "y"]})
    assert _breaks() == [
        f"broken: chain {chain} at seq 2: altered (its content does not match its hash)"
    ]


def test_an_altered_event_with_a_recomputed_hash_breaks_the_next_link():
    chain = _three_events(factories.organisation())
    event = AuditEvent.objects.get(chain=chain, seq=2)
    digest = audit.part_digest(salt=event.actor_salt, value="somebody else")
    fields = {name: getattr(event, name) for name in HASHED}
    fields["actor_digest"] = digest
    AuditEvent.objects.filter(pk=event.pk).update(
        actor_label="somebody else", actor_digest=digest, hash=audit.event_hash(**fields))
    assert [b.seq for b in audit.verify().breaks] == [3]
    assert audit.verify().breaks[0].kind == "altered"


def test_a_deleted_event_is_detected():
    chain = _three_events(factories.organisation())
    AuditEvent.objects.filter(chain=chain, seq=2).delete()
    assert _breaks() == [f"broken: chain {chain} at seq 2: missing (the next event is seq 3)"]


def test_a_deleted_last_event_is_detected_by_the_head():
    chain = _three_events(factories.organisation())
    AuditEvent.objects.filter(chain=chain, seq=3).delete()
    assert _breaks() == [
        f"broken: chain {chain} at seq 3: missing (the head says the chain ends at seq 3)"
    ]


def test_a_deleted_chain_is_detected_by_its_head():
    chain = _three_events(factories.organisation())
    AuditEvent.objects.filter(chain=chain).delete()
    assert _breaks() == [f"broken: chain {chain} at seq 1: missing (no events; the head says 3)"]


def test_an_inserted_event_is_detected():
    chain = _three_events(factories.organisation())
    last = AuditEvent.objects.get(chain=chain, seq=3)
    forged = {name: getattr(last, name) for name in HASHED}
    forged.update(seq=4, prev_hash=last.hash)
    AuditEvent.objects.create(**forged, actor_label=last.actor_label, changes=last.changes,
                              actor_salt=last.actor_salt, changes_salt=last.changes_salt,
                              hash=audit.event_hash(**forged))
    assert _breaks() == [
        f"broken: chain {chain} at seq 4: inserted (the head says the chain ends at seq 3)"
    ]


def test_an_event_in_a_chain_without_head_is_an_insertion():
    chain = _three_events(factories.organisation())
    AuditChainHead.objects.filter(chain=chain).delete()
    assert [(b.chain, b.seq, b.kind) for b in audit.verify().breaks] == [(chain, 1, "inserted")]


def test_an_anchor_catches_both_tables_rewritten():
    organisation = factories.organisation()
    chain = _three_events(organisation)
    anchor = list(audit.anchor_lines(chain=chain))
    AuditEvent.objects.filter(chain=chain).delete()
    AuditChainHead.objects.filter(chain=chain).delete()
    _three_events(organisation)  # a consistent rewrite: verify alone cannot tell
    assert audit.verify().breaks == []
    assert [b.kind for b in audit.check_anchor(anchor)] == ["altered"]


def test_record_joins_the_callers_transaction():
    organisation = factories.organisation()

    def change_then_fail() -> None:
        with transaction.atomic():
            _three_events(organisation)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert AuditEvent.objects.filter(chain=audit.chain_of(organisation)).count() == 0


def test_person_save_records_the_grade_before_and_after():
    p = personas.build()
    actor = p.hr.user
    assert actor is not None
    person = p.employee
    old = person.grade
    services.person_save(organisation=person.organisation, person=person, grade="B3",
                         actor=actor)
    event = AuditEvent.objects.filter(chain=audit.chain_of(person)).order_by("-seq").first()
    assert event is not None
    assert event.action == "person.changed"
    assert event.changes == {"grade": [old, "B3"]}
    assert event.actor_id == actor.pk
    assert event.actor_kind == "user"


def test_services_without_actor_record_the_system():
    org = factories.organisation()
    top = factories.unit(org)
    unit = services.unit_create(organisation=org, code="X1", name="Nieuw", parent=top)
    services.unit_update(unit=unit, code="X1", name="Hernoemd", parent=top, manager=None)
    chain = audit.chain_of(unit)
    services.unit_delete(unit=unit)
    events = list(AuditEvent.objects.filter(chain=chain)
                  .order_by("seq").values_list("action", "actor_kind", "changes"))
    assert [(a, k) for a, k, _c in events] == [
        ("unit.created", "system"), ("unit.changed", "system"), ("unit.deleted", "system")]
    assert events[1][2] == {"name": ["Nieuw", "Hernoemd"]}
    assert audit.verify().breaks == []


def test_an_hr_correction_of_hours_goes_to_the_persons_history():
    p = personas.build()
    services.effective_work_record(person=p.employee, year=2025, hours_worked=Decimal("1200"),
                                   source=WorkSource.CORRECTED, updated_by=p.hr.user)
    event = AuditEvent.objects.get(chain=audit.chain_of(p.employee),
                                   action="effective_work.corrected")
    assert event.changes["hours_worked"][1] == "1200.00"
    assert event.changes["source"][1] == "corrected"


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_writers_on_different_chains_do_not_wait_for_each_other():
    org = factories.organisation()
    first = factories.unit(org)
    second = factories.unit(org, first, name="Tweede")
    holding = threading.Event()
    waited: list[float] = []

    def hold_first_chain() -> None:
        try:
            with transaction.atomic():
                audit.record(actor=None, action="unit.changed", target=first)
                holding.set()
                time.sleep(1.0)  # the lock on the first chain's head is held meanwhile
        finally:
            connection.close()

    def write_second_chain() -> None:
        try:
            holding.wait(5)
            started = time.perf_counter()
            with transaction.atomic():
                audit.record(actor=None, action="unit.changed", target=second)
            waited.append(time.perf_counter() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_first_chain),
               threading.Thread(target=write_second_chain)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(waited) == 1
    assert waited[0] < 0.5
    assert audit.verify().breaks == []


@real_concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_one_chain_queue_instead_of_forking():
    organisation = factories.organisation()
    barrier = threading.Barrier(4)

    def write() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                audit.record(actor=None, action="policy.setting_changed", target=organisation)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    chain = audit.chain_of(organisation)
    assert list(AuditEvent.objects.filter(chain=chain).order_by("seq")
                .values_list("seq", flat=True)) == list(range(1, 21))
    assert audit.verify().breaks == []


def test_person_rows_do_not_share_a_chain():
    p = personas.build()
    assert audit.chain_of(p.employee) != audit.chain_of(p.colleague)
    assert audit.chain_of(p.employee) == f"organisation.person:{p.employee.pk}"
    assert isinstance(p.employee, Person)
