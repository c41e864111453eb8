"""HR reads a conversation only under a granted request, and the read is logged."""

import datetime as dt

import pytest
from django.urls import reverse

from koers.access import services
from koers.access.models import AccessRead, Scope
from koers.conversations import permissions
from koers.conversations import services as conversation_services
from koers.conversations.models import ConversationKind
from koers.core import clock
from koers.rulebook.presets import HrContentAccess
from koers.rulebook.services import policy_setting_change
from tests import personas
from tests.factories import goals as goal_factories

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


def test_hr_reads_a_conversation_only_under_a_granted_request(client):
    p = personas.build()
    with clock.frozen(NOON):
        conversation = conversation_services.conversation_schedule(
            actor=goal_factories.viewer(p.manager), employee=p.employee,
            kind=ConversationKind.FOLLOW_UP, starts_at=NOON + dt.timedelta(days=2),
            ends_at=NOON + dt.timedelta(days=2, hours=1), location="Lokaal 3.12",
        )
        hr = goal_factories.viewer(p.hr)
        assert permissions.conversation_for(hr, conversation.pk) is None
        client.force_login(p.hr.user)
        url = reverse("conversation_detail", args=[conversation.pk])
        assert client.get(url).status_code == 404

        request = services.access_request_create(
            actor=hr, subject=p.employee, scope=Scope.CONVERSATIONS, reason="Klacht",
            valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2026, 3, 31))
        services.access_request_decide(actor=goal_factories.viewer(p.department.manager),
                                       request=request, grant=True)
        hr = goal_factories.viewer(p.hr)
        assert permissions.conversation_for(hr, conversation.pk) == conversation
        assert list(permissions.conversations_visible_to(hr)) == [conversation]
        assert client.get(url).status_code == 200
    read = AccessRead.objects.get(subject=p.employee)
    assert (read.reader, read.record_id) == (p.hr, str(conversation.pk))


def test_standing_access_covers_held_and_confirmed_reports_not_drafts():
    """Heemstede, "Cyclus van jaargesprekken" (lokaleregelgeving.overheid.nl): the reports
    go to the personnel file once held and confirmed. Where the policy gives HR standing
    access, a conversation still scheduled or a report not yet confirmed by both sides
    stays out of HR's sight; a granted request would still cover it."""
    p = personas.build()
    policy_setting_change(organisation=p.employee.organisation, name="hr_content_access",
                          value=HrContentAccess.STANDING, actor=p.hr.user)
    hr = goal_factories.viewer(p.hr)
    with clock.frozen(NOON):
        conversation = conversation_services.conversation_schedule(
            actor=goal_factories.viewer(p.manager), employee=p.employee,
            kind=ConversationKind.FOLLOW_UP, starts_at=NOON - dt.timedelta(hours=3),
            ends_at=NOON - dt.timedelta(hours=2), location="Lokaal 3.12")
        assert permissions.conversation_for(hr, conversation.pk) is None
        conversation = conversation_services.conversation_hold(
            actor=goal_factories.viewer(p.manager), conversation=conversation,
            report="We adjusted the plan.")
        assert permissions.conversation_for(hr, conversation.pk) is None  # not confirmed
        for side in (p.employee, p.manager):
            conversation = conversation_services.conversation_report_confirm(
                actor=goal_factories.viewer(side), conversation=conversation)

        assert permissions.conversation_for(hr, conversation.pk) == conversation
        assert list(permissions.conversations_visible_to(hr)) == [conversation]
