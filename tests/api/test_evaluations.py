"""The evaluation through the API: the whole chain, what each side sees, and the refusals."""

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from koers.access import services as access_services
from koers.access.models import AccessRead, Scope
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.states import EvaluationState as S
from koers.organisation import records
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import evaluations as factory
from tests.factories.evaluations import Cast, on, viewer
from tests.factories.renderings import work_off

pytestmark = pytest.mark.django_db

DAYS = factory.days(2025)  # the Flemish calendar of the evaluation year 2025


@pytest.fixture
def c(p: personas.Personas) -> Cast:
    """Marc (Flemish preset) in the cycle of 2025 with two agreed goals."""
    return factory.cast(p)


class Api:
    """One signed-in client per person; JSON in and out."""

    def __init__(self) -> None:
        self.clients: dict[int, Client] = {}

    def as_(self, person: Any) -> Client:
        if person.pk not in self.clients:
            client = Client()
            client.force_login(person.user)
            self.clients[person.pk] = client
        return self.clients[person.pk]

    def get(self, person: Any, url: str, **params: Any) -> Any:
        return self.as_(person).get(f"/api/v1{url}", params)

    def send(self, person: Any, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
        return self.as_(person).generic(method, f"/api/v1{url}", json.dumps(body or {}),
                                        content_type="application/json")


@pytest.fixture
def api() -> Api:
    return Api()


def opened(api: Api, c: Cast) -> dict[str, Any]:
    with on(DAYS["open"]):
        response = api.send(c.first, "POST", f"/participations/{c.participation.pk}/evaluation")
    assert response.status_code == 200
    return response.json()


def test_the_whole_chain_through_the_api(api: Api, c: Cast) -> None:
    evaluation = opened(api, c)
    url = f"/evaluations/{evaluation['id']}"
    assert [item["goal_title"] for item in evaluation["report"]["items"]] == [
        "Goal 1 of Marc", "Goal 2 of Marc"]
    assert evaluation["verdicts"] == ["voldoende", "onvoldoende", "loopbaanvertraging"]

    with on(DAYS["self"]):
        mine = api.send(c.employee, "PUT", f"{url}/self-evaluation", {
            "overall": "Een goed jaar.", "items": {"1": "Gehaald.", "2": "Bijna."},
            "expected_revision": 0}).json()
        # Private until submitted: the 1st evaluator does not see it yet.
        assert api.get(c.first, url).json()["self_evaluation"] is None
        api.send(c.employee, "POST", f"{url}/self-evaluation/submit")
        report = api.send(c.first, "PUT", f"{url}/report", {
            "overall": "Marc deed wat afgesproken was.", "items": {"1": "Ja.", "2": "Ja."},
            "verdict": "voldoende", "expected_revision": 0}).json()
    assert mine["self_evaluation"]["revision"] == 1
    assert report["self_evaluation"]["overall"] == "Een goed jaar."
    assert report["report"]["overall"] == "Marc deed wat afgesproken was."
    assert report["reference"] is None  # unsigned: no reference number yet
    # The draft is the evaluators' alone.
    assert api.get(c.employee, url).json()["report"] is None

    with on(DAYS["first"]):
        first = api.send(c.first, "POST", f"{url}/sign", {}).json()
    assert c.second is not None
    with on(DAYS["second"]):
        second = api.send(c.second, "POST", f"{url}/sign", {}).json()
    with on(DAYS["employee"]):
        seen = api.get(c.employee, url).json()
        done = api.send(c.employee, "POST", f"{url}/sign", {"remarks": "Voor ontvangst."}).json()

    assert (first["state"], second["state"], done["state"]) == (
        S.FIRST_SIGNED, S.DELIVERED, S.COMPLETED)
    assert seen["report"]["verdict"] == "voldoende"
    # The first signature gave the record its reference number, the same on the page.
    reference = records.reference_of(Evaluation.objects.get(pk=evaluation["id"]))
    assert reference is not None
    assert first["reference"] == seen["reference"] == done["reference"] == reference
    page = api.as_(c.employee).get(f"/evaluations/{evaluation['id']}/")
    assert reference in page.content.decode()
    assert [a["action"] for a in seen["actions"] if a["available"]] == ["sign_employee"]
    versions = api.get(c.employee, f"{url}/versions").json()["items"]
    seals = dict(Signature.objects.values_list("role", "seal"))
    assert [(s["role"], s["seal"], s["remarks"]) for s in versions[0]["signatures"]] == [
        ("first_evaluator", seals["first_evaluator"], ""),
        ("second_evaluator", seals["second_evaluator"], ""),
        ("employee", seals["employee"], "Voor ontvangst."),
    ]
    readers = (c.employee, c.first, c.second)
    asked = [api.send(person, "POST", f"{url}/pdf") for person in readers]
    assert [answer.status_code for answer in asked] == [202, 202, 202]
    work_off()  # a task worker lays them out
    for person, answer in zip(readers, asked, strict=True):
        status = api.as_(person).get(answer["Location"]).json()
        pdf = api.as_(person).get(status["pdf_url"])
        assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (
            200, "application/pdf", b"%PDF-")
    assert api.send(c.hr, "POST", f"{url}/pdf").status_code == 404


def test_a_second_save_from_the_same_revision_gets_409_with_the_saved_text(
        api: Api, c: Cast) -> None:
    url = f"/evaluations/{opened(api, c)['id']}/report"
    body = {"overall": "Mijn versie.", "items": {}, "verdict": "voldoende",
            "expected_revision": 0}

    with on(DAYS["open"]):
        saved = api.send(c.first, "PUT", url, body)
        conflict = api.send(c.first, "PUT", url, {**body, "overall": "Een andere versie."})

    assert saved.status_code == 200
    assert conflict.status_code == 409
    data = conflict.json()
    assert (data["revision"], data["current"]["overall"], data["current"]["verdict"]) == (
        1, "Mijn versie.", "voldoende")
    assert data["detail"]
    assert Evaluation.objects.get().reports.get().overall == "Mijn versie."


def test_signing_what_changed_since_it_was_read_gets_409_and_signs_nothing(
        api: Api, c: Cast) -> None:
    url = f"/evaluations/{opened(api, c)['id']}"
    body = {"overall": "Eerste tekst.", "items": {}, "verdict": "voldoende",
            "expected_revision": 0}

    with on(DAYS["open"]):
        api.send(c.first, "PUT", f"{url}/report", body)
        read = api.get(c.first, url).json()["report"]
        api.send(c.first, "PUT", f"{url}/report",
                 {**body, "overall": "Tweede tekst.", "expected_revision": read["revision"]})
    with on(DAYS["first"]):
        stale = api.send(c.first, "POST", f"{url}/sign",
                         {"expected_version": read["number"],
                          "expected_revision": read["revision"]})
        fresh = api.send(c.first, "POST", f"{url}/sign",
                         {"expected_version": read["number"],
                          "expected_revision": read["revision"] + 1})

    assert stale.status_code == 409
    assert stale.json()["current"]["overall"] == "Tweede tekst."
    assert fresh.status_code == 200
    assert Signature.objects.count() == 1


def test_refusals_keep_the_apis_mapping(api: Api, c: Cast, p: personas.Personas) -> None:
    evaluation = opened(api, c)
    url = f"/evaluations/{evaluation['id']}"

    with on(DAYS["first"]):
        # A draft without a report cannot be signed: the rule in words, 422.
        unsigned = api.send(c.first, "POST", f"{url}/sign", {})
        # The employee signs only a delivered report: a state error, 422 too.
        early = api.send(c.employee, "POST", f"{url}/sign", {})
        # Not theirs to see: 404, as for an evaluation that does not exist.
        colleague = api.get(p.colleague, url)
        missing = api.get(c.first, f"/evaluations/{evaluation['id'] + 999}")
        # The service refuses the colleague too (NotFoundOrForbidden): the same 404.
        other = api.send(p.colleague, "POST", f"/participations/{c.participation.pk}/evaluation")

    assert (unsigned.status_code, early.status_code) == (422, 422)
    with translation.override("nl"):  # the tests' language
        assert unsigned.json()["detail"] == gettext("Write the overall evaluation first.")
    assert (colleague.status_code, missing.status_code, other.status_code) == (404, 404, 404)


def test_the_written_procedure_shows_the_draft_to_the_employee_and_takes_remarks(
        api: Api, c: Cast) -> None:
    url = f"/evaluations/{opened(api, c)['id']}"
    with on(DAYS["open"]):
        api.send(c.first, "PUT", f"{url}/written-procedure", {"written": True})
        api.send(c.first, "PUT", f"{url}/report", {
            "overall": "Schriftelijk.", "verdict": "voldoende", "expected_revision": 0})
        sent = api.send(c.first, "POST", f"{url}/send-draft").json()
        seen = api.get(c.employee, url).json()
    with on(DAYS["self"]):
        remarked = api.send(c.employee, "POST", f"{url}/draft-remarks",
                            {"remarks": "Ik was in mei met verlof."}).json()
    with on(DAYS["first"]):
        signed = api.send(c.first, "POST", f"{url}/sign", {}).json()

    assert (sent["state"], sent["written_procedure"], sent["draft_sent_on"]) == (
        S.DRAFT_SENT, True, DAYS["open"].isoformat())
    assert seen["report"]["overall"] == "Schriftelijk."
    assert (remarked["draft_remarks"], remarked["draft_remarks_on"]) == (
        "Ik was in mei met verlof.", DAYS["self"].isoformat())
    assert signed["state"] == S.FIRST_SIGNED


def test_a_correction_opens_version_two_and_keeps_the_first_with_its_seal(
        api: Api, c: Cast) -> None:
    url = f"/evaluations/{opened(api, c)['id']}"
    with on(DAYS["first"]):
        api.send(c.first, "PUT", f"{url}/report", {
            "overall": "Versie een.", "verdict": "voldoende", "expected_revision": 0})
        api.send(c.first, "POST", f"{url}/sign", {})
        corrected = api.send(c.first, "POST", f"{url}/correct",
                             {"reason": "Verkeerd doel beoordeeld."}).json()
        api.send(c.first, "PUT", f"{url}/report", {
            "overall": "Versie twee.", "verdict": "voldoende",
            "expected_revision": corrected["report"]["revision"]})
        versions = api.get(c.first, f"{url}/versions").json()["items"]

    assert (corrected["state"], corrected["report"]["number"]) == (S.DRAFT, 2)
    assert [(v["number"], v["overall"], v["correction_reason"], len(v["signatures"]))
            for v in versions] == [(1, "Versie een.", "", 1),
                                   (2, "Versie twee.", "Verkeerd doel beoordeeld.", 0)]
    assert versions[0]["signatures"][0]["seal"] == Signature.objects.get().seal


def test_hr_closes_a_delivered_evaluation_after_the_term(api: Api, c: Cast) -> None:
    delivered = factory.reach(c, S.DELIVERED)
    url = f"/evaluations/{delivered.pk}"
    with on(DAYS["employee"]):
        too_early = api.send(c.hr, "POST", f"{url}/close-unsigned")
    with on(DAYS["closed"]):
        closed = api.send(c.hr, "POST", f"{url}/close-unsigned").json()

    assert too_early.status_code == 422
    assert closed["state"] == S.CLOSED_UNSIGNED
    assert closed["report"] is None  # HR sees the evaluation, not its content


def test_hr_cancels_a_draft_with_a_reason(api: Api, c: Cast) -> None:
    url = f"/evaluations/{opened(api, c)['id']}"
    with on(DAYS["open"]):
        refused = api.send(c.first, "POST", f"{url}/cancel", {"reason": "Vertrokken."})
        cancelled = api.send(c.hr, "POST", f"{url}/cancel", {"reason": "Vertrokken."}).json()

    assert refused.status_code == 422
    assert (cancelled["state"], cancelled["closed_reason"]) == (S.CANCELLED, "Vertrokken.")


def test_hr_reads_the_report_under_a_granted_request_and_the_read_is_logged(
        api: Api, c: Cast, p: personas.Personas) -> None:
    delivered = factory.reach(c, S.DELIVERED)
    assert c.second is not None
    with on(DAYS["employee"]):
        hr = viewer(c.hr)
        request = access_services.access_request_create(
            actor=hr, subject=c.employee, scope=Scope.EVALUATIONS, reason="Beroep",
            valid_from=hr.on, valid_until=hr.on)
        access_services.access_request_decide(actor=viewer(c.second), request=request,
                                              grant=True)
        data = api.get(c.hr, f"/evaluations/{delivered.pk}").json()

    assert data["report"]["verdict"] == "voldoende"
    assert AccessRead.objects.filter(subject=c.employee, reader=c.hr).count() == 1


def test_the_pdf_comes_in_the_language_asked_for(api: Api, c: Cast) -> None:
    delivered = factory.reach(c, S.DELIVERED)
    url = f"/evaluations/{delivered.pk}/pdf"
    with on(DAYS["employee"]):
        english = api.send(c.first, "POST", f"{url}?language=en")
        unknown = api.send(c.first, "POST", f"{url}?language=es")
        work_off()
        status = api.as_(c.first).get(english["Location"]).json()
        pdf = api.as_(c.first).get(status["pdf_url"])

    assert english.status_code == 202
    assert (english.json()["language"], status["state"]) == ("en", "ready")
    assert pdf["Content-Disposition"] == (
        'attachment; filename="evaluation-marc-vandamme-2025-v1.pdf"')
    assert unknown.status_code == 422


def test_a_dutch_formal_assessment_and_the_objection_against_it(
        api: Api, p: personas.Personas) -> None:
    c = factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL, goal_count=0)
    starts = dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC)
    with clock.frozen(starts - dt.timedelta(days=7)):
        progress = conversation_services.conversation_schedule(
            actor=viewer(c.first), employee=c.employee, kind=ConversationKind.PROGRESS,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="Kamer 2")
    with clock.frozen(starts + dt.timedelta(hours=2)):
        conversation_services.conversation_hold(
            actor=viewer(c.first), conversation=progress,
            improvement_points="Afspraken beter nakomen.")
    with on(dt.date(2025, 10, 1)):
        response = api.send(c.first, "POST", f"/people/{c.employee.pk}/evaluations", {
            "kind": "formal_assessment", "formal_reason": "manager_request",
            "improvement_conversation_id": progress.pk})
        assert response.status_code == 201
        url = f"/evaluations/{response.json()['id']}"
        api.send(c.first, "PUT", f"{url}/report", {
            "overall": "De afspraken werden niet nagekomen.", "expected_revision": 0})
        delivered = api.send(c.first, "POST", f"{url}/sign", {}).json()
        objection = api.send(c.employee, "POST", f"{url}/objections", {
            "filed_on": "2025-10-01", "text": "Ik maak bezwaar."})
        annual = api.send(c.employee, "POST",
                          f"/evaluations/{factory.annual(c).pk}/objections",
                          {"filed_on": "2025-10-01", "text": "Ook hier."})

    assert (delivered["kind"], delivered["state"], delivered["verdicts"]) == (
        "formal_assessment", S.DELIVERED, [])
    assert objection.status_code == 201
    assert api.get(c.employee, url).json()["objections"][0]["text"] == "Ik maak bezwaar."
    assert annual.status_code == 422  # an objection is against a formal assessment only


