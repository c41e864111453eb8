"""Retention may delete what was signed; nothing else may.

After the retention period the evaluations of leavers and the evaluations that ended
before the cutoff are deleted, signatures and signed versions included
(``evaluations.retention``). On PostgreSQL the triggers of 0003 refuse those deletes; from
here on they let a DELETE pass only in a transaction that set the setting
``koers.retention_erasure`` to ``on`` (``SET LOCAL``: it ends with the transaction), which
the retention run does around its own deletes and nothing else does. Updates stay
refused as before. SQLite's triggers guard no deletes (see 0003): nothing changes there.
"""

from importlib import import_module
from typing import Any

from django.db import migrations

guards = import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")

# The transaction is the retention run's: the setting is unset (NULL) or '' elsewhere.
KEPT = "coalesce(current_setting('koers.retention_erasure', true), '') <> 'on'"
SIGNED_REPORT = guards.SIGNED_REPORT
SUBMITTED = guards.SUBMITTED
REFUSE_SIGNATURE = guards._pg_refuse("a signature never changes")
REFUSE_REPORT = guards._pg_refuse("a signed report version never changes")
REFUSE_ITEM = guards._pg_refuse("the items of a signed report version never change")
REFUSE_SELF = guards._pg_refuse("a submitted self-evaluation never changes")


def _changed(columns: list[str]) -> str:
    return guards._changed(columns, "IS DISTINCT FROM")


FUNCTIONS = [
    guards._pg_function(
        "evaluations_signature_immutable",
        f"IF TG_OP = 'UPDATE' OR {KEPT} THEN {REFUSE_SIGNATURE} END IF;"),
    guards._pg_function(
        "evaluations_report_immutable",
        f"IF TG_OP = 'DELETE' THEN "
        f"IF {KEPT} AND {SIGNED_REPORT.format(report='OLD.id')} THEN {REFUSE_REPORT} END IF; "
        f"ELSIF {SIGNED_REPORT.format(report='OLD.id')} AND ("
        f"{_changed(guards.REPORT_CONTENT)} OR "
        f"{guards._set_once(guards.REPORT_ONCE, 'IS DISTINCT FROM')}) THEN "
        f"{REFUSE_REPORT} END IF;"),
    guards._pg_function(
        "evaluations_item_immutable",
        f"IF TG_OP = 'INSERT' THEN IF {SIGNED_REPORT.format(report='NEW.report_id')} THEN "
        f"{REFUSE_ITEM} END IF; "
        f"ELSIF TG_OP = 'DELETE' THEN "
        f"IF {KEPT} AND {SIGNED_REPORT.format(report='OLD.report_id')} THEN "
        f"{REFUSE_ITEM} END IF; "
        f"ELSIF {SIGNED_REPORT.format(report='OLD.report_id')} AND ("
        f"{_changed(guards.ITEM_COLUMNS)}) THEN {REFUSE_ITEM} END IF;"),
    guards._pg_function(
        "evaluations_self_item_immutable",
        f"IF TG_OP = 'INSERT' THEN IF {SUBMITTED.format(evaluation='NEW.evaluation_id')} THEN "
        f"{REFUSE_SELF} END IF; "
        f"ELSIF TG_OP = 'DELETE' THEN "
        f"IF {KEPT} AND {SUBMITTED.format(evaluation='OLD.evaluation_id')} THEN "
        f"{REFUSE_SELF} END IF; "
        f"ELSIF {SUBMITTED.format(evaluation='OLD.evaluation_id')} AND ("
        f"{_changed(guards.SELF_ITEM_COLUMNS)}) THEN {REFUSE_SELF} END IF;"),
]
NAMES = ("evaluations_signature_immutable", "evaluations_report_immutable",
         "evaluations_item_immutable", "evaluations_self_item_immutable")
# Going back: the functions as 0003 made them (the triggers themselves never changed).
PREVIOUS = [statement for statement in guards.POSTGRESQL
            if statement.startswith("CREATE OR REPLACE FUNCTION")
            and statement.split()[4].removesuffix("()") in NAMES]


def _run(schema_editor: Any, statements: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def allow_retention(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, FUNCTIONS)


def refuse_every_delete(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, PREVIOUS)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluations", "0003_signed_rows_are_immutable"),
    ]

    operations = [
        migrations.RunPython(allow_retention, refuse_every_delete),
    ]
