"""Retention of evaluations: a leaver's evaluations and evaluations that ended before the
cutoff go with everything they are made of, signatures included; what another record
protects stays for later; the audit trail still verifies; and on PostgreSQL the
database still refuses every other delete of what was signed."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from koers.access.personal_data import ErasurePlan
from koers.audit import services as audit
from koers.audit.models import AuditEvent
from koers.consequences.models import Appeal
from koers.evaluations import seals, services
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    Objection,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.retention import erase_evaluations
from koers.evaluations.states import EvaluationState
from koers.organisation.models import Person
from tests import personas
from tests.access import erasure
from tests.factories import consequences, goals
from tests.factories import evaluations as factory

pytestmark = pytest.mark.django_db

S = EvaluationState
# The evaluations are of 2025 and end by early 2026; retention runs seven years later
# and keeps five: the cutoff is 2 March 2028.
NOW = dt.datetime(2033, 3, 2, 12, tzinfo=dt.UTC)
ENDED = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)  # last changed, long before the cutoff
RECENT = dt.datetime(2032, 5, 1, 12, tzinfo=dt.UTC)  # last changed within the period


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def _last_changed(evaluation: Evaluation, moment: dt.datetime) -> None:
    # auto_now ignores the frozen clock; updated_at is not among the sealed columns.
    Evaluation.objects.filter(pk=evaluation.pk).update(updated_at=moment)


def _cast(p: personas.Personas, person: Person, *, year: int = factory.YEAR) -> factory.Cast:
    """``person``'s participation in the cycle of ``year``, with two agreed goals."""
    for n in (1, 2):
        goals.agreed(person, p.manager, title=f"Goal {n} of {year}")
    return consequences.cast_for(p, person, year=year)


def _completed(p: personas.Personas, person: Person, *, changed: dt.datetime = ENDED,
               year: int = factory.YEAR) -> Evaluation:
    evaluation = factory.reach(_cast(p, person, year=year), S.COMPLETED, year=year)
    _last_changed(evaluation, changed)
    return evaluation


def _everything_of(evaluation_ids: list[int]) -> dict[str, int]:
    return {
        "evaluations": Evaluation.objects.filter(pk__in=evaluation_ids).count(),
        "versions": EvaluationReport.objects.filter(evaluation__in=evaluation_ids).count(),
        "items": ReportItem.objects.filter(report__evaluation__in=evaluation_ids).count(),
        "self_items": SelfEvaluationItem.objects.filter(evaluation__in=evaluation_ids).count(),
        "signatures": Signature.objects.filter(report__evaluation__in=evaluation_ids).count(),
        "objections": Objection.objects.filter(evaluation__in=evaluation_ids).count(),
    }


NOTHING = dict.fromkeys(
    ("evaluations", "versions", "items", "self_items", "signatures", "objections"), 0)


def test_a_leavers_evaluations_go_whatever_their_state(p):
    completed = _completed(p, p.employee, changed=RECENT)
    draft = factory.annual(_cast(p, p.employee, year=2026))
    erasure.leave(p.employee, p.hr, on=dt.date(2027, 6, 30))
    erasure.keep_for(p.hr, 5, on=NOW)

    report = erasure.run(p.employee, on=NOW)

    assert _everything_of([completed.pk, draft.pk]) == NOTHING
    assert report.counts["evaluations"] == 2


def test_an_evaluation_that_ended_before_the_cutoff_goes_signatures_and_all(p):
    evaluation = _completed(p, p.employee)
    assert _everything_of([evaluation.pk]) == {
        "evaluations": 1, "versions": 1, "items": 2, "self_items": 2, "signatures": 3,
        "objections": 0}
    erasure.keep_for(p.hr, 5, on=NOW)

    report = erasure.run(p.employee, on=NOW)

    assert _everything_of([evaluation.pk]) == NOTHING
    assert report.counts["evaluations"] == 1
    assert report.people == 0  # Marc still works here


def test_evaluations_still_open_or_changed_within_the_period_stay(p):
    recent = _completed(p, p.colleague, changed=RECENT)
    delivered = consequences.delivered(p, p.employee)  # waits for Marc's signature
    _last_changed(delivered, ENDED)
    erasure.keep_for(p.hr, 5, on=NOW)

    report = erasure.run(p.employee, on=NOW)

    assert set(Evaluation.objects.values_list("pk", flat=True)) == {recent.pk, delivered.pk}
    assert Signature.objects.filter(report__evaluation=recent).count() == 3
    assert report.counts["evaluations"] == 0


def test_an_objection_goes_with_its_evaluation(p):
    evaluation = _completed(p, p.employee)
    Objection.objects.create(evaluation=evaluation, filed_on=dt.date(2026, 1, 5),
                             text="The goals changed in May.", recorded_by=p.hr.user)
    erasure.keep_for(p.hr, 5, on=NOW)

    erasure.run(p.employee, on=NOW)

    assert _everything_of([evaluation.pk]) == NOTHING


