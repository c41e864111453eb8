"""The language a report version is written in, guarded as its content.

A new nullable column: on SQLite ``ALTER TABLE … ADD COLUMN`` (no rebuild of the table,
so the guards of 0003–0006 stay), on PostgreSQL the same. The guard on a signed version
is then written again with the column in its content list (0005's list plus
``language``). Backwards, the guard naming the column goes before the column, and 0005's
comes back after it (removing the column may rebuild the table on SQLite, which drops
its triggers). Going backwards loses the language every signed version sealed, so their
seals no longer hold: it is for development, never for a database in use.

Versions that carry no signature yet are written in the language of the employee's
record now, as a version opened from now on is; signed versions keep no language (NULL):
their seals were made without it and still hold (``seals._data``).
"""

from importlib import import_module
from typing import Any

from django.db import migrations, models

guards = import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")
procedure = import_module("koers.evaluations.migrations.0005_guards_follow_the_procedure")

REPORT_CONTENT = [*procedure.REPORT_CONTENT, "language"]
REPORT_TRIGGER = "evaluations_report_signed_no_update"
REPORT_FUNCTION = "evaluations_report_immutable"


def _report_changed(distinct: str) -> str:
    return (f"{guards._changed(REPORT_CONTENT, distinct)} OR "
            f"{guards._set_once(guards.REPORT_ONCE, distinct)}")


def _earlier(statements: list[str], start: str) -> str:
    return next(statement for statement in statements if statement.startswith(start))


SQLITE = [
    f"DROP TRIGGER IF EXISTS {REPORT_TRIGGER}",
    guards._sqlite_trigger(
        REPORT_TRIGGER, "UPDATE", "evaluations_evaluationreport",
        f"{guards.SIGNED_REPORT.format(report='OLD.id')} AND ({_report_changed('IS NOT')})",
        procedure.REPORT_REFUSED),
]
# Backwards, in two steps around the column's removal (which may rebuild the table on
# SQLite, dropping its triggers): the guard naming the column goes first, 0005's comes
# back after.
SQLITE_BACK = [f"DROP TRIGGER IF EXISTS {REPORT_TRIGGER}"]
SQLITE_PUT_BACK = [_earlier(procedure.SQLITE, f"CREATE TRIGGER {REPORT_TRIGGER} ")]

_SIGNED = guards.SIGNED_REPORT
_REFUSE = guards._pg_refuse(procedure.REPORT_REFUSED)
POSTGRESQL = [
    guards._pg_function(
        REPORT_FUNCTION,
        f"IF TG_OP = 'DELETE' THEN "
        f"IF {procedure.KEPT} AND {_SIGNED.format(report='OLD.id')} THEN {_REFUSE} END IF; "
        f"ELSIF {_SIGNED.format(report='OLD.id')} AND ({_report_changed('IS DISTINCT FROM')}) "
        f"THEN {_REFUSE} END IF;"),
]
POSTGRESQL_BACK = [
    _earlier(procedure.POSTGRESQL, f"CREATE OR REPLACE FUNCTION {REPORT_FUNCTION}()")]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_BACK), "postgresql": (POSTGRESQL, POSTGRESQL_BACK)}
PUT_BACK = {"sqlite": SQLITE_PUT_BACK}


def unsigned_in_the_employees_language(apps: Any, schema_editor: Any) -> None:
    report_model = apps.get_model("evaluations", "EvaluationReport")
    unsigned = report_model.objects.filter(signatures__isnull=True, language__isnull=True)
    for report in unsigned.select_related("evaluation__person").iterator():
        report.language = report.evaluation.person.language
        report.save(update_fields=["language"])


def guard(apps: Any, schema_editor: Any) -> None:
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(statement, params=None)


def unguard(apps: Any, schema_editor: Any) -> None:
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(statement, params=None)


def put_back(apps: Any, schema_editor: Any) -> None:
    for statement in PUT_BACK.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluations", "0006_probation"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, put_back),
        migrations.AddField(
            model_name="evaluationreport",
            name="language",
            field=models.CharField(blank=True, choices=[("nl", "Dutch"), ("en", "English"), ("fr", "French"), ("de", "German")], max_length=8, null=True, verbose_name="language of the report"),
        ),
        migrations.RunPython(unsigned_in_the_employees_language, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
