"""Writes to conversations. The web pages and the API both call these; each is one transaction.

Either side schedules; the other side is invited by e-mail with an iCalendar request.
Moving a conversation sends an update with the same UID and the next SEQUENCE,
cancelling sends METHOD:CANCEL with the same UID. E-mails leave after the commit, in
the recipient's language, and name only the kind, the time, the place and the link.
Holding a conversation moves the employee's cycle milestones in the same transaction.
The report is read-only once both sides confirmed it.
"""

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.conversations import ical, permissions
from koers.conversations.agenda import guiding_questions
from koers.conversations.milestones import record_held
from koers.conversations.models import AgendaItem, CalendarFeed, Conversation
from koers.conversations.states import ConversationKind, ConversationStatus, can_move
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.goals.models import Goal
from koers.organisation import evaluators
from koers.organisation.models import Person

MAX_AGENDA_ITEM = 500


def _record(conversation: Conversation, *, actor: Viewer, action: str,
            changes: dict[str, object] | None = None) -> None:
    audit.record(actor=actor.user, action=f"conversation.{action}", target=conversation,
                 changes=changes or {}, organisation_id=conversation.employee.organisation_id)


def _check_time(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    errors: dict[str, list[str]] = {}
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        errors["starts_at"] = [_("Give the time with its time zone.")]
    elif ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def _check_place(location: str, online_link: str, in_writing: bool) -> None:
    if not in_writing and not location.strip() and not online_link.strip():
        message = _("Give a location or an online link, or hold the conversation in writing.")
        raise ValidationFailed(message, {"location": [message]})


def _invitee_for(actor: Person, employee: Person) -> Person:
    if actor.pk != employee.pk:
        return employee
    first = evaluators.evaluator_line(employee, on=clock.today()).first
    if first is None:
        message = _("You have no 1st evaluator to invite.")
        raise ValidationFailed(message)
    return first


def _locked(conversation: Conversation) -> Conversation:
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("employee__organisation", "organiser", "invitee")
        .get(pk=conversation.pk)
    )


def _visible(actor: Viewer, conversation: Conversation) -> None:
    if not permissions.can_view_conversation(actor, conversation):
        raise NotFoundOrForbidden(_("This conversation does not exist or is not yours to see."))


def _still_scheduled(conversation: Conversation, target: ConversationStatus | None = None) -> None:
    if conversation.status != ConversationStatus.SCHEDULED or (
        target is not None and not can_move(conversation.status, target)
    ):
        raise ValidationFailed(_("This conversation is %(status)s: it can no longer change.")
                               % {"status": conversation.get_status_display()})


# E-mail ---------------------------------------------------------------------------


def _recipients(conversation: Conversation, actor: Viewer) -> list[Person]:
    """Everyone in the invitation except the one who acts."""
    me = actor.person.pk if actor.person is not None else None
    return [p for p in (conversation.organiser, conversation.invitee) if p.pk != me]


def _send_later(conversation: Conversation, *, method: str, recipients: Iterable[Person]) -> None:
    """Render now (this version, this SEQUENCE), send once the transaction commits."""
    emails = [_email(conversation, method=method, recipient=person) for person in recipients]

    def send() -> None:
        for email in emails:
            email.send()

    transaction.on_commit(send)


def _email(conversation: Conversation, *, method: str, recipient: Person) -> EmailMessage:
    language = recipient.user.language if recipient.user is not None else recipient.language
    with translation.override(language or settings.LANGUAGE_CODE):
        when = date_format(timezone.localtime(conversation.starts_at), "j F Y H:i")
        summary = ical.title(conversation)
        if method == "CANCEL":
            subject = _("Cancelled: %(title)s on %(when)s") % {"title": summary, "when": when}
            intro = _("This conversation is cancelled.")
        elif conversation.ical_sequence:
            subject = _("Moved: %(title)s, now on %(when)s") % {"title": summary, "when": when}
            intro = _("This conversation has a new time or place.")
        else:
            subject = _("Invitation: %(title)s on %(when)s") % {"title": summary, "when": when}
            intro = _("%(name)s invites you to a conversation.") % {
                "name": conversation.organiser.full_name}
        place = conversation.location or conversation.online_link or (
            _("in writing") if conversation.in_writing else "")
        lines = [intro, f"{summary}\n{when}" + (f"\n{place}" if place else ""),
                 ical.link(conversation),
                 _("This message contains no content of the conversation: sign in to Koers "
                   "to read the agenda.")]
        body = "\n\n".join(lines)
    message = EmailMessage(subject=f"[Koers] {subject}", body=body, to=[recipient.email],
                           from_email=settings.DEFAULT_FROM_EMAIL)
    content = ical.calendar([conversation], stamp=clock.now(), method=method)
    message.attach("invite.ics", content.decode(), f"text/calendar; method={method}")
    return message


