"""The database guards of migration 0005: the state moves only along the procedure, a
finished evaluation and a signed version keep every column that is not written down as
free to change, and on PostgreSQL only a member of ``koers_erasure`` may erase what was
signed (the switch alone no longer opens the guard)."""

import datetime as dt
import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from koers.access.personal_data import ErasurePlan
from koers.core.erasure import may_erase_signed_records
from koers.evaluations.checks import database_role_check
from koers.evaluations.models import Evaluation, EvaluationReport, ReportItem, Signature
from koers.evaluations.retention import erase_evaluations
from koers.evaluations.states import EvaluationState, moves
from tests import personas
from tests.database_roles import database_role
from tests.factories import evaluations as factory

pytestmark = pytest.mark.django_db

S = EvaluationState
signed = importlib.import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")
guards = importlib.import_module("koers.evaluations.migrations.0005_guards_follow_the_procedure")
probation = importlib.import_module("koers.evaluations.migrations.0006_probation")
language = importlib.import_module("koers.evaluations.migrations.0007_report_language")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="deletes and roles: PostgreSQL only")


@pytest.fixture
def people() -> personas.Personas:
    return personas.build()


@pytest.fixture
def completed(people: personas.Personas) -> Evaluation:
    return factory.reach(factory.cast(people), S.COMPLETED)


def _raw(sql: str, params: tuple[object, ...] = ()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _columns(model: type) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}  # type: ignore[attr-defined]


def test_the_database_knows_the_moves_of_the_state_machine():
    """The migration's frozen copy is the machine's table (evaluations.states.moves):
    a new transition needs a new migration, or the database refuses it."""
    assert {(source.value, target.value) for source, target in moves()} == set(guards.MOVES)


def test_every_column_of_a_signed_row_is_guarded_or_free_for_a_reason():
    """A new column must be put in one list or the other: nothing is free by omission."""
    evaluation_guarded = {
        "id", "state", *signed.SIGNED_EVALUATION, *guards.FINAL_KEPT,
        "self_evaluation", "self_evaluation_submitted_at", "draft_sent_on", "draft_verdict",
        "draft_remarks", "draft_remarks_on"}
    may_change = set(guards.MAY_CHANGE["evaluation"]) | set(probation.MAY_CHANGE["evaluation"])
    assert _columns(Evaluation) == evaluation_guarded | may_change
    assert _columns(EvaluationReport) == (
        set(language.REPORT_CONTENT) | set(signed.REPORT_ONCE) | set(guards.MAY_CHANGE["report"]))
    assert _columns(ReportItem) == set(signed.ITEM_COLUMNS) | set(guards.MAY_CHANGE["item"])
    assert not may_change & evaluation_guarded


@pytest.mark.parametrize("state", ["draft", "delivered", "draft_sent", "first_signed"])
def test_a_completed_evaluation_cannot_be_put_back_in_sql(completed, state):
    with pytest.raises(IntegrityError, match="moves only along its procedure"):
        _raw("UPDATE evaluations_evaluation SET state = %s WHERE id = %s",
             (state, completed.pk))
    completed.refresh_from_db()
    assert completed.state == S.COMPLETED


def test_a_draft_cannot_skip_to_completed_in_sql(people):
    draft = factory.annual(factory.cast(people))
    with pytest.raises(IntegrityError, match="moves only along its procedure"):
        _raw("UPDATE evaluations_evaluation SET state = 'completed' WHERE id = %s", (draft.pk,))


@pytest.mark.parametrize("column", ["first_evaluator_id", "second_evaluator_id"])
def test_a_finished_evaluation_keeps_its_evaluators(people, completed, column):
    with pytest.raises(IntegrityError, match="keeps its evaluators and dates"):
        _raw(f"UPDATE evaluations_evaluation SET {column} = %s WHERE id = %s",  # noqa: S608
             (people.unrelated_manager.pk, completed.pk))


