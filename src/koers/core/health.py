"""Is this process alive, and ready for work? For a load balancer or Kubernetes probes.

``liveness`` asks nothing of the database: a process that answers is alive. ``readiness``
asks the database (one short query each):

- the database answers;
- every migration of this release is applied (once it is, the answer is kept for the
  life of the process: a release's migrations are not taken back);
- a task worker ran the heartbeat task recently (``WORKER_STALE``). Without the
  scheduler there is no heartbeat, and the worker is reported as not watched rather
  than failing the check: a site that runs ``koers reminders`` from cron has no worker;
- figures other rooms add (``register_figure``), such as the e-mail waiting in the
  outbox. They are reported, never a reason to be unready.

The answers name no person and no organisation: counts and states only.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from koers.core import clock
from koers.core.models import Heartbeat

WORKER = "worker"
WORKER_STALE = dt.timedelta(minutes=settings.KOERS_WORKER_STALE_MINUTES)

_FIGURES: dict[str, Callable[[], int]] = {}
_migrated = False


def register_figure(name: str, count: Callable[[], int]) -> None:
    """A number the readiness answer reports (a backlog, say); one cheap query."""
    _FIGURES[name] = count


def figures() -> dict[str, int]:
    """The registered figures, counted now (the readiness answer and the metrics)."""
    return {name: count() for name, count in sorted(_FIGURES.items())}


def prune_task_results(batch: int = 5_000) -> int:
    """Delete the results of tasks that succeeded more than ``KOERS_TASK_RESULTS_KEEP_DAYS``
    ago (failed ones are kept four times as long, to be looked into), in batches."""
    now = clock.now()
    keep = dt.timedelta(days=settings.KOERS_TASK_RESULTS_KEEP_DAYS)
    old = (Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep)
           | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - 4 * keep))
    deleted = 0
    while ids := list(DBTaskResult.objects.filter(old).values_list("id", flat=True)[:batch]):
        deleted += DBTaskResult.objects.filter(id__in=ids).delete()[0]
    return deleted


def beat(name: str = WORKER) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": clock.now()})


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)  # name: "ok" or what is wrong
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(state in ("ok", "not watched") for state in self.checks.values())

    def as_json(self) -> dict[str, Any]:
        return {"status": "ready" if self.ready else "not ready", "checks": self.checks,
                **self.figures}


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _worker(now: dt.datetime) -> str:
    last = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    if last is None:
        return "not watched"
    return "ok" if now - last <= WORKER_STALE else "no heartbeat since " + last.isoformat()


def readiness() -> Readiness:
    result = Readiness()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        result.checks["database"] = "unreachable"
        return result
    result.checks["database"] = "ok"
    result.checks["migrations"] = "ok" if _migrations_applied() else "not applied"
    if result.checks["migrations"] != "ok":
        return result  # the tables below may not exist yet
    now = clock.now()
    result.checks[WORKER] = _worker(now)
    if result.checks[WORKER] != "not watched":
        result.figures["worker_heartbeat_seconds_ago"] = int(
            (now - Heartbeat.objects.get(name=WORKER).beat_at).total_seconds())
    result.figures.update(figures())
    return result
