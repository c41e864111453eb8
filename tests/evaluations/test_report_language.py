"""The language a report version is written in: the employee's, fixed when the version
opens, kept by a correction, sealed with the version, guarded by the database, and
stated by the API and the PDF's embedded record.

The rule (``services.report_language``): the laws on the use of languages in
administrative matters, coordinated on 18 July 1966, art. 39, par. 1, with art. 17,
par. 1, B (https://www.ejustice.just.fgov.be/eli/loi/1966/07/18/1966071803/justel): an
affair concerning a staff member is treated in the language of their language role.
"""

import hashlib
import importlib
import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from koers.audit.services import canonical as canonical_json
from koers.evaluations import pdf, seals, services
from koers.evaluations.models import EvaluationReport, Signature
from koers.evaluations.services import current_report
from koers.evaluations.states import EvaluationState
from tests import personas
from tests.factories import evaluations as factory

pytestmark = pytest.mark.django_db

S = EvaluationState
triggers = importlib.import_module("koers.evaluations.migrations.0003_signed_rows_are_immutable")
BEFORE = ("evaluations", "0006_probation")


@pytest.fixture
def people() -> personas.Personas:
    return personas.build()


@pytest.fixture
def cast(people: personas.Personas) -> factory.Cast:
    """Marc's record says French; his account reads Koers in Dutch, his manager too."""
    c = factory.cast(people)
    c.employee.language = "fr"
    c.employee.save(update_fields=["language"])
    assert c.employee.user is not None
    c.employee.user.language = "nl"
    c.employee.user.save(update_fields=["language"])
    return c


def _raw(sql: str, params: tuple[object, ...] = ()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _sealed(signature: Signature) -> dict[str, object]:
    result: dict[str, object] = json.loads(seals.signed_bytes(signature))
    return result


def test_a_version_is_written_in_the_language_of_the_employees_record(cast):
    evaluation = factory.annual(cast)
    assert current_report(evaluation).language == "fr"


def test_a_correction_keeps_the_language_of_the_version_it_corrects(cast):
    evaluation = factory.reach(cast, S.DELIVERED)
    cast.employee.language = "de"  # the record changes after the version opened
    cast.employee.save(update_fields=["language"])
    with factory.on(factory.days()["employee"]):
        new = services.evaluation_correct(actor=factory.viewer(cast.first),
                                          evaluation=evaluation, reason="A typo.")
    assert (new.number, new.language) == (2, "fr")


def test_a_new_version_seals_its_language(cast):
    evaluation = factory.reach(cast, S.COMPLETED)
    signatures = list(Signature.objects.filter(report__evaluation=evaluation).order_by("pk"))
    assert len(signatures) == 3
    for signature in signatures:
        sealed = _sealed(signature)
        assert sealed["language"] == "fr"
        assert hashlib.sha256(canonical_json(sealed)).hexdigest() == signature.seal
    assert seals.verify(evaluation) == []


def test_the_pdfs_embedded_record_states_the_language(cast):
    evaluation = factory.reach(cast, S.COMPLETED)
    report = current_report(evaluation)
    record = seals.sealed_record(
        report, items=list(report.items.all()), self_items=list(evaluation.self_items.all()),
        signatures=list(report.signatures.all()), organisation={"name": "x", "slug": "x"},
        reference=None)
    assert {entry["sealed"]["language"] for entry in record["signatures"]} == {"fr"}
    assert seals.record_problems(record) == []


def test_printed_in_another_language_the_report_is_a_marked_translation(cast):
    evaluation = factory.reach(cast, S.COMPLETED)

    own = pdf.render_html(evaluation, language="fr")
    other = pdf.render_html(evaluation, language="nl")

    assert "Langue du rapport" in own
    assert "Traduction" not in own
    assert "Taal van het verslag" in other
    assert "Vertaling: dit exemplaar is gedrukt in een andere taal" in other


def _opened_before_the_language_was_recorded(c: factory.Cast):
    """A version as Koers opened it before it recorded the language (NULL), then signed
    by all three: its seals are made without the key."""
    days = factory.days()
    evaluation = factory.reach(c, S.DRAFT)
    EvaluationReport.objects.filter(evaluation=evaluation).update(language=None)  # unsigned
    for day, signer in (("first", c.first), ("second", c.second), ("employee", c.employee)):
        assert signer is not None
        with factory.on(days[day]):
            services.evaluation_sign(actor=factory.viewer(signer), evaluation=evaluation)
    return evaluation


def test_a_version_signed_before_the_language_was_recorded_still_verifies(cast):
    evaluation = _opened_before_the_language_was_recorded(cast)
    signatures = list(Signature.objects.filter(report__evaluation=evaluation))
    assert len(signatures) == 3
    for signature in signatures:
        assert "language" not in _sealed(signature)
    assert seals.verify(evaluation) == []


def test_an_old_signed_version_cannot_be_given_a_language_in_sql(cast):
    """NULL → a language is a change too, refused like any other."""
    evaluation = _opened_before_the_language_was_recorded(cast)
    with pytest.raises(IntegrityError, match="a signed report version never changes"):
        _raw("UPDATE evaluations_evaluationreport SET language = 'fr' WHERE evaluation_id = %s",
             (evaluation.pk,))
    assert seals.verify(evaluation) == []


def test_a_changed_language_breaks_the_seal(cast):
    evaluation = factory.reach(cast, S.COMPLETED)
    _create, drop = triggers.STATEMENTS[connection.vendor]
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        cursor.execute("UPDATE evaluations_evaluationreport SET language = 'nl' "
                       "WHERE evaluation_id = %s", [evaluation.pk])
    problems = seals.verify(evaluation)
    assert len([p for p in problems if "zegel" in p]) == 3, problems


# The migration, backwards and forwards --------------------------------------------------


def _report_guard() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND name = 'evaluations_report_signed_no_update'")
        else:
            cursor.execute("SELECT pg_get_functiondef('evaluations_report_immutable'::regproc)")
        (sql,) = cursor.fetchone()
    return str(sql)


def _columns() -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(
            cursor, "evaluations_evaluationreport")}


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _newest() -> None:
    """Every room back to its newest migration: the later tests of this worker read the
    columns that came after the report's language."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_guards_the_column_forwards_and_takes_it_back(people):
    assert "NEW.language" in _report_guard()
    try:
        _migrate(BEFORE)
        assert "language" not in _columns()
        assert "language" not in _report_guard()
        assert "NEW.overall" in _report_guard()  # 0005's guard is back
    finally:
        _newest()
    assert "language" in _columns()
    assert "NEW.language" in _report_guard()
    c = factory.cast(people)
    evaluation = factory.reach(c, S.COMPLETED)
    with pytest.raises(IntegrityError, match="a signed report version never changes"):
        _raw("UPDATE evaluations_evaluationreport SET language = 'de' WHERE evaluation_id = %s",
             (evaluation.pk,))


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_unsigned_versions_the_employees_language(cast):
    """Forwards, an open version gets the language of the employee's record; a signed
    one gets none (it was sealed without). Backwards loses the column, and with it the
    language every signed version sealed: it is for development, never production."""
    evaluation = factory.reach(cast, S.DELIVERED)
    with factory.on(factory.days()["employee"]):
        services.evaluation_correct(actor=factory.viewer(cast.first), evaluation=evaluation,
                                    reason="A typo.")
    try:
        _migrate(BEFORE)
    finally:
        _newest()
    languages = dict(EvaluationReport.objects.filter(evaluation=evaluation)
                     .values_list("number", "language"))
    assert languages == {1: None, 2: "fr"}
