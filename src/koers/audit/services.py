"""Writing and verifying the audit trail. The design is in docs/audit.md.

``record`` is called by every service that changes state, inside that service's
transaction, so a change and its event commit or roll back together.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from django.db import connection, models, transaction

from koers.audit import actions
from koers.audit.models import GENESIS, ActorKind, AuditChainHead, AuditEvent
from koers.core import clock
from koers.core.models import User

SYSTEM_LABEL = "system"
CHUNK_SIZE = 5000


def _plain(value: Any) -> Any:
    """A value as JSON can hold it, the same way every time (it is hashed)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        # Floats do not survive every JSON round trip exactly; hash their text.
        return repr(value)
    return str(value)


def canonical(data: Mapping[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8: the bytes that are hashed."""
    return json.dumps(
        _plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def event_hash(
    *, chain: str, seq: int, actor_id: int | None, actor_kind: str, actor_label: str,
    organisation_id: int | None, action: str, target_type: str, target_id: str,
    changes: Any, created_at: dt.datetime, prev_hash: str,
) -> str:
    return hashlib.sha256(canonical({
        "chain": chain, "seq": seq, "actor_id": actor_id, "actor_kind": actor_kind,
        "actor_label": actor_label, "organisation_id": organisation_id, "action": action,
        "target_type": target_type, "target_id": target_id, "changes": changes,
        "created_at": created_at, "prev_hash": prev_hash,
    })).hexdigest()


def chain_of(target: models.Model) -> str:
    return f"{target._meta.label_lower}:{target.pk}"


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose (plain) value changed."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
    return changes


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """Append one event to ``target``'s chain; ``actor=None`` is the system.

    Checklist: the action must be registered; join the caller's transaction (open one
    if there is none, so the event is never written without its head); create the
    chain's head row if it is new (``ON CONFLICT DO NOTHING``, so two first writers do
    not fork it); lock the head; append with the next seq and the head's hash; move
    the head. Only this record's chain is locked: other records' writers never wait.
    """
    actions.get(action)
    if target.pk is None:
        raise ValueError("audit.record needs a saved target")
    chain = chain_of(target)
    if actor is not None and actor.is_authenticated:
        kind, label, actor_id = ActorKind.USER, actor.email or actor.get_username(), actor.pk
    else:
        kind, label, actor_id = ActorKind.SYSTEM, SYSTEM_LABEL, None
    plain_changes = json.loads(canonical(dict(changes or {})))
    created_at = clock.now().astimezone(dt.UTC)
    # No savepoint of its own: the event and the change it records stand or fall together.
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = _lock_head(chain)
        fields: dict[str, Any] = {
            "chain": chain, "seq": last_seq + 1, "actor_id": actor_id,
            "actor_kind": str(kind), "actor_label": label,
            "organisation_id": organisation_id, "action": action,
            "target_type": target._meta.label_lower, "target_id": str(target.pk),
            "changes": plain_changes, "created_at": created_at, "prev_hash": last_hash,
        }
        event = AuditEvent.objects.create(**fields, hash=event_hash(**fields))
        AuditChainHead.objects.filter(chain=chain).update(
            last_seq=event.seq, last_hash=event.hash
        )
    return event


def _lock_head(chain: str) -> tuple[int, str]:
    """Create the chain's head if it is new, lock it, and return it: one statement.

    ``ON CONFLICT DO UPDATE`` takes the row lock of an existing head (a writer to the
    same chain waits here until the other commits) and a new head cannot be created
    twice; PostgreSQL and SQLite (3.35+) both speak it.
    """
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (chain, last_seq, last_hash) VALUES (%s, 0, %s) "  # noqa: S608
            "ON CONFLICT (chain) DO UPDATE SET chain = EXCLUDED.chain "
            "RETURNING last_seq, last_hash",
            [chain, GENESIS],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain: ``kind`` is altered, missing or inserted."""

    chain: str
    seq: int
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"broken: chain {self.chain} at seq {self.seq}: {self.kind} ({self.detail})"


@dataclass
class Report:
    events: int
    chains: int
    breaks: list[Break]


_COLUMNS = (
    "chain", "seq", "actor_id", "actor_kind", "actor_label", "organisation_id", "action",
    "target_type", "target_id", "changes", "created_at", "prev_hash", "hash",
)