def test_my_evaluations_and_a_persons_list_what_the_caller_may_see(
        api: Api, c: Cast, p: personas.Personas) -> None:
    evaluation = opened(api, c)

    mine = api.get(c.employee, "/me/evaluations").json()["items"]
    theirs = api.get(c.first, f"/people/{c.employee.pk}/evaluations").json()["items"]
    colleague = api.get(p.colleague, f"/people/{c.employee.pk}/evaluations")

    assert [e["id"] for e in mine] == [evaluation["id"]]
    assert [(e["id"], e["state"], e["person"]["name"]) for e in theirs] == [
        (evaluation["id"], S.DRAFT, "Marc Vandamme")]
    assert colleague.status_code == 404
    assert api.get(c.first, "/me/evaluations").json()["items"] == []


def test_an_evaluation_answers_in_the_same_number_of_queries_with_more_versions(
        api: Api, c: Cast) -> None:
    evaluation = factory.reach(c, S.DELIVERED)
    url = f"/evaluations/{evaluation.pk}"

    def queries_of_a_read() -> int:
        with on(DAYS["employee"]), CaptureQueriesContext(connection) as queries:
            assert api.get(c.first, url).status_code == 200
        return len(queries)

    queries_of_a_read()  # the first read of the session fills caches (content types, ...)
    once = queries_of_a_read()
    with on(DAYS["employee"]):  # a second version, delivered again: more rows to read
        api.send(c.first, "POST", f"{url}/correct", {"reason": "Tikfout."})
        api.send(c.first, "POST", f"{url}/sign", {})
        assert c.second is not None
        api.send(c.second, "POST", f"{url}/sign", {})
    again = queries_of_a_read()

    assert Evaluation.objects.get().reports.count() == 2
    assert again == once


