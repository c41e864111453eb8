"""The POP pages: preparation private until shared, the plan built row by row with the
matrix's proposals and the rule messages, signing after each conversation, the follow-up
adding new actions, the PDF, HR's training demand; and bounded queries."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.access import services as access_services
from koers.access.models import AccessRead, Scope
from koers.core import clock
from koers.core.models import User
from koers.development.models import (
    DevelopmentPlan,
    EmployeePreparation,
    HrAction,
    PlanItem,
    PlanMeans,
    SelfScan,
)
from koers.development.rules import Priority, Source
from koers.development.services import plans
from koers.development.sources import catalogue_source
from koers.development.states import (
    HrActionStatus,
    PlanStatus,
    RecommendationValue,
    RoundKind,
)
from tests import personas
from tests.factories import development, renderings
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    """The personas with a seeded catalogue, reading the pages in English (the Dutch pages
    are the browser journey's)."""
    people = personas.build()
    development.seeded(people.employee.organisation)
    User.objects.update(language="en")
    return people


def _row_data(competency, *, priority=Priority.URGENT, source=Source.CONVERSATIONS,
              goal="", proposals=(), indicators=""):
    return {"competency": competency.pk, "source": source, "priority": priority,
            "success_indicators": indicators, "goal": goal, "term": "", "term_note": "",
            "proposals": [a.pk for a in proposals]}


# Preparation ----------------------------------------------------------------------------


def test_the_self_scan_is_the_employees_alone_and_feeds_a_new_preparation(client, p):
    client.force_login(p.employee.user)
    form = client.get(reverse("self_scan")).context["form"]
    data = dict.fromkeys(form.fields, "")
    data["who_am_i"] = "Nauwkeurig en behulpzaam"

    client.post(reverse("self_scan"), data)
    client.post(reverse("employee_preparation_new"))

    assert SelfScan.objects.get(employee=p.employee).who_am_i == "Nauwkeurig en behulpzaam"
    assert EmployeePreparation.objects.get(employee=p.employee).strengths == \
        "Nauwkeurig en behulpzaam"


def test_a_preparation_is_private_until_shared_then_read_only(client, p):
    client.force_login(p.employee.user)
    client.post(reverse("employee_preparation_new"))
    preparation = EmployeePreparation.objects.get()
    url = reverse("employee_preparation", args=[preparation.pk])
    form = client.get(url).context["form"]
    data = dict.fromkeys(form.fields, "")
    data["strengths"] = "Plannen"
    data["revision"] = "0"
    data["competencies"] = [development.competency(p.employee.organisation,
                                                   "werk-structureren").pk]
    client.post(url, data)
    client.force_login(p.manager.user)
    assert client.get(url).status_code == 404

    client.force_login(p.employee.user)
    client.post(reverse("employee_preparation_share", args=[preparation.pk]))
    client.force_login(p.manager.user)
    page = client.get(url)

    assert page.status_code == 200
    assert page.context["form"] is None
    assert "Plannen" in page.content.decode()
    assert "Structuring work" in page.content.decode()
    client.force_login(p.colleague.user)
    assert client.get(url).status_code == 404


def test_the_manager_prepares_the_unit_and_the_conversation_about_an_employee(client, p):
    client.force_login(p.manager.user)
    client.post(reverse("department_preparation_new"), {"unit": p.team.pk})
    view = p.manager.department_preparations.get()
    client.post(reverse("department_preparation", args=[view.pk]),
                {"staffing": "Zes medewerkers", "strengths": "", "weaknesses": "",
                 "opportunities": "", "threats": "", "revision": "0"})

    response = client.post(reverse("manager_preparation_new", args=[p.employee.pk]),
                           {"department_view": view.pk})
    preparation = p.employee.pop_manager_preparations.get()
    assert response["Location"] == reverse("manager_preparation", args=[preparation.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Zes medewerkers" not in page  # the general view is linked, not copied
    assert reverse("department_preparation", args=[view.pk]) in page
    client.force_login(p.employee.user)
    assert client.get(response["Location"]).status_code == 404


def test_a_preparation_saved_from_an_older_revision_keeps_the_users_text_beside_the_saved(
        client, p):
    """The employee's two tabs: the first save is kept; the second is refused, its text
    stays in the form beside the saved one, and saving again replaces it deliberately."""
    client.force_login(p.employee.user)
    client.post(reverse("employee_preparation_new"))
    preparation = EmployeePreparation.objects.get()
    url = reverse("employee_preparation", args=[preparation.pk])
    data = dict.fromkeys(client.get(url).context["form"].fields, "")
    data.pop("competencies")
    data.update(strengths="Plannen en structureren", revision=str(preparation.revision))
    client.post(url, {**data, "strengths": "Klantgericht"})

    response = client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Klantgericht" in page
    assert "Plannen en structureren" in page
    preparation.refresh_from_db()
    assert preparation.strengths == "Klantgericht"
    assert f'name="revision" value="{preparation.revision}"' in page
    client.post(url, {**data, "revision": str(preparation.revision)})
    preparation.refresh_from_db()
    assert preparation.strengths == "Plannen en structureren"


def test_a_colleague_cannot_prepare_about_an_employee(client, p):
    client.force_login(p.colleague.user)

    assert client.get(reverse("manager_preparation_new",
                              args=[p.employee.pk])).status_code == 404


def test_the_preparation_shows_the_job_profile_and_earlier_reports_beside_it(client, p):
    org = p.employee.organisation
    hr = viewer(p.hr)
    from koers.development.services import catalogue
    p.employee.job_title = "Administratief assistent"
    p.employee.save(update_fields=["job_title"])
    catalogue.competency_profile_save(
        actor=hr, organisation=org, job_title="administratief ASSISTENT",
        competencies=[development.competency(org, "informatie-verwerken")])
    client.force_login(p.employee.user)
    client.post(reverse("employee_preparation_new"))
    preparation = EmployeePreparation.objects.get()

    page = client.get(reverse("employee_preparation", args=[preparation.pk])).content.decode()

    aside = page.split('<aside')[1]
    assert "Processing information" in aside


# The plan -------------------------------------------------------------------------------


def test_the_manager_starts_a_plan_and_adds_a_row_with_the_proposed_actions(client, p):
    org = p.employee.organisation
    client.force_login(p.manager.user)
    response = client.post(reverse("plan_new", args=[p.employee.pk]),
                           {"planning_conversation": "", "held_on": "", "period_start": "",
                            "period_end": ""})
    plan = DevelopmentPlan.objects.get(employee=p.employee)
    assert response["Location"] == reverse("development_plan", args=[plan.pk])
    structure = development.competency(org, "werk-structureren")
    proposals = client.get(reverse("plan_proposals", args=[plan.pk]),
                           {"competency": structure.pk}, HTTP_HX_REQUEST="true")
    offered = proposals.context["proposals"]
    source = catalogue_source()
    assert [a.code for a in offered] == [
        action.code for action in source.actions
        if source.matrix["werk-structureren", action.code] == RecommendationValue.RECOMMENDED]
    assert 'id="proposals"' in proposals.content.decode()
    assert "<html" not in proposals.content.decode()  # the fragment only
    # Followed as a link (no script), it is the row form with the competency chosen.
    followed = client.get(reverse("plan_proposals", args=[plan.pk]),
                          {"competency": structure.pk})
    assert followed["Location"] == (reverse("plan_item_new", args=[plan.pk])
                                    + f"?competency={structure.pk}")

    client.post(reverse("plan_item_new", args=[plan.pk]), _row_data(
        structure, goal="Een planning over 2 weken opstellen, volgens dringendheid en belang",
        proposals=[offered[-1]]))

    item = PlanItem.objects.get(plan=plan)
    assert (item.competency, item.priority) == (structure, Priority.URGENT)
    assert [g.text for g in item.goals.all()] == [
        "Een planning over 2 weken opstellen, volgens dringendheid en belang"]
    assert [m.action for m in item.means.all()] == [offered[-1]]


def test_a_sixth_competency_is_refused_with_a_message(client, p):
    org = p.employee.organisation
    plan = development.draft(p.employee, p.manager)
    codes = ["werk-structureren", "ondersteunen", "begrijpen", "analyseren", "leren"]
    for code in codes:
        development.item(plan, p.manager, code, priority=Priority.MEDIUM_TERM, goal=None)
    client.force_login(p.manager.user)

    response = client.post(reverse("plan_item_new", args=[plan.pk]),
                           _row_data(development.competency(org, "beslissen")))

    assert response.status_code == 200
    assert "at most 5 competencies" in response.content.decode()
    assert plan.items.count() == 5
    page = client.get(reverse("development_plan", args=[plan.pk])).content.decode()
    assert reverse("plan_item_new", args=[plan.pk]) not in page
    assert "the most the policy allows" in page


def test_a_fourth_competency_at_priority_one_is_warned_about_not_refused(client, p):
    org = p.employee.organisation
    plan = development.draft(p.employee, p.manager)
    for code in ["werk-structureren", "ondersteunen", "begrijpen"]:
        development.item(plan, p.manager, code, goal=None)
    client.force_login(p.manager.user)

    response = client.post(reverse("plan_item_new", args=[plan.pk]),
                           _row_data(development.competency(org, "analyseren")), follow=True)

    assert plan.items.count() == 4
    page = response.content.decode()
    assert "4 competencies have priority 1; the guide advises 3 at most" in page


def test_a_vague_goal_gets_smart_advice_on_the_plan(client, p):
    plan = development.draft(p.employee, p.manager)
    item = development.item(plan, p.manager, "werk-structureren", goal=None)
    client.force_login(p.manager.user)

    response = client.post(reverse("plan_goal_new", args=[item.pk]),
                           {"text": "Beter plannen", "term": "", "term_note": ""},
                           follow=True)

    assert "SMART advice" in response.content.decode()


def test_both_sign_and_the_next_follow_up_is_due_within_six_months(client, p):
    with clock.frozen(dt.datetime(2026, 2, 2, 10, tzinfo=dt.UTC)):
        plan = development.draft(p.employee, p.manager)
        development.item(plan, p.manager, "werk-structureren")
        client.force_login(p.manager.user)
        page = client.get(reverse("development_plan", args=[plan.pk])).content.decode()
        assert "Sign as 1st evaluator" in page

        client.post(reverse("plan_sign", args=[plan.pk]))
        client.force_login(p.employee.user)
        client.post(reverse("plan_sign", args=[plan.pk]))

        plan.refresh_from_db()
        assert plan.status == PlanStatus.SIGNED
        assert plan.follow_up_due == dt.date(2026, 8, 2)
        page = client.get(reverse("development_plan", args=[plan.pk])).content.decode()
    assert "Next follow-up conversation: from 02-05-2026, by 02-08-2026." in page
    assert "Sign as employee" not in page


def test_the_second_evaluator_reads_the_plan_but_neither_edits_nor_signs(client, p):
    plan = development.draft(p.employee, p.manager)
    item = development.item(plan, p.manager, "werk-structureren")
    second = p.department.manager
    client.force_login(second.user)

    page = client.get(reverse("development_plan", args=[plan.pk])).content.decode()

    assert "Structuring work" in page
    assert "Sign as" not in page
    assert client.get(reverse("plan_goal_new", args=[item.pk])).status_code == 404
    assert client.post(reverse("plan_sign", args=[plan.pk])).status_code == 302
    assert not plan.rounds.get().signatures.exists()


def test_the_follow_up_adds_coaching_by_a_colleague_and_both_sign_again(client, p):
    org = p.employee.organisation
    plan = development.signed(p.employee, p.manager, "ondersteunen")
    item = plan.items.get()
    client.force_login(p.manager.user)
    client.post(reverse("plan_round_new", args=[plan.pk]),
                {"kind": RoundKind.FOLLOW_UP, "conversation": "", "held_on": ""})
    form = client.get(reverse("plan_follow_up_new", args=[item.pk])).context["form"]
    assert p.colleague.pk in [person.pk for person in form.fields["supporter"].queryset]

    client.post(reverse("plan_follow_up_new", args=[item.pk]), {
        "text": "Nog niet helemaal op zijn gemak als mentor.",
        "action": development.action(org, "coaching-krijgen").pk,
        "description": "Zes maanden coaching door een collega, de heer Gordon.",
        "term": "", "term_note": "Zes maanden", "supporter": p.colleague.pk,
        "hr_description": "", "hr_action": "", "hr_term": ""})
    client.post(reverse("plan_sign", args=[plan.pk]))
    client.force_login(p.employee.user)
    client.post(reverse("plan_sign", args=[plan.pk]))

    means = PlanMeans.objects.get(follow_up__isnull=False)
    assert (means.supporter, means.action.code) == (p.colleague, "coaching-krijgen")
    plan.refresh_from_db()
    assert (plan.status, plan.rounds.count()) == (PlanStatus.SIGNED, 2)
    page = client.get(reverse("development_plan", args=[plan.pk])).content.decode()
    assert "→ <strong>Receiving coaching</strong>: Zes maanden coaching" in page
    assert "Date of the conversation (follow-up)" in page


def test_hr_gets_a_404_for_a_plan_without_a_grant_and_a_logged_read_with_one(client, p):
    plan = development.signed(p.employee, p.manager)
    client.force_login(p.hr.user)
    url = reverse("development_plan", args=[plan.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("development_plan_pdf", args=[plan.pk])).status_code == 404
    hr = viewer(p.hr)
    request = access_services.access_request_create(
        actor=hr, subject=p.employee, scope=Scope.GOALS, reason="Klacht onderzoeken",
        valid_from=hr.on, valid_until=hr.on)
    access_services.access_request_decide(actor=viewer(p.department.manager),
                                          request=request, grant=True)

    assert client.get(url).status_code == 200
    assert AccessRead.objects.filter(subject=p.employee,
                                     record_type="development.developmentplan").count() == 1


def test_the_pdf_is_downloaded_by_those_who_read_the_plan(client, p):
    plan = development.signed(p.employee, p.manager)
    client.force_login(p.employee.user)

    response = renderings.download(client, reverse("development_plan_pdf", args=[plan.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(p.colleague.user)
    assert client.post(reverse("development_plan_pdf", args=[plan.pk])).status_code == 404


def _plan_with(p, codes):
    plan = development.draft(p.employee, p.manager)
    manager = viewer(p.manager)
    org = p.employee.organisation
    for code in codes:
        item = development.item(plan, p.manager, code, priority=Priority.MEDIUM_TERM)
        plans.plan_means_add(actor=manager, item=item,
                             action=development.action(org, "zelfstudie"),
                             description="Vakliteratuur", supporter=p.colleague)
        plans.plan_hr_action_add(actor=manager, item=item, description="Boek bestellen",
                                 action=development.action(org, "zelfstudie"))
    return plan


def test_the_plan_page_reads_in_a_fixed_number_of_queries(client, p):
    client.force_login(p.manager.user)
    one = _plan_with(p, ["werk-structureren"])
    url = reverse("development_plan", args=[one.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    plans.plan_cancel(actor=viewer(p.manager), plan=one)
    four = _plan_with(p, ["werk-structureren", "ondersteunen", "begrijpen", "leren"])

    with CaptureQueriesContext(connection) as many:
        client.get(reverse("development_plan", args=[four.pk]))

    assert len(many) == len(few)
    assert len(many) <= 30


def test_cancelling_a_plan_names_whose_plan_and_waits_for_yes(client, p):
    plan = _plan_with(p, ["werk-structureren"])
    client.force_login(p.manager.user)
    cancel = reverse("plan_cancel", args=[plan.pk])

    asked = client.post(cancel).content.decode()

    assert p.employee.full_name in asked
    assert '<input type="hidden" name="confirmed" value="yes">' in asked
    plan.refresh_from_db()
    assert plan.status != PlanStatus.CANCELLED  # nothing changed yet
    client.post(cancel, {"confirmed": "yes"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED


def test_closing_a_plan_says_what_closing_does_and_waits_for_yes(client, p):
    plan = development.signed(p.employee, p.manager)
    client.force_login(p.manager.user)
    close = reverse("plan_close", args=[plan.pk])

    asked = client.post(close).content.decode()

    assert f"The development plan of {p.employee.full_name} is closed" in asked
    assert "Yes, close the plan" in asked
    assert '<input type="hidden" name="confirmed" value="yes">' in asked
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED  # nothing changed yet
    client.post(close, {"confirmed": "yes"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED


def test_the_employee_is_not_asked_to_close_a_plan_they_may_not_close(client, p):
    plan = development.signed(p.employee, p.manager)
    client.force_login(p.employee.user)

    response = client.post(reverse("plan_close", args=[plan.pk]))

    assert response.status_code == 302  # refused by the service, with its reason
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED


# HR's training demand -------------------------------------------------------------------


def _signed_with_hr_action(p):
    plan = _plan_with(p, ["werk-structureren"])
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plans.plan_sign(actor=viewer(p.employee), plan=plan)
    return plan


def test_hr_sees_the_training_demand_and_marks_an_action_arranged(client, p):
    _signed_with_hr_action(p)
    org = p.employee.organisation
    hr_action = HrAction.objects.get()
    client.force_login(p.hr.user)
    page = client.get(reverse("training_demand", args=[org.pk])).content.decode()
    assert "Boek bestellen" in page
    assert "Vakliteratuur" not in page  # the means are the plan's content, not HR's

    client.post(reverse("hr_action_arrange", args=[hr_action.pk]),
                {"status": HrActionStatus.ARRANGED, "note": "Besteld"})

    hr_action.refresh_from_db()
    assert (hr_action.status, hr_action.arranged_note) == (HrActionStatus.ARRANGED, "Besteld")
    requested = client.get(reverse("training_demand", args=[org.pk]),
                           {"status": "requested"}).content.decode()
    assert "Boek bestellen" not in requested


def test_hr_of_another_subtree_sees_no_demand_of_this_team_and_cannot_arrange(client, p):
    _signed_with_hr_action(p)
    hr_action = HrAction.objects.get()
    client.force_login(p.team_hr.user)

    page = client.get(reverse("training_demand", args=[p.employee.organisation_id]))
    client.post(reverse("hr_action_arrange", args=[hr_action.pk]), {"status": "arranged"})

    assert "Boek bestellen" not in page.content.decode()
    hr_action.refresh_from_db()
    assert hr_action.status == HrActionStatus.REQUESTED


def test_the_training_demand_exports_as_csv_and_xlsx(client, p):
    _signed_with_hr_action(p)
    client.force_login(p.hr.user)
    org = p.employee.organisation

    summary = client.get(reverse("training_demand_export", args=[org.pk, "csv"]))
    detail = client.get(reverse("training_demand_export", args=[org.pk, "xlsx"]),
                        {"table": "detail"})

    rows = list(csv.reader(io.StringIO(summary.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:3] == ["Self-study", "Structuring work", "1"]
    sheet = openpyxl.load_workbook(io.BytesIO(detail.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][2] == p.employee.full_name
    assert values[1][5] == "Boek bestellen"


def test_an_employee_gets_a_404_for_the_training_demand(client, p):
    client.force_login(p.employee.user)

    response = client.get(reverse("training_demand", args=[p.employee.organisation_id]))

    assert response.status_code == 404


def test_the_team_list_shows_an_overdue_follow_up(client, p):
    with clock.frozen(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)):
        development.signed(p.employee, p.manager)
    client.force_login(p.manager.user)

    with clock.frozen(dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)):
        page = client.get(reverse("my_development_plans")).content.decode()

    assert "overdue since 05-07-2026" in page


# Every form page shows its fields ------------------------------------------------------


def test_each_form_page_shows_its_fields(client, p):
    org = p.employee.organisation
    plan = development.draft(p.employee, p.manager)
    item = development.item(plan, p.manager, "werk-structureren")
    structure = development.competency(org, "werk-structureren")
    pages = [
        (p.hr, reverse("competency_new", args=[org.pk]), ["cluster", "name_nl", "name_en"]),
        (p.hr, reverse("cluster_new", args=[org.pk]), ["name_nl"]),
        (p.hr, reverse("recommendation_edit", args=[structure.pk]),
         [f"action_{development.action(org, 'zelfstudie').pk}"]),
        (p.hr, reverse("competency_profile_new", args=[org.pk]), ["job_title", "competencies"]),
        (p.employee, reverse("self_scan"), ["who_am_i", "next_step"]),
        (p.manager, reverse("plan_new", args=[p.employee.pk]), ["planning_conversation"]),
        (p.manager, reverse("plan_item_new", args=[plan.pk]),
         ["competency", "source", "priority", "goal"]),
        (p.manager, reverse("plan_goal_new", args=[item.pk]), ["text", "term"]),
        (p.manager, reverse("plan_means_new", args=[item.pk]), ["action", "supporter"]),
        (p.manager, reverse("plan_hr_action_new", args=[item.pk]), ["description"]),
        (p.employee, reverse("plan_remarks", args=[plan.pk]), ["remarks"]),
    ]
    for person, url, names in pages:
        client.force_login(person.user)
        page = client.get(url).content.decode()
        for name in names:
            assert f'name="{name}"' in page, (url, name)


def test_the_row_form_refreshes_the_proposals_when_the_competency_changes(client, p):
    plan = development.draft(p.employee, p.manager)
    client.force_login(p.manager.user)

    page = client.get(reverse("plan_item_new", args=[plan.pk])).content.decode()

    select = re.search(r'<select[^>]*name="competency"[^>]*>', page).group(0)
    assert f'hx-get="{reverse("plan_proposals", args=[plan.pk])}"' in select
    assert 'hx-target="#proposals"' in select
    assert 'id="proposals"' in page


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_training_demand_reads_in_a_fixed_number_of_queries(client, p):
    org = p.employee.organisation
    client.force_login(p.hr.user)
    url = reverse("training_demand", args=[org.pk])
    _signed_with_hr_action(p)
    one = _queries(client, url)
    plan = development.draft(p.colleague, p.manager)
    for code in ("ondersteunen", "begrijpen"):
        item = development.item(plan, p.manager, code)
        plans.plan_hr_action_add(actor=viewer(p.manager), item=item, description="Cursus",
                                 action=development.action(org, "e-learning"))
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plans.plan_sign(actor=viewer(p.colleague), plan=plan)

    three = _queries(client, url)

    assert three == one
    assert three <= 12


def test_the_team_plans_and_the_preparations_read_in_a_fixed_number_of_queries(client, p):
    client.force_login(p.manager.user)
    urls = [reverse("my_development_plans"), reverse("development_preparations")]
    development.draft(p.employee, p.manager)
    manager = viewer(p.manager)
    from koers.development.services import preparations
    preparations.manager_preparation_start(actor=manager, employee=p.employee)
    few = [_queries(client, url) for url in urls]
    development.draft(p.colleague, p.manager)
    preparations.manager_preparation_start(actor=manager, employee=p.colleague)
    preparations.department_preparation_start(actor=manager, unit=p.team)

    more = [_queries(client, url) for url in urls]

    assert more == few
    assert max(more) <= 25


@pytest.mark.parametrize("note", ["Besteld\x00", "x" * 501])
def test_a_note_the_form_refuses_is_said_and_the_action_stays_requested(client, p, note):
    _signed_with_hr_action(p)
    hr_action = HrAction.objects.get()
    client.force_login(p.hr.user)

    response = client.post(reverse("hr_action_arrange", args=[hr_action.pk]),
                           {"status": HrActionStatus.ARRANGED, "note": note}, follow=True)

    assert "Note by HR: " in response.content.decode()  # HR reads English
    hr_action.refresh_from_db()
    assert (hr_action.status, hr_action.arranged_note) == (HrActionStatus.REQUESTED, "")


def test_a_plan_goal_changed_from_an_older_revision_keeps_the_users_text_beside_the_saved(
        client, p):
    """Marc and Ratana open the same development goal; Ratana saves first; Marc's save is
    refused, his text stays in the form beside hers, and saving again goes through."""
    plan = development.draft(p.employee, p.manager)
    development.item(plan, p.manager, "werk-structureren")
    goal = development.goals_of(plan)[0]
    url = reverse("plan_goal_edit", args=[goal.pk])
    data = {"text": "Marc's goal", "term": "", "term_note": "", "revision": str(goal.revision)}
    client.force_login(p.manager.user)
    assert client.post(url, {**data, "text": "Ratana's goal"}).status_code == 302
    client.force_login(p.employee.user)

    response = client.post(url, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ratana&#x27;s goal" in page
    assert "Marc&#x27;s goal" in page
    goal.refresh_from_db()
    assert goal.text == "Ratana's goal"
    assert f'name="revision" value="{goal.revision}"' in page
    client.post(url, {**data, "revision": str(goal.revision)})
    goal.refresh_from_db()
    assert goal.text == "Marc's goal"


def test_the_plans_table_is_named_by_the_heading_above_it_not_a_caption_repeating_it(
        client, p):
    client.force_login(p.manager.user)
    client.post(reverse("plan_new", args=[p.employee.pk]),
                {"planning_conversation": "", "held_on": "", "period_start": "",
                 "period_end": ""})
    client.force_login(p.employee.user)

    page = client.get(reverse("my_development_plans")).content.decode()
    heading = re.search(r'<h2 class="utrecht-heading-2" id="mine">([^<]+)</h2>', page)

    assert heading is not None
    assert '<table class="utrecht-table utrecht-table--html-table" aria-labelledby="mine">' \
        in page  # the table's accessible name is the heading's text
    assert f"{heading.group(1)}</caption>" not in page  # said once, by the heading
