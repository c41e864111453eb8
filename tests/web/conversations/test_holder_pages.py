"""The Dutch evaluation combined with the next planning, and the person designated to
hold a conversation, on the conversation's pages (Gemeente Heemstede, regeling "Cyclus
van jaargesprekken", https://lokaleregelgeving.overheid.nl/); other regimes offer
neither; each page in a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from koers.conversations import services
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind
from koers.organisation.models import Organisation, PolicyPreset
from tests.factories.goals import viewer
from tests.factories.work_plans import TODAY, dutch_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    with dutch_personas() as people:
        yield people


def _day() -> str:
    return (TODAY + dt.timedelta(days=2)).date().isoformat()


def test_the_manager_schedules_a_combined_conversation_and_writes_both_parts(client, p):
    client.force_login(p.manager.user)
    form = client.get(reverse("conversation_new", args=[p.employee.pk])).content.decode()
    assert 'name="combined_with_planning"' in form
    response = client.post(reverse("conversation_new", args=[p.employee.pk]), {
        "kind": "evaluation", "day": _day(), "start": "09:00", "end": "10:00",
        "location": "Room 2", "combined_with_planning": "on"})
    conversation = Conversation.objects.get()
    assert response.url == reverse("conversation_detail", args=[conversation.pk])
    assert conversation.combined_with_planning
    page = client.get(response.url).content.decode()
    assert 'name="agreements"' in page
    client.post(reverse("conversation_hold", args=[conversation.pk]),
                {"report": "The year went well.", "agreements": "Lead the migration."})
    conversation.refresh_from_db()
    assert (conversation.report, conversation.agreements) == ("The year went well.",
                                                              "Lead the migration.")
    client.force_login(p.employee.user)
    page = client.get(response.url).content.decode()
    assert "The year went well." in page
    assert "Lead the migration." in page


def test_the_manager_designates_and_the_designate_holds_on_the_page(
        client, p, django_assert_max_num_queries):
    conversation = services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.PROGRESS,
        starts_at=TODAY + dt.timedelta(days=1), ends_at=TODAY + dt.timedelta(days=1, hours=1),
        location="Room 2")
    detail = reverse("conversation_detail", args=[conversation.pk])
    client.force_login(p.colleague.user)
    assert client.get(detail).status_code == 404
    client.force_login(p.manager.user)
    page = client.get(detail).content.decode()
    assert reverse("conversation_holder", args=[conversation.pk]) in page
    client.post(reverse("conversation_holder", args=[conversation.pk]),
                {"holder": p.colleague.pk})
    conversation.refresh_from_db()
    assert conversation.holder_id == p.colleague.pk

    client.force_login(p.employee.user)
    page = client.get(detail).content.decode()
    assert p.colleague.full_name in page
    assert reverse("conversation_holder", args=[conversation.pk]) not in page
    client.force_login(p.colleague.user)
    with django_assert_max_num_queries(30):
        page = client.get(detail).content.decode()
    assert reverse("conversation_hold", args=[conversation.pk]) in page
    client.post(reverse("conversation_hold", args=[conversation.pk]), {"report": "On track."})
    conversation.refresh_from_db()
    assert conversation.report == "On track."


def test_other_regimes_offer_neither(client, p):
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.FEDERAL)
    conversation = services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.EVALUATION,
        starts_at=TODAY + dt.timedelta(days=1), ends_at=TODAY + dt.timedelta(days=1, hours=1),
        location="Room 2")
    client.force_login(p.manager.user)
    form = client.get(reverse("conversation_new", args=[p.employee.pk])).content.decode()
    assert 'name="combined_with_planning"' not in form
    page = client.get(reverse("conversation_detail", args=[conversation.pk])).content.decode()
    assert reverse("conversation_holder", args=[conversation.pk]) not in page
    assert 'name="agreements"' not in page
    client.post(reverse("conversation_holder", args=[conversation.pk]),
                {"holder": p.colleague.pk})
    conversation.refresh_from_db()
    assert conversation.holder_id is None
