"""Prometheus metrics at ``/metrics`` (docs/operations.md, "Metrics").

Two kinds of figures:

- **Requests**, counted by the process that served them: how many per view, method and
  status (``koers_http_requests_total``) and how long they took
  (``koers_http_request_duration_seconds``). With several app-server processes on a host,
  ``PROMETHEUS_MULTIPROC_DIR`` names a folder they share, and a scrape of any of them adds
  up all of them (prometheus_client's multiprocess mode). Views are named by their URL
  name, never by their path: a path holds ids and tokens.
- **Work**, read from the database when scraped, so every app server answers with the
  same figures for the whole installation: tasks waiting and running per queue, the tasks
  that finished or failed in the last hour with their durations, the e-mail backlog (the
  figures of ``core.health``), and what the rooms register here (``register_gauge``):
  undelivered e-mail, reminders sent in the last day.

Counts and durations only: no label names a person, an organisation or a text.
``/metrics`` answers only to ``Authorization: Bearer $KOERS_METRICS_TOKEN``, and does not
exist without one.
"""

import datetime as dt
import hmac
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Sum
from django.tasks import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from koers.core import clock, health

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
RECENT = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

REQUESTS = Counter("koers_http_requests", "Requests answered, by view, method and status.",
                   ["view", "method", "status"])
DURATION = Histogram(
    "koers_http_request_duration_seconds", "Time to answer a request, by view and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0))


def observe_request(view: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request (``web.middleware.RequestLogMiddleware``)."""
    REQUESTS.labels(view, method, str(status)).inc()
    DURATION.labels(view, method).observe(seconds)


@dataclass(frozen=True)
class Gauge:
    name: str
    help: str
    value: Callable[[], float]


_GAUGES: dict[str, Gauge] = {}
_REMINDER_TASKS: dict[str, str] = {}  # task's module path: what it reminds of


def register_gauge(name: str, help: str, value: Callable[[], float]) -> None:
    """A figure of the whole installation, read from the database at each scrape (one
    cheap query): ``koers_<name>``."""
    _GAUGES[name] = Gauge(f"koers_{name}", help, value)


def count_reminders(task: Task[Any, Any], reminders: str) -> None:
    """``task`` is a periodic task that sends reminders and returns ``{"notifications": n}``:
    ``koers_reminders_sent_last_day{reminders=…}`` adds up its runs of the last day."""
    _REMINDER_TASKS[task.module_path] = reminders


def allowed(authorization: str) -> bool:
    """Whether an ``Authorization`` header carries the metrics token (compared in constant
    time). Without a configured token nobody is allowed."""
    token = settings.KOERS_METRICS_TOKEN
    scheme, _, given = authorization.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode())


def exposition() -> bytes:
    """The text a Prometheus scrape reads."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    registry.register(_WORK)
    try:
        return generate_latest(registry)
    finally:
        registry.unregister(_WORK)


class WorkCollector(Collector):
    def describe(self) -> Iterator[Metric]:
        """Nothing: without it, registering the collector would run its queries once more."""
        return iter(())

    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        yield from _tasks(now)
        yield _reminders(now)
        for name, count in health.figures().items():
            figure = GaugeMetricFamily(f"koers_{name}", f"{name.replace('_', ' ')} (readiness)")
            figure.add_metric([], count)
            yield figure
        for gauge in _GAUGES.values():
            family = GaugeMetricFamily(gauge.name, gauge.help)
            family.add_metric([], gauge.value())
            yield family


_WORK = WorkCollector()


def _tasks(now: dt.datetime) -> Iterator[Metric]:
    waiting = GaugeMetricFamily("koers_tasks", "Tasks waiting or running, by queue and state.",
                                labels=["queue", "state"])
    for queue in (DBTaskResult.objects
                .filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
                .values("queue_name", "status").annotate(count=Count("id"))
                .order_by("queue_name", "status")):
        waiting.add_metric([queue["queue_name"], queue["status"].lower()], queue["count"])
    yield waiting

    runs = GaugeMetricFamily("koers_task_runs_last_hour",
                             "Tasks that finished in the last hour, by task and outcome.",
                             labels=["task", "outcome"])
    total = GaugeMetricFamily("koers_task_duration_seconds_sum_last_hour",
                              "Seconds the tasks that finished in the last hour ran, by task.",
                              labels=["task"])
    longest = GaugeMetricFamily("koers_task_duration_seconds_max_last_hour",
                                "The longest run of a task that finished in the last hour.",
                                labels=["task"])
    took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
    sums: dict[str, float] = {}
    maxima: dict[str, float] = {}
    for row in (DBTaskResult.objects
                .filter(finished_at__gte=now - RECENT, started_at__isnull=False)
                .values("task_path", "status")
                .annotate(count=Count("id"), total=Sum(took), longest=Max(took))
                .order_by("task_path", "status")):
        task = _short(row["task_path"])
        runs.add_metric([task, row["status"].lower()], row["count"])
        sums[task] = sums.get(task, 0.0) + _seconds(row["total"])
        maxima[task] = max(maxima.get(task, 0.0), _seconds(row["longest"]))
    for task, seconds in sums.items():
        total.add_metric([task], seconds)
        longest.add_metric([task], maxima[task])
    yield from (runs, total, longest)


def _reminders(now: dt.datetime) -> Metric:
    family = GaugeMetricFamily("koers_reminders_sent_last_day",
                               "Reminders and escalations sent in the last day, by kind.",
                               labels=["reminders"])
    sent = dict.fromkeys(_REMINDER_TASKS.values(), 0)
    for path, value in DBTaskResult.objects.filter(
            task_path__in=list(_REMINDER_TASKS), status=TaskResultStatus.SUCCESSFUL,
            finished_at__gte=now - DAY).values_list("task_path", "return_value"):
        if isinstance(value, dict):
            sent[_REMINDER_TASKS[path]] += int(value.get("notifications", 0))
    for reminders, count in sorted(sent.items()):
        family.add_metric([reminders], count)
    return family


def _short(task_path: str) -> str:
    """``koers.cycles.reminders.send_reminders_task`` → ``cycles.send_reminders_task``."""
    parts = task_path.split(".")
    return f"{parts[1]}.{parts[-1]}" if len(parts) > 2 and parts[0] == "koers" else task_path


def _seconds(value: dt.timedelta | float | None) -> float:
    if value is None:
        return 0.0
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # SQLite answers microseconds
