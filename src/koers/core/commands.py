"""The base of Koers' own ``koers`` commands: they start fast and fail in one line.

Django runs its system checks before every command unless told otherwise, and the checks
import the whole URL configuration and the API: seconds of start-up for a command that
then works for milliseconds. Our commands only call services, so they skip the checks
(`koers check` still runs them, the development server too, and a test runs them once).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


class KoersCommand(BaseCommand):
    requires_system_checks: list[str] = []

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except DatabaseError as error:
            # Asked only after a failure, so a working command never pays for loading
            # every migration; a real database error on a migrated schema is re-raised.
            try:
                pending = pending_migrations()
            except DatabaseError:
                pending = 0  # e.g. inside a broken transaction: the first error tells more
            if not pending:
                raise
            raise CommandError(
                f"the database is not migrated ({pending} migrations not applied): "
                "run `koers migrate` first"
            ) from error


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database behind ``using`` has not applied yet."""
    executor = MigrationExecutor(connections[using])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
