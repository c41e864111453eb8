"""Database roles for the tests of the guards on signed records (PostgreSQL): a role
with the app's data rights, a member of ``koers_erasure`` or not, to ``SET ROLE`` to."""

from django.db import connection

from koers.core.erasure import ERASURE_ROLE


def database_role(name: str, *, eraser: bool) -> None:
    """A role without login, with the data rights the app has; cluster-wide, so made once
    (several test databases share it) and left for the next run."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN "  # noqa: S608 (test role names only)
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') THEN "
            f"CREATE ROLE {name} NOLOGIN; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                       f"TO {name}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
        if eraser:
            cursor.execute(f"GRANT {ERASURE_ROLE} TO {name}")
