"""Mediation on its pages (Dutch policy): the employee asks from the conversation's
page or the work plan's, the mediator records the outcome, and without agreement the
formal assessment is offered as the last resort; each page in a bounded number of
queries; other regimes offer no such page."""

import pytest
from django.urls import reverse

from koers.conversations import services
from koers.conversations.models import Mediation
from koers.conversations.states import MediationOutcome, MediationStatus, MediatorKind
from koers.organisation import evaluators
from koers.organisation.models import Organisation, PolicyPreset
from tests.factories.goals import viewer
from tests.factories.work_plans import TODAY, draft, dutch_personas, held_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    with dutch_personas() as people:
        yield people


def _head(p):
    return evaluators.evaluator_line(p.employee, on=TODAY.date()).second


def test_the_employee_asks_from_the_conversation_and_the_mediator_records(client, p):
    conversation = held_progress(p)
    head = _head(p)
    client.force_login(p.employee.user)
    ask = reverse("conversation_mediation_new", args=[conversation.pk])
    detail = client.get(reverse("conversation_detail", args=[conversation.pk]))
    assert ask in detail.content.decode()
    form = client.get(ask).content.decode()
    assert f'value="next_manager:{head.pk}"' in form
    assert f'value="hr_adviser:{p.hr.pk}"' in form

    response = client.post(ask, {"mediator": f"next_manager:{head.pk}",
                                 "account": "The report leaves out the new payroll system."})

    mediation = Mediation.objects.get()
    assert response.url == reverse("mediation_detail", args=[mediation.pk])
    assert (mediation.mediator, mediation.conversation) == (head, conversation)

    client.force_login(head.user)
    page = client.get(reverse("mediation_detail", args=[mediation.pk])).content.decode()
    assert "The report leaves out the new payroll system." in page
    assert 'name="outcome"' in page
    client.post(reverse("mediation_outcome", args=[mediation.pk]),
                {"outcome": "not_agreed", "text": "The report stays as it is."})
    mediation.refresh_from_db()
    assert (mediation.status, mediation.outcome) == (MediationStatus.CLOSED,
                                                     MediationOutcome.NOT_AGREED)

    client.force_login(p.employee.user)
    page = client.get(reverse("mediation_detail", args=[mediation.pk])).content.decode()
    assert reverse("formal_assessment_new", args=[p.employee.pk]) in page
    assert 'name="outcome"' not in page


def test_the_employee_asks_hr_about_the_work_plan(client, p):
    plan = draft(p)
    client.force_login(p.employee.user)
    ask = reverse("work_plan_mediation_new", args=[plan.pk])
    assert ask in client.get(reverse("work_plan_detail", args=[plan.pk])).content.decode()

    client.post(ask, {"mediator": f"hr_adviser:{p.hr.pk}", "account": "The expectations."})

    assert Mediation.objects.get().work_plan == plan


def test_a_request_without_an_account_comes_back_with_the_error(client, p):
    conversation = held_progress(p)
    client.force_login(p.employee.user)

    response = client.post(reverse("conversation_mediation_new", args=[conversation.pk]),
                           {"mediator": f"hr_adviser:{p.hr.pk}", "account": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["account"]
    assert not Mediation.objects.exists()


def test_only_the_mediator_records_and_others_are_told(client, p):
    mediation = services.mediation_request(
        actor=viewer(p.employee), conversation=held_progress(p),
        mediator_kind=MediatorKind.HR_ADVISER, account="The report.")
    client.force_login(p.manager.user)

    page = client.get(reverse("mediation_detail", args=[mediation.pk])).content.decode()
    response = client.post(reverse("mediation_outcome", args=[mediation.pk]),
                           {"outcome": "agreed", "text": "Fine."})

    assert 'name="outcome"' not in page
    assert response.status_code == 302
    mediation.refresh_from_db()
    assert mediation.status == MediationStatus.REQUESTED
    client.force_login(p.colleague.user)
    assert client.get(reverse("mediation_detail", args=[mediation.pk])).status_code == 404


def test_the_manager_cannot_ask_and_other_regimes_have_no_page(client, p):
    conversation = held_progress(p)
    client.force_login(p.manager.user)
    assert client.get(reverse("conversation_mediation_new",
                              args=[conversation.pk])).status_code == 404

    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.FLEMISH)
    client.force_login(p.employee.user)
    assert client.get(reverse("conversation_mediation_new",
                              args=[conversation.pk])).status_code == 404
    page = client.get(reverse("conversation_detail", args=[conversation.pk])).content.decode()
    assert reverse("conversation_mediation_new", args=[conversation.pk]) not in page


def test_the_pages_read_in_a_bounded_number_of_queries(client, p,
                                                        django_assert_max_num_queries):
    for _n in range(3):
        mediation = services.mediation_request(
            actor=viewer(p.employee), conversation=held_progress(p),
            mediator_kind=MediatorKind.HR_ADVISER, account="The report.")
    client.force_login(p.hr.user)

    with django_assert_max_num_queries(14):
        assert client.get(reverse("my_mediations")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("mediation_detail", args=[mediation.pk])).status_code == 200
    client.force_login(p.employee.user)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("conversation_detail",
                                  args=[mediation.conversation_id])).status_code == 200
