"""Seals over signed content: SHA-256 of a canonical serialisation.

A signed plan round keeps the content as it was signed (JSON) and its seal. Anyone can
recompute the seal from the stored content (``verify``) and compare the plan as it is
now with what was signed. The serialisation is ours and versioned (``FORMAT``), on
purpose not the audit trail's: a change in how audit events are hashed must never make
an old signature fail to verify.
"""

import hashlib
import hmac
import json
from typing import Any

FORMAT = "koers-seal-1"


def canonical(content: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8. ``content`` holds JSON values only (str, int, bool,
    None, lists and dicts): anything else is a programming error, not silently turned
    into text, so the same plan always gives the same bytes."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")


def seal(content: Any) -> str:
    return hashlib.sha256(FORMAT.encode("ascii") + b"\n" + canonical(content)).hexdigest()


def verify(content: Any, expected: str) -> bool:
    return hmac.compare_digest(seal(content), expected)