def _rows(chain: str | None) -> Iterator[dict[str, Any]]:
    events = AuditEvent.objects.order_by("chain", "seq")
    if chain is not None:
        events = events.filter(chain=chain)
    for row in events.values_list(*_COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        yield dict(zip(_COLUMNS, row, strict=True))


def _check_chain(
    chain: str, events: Iterable[dict[str, Any]], head: tuple[int, str] | None
) -> tuple[int, Break | None]:
    """Walk one chain in seq order; return its event count and its first break."""
    expected_seq, prev, count, found = 1, GENESIS, 0, None
    for event in events:
        count += 1
        if found is not None:
            continue
        stored = event.pop("hash")
        seq = event["seq"]
        if seq > expected_seq:
            found = Break(chain, expected_seq, "missing", f"the next event is seq {seq}")
        elif seq < expected_seq:
            found = Break(chain, seq, "inserted", "a second event with this seq")
        elif event_hash(**event) != stored:
            found = Break(chain, seq, "altered", "its content does not match its hash")
        elif event["prev_hash"] != prev:
            found = Break(chain, seq, "altered",
                          "it does not link to the event before (that one was rewritten, "
                          "or this one put in its place)")
        expected_seq, prev = seq + 1, stored
    if found is None:
        last_seq = expected_seq - 1
        if head is None:
            found = Break(chain, 1, "inserted", "the chain has no head: it was not recorded")
        elif head[0] > last_seq:
            found = Break(chain, last_seq + 1, "missing",
                          f"the head says the chain ends at seq {head[0]}")
        elif head[0] < last_seq:
            found = Break(chain, head[0] + 1, "inserted",
                          f"the head says the chain ends at seq {head[0]}")
        elif head[1] != prev:
            found = Break(chain, last_seq, "altered", "the last event does not match the head")
    return count, found


def verify(*, chain: str | None = None) -> Report:
    """Recompute every hash and link in one streaming pass ordered by (chain, seq).

    Reports the first broken link per chain. The heads are read first (one row per
    chain, far fewer than events); heads without any event are missing chains.
    """
    heads_query = AuditChainHead.objects.all()
    if chain is not None:
        heads_query = heads_query.filter(chain=chain)
    heads = {c: (s, h) for c, s, h in heads_query.values_list("chain", "last_seq", "last_hash")
             .iterator(chunk_size=CHUNK_SIZE)}
    events, chains, breaks = 0, 0, []
    current: str | None = None
    batch: list[dict[str, Any]] = []

    def finish() -> None:
        nonlocal events, chains
        if current is None:
            return
        count, found = _check_chain(current, batch, heads.pop(current, None))
        events, chains = events + count, chains + 1
        if found is not None:
            breaks.append(found)

    # One chain's events are held at a time: a record's history, not the table.
    for row in _rows(chain):
        if row["chain"] != current:
            finish()
            current, batch = row["chain"], []
        batch.append(row)
    finish()
    for lost, (last_seq, _hash) in sorted(heads.items()):
        if last_seq > 0:
            chains += 1
            breaks.append(Break(lost, 1, "missing", f"no events; the head says {last_seq}"))
    return Report(events=events, chains=chains, breaks=breaks)


def anchor_lines(*, chain: str | None = None) -> Iterator[str]:
    """Every chain head as "chain seq hash": store the output outside the database."""
    heads = AuditChainHead.objects.order_by("chain")
    if chain is not None:
        heads = heads.filter(chain=chain)
    for name, seq, digest in heads.values_list("chain", "last_seq", "last_hash").iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield f"{name} {seq} {digest}"


def check_anchor(lines: Iterable[str]) -> list[Break]:
    """Events named by an earlier anchor must still be there with the same hash.

    Catches what ``verify`` cannot: both tables rewritten consistently after the anchor
    was taken. Chains only grow, so every anchored (chain, seq) must still exist.
    """
    wanted: dict[tuple[str, int], str] = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            wanted[(parts[0], int(parts[1]))] = parts[2]
    breaks = []
    chains = sorted({name for name, _seq in wanted})
    found: dict[tuple[str, int], str] = {}
    for start in range(0, len(chains), 500):
        for name, seq, digest in AuditEvent.objects.filter(
            chain__in=chains[start:start + 500]
        ).values_list("chain", "seq", "hash"):
            if (name, seq) in wanted:
                found[(name, seq)] = digest
    for (name, seq), digest in sorted(wanted.items()):
        if seq == 0:
            continue
        if (name, seq) not in found:
            breaks.append(Break(name, seq, "missing", "an anchored event is gone"))
        elif found[(name, seq)] != digest:
            breaks.append(Break(name, seq, "altered", "differs from the anchor"))
    return breaks
