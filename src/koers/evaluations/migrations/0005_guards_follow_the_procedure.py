"""The guards on signed records, tightened.

1. Only a member of the database role ``koers_erasure`` erases signed rows. Since 0004
   a DELETE of a signature, a signed version or its items passed in any transaction
   that set ``koers.retention_erasure`` to ``on``, and any session can set it. Now the
   setting opens the guard only for a session whose current role is a member of
   ``koers_erasure`` (``pg_has_role(current_user, …, 'USAGE')``). In production the web
   app connects as a role that is not a member (nor a superuser, nor the tables'
   owner), and the worker that runs the retention task as one that is:
   ``docs/operations.md``, "Database roles". A superuser passes any guard (and may drop
   triggers); the development set-up runs as one, so nothing changes there. The role is
   made here when the migrating role may create roles; otherwise the operator makes it
   (the same page says how) and, until then, nobody erases signed rows.
2. The state column moves only along the procedure (``evaluations.states.moves``): a
   completed evaluation cannot be put back in preparation, in SQL either.
3. Once an evaluation is finished (completed, closed unsigned, cancelled), its
   evaluators, policy version, delivery, term and reason stay as they were; a signed
   report version also keeps its revision, author and creation time. What may still
   change is written in ``MAY_CHANGE`` with its reason (a test checks that every column
   is in one list or the other).
"""

from importlib import import_module
from typing import Any

from django.db import migrations

guards = import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")
before = import_module("koers.evaluations.migrations.0004_retention_may_delete_signed_rows")

ERASURE_ROLE = "koers_erasure"
SWITCH_ON = "coalesce(current_setting('koers.retention_erasure', true), '') = 'on'"
# Constants only, no input: S608 does not apply.
ERASER = (f"EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = '{ERASURE_ROLE}' "  # noqa: S608
          f"AND pg_has_role(current_user, r.oid, 'USAGE'))")
KEPT = f"NOT ({SWITCH_ON} AND {ERASER})"

# The changes of state ``evaluations.states.moves`` allows, frozen as they were when this
# migration was written (tests/evaluations/test_guards.py keeps them equal).
MOVES = (
    ("delivered", "closed_unsigned"), ("delivered", "completed"), ("delivered", "draft"),
    ("draft", "cancelled"), ("draft", "delivered"), ("draft", "draft_sent"),
    ("draft", "first_signed"), ("draft_sent", "cancelled"), ("draft_sent", "delivered"),
    ("draft_sent", "first_signed"), ("first_signed", "delivered"), ("first_signed", "draft"),
)
FINAL = ("completed", "closed_unsigned", "cancelled")
FINAL_KEPT = ["first_evaluator_id", "second_evaluator_id", "policy_version", "delivered_at",
              "employee_signature_due", "advanced_evaluation_earliest", "closed_reason",
              "created_by_id", "created_at"]
REPORT_CONTENT = [*guards.REPORT_CONTENT, "revision", "created_by_id", "created_at"]

# Every other column, and why it may still change once signed or finished.
MAY_CHANGE = {
    "evaluation": {
        "participation_id": "emptied when retention erases the cycle's participation",
        "conversation_id": "emptied when retention erases the conversation",
        "follows_id": "emptied when retention erases the evaluation it followed",
        "improvement_conversation_id": "the conversation is kept (PROTECT); set before",
        "self_evaluation_revision": "bookkeeping of the self-evaluation's edits",
        "due_on": "an advanced evaluation's planned day; moves with its re-planning",
        "formal_reason": "written when a formal assessment is started",
        "updated_at": "the moment of the last change (retention reads it)",
    },
    "report": {
        "updated_at": "the moment of the last change, delivery included",
    },
    "item": {
        "goal_id": "emptied when retention erases the goal; its title stays in the item",
    },
}

_moves = ", ".join(f"'{source}>{target}'" for source, target in MOVES)
_final = ", ".join(f"'{state}'" for state in FINAL)
MOVE_REFUSED = "the state of an evaluation moves only along its procedure"
FINAL_REFUSED = "a finished evaluation keeps its evaluators and dates"
REPORT_REFUSED = "a signed report version never changes"


def _report_changed(distinct: str) -> str:
    return (f"{guards._changed(REPORT_CONTENT, distinct)} OR "
            f"{guards._set_once(guards.REPORT_ONCE, distinct)}")


SQLITE = [
    "DROP TRIGGER IF EXISTS evaluations_report_signed_no_update",
    guards._sqlite_trigger(
        "evaluations_report_signed_no_update", "UPDATE", "evaluations_evaluationreport",
        f"{guards.SIGNED_REPORT.format(report='OLD.id')} AND ({_report_changed('IS NOT')})",
        REPORT_REFUSED),
    guards._sqlite_trigger(
        "evaluations_evaluation_moves", "UPDATE", "evaluations_evaluation",
        f"(NEW.state IS NOT OLD.state AND (OLD.state || '>' || NEW.state) NOT IN ({_moves}))",
        MOVE_REFUSED),
    guards._sqlite_trigger(
        "evaluations_evaluation_final_kept", "UPDATE", "evaluations_evaluation",
        f"OLD.state IN ({_final}) AND ({guards._changed(FINAL_KEPT, 'IS NOT')})",
        FINAL_REFUSED),
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS evaluations_evaluation_moves",
    "DROP TRIGGER IF EXISTS evaluations_evaluation_final_kept",
    "DROP TRIGGER IF EXISTS evaluations_report_signed_no_update",
    next(statement for statement in guards.SQLITE
         if "evaluations_report_signed_no_update" in statement),
]

