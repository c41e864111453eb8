"""Database triggers: what a signature seals cannot be changed, not even by hand.

The services never change a signed version; these triggers make the database refuse it
too, for anyone writing SQL directly (an IntegrityError):

- a signature is never updated (nor deleted, on PostgreSQL);
- a report version that carries a signature keeps its content (number, overall, verdict,
  the chosen advanced day, the correction's reason); its delivery moment and the
  advanced evaluation's earliest day are written once, at delivery; its items are not
  updated or added (nor deleted, on PostgreSQL);
- a submitted self-evaluation and its items stay as submitted; the draft of the written
  procedure (sent on, verdict) and the employee's remarks are written once; and once
  anything is signed, the evaluation's person, name, kind, period and procedure stay.

Deletes are guarded on PostgreSQL only: Django's test runner empties SQLite tables with
DELETE between transactional tests (PostgreSQL's TRUNCATE fires no row triggers), so on
SQLite a deleted row is left to ``koers verify-report`` (a later seal then no longer
matches, or the state names a signature that is missing). Someone with the rights to
drop a trigger gets past all of this: ``verify-report`` finds what they changed.
"""

from typing import Any

from django.db import migrations

SIGNED_REPORT = "EXISTS (SELECT 1 FROM evaluations_signature s WHERE s.report_id = {report})"
EVALUATION_SIGNED = (
    "EXISTS (SELECT 1 FROM evaluations_signature s JOIN evaluations_evaluationreport r "
    "ON r.id = s.report_id WHERE r.evaluation_id = OLD.id)"
)
SUBMITTED = (
    "EXISTS (SELECT 1 FROM evaluations_evaluation e WHERE e.id = {evaluation} "
    "AND e.self_evaluation_submitted_at IS NOT NULL)"
)


def _changed(columns: list[str], distinct: str) -> str:
    return " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in columns)


def _set_once(columns: list[str], distinct: str) -> str:
    return " OR ".join(f"(OLD.{c} IS NOT NULL AND NEW.{c} {distinct} OLD.{c})" for c in columns)


REPORT_CONTENT = ["id", "evaluation_id", "number", "overall", "verdict",
                  "advanced_evaluation_on", "correction_reason"]
REPORT_ONCE = ["delivered_at", "advanced_evaluation_earliest"]
ITEM_COLUMNS = ["id", "report_id", "position", "goal_title", "text"]
SELF_ITEM_COLUMNS = ["id", "evaluation_id", "position", "goal_title", "text"]
SIGNED_EVALUATION = ["person_id", "person_name", "kind", "period_start", "period_end",
                     "written_procedure"]


def _evaluation_condition(distinct: str) -> str:
    return (
        f"(OLD.self_evaluation_submitted_at IS NOT NULL AND ("
        f"{_changed(['self_evaluation', 'self_evaluation_submitted_at'], distinct)}))"
        f" OR (OLD.draft_sent_on IS NOT NULL AND ("
        f"{_changed(['draft_sent_on', 'draft_verdict'], distinct)}))"
        f" OR (OLD.draft_remarks_on IS NOT NULL AND ("
        f"{_changed(['draft_remarks', 'draft_remarks_on'], distinct)}))"
        f" OR ({EVALUATION_SIGNED} AND ({_changed(SIGNED_EVALUATION, distinct)}))"
    )


def _sqlite_trigger(name: str, when: str, table: str, condition: str, message: str) -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} WHEN {condition} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


SQLITE = [
    _sqlite_trigger("evaluations_signature_no_update", "UPDATE", "evaluations_signature",
                    "1", "a signature never changes"),
    _sqlite_trigger(
        "evaluations_report_signed_no_update", "UPDATE", "evaluations_evaluationreport",
        f"{SIGNED_REPORT.format(report='OLD.id')} AND ("
        f"{_changed(REPORT_CONTENT, 'IS NOT')} OR {_set_once(REPORT_ONCE, 'IS NOT')})",
        "a signed report version never changes"),
    _sqlite_trigger(
        "evaluations_item_signed_no_update", "UPDATE", "evaluations_reportitem",
        f"({SIGNED_REPORT.format(report='OLD.report_id')} "
        f"OR {SIGNED_REPORT.format(report='NEW.report_id')}) "
        f"AND ({_changed(ITEM_COLUMNS, 'IS NOT')})",
        "the items of a signed report version never change"),
    _sqlite_trigger(
        "evaluations_item_signed_no_insert", "INSERT", "evaluations_reportitem",
        SIGNED_REPORT.format(report="NEW.report_id"),
        "the items of a signed report version never change"),
    _sqlite_trigger(
        "evaluations_self_item_submitted_no_update", "UPDATE", "evaluations_selfevaluationitem",
        f"({SUBMITTED.format(evaluation='OLD.evaluation_id')} "
        f"OR {SUBMITTED.format(evaluation='NEW.evaluation_id')}) "
        f"AND ({_changed(SELF_ITEM_COLUMNS, 'IS NOT')})",
        "a submitted self-evaluation never changes"),
    _sqlite_trigger(
        "evaluations_self_item_submitted_no_insert", "INSERT", "evaluations_selfevaluationitem",
        SUBMITTED.format(evaluation="NEW.evaluation_id"),
        "a submitted self-evaluation never changes"),
    _sqlite_trigger(
        "evaluations_evaluation_sealed_no_update", "UPDATE", "evaluations_evaluation",
        _evaluation_condition("IS NOT"), "what was submitted or signed never changes"),
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}" for name in (
        "evaluations_signature_no_update", "evaluations_report_signed_no_update",
        "evaluations_item_signed_no_update", "evaluations_item_signed_no_insert",
        "evaluations_self_item_submitted_no_update", "evaluations_self_item_submitted_no_insert",
        "evaluations_evaluation_sealed_no_update",
    )
]


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{body} IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )


