"""iCalendar (RFC 5545 / iTIP RFC 5546) for conversations: invitations and the feed.

An event carries the title, the time, the place or link and the link to Koers, never
the agenda, notes or report: calendars are shared and synced to phones.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, vCalAddress, vText

from koers.conversations.models import Conversation
from koers.conversations.states import ConversationStatus
from koers.organisation.models import Person

PRODID = "-//Koers//Conversations//NL"


def title(conversation: Conversation) -> str:
    """The event's summary in the active language: the kind and the employee's name."""
    return f"{conversation.get_kind_display().capitalize()}: {conversation.employee.full_name}"


def manager(conversation: Conversation) -> Person:
    """The evaluator side, the event's organiser whoever scheduled it: the calendar of
    the manager holds the meeting, the employee is invited to it."""
    if conversation.organiser_id == conversation.employee_id:
        return conversation.invitee
    return conversation.organiser


def link(conversation: Conversation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("conversation_detail", args=[conversation.pk])


def _address(person: Person, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.full_name)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address


def event(conversation: Conversation, *, stamp: dt.datetime) -> Event:
    item = Event()
    item.add("uid", conversation.ical_uid)
    item.add("sequence", conversation.ical_sequence)
    item.add("dtstamp", stamp.astimezone(dt.UTC))
    item.add("dtstart", conversation.starts_at.astimezone(dt.UTC))
    item.add("dtend", conversation.ends_at.astimezone(dt.UTC))
    item.add("summary", title(conversation))
    place = conversation.location or conversation.online_link
    if place:
        item.add("location", place)
    item.add("url", link(conversation))
    item.add("description", link(conversation))
    item.add("organizer", _address(manager(conversation)))
    item.add("attendee", _address(conversation.employee, "REQ-PARTICIPANT"))
    cancelled = conversation.status == ConversationStatus.CANCELLED
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def calendar(
    conversations: Iterable[Conversation], *, stamp: dt.datetime, method: str | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT per conversation; ``method`` for iTIP messages."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    for conversation in conversations:
        cal.add_component(event(conversation, stamp=stamp))
    return bytes(cal.to_ical())
