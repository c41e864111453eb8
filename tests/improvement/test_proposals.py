"""A held conversation about underperformance feeds the improvement plan, where the
preset says so (``improvement_plan_source``): the remediation conversation in the
Flemish and federal presets, a progress conversation's improvement points in the Dutch.

Sources: Vlaamse overheid, "Prestatiemanagement: informatie voor HR" (the
remediëringsgesprek among the conversations) and "Planning, opvolging en evaluatie
(PLOEG)" (the personal improvement plan); BOSA, "Betrokkenen" (the P&O director follows
up remediation); Gemeente Heemstede, "Cyclus van jaargesprekken" (improvement points are
raised in a progress conversation)."""

import datetime as dt

import pytest
from django.urls import reverse

from koers.conversations import services as conversations
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.models import User
from koers.improvement import selectors
from koers.organisation.models import Organisation, PolicyPreset
from koers.rulebook.presets import PRESETS, ImprovementPlanSource
from tests import personas
from tests.factories import goals as goal_factories
from tests.factories import improvement as plans

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def p():
    with clock.frozen(plans.moment(DAY)):
        people = personas.build()
        User.objects.update(language="en")
        yield people


def _held(p, kind, *, report="", points=""):
    starts = dt.datetime.combine(DAY, dt.time(9), tzinfo=dt.UTC)
    with clock.frozen(plans.moment(DAY - dt.timedelta(days=1))):
        talk = conversations.conversation_schedule(
            actor=goal_factories.viewer(p.manager), employee=p.employee, kind=kind,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="B.204")
    with clock.frozen(plans.moment(DAY)):
        return conversations.conversation_hold(
            actor=goal_factories.viewer(p.manager), conversation=talk, report=report,
            improvement_points=points)


def _proposals(viewer_person, person):
    viewer = goal_factories.viewer(viewer_person)
    return selectors.plan_proposals(viewer, person, selectors.plans_of(viewer, person))


def test_each_preset_names_the_conversation_a_plan_starts_from():
    assert {code: preset.improvement_plan_source for code, preset in PRESETS.items()} == {
        PolicyPreset.FLEMISH: ImprovementPlanSource.REMEDIATION,
        PolicyPreset.FEDERAL: ImprovementPlanSource.REMEDIATION,
        PolicyPreset.DUTCH_MUNICIPAL: ImprovementPlanSource.IMPROVEMENT_POINTS}


def test_a_held_remediation_conversation_proposes_its_report_as_the_grounds(p):
    talk = _held(p, ConversationKind.REMEDIATION, report="Pay questions wait two weeks.")
    _held(p, ConversationKind.FOLLOW_UP, report="Other business.")

    found = _proposals(p.manager, p.employee)

    assert [(x.conversation.pk, x.grounds) for x in found] == [
        (talk.pk, "Pay questions wait two weeks.")]
    assert _proposals(p.colleague, p.employee) == []  # only their evaluators start a plan
    assert _proposals(p.hr, p.employee) == []


def test_a_conversation_that_grounds_a_plan_is_no_longer_proposed(p):
    talk = _held(p, ConversationKind.REMEDIATION, report="Pay questions wait two weeks.")
    with clock.frozen(plans.moment(DAY)):
        plan = plans.draft(p.employee, p.manager, start=DAY)
        plan.conversations.add(talk)
        plan.status = "cancelled"
        plan.save(update_fields=["status"])

    assert _proposals(p.manager, p.employee) == []


def test_the_dutch_preset_proposes_the_improvement_points_of_a_progress_conversation(p):
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
    p.employee.refresh_from_db()
    talk = _held(p, ConversationKind.PROGRESS, report="Fine otherwise.",
                 points="Keep the agreed terms.")
    _held(p, ConversationKind.REMEDIATION, report="Not the Dutch route.")

    found = _proposals(p.manager, p.employee)

    assert [(x.conversation.pk, x.grounds) for x in found] == [(talk.pk, "Keep the agreed terms.")]


def test_the_page_and_the_api_start_from_the_conversation(client, p):
    talk = _held(p, ConversationKind.REMEDIATION, report="Pay questions wait two weeks.")
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(DAY)):
        plans_page = client.get(reverse("person_improvement", args=[p.employee.pk]))
        form = client.get(reverse("improvement_plan_new", args=[p.employee.pk]),
                          {"conversation": talk.pk})
        api = client.get(f"/api/v1/people/{p.employee.pk}/improvement-plan-proposals")

    link = f"?conversation={talk.pk}"
    assert link in plans_page.content.decode()
    assert "Pay questions wait two weeks." in form.content.decode()
    assert form.context["form"].initial["conversations"] == [talk.pk]
    assert api.json()["items"] == [{"conversation_id": talk.pk, "kind": "remediation",
                           "held_on": DAY.isoformat(),
                           "grounds": "Pay questions wait two weeks."}]

