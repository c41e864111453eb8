"""bin/restore-drill: a backup restored into a fresh database is compared table by table
with its source and its records are verified; a difference fails the drill."""

import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection

from tests.config.test_lock import ROOT

sys.path.insert(0, str(ROOT / "deploy"))
import restore_drill

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the drill restores PostgreSQL dumps")

SERVER = "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def source():
    """A small database of its own, committed (the test database is not: pg_dump would
    see nothing of it)."""
    name = f"koers_restore_drill_test_{uuid.uuid4().hex[:8]}"
    url = restore_drill.recreate(SERVER, name)
    restore_drill.koers(url, "migrate", "--verbosity", "0")
    restore_drill.koers(url, "generate", "--people", "80", "--org", "Drill")
    yield url
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_backup_is_restored_compared_and_verified(source, tmp_path):
    target = f"koers_restore_drill_test_{uuid.uuid4().hex[:8]}"
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, ROOT / "deploy" / "restore_drill.py", "--source", source,
         "--target", target, "--dump", tmp_path / "backup.dump"],
        capture_output=True, text=True, timeout=300, check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "0 differ" in out
    assert "migrations: " in out
    assert "(all applied)" in out
    assert "verify-audit: " in out
    assert "drill: ok" in out
    assert "recovery time: " in out


def test_a_row_changed_in_the_copy_is_found():
    name = f"koers_restore_drill_test_{uuid.uuid4().hex[:8]}"
    copy = restore_drill.recreate(SERVER, name)
    source = restore_drill.recreate(SERVER, name + "_source")
    try:
        with psycopg.connect(copy, autocommit=True) as target:
            target.execute("CREATE TABLE note (id int, text text)")
            target.execute("INSERT INTO note VALUES (1, 'a')")
        with psycopg.connect(source, autocommit=True) as original:
            original.execute("CREATE TABLE note (id int, text text)")
            original.execute("INSERT INTO note VALUES (1, 'b')")
        before = restore_drill.digests(source, ["note"])
        after = restore_drill.digests(copy, ["note"])
        assert before["note"][0] == after["note"][0] == 1
        assert before["note"][1] != after["note"][1]
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP DATABASE IF EXISTS {name}_source WITH (FORCE)")
