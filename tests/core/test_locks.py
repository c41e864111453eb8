"""Two runs of one periodic task never overlap, on PostgreSQL (advisory lock) and on
SQLite (a lock row); a scheduler that died does not block its task for ever."""

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from koers.core import locks
from koers.core.models import TaskLock
from koers.core.schedule import Every, periodic_tasks
from koers.cycles.reminders import send_reminders_task

pytestmark = pytest.mark.django_db


@contextmanager
def another_worker_holds(name: str) -> Iterator[None]:
    """The lock taken by another process: on PostgreSQL a second session of the server,
    on SQLite the row another holder wrote."""
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as other:
            key = locks._advisory_key(name)
            assert other.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone() == (True,)
            yield
            # Released now: the server frees a closed session's locks a moment later.
            other.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    TaskLock.objects.create(name=name, holder="another worker",
                            expires_at=timezone.now() + locks.LOCK_TTL)
    yield
    TaskLock.objects.filter(name=name).delete()


def test_a_task_whose_lock_is_taken_returns_at_once_and_runs_once_it_is_free():
    with another_worker_holds("periodic:reminders"):
        assert send_reminders_task.call() == locks.SKIPPED
    assert send_reminders_task.call() != locks.SKIPPED
    with locks.exclusive("periodic:reminders") as held:  # released after the run
        assert held


def test_the_lock_is_released_when_the_task_fails():
    @locks.one_at_a_time("failing")
    def fails() -> None:
        raise RuntimeError("the task failed")

    with pytest.raises(RuntimeError):
        fails()
    with locks.exclusive("failing") as held:
        assert held


def test_one_lock_does_not_hold_up_another_task():
    with another_worker_holds("periodic:reminders"), locks.exclusive("periodic:retention") as held:
        assert held


@pytest.mark.skipif(connection.vendor == "postgresql",
                    reason="PostgreSQL releases the lock with the session of a dead worker")
def test_a_lock_row_left_by_a_worker_that_died_is_taken_over_once_it_expires():
    TaskLock.objects.create(name="periodic:reminders", holder="a worker that died",
                            expires_at=timezone.now() - dt.timedelta(seconds=1))
    with locks.exclusive("periodic:reminders") as held:
        assert held
        assert TaskLock.objects.get().holder != "a worker that died"
    assert not TaskLock.objects.exists()


def test_every_periodic_task_runs_under_its_lock():
    for every in Every:
        for registered in periodic_tasks(every):
            assert registered.task.func.koers_lock == f"periodic:{registered.name}"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs a server database (run on PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_starting_one_task_at_once_run_it_once():
    barrier = threading.Barrier(2)
    release = threading.Event()
    held: list[bool] = []

    def worker() -> None:
        try:
            barrier.wait()
            with locks.exclusive("periodic:race") as got:
                held.append(got)
                if got:
                    release.wait(timeout=5)  # still running when the other one tries
                else:
                    release.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(held) == [False, True]