def test_opening_a_forbidden_participations_evaluation_answers_as_a_missing_one(
        api: Api, c: Cast, p: personas.Personas) -> None:
    from koers.access.models import Refusal

    with on(DAYS["open"]):
        forbidden = api.send(p.colleague, "POST",
                             f"/participations/{c.participation.pk}/evaluation")
        missing = api.send(p.colleague, "POST",
                           f"/participations/{c.participation.pk + 999}/evaluation")

    assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())
    assert forbidden.status_code == 404
    assert not Evaluation.objects.exists()
    # The forbidden one is noted in the security log; the missing one names nothing.
    assert list(Refusal.objects.values_list("target_type", "target_id")) == [
        ("cycles.participation", c.participation.pk)]


# Probation --------------------------------------------------------------------------------


def test_hr_records_a_probation_and_the_1st_evaluator_opens_its_evaluation(
        api: Api, p: personas.Personas, c: Cast) -> None:
    url = f"/people/{c.employee.pk}/probations"
    body = {"reason": "recruitment", "starts_on": "2025-03-03", "months": 6,
            "mentor_id": p.colleague.pk}
    with on(dt.date(2025, 3, 3)):
        refused = api.send(c.first, "POST", url, body)
        recorded = api.send(c.hr, "POST", url, body)
    assert refused.status_code == 404
    assert recorded.status_code == 201
    probation = recorded.json()
    # [f18]: 126 working days from 3 March 2025, the Flemish public holidays left out.
    assert (probation["ends_on"], probation["mentor"]["name"]) == ("2025-09-02", "Peter Gordon")
    with on(dt.date(2025, 4, 2)):
        moved = api.send(c.hr, "PUT", f"/probations/{probation['id']}/absences",
                         {"absences": ["2025-04-01", "2025-04-02"]})
    assert moved.json()["ends_on"] == "2025-09-04"
    with on(dt.date(2025, 8, 1)):
        opened_one = api.send(c.first, "POST", f"/people/{c.employee.pk}/evaluations",
                              {"kind": "probation"})
        page = api.get(c.employee, f"/people/{c.employee.pk}/probation").json()
        detail = api.get(c.employee, f"/probations/{probation['id']}").json()
    assert opened_one.status_code == 201
    assert opened_one.json()["kind"] == "probation"
    assert (page["flemish"], page["probation_ids"]) == (True, [probation["id"]])
    assert (detail["evaluation_id"], detail["evaluation_state"]) == (
        opened_one.json()["id"], "draft")