# Services -------------------------------------------------------------------------


def conversation_schedule(
    *,
    actor: Viewer,
    employee: Person,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    online_link: str = "",
    in_writing: bool = False,
    agenda: Sequence[str] = (),
) -> Conversation:
    """Schedule a conversation with ``employee`` and invite the other side.

    Checklist: the actor is the employee or one of their evaluators; the time and place
    are valid; save with the guiding questions of the kind and the free items as agenda;
    audit; the invitation leaves after the commit.
    """
    me = actor.person
    if me is None or not permissions.can_schedule_for(actor, employee):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    if kind not in ConversationKind.values:
        raise ValidationFailed(_("Choose a kind of conversation."),
                               {"kind": [_("Choose a kind of conversation.")]})
    _check_time(starts_at, ends_at)
    _check_place(location, online_link, in_writing)
    invitee = _invitee_for(me, employee)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            employee=employee, organiser=me, invitee=invitee, kind=kind, starts_at=starts_at,
            ends_at=ends_at, location=location.strip(), online_link=online_link.strip(),
            in_writing=in_writing, ical_uid=f"{uuid.uuid4()}@koers", created_by=actor.user,
        )
        with translation.override(employee.language or settings.LANGUAGE_CODE):
            questions = guiding_questions(kind)
        items = [*questions, *(item.strip()[:MAX_AGENDA_ITEM] for item in agenda if item.strip())]
        AgendaItem.objects.bulk_create([
            AgendaItem(conversation=conversation, position=i, text=text,
                       guiding=i < len(questions))
            for i, text in enumerate(items, start=1)
        ])
        _record(conversation, actor=actor, action="scheduled", changes={
            "kind": [None, kind], "starts_at": [None, starts_at.isoformat()]})
        _send_later(conversation, method="REQUEST", recipients=[invitee])
    return conversation


def conversation_reschedule(
    *,
    actor: Viewer,
    conversation: Conversation,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str | None = None,
    online_link: str | None = None,
) -> Conversation:
    """Move a scheduled conversation; the others get an update (same UID, SEQUENCE + 1)."""
    _visible(actor, conversation)
    _check_time(starts_at, ends_at)
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_plan(actor, conversation):
            raise ValidationFailed(_("Only the employee and their evaluators move it."))
        _still_scheduled(conversation)
        before = conversation.starts_at
        conversation.starts_at, conversation.ends_at = starts_at, ends_at
        if location is not None:
            conversation.location = location.strip()
        if online_link is not None:
            conversation.online_link = online_link.strip()
        _check_place(conversation.location, conversation.online_link, conversation.in_writing)
        conversation.ical_sequence += 1
        conversation.save(update_fields=["starts_at", "ends_at", "location", "online_link",
                                         "ical_sequence", "updated_at"])
        _record(conversation, actor=actor, action="rescheduled", changes={
            "starts_at": [before.isoformat(), starts_at.isoformat()]})
        _send_later(conversation, method="REQUEST",
                    recipients=_recipients(conversation, actor))
    return conversation


