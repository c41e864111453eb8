"""Shapes of the security log (docs/access.md, "Security log")."""

import datetime as dt

from ninja import Schema

from koers.access.models import Refusal
from koers.access.security import Rate


class RefusalOut(Schema):
    """One minute's refusals of one kind by one user (or login tried) from one IP:
    ``count`` of them, the first and the last record tried (type and id)."""

    id: int
    kind: str
    action: str
    user: str  # the login's e-mail address, or the address tried at a lockout
    person_id: int | None
    target_type: str
    target_id: int | None
    last_target_id: int | None
    ip: str
    minute: dt.datetime
    last_at: dt.datetime
    count: int

    @classmethod
    def of(cls, refusal: Refusal) -> "RefusalOut":
        return cls(id=refusal.pk, kind=refusal.kind, action=refusal.action,
                   user=refusal.user.email if refusal.user else refusal.login,
                   person_id=refusal.person_id, target_type=refusal.target_type,
                   target_id=refusal.target_id, last_target_id=refusal.last_target_id,
                   ip=refusal.ip, minute=refusal.minute, last_at=refusal.last_at,
                   count=refusal.count)


class RateOut(Schema):
    user: str
    last_hour: int
    last_day: int

    @classmethod
    def of(cls, rate: Rate) -> "RateOut":
        return cls(user=rate.user, last_hour=rate.last_hour, last_day=rate.last_day)


class RefusalLogOut(Schema):
    """The newest ``limit`` rows matching the filters, and the refusals per user in the
    last hour and day (the most first)."""

    refusals: list[RefusalOut]
    rates: list[RateOut]
