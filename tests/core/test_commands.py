"""Koers' own commands: one line on a database that was never migrated; the system
checks they skip at start-up pass."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command


def test_a_command_on_an_unmigrated_database_says_to_migrate(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}

    done = subprocess.run(
        [sys.executable, "-m", "koers.config.cli", "verify-audit"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )

    [line] = done.stderr.splitlines()
    assert (done.returncode, done.stdout) == (1, "")
    assert line.startswith("CommandError: the database is not migrated (")
    assert line.endswith("not applied): run `koers migrate` first")


@pytest.mark.django_db
def test_the_system_checks_pass():
    # Koers' commands skip them at start-up, so the suite runs them once.
    call_command("check", fail_level="WARNING")
