"""The Dutch individual work plan on its pages: drafted, commented and confirmed by both,
with the changed agreements a held progress conversation records; a save that met a
newer one keeps the user's text beside the saved text; the plan page in a bounded
number of queries."""

import pytest
from django.urls import reverse

from koers.conversations import services
from koers.conversations.models import WorkPlan
from koers.conversations.states import WorkPlanStatus
from tests.factories.goals import viewer
from tests.factories.work_plans import draft, dutch_personas, fixed, held_progress

pytestmark = pytest.mark.django_db

W = WorkPlanStatus


@pytest.fixture
def p():
    with dutch_personas() as people:
        yield people


def test_the_pages_draft_comment_confirm_and_show_the_amendments(client, p):
    client.force_login(p.employee.user)
    assert reverse("work_plan_new") in client.get(reverse("my_work_plans")).content.decode()
    response = client.post(reverse("work_plan_new"), {
        "expected_performance": "Answer pay questions within 2 days", "competencies": "",
        "development_wishes": "", "support": ""})
    plan = WorkPlan.objects.get()
    assert response.url == reverse("work_plan_detail", args=[plan.pk])
    assert client.get(reverse("work_plan_edit", args=[plan.pk])).status_code == 200

    client.force_login(p.manager.user)
    assert client.get(reverse("work_plan_edit", args=[plan.pk])).status_code == 404
    client.post(reverse("work_plan_comment", args=[plan.pk]),
                {"comments": "Good start.", "revision": str(plan.revision)})
    client.post(reverse("work_plan_confirm", args=[plan.pk]))
    client.force_login(p.employee.user)
    client.post(reverse("work_plan_confirm", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == W.FIXED

    conversation = held_progress(p)
    client.force_login(p.manager.user)
    page = client.get(reverse("conversation_detail", args=[conversation.pk])).content.decode()
    assert 'name="change"' in page
    client.post(reverse("conversation_amend", args=[conversation.pk]),
                {"change": "Two days become three", "reason": "Staff shortage"})
    page = client.get(reverse("work_plan_detail", args=[plan.pk])).content.decode()
    assert "Two days become three" in page
    assert "Staff shortage" in page


def test_the_plan_page_reads_in_a_fixed_number_of_queries(client, p, django_assert_max_num_queries):
    plan = fixed(p)
    for n in range(3):
        services.work_plan_amend(actor=viewer(p.manager), conversation=held_progress(p),
                                 change=f"Change {n}", reason="Why not")
    client.force_login(p.manager.user)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("work_plan_detail", args=[plan.pk]))
    assert page.content.decode().count("Why not") == 3


def _shows(page: str, text: str) -> bool:
    return text in page or text.replace("'", "&#x27;") in page


def test_a_change_that_met_a_newer_save_keeps_the_users_text_and_shows_both(client, p):
    """Two tabs of the employee open the plan; the first save is kept; the second is
    refused, its text stays in the form beside the saved one, and saving again replaces
    it deliberately."""
    plan = draft(p)
    data = {"expected_performance": plan.expected_performance, "competencies": "",
            "development_wishes": "", "support": "Marc's mentor",
            "revision": str(plan.revision)}
    client.force_login(p.employee.user)
    first = client.post(reverse("work_plan_edit", args=[plan.pk]),
                        {**data, "support": "The laptop's mentor"})
    assert first.status_code == 302

    response = client.post(reverse("work_plan_edit", args=[plan.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert _shows(page, "The laptop's mentor")
    assert _shows(page, "Marc's mentor")
    plan.refresh_from_db()
    assert plan.support == "The laptop's mentor"
    assert f'name="revision" value="{plan.revision}"' in page
    client.post(reverse("work_plan_edit", args=[plan.pk]), {**data, "revision": plan.revision})
    plan.refresh_from_db()
    assert plan.support == "Marc's mentor"


def test_comments_that_met_a_newer_save_are_kept_beside_the_new_text(client, p):
    """The evaluator opened the plan; the employee changed it meanwhile: the comments
    are not saved, the page shows them in the form under the plan as saved now."""
    plan = draft(p)
    opened = plan.revision
    client.force_login(p.manager.user)
    form = client.get(reverse("work_plan_detail", args=[plan.pk])).content.decode()
    assert f'name="revision" value="{opened}"' in form
    services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                             expected_revision=opened, support="A mentor from payroll")

    response = client.post(reverse("work_plan_comment", args=[plan.pk]),
                           {"comments": "Agreed, add the payroll system.",
                            "revision": str(opened)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Agreed, add the payroll system." in page  # kept in the form
    assert "A mentor from payroll" in page  # the plan as saved now
    assert 'class="utrecht-alert utrecht-alert--warning koers-conflict"' in page
    plan.refresh_from_db()
    assert (plan.manager_comments, plan.revision) == ("", opened + 1)
    assert f'name="revision" value="{plan.revision}"' in page


def test_the_saved_draft_names_the_leidinggevende(client, p):
    """Heemstede, "Cyclus van jaargesprekken": the plan is made with the (direct)
    leidinggevende, who adds comments; both confirm it."""
    client.force_login(p.employee.user)
    response = client.post(reverse("work_plan_new"), {
        "expected_performance": "Answer pay questions within 2 days", "competencies": "",
        "development_wishes": "", "support": ""}, follow=True)
    page = response.content.decode()
    assert ("Je werkplan is bewaard als concept; je leidinggevende vult het aan met "
            "opmerkingen, daarna bevestigen jullie het allebei.") in page
    assert "1ste evaluator" not in page
