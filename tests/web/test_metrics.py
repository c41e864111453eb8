"""/metrics: Prometheus figures for the scraper that holds the token; counts and
durations of the whole installation, never a name."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest, multiprocess

from koers.core import clock
from koers.core.tasks import heartbeat_task, prune_task_results_task
from koers.cycles.reminders import send_reminders_task
from koers.development.reminders import send_follow_up_reminders_task
from koers.notify.models import OutgoingEmail
from tests import personas
from tests.config.test_settings import SRC

TOKEN = "scrape-" + "x" * 40
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def token(settings):
    settings.KOERS_METRICS_TOKEN = TOKEN
    return TOKEN


def figures(client) -> dict[str, float]:
    """Each sample line of the exposition: its name with labels, and its value."""
    response = client.get("/metrics", **BEARER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {line.rpartition(" ")[0]: float(line.rpartition(" ")[2])
            for line in response.content.decode().splitlines()
            if line and not line.startswith("#")}


@pytest.mark.django_db
def test_without_a_configured_token_there_is_no_metrics_page(client, settings):
    settings.KOERS_METRICS_TOKEN = ""
    assert client.get("/metrics", **BEARER).status_code == 404
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", ["", "Bearer wrong", f"Basic {TOKEN}", TOKEN,
                                           f"Bearer {TOKEN}x"])
def test_only_the_token_opens_the_metrics(client, token, authorization):
    assert client.get("/metrics", HTTP_AUTHORIZATION=authorization).status_code == 404


@pytest.mark.django_db
def test_requests_are_counted_by_view_method_and_status_never_by_path(client, token):
    p = personas.build()
    before = figures(client)
    live = 'koers_http_requests_total{method="GET",status="200",view="health_live"}'
    client.get("/health/live")
    client.get("/health/live")
    client.force_login(p.employee.user)
    client.get(f"/people/{p.employee.pk}/")

    after = figures(client)
    assert after[live] - before.get(live, 0) == 2
    assert after['koers_http_request_duration_seconds_count{method="GET",view="health_live"}'] \
        - before.get('koers_http_request_duration_seconds_count{method="GET",view="health_live"}',
                     0) == 2
    body = client.get("/metrics", **BEARER).content.decode()
    # No id, no name: the person's page is counted under its view's name.
    assert f"/people/{p.employee.pk}/" not in body
    for person in (p.employee, p.manager):
        assert person.first_name not in body
        assert person.last_name not in body


@pytest.mark.django_db
def test_the_work_of_the_installation_is_read_from_the_database(client, token):
    start = dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)
    with clock.frozen(start):
        waiting = heartbeat_task.enqueue()
        for task, took, sent in [(send_reminders_task, 3, 7), (send_reminders_task, 5, 4),
                                 (send_follow_up_reminders_task, 1, 2)]:
            result = task.enqueue()
            DBTaskResult.objects.filter(pk=result.id).update(
                status=TaskResultStatus.SUCCESSFUL, started_at=start - dt.timedelta(minutes=10),
                finished_at=start - dt.timedelta(minutes=10, seconds=-took),
                return_value={"notifications": sent})
        failed = heartbeat_task.enqueue()
        DBTaskResult.objects.filter(pk=failed.id).update(
            status=TaskResultStatus.FAILED, started_at=start - dt.timedelta(seconds=2),
            finished_at=start - dt.timedelta(seconds=1))
        # A day-old run counts no more.
        old = send_reminders_task.enqueue()
        DBTaskResult.objects.filter(pk=old.id).update(
            status=TaskResultStatus.SUCCESSFUL, started_at=start - dt.timedelta(days=2),
            finished_at=start - dt.timedelta(days=2), return_value={"notifications": 100})
        OutgoingEmail.objects.create(key="given-up", message_id="<1@koers>", kind="digest",
                                     from_email="koers@example.org", to=["a@example.org"],
                                     subject="s", body="b", created_at=start,
                                     next_attempt_at=start, gave_up_at=start)

        seen = figures(client)

    assert waiting.id
    assert seen['koers_tasks{queue="default",state="ready"}'] == 1
    assert seen['koers_task_runs_last_hour{outcome="successful",task="cycles.send_reminders_task"}'
                ] == 2
    assert seen['koers_task_duration_seconds_sum_last_hour{task="cycles.send_reminders_task"}'
                ] == pytest.approx(8)
    assert seen['koers_task_duration_seconds_max_last_hour{task="cycles.send_reminders_task"}'
                ] == pytest.approx(5)
    assert seen['koers_task_runs_last_hour{outcome="failed",task="core.heartbeat_task"}'] == 1
    assert seen['koers_reminders_sent_last_day{reminders="evaluation steps"}'] == 11
    assert seen['koers_reminders_sent_last_day{reminders="POP follow-ups"}'] == 2
    assert seen["koers_mail_undelivered"] == 1
    assert seen["koers_mail_backlog"] == 0


@pytest.mark.django_db
def test_a_scrape_costs_a_bounded_number_of_queries(client, token,
                                                    django_assert_max_num_queries):
    personas.build()
    # Waiting tasks, finished tasks, reminders, the mail backlog, undelivered mail.
    with django_assert_max_num_queries(5):
        client.get("/metrics", **BEARER)


def test_the_app_server_processes_of_a_host_add_up_in_one_scrape(tmp_path):
    """granian runs several worker processes: with PROMETHEUS_MULTIPROC_DIR they write
    their counts into one folder, and a scrape of any of them reads all."""
    script = ("import django; django.setup(); from koers.core import metrics; "
              "metrics.observe_request('health_live', 'GET', 200, 0.01)")
    for _ in range(2):
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60,  # noqa: S603
                       env={**os.environ, "PYTHONPATH": str(SRC),
                            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    assert ('koers_http_requests_total{method="GET",status="200",view="health_live"} 2.0'
            in generate_latest(registry).decode())


@pytest.mark.django_db
def test_old_task_results_are_pruned_every_day(settings):
    """Every e-mail and PDF is a task: their results would fill the table for ever."""
    settings.KOERS_TASK_RESULTS_KEEP_DAYS = 7
    now = dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)
    rows = {}
    for name, status, age in [("recent", TaskResultStatus.SUCCESSFUL, 6),
                              ("old", TaskResultStatus.SUCCESSFUL, 8),
                              ("failed, looked into", TaskResultStatus.FAILED, 27),
                              ("failed long ago", TaskResultStatus.FAILED, 29),
                              ("waiting", TaskResultStatus.READY, 40)]:
        with clock.frozen(now - dt.timedelta(days=age)):
            result = heartbeat_task.enqueue()
        finished = now - dt.timedelta(days=age) if status != TaskResultStatus.READY else None
        DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
        rows[name] = result.id

    with clock.frozen(now):
        assert prune_task_results_task.call() == {"deleted": 2}

    kept = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert kept == {rows["recent"], rows["failed, looked into"], rows["waiting"]}
