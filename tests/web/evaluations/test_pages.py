"""The evaluation pages: the self-evaluation, the report with its verdict and advanced
evaluation, conflicts that lose nothing, signing with its seal, HR's reads under a grant,
the task list and bounded queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.access import services as access_services
from koers.access.models import AccessRead, Scope
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.evaluations import services
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.services import current_report
from koers.evaluations.states import EvaluationState, Role
from koers.organisation.models import PolicyPreset
from koers.rulebook.services import policy_settings_change
from tests import factories, personas
from tests.factories import evaluations as ev
from tests.factories import goals, participations, renderings

pytestmark = pytest.mark.django_db

S = EvaluationState
DAYS = ev.days()


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


@pytest.fixture
def cast(p: personas.Personas) -> ev.Cast:
    return ev.cast(p)


@pytest.fixture
def evaluation(cast: ev.Cast) -> Evaluation:
    return ev.annual(cast)


def url(name: str, evaluation: Evaluation) -> str:
    return reverse(name, args=[evaluation.pk])


def report_data(evaluation: Evaluation, **values: str) -> dict[str, str]:
    report = current_report(evaluation)
    data = {"revision": str(report.revision), "overall": "Goed gedaan.", "verdict": "",
            "advanced_evaluation_on": ""}
    data.update({f"item_{item.position}": f"Doel {item.position} gehaald."
                 for item in report.items.all()})
    data.update(values)
    return data


# The self-evaluation ------------------------------------------------------------------


def test_the_employee_saves_then_submits_the_self_evaluation_beside_the_questions(
        client, cast, evaluation):
    client.force_login(cast.employee.user)
    with ev.on(DAYS["self"]):
        page = client.get(url("evaluation_self", evaluation)).content.decode()
        assert "Wat heb je het voorbije jaar gerealiseerd?" in page or \
            "What did you achieve over the past year?" in page
        assert "Goal 1 of Marc" in page  # a field per goal, labelled with its title

        data = {"revision": "0", "overall": "Een goed jaar.", "item_1": "Gehaald.",
                "item_2": "Half gehaald.", "save": "1"}
        client.post(url("evaluation_self", evaluation), data)
        evaluation.refresh_from_db()
        assert (evaluation.self_evaluation, evaluation.self_evaluation_submitted_at) == (
            "Een goed jaar.", None)

        data = {**data, "revision": "1", "submit": "1"}
        del data["save"]
        response = client.post(url("evaluation_self", evaluation), data, follow=True)

    evaluation.refresh_from_db()
    assert evaluation.self_evaluation_submitted_at is not None
    assert "Half gehaald." in response.content.decode()


def test_the_self_evaluation_stays_private_until_it_is_submitted(client, cast, evaluation):
    with ev.on(DAYS["self"]):
        ev.write_self_evaluation(cast, evaluation, submit=False)
        client.force_login(cast.first.user)
        hidden = client.get(url("evaluation_detail", evaluation)).content.decode()
        assert "A good year." not in hidden
        assert client.get(url("evaluation_self", evaluation)).status_code == 404

        services.self_evaluation_submit(actor=ev.viewer(cast.employee), evaluation=evaluation)
        page = client.get(url("evaluation_report", evaluation)).content.decode()

    assert "A good year." in page  # beside the report, for the 1st evaluator


def test_submitting_an_empty_self_evaluation_is_refused_and_the_form_goes_on(
        client, cast, evaluation):
    client.force_login(cast.employee.user)
    with ev.on(DAYS["self"]):
        response = client.post(url("evaluation_self", evaluation), {
            "revision": "0", "overall": "", "item_1": "", "item_2": "", "submit": "1"})

    evaluation.refresh_from_db()
    assert response.status_code == 200
    assert evaluation.self_evaluation_submitted_at is None
    assert 'name="revision" value="1"' in response.content.decode()


def test_a_self_evaluation_saved_on_another_device_is_shown_beside_the_users_text(
        client, cast, evaluation):
    client.force_login(cast.employee.user)
    with ev.on(DAYS["self"]):
        ev.write_self_evaluation(cast, evaluation, submit=False)  # "A good year.", revision 1
        response = client.post(url("evaluation_self", evaluation), {
            "revision": "0", "overall": "Mijn tekst van de laptop.", "item_1": "",
            "item_2": "", "save": "1"})

    page = response.content.decode()
    evaluation.refresh_from_db()
    assert "A good year." in page
    assert "Mijn tekst van de laptop." in page
    assert evaluation.self_evaluation == "A good year."


# The report ------------------------------------------------------------------------------


def test_the_verdict_is_one_of_the_allowed_options_and_a_wrong_one_changes_nothing(
        client, cast, evaluation):
    client.force_login(cast.first.user)
    with ev.on(DAYS["open"]):
        page = client.get(url("evaluation_report", evaluation)).content.decode()
        assert '<legend class="utrecht-form-fieldset__legend' in page
        assert 'value="voldoende"' in page
        assert 'value="onvoldoende"' in page

        response = client.post(url("evaluation_report", evaluation),
                               report_data(evaluation, verdict="uitstekend"))

    assert response.status_code == 200
    assert "Er is niets opgeslagen" in response.content.decode()
    assert current_report(evaluation).revision == 0


def test_the_dutch_preset_has_no_verdict_and_the_employee_writes_the_record(client, p):
    cast = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    evaluation = ev.annual(cast)
    client.force_login(cast.employee.user)
    with ev.on(DAYS["open"]):
        page = client.get(url("evaluation_report", evaluation)).content.decode()
        client.force_login(cast.first.user)
        refused = client.get(url("evaluation_report", evaluation)).status_code

    assert 'name="verdict"' not in page
    assert refused == 404


def test_the_advanced_evaluation_day_is_offered_only_after_onvoldoende(client, cast, evaluation):
    client.force_login(cast.first.user)
    partial = url("evaluation_report", evaluation)
    with ev.on(DAYS["open"]):  # 20 November 2025: the earliest day is 1 May 2026
        onvoldoende = client.get(partial, {"verdict": "onvoldoende"}, HTTP_HX_REQUEST="true")
        voldoende = client.get(partial, {"verdict": "voldoende"}, HTTP_HX_REQUEST="true")
        too_early = client.post(partial, report_data(
            evaluation, verdict="onvoldoende", advanced_evaluation_on="2026-04-30"))
        allowed = client.post(partial, report_data(
            evaluation, verdict="onvoldoende", advanced_evaluation_on="2026-05-01"))

    assert 'min="2026-05-01"' in onvoldoende.content.decode()
    assert 'name="advanced_evaluation_on"' not in voldoende.content.decode()
    assert too_early.status_code == 200
    assert "1 mei 2026" in too_early.content.decode()
    assert allowed.status_code == 302
    assert current_report(evaluation).advanced_evaluation_on == dt.date(2026, 5, 1)


def test_the_advanced_evaluation_refusal_names_the_months_hr_set(client, cast, evaluation):
    policy_settings_change(organisation=cast.employee.organisation, actor=cast.hr.user,
                           values={"advanced_evaluation_months": 9})
    client.force_login(cast.first.user)
    with ev.on(DAYS["open"]):  # 20 November 2025: from month 9 on, 1 August 2026
        offered = client.get(url("evaluation_report", evaluation), {"verdict": "onvoldoende"},
                             HTTP_HX_REQUEST="true")
        too_early = client.post(url("evaluation_report", evaluation), report_data(
            evaluation, verdict="onvoldoende", advanced_evaluation_on="2026-07-31"))

    assert 'min="2026-08-01"' in offered.content.decode()
    assert too_early.context["form"].errors["advanced_evaluation_on"] == [
        "Kies 1 augustus 2026 of later: de vervroegde evaluatie vindt ten vroegste plaats "
        "vanaf maand 9 na de kennisname door de medewerker."]


def test_the_report_notice_names_the_months_hr_set(client, cast, evaluation):
    policy_settings_change(organisation=cast.employee.organisation, actor=cast.hr.user,
                           values={"advanced_evaluation_months": 9})
    client.force_login(cast.first.user)
    with ev.on(DAYS["open"]):
        saved = client.post(url("evaluation_report", evaluation), report_data(
            evaluation, verdict="onvoldoende", advanced_evaluation_on="2026-08-01"))
        page = client.get(url("evaluation_detail", evaluation)).content.decode()

    assert saved.status_code == 302
    assert "vanaf maand 9 na de kennisname door de medewerker" in page


def test_a_conflicting_save_keeps_the_users_text_and_shows_what_was_saved(
        client, cast, evaluation):
    client.force_login(cast.first.user)
    with ev.on(DAYS["open"]):
        mine = report_data(evaluation, overall="Mijn eigen tekst.")  # started at revision 0
        ev.write_report(cast, evaluation, overall="Tekst van de ander.")  # now revision 1
        response = client.post(url("evaluation_report", evaluation), mine)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Tekst van de ander." in page
    assert "Mijn eigen tekst." in page
    assert 'name="revision" value="1"' in page  # saving again replaces it, knowingly
    assert current_report(evaluation).overall == "Tekst van de ander."


# Signing -------------------------------------------------------------------------------------


def test_the_chain_of_signatures_with_seals_remarks_and_the_pdf(client, cast, evaluation):
    with ev.on(DAYS["open"]):
        ev.write_report(cast, evaluation)
    with ev.on(DAYS["self"]):
        ev.write_self_evaluation(cast, evaluation)
    client.force_login(cast.first.user)
    with ev.on(DAYS["first"]):
        confirm = client.get(url("evaluation_sign", evaluation)).content.decode()
        client.post(url("evaluation_sign", evaluation), {"version": "1", "revision": "1"})
    assert "Marc did what was agreed." in confirm  # what is signed is on the page
    client.force_login(cast.second.user)
    with ev.on(DAYS["second"]):
        client.post(url("evaluation_sign", evaluation), {"version": "1", "revision": "1"})
    client.force_login(cast.employee.user)
    with ev.on(DAYS["employee"]):
        client.post(url("evaluation_sign", evaluation),
                    {"version": "1", "revision": "1", "remarks": "Akkoord, met één bedenking."})
        page = client.get(url("evaluation_detail", evaluation)).content.decode()
        pdf = renderings.download(client, url("evaluation_pdf", evaluation))

    evaluation.refresh_from_db()
    signatures = list(Signature.objects.filter(report__evaluation=evaluation).order_by("pk"))
    assert evaluation.state == S.COMPLETED
    assert [s.role for s in signatures] == [Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR,
                                            Role.EMPLOYEE]
    assert all(s.seal in page for s in signatures)
    # Each seal reads "sealed ✓" (Dutch: the cast's language); its hash sits behind a
    # disclosure to check it, never as a bare column of hex digits.
    for signature in signatures:
        assert re.search(r'verzegeld ✓</span> <details class="koers-seal-check"><summary>'
                         r'controleer</summary>.*?<code class="koers-seal">'
                         rf"{signature.seal}</code></details>", page)
    assert "Akkoord, met één bedenking." in page
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="' in pdf["Content-Disposition"]


def test_signing_a_version_that_changed_since_the_page_was_read_is_refused(
        client, cast, evaluation):
    with ev.on(DAYS["open"]):
        ev.write_report(cast, evaluation)
    client.force_login(cast.first.user)
    with ev.on(DAYS["first"]):
        ev.write_report(cast, evaluation, overall="Changed meanwhile.")  # revision 2
        client.post(url("evaluation_sign", evaluation), {"version": "1", "revision": "1"})

    assert Signature.objects.filter(report__evaluation=evaluation).count() == 0


def test_signing_before_the_window_opens_explains_why_and_signs_nothing(client, cast, evaluation):
    with ev.on(DAYS["open"]):
        ev.write_report(cast, evaluation)
        client.force_login(cast.first.user)
        page = client.get(url("evaluation_sign", evaluation)).content.decode()
        client.post(url("evaluation_sign", evaluation), {"version": "1", "revision": "1"})

    assert "1 december 2025" in page or "1 December 2025" in page
    assert Signature.objects.filter(report__evaluation=evaluation).count() == 0


# Who sees what ---------------------------------------------------------------------------------


def test_hr_sees_the_state_but_reads_the_content_only_under_a_grant_and_is_logged(
        client, cast, evaluation):
    with ev.on(DAYS["open"]):
        ev.write_report(cast, evaluation, overall="Vertrouwelijke evaluatie.")
    client.force_login(cast.hr.user)
    with ev.on(DAYS["open"]):
        without = client.get(url("evaluation_detail", evaluation)).content.decode()
        hr = ev.viewer(cast.hr)
        request = access_services.access_request_create(
            actor=hr, subject=cast.employee, scope=Scope.EVALUATIONS, reason="Beroep",
            valid_from=hr.on, valid_until=hr.on)
        access_services.access_request_decide(actor=ev.viewer(cast.second), request=request,
                                              grant=True)
        granted = client.get(url("evaluation_detail", evaluation)).content.decode()

    assert "Vertrouwelijke evaluatie." not in without
    assert "Vertrouwelijke evaluatie." in granted
    assert AccessRead.objects.filter(reader=cast.hr, record_id=str(evaluation.pk)).count() == 1


def test_the_employee_reads_the_report_only_once_it_is_delivered(client, cast):
    evaluation = ev.reach(cast, S.FIRST_SIGNED)
    client.force_login(cast.employee.user)
    with ev.on(DAYS["second"]):
        before = client.get(url("evaluation_detail", evaluation)).content.decode()
        pdf_before = client.post(url("evaluation_pdf", evaluation)).status_code
        services.evaluation_sign(actor=ev.viewer(cast.second), evaluation=evaluation)
        after = client.get(url("evaluation_detail", evaluation)).content.decode()

    assert "Marc did what was agreed." not in before
    assert pdf_before == 404
    assert "Marc did what was agreed." in after


def test_the_evaluator_opens_the_running_cycles_evaluation_from_the_person(client, cast):
    """Looking writes nothing: the person's page and the participation's page offer a
    button (a POST) that opens it; once opened, both lead to it."""
    from koers.audit.models import AuditEvent

    client.force_login(cast.first.user)
    link = reverse("participation_evaluation", args=[cast.employee.pk, cast.participation.pk])
    events = AuditEvent.objects.count()
    with ev.on(DAYS["open"]):
        person_page = client.get(reverse("person_evaluations", args=[cast.employee.pk]))
        looked = client.get(link)
        assert not Evaluation.objects.exists()
        assert AuditEvent.objects.count() == events
        opened = client.post(link)
        again = client.get(link)
        person_page_after = client.get(reverse("person_evaluations", args=[cast.employee.pk]))

    evaluation = Evaluation.objects.get()
    assert f'<form method="post" action="{link}">' in person_page.content.decode()
    assert looked.status_code == 200
    assert "Openen: jaarlijkse evaluatie, evaluatieperiode 2025" in looked.content.decode()
    assert opened["Location"] == again["Location"] == url("evaluation_detail", evaluation)
    assert f'href="{link}"' in person_page_after.content.decode()


def test_a_draft_missing_goals_agreed_since_says_so_and_adds_them_only_on_a_post(
        client, cast, evaluation, p):
    client.force_login(cast.first.user)
    link = reverse("participation_evaluation", args=[cast.employee.pk, cast.participation.pk])
    with ev.on(DAYS["open"]):
        up_to_date = client.get(link)
        goals.agreed(cast.employee, p.manager, title="Goal 3 of Marc")
        before = Evaluation.objects.values_list("updated_at", flat=True).get()
        looked = client.get(link)
        items_after_looking = current_report(evaluation).items.count()
        after_looking = Evaluation.objects.values_list("updated_at", flat=True).get()
        added = client.post(link)

    assert up_to_date["Location"] == url("evaluation_detail", evaluation)
    assert looked.status_code == 200
    assert "Eén doelstelling die na het openen van de evaluatie werd afgesproken" in \
        looked.content.decode()
    assert (items_after_looking, after_looking) == (2, before)
    assert added["Location"] == url("evaluation_detail", evaluation)
    assert [i.goal_title for i in current_report(evaluation).items.order_by("position")] == [
        "Goal 1 of Marc", "Goal 2 of Marc", "Goal 3 of Marc"]


def test_the_task_list_shows_what_waits_with_its_day(client, cast, evaluation):
    client.force_login(cast.employee.user)
    with ev.on(DAYS["open"]):
        page = client.get(reverse("my_evaluations")).content.decode()

    assert url("evaluation_detail", evaluation) in page
    assert cast.participation.self_evaluation_due.strftime("%d-%m-%Y") in page


# Query bounds ---------------------------------------------------------------------------------


# Sign-in, the viewer's relations, the evaluation with its versions, items, signatures,
# self-evaluation and objections (``selectors.evaluation_page``), the policy and the
# access checks: a fixed number, whatever the number of goals.
PAGE_QUERIES = 25


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _draft_of(person, p: personas.Personas, cycle, goal_count: int) -> Evaluation:
    """An annual evaluation in preparation with ``goal_count`` goals, both sides written."""
    for n in range(goal_count):
        goals.agreed(person, p.manager, title=f"Doel {n + 1} van {person.first_name}")
    participation = participations.participation(cycle, person)
    with ev.on(DAYS["open"]):
        evaluation = services.evaluation_open(actor=ev.viewer(p.manager), person=person,
                                              participation=participation)
        report = current_report(evaluation)
        services.report_save(
            actor=ev.viewer(p.manager), evaluation=evaluation, overall="Goed.",
            items={item.position: "Gehaald." for item in report.items.all()},
            verdict="voldoende", advanced_evaluation_on=None, expected_revision=0)
    return evaluation


@pytest.mark.parametrize("name", ["evaluation_detail", "evaluation_report", "evaluation_sign"])
def test_an_evaluation_page_answers_in_the_same_queries_with_1_and_10_goals(client, p, name):
    cast = ev.cast(p, goal_count=1)
    one = ev.annual(cast)
    with ev.on(DAYS["open"]):
        ev.write_report(cast, one)
        ev.write_self_evaluation(cast, one)
    ten = _draft_of(p.colleague, p, cast.participation.cycle, 10)
    with ev.on(DAYS["self"]):
        services.self_evaluation_save(
            actor=ev.viewer(p.colleague), evaluation=ten, overall="Goed jaar.",
            items={item.position: "Gedaan." for item in ten.self_items.all()},
            expected_revision=0)
        services.self_evaluation_submit(actor=ev.viewer(p.colleague), evaluation=ten)
    client.force_login(p.manager.user)
    with ev.on(DAYS["first"]):
        counts = [_queries(client, url(name, evaluation)) for evaluation in (one, ten)]

    assert counts[0] == counts[1]
    assert counts[0] <= PAGE_QUERIES


def test_the_task_list_answers_in_the_same_queries_with_1_and_10_evaluations(client, p, cast):
    ev.annual(cast)
    client.force_login(p.manager.user)
    with ev.on(DAYS["open"]):
        one = _queries(client, reverse("my_evaluations"))
    for n in range(9):
        member = factories.person(p.team, first_name=f"Lid{n}", with_user=True)
        _draft_of(member, p, cast.participation.cycle, 1)
    with ev.on(DAYS["open"]):
        page = client.get(reverse("my_evaluations")).content.decode()
        ten = _queries(client, reverse("my_evaluations"))

    assert page.count("Lid") == 9
    assert one == ten


# The written procedure, corrections and endings ---------------------------------------------


def test_the_written_procedure_sends_a_draft_takes_remarks_then_signs(client, cast, evaluation):
    with ev.on(DAYS["open"]):
        ev.write_report(cast, evaluation)
    with ev.on(DAYS["self"]):
        ev.write_self_evaluation(cast, evaluation)
        client.force_login(cast.first.user)
        client.post(url("evaluation_written_procedure", evaluation), {"written": "1"})
        client.post(url("evaluation_send_draft", evaluation))
        client.force_login(cast.employee.user)
        draft = client.get(url("evaluation_detail", evaluation)).content.decode()
        client.post(url("evaluation_draft_remarks", evaluation),
                    {"remarks": "In mei was ik met verlof."})
    client.force_login(cast.first.user)
    with ev.on(DAYS["first"]):
        client.post(url("evaluation_sign", evaluation), {"version": "1", "revision": "1"})
        page = client.get(url("evaluation_detail", evaluation)).content.decode()

    evaluation.refresh_from_db()
    assert "Marc did what was agreed." in draft  # the employee reads the draft
    assert (evaluation.written_procedure, evaluation.state) == (True, S.FIRST_SIGNED)
    assert "In mei was ik met verlof." in page


def test_a_correction_opens_a_new_version_and_the_history_keeps_the_signed_one(client, cast):
    evaluation = ev.reach(cast, S.FIRST_SIGNED)
    first_seal = Signature.objects.get().seal
    client.force_login(cast.first.user)
    with ev.on(DAYS["second"]):
        empty = client.post(url("evaluation_correct", evaluation), {"reason": ""})
        client.post(url("evaluation_correct", evaluation), {"reason": "Typfout in doel 2."})
        page = client.get(url("evaluation_detail", evaluation)).content.decode()

    evaluation.refresh_from_db()
    assert empty.status_code == 200
    assert evaluation.reports.count() == 2
    assert evaluation.state == S.DRAFT
    assert "Typfout in doel 2." in page
    assert first_seal in page


def test_closing_unsigned_waits_for_the_term_to_pass(client, cast):
    evaluation = ev.reach(cast, S.DELIVERED)
    client.force_login(cast.hr.user)
    confirmed = {"confirmed": "yes"}
    with ev.on(DAYS["employee"]):
        client.post(url("evaluation_close_unsigned", evaluation), confirmed)
        evaluation.refresh_from_db()
        assert evaluation.state == S.DELIVERED  # the employee may still sign
    with ev.on(DAYS["closed"]):
        # The button asks first, naming whose evaluation; nothing changes before.
        asked = client.post(url("evaluation_close_unsigned", evaluation)).content.decode()
        evaluation.refresh_from_db()
        assert evaluation.state == S.DELIVERED
        assert evaluation.person.full_name in asked
        assert '<input type="hidden" name="confirmed" value="yes">' in asked
        client.post(url("evaluation_close_unsigned", evaluation), confirmed)
    evaluation.refresh_from_db()
    assert evaluation.state == S.CLOSED_UNSIGNED


def test_hr_cancels_a_draft_with_a_reason_and_others_get_a_404(client, cast, evaluation):
    client.force_login(cast.first.user)
    assert client.get(url("evaluation_cancel", evaluation)).status_code == 404
    client.force_login(cast.hr.user)
    with ev.on(DAYS["open"]):
        client.post(url("evaluation_cancel", evaluation), {"reason": "Vertrokken."})

    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.closed_reason) == (S.CANCELLED, "Vertrokken.")


def test_a_dutch_formal_assessment_needs_improvement_points_and_takes_an_objection(client, p):
    cast = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    client.force_login(cast.first.user)
    page = reverse("formal_assessment_new", args=[cast.employee.pk])
    with ev.on(dt.date(2025, 9, 1)):
        starts = dt.datetime(2025, 9, 1, 9, tzinfo=dt.UTC)
        conversation = conversation_services.conversation_schedule(
            actor=ev.viewer(cast.first), employee=cast.employee, kind=ConversationKind.PROGRESS,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="Lokaal 1")
        conversation_services.conversation_hold(
            actor=ev.viewer(cast.first), conversation=conversation,
            improvement_points="Afspraken beter opvolgen.")
    with ev.on(dt.date(2025, 10, 1)):
        form = client.get(page).content.decode()
        response = client.post(page, {"formal_reason": "manager_request",
                                      "improvement_conversation": str(conversation.pk)})
    assessment = Evaluation.objects.get(kind="formal_assessment")
    assert "01-09-2025" in form
    assert response["Location"] == url("evaluation_detail", assessment)
    with ev.on(dt.date(2025, 10, 2)):
        ev.write_report(cast, assessment, verdict="", overall="Onvoldoende opvolging.")
        services.evaluation_sign(actor=ev.viewer(cast.first), evaluation=assessment)
    client.force_login(cast.employee.user)
    with ev.on(dt.date(2025, 10, 5)):
        client.post(url("evaluation_objection", assessment),
                    {"filed_on": "2025-10-05", "text": "Ik ben het er niet mee eens."})
        detail = client.get(url("evaluation_detail", assessment)).content.decode()

    assert assessment.objections.get().text == "Ik ben het er niet mee eens."
    assert "Ik ben het er niet mee eens." in detail


def test_the_federal_report_form_shows_when_onvoldoende_is_given(client, cast, evaluation):
    """BOSA [b2]: the criteria of "onvoldoende" beside the choice; the mention is optional."""
    type(cast.employee.organisation).objects.filter(pk=cast.employee.organisation_id).update(
        policy_preset=PolicyPreset.FEDERAL)
    client.force_login(cast.first.user)
    with ev.on(DAYS["open"]):
        page = client.get(url("evaluation_report", evaluation)).content.decode()
        data = client.get(f"/api/v1/evaluations/{evaluation.pk}").json()

    assert "Minder dan de helft van de prestatiedoelstellingen gehaald" in page
    assert "Een vermelding wordt alleen bij ondermaats presteren gegeven" in page
    assert data["verdict_criteria"]["onvoldoende"].startswith("Minder dan de helft")


def test_the_federal_evaluation_is_named_by_its_cycle_once(client, p):
    """BOSA, "Evaluatie — contractuelen en statutairen": the evaluatiecyclus is the period
    and its evaluation at once, so the pages name it once ("Evaluatiecyclus 2025"), never
    "Evaluatiecyclus van …: evaluatiecyclus 2025"."""
    cast = ev.cast(p, preset=PolicyPreset.FEDERAL)
    client.force_login(cast.first.user)
    link = reverse("participation_evaluation", args=[cast.employee.pk, cast.participation.pk])
    name = cast.employee.full_name
    with ev.on(DAYS["open"]):
        looked = client.get(link).content.decode()
        client.post(link)
        detail = client.get(url("evaluation_detail", Evaluation.objects.get())).content.decode()

    assert f'<h1 class="utrecht-heading-1">Evaluatiecyclus 2025 van {name}</h1>' in looked
    assert "Openen: evaluatiecyclus 2025" in looked
    assert f'<h1 class="utrecht-heading-1">Evaluatiecyclus 2025 · {name}</h1>' in detail
    for page in (looked, detail):
        assert not re.search(r"(?i)evaluatiecyclus\W+(van [^:<]+: )?evaluatiecyclus", page)


def test_the_flemish_evaluation_keeps_its_kind_beside_its_period(client, cast, evaluation):
    client.force_login(cast.first.user)
    with ev.on(DAYS["open"]):
        detail = client.get(url("evaluation_detail", evaluation)).content.decode()

    assert (f'<h1 class="utrecht-heading-1">Jaarlijkse evaluatie, evaluatieperiode 2025 · '
            f'{cast.employee.full_name}</h1>') in detail


def test_the_dutch_municipal_record_speaks_of_a_beoordeling_not_an_einduitspraak(client, p):
    """Heemstede, "Cyclus van jaargesprekken": the evaluation conversation has no verdict;
    the Flemish word "einduitspraak" has no place on a municipal record."""
    cast = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    evaluation = ev.reach(cast, S.DELIVERED)
    client.force_login(cast.employee.user)
    with ev.on(DAYS["employee"]):
        page = client.get(url("evaluation_detail", evaluation)).content.decode()

    assert '<h3 class="utrecht-heading-3">Beoordeling</h3>' in page
    assert "Geen beoordeling: het evaluatiegesprek wordt vastgelegd zonder beoordeling." in page
    assert "einduitspraak" not in page.lower()


@pytest.mark.parametrize(("preset", "message"), [
    (PolicyPreset.FLEMISH, "Je opmerkingen zijn naar de 1ste evaluator gestuurd."),
    (PolicyPreset.FEDERAL, "Je opmerkingen zijn naar de evaluator gestuurd."),
])
def test_the_remarks_sent_name_the_evaluator_in_the_records_regime(client, p, preset, message):
    """PLOEG: the 1st evaluator; BOSA, "Evaluatie — betrokkenen": the evaluator. (A Dutch
    employee records the evaluation conversation in writing: no draft is sent to them.)"""
    cast = ev.cast(p, preset=preset)
    evaluation = ev.annual(cast)
    with ev.on(DAYS["open"]):  # federal and municipal: no mention, no assessment
        ev.write_report(cast, evaluation,
                        verdict="voldoende" if preset == PolicyPreset.FLEMISH else "")
    with ev.on(DAYS["self"]):
        ev.write_self_evaluation(cast, evaluation)
        client.force_login(cast.first.user)
        client.post(url("evaluation_written_procedure", evaluation), {"written": "1"})
        client.post(url("evaluation_send_draft", evaluation))
        client.force_login(cast.employee.user)
        page = client.post(url("evaluation_draft_remarks", evaluation),
                           {"remarks": "In mei was ik met verlof."}, follow=True)
    assert message in page.content.decode()
