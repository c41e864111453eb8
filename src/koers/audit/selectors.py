"""Reading the audit trail."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from koers.audit import actions
from koers.audit.models import AuditEvent
from koers.audit.services import chain_of
from koers.core import readable


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def history(target: models.Model, *, limit: int = 200,
            labels: Mapping[str, str] | None = None) -> list[AuditEvent]:
    """A record's events, newest first, in one query (the (chain, seq) index serves it);
    ``labels`` names fields in the record's regime's words where the model's differ."""
    events = list(AuditEvent.objects.filter(chain=chain_of(target)).order_by("-seq")[:limit])
    for event in events:
        event.action_label = actions.label(event.action)  # type: ignore[attr-defined]
        event.change_list = [  # type: ignore[attr-defined]
            Change(name, *pair) if isinstance(pair, list) and len(pair) == 2
            else Change(name, None, pair)
            for name, pair in sorted((event.changes or {}).items())
        ]
        # The same changes told to people: field names and values as they know them.
        event.sentences = readable.sentences(  # type: ignore[attr-defined]
            type(target), event.changes or {}, labels=labels)
    return events
