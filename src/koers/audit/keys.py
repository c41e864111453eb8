"""The secret keys that sign the audit trail's hashes (docs/audit.md, "Keys").

``KOERS_AUDIT_KEYS`` (or a file in ``KOERS_AUDIT_KEYS_FILE``) lists ``id:secret`` pairs,
separated by commas or new lines. The first is the current key: every new event is hashed
with it (HMAC-SHA256) and names it in ``key_id``, which its hash covers, so each chain
records where one key took over from another. The others are earlier keys, kept so the
events they signed still verify: a rotation puts the new key first and keeps the old
one. The keys live outside the database: someone who can write every table but does not
hold them cannot recompute a hash that verifies.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
MIN_SECRET = 32


@dataclass(frozen=True)
class Keys:
    current: str  # "" when no key is configured
    secrets: dict[str, bytes]

    def __bool__(self) -> bool:
        return bool(self.current)


def parse(text: str) -> Keys:
    pairs: dict[str, bytes] = {}
    current = ""
    for item in re.split(r"[,\n]", text):
        item = item.strip()
        if not item:
            continue
        key_id, sep, secret = item.partition(":")
        if not sep or not _ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                "KOERS_AUDIT_KEYS: each key is id:secret, the id of 1 to 16 letters, digits, "
                "- or _")
        if len(secret) < MIN_SECRET:
            raise ImproperlyConfigured(
                f"KOERS_AUDIT_KEYS: the secret of key {key_id} has fewer than {MIN_SECRET} "
                "characters")
        if key_id in pairs:
            raise ImproperlyConfigured(f"KOERS_AUDIT_KEYS: key {key_id} is listed twice")
        pairs[key_id] = secret.encode()
        current = current or key_id
    return Keys(current=current, secrets=pairs)


@cache
def configured() -> Keys:
    return parse(settings.KOERS_AUDIT_KEYS)


def sign(key_id: str, message: bytes) -> str:
    """HMAC-SHA256 of ``message`` with key ``key_id``; KeyError when it is not configured."""
    return hmac.new(configured().secrets[key_id], message, hashlib.sha256).hexdigest()