def test_an_evaluation_an_open_appeal_protects_stays_for_a_later_run(p):
    consequences.evaluation_based(p.employee)
    evaluation = consequences.delivered(p, p.employee, verdict="onvoldoende")
    appeal = consequences.appeal(p, evaluation)
    with factory.on(consequences.IN_TERM):
        services.evaluation_sign(actor=factory.viewer(p.employee), evaluation=evaluation,
                                 remarks="Seen.")
    _last_changed(evaluation, ENDED)
    erasure.keep_for(p.hr, 5, on=NOW)

    report = erasure.run(p.employee, on=NOW)

    assert Evaluation.objects.get(pk=evaluation.pk).state == S.COMPLETED
    assert Signature.objects.filter(report__evaluation=evaluation).count() == 3
    assert (report.counts["evaluations"], report.counts["evaluations_kept"]) == (0, 1)
    # Once the appeal is decided and its time is over, the next run takes both.
    consequences.decide_appeal(p, appeal, day=dt.date(2026, 1, 20))
    _last_changed(evaluation, ENDED)

    again = erasure.run(p.employee, on=NOW)

    assert not Appeal.objects.exists()
    assert _everything_of([evaluation.pk]) == NOTHING
    assert again.counts["evaluations"] == 1


def test_a_dry_run_counts_and_changes_nothing(p):
    evaluation = _completed(p, p.employee)
    erasure.keep_for(p.hr, 5, on=NOW)
    before = _everything_of([evaluation.pk])
    events = AuditEvent.objects.count()

    dry = erasure.run(p.employee, on=NOW, dry_run=True)

    assert _everything_of([evaluation.pk]) == before
    assert AuditEvent.objects.count() == events
    real = erasure.run(p.employee, on=NOW)
    assert dry.counts == real.counts
    assert dry.counts["evaluations"] == 1
    assert dry.audit_events == real.audit_events > 0


def test_the_audit_trail_verifies_after_the_evaluations_went(p):
    evaluation = _completed(p, p.employee)
    chain = audit.chain_of(evaluation)
    assert AuditEvent.objects.filter(chain=chain).exclude(changes={}).exists()
    erasure.keep_for(p.hr, 5, on=NOW)

    erasure.run(p.employee, on=NOW)

    assert erasure.audit_verifies()
    events = AuditEvent.objects.filter(chain=chain)
    assert events.exists()
    assert list(events.values_list("changes", flat=True)) == [{}] * events.count()
    assert not events.filter(changes_redacted_in="").exists()
    # Erased by retention, not behind Koers' back: verify-report --all has nothing to say.
    assert dict(seals.verify_all()) == {}


# The database guards -----------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deletes: PostgreSQL only")
@pytest.mark.parametrize("sql", [
    "DELETE FROM evaluations_signature",
    "DELETE FROM evaluations_evaluationreport",
    "DELETE FROM evaluations_reportitem",
    "DELETE FROM evaluations_selfevaluationitem",
])
def test_postgresql_refuses_any_other_delete_of_what_was_signed(p, sql):
    """Also after a retention run in the same transaction: it allows its own deletes only."""
    _completed(p, p.employee)  # ended: retention takes it
    kept = _completed(p, p.colleague, changed=RECENT)  # stays
    erasure.keep_for(p.hr, 5, on=NOW)
    erasure.run(p.employee, on=NOW)
    assert Signature.objects.filter(report__evaluation=kept).count() == 3

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deletes: PostgreSQL only")
def test_postgresql_lets_a_delete_pass_only_while_retention_erases(p):
    evaluation = _completed(p, p.employee)
    signatures = Signature.objects.filter(report__evaluation=evaluation)

    with pytest.raises(IntegrityError), transaction.atomic():
        signatures.delete()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL koers.retention_erasure = 'on'")
        signatures.delete()

    assert not signatures.exists()



def _erase_counting_queries(p: personas.Personas) -> tuple[int, int]:
    """The evaluations the eraser erased, and the queries it took."""
    plan = ErasurePlan(organisation=p.employee.organisation, cutoff=dt.date(2028, 3, 2),
                       leaver_ids=[], dry_run=False)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        erased = erase_evaluations(plan)
    assert Evaluation.objects.count() == 0
    return erased.counts["evaluations"], len(queries)


def test_the_eraser_takes_as_many_queries_for_three_evaluations_as_for_one(p):
    _completed(p, p.employee)
    count, one = _erase_counting_queries(p)
    assert count == 1
    _completed(p, p.employee, year=2024)
    _completed(p, p.colleague)
    _completed(p, p.colleague, year=2024)

    assert _erase_counting_queries(p) == (3, one)