@pytest.mark.parametrize("sql", [
    "UPDATE evaluations_evaluation SET delivered_at = NULL WHERE id = %s",
    "UPDATE evaluations_evaluation SET employee_signature_due = '2099-01-01' WHERE id = %s",
    "UPDATE evaluations_evaluationreport SET revision = revision + 1 WHERE evaluation_id = %s",
    "UPDATE evaluations_evaluationreport SET created_at = '2001-01-01' WHERE evaluation_id = %s",
])
def test_dates_and_revisions_of_what_was_signed_stay(completed, sql):
    with pytest.raises(IntegrityError):
        _raw(sql, (completed.pk,))


def test_what_is_free_for_a_reason_still_changes(completed):
    _raw("UPDATE evaluations_evaluation SET updated_at = '2030-01-01 00:00:00+00' "
         "WHERE id = %s", (completed.pk,))
    _raw("UPDATE evaluations_reportitem SET goal_id = NULL WHERE report_id IN "
         "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = %s)",
         (completed.pk,))
    assert not ReportItem.objects.filter(report__evaluation=completed,
                                         goal__isnull=False).exists()


# Erasing signed rows on PostgreSQL: the switch and the role ------------------------------

def _delete_signatures_as(role: str, evaluation: Evaluation, *, switch: bool) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
        if switch:
            cursor.execute("SET LOCAL koers.retention_erasure = 'on'")
        cursor.execute("DELETE FROM evaluations_signature WHERE report_id IN "
                       "(SELECT id FROM evaluations_evaluationreport WHERE evaluation_id = %s)",
                       [evaluation.pk])
        cursor.execute("RESET ROLE")


@postgresql_only
def test_the_switch_alone_no_longer_lets_the_web_apps_role_erase(completed):
    """What a security probe did: set the switch in a plain session and delete the
    signatures. The web app's role is not a member of koers_erasure: refused."""
    database_role("koers_probe_web", eraser=False)
    with pytest.raises(IntegrityError, match="a signature never changes"):
        _delete_signatures_as("koers_probe_web", completed, switch=True)
    assert Signature.objects.filter(report__evaluation=completed).count() == 3


@postgresql_only
def test_a_member_of_the_erasure_role_erases_only_with_the_switch(completed):
    database_role("koers_probe_worker", eraser=True)
    with pytest.raises(IntegrityError, match="a signature never changes"):
        _delete_signatures_as("koers_probe_worker", completed, switch=False)
    _delete_signatures_as("koers_probe_worker", completed, switch=True)
    assert not Signature.objects.filter(report__evaluation=completed).exists()


@postgresql_only
def test_the_eraser_tells_whether_its_role_may_erase(completed):
    database_role("koers_probe_web", eraser=False)
    assert may_erase_signed_records()  # the test database's superuser
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE koers_probe_web")
        assert not may_erase_signed_records()
        cursor.execute("RESET ROLE")


@postgresql_only
def test_retention_run_as_the_web_apps_role_keeps_the_evaluations_and_says_so(completed):
    database_role("koers_probe_web", eraser=False)
    Evaluation.objects.filter(pk=completed.pk).update(updated_at=dt.datetime(2020, 1, 1,
                                                                               tzinfo=dt.UTC))
    plan = ErasurePlan(organisation=completed.person.organisation,
                       cutoff=dt.date(2030, 1, 1), leaver_ids=[], dry_run=False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE koers_probe_web")
        erased = erase_evaluations(plan)
        cursor.execute("RESET ROLE")
    assert erased.counts == {"evaluations": 0, "evaluations_kept_without_erasure_role": 1}
    assert not erased.chains
    assert Signature.objects.filter(report__evaluation=completed).count() == 3


@postgresql_only
def test_the_deploy_check_names_a_role_that_can_get_past_the_guards(completed):
    database_role("koers_probe_web", eraser=False)
    database_role("koers_probe_worker", eraser=True)

    def warnings_as(role: str | None) -> list[str]:
        with transaction.atomic(), connection.cursor() as cursor:
            if role:
                cursor.execute(f"SET LOCAL ROLE {role}")
            found = [message.id for message in database_role_check(databases=["default"])]
            cursor.execute("RESET ROLE")
        return [str(found_id) for found_id in found]

    assert warnings_as(None) == ["koers.W001"]  # the test database's superuser
    assert warnings_as("koers_probe_web") == []
    assert warnings_as("koers_probe_worker") == ["koers.W002"]
