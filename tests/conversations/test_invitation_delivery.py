"""An invitation survives a mail relay that is down, and reaches each reader once.

A real SMTP server on a local socket (aiosmtpd) stands in for the organisation's relay:
it is stopped while the conversation is scheduled and started again afterwards.
"""

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from koers.core import clock
from koers.notify import outbox
from koers.notify.models import OutgoingEmail
from tests import personas

pytestmark = pytest.mark.django_db


class Relay:
    """Collects every message the server accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def relay(settings) -> Iterator[tuple[Relay, Controller]]:
    """The relay's address in the settings, the server not yet started."""
    port = _free_port()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
    }}
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    yield handler, controller
    if controller._thread is not None:
        controller.stop()


def test_an_invitation_scheduled_while_the_relay_is_down_arrives_once_it_is_back(
        client, relay):
    handler, server = relay
    p = personas.build()
    client.force_login(p.manager.user)

    # The relay is down: scheduling succeeds all the same.
    response = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "follow_up", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "location": "Room 2.14",
    }, content_type="application/json")
    assert response.status_code == 201
    first_try = outbox.deliver_outbox()
    assert (first_try.sent, first_try.failed, first_try.relay_down) == (0, 1, True)
    assert handler.received == []

    # The relay is back; after the back-off the worker's next run delivers.
    server.start()
    later = timezone.now() + dt.timedelta(minutes=2)
    with clock.frozen(later):
        assert outbox.deliver_outbox().sent == 2
    # Runs after that (and after any lease) find nothing more to send.
    with clock.frozen(later + outbox.LEASE + dt.timedelta(minutes=1)):
        assert outbox.deliver_outbox().sent == 0

    assert sorted(rcpt for rcpts, _message in handler.received for rcpt in rcpts) == sorted(
        [p.employee.email, p.manager.email])
    ids = [message["Message-ID"] for _rcpts, message in handler.received]
    assert sorted(ids) == sorted(OutgoingEmail.objects.values_list("message_id", flat=True))
    invitation = next(m for rcpts, m in handler.received if rcpts == [p.employee.email])
    assert invitation.get_content_type() == "multipart/alternative"
    text, calendar = invitation.get_payload()
    assert (text.get_content_type(), calendar.get_content_type()) == (
        "text/plain", "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert b"METHOD:REQUEST" in calendar.get_payload(decode=True)
    assert f"mailto:{p.manager.email}" in calendar.get_payload(decode=True).decode()


def test_a_second_copy_after_a_worker_died_carries_the_same_message_id(client, relay):
    """At least once: a worker that sent and died before recording it leaves the e-mail
    to be sent again when its lease ends; the copy has the same Message-ID, so the
    reader's mail client shows one message."""
    handler, server = relay
    server.start()
    p = personas.build()
    client.force_login(p.manager.user)
    client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "follow_up", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "location": "Room 2.14",
    }, content_type="application/json")
    start = timezone.now()
    with clock.frozen(start):
        taken = outbox._take()
        assert taken is not None
        with outbox.mailers.default as connection:
            connection.send_messages([outbox.as_message(taken)])  # sent, then the worker dies
    with clock.frozen(start + outbox.LEASE):
        assert outbox.deliver_outbox().sent == 2  # this one again, and the manager's copy
    ids = [message["Message-ID"] for _rcpts, message in handler.received]
    assert ids.count(taken.message_id) == 2