def test_a_federal_stage_shows_its_computed_conversations_and_hr_records_its_end(
        api: Api, p: personas.Personas) -> None:
    # BOSA "Evaluatieperiode stagiair" [b12], "Vermeldingen" [b13]; Fedweb "Stagiairs —
    # Gesprekken" [b14]: a year, planning in month 1, three functioning conversations
    # spread evenly, the final conversation at the end; extension, then appointment.
    p.employee.start_date = dt.date(2026, 1, 1)
    p.employee.save(update_fields=["start_date"])
    c = factory.cast(p, preset=PolicyPreset.FEDERAL, goal_count=0)
    with on(dt.date(2026, 1, 1)):
        recorded = api.send(c.hr, "POST", f"/people/{c.employee.pk}/probations",
                            {"reason": "recruitment", "starts_on": "2026-01-01", "months": 12})
    assert recorded.status_code == 201
    stage = recorded.json()["stage"]
    assert [(s["step"], s["number"], s["due"]) for s in stage["steps"]] == [
        ("planning", 1, "2026-01-31"), ("functioning", 1, "2026-04-02"),
        ("functioning", 2, "2026-07-02"), ("functioning", 3, "2026-10-01"),
        ("final", 1, "2026-12-31")]
    assert (stage["objectives_needed"], stage["outcomes"]) == (2, ["dismiss"])
    url = f"/probations/{recorded.json()['id']}/outcome"
    with on(dt.date(2027, 1, 4)):
        refused = api.send(c.first, "POST", url, {"outcome": "appoint"})
        too_long = api.send(c.hr, "POST", url, {"outcome": "extend", "extension_months": 5})
        extended = api.send(c.hr, "POST", url, {"outcome": "extend", "extension_months": 2})
    assert refused.status_code == 404
    assert too_long.status_code == 422
    assert set(too_long.json()["errors"]) == {"extension_months"}
    assert (extended.json()["ends_on"], extended.json()["stage"]["outcomes"]) == (
        "2027-02-28", ["dismiss"])
    with on(dt.date(2027, 3, 1)):
        appointed = api.send(c.hr, "POST", url, {"outcome": "appoint"})
        tasks = api.get(c.first, "/me/tasks").json()
    assert (appointed.json()["stage"]["outcome"], appointed.json()["stage"]["decided_on"]) == (
        "appoint", "2027-03-01")
    assert [t for t in tasks["items"] if t["kind"] == "stage"] == []


