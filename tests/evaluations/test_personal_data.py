"""The employee's evaluations in their export: what they may read, and nothing more."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.access.personal_data import ExportContext, build_export
from koers.core import clock
from koers.evaluations import services
from koers.evaluations.exports import evaluations_part
from koers.evaluations.models import Signature
from koers.evaluations.states import EvaluationState
from koers.organisation.models import Person, PolicyPreset
from tests import personas
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

S = EvaluationState
NOT_DELIVERED = "Rewritten after the correction, not delivered yet."


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


@pytest.fixture
def c(p) -> ev.Cast:
    return ev.cast(p)


def _evaluations(person: Person) -> list[dict]:
    export = build_export(person, now=clock.now()).as_json()
    return export["sections"]["evaluations"]


def test_a_completed_evaluation_is_exported_with_its_report_and_signatures(p, c):
    evaluation = ev.reach(c, S.COMPLETED)

    [exported] = _evaluations(p.employee)

    assert c.second is not None
    assert (exported["kind"], exported["period_end"], exported["state"]) == (
        "annual", "2025-12-31", "completed")
    assert (exported["first_evaluator"], exported["second_evaluator"]) == (
        "Ratana Than", c.second.full_name)
    assert exported["self_evaluation"] == "A good year."
    assert [(i["goal_title"], i["text"]) for i in exported["self_evaluation_items"]] == [
        ("Goal 1 of Marc", "I did it."), ("Goal 2 of Marc", "I did it.")]
    [report] = exported["reports"]
    assert (report["version"], report["overall"], report["verdict"]) == (
        1, "Marc did what was agreed.", "voldoende")
    assert report["delivered_at"] is not None
    assert [i["text"] for i in exported["report_items"]] == [
        "On goal 1: done.", "On goal 2: done."]
    seals = dict(Signature.objects.filter(report__evaluation=evaluation)
                 .values_list("role", "seal"))
    assert [(s["role"], s["signer_name"], s["remarks"], s["seal"])
            for s in exported["signatures"]] == [
        ("first_evaluator", "Ratana Than", "", seals["first_evaluator"]),
        ("second_evaluator", c.second.full_name, "", seals["second_evaluator"]),
        ("employee", "Marc Vandamme", "Seen.", seals["employee"]),
    ]


def test_a_report_not_yet_delivered_is_not_in_the_export(p, c):
    ev.reach(c, S.FIRST_SIGNED)

    [exported] = _evaluations(p.employee)

    assert exported["state"] == "first_signed"
    assert (exported["reports"], exported["report_items"], exported["signatures"]) == (
        [], [], [])


def test_after_a_correction_only_the_delivered_version_is_in_the_export(p, c):
    evaluation = ev.reach(c, S.DELIVERED)
    with ev.on(ev.days()["second"] + dt.timedelta(days=1)):
        services.evaluation_correct(actor=ev.viewer(c.first), evaluation=evaluation,
                                    reason="A goal was missing.")
        ev.write_report(c, evaluation, overall=NOT_DELIVERED)

    [exported] = _evaluations(p.employee)

    assert exported["state"] == "draft"
    assert [(r["version"], r["overall"]) for r in exported["reports"]] == [
        (1, "Marc did what was agreed.")]
    assert {s["version"] for s in exported["signatures"]} == {1}
    assert {i["version"] for i in exported["report_items"]} == {1}
    assert NOT_DELIVERED not in json.dumps(exported)
    assert "A goal was missing." not in json.dumps(exported)


def test_the_draft_sent_for_remarks_is_in_the_export(p, c):
    ev.reach(c, S.DRAFT_SENT, written=True)

    [exported] = _evaluations(p.employee)

    assert (exported["written_procedure"], exported["draft_sent_on"],
            exported["draft_verdict"]) == (True, "2025-12-02", "voldoende")
    assert [(r["version"], r["delivered_at"]) for r in exported["reports"]] == [(1, None)]
    assert exported["signatures"] == []


def test_the_record_the_employee_writes_under_the_dutch_policy_is_theirs(p):
    dutch = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    ev.reach(dutch, S.DRAFT)

    [exported] = _evaluations(p.employee)

    assert [(r["version"], r["overall"], r["delivered_at"]) for r in exported["reports"]] == [
        (1, "Marc did what was agreed.", None)]


def test_the_self_evaluation_is_the_employees_before_it_is_submitted(p, c):
    evaluation = ev.reach(c, S.DRAFT, self_evaluation=False)
    with ev.on(ev.days()["self"]):
        ev.write_self_evaluation(c, evaluation, submit=False)

    [exported] = _evaluations(p.employee)

    assert (exported["self_evaluation"], exported["self_evaluation_submitted_at"]) == (
        "A good year.", None)
    assert exported["reports"] == []


def test_the_evaluators_export_holds_not_the_evaluations_they_wrote(p, c):
    ev.reach(c, S.COMPLETED)

    assert _evaluations(p.manager) == []


def test_the_part_takes_as_many_queries_for_three_evaluations_as_for_one(p):
    cf.delivered(p, p.employee)
    for year in (2023, 2024, 2025):
        cf.delivered(p, p.colleague, year=year)

    with CaptureQueriesContext(connection) as one:
        part_one = evaluations_part(ExportContext(person=p.employee, chains=[]))
    with CaptureQueriesContext(connection) as three:
        part_three = evaluations_part(ExportContext(person=p.colleague, chains=[]))

    assert (len(part_one.records), len(part_three.records)) == (1, 3)
    assert len(part_three.chains) == 3
    # The evaluations, the policy, self-evaluation items, reports, their items and
    # signatures, objections.
    assert len(one.captured_queries) == len(three.captured_queries) == 7


# The person's regime names the kind, the state and the roles (``rulebook.terms``): BOSA,
# "Evaluatie — betrokkenen" (evaluator, hiërarchische meerdere); Gemeente Heemstede,
# "Cyclus van jaargesprekken" (leidinggevende); PLOEG (1ste and 2de evaluator).


def _evaluation_record(person):
    export = build_export(person, now=clock.now())
    (part,) = [part for part in export.parts if part.key == "evaluations"]
    (record,) = part.records
    return record


def _shown(fields) -> dict[str, tuple[str, str]]:
    return {field.name: (field.label, field.shown) for field in fields}


@pytest.mark.parametrize(("preset", "verdict", "kind", "signed", "first", "second"), [
    (PolicyPreset.FLEMISH, "voldoende", "Jaarlijkse evaluatie",
     "ondertekend door de 1ste evaluator", "1ste evaluator", "2de evaluator"),
    (PolicyPreset.FEDERAL, "", "Evaluatiecyclus",
     "ondertekend door de evaluator", "Evaluator", "Hiërarchische meerdere"),
])
def test_my_data_says_the_state_and_the_roles_in_the_regime_words(
        preset, verdict, kind, signed, first, second):
    p = personas.build()
    c = ev.cast(p, preset=preset)
    ev.reach(c, S.FIRST_SIGNED, verdict=verdict)

    record = _evaluation_record(p.employee)
    fields = _shown(record.fields)

    assert record.title.startswith(f"{kind}, ")
    assert fields["state"][1] == signed
    assert fields["kind"][1].lower() == kind.lower()
    assert (fields["first_evaluator"][0], fields["second_evaluator"][0]) == (
        first[0].upper() + first[1:], second)


def test_my_data_names_the_dutch_signers_as_the_municipality_does():
    p = personas.build()
    c = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    ev.reach(c, S.COMPLETED)

    record = _evaluation_record(p.employee)
    (signatures,) = [part for part in record.parts if part.key == "signatures"]
    roles = [_shown(signature.fields)["role"][1] for signature in signatures.records]

    assert roles == ["leidinggevende", "medewerker"]
    assert _shown(record.fields)["first_evaluator"][0] == "Leidinggevende"
    assert "evaluator" not in " ".join(
        f"{field.label} {field.shown}" for field in record.fields)