CREATE_ROLE = (
    "DO $$ BEGIN "  # noqa: S608 (constants only)
    f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ERASURE_ROLE}') THEN "
    f"CREATE ROLE {ERASURE_ROLE} NOLOGIN; END IF; "
    "EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN "
    f"RAISE NOTICE 'role {ERASURE_ROLE} not created here: see docs/operations.md'; "
    "END $$"
)
_REFUSE_SIGNATURE = guards._pg_refuse("a signature never changes")
_REFUSE_REPORT = guards._pg_refuse(REPORT_REFUSED)
_REFUSE_ITEM = guards._pg_refuse("the items of a signed report version never change")
_REFUSE_SELF = guards._pg_refuse("a submitted self-evaluation never changes")
_SIGNED = guards.SIGNED_REPORT
_SUBMITTED = guards.SUBMITTED

POSTGRESQL = [
    CREATE_ROLE,
    guards._pg_function(
        "evaluations_signature_immutable",
        f"IF TG_OP = 'UPDATE' OR {KEPT} THEN {_REFUSE_SIGNATURE} END IF;"),
    guards._pg_function(
        "evaluations_report_immutable",
        f"IF TG_OP = 'DELETE' THEN "
        f"IF {KEPT} AND {_SIGNED.format(report='OLD.id')} THEN {_REFUSE_REPORT} END IF; "
        f"ELSIF {_SIGNED.format(report='OLD.id')} AND ({_report_changed('IS DISTINCT FROM')}) "
        f"THEN {_REFUSE_REPORT} END IF;"),
    guards._pg_function(
        "evaluations_item_immutable",
        f"IF TG_OP = 'INSERT' THEN IF {_SIGNED.format(report='NEW.report_id')} THEN "
        f"{_REFUSE_ITEM} END IF; "
        f"ELSIF TG_OP = 'DELETE' THEN "
        f"IF {KEPT} AND {_SIGNED.format(report='OLD.report_id')} THEN {_REFUSE_ITEM} END IF; "
        f"ELSIF {_SIGNED.format(report='OLD.report_id')} AND ("
        f"{guards._changed(guards.ITEM_COLUMNS, 'IS DISTINCT FROM')}) THEN {_REFUSE_ITEM} END IF;"),
    guards._pg_function(
        "evaluations_self_item_immutable",
        f"IF TG_OP = 'INSERT' THEN IF {_SUBMITTED.format(evaluation='NEW.evaluation_id')} THEN "
        f"{_REFUSE_SELF} END IF; "
        f"ELSIF TG_OP = 'DELETE' THEN "
        f"IF {KEPT} AND {_SUBMITTED.format(evaluation='OLD.evaluation_id')} THEN "
        f"{_REFUSE_SELF} END IF; "
        f"ELSIF {_SUBMITTED.format(evaluation='OLD.evaluation_id')} AND ("
        f"{guards._changed(guards.SELF_ITEM_COLUMNS, 'IS DISTINCT FROM')}) THEN "
        f"{_REFUSE_SELF} END IF;"),
    guards._pg_function(
        "evaluations_evaluation_moves",
        f"IF NEW.state IS DISTINCT FROM OLD.state AND (OLD.state || '>' || NEW.state) "
        f"NOT IN ({_moves}) THEN {guards._pg_refuse(MOVE_REFUSED)} END IF; "
        f"IF OLD.state IN ({_final}) AND ({guards._changed(FINAL_KEPT, 'IS DISTINCT FROM')}) "
        f"THEN {guards._pg_refuse(FINAL_REFUSED)} END IF;"),
    *guards._pg_trigger("evaluations_evaluation_moves", "UPDATE", "evaluations_evaluation"),
]
POSTGRESQL_BACK = [
    "DROP TRIGGER IF EXISTS evaluations_evaluation_moves ON evaluations_evaluation",
    "DROP FUNCTION IF EXISTS evaluations_evaluation_moves()",
    *before.FUNCTIONS,
]

STATEMENTS = {"sqlite": (SQLITE, SQLITE_BACK), "postgresql": (POSTGRESQL, POSTGRESQL_BACK)}


def tighten(apps: Any, schema_editor: Any) -> None:
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(statement, params=None)


def loosen(apps: Any, schema_editor: Any) -> None:
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluations", "0004_retention_may_delete_signed_rows"),
    ]

    operations = [
        migrations.RunPython(tighten, loosen),
    ]
