"""Writing and verifying the audit trail. The design is in docs/audit.md.

``record`` is called by every service that changes state, inside that service's
transaction, so a change and its event commit or roll back together.
"""

import datetime as dt
import hashlib
import hmac
import itertools
import json
import multiprocessing
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from django.db import connection, connections, models, transaction
from django.db.models import Exists, OuterRef

from koers.audit import actions, keys
from koers.audit.models import GENESIS, ActorKind, AuditChainHead, AuditEvent
from koers.core import clock
from koers.core.models import User

SYSTEM_LABEL = "system"
CHUNK_SIZE = 5000


# Sorted keys, no spaces, UTF-8: one encoder, built once (the verifier hashes millions).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_AS_IS = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    """A value as JSON can hold it, the same way every time (it is hashed)."""
    if type(value) in _AS_IS:
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
    return _ENCODER.encode(_plain(data)).encode("utf-8")


# The canonical JSON of the hashed objects below is written out by hand, key by key in
# sorted order: the verifier hashes millions of events, and the generic encoder (a dict
# built, its keys sorted, every value dispatched) took most of its time. The result is
# byte for byte what ``canonical`` gives (tests/audit/test_services.py checks it).
_text = json.encoder.encode_basestring  # a JSON string, ensure_ascii=False


def _scalar(value: str | int | None) -> str:
    if value is None:
        return "null"
    return _text(value) if isinstance(value, str) else str(int(value))


def part_digest(*, salt: str, value: Any) -> str:
    """The salted digest of a personal part of an event (its actor label, its changes):
    what the hash covers of it, ``canonical({"salt": salt, "value": value})``. ``value``
    as JSON holds it (``_plain``), as it is stored and read back."""
    encoded = _text(value) if isinstance(value, str) else _ENCODER.encode(value)
    return hashlib.sha256(
        f'{{"salt":{_text(salt)},"value":{encoded}}}'.encode()).hexdigest()


def _instant(moment: dt.datetime) -> str:
    if moment.tzinfo is dt.UTC:  # what the database gives back
        return moment.isoformat()
    return moment.astimezone(dt.UTC).isoformat() if moment.tzinfo else moment.isoformat()


def event_hash(
    *, chain: str, seq: int, actor_id: int | None, actor_kind: str, actor_digest: str,
    organisation_id: int | None, action: str, target_type: str, target_id: str,
    changes_digest: str, created_at: dt.datetime, prev_hash: str, key_id: str = "",
) -> str:
    """HMAC-SHA256 with key ``key_id`` over every field, ``key_id`` included; the personal
    parts enter through their digests. Every value is a string, a number or None but the
    time, written in ISO 8601 in UTC: the canonical JSON of these fields, keys in sorted
    order. An event of the time before the trail had a key (``key_id`` "") has the plain
    SHA-256 of the same fields without ``key_id``. Raises KeyError for a key that is not
    configured."""
    key = f'"key_id":{_text(key_id)},' if key_id else ""
    message = (
        f'{{"action":{_text(action)},"actor_digest":{_text(actor_digest)},'
        f'"actor_id":{_scalar(actor_id)},"actor_kind":{_text(actor_kind)},'
        f'"chain":{_text(chain)},"changes_digest":{_text(changes_digest)},'
        f'"created_at":"{_instant(created_at)}",{key}'
        f'"organisation_id":{_scalar(organisation_id)},"prev_hash":{_text(prev_hash)},'
        f'"seq":{_scalar(seq)},"target_id":{_text(target_id)},'
        f'"target_type":{_text(target_type)}}}'
    ).encode()
    return keys.sign(key_id, message) if key_id else hashlib.sha256(message).hexdigest()


def chain_of(target: models.Model) -> str:
    return f"{target._meta.label_lower}:{target.pk}"


