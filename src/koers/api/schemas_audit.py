"""Shapes of a record's history (the audit trail)."""

import datetime as dt
from typing import Any

from ninja import Schema

from koers.audit import actions
from koers.audit.models import AuditEvent


class FieldChange(Schema):
    field: str
    before: Any
    after: Any


class HistoryEvent(Schema):
    at: dt.datetime
    actor: str
    actor_kind: str
    action: str
    action_label: str
    changes: list[FieldChange]

    @classmethod
    def of(cls, event: AuditEvent) -> "HistoryEvent":
        return cls(
            at=event.created_at, actor=event.actor_label, actor_kind=event.actor_kind,
            action=event.action, action_label=actions.label(event.action),
            changes=[
                FieldChange(field=change.field, before=change.before, after=change.after)
                for change in getattr(event, "change_list", [])
            ],
        )
