"""Database triggers: a signed round of a development plan, and its signatures, never
change, not even by hand.

The services never change a signed round (``development.services.plans``); these
triggers make the database refuse it too, for anyone writing SQL directly (an
IntegrityError), as the evaluations' triggers do for signed reports:

- a signature is never updated; on PostgreSQL, a signature under a signed round is not
  deleted either (a signature under an open round is withdrawn when the round changes
  before the other side signed: that delete stays allowed);
- a signed round keeps every column but its link to the conversation (``MAY_CHANGE``,
  emptied when retention erases the conversation); on PostgreSQL it is not deleted.

Deletes pass on PostgreSQL only for the retention run (a member of ``koers_erasure``
with the switch set: evaluations 0005, ``core.erasure``). SQLite's triggers guard no
deletes (the test runner empties tables with DELETE); a round's content is also checked
against its seal (``development.seals``).
"""

from importlib import import_module
from typing import Any

from django.db import migrations

signed = import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")
erasure = import_module("koers.evaluations.migrations.0005_guards_follow_the_procedure")

ROUND_KEPT = ["id", "plan_id", "number", "kind", "held_on", "status", "content", "seal",
              "signed_on", "created_by_id", "created_at"]
MAY_CHANGE = {"conversation_id": "emptied when retention erases the conversation"}
SIGNED_ROUND = ("EXISTS (SELECT 1 FROM development_planround r WHERE r.id = {round} "
                "AND r.status = 'signed')")
SIGNATURE_REFUSED = "a signature under a development plan never changes"
ROUND_REFUSED = "a signed round of a development plan never changes"


def _round_changed(distinct: str) -> str:
    return signed._changed(ROUND_KEPT, distinct)


SQLITE = [
    signed._sqlite_trigger("development_plansignature_no_update", "UPDATE",
                           "development_plansignature", "1", SIGNATURE_REFUSED),
    signed._sqlite_trigger(
        "development_planround_signed_no_update", "UPDATE", "development_planround",
        f"OLD.status = 'signed' AND ({_round_changed('IS NOT')})", ROUND_REFUSED),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS development_plansignature_no_update",
    "DROP TRIGGER IF EXISTS development_planround_signed_no_update",
]

_SIGNED_OLD_ROUND = SIGNED_ROUND.format(round="OLD.round_id")
POSTGRESQL = [
    signed._pg_function(
        "development_plansignature_immutable",
        f"IF TG_OP = 'UPDATE' OR ({erasure.KEPT} AND {_SIGNED_OLD_ROUND}) THEN "
        f"{signed._pg_refuse(SIGNATURE_REFUSED)} END IF;"),
    *signed._pg_trigger("development_plansignature_immutable", "UPDATE OR DELETE",
                        "development_plansignature"),
    signed._pg_function(
        "development_planround_immutable",
        f"IF TG_OP = 'DELETE' THEN "
        f"IF {erasure.KEPT} AND OLD.status = 'signed' THEN "
        f"{signed._pg_refuse(ROUND_REFUSED)} END IF; "
        f"ELSIF OLD.status = 'signed' AND ({_round_changed('IS DISTINCT FROM')}) THEN "
        f"{signed._pg_refuse(ROUND_REFUSED)} END IF;"),
    *signed._pg_trigger("development_planround_immutable", "UPDATE OR DELETE",
                        "development_planround"),
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS development_plansignature_immutable ON development_plansignature",
    "DROP TRIGGER IF EXISTS development_planround_immutable ON development_planround",
    "DROP FUNCTION IF EXISTS development_plansignature_immutable()",
    "DROP FUNCTION IF EXISTS development_planround_immutable()",
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
        ("development", "0004_plan_revisions"),
        ("evaluations", "0005_guards_follow_the_procedure"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