def chain_for(model: type[models.Model], pk: object) -> str:
    """``chain_of`` by model and id, for records known only by id (bulk erasure)."""
    return f"{model._meta.label_lower}:{pk}"


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
    actor_salt, changes_salt = secrets.token_hex(16), secrets.token_hex(16)
    # No savepoint of its own: the event and the change it records stand or fall together.
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = _lock_head(chain)
        fields: dict[str, Any] = {
            "chain": chain, "seq": last_seq + 1, "actor_id": actor_id,
            "actor_kind": str(kind),
            "actor_digest": part_digest(salt=actor_salt, value=label),
            "organisation_id": organisation_id, "action": action,
            "target_type": target._meta.label_lower, "target_id": str(target.pk),
            "changes_digest": part_digest(salt=changes_salt, value=plain_changes),
            "created_at": created_at, "prev_hash": last_hash,
            "key_id": keys.configured().current,
        }
        event = AuditEvent.objects.create(
            **fields, actor_label=label, actor_salt=actor_salt, changes=plain_changes,
            changes_salt=changes_salt, hash=event_hash(**fields),
        )
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
    "chain", "seq", "actor_id", "actor_kind", "actor_label", "actor_salt", "actor_digest",
    "actor_redacted_in", "organisation_id", "action", "target_type", "target_id", "changes",
    "changes_salt", "changes_digest", "changes_redacted_in", "created_at", "prev_hash",
    "key_id", "hash",
)
_Row = tuple[Any, ...]  # the values of _COLUMNS, in that order
# Heads are read for this many finished chains at a time: memory stays bounded however
# many chains there are, at one query per batch.
HEAD_BATCH = 2000


def _part_problem(value: Any, salt: str, digest: str, redacted_in: str, empty: Any) -> bool:
    """Whether a personal part disagrees with its digest. An erased part must be empty,
    and its stored digest stands in for it (the erasure run vouches: ``_Redactions``)."""
    if redacted_in:
        return bool(salt) or value != empty
    return part_digest(salt=salt, value=value) != digest


def _expected_hash(row: _Row, allow_unkeyed: bool = False) -> tuple[str, str | None]:
    """The hash an event must have, and what is wrong with its parts (None: nothing)."""
    (chain, seq, actor_id, actor_kind, actor_label, actor_salt, actor_digest,
     actor_redacted_in, organisation_id, action, target_type, target_id, changes,
     changes_salt, changes_digest, changes_redacted_in, created_at, prev_hash, key_id,
     _stored) = row
    configured = keys.configured()
    if key_id and key_id not in configured.secrets:
        return "", f"it is signed with key {key_id}, which is not configured (KOERS_AUDIT_KEYS)"
    if configured and not key_id and not allow_unkeyed:
        # Someone who cannot sign could still write plain hashes: a keyed trail has none.
        return "", "it is not signed, though the trail is (koers audit-rekey signs old events)"
    problem = None
    if _part_problem(actor_label, actor_salt, actor_digest, actor_redacted_in, "") or \
            _part_problem(changes, changes_salt, changes_digest, changes_redacted_in, {}):
        problem = "its content does not match its hash"
    return event_hash(
        chain=chain, seq=seq, actor_id=actor_id, actor_kind=actor_kind,
        actor_digest=actor_digest, organisation_id=organisation_id, action=action,
        target_type=target_type, target_id=target_id, changes_digest=changes_digest,
        created_at=created_at, prev_hash=prev_hash, key_id=key_id,
    ), problem


