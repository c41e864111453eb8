"""Adding to a scheduled conversation's agenda, and the Dutch employee's one click for
their manager's functioning (Heemstede, "Cyclus van jaargesprekken": "Ook het
functioneren van de leidinggevende kan aan de orde komen")."""

import datetime as dt
import json

import pytest
from django.test import Client

from koers.conversations import services
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.organisation.models import Organisation, PolicyPreset
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH
from tests import personas
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


def _scheduled(p):
    with clock.frozen(NOW):
        return services.conversation_schedule(
            actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.EVALUATION,
            starts_at=NOW + dt.timedelta(days=3), ends_at=NOW + dt.timedelta(days=3, hours=1),
            location="Room 2")


def test_only_the_dutch_preset_puts_the_managers_functioning_on_the_agenda():
    assert DUTCH_MUNICIPAL.manager_functioning_on_agenda is True
    assert FLEMISH.manager_functioning_on_agenda is False
    assert FEDERAL.manager_functioning_on_agenda is False


def test_either_side_adds_an_item_and_the_dutch_employee_the_managers_functioning():
    p = personas.build()
    conversation = _scheduled(p)
    with clock.frozen(NOW):
        item = services.conversation_agenda_add(actor=viewer(p.manager),
                                                conversation=conversation,
                                                text="The new office")
        assert item.position == conversation.agenda.count()
        with pytest.raises(ValidationFailed):  # Flemish policy: not offered
            services.conversation_agenda_add(actor=viewer(p.employee),
                                             conversation=conversation,
                                             manager_functioning=True)
        Organisation.objects.filter(pk=p.employee.organisation_id).update(
            policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
        conversation = Conversation.objects.get(pk=conversation.pk)
        with pytest.raises(ValidationFailed):  # the manager cannot add it for them
            services.conversation_agenda_add(actor=viewer(p.manager),
                                             conversation=conversation,
                                             manager_functioning=True)
        added = services.conversation_agenda_add(actor=viewer(p.employee),
                                                 conversation=conversation,
                                                 manager_functioning=True)
        with pytest.raises(ValidationFailed):  # once is enough
            services.conversation_agenda_add(actor=viewer(p.employee),
                                             conversation=conversation,
                                             manager_functioning=True)
        with pytest.raises(NotFoundOrForbidden):
            services.conversation_agenda_add(actor=viewer(p.outsider),
                                             conversation=conversation, text="Hi")

    assert added.text == "Het functioneren van mijn leidinggevende"  # the employee's language


def test_the_page_and_the_api_add_items():
    p = personas.build()
    conversation = _scheduled(p)
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
    client = Client()
    client.force_login(p.employee.user)
    url = f"/conversations/{conversation.pk}/"
    with clock.frozen(NOW):
        page = client.get(url).content.decode()
        clicked = client.post(url + "agenda/", {"manager_functioning": "1"})
        api = client.post(f"/api/v1/conversations/{conversation.pk}/agenda",
                          json.dumps({"text": "Thuiswerken"}),
                          content_type="application/json")
        empty = client.post(f"/api/v1/conversations/{conversation.pk}/agenda",
                            json.dumps({"text": " "}), content_type="application/json")

    assert "Het functioneren van mijn leidinggevende op de agenda zetten" in page
    assert clicked.status_code == 302
    assert api.status_code == 201
    assert api.json()["text"] == "Thuiswerken"
    assert empty.status_code == 422
    assert list(conversation.agenda.values_list("text", flat=True))[-2:] == [
        "Het functioneren van mijn leidinggevende", "Thuiswerken"]