def _pg_refuse(message: str) -> str:
    # SQLSTATE 23000 (integrity constraint violation): Django raises IntegrityError.
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = '23000';"


def _pg_trigger(name: str, when: str, table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


POSTGRESQL = [
    _pg_function("evaluations_signature_immutable",
                 _pg_refuse("a signature never changes")),
    *_pg_trigger("evaluations_signature_immutable", "UPDATE OR DELETE", "evaluations_signature"),
    _pg_function(
        "evaluations_report_immutable",
        f"IF {SIGNED_REPORT.format(report='OLD.id')} AND (TG_OP = 'DELETE' OR "
        f"{_changed(REPORT_CONTENT, 'IS DISTINCT FROM')} OR "
        f"{_set_once(REPORT_ONCE, 'IS DISTINCT FROM')}) THEN "
        f"{_pg_refuse('a signed report version never changes')} END IF;"),
    *_pg_trigger("evaluations_report_immutable", "UPDATE OR DELETE",
                 "evaluations_evaluationreport"),
    _pg_function(
        "evaluations_item_immutable",
        f"IF TG_OP = 'INSERT' THEN IF {SIGNED_REPORT.format(report='NEW.report_id')} THEN "
        f"{_pg_refuse('the items of a signed report version never change')} END IF; "
        f"ELSIF {SIGNED_REPORT.format(report='OLD.report_id')} AND (TG_OP = 'DELETE' OR "
        f"{_changed(ITEM_COLUMNS, 'IS DISTINCT FROM')}) THEN "
        f"{_pg_refuse('the items of a signed report version never change')} END IF;"),
    *_pg_trigger("evaluations_item_immutable", "INSERT OR UPDATE OR DELETE",
                 "evaluations_reportitem"),
    _pg_function(
        "evaluations_self_item_immutable",
        f"IF TG_OP = 'INSERT' THEN IF {SUBMITTED.format(evaluation='NEW.evaluation_id')} THEN "
        f"{_pg_refuse('a submitted self-evaluation never changes')} END IF; "
        f"ELSIF {SUBMITTED.format(evaluation='OLD.evaluation_id')} AND (TG_OP = 'DELETE' OR "
        f"{_changed(SELF_ITEM_COLUMNS, 'IS DISTINCT FROM')}) THEN "
        f"{_pg_refuse('a submitted self-evaluation never changes')} END IF;"),
    *_pg_trigger("evaluations_self_item_immutable", "INSERT OR UPDATE OR DELETE",
                 "evaluations_selfevaluationitem"),
    _pg_function(
        "evaluations_evaluation_sealed",
        f"IF {_evaluation_condition('IS DISTINCT FROM')} THEN "
        f"{_pg_refuse('what was submitted or signed never changes')} END IF;"),
    *_pg_trigger("evaluations_evaluation_sealed", "UPDATE", "evaluations_evaluation"),
]
POSTGRESQL_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in (
        ("evaluations_signature_immutable", "evaluations_signature"),
        ("evaluations_report_immutable", "evaluations_evaluationreport"),
        ("evaluations_item_immutable", "evaluations_reportitem"),
        ("evaluations_self_item_immutable", "evaluations_selfevaluationitem"),
        ("evaluations_evaluation_sealed", "evaluations_evaluation"),
    )),
    *(f"DROP FUNCTION IF EXISTS {name}()" for name in (
        "evaluations_signature_immutable", "evaluations_report_immutable",
        "evaluations_item_immutable", "evaluations_self_item_immutable",
        "evaluations_evaluation_sealed",
    )),
]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_DROP), "postgresql": (POSTGRESQL, POSTGRESQL_DROP)}


def create(apps: Any, schema_editor: Any) -> None:
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(statement, params=None)


def drop(apps: Any, schema_editor: Any) -> None:
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluations", "0002_report_delivery"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
