"""Erasing signed records: the one door through the database's guards.

Signed records (an evaluation's signatures and signed versions, a development plan's
signed rounds and their signatures) are kept by database triggers. On PostgreSQL a
DELETE of them passes only in a transaction that set ``koers.retention_erasure`` to
``on`` *and* whose role is a member of ``koers_erasure`` (evaluations migration 0005):
the retention run's erasers open the door around their own deletes (``signed_rows_erasable``)
and run in the worker, whose role is a member; the web app's is not
(``docs/operations.md``, "Database roles"). SQLite's triggers guard no deletes.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

# The database role whose members may erase signed rows (made by evaluations 0005).
ERASURE_ROLE = "koers_erasure"


def may_erase_signed_records() -> bool:
    """Whether this connection's role may erase signed rows: a member of ``koers_erasure``
    (a superuser is one). Always on SQLite, whose triggers guard no deletes."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = %s "
            "AND pg_has_role(current_user, r.oid, 'USAGE'))", [ERASURE_ROLE])
        row = cursor.fetchone()
    return bool(row and row[0])


@contextmanager
def signed_rows_erasable() -> Iterator[None]:
    """A transaction in which the guards let this role's deletes of signed rows pass
    (``SET LOCAL``: it ends with the transaction, and is switched off again on the way
    out). Erasers only: nothing else deletes what was signed."""
    with transaction.atomic():
        _switch("on")
        yield
        _switch("off")


def _switch(value: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('koers.retention_erasure', %s, true)", [value])
