"""One's own notifications through the API: the list, and marking them read, as the
notifications page does."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from koers.notify.models import Notification
from tests import personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def _notify(user, n: int) -> Notification:
    return Notification.objects.create(
        recipient=user, key=f"api:{user.pk}:{n}", kind="retired", url=f"/goals/{n}/",
        created_at=dt.datetime(2026, 1, n, tzinfo=dt.UTC))


def test_my_notifications_are_listed_newest_first_a_page_at_a_time(client, p):
    for n in (1, 2, 3):
        _notify(p.employee.user, n)
    _notify(p.colleague.user, 4)
    client.force_login(p.employee.user)

    first = client.get("/api/v1/me/notifications?page_size=2").json()
    second = client.get(first["next"]).json()

    assert [item["url"] for item in first["items"] + second["items"]] == [
        "http://testserver/goals/3/", "http://testserver/goals/2/", "http://testserver/goals/1/"]
    assert (first["count"], first["unread"], second["next"]) == (3, 3, None)
    with translation.override(p.employee.user.language):
        assert first["items"][0]["subject"] == gettext("You have a new notification in Koers.")
    page = client.get("/notifications/").content.decode()
    assert all(f"/goals/{n}/" in page for n in (1, 2, 3))
    assert "/goals/4/" not in page


def test_the_list_costs_the_same_queries_whatever_its_length(client, p):
    client.force_login(p.employee.user)
    _notify(p.employee.user, 1)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/me/notifications")
    for n in range(2, 12):
        _notify(p.employee.user, n)
    with CaptureQueriesContext(connection) as eleven:
        client.get("/api/v1/me/notifications")

    assert len(eleven) == len(one)


def test_marking_one_read_through_the_api_is_what_the_page_does(client, p):
    by_api, by_page = _notify(p.employee.user, 1), _notify(p.employee.user, 2)
    client.force_login(p.employee.user)

    response = client.post(f"/api/v1/me/notifications/{by_api.pk}/read")
    client.post(f"/notifications/{by_page.pk}/read/")

    assert response.status_code == 200
    by_api.refresh_from_db()
    by_page.refresh_from_db()
    assert by_api.read_at is not None
    assert by_page.read_at is not None
    assert response.json()["read_at"] is not None
    assert client.get("/api/v1/me/notifications").json()["unread"] == 0


def test_someone_elses_notification_is_not_found_and_stays_unread(client, p):
    theirs = _notify(p.colleague.user, 1)
    client.force_login(p.employee.user)

    response = client.post(f"/api/v1/me/notifications/{theirs.pk}/read")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_says_how_many_and_leaves_others_alone(client, p):
    for n in (1, 2):
        _notify(p.employee.user, n)
    theirs = _notify(p.colleague.user, 3)
    client.force_login(p.employee.user)

    first = client.post("/api/v1/me/notifications/read").json()
    again = client.post("/api/v1/me/notifications/read").json()

    assert (first, again) == ({"marked": 2}, {"marked": 0})
    assert not Notification.objects.filter(recipient=p.employee.user, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_signed_out_caller_gets_401(client):
    assert client.get("/api/v1/me/notifications").status_code == 401
