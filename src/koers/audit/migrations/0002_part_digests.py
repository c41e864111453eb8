"""The hash covers a salted digest of each personal part (actor label, changes), not the
parts themselves.

So retention can erase either part of an event and leave a chain that still verifies
(docs/audit.md). Existing events get a salt and a digest, and every chain is hashed
again in order with the new formula: an anchor taken before this migration no longer
matches, so take a new one right after it.
"""

import datetime as dt
import hashlib
import json
import secrets
from decimal import Decimal
from typing import Any

from django.db import migrations, models

GENESIS = "0" * 64
BATCH = 2000


# The formula as this migration introduced it (frozen here: services.py may move on).
def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(
        _plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")).hexdigest()


def rehash(apps: Any, schema_editor: Any) -> None:
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    chain, prev = None, GENESIS
    events: list[Any] = []
    heads: list[Any] = []

    def flush() -> None:
        event_model.objects.bulk_update(
            events, ["actor_salt", "actor_digest", "changes_salt", "changes_digest",
                     "prev_hash", "hash"], batch_size=BATCH)
        head_model.objects.bulk_update(heads, ["last_hash"], batch_size=BATCH)
        events.clear()
        heads.clear()

    def end_chain() -> None:
        if chain is not None:
            heads.append(head_model(chain=chain, last_hash=prev))

    ordered = event_model.objects.order_by("chain", "seq")
    # PostgreSQL streams from a snapshot; SQLite must not be read while its rows change.
    rows = (ordered.iterator(chunk_size=BATCH) if schema_editor.connection.vendor == "postgresql"
            else list(ordered))
    for event in rows:
        if event.chain != chain:
            end_chain()
            chain, prev = event.chain, GENESIS
        event.actor_salt, event.changes_salt = secrets.token_hex(16), secrets.token_hex(16)
        event.actor_digest = _digest({"salt": event.actor_salt, "value": event.actor_label})
        event.changes_digest = _digest({"salt": event.changes_salt, "value": event.changes})
        event.prev_hash = prev
        event.hash = _digest({
            "chain": event.chain, "seq": event.seq, "actor_id": event.actor_id,
            "actor_kind": event.actor_kind, "actor_digest": event.actor_digest,
            "organisation_id": event.organisation_id, "action": event.action,
            "target_type": event.target_type, "target_id": event.target_id,
            "changes_digest": event.changes_digest, "created_at": event.created_at,
            "prev_hash": prev,
        })
        prev = event.hash
        events.append(event)
        if len(events) >= BATCH:
            flush()
    end_chain()
    flush()


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        *(migrations.AddField(model_name="auditevent", name=name,
                              field=models.CharField(blank=True, max_length=32))
          for name in ("actor_salt", "changes_salt", "actor_redacted_in",
                       "changes_redacted_in")),
        *(migrations.AddField(model_name="auditevent", name=name,
                              field=models.CharField(default="", max_length=64),
                              preserve_default=False)
          for name in ("actor_digest", "changes_digest")),
        migrations.RunPython(rehash, migrations.RunPython.noop, elidable=True),
    ]
