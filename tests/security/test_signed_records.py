"""Probe: signed records tampered with in SQL. Every attempt on a completed evaluation
and a signed POP round is refused by the database's triggers (evaluations 0003 to 0005,
development 0005); with the triggers dropped (as the tables' owner could), every change
is found by ``koers verify-report --all``. The report counts both."""

import importlib
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from koers.evaluations.models import Evaluation
from koers.evaluations.states import EvaluationState
from tests import personas
from tests.database_roles import database_role
from tests.factories import development as dev
from tests.factories import evaluations as factory
from tests.security import figures

pytestmark = pytest.mark.django_db

SECTION = "Signed records"
POSTGRESQL = connection.vendor == "postgresql"
signed = importlib.import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")
tightened = importlib.import_module("koers.evaluations.migrations.0005_guards_follow_the_procedure")

# What an attacker with the app's SQL rights would try on a completed evaluation ({e}) and
# a signed POP ({p}). Deletes are refused on PostgreSQL only (SQLite: verify-report).
UPDATES = [
    "UPDATE evaluations_evaluationreport SET verdict = 'onvoldoende' WHERE evaluation_id = {e}",
    "UPDATE evaluations_evaluationreport SET overall = 'x' WHERE evaluation_id = {e}",
    "UPDATE evaluations_evaluationreport SET revision = 99 WHERE evaluation_id = {e}",
    "UPDATE evaluations_reportitem SET text = 'x' WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e})",
    "UPDATE evaluations_signature SET remarks = 'x' WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e})",
    "UPDATE evaluations_signature SET seal = 'x' WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e})",
    "UPDATE evaluations_evaluation SET state = 'draft' WHERE id = {e}",
    "UPDATE evaluations_evaluation SET person_name = 'x' WHERE id = {e}",
    "UPDATE evaluations_evaluation SET first_evaluator_id = NULL WHERE id = {e}",
    "UPDATE evaluations_evaluation SET self_evaluation = 'x' WHERE id = {e}",
    "UPDATE evaluations_selfevaluationitem SET text = 'x' WHERE evaluation_id = {e}",
    "UPDATE development_planround SET seal = 'x' WHERE plan_id = {p}",
    "UPDATE development_planround SET content = '{{}}' WHERE plan_id = {p}",
    "UPDATE development_plansignature SET name = 'x' WHERE round_id IN "
    "(SELECT id FROM development_planround WHERE plan_id = {p})",
]
DELETES = [
    "DELETE FROM evaluations_signature WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e})",
    "DELETE FROM evaluations_reportitem WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e})",
    "DELETE FROM development_plansignature WHERE round_id IN "
    "(SELECT id FROM development_planround WHERE plan_id = {p})",
    "DELETE FROM development_planround WHERE plan_id = {p}",
]
# Behind the triggers: what verify-report must find.
BEHIND = [
    "UPDATE evaluations_evaluationreport SET verdict = 'onvoldoende' WHERE evaluation_id = {e}",
    "UPDATE evaluations_reportitem SET text = 'x' WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e})",
    "UPDATE evaluations_signature SET remarks = 'x' WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e}) "
    "AND role = 'employee'",
    "UPDATE evaluations_evaluation SET self_evaluation = 'x' WHERE id = {e}",
    "DELETE FROM evaluations_signature WHERE report_id IN "
    "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = {e})",
]


@pytest.fixture
def records() -> dict[str, int]:
    p = personas.build()
    evaluation = factory.reach(factory.cast(p), EvaluationState.COMPLETED)
    plan = dev.signed(p.employee, p.manager, "werk-structureren")
    return {"e": evaluation.pk, "p": plan.pk}


def _refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except IntegrityError:
        return True
    return False


def test_every_tamper_attempt_in_sql_is_refused(records):
    attempts = UPDATES + (DELETES if POSTGRESQL else [])
    let_through = [sql for sql in attempts if not _refused(sql.format(**records))]
    figures.record(SECTION, "tamper attempts in SQL", len(attempts))
    figures.record(SECTION, "let through by the database", len(let_through))
    figures.note(SECTION, f"attempts on {connection.vendor}"
                 + ("" if POSTGRESQL else " (deletes are guarded on PostgreSQL only)"))
    assert let_through == []


@pytest.mark.skipif(not POSTGRESQL, reason="roles and deletes: PostgreSQL only")
def test_the_retention_switch_set_by_the_web_apps_role_opens_nothing(records):
    """What a security probe did: set the retention switch in a plain session and delete
    what was signed. As a role that is not a member of koers_erasure: refused."""
    database_role("koers_probe_web", eraser=False)
    let_through = []
    for sql in DELETES:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL ROLE koers_probe_web")
                cursor.execute("SET LOCAL koers.retention_erasure = 'on'")
                cursor.execute(sql.format(**records))
                cursor.execute("RESET ROLE")
            let_through.append(sql)
        except IntegrityError:
            pass
    figures.record(SECTION, "deletes with the retention switch, as the web app's role",
                   len(DELETES))
    figures.record(SECTION, "let through by the database", len(let_through))
    assert let_through == []


@contextmanager
def _without_triggers():
    for migration in (signed, tightened):
        _create, back = migration.STATEMENTS[connection.vendor]
        with connection.cursor() as cursor:
            for statement in back:
                if "DROP" in statement:
                    cursor.execute(statement)
    yield


@pytest.mark.parametrize("sql", BEHIND)
def test_every_change_behind_the_triggers_is_found(records, sql, capsys):
    call_command("verify-report", "--all")
    capsys.readouterr()
    with _without_triggers(), connection.cursor() as cursor:
        cursor.execute(sql.format(**records))
    with pytest.raises(SystemExit) as exit_status:
        call_command("verify-report", "--all")
    found = exit_status.value.code == 1 and f"evaluation {records['e']}:" in capsys.readouterr().out
    figures.record(SECTION, "changes behind dropped triggers", 1)
    figures.record(SECTION, "found by verify-report --all", int(found))
    assert found
    assert Evaluation.objects.filter(pk=records["e"]).exists()
