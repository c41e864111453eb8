"""Database triggers: a signed improvement plan, its expected improvements and its
signatures never change, not even by hand.

The services never change what both signed (``improvement.services``); these triggers
make the database refuse it too, for anyone writing SQL directly (an IntegrityError), as
the triggers of evaluations and development plans do:

- a signature is never updated; on PostgreSQL, a signature of a signed plan is not
  deleted either (while the plan is being agreed, a change withdraws the signature
  already given: that delete stays allowed);
- a signed plan (``seal`` set) keeps what was signed (``SIGNED``); what happens after
  the signatures (an extension by agreement, the decision) may still be written
  (``MAY_CHANGE``, each for its reason), and a decision, once taken, stays (``DECIDED``);
- the expected improvements of a signed plan are not updated; on PostgreSQL they are not
  deleted, and a signed plan is not deleted either.

Deletes pass on PostgreSQL only for the retention run (a member of ``koers_erasure`` with
the switch set: evaluations 0005, ``core.erasure``). SQLite's triggers guard no deletes
(the test runner empties tables with DELETE); the plan's content is also checked against
its seal (``improvement.content``).
"""

from importlib import import_module
from typing import Any

from django.db import migrations

signed = import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")
erasure = import_module("koers.evaluations.migrations.0005_guards_follow_the_procedure")

SIGNED = ["id", "organisation_id", "employee_id", "started_by_id", "grounds", "support",
          "period_start", "follow_up_months", "employee_remarks", "content", "seal",
          "signed_on", "created_by_id", "revision", "created_at"]
MAY_CHANGE = {
    "status": "running, then met or not met (the decision)",
    "period_end": "moved once by the extension both agreed",
    "extension_until": "the extension the evaluator proposes after the signatures",
    "extension_reason": "its reason",
    "extensions": "counts the agreed extension (a check constraint allows one)",
    "decided_on": "written by the decision, then kept (DECIDED)",
    "decided_by_id": "written by the decision, then kept (DECIDED)",
    "motivation": "written by the decision, then kept (DECIDED)",
    "evaluation_id": "emptied when retention erases the evaluation the plan came from",
    "updated_at": "the moment of the last change (retention reads it)",
}
DECIDED = ["status", "decided_on", "decided_by_id", "motivation"]
GOAL_COLUMNS = ["id", "plan_id", "position", "expected", "indicators"]

SIGNED_PLAN = ("EXISTS (SELECT 1 FROM improvement_improvementplan p WHERE p.id = {plan} "
               "AND p.seal <> '')")
SIGNATURE_REFUSED = "a signature under an improvement plan never changes"
PLAN_REFUSED = "a signed improvement plan never changes"
GOAL_REFUSED = "the expected improvements of a signed improvement plan never change"


def _plan_changed(distinct: str) -> str:
    return (f"(OLD.seal <> '' AND ({signed._changed(SIGNED, distinct)})) OR "
            f"(OLD.decided_on IS NOT NULL AND ({signed._changed(DECIDED, distinct)}))")


SQLITE = [
    signed._sqlite_trigger("improvement_signature_no_update", "UPDATE",
                           "improvement_improvementsignature", "1", SIGNATURE_REFUSED),
    signed._sqlite_trigger("improvement_plan_signed_no_update", "UPDATE",
                           "improvement_improvementplan", _plan_changed("IS NOT"),
                           PLAN_REFUSED),
    signed._sqlite_trigger(
        "improvement_goal_signed_no_update", "UPDATE", "improvement_improvementgoal",
        f"{SIGNED_PLAN.format(plan='OLD.plan_id')} AND "
        f"({signed._changed(GOAL_COLUMNS, 'IS NOT')})", GOAL_REFUSED),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS improvement_signature_no_update",
    "DROP TRIGGER IF EXISTS improvement_plan_signed_no_update",
    "DROP TRIGGER IF EXISTS improvement_goal_signed_no_update",
]

_SIGNED_OLD_PLAN = SIGNED_PLAN.format(plan="OLD.plan_id")
POSTGRESQL = [
    signed._pg_function(
        "improvement_signature_immutable",
        f"IF TG_OP = 'UPDATE' OR ({erasure.KEPT} AND {_SIGNED_OLD_PLAN}) THEN "
        f"{signed._pg_refuse(SIGNATURE_REFUSED)} END IF;"),
    *signed._pg_trigger("improvement_signature_immutable", "UPDATE OR DELETE",
                        "improvement_improvementsignature"),
    signed._pg_function(
        "improvement_plan_immutable",
        f"IF TG_OP = 'DELETE' THEN "
        f"IF {erasure.KEPT} AND OLD.seal <> '' THEN {signed._pg_refuse(PLAN_REFUSED)} END IF; "
        f"ELSIF {_plan_changed('IS DISTINCT FROM')} THEN "
        f"{signed._pg_refuse(PLAN_REFUSED)} END IF;"),
    *signed._pg_trigger("improvement_plan_immutable", "UPDATE OR DELETE",
                        "improvement_improvementplan"),
    signed._pg_function(
        "improvement_goal_immutable",
        f"IF TG_OP = 'DELETE' THEN "
        f"IF {erasure.KEPT} AND {_SIGNED_OLD_PLAN} THEN {signed._pg_refuse(GOAL_REFUSED)} "
        f"END IF; "
        f"ELSIF {_SIGNED_OLD_PLAN} AND ({signed._changed(GOAL_COLUMNS, 'IS DISTINCT FROM')}) "
        f"THEN {signed._pg_refuse(GOAL_REFUSED)} END IF;"),
    *signed._pg_trigger("improvement_goal_immutable", "UPDATE OR DELETE",
                        "improvement_improvementgoal"),
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS improvement_signature_immutable ON improvement_improvementsignature",
    "DROP TRIGGER IF EXISTS improvement_plan_immutable ON improvement_improvementplan",
    "DROP TRIGGER IF EXISTS improvement_goal_immutable ON improvement_improvementgoal",
    "DROP FUNCTION IF EXISTS improvement_signature_immutable()",
    "DROP FUNCTION IF EXISTS improvement_plan_immutable()",
    "DROP FUNCTION IF EXISTS improvement_goal_immutable()",
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
        ("improvement", "0001_improvement_plans"),
        ("evaluations", "0005_guards_follow_the_procedure"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
