"""`koers demo` leaves evaluations in every state of the machine, with seals that verify."""

import io

import pytest
from django.core.management import call_command

from koers.core.clock import today_for
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.states import EvaluationKind, EvaluationState, Role
from koers.organisation import demo

pytestmark = pytest.mark.django_db


def test_koers_demo_leaves_every_state_and_the_stories_of_the_issue(settings) -> None:
    """One build of the whole demo (it takes a while), checked from several sides."""
    # The demo hashes a password per login; the production hasher would take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # As `koers demo` does (without serving and the rooms above this one): the
    # organisations, today's cycles, then the evaluations.
    demo.build_demo()
    for organisation in demo.DEMO_ORGANISATIONS:
        call_command("open-cycle", "--org", organisation.name, stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo-evaluations", stdout=out)
    built = out.getvalue()

    every_state_in_every_organisation_with_seals_that_verify(built)
    marcs_report_waits_for_his_signature_within_the_term(built)
    the_stories_of_the_issue_are_all_there()
    running_it_again_changes_nothing()


def every_state_in_every_organisation_with_seals_that_verify(built: str) -> None:
    states = {
        name: set(Evaluation.objects.filter(person__organisation__name=name)
                  .values_list("state", flat=True))
        for name in (demo.FEDERAL.name, demo.FLEMISH.name, demo.DUTCH.name)
    }
    assert set().union(*states.values()) == set(EvaluationState.values)
    assert all(states.values())  # evaluations in each of the three organisations
    assert "Evaluations in the demo" in built
    out = io.StringIO()
    call_command("verify-report", "--all", stdout=out)  # exits 1 on any mismatch
    assert out.getvalue().startswith("ok: ")
    assert Signature.objects.count() >= 10


def marcs_report_waits_for_his_signature_within_the_term(built: str) -> None:
    marc = Evaluation.objects.select_related("person__organisation", "person__user").get(
        person__email=demo.MARC.email, kind=EvaluationKind.ANNUAL,
        state=EvaluationState.DELIVERED)
    today = today_for(marc.person.organisation)

    assert marc.person.user is not None  # his demo login
    assert marc.employee_signature_due is not None
    assert marc.employee_signature_due >= today
    assert marc.self_evaluation_submitted_at is not None
    roles = set(Signature.objects.filter(report__evaluation=marc).values_list("role", flat=True))
    assert roles == {Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR}
    assert marc.reports.get().items.count() == 2  # one per agreed goal of the period
    assert demo.MARC.email in built  # in the table the command prints


def the_stories_of_the_issue_are_all_there() -> None:
    evaluations = Evaluation.objects.select_related("person")
    completed = evaluations.filter(state=EvaluationState.COMPLETED)
    # Completed with the employee's remarks (Peter Gordon, in English).
    assert Signature.objects.filter(report__evaluation__person__email=demo.PETER.email,
                                    role=Role.EMPLOYEE).exclude(remarks="").exists()
    # A correction: two versions, both signed.
    corrected = [e for e in completed if e.reports.count() == 2]
    assert len(corrected) == 1
    assert [r.signatures.count() for r in corrected[0].reports.order_by("number")] == [2, 3]
    # An onvoldoende whose advanced evaluation followed, planned from the notice's day.
    advanced = evaluations.get(kind=EvaluationKind.ADVANCED)
    assert advanced.follows is not None
    report = advanced.follows.reports.get()
    assert (report.verdict, advanced.due_on) == ("onvoldoende", report.advanced_evaluation_day)
    # The written procedure's draft, sent and waiting for remarks.
    sent = evaluations.get(state=EvaluationState.DRAFT_SENT)
    assert (sent.written_procedure, sent.draft_remarks) == (True, "")
    # Dutch: the record without a verdict, and a formal assessment with an objection.
    dutch = completed.filter(person__organisation__name=demo.DUTCH.name)
    assert {e.kind for e in dutch} == {EvaluationKind.ANNUAL, EvaluationKind.FORMAL_ASSESSMENT}
    assert {r.verdict for e in dutch for r in e.reports.all()} == {""}
    assert dutch.get(kind=EvaluationKind.FORMAL_ASSESSMENT).objections.count() == 1
    # Drafts with and without a self-evaluation.
    drafts = evaluations.filter(state=EvaluationState.DRAFT, kind=EvaluationKind.ANNUAL)
    assert {e.self_evaluation_submitted_at is None for e in drafts} == {True, False}


def running_it_again_changes_nothing() -> None:
    before = list(Evaluation.objects.values_list("pk", "state", "updated_at"))
    out = io.StringIO()

    call_command("demo-evaluations", stdout=out)

    assert list(Evaluation.objects.values_list("pk", "state", "updated_at")) == before
    assert out.getvalue().count("left as they are") == 3