def conversation_cancel(*, actor: Viewer, conversation: Conversation) -> Conversation:
    """Cancel a scheduled conversation; the others get METHOD:CANCEL with the same UID."""
    _visible(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_plan(actor, conversation):
            raise ValidationFailed(_("Only the employee and their evaluators cancel it."))
        _still_scheduled(conversation, ConversationStatus.CANCELLED)
        conversation.status = ConversationStatus.CANCELLED
        conversation.ical_sequence += 1
        conversation.save(update_fields=["status", "ical_sequence", "updated_at"])
        _record(conversation, actor=actor, action="cancelled",
                changes={"status": [ConversationStatus.SCHEDULED, ConversationStatus.CANCELLED]})
        _send_later(conversation, method="CANCEL", recipients=_recipients(conversation, actor))
    return conversation


def conversation_hold(
    *,
    actor: Viewer,
    conversation: Conversation,
    notes: str = "",
    goals: Sequence[Goal] = (),
    report: str = "",
    held_on: dt.date | None = None,
) -> Conversation:
    """Record that the conversation was held, with notes, goals discussed and a report.

    Checklist: an evaluator of the employee; still scheduled; the goals are the
    employee's; save; the cycle's milestones in the same transaction; audit.
    """
    _visible(actor, conversation)
    if any(goal.owner_id != conversation.employee_id for goal in goals):
        message = _("Choose goals of the employee.")
        raise ValidationFailed(message, {"goals": [message]})
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_hold(actor, conversation):
            raise ValidationFailed(_("Only an evaluator records a conversation as held."))
        _still_scheduled(conversation, ConversationStatus.HELD)
        conversation.status = ConversationStatus.HELD
        conversation.held_on = held_on or timezone.localtime(conversation.starts_at).date()
        conversation.notes = notes.strip()
        conversation.report = report.strip()
        conversation.save(update_fields=["status", "held_on", "notes", "report", "updated_at"])
        conversation.goals.set(goals)
        participation = record_held(conversation)
        _record(conversation, actor=actor, action="held", changes={
            "status": [ConversationStatus.SCHEDULED, ConversationStatus.HELD],
            "participation": [None, participation.pk if participation else None]})
    return conversation


def conversation_report_write(
    *, actor: Viewer, conversation: Conversation, report: str
) -> Conversation:
    """Change the report of a held conversation; both sides confirm the new text again."""
    _visible(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        if not permissions.can_hold(actor, conversation):
            raise ValidationFailed(_("Only an evaluator writes the report."))
        _report_open(conversation)
        conversation.report = report.strip()
        conversation.employee_confirmed_at = None
        conversation.evaluator_confirmed_at = None
        conversation.evaluator_confirmed_by = None
        conversation.save(update_fields=["report", "employee_confirmed_at",
                                         "evaluator_confirmed_at", "evaluator_confirmed_by",
                                         "updated_at"])
        _record(conversation, actor=actor, action="report_written")
    return conversation


def _report_open(conversation: Conversation) -> None:
    if conversation.status != ConversationStatus.HELD:
        raise ValidationFailed(_("A report belongs to a held conversation."))
    if conversation.report_locked:
        raise ValidationFailed(_("Both sides confirmed the report: it can no longer change."))


def conversation_report_confirm(*, actor: Viewer, conversation: Conversation) -> Conversation:
    """Confirm the report for the actor's side; read-only once both sides confirmed."""
    _visible(actor, conversation)
    with transaction.atomic():
        conversation = _locked(conversation)
        _report_open(conversation)
        if not conversation.report:
            raise ValidationFailed(_("There is no report to confirm yet."))
        now = clock.now()
        if permissions.is_employee(actor, conversation):
            if conversation.employee_confirmed_at is not None:
                raise ValidationFailed(_("You already confirmed this report."))
            conversation.employee_confirmed_at = now
            side = "employee"
        elif permissions.is_evaluator(actor, conversation):
            if conversation.evaluator_confirmed_at is not None:
                raise ValidationFailed(_("You already confirmed this report."))
            conversation.evaluator_confirmed_at = now
            conversation.evaluator_confirmed_by = actor.user
            side = "evaluator"
        else:
            raise ValidationFailed(_("Only the employee and their evaluators confirm it."))
        conversation.save(update_fields=["employee_confirmed_at", "evaluator_confirmed_at",
                                         "evaluator_confirmed_by", "updated_at"])
        _record(conversation, actor=actor, action="report_confirmed",
                changes={"side": [None, side]})
    return conversation


# Calendar feed --------------------------------------------------------------------


def calendar_feed_of(*, user: User) -> CalendarFeed:
    """The user's feed, created on first use."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or calendar_feed_renew(user=user)


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new private link; the old one stops working at once."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32), "created_at": clock.now()},
        )
        audit.record(actor=user, action="calendar_feed.renewed", target=feed)
    return feed
