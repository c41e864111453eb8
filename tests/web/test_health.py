"""/health/live and /health/ready: for probes, without sign-in or personal data."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from koers.core import clock, health
from koers.core.tasks import heartbeat_task
from koers.notify import outbox, services
from tests import personas
from tests.notify.test_services import _notify, _user


def test_live_answers_without_asking_the_database(client):
    # Without the django_db mark any query would raise: the answer needs no database.
    response = client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "alive"})


@pytest.mark.django_db
def test_ready_reports_the_checks_and_the_mail_backlog(client, django_assert_max_num_queries):
    _notify(_user(), "waiting")
    personas.build()
    # The database, the migrations (read once per process), the heartbeat, the backlog.
    with django_assert_max_num_queries(6):
        response = client.get("/health/ready")
    assert (response.status_code, response.json()) == (200, {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "worker": "not watched"},
        "mail_backlog": 0,
    })
    # The notification becomes an e-mail of the outbox; the relay has not taken it yet.
    services._compose_next()
    assert client.get("/health/ready").json()["mail_backlog"] == outbox.backlog() == 1


@pytest.mark.django_db
def test_ready_fails_when_the_workers_stop_beating(client):
    start = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    with clock.frozen(start):
        heartbeat_task.call()
    with clock.frozen(start + health.WORKER_STALE):
        answer = client.get("/health/ready")
        assert (answer.status_code, answer.json()["checks"]["worker"]) == (200, "ok")
        assert answer.json()["worker_heartbeat_seconds_ago"] == 45 * 60
    with clock.frozen(start + health.WORKER_STALE + dt.timedelta(seconds=1)):
        answer = client.get("/health/ready")
    assert answer.status_code == 503
    assert answer.json()["status"] == "not ready"
    assert answer.json()["checks"]["worker"] == "no heartbeat since 2027-03-01T09:00:00+00:00"


@pytest.mark.django_db
def test_ready_fails_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    # The newest migration of a room, as a deploy that has not migrated yet leaves it.
    (app, name), = MigrationLoader(connection).graph.leaf_nodes("notify")
    MigrationRecorder(connection).migration_qs.filter(app=app, name=name).delete()
    answer = client.get("/health/ready")
    assert answer.status_code == 503
    assert answer.json()["checks"] == {"database": "ok", "migrations": "not applied"}


@pytest.mark.django_db
def test_ready_fails_when_the_database_does_not_answer(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    answer = client.get("/health/ready")
    assert (answer.status_code, answer.json()) == (503, {
        "status": "not ready", "checks": {"database": "unreachable"}})


def test_probes_over_plain_http_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/live").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
