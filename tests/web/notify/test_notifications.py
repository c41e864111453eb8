"""The notifications page and the unread count in the header."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.notify import services
from koers.notify.models import Notification
from tests import personas

pytestmark = pytest.mark.django_db

PARAMS = {
    "person": "Marc Vandamme", "step": "planning", "due": "2026-03-31", "days": 14,
    "role": "first_evaluator", "responsible": "Ratana Than",
}


@pytest.fixture
def p():
    return personas.build()


def _notify(user, key, kind="cycles.due_soon"):
    services.notify(recipient=user, key=key, kind=kind, params=PARAMS, url="/people/1/timeline/")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_header_counts_the_unread_notifications(client, p):
    _notify(p.manager.user, "a")
    _notify(p.manager.user, "b")
    client.force_login(p.manager.user)
    assert "Meldingen 2 ongelezen" in _text(client.get(reverse("home")))


def test_the_page_lists_my_notifications_in_my_language_only(client, p):
    _notify(p.manager.user, "mine")
    _notify(p.employee.user, "not mine", kind="cycles.overdue")
    client.force_login(p.manager.user)
    text = _text(client.get(reverse("notifications")))
    assert "Nieuw: Planningsgesprek voor Marc Vandamme: binnen 14 dagen" in text
    assert "Te laat" not in text
    p.manager.user.language = "en"
    p.manager.user.save()
    text = _text(client.get(reverse("notifications")))
    assert "New: Planning conversation for Marc Vandamme: due in 14 days" in text


def test_marking_one_and_then_all_as_read(client, p):
    for key in ("a", "b", "c"):
        _notify(p.manager.user, key)
    client.force_login(p.manager.user)
    first = Notification.objects.get(key="a")
    response = client.post(reverse("notification_read", args=[first.pk]))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    client.post(reverse("notifications_read_all"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    text = _text(client.get(reverse("notifications")))
    assert "ongelezen" not in text
    assert "Nieuw:" not in text


def test_someone_elses_notification_cannot_be_marked_read(client, p):
    _notify(p.employee.user, "theirs")
    client.force_login(p.manager.user)
    theirs = Notification.objects.get()
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("notification_read", args=[theirs.pk])).status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_page_needs_the_same_number_of_queries_for_1_and_30_notifications(client, p):
    client.force_login(p.manager.user)
    _notify(p.manager.user, "first")
    client.get(reverse("notifications"))  # warm the session

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("notifications"))
        return len(queries)

    one = count()
    for n in range(29):
        _notify(p.manager.user, f"more {n}")
    assert count() == one
