"""Real races between writers, for the tests that prove no update is lost.

Threads need their own connections to one database. The SQLite test database lives in
shared-cache memory, where a second writer gets "table is locked" at once instead of
waiting as it does on a database file; on PostgreSQL the threads really race, so these
tests run there (``real_concurrency``), in ``django_db(transaction=True)`` tests whose
data the threads can see.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tests.security import figures

real_concurrency = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database (run on PostgreSQL)"
)


def race(*works: Callable[[], Any]) -> list[Any]:
    """Run each work in its own thread, started together, each with its own connection;
    what each returned or raised, in order."""
    barrier = threading.Barrier(len(works))
    outcomes: list[Any] = [None] * len(works)

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = works[index]()
        except BaseException as error:  # the test reads it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def record_race(*, writers: int, conflicts: int, lost: int) -> None:
    """The figures of one race for the security report."""
    section = "Concurrent writers (PostgreSQL)"
    figures.record(section, "races of two writers from one revision", 1)
    figures.record(section, "concurrent saves", writers)
    figures.record(section, "saves refused with what is saved now (409)", conflicts)
    figures.record(section, "lost updates", lost)