def test_a_bad_probation_changes_nothing_and_says_why(api: Api, c: Cast) -> None:
    with on(dt.date(2025, 3, 3)):
        response = api.send(c.hr, "POST", f"/people/{c.employee.pk}/probations",
                            {"reason": "holiday", "starts_on": "2025-03-03", "months": 0})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"reason", "months"}
    assert api.get(c.hr, f"/people/{c.employee.pk}/probation").json()["probation_ids"] == []


def test_hr_records_the_decision_on_an_objection_to_a_formal_assessment(
        api: Api, p: personas.Personas) -> None:
    """Algemene wet bestuursrecht, art. 7:11: upheld, partly upheld or rejected; art. 6:6:
    inadmissible. The page and the operation call the same service."""
    c = factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    objection = factory.objected_assessment(c)
    url = f"/evaluation-objections/{objection.pk}/decision"
    body = {"outcome": "upheld", "decided_on": "2025-09-01",
            "body": "College van burgemeester en wethouders", "motivation": "Well-founded."}
    with on(dt.date(2025, 9, 1)):
        by_the_evaluator = api.send(c.first, "POST", url, body)
        refused = api.send(c.hr, "POST", url, {**body, "outcome": "granted"})
        decided = api.send(c.hr, "POST", url, body)
        again = api.send(c.hr, "POST", url, {**body, "outcome": "rejected"})

    assert by_the_evaluator.status_code == 404
    assert refused.status_code == 422
    assert decided.status_code == 200
    assert {k: decided.json()[k] for k in ("id", "outcome", "decided_on", "decided_by")} == {
        "id": objection.pk, "outcome": "upheld", "decided_on": "2025-09-01",
        "decided_by": "College van burgemeester en wethouders"}
    assert again.status_code == 422


@pytest.mark.parametrize(("preset", "message"), [
    (PolicyPreset.FLEMISH, "Onderteken als 1ste evaluator, 2de evaluator of medewerker."),
    (PolicyPreset.FEDERAL, "Onderteken als evaluator, hiërarchische meerdere of medewerker."),
    (PolicyPreset.DUTCH_MUNICIPAL,
     "Onderteken als leidinggevende, naast-hogere leidinggevende of medewerker."),
])
def test_an_unknown_signing_role_is_refused_in_the_records_words(
        api: Api, p: personas.Personas, preset: str, message: str) -> None:
    """PLOEG: the 1st and 2nd evaluator; BOSA, "Evaluatie — betrokkenen": the evaluator
    and the hierarchical superior; Heemstede, "Cyclus van jaargesprekken": the
    leidinggevende and the naast-hogere leidinggevende."""
    cast = factory.cast(p, preset=preset)
    evaluation = factory.annual(cast)
    with on(DAYS["open"]):
        refused = api.send(cast.first, "POST", f"/evaluations/{evaluation.pk}/sign",
                           {"role": "mentor"})
    assert refused.status_code == 422
    assert refused.json()["errors"]["role"] == [message]
    assert Signature.objects.count() == 0