@dataclass
class _Walk:
    """One chain walked in seq order: its count, last link and first break so far."""

    chain: str
    allow_unkeyed: bool = False
    count: int = 0
    expected_seq: int = 1
    prev: str = GENESIS
    found: Break | None = None

    def step(self, row: _Row) -> None:
        self.count += 1
        if self.found is not None:
            return
        seq, stored = row[1], row[-1]
        if seq > self.expected_seq:
            self.found = Break(self.chain, self.expected_seq, "missing",
                               f"the next event is seq {seq}")
            return
        if seq < self.expected_seq:
            self.found = Break(self.chain, seq, "inserted", "a second event with this seq")
            return
        computed, problem = _expected_hash(row, self.allow_unkeyed)
        if problem is not None or computed != stored:
            self.found = Break(self.chain, seq, "altered",
                               problem or "its content does not match its hash")
        elif row[17] != self.prev:  # prev_hash
            self.found = Break(self.chain, seq, "altered",
                               "it does not link to the event before (that one was "
                               "rewritten, or this one put in its place)")
        self.expected_seq, self.prev = seq + 1, stored

    def finish(self, head: tuple[int, str] | None) -> Break | None:
        if self.found is not None:
            return self.found
        last_seq = self.expected_seq - 1
        if head is None:
            return Break(self.chain, 1, "inserted", "the chain has no head: it was not recorded")
        if head[0] > last_seq:
            return Break(self.chain, last_seq + 1, "missing",
                         f"the head says the chain ends at seq {head[0]}")
        if head[0] < last_seq:
            return Break(self.chain, head[0] + 1, "inserted",
                         f"the head says the chain ends at seq {head[0]}")
        if head[1] != self.prev:
            return Break(self.chain, last_seq, "altered", "the last event does not match the head")
        return None


@dataclass
class _Redactions:
    """Erased parts counted per erasure run, against what each run recorded it erased.

    A part emptied by hand names no run, or a run whose count then no longer adds up:
    both are reported. One entry per run, however many events.
    """

    seen: dict[str, int] = field(default_factory=dict)
    first: dict[str, tuple[str, int]] = field(default_factory=dict)
    recorded: dict[str, tuple[int, str, int]] = field(default_factory=dict)

    def note(self, row: _Row) -> None:
        chain, seq, action, changes = row[0], row[1], row[9], row[12]
        for run in (row[7], row[15]):  # actor_redacted_in, changes_redacted_in
            if run:
                self.seen[run] = self.seen.get(run, 0) + 1
                self.first.setdefault(run, (chain, seq))
        if action == REDACTION_ACTION and not row[15] and isinstance(changes, dict):
            self.recorded[str(changes.get("run"))] = (int(changes.get("parts", 0)), chain, seq)

    def merge(self, other: "_Redactions") -> None:
        for run, count in other.seen.items():
            self.seen[run] = self.seen.get(run, 0) + count
            self.first.setdefault(run, other.first[run])
        self.recorded.update(other.recorded)

    def breaks(self) -> list[Break]:
        found = []
        for run in sorted(set(self.seen) | set(self.recorded)):
            seen = self.seen.get(run, 0)
            if run not in self.recorded:
                chain, seq = self.first[run]
                found.append(Break(chain, seq, "altered",
                                   f"emptied, but no erasure run {run} was recorded"))
            elif self.recorded[run][0] != seen:
                count, chain, seq = self.recorded[run]
                found.append(Break(chain, seq, "altered",
                                   f"erasure run {run} recorded {count} emptied parts; "
                                   f"{seen} carry its name"))
        return found


@dataclass
class _Partial:
    """What one pass over a range of chains found."""

    events: int = 0
    chains: int = 0
    breaks: list[Break] = field(default_factory=list)
    redactions: _Redactions = field(default_factory=_Redactions)


