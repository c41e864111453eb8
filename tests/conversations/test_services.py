"""Scheduling, moving, cancelling and holding conversations; the invitations they send."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar

from koers.audit.models import AuditEvent
from koers.conversations import ical, services
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles.models import Participation
from koers.notify import outbox
from koers.notify.models import OutgoingEmail
from tests import personas
from tests.factories import goals
from tests.factories import participations as cycles
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def p():
    return personas.build()


def schedule(p, *, by=None, kind=ConversationKind.FOLLOW_UP, **fields):
    return services.conversation_schedule(
        actor=viewer(by or p.manager), employee=p.employee, kind=kind, starts_at=START,
        ends_at=START + dt.timedelta(hours=1), location="Room 2.14", **fields,
    )


def sent(message):
    """The calendar of an invitation: the ``text/calendar`` alternative of the text."""
    assert message.message().get_content_type() == "multipart/alternative"
    (part,) = message.alternatives
    assert part.mimetype.startswith("text/calendar; method=")
    return Calendar.from_ical(part.content)


def delivered():
    """What the workers send from the outbox (nothing leaves inside the service)."""
    assert mail.outbox == []
    outbox.deliver_outbox()
    return list(mail.outbox)


def test_scheduling_invites_the_employee_with_an_ical_request_and_copies_the_manager(p):
    conversation = schedule(p, agenda=["Training budget"])

    invitation, copy = delivered()
    assert (invitation.to, copy.to) == ([p.employee.email], [p.manager.email])
    for message in (invitation, copy):
        cal = sent(message)
        (event,) = cal.walk("VEVENT")
        assert (str(cal["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])) == (
            "REQUEST", conversation.ical_uid, 0)
        assert str(event["ORGANIZER"]) == f"mailto:{p.manager.email}"
        assert str(event["ATTENDEE"]) == f"mailto:{p.employee.email}"
        assert "Training budget" not in message.body
        assert "Training budget" not in str(event)
    assert 'text/calendar; method="REQUEST"' in invitation.message().as_string()
    # The agenda is the guiding questions of a follow-up, then the free item; none in the mail.
    texts = [item.text for item in conversation.agenda.all()]
    assert len(texts) == 8
    assert texts[-1] == "Training budget"
    assert AuditEvent.objects.filter(action="conversation.scheduled").count() == 1


def test_the_invitation_commits_with_the_conversation(p):
    written = []

    def a_request_that_fails_after_the_service() -> None:
        with transaction.atomic():
            schedule(p)
            written.append(OutgoingEmail.objects.count())
            raise RuntimeError("the request fails after the service")

    with pytest.raises(RuntimeError):
        a_request_that_fails_after_the_service()
    assert written == [2]
    assert (Conversation.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_the_employee_schedules_and_the_manager_organises_it(p):
    conversation = schedule(p, by=p.employee, kind=ConversationKind.POP_FOLLOW_UP)
    assert conversation.invitee == p.manager
    messages = delivered()
    assert [m.to for m in messages] == [[p.employee.email], [p.manager.email]]
    own_copy, invitation = messages
    assert own_copy.body.startswith("Je hebt dit gesprek gepland")
    assert invitation.body.startswith(f"{p.employee.full_name} nodigt je uit")
    (event,) = sent(messages[0]).walk("VEVENT")
    assert str(event["ORGANIZER"]) == f"mailto:{p.manager.email}"
    assert conversation.agenda.count() == 6


def test_moving_sends_an_update_and_cancelling_a_cancel_with_the_same_uid(p):
    conversation = schedule(p)
    services.conversation_reschedule(
        actor=viewer(p.employee), conversation=conversation,
        starts_at=START + dt.timedelta(days=1), ends_at=START + dt.timedelta(days=1, hours=1))
    services.conversation_cancel(actor=viewer(p.manager), conversation=conversation)

    messages = delivered()
    # Both calendars follow each change, whoever made it.
    assert [m.to for m in messages] == [[p.employee.email], [p.manager.email]] * 3
    invitation, update, cancel = (sent(m) for m in messages[::2])
    events = [next(iter(c.walk("VEVENT"))) for c in (invitation, update, cancel)]
    assert [str(c["METHOD"]) for c in (invitation, update, cancel)] == [
        "REQUEST", "REQUEST", "CANCEL"]
    assert {str(e["UID"]) for e in events} == {conversation.ical_uid}
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert len({m.extra_headers["Message-ID"] for m in messages}) == 6
    with pytest.raises(ValidationFailed):
        services.conversation_cancel(actor=viewer(p.manager), conversation=conversation)


def test_outsiders_and_hr_cannot_schedule(p):
    for person in (p.colleague, p.hr, p.unrelated_manager):
        with pytest.raises(NotFoundOrForbidden):
            schedule(p, by=person)
    assert Conversation.objects.count() == 0


def test_a_place_or_in_writing_is_required(p):
    with pytest.raises(ValidationFailed):
        services.conversation_schedule(
            actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.CAREER,
            starts_at=START, ends_at=START + dt.timedelta(hours=1))
    conversation = services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.CAREER,
        starts_at=START, ends_at=START + dt.timedelta(hours=1), in_writing=True)
    assert conversation.in_writing


@pytest.mark.parametrize(("kind", "field", "value"), [
    (ConversationKind.PLANNING, "planning_done_on", dt.date(2099, 3, 2)),
    (ConversationKind.FOLLOW_UP, "follow_ups_held", 1),
    (ConversationKind.FUNCTIONING, "last_follow_up_on", dt.date(2099, 3, 2)),
    (ConversationKind.EVALUATION, "evaluation_held_on", dt.date(2099, 3, 2)),
])
def test_holding_moves_the_cycle_milestones(p, kind, field, value):
    cycle = cycles.cycle(p.employee.organisation, 2099)
    participation = cycles.participation(cycle, p.employee)
    Participation.objects.filter(pk=participation.pk).update(
        period_start=dt.date(2099, 1, 1), period_end=dt.date(2099, 12, 31))
    goal = goals.agreed(p.employee, p.manager)
    conversation = schedule(p, kind=kind)

    with pytest.raises(ValidationFailed):
        services.conversation_hold(actor=viewer(p.employee), conversation=conversation)
    services.conversation_hold(actor=viewer(p.manager), conversation=conversation,
                               notes="Went well", goals=[goal])

    participation.refresh_from_db()
    assert getattr(participation, field) == value
    conversation.refresh_from_db()
    assert (conversation.status, list(conversation.goals.all())) == (
        ConversationStatus.HELD, [goal])


def test_the_report_is_read_only_once_both_confirmed(p):
    conversation = schedule(p)
    services.conversation_hold(actor=viewer(p.manager), conversation=conversation,
                               report="We agreed on a course.")
    services.conversation_report_confirm(actor=viewer(p.employee), conversation=conversation)
    with pytest.raises(ValidationFailed):
        services.conversation_report_confirm(actor=viewer(p.employee), conversation=conversation)
    services.conversation_report_confirm(actor=viewer(p.manager), conversation=conversation)

    with pytest.raises(ValidationFailed, match=r"no longer|niet meer"):
        services.conversation_report_write(actor=viewer(p.manager), conversation=conversation,
                                           report="Something else")
    conversation.refresh_from_db()
    assert conversation.report == "We agreed on a course."
    assert conversation.report_locked


def test_writing_the_report_again_asks_both_to_confirm_again(p):
    conversation = schedule(p)
    services.conversation_hold(actor=viewer(p.manager), conversation=conversation, report="A")
    services.conversation_report_confirm(actor=viewer(p.employee), conversation=conversation)
    conversation = services.conversation_report_write(
        actor=viewer(p.manager), conversation=conversation, report="B")
    assert conversation.employee_confirmed_at is None


def test_each_invitation_is_in_its_recipients_language(p):
    """The employee reads Koers in French, the manager in German: each gets the subject,
    the text and the calendar's event title in their own."""
    for person, language in ((p.employee, "fr"), (p.manager, "de")):
        person.user.language = language
        person.user.save(update_fields=["language"])
    conversation = schedule(p)

    invitation, copy = delivered()
    for message, language, subject, intro in (
            (invitation, "fr", "Invitation : {title} le {when}", "vous invite à un entretien"),
            (copy, "de", "Einladung: {title} am {when}", "Sie haben dieses Gespräch geplant")):
        with translation.override(language):
            title = ical.title(conversation)
            when = date_format(timezone.localtime(START), "j F Y H:i")
        assert message.subject == "[Koers] " + subject.format(title=title, when=when)
        assert intro in message.body
        (event,) = sent(message).walk("VEVENT")
        assert str(event["SUMMARY"]) == title
    with translation.override("nl"):
        assert ical.title(conversation) not in (invitation.subject, copy.subject)
