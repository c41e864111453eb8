"""Erasing the personal parts of events keeps the chains valid; emptying them by hand
does not go unnoticed."""

import importlib
import types

import pytest
from django.apps import apps
from django.db import connection

from koers.audit import services as audit
from koers.audit.models import AuditChainHead, AuditEvent
from koers.core.models import User
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> tuple[str, object]:
    """Three events by a login on a record, and the organisation that keeps the accounts."""
    organisation = factories.organisation()
    record = factories.organisation()  # creating an organisation records no event
    user = User.objects.create_user(email="marc@example.test", password="x")
    for name in ("A", "B", "C"):
        audit.record(actor=user, action="policy.setting_changed", target=record,
                     changes={"name": [name, f"{name}2"], "manager": "Marc Vandamme"},
                     organisation_id=organisation.pk)
    return audit.chain_of(record), organisation


def _breaks() -> list[str]:
    return [str(found) for found in audit.verify().breaks]


def test_erased_parts_leave_a_chain_that_verifies(chain):
    name, organisation = chain

    emptied = audit.redact(chains=[name], actor=None, target=organisation,
                           organisation_id=organisation.pk)

    assert emptied == 6  # who and what of three events
    assert list(AuditEvent.objects.filter(chain=name).values_list(
        "actor_label", "actor_salt", "changes_salt")) == [("", "", "")] * 3
    assert [e.changes for e in AuditEvent.objects.filter(chain=name)] == [{}] * 3
    accounts = AuditEvent.objects.get(action="audit.redacted")
    assert accounts.changes["parts"] == 6
    assert _breaks() == []


def test_erasing_an_actor_keeps_what_they_did(chain):
    name, organisation = chain
    user = User.objects.get(email="marc@example.test")

    emptied = audit.redact(actor_ids=[user.pk], actor=None, target=organisation,
                           organisation_id=organisation.pk)

    assert emptied == 3
    event = AuditEvent.objects.get(chain=name, seq=2)
    assert (event.actor_label, event.actor_id, event.changes["name"]) == ("", user.pk,
                                                                         ["B", "B2"])
    assert _breaks() == []


def test_a_second_erasure_empties_nothing_more(chain):
    name, organisation = chain
    audit.redact(chains=[name], actor=None, target=organisation, organisation_id=organisation.pk)

    assert audit.redact(chains=[name], actor=None, target=organisation,
                        organisation_id=organisation.pk) == 0
    assert AuditEvent.objects.filter(action="audit.redacted").count() == 1
    assert audit.parts_to_redact(chains=[name]) == 0


def test_a_dry_run_counts_each_part_once(chain):
    name, organisation = chain
    user = User.objects.get(email="marc@example.test")

    counted = audit.parts_to_redact(chains=[name], actor_ids=[user.pk])

    assert counted == audit.redact(chains=[name], actor_ids=[user.pk], actor=None,
                                   target=organisation, organisation_id=organisation.pk) == 6


def test_changes_emptied_by_hand_are_found(chain):
    name, _organisation = chain
    AuditEvent.objects.filter(chain=name, seq=2).update(changes={})

    assert _breaks() == [
        f"broken: chain {name} at seq 2: altered (its content does not match its hash)"]


def test_a_part_emptied_in_the_name_of_a_run_nobody_recorded_is_found(chain):
    name, _organisation = chain
    AuditEvent.objects.filter(chain=name, seq=2).update(
        changes={}, changes_salt="", changes_redacted_in="f" * 32)

    assert _breaks() == [f"broken: chain {name} at seq 2: altered (emptied, but no erasure "
                         f"run {'f' * 32} was recorded)"]


def test_one_more_part_emptied_in_the_name_of_a_real_run_is_found(chain):
    name, organisation = chain
    audit.redact(actor_ids=[User.objects.get(email="marc@example.test").pk], actor=None,
                 target=organisation, organisation_id=organisation.pk)
    accounts = AuditEvent.objects.get(action="audit.redacted")
    run = accounts.changes["run"]
    AuditEvent.objects.filter(chain=name, seq=1).update(
        changes={}, changes_salt="", changes_redacted_in=run)

    assert _breaks() == [f"broken: chain {accounts.chain} at seq {accounts.seq}: altered "
                         f"(erasure run {run} recorded 3 emptied parts; 4 carry its name)"]


def test_an_erased_part_that_still_holds_data_is_found(chain):
    name, organisation = chain
    audit.redact(chains=[name], actor=None, target=organisation, organisation_id=organisation.pk)
    AuditEvent.objects.filter(chain=name, seq=3).update(changes={"name": ["X", "Y"]})

    assert _breaks() == [
        f"broken: chain {name} at seq 3: altered (its content does not match its hash)"]


def test_the_accounts_of_an_erasure_are_never_erased(chain):
    name, organisation = chain
    audit.redact(chains=[name], actor=None, target=organisation, organisation_id=organisation.pk)
    accounts = AuditEvent.objects.get(action="audit.redacted")

    audit.redact(chains=[accounts.chain], actor=None, target=organisation,
                 organisation_id=organisation.pk)

    accounts.refresh_from_db()
    assert accounts.changes["parts"] == 6
    assert _breaks() == []


def test_the_verifier_reads_heads_in_batches(chain, monkeypatch):
    monkeypatch.setattr(audit, "HEAD_BATCH", 1)
    organisation = factories.organisation()
    for _ in range(3):
        audit.record(actor=None, action="policy.setting_changed", target=organisation)
    AuditChainHead.objects.filter(chain=audit.chain_of(organisation)).update(last_seq=2)

    report = audit.verify()

    assert [b.chain for b in report.breaks] == [audit.chain_of(organisation)]
    assert report.chains == AuditChainHead.objects.count()


def test_the_migration_hashes_existing_events_again(chain):
    """Events of the earlier format (no digests) verify after the migration."""
    name, _organisation = chain
    AuditEvent.objects.update(actor_salt="", actor_digest="", changes_salt="",
                              changes_digest="", hash="0" * 64, prev_hash="0" * 64)
    assert _breaks() != []
    migration = importlib.import_module("koers.audit.migrations.0002_part_digests")

    migration.rehash(apps, types.SimpleNamespace(connection=connection))

    assert _breaks() == []
    assert AuditEvent.objects.get(chain=name, seq=1).changes["manager"] == "Marc Vandamme"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="workers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_workers_find_what_one_pass_finds():
    organisations = [factories.organisation() for _ in range(12)]
    for organisation in organisations:
        for n in range(3):
            audit.record(actor=None, action="policy.setting_changed", target=organisation,
                         changes={"n": n})
    broken = audit.chain_of(organisations[7])
    AuditEvent.objects.filter(chain=broken, seq=2).update(changes={"n": 9})

    alone, side_by_side = audit.verify(), audit.verify(workers=3)

    assert (side_by_side.events, side_by_side.chains) == (alone.events, alone.chains)
    assert [str(b) for b in side_by_side.breaks] == [str(b) for b in alone.breaks]
    assert [b.chain for b in alone.breaks] == [broken]
