"""A keyed audit trail: its hashes are HMACs with a key kept outside the database, so
whoever can write every table but lacks the key cannot rewrite a chain that verifies
(docs/audit.md, "Keys" and "Anchors")."""

import hashlib
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from koers.audit import keys
from koers.audit import services as audit
from koers.audit.models import AuditChainHead, AuditEvent
from koers.audit.tasks import write_anchor_task
from tests import factories

pytestmark = pytest.mark.django_db

K1 = "k2026:" + "1" * 40
K2 = "k2027:" + "2" * 40


@pytest.fixture
def keyed(settings):
    """Set KOERS_AUDIT_KEYS for the test: ``keyed("k:…,…")``."""

    def use(value: str) -> None:
        settings.KOERS_AUDIT_KEYS = value
        keys.configured.cache_clear()

    yield use
    keys.configured.cache_clear()


def _events(target, count: int = 3) -> str:
    for n in range(count):
        audit.record(actor=None, action="policy.setting_changed", target=target,
                     changes={"n": [n, n + 1]}, organisation_id=target.pk)
    return audit.chain_of(target)


def _fields(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in (
        "chain", "seq", "actor_id", "actor_kind", "actor_digest", "organisation_id", "action",
        "target_type", "target_id", "changes_digest", "created_at", "prev_hash")}


def _rewrite(chain: str, *, key_id: str, sign) -> None:
    """Change the first event's action and recompute every hash and the head, as someone
    with write access to both tables would, hashing with ``sign``."""
    prev = audit.GENESIS
    for event in AuditEvent.objects.filter(chain=chain).order_by("seq"):
        if event.seq == 1:
            event.action = "cycle.opened"
        event.prev_hash, event.key_id = prev, key_id
        event.hash = sign({**_fields(event), "prev_hash": prev})
        event.save()
        prev = event.hash
    AuditChainHead.objects.filter(chain=chain).update(last_hash=prev)


def test_with_a_key_every_event_is_signed_and_verifies(keyed):
    keyed(K1)
    chain = _events(factories.organisation())

    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    assert {event.key_id for event in events} == {"k2026"}
    # The hash is the HMAC, not the plain SHA-256 of the same fields.
    assert events[0].hash != audit.event_hash(**_fields(events[0]))
    assert events[0].hash == audit.event_hash(**_fields(events[0]), key_id="k2026")
    assert audit.verify().breaks == []


def test_a_rewrite_without_the_key_is_found_however_consistent(keyed):
    keyed(K1)
    chain = _events(factories.organisation())

    # Plain SHA-256, as the trail had before keys: the downgrade is refused.
    _rewrite(chain, key_id="", sign=lambda fields: audit.event_hash(**fields))
    [found] = audit.verify().breaks
    assert (found.chain, found.seq, found.kind) == (chain, 1, "altered")
    assert "not signed" in found.detail

    # A guessed key under the real key's name: the HMAC does not match.
    _rewrite(chain, key_id="k2026", sign=lambda fields: hashlib.sha256(
        repr(fields).encode()).hexdigest())
    [found] = audit.verify().breaks
    assert (found.seq, found.kind, found.detail) == (1, "altered",
                                                    "its content does not match its hash")


def test_a_rotation_is_recorded_in_the_chain_and_both_keys_verify(keyed):
    organisation = factories.organisation()
    keyed(K1)
    chain = _events(organisation, 2)
    keyed(f"{K2},{K1}")  # the new key first, the old one kept
    _events(organisation, 2)

    assert list(AuditEvent.objects.filter(chain=chain).order_by("seq")
                .values_list("key_id", flat=True)) == ["k2026", "k2026", "k2027", "k2027"]
    assert audit.verify().breaks == []

    keyed(K2)  # the old key dropped: what it signed can no longer be vouched for
    [found] = audit.verify().breaks
    assert (found.chain, found.seq, found.kind) == (chain, 1, "altered")
    assert "key k2026, which is not configured" in found.detail


def test_old_events_are_signed_once_the_trail_gets_its_key(keyed):
    organisation = factories.organisation()
    chain = _events(organisation)
    before = list(AuditEvent.objects.filter(chain=chain).order_by("seq").values_list(
        "action", "changes", "created_at"))
    keyed(K1)
    assert {b.seq for b in audit.verify().breaks if b.chain == chain} == {1}

    out = io.StringIO()
    call_command("audit-rekey", stdout=out)

    assert out.getvalue().startswith("signed: ")
    assert audit.verify().breaks == []
    events = AuditEvent.objects.filter(chain=chain).order_by("seq")
    assert {event.key_id for event in events} == {"k2026"}
    assert list(events.values_list("action", "changes", "created_at")) == before
    assert AuditChainHead.objects.get(chain=chain).last_hash == events.last().hash
    # New events continue the signed chain.
    _events(organisation, 1)
    assert audit.verify().breaks == []


def test_a_broken_trail_is_not_signed(keyed):
    organisation = factories.organisation()
    chain = _events(organisation)
    AuditEvent.objects.filter(chain=chain, seq=2).update(action="cycle.opened")
    keyed(K1)
    with pytest.raises(ValueError, match="the trail is broken"):
        audit.rekey()
    assert not AuditEvent.objects.exclude(key_id="").exists()


def test_a_signed_anchor_proves_the_past_and_cannot_be_forged(keyed, tmp_path):
    keyed(K1)
    organisation = factories.organisation()
    chain = _events(organisation)
    anchor = list(audit.anchor_lines())
    assert anchor[0] == audit.ANCHOR_FORMAT
    assert anchor[2] == "key k2026"
    assert anchor[-1].startswith("signature ")
    assert audit.check_anchor(anchor) == []

    # Someone who deletes the record's whole chain and head, and edits the anchor to match.
    AuditEvent.objects.filter(chain=chain).delete()
    AuditChainHead.objects.filter(chain=chain).delete()
    assert audit.verify().breaks == []
    assert [b.kind for b in audit.check_anchor(anchor)] == ["missing"]
    forged = [line for line in anchor if not line.startswith(chain)]
    [found] = audit.check_anchor(forged)
    assert (found.chain, found.kind) == ("(anchor)", "altered")
    assert "signature does not match" in found.detail
    unsigned = [line for line in anchor if not line.startswith(("signature", "key"))]
    assert "not signed" in audit.check_anchor(unsigned)[0].detail


def test_the_daily_anchor_goes_into_its_folder(keyed, settings, tmp_path):
    keyed(K1)
    _events(factories.organisation())
    settings.KOERS_AUDIT_ANCHOR_DIR = str(tmp_path)

    result = write_anchor_task.call()

    [written] = tmp_path.iterdir()
    assert result == {"chains": AuditChainHead.objects.count(), "file": written.name}
    assert written.name.startswith("audit-anchor-")
    assert audit.check_anchor(written.read_text().splitlines()) == []

    settings.KOERS_AUDIT_ANCHOR_DIR = ""
    assert write_anchor_task.call() == {"chains": 0, "file": ""}


@pytest.mark.parametrize(("value", "message"), [
    ("k1:short", "fewer than 32"),
    ("bad id!:" + "x" * 40, "id:secret"),
    ("no-secret", "id:secret"),
    (f"{K1},{K1}", "listed twice"),
])
def test_a_key_setting_that_cannot_sign_stops_the_start(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        keys.parse(value)


def test_the_first_key_signs_and_the_others_verify():
    parsed = keys.parse(f"{K2}\n{K1}\n")
    assert parsed.current == "k2027"
    assert set(parsed.secrets) == {"k2026", "k2027"}
    assert not keys.parse("")
