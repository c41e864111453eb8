"""Koers' own commands on a database that was never migrated: one line, exit status 1."""

import os
import subprocess
import sys


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
