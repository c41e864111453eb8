"""The Dutch individual work plan on its pages: drafted, commented and confirmed by both,
with the changed agreements a held progress conversation records; the plan page in a
bounded number of queries."""

import pytest
from django.urls import reverse

from koers.conversations import services
from koers.conversations.models import WorkPlan
from koers.conversations.states import WorkPlanStatus
from tests.factories.goals import viewer
from tests.factories.work_plans import dutch_personas, fixed, held_progress

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
    client.post(reverse("work_plan_comment", args=[plan.pk]), {"comments": "Good start."})
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