def _verify_range(chain: str | None, low: str | None, high: str | None,
                  allow_unkeyed: bool = False) -> _Partial:
    """One streaming pass over the events of ``chain``, or of the chains from ``low``
    (included) to ``high`` (excluded), in (chain, seq) order."""
    result = _Partial()
    finished: list[_Walk] = []

    def check_heads() -> None:
        heads = {
            name: (seq, digest) for name, seq, digest in AuditChainHead.objects.filter(
                chain__in=[walk.chain for walk in finished]
            ).values_list("chain", "last_seq", "last_hash")
        }
        for walk in finished:
            result.events, result.chains = result.events + walk.count, result.chains + 1
            found = walk.finish(heads.get(walk.chain))
            if found is not None:
                result.breaks.append(found)
        finished.clear()

    walk: _Walk | None = None
    rows = AuditEvent.objects.order_by("chain", "seq")
    if chain is not None:
        rows = rows.filter(chain=chain)
    if low is not None:
        rows = rows.filter(chain__gte=low)
    if high is not None:
        rows = rows.filter(chain__lt=high)
    for row in rows.values_list(*_COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        if walk is None or row[0] != walk.chain:
            if walk is not None:
                finished.append(walk)
                if len(finished) >= HEAD_BATCH:
                    check_heads()
            walk = _Walk(row[0], allow_unkeyed)
        walk.step(row)
        result.redactions.note(row)
    if walk is not None:
        finished.append(walk)
    check_heads()
    return result


def _verify_part(bounds: tuple[str | None, str | None, bool]) -> _Partial:
    """A worker's range (a forked process with a connection of its own)."""
    try:
        return _verify_range(None, *bounds)
    finally:
        connection.close()


def _ranges(workers: int) -> list[tuple[str | None, str | None]]:
    """Ranges of chain names with about as many chains each, cut at chain heads; the
    database compares the names (its collation), so every chain is in exactly one."""
    total = AuditChainHead.objects.count()
    heads = AuditChainHead.objects.order_by("chain").values_list("chain", flat=True)
    # In the database's order (never sorted here: Python may compare names otherwise).
    cuts = list(dict.fromkeys(heads[total * n // workers] for n in range(1, workers))) \
        if total else []
    return list(itertools.pairwise([None, *cuts, None]))


def verify(*, chain: str | None = None, workers: int = 1, allow_unkeyed: bool = False) -> Report:
    """Recompute every hash and link in streaming passes ordered by (chain, seq).

    Reports the first broken link per chain. Memory stays bounded: one chain's walk at a
    time, the heads of ``HEAD_BATCH`` finished chains, and one counter per erasure run.
    With ``workers`` above 1 on PostgreSQL, that many processes each take a range of
    chains (the hashing is what takes the time, and it runs on every core); outside a
    transaction only, since a worker sees only what is committed. Heads without any event
    are found by a streaming anti-join. The erasure runs are checked only over the whole
    trail, not for ``chain`` alone. ``allow_unkeyed`` accepts events hashed before the
    trail had a key (``rekey`` checks the trail before it signs them).
    """
    parallel = (workers > 1 and chain is None and connection.vendor == "postgresql"
                and not connection.in_atomic_block)
    if parallel:
        ranges = _ranges(workers)
        connections.close_all()  # forked workers must not share this process's connection
        with multiprocessing.get_context("fork").Pool(len(ranges)) as pool:
            partials = pool.map(_verify_part, [(*bounds, allow_unkeyed) for bounds in ranges])
    else:
        partials = [_verify_range(chain, None, None, allow_unkeyed)]
    events = sum(part.events for part in partials)
    chains = sum(part.chains for part in partials)
    breaks = [found for part in partials for found in part.breaks]
    redactions = _Redactions()
    for part in partials:
        redactions.merge(part.redactions)

    orphans = AuditChainHead.objects.filter(last_seq__gt=0).exclude(
        Exists(AuditEvent.objects.filter(chain=OuterRef("chain")))
    )
    if chain is not None:
        orphans = orphans.filter(chain=chain)
    for lost, last_seq in orphans.order_by("chain").values_list("chain", "last_seq").iterator(
        chunk_size=CHUNK_SIZE
    ):
        chains += 1
        breaks.append(Break(lost, 1, "missing", f"no events; the head says {last_seq}"))
    if chain is None:
        breaks += redactions.breaks()
    return Report(events=events, chains=chains, breaks=breaks)


# Erasure ----------------------------------------------------------------------------------

REDACTION_ACTION = "audit.redacted"
REDACT_AT_ONCE = 500


def redact(*, chains: Iterable[str] = (), actor_ids: Iterable[int] = (),
           actor: User | None, target: models.Model, organisation_id: int | None) -> int:
    """Erase personal parts of events, for retention (docs/audit.md).

    Every event of ``chains`` (the records erased) loses both parts, who and what; every
    event by a login of ``actor_ids`` (people pseudonymised) loses who did it, in any
    chain. A part is emptied with its salt and keeps its digest, so the chains still
    verify. One ``UPDATE`` per part and ``REDACT_AT_ONCE`` names, then one
    "audit.redacted" event on ``target`` (the organisation) naming the run and how many
    parts it emptied, so the verifier can tell an erasure from an event emptied by hand.
    Parts already empty are left alone; the accounting events themselves are never
    emptied. Returns the number of parts emptied. Call it inside the transaction that
    erases the records themselves.
    """
    run = secrets.token_hex(16)
    names = sorted(set(chains))
    users = sorted(set(actor_ids))
    events = AuditEvent.objects.exclude(action=REDACTION_ACTION)
    emptied = 0
    with transaction.atomic(savepoint=False):
        for start in range(0, len(names), REDACT_AT_ONCE):
            in_chains = events.filter(chain__in=names[start:start + REDACT_AT_ONCE])
            emptied += in_chains.filter(changes_redacted_in="").update(
                changes={}, changes_salt="", changes_redacted_in=run)
            emptied += in_chains.filter(actor_redacted_in="").update(
                actor_label="", actor_salt="", actor_redacted_in=run)
        for start in range(0, len(users), REDACT_AT_ONCE):
            emptied += events.filter(actor_id__in=users[start:start + REDACT_AT_ONCE],
                                     actor_redacted_in="").update(
                actor_label="", actor_salt="", actor_redacted_in=run)
        if emptied:
            record(actor=actor, action=REDACTION_ACTION, target=target,
                   organisation_id=organisation_id,
                   changes={"run": run, "parts": emptied, "chains": len(names),
                            "actors": len(users)})
    return emptied


def parts_to_redact(*, chains: Iterable[str] = (), actor_ids: Iterable[int] = ()) -> int:
    """What ``redact`` would empty (a dry run): the same parts, each counted once."""
    names = sorted(set(chains))
    users = sorted(set(actor_ids))
    events = AuditEvent.objects.exclude(action=REDACTION_ACTION)
    count = 0
    for start in range(0, len(names), REDACT_AT_ONCE):
        in_chains = events.filter(chain__in=names[start:start + REDACT_AT_ONCE])
        count += in_chains.filter(changes_redacted_in="").count()
        count += in_chains.filter(actor_redacted_in="").count()
    erased_chains = set(names)  # their actors are counted above
    for start in range(0, len(users), REDACT_AT_ONCE):
        count += sum(1 for chain in events.filter(
            actor_id__in=users[start:start + REDACT_AT_ONCE], actor_redacted_in="",
        ).values_list("chain", flat=True).iterator() if chain not in erased_chains)
    return count


ANCHOR_FORMAT = "koers-audit-anchor 1"


def anchor_lines(*, chain: str | None = None) -> Iterator[str]:
    """A signed anchor: a header, every chain head as "chain seq hash", and, when the trail
    has a key, a last line "signature <HMAC>" over every line before it. Store it where
    the database's administrators cannot write (docs/audit.md, "Anchors")."""
    configured = keys.configured()
    signer = (hmac.new(configured.secrets[configured.current], digestmod=hashlib.sha256)
              if configured else None)

    def line(text: str) -> str:
        if signer is not None:
            signer.update(text.encode() + b"\n")
        return text

    yield line(ANCHOR_FORMAT)
    yield line(f"taken {clock.now().astimezone(dt.UTC).isoformat()}")
    if configured:
        yield line(f"key {configured.current}")
    heads = AuditChainHead.objects.order_by("chain")
    if chain is not None:
        heads = heads.filter(chain=chain)
    for name, seq, digest in heads.values_list("chain", "last_seq", "last_hash").iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield line(f"{name} {seq} {digest}")
    if signer is not None:
        yield f"signature {signer.hexdigest()}"


def write_anchor(path: Path) -> int:
    """Write an anchor to ``path`` (through a file beside it, renamed when complete, so a
    reader never finds half an anchor); the number of chains it names."""
    partial = path.with_name(path.name + ".partial")
    chains = 0
    with partial.open("w", encoding="utf-8") as out:
        for line in anchor_lines():
            out.write(line + "\n")
            chains += line.count(" ") == 2  # "chain seq hash"; the other lines have one
    partial.replace(path)
    return chains


def _anchor_signature_problem(lines: list[str]) -> str | None:
    """What is wrong with an anchor's signature, or None. A trail with a key accepts only
    anchors signed with one of its keys: a file anyone can write proves nothing."""
    configured = keys.configured()
    signed = bool(lines) and lines[-1].startswith("signature ")
    if not configured:
        return None
    if not signed:
        return "the anchor is not signed, though the trail has a key"
    key_line = next((line for line in lines[:4] if line.startswith("key ")), "")
    key_id = key_line.removeprefix("key ")
    if key_id not in configured.secrets:
        return f"the anchor is signed with key {key_id or '(none)'}, which is not configured"
    signer = hmac.new(configured.secrets[key_id], digestmod=hashlib.sha256)
    for line in lines[:-1]:
        signer.update(line.encode() + b"\n")
    if not hmac.compare_digest(signer.hexdigest(), lines[-1].removeprefix("signature ")):
        return "the anchor's signature does not match its lines: it was changed"
    return None


def check_anchor(lines: Iterable[str]) -> list[Break]:
    """Events named by an earlier anchor must still be there with the same hash.

    Catches what ``verify`` cannot: both tables rewritten consistently after the anchor
    was taken (with the key, or before the trail had one), or a whole chain deleted with
    its head. Chains only grow, so every anchored (chain, seq) must still exist. The
    anchor's own signature is checked first.
    """
    text = [line.rstrip("\n") for line in lines]
    problem = _anchor_signature_problem(text)
    if problem is not None:
        return [Break("(anchor)", 0, "altered", problem)]
    wanted: dict[tuple[str, int], str] = {}
    for line in text:
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit():
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


# Signing old events ------------------------------------------------------------------------

REKEY_CHAINS_AT_ONCE = 500


def rekey() -> int:
    """Sign with the current key the events hashed before the trail had one, once, after
    ``KOERS_AUDIT_KEYS`` is first set: every chain that holds such an event is hashed
    again from its first event, in order, with the current key (its content unchanged),
    and its head follows. The trail is verified first; a broken one is left as it is, so
    signing never vouches for a change nobody made. Returns the number of events signed.
    Anchors taken before name the old hashes: take a new one after."""
    configured = keys.configured()
    if not configured:
        raise ValueError("KOERS_AUDIT_KEYS is not set: there is no key to sign with")
    report = verify(allow_unkeyed=True)
    if report.breaks:
        raise ValueError(f"the trail is broken ({report.breaks[0]}): nothing was signed")
    chains = list(AuditEvent.objects.filter(key_id="").order_by("chain")
                  .values_list("chain", flat=True).distinct())
    signed = 0
    for start in range(0, len(chains), REKEY_CHAINS_AT_ONCE):
        names = chains[start:start + REKEY_CHAINS_AT_ONCE]
        with transaction.atomic():
            # Writers to these records wait until their chains are signed.
            list(AuditChainHead.objects.select_for_update().filter(chain__in=names)
                 .values_list("chain", flat=True))
            changed: list[AuditEvent] = []
            heads: dict[str, str] = {}
            previous, prev_hash = "", GENESIS
            for event in AuditEvent.objects.filter(chain__in=names).order_by("chain", "seq"):
                if event.chain != previous:
                    previous, prev_hash = event.chain, GENESIS
                event.prev_hash, event.key_id = prev_hash, configured.current
                event.hash = event_hash(
                    chain=event.chain, seq=event.seq, actor_id=event.actor_id,
                    actor_kind=event.actor_kind, actor_digest=event.actor_digest,
                    organisation_id=event.organisation_id, action=event.action,
                    target_type=event.target_type, target_id=event.target_id,
                    changes_digest=event.changes_digest, created_at=event.created_at,
                    prev_hash=event.prev_hash, key_id=event.key_id)
                prev_hash = heads[event.chain] = event.hash
                changed.append(event)
            AuditEvent.objects.bulk_update(changed, ["prev_hash", "key_id", "hash"],
                                           batch_size=1000)
            for name, last in heads.items():
                AuditChainHead.objects.filter(chain=name).update(last_hash=last)
            signed += len(changed)
    return signed
