"""Shapes of the conversation endpoints."""

import datetime as dt

from ninja import Schema

from koers.conversations.models import Conversation


class ConversationOut(Schema):
    id: int
    employee_id: int
    organiser_id: int
    invitee_id: int
    kind: str  # planning, follow_up, progress, ... (koers.conversations.states)
    status: str  # scheduled, held, cancelled
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    online_link: str
    in_writing: bool
    ical_uid: str
    ical_sequence: int
    agenda: list[str]
    held_on: dt.date | None
    notes: str
    goal_ids: list[int]
    report: str
    employee_confirmed_at: dt.datetime | None
    evaluator_confirmed_at: dt.datetime | None

    @classmethod
    def of(cls, c: Conversation) -> "ConversationOut":
        """Expects ``agenda`` and ``goals`` prefetched."""
        return cls(
            id=c.pk, employee_id=c.employee_id, organiser_id=c.organiser_id,
            invitee_id=c.invitee_id, kind=c.kind, status=c.status, starts_at=c.starts_at,
            ends_at=c.ends_at, location=c.location, online_link=c.online_link,
            in_writing=c.in_writing, ical_uid=c.ical_uid, ical_sequence=c.ical_sequence,
            agenda=[item.text for item in c.agenda.all()], held_on=c.held_on, notes=c.notes,
            goal_ids=[goal.pk for goal in c.goals.all()], report=c.report,
            employee_confirmed_at=c.employee_confirmed_at,
            evaluator_confirmed_at=c.evaluator_confirmed_at,
        )


class ConversationIn(Schema):
    employee_id: int | None = None  # default: myself
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str = ""
    online_link: str = ""
    in_writing: bool = False
    agenda: list[str] = []


class RescheduleIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str | None = None
    online_link: str | None = None


class HoldIn(Schema):
    notes: str = ""
    goal_ids: list[int] = []
    report: str = ""
    held_on: dt.date | None = None
