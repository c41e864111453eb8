"""Seals, ``verify`` and ``koers verify-report``, and the triggers that keep signed rows.

To show that ``verify`` finds a change made behind the application's back, a test must
first get past the triggers of migration 0003 (which refuse exactly those changes): it
drops them inside the test's own transaction — as someone with the database owner's
rights could — changes a row with raw SQL, and the transaction's rollback restores them.
"""

import hashlib
import importlib
import json
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from koers.evaluations import seals
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.services import current_report
from koers.evaluations.states import EvaluationState, Role
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import evaluations as factory

pytestmark = pytest.mark.django_db

S = EvaluationState
triggers = importlib.import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")


@pytest.fixture
def people():
    return personas.build()


@pytest.fixture
def completed(people):
    c = factory.cast(people)
    return c, factory.reach(c, S.COMPLETED)


@contextmanager
def without_triggers():
    _create, drop = triggers.STATEMENTS[connection.vendor]
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
    yield


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_seal_is_the_sha256_of_sorted_compact_json(completed):
    c, evaluation = completed
    report = current_report(evaluation)
    first = report.signatures.get(role=Role.FIRST_EVALUATOR)
    data = seals.canonical(report, role=first.role, signer=c.first, signed_at=first.signed_at,
                           earlier=[], with_self_evaluation=True, delivered=False)
    assert hashlib.sha256(data).hexdigest() == first.seal
    parsed = json.loads(data)
    assert list(parsed) == sorted(parsed)
    assert data == json.dumps(parsed, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode()
    assert parsed["person"] == {"id": c.employee.pk, "name": "Marc Vandamme"}
    assert parsed["verdict"] == "voldoende"
    assert parsed["role"] == "first_evaluator"
    assert parsed["self_evaluation"]["overall"] == "A good year."
    assert [item["goal"] for item in parsed["items"]] == ["Goal 1 of Marc", "Goal 2 of Marc"]
    assert parsed["delivery"] is None  # the 1st signature did not deliver (the 2nd did)


def test_later_seals_vouch_for_the_earlier_ones(completed):
    _c, evaluation = completed
    signatures = list(Signature.objects.filter(report__evaluation=evaluation).order_by("pk"))
    employee = signatures[-1]
    data = json.loads(seals.canonical(
        current_report(evaluation), role=employee.role, signer=employee.signer,
        signed_at=employee.signed_at, remarks=employee.remarks,
        earlier=[s.seal for s in signatures[:-1]], with_self_evaluation=True, delivered=True))
    assert data["earlier_seals"] == [signatures[0].seal, signatures[1].seal]
    assert data["delivery"]["delivered_at"] is not None


def test_verify_holds_for_untouched_evaluations(completed):
    _c, evaluation = completed
    assert seals.verify(evaluation) == []


@pytest.mark.parametrize(("sql", "found"), [
    ("UPDATE evaluations_evaluationreport SET overall = 'Marc did nothing.'", 3),
    ("UPDATE evaluations_evaluationreport SET verdict = 'onvoldoende'", 3),
    ("UPDATE evaluations_reportitem SET text = 'Not done.' WHERE position = 2", 3),
    ("UPDATE evaluations_selfevaluationitem SET text = 'Nothing.'", 3),
    ("UPDATE evaluations_evaluation SET self_evaluation = 'Nothing.'", 3),
    ("UPDATE evaluations_evaluation SET person_name = 'Someone Else'", 3),
    ("UPDATE evaluations_signature SET remarks = 'I disagree.' WHERE role = 'employee'", 1),
    ("UPDATE evaluations_evaluationreport SET delivered_at = NULL", 2),
])
def test_verify_finds_a_row_changed_directly_in_the_database(completed, sql, found):
    _c, evaluation = completed
    with without_triggers():
        raw(sql)
    problems = seals.verify(evaluation)
    assert len([p for p in problems if "zegel" in p]) == found, problems


def test_verify_finds_a_deleted_signature(completed):
    _c, evaluation = completed
    with without_triggers():
        raw("DELETE FROM evaluations_signature WHERE role = 'second_evaluator'")
    problems = seals.verify(evaluation)
    assert any("zegel" in p for p in problems)  # the employee's seal named it


def test_verify_finds_a_missing_last_signature(completed):
    _c, evaluation = completed
    with without_triggers():
        raw("DELETE FROM evaluations_signature WHERE role = 'employee'")
    (problem,) = seals.verify(evaluation)
    assert "ontbreekt" in problem


def test_the_command_reports_a_mismatch_and_exits_1(completed, capsys):
    _c, evaluation = completed
    call_command("verify-report", str(evaluation.pk))
    assert capsys.readouterr().out.startswith("ok: 1 evaluations")
    with without_triggers():
        raw("UPDATE evaluations_evaluationreport SET overall = 'Marc did nothing.'")
    with pytest.raises(SystemExit) as exit_status:
        call_command("verify-report", str(evaluation.pk))
    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert f"evaluation {evaluation.pk}: Versie 1" in out
    assert "mismatch: 1 of 1 evaluations" in out


def test_the_command_checks_all_signed_evaluations(people, completed, capsys):
    c, _evaluation = completed
    factory.annual(factory.cast(people, year=2026))  # unsigned: not checked
    call_command("verify-report", "--all")
    assert capsys.readouterr().out.startswith("ok: 1 evaluations")
    with without_triggers():
        raw("UPDATE evaluations_reportitem SET text = 'Not done.'")
    with pytest.raises(SystemExit):
        call_command("verify-report", "--all")
    del c


@pytest.mark.parametrize("sql", [
    # Every signature: the evaluation no longer looks signed at all.
    "DELETE FROM evaluations_signature",
    # The whole evaluation, signatures and versions first (what the guard's switch
    # allowed anyone with SQL to do).
    "DELETE FROM evaluations_signature; DELETE FROM evaluations_reportitem; "
    "DELETE FROM evaluations_evaluationreport; DELETE FROM evaluations_selfevaluationitem; "
    "DELETE FROM evaluations_evaluation",
])
def test_all_finds_what_was_signed_and_deleted_from_its_audit_trail(completed, capsys, sql):
    _c, evaluation = completed
    call_command("verify-report", "--all")
    assert capsys.readouterr().out.startswith("ok: 1 evaluations")
    with without_triggers():
        for statement in sql.split("; "):
            raw(statement)

    with pytest.raises(SystemExit) as exit_status:
        call_command("verify-report", "--all")

    assert exit_status.value.code == 1
    out = capsys.readouterr().out
    assert f"evaluation {evaluation.pk}:" in out
    assert "mismatch: 1 of 1 evaluations" in out


def test_the_command_exits_1_for_an_unknown_evaluation(capsys):
    with pytest.raises(SystemExit):
        call_command("verify-report", "999999")
    assert "999999" in capsys.readouterr().out


# The triggers ------------------------------------------------------------------------------


@pytest.mark.parametrize("sql", [
    "UPDATE evaluations_signature SET remarks = 'Changed.'",
    "UPDATE evaluations_evaluationreport SET overall = 'Changed.'",
    "UPDATE evaluations_evaluationreport SET verdict = 'onvoldoende'",
    "UPDATE evaluations_evaluationreport SET delivered_at = NULL",
    "UPDATE evaluations_reportitem SET text = 'Changed.'",
    "UPDATE evaluations_selfevaluationitem SET text = 'Changed.'",
    "UPDATE evaluations_evaluation SET self_evaluation = 'Changed.'",
    "UPDATE evaluations_evaluation SET person_name = 'Changed'",
    "UPDATE evaluations_evaluation SET written_procedure = TRUE",
])
def test_the_database_refuses_to_change_what_was_signed(completed, sql):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(sql)


def test_the_database_refuses_an_item_added_to_a_signed_version(completed):
    _c, evaluation = completed
    report = current_report(evaluation)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw("INSERT INTO evaluations_reportitem (report_id, position, goal_title, text) "
            "VALUES (%s, 9, 'Extra', 'Added.')", [report.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deletes: PostgreSQL only")
@pytest.mark.parametrize("sql", [
    "DELETE FROM evaluations_signature",
    "DELETE FROM evaluations_reportitem",
])
def test_postgresql_refuses_to_delete_what_was_signed(completed, sql):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw(sql)


def test_unsigned_drafts_stay_editable_for_the_database(people, completed):
    c, _evaluation = completed
    draft = factory.annual(factory.cast(people, year=2026))
    raw("UPDATE evaluations_evaluationreport SET overall = 'Draft.' WHERE evaluation_id = %s",
        [draft.pk])
    assert current_report(Evaluation.objects.get(pk=draft.pk)).overall == "Draft."
    del c


@pytest.mark.parametrize(("preset", "verdict", "first"), [
    (PolicyPreset.FLEMISH, "voldoende", "1ste evaluator"),
    # BOSA, "Evaluatie — betrokkenen": the evaluator signs, then the hierarchical superior.
    (PolicyPreset.FEDERAL, "", "evaluator"),
])
def test_a_missing_signature_is_named_in_the_regime_words(people, preset, verdict, first):
    c = factory.cast(people, preset=preset)
    evaluation = factory.reach(c, S.FIRST_SIGNED, verdict=verdict)
    with without_triggers():
        raw("DELETE FROM evaluations_signature WHERE role = 'first_evaluator'")

    (problem,) = seals.verify(evaluation)

    assert problem == (f"De evaluatie is ondertekend door de {first}, maar de handtekening "
                       f"van de {first} op versie 1 ontbreekt.")


def test_a_changed_dutch_report_names_the_manager_whose_seal_broke(people):
    """Gemeente Heemstede, "Cyclus van jaargesprekken": the leidinggevende signs."""
    c = factory.cast(people, preset=PolicyPreset.DUTCH_MUNICIPAL)
    evaluation = factory.reach(c, S.DELIVERED)
    with without_triggers():
        raw("UPDATE evaluations_evaluationreport SET overall = 'Marc did nothing.'")

    (problem,) = seals.verify(evaluation)

    assert problem.startswith("Versie 1, handtekening van de leidinggevende (")
    assert "evaluator" not in problem
