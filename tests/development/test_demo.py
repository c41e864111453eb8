"""`koers demo` reproduces the worked example of the POP guide, Bijlage 4, end to end."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from koers.conversations.states import ConversationKind, ConversationStatus
from koers.development import content, seals, selectors
from koers.development import demo as development_demo
from koers.development.models import (
    Competency,
    DevelopmentPlan,
    EmployeePreparation,
    HrAction,
    ManagerPreparation,
    TrainingPlan,
)
from koers.development.states import HrActionStatus, PlanStatus, RoundKind, RoundStatus
from koers.organisation import demo
from koers.organisation.models import Organisation
from koers.rulebook.calendar import add_months

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    return out.getvalue()


def test_the_demo_builds_marcs_pop_with_its_six_month_follow_up(built):
    assert "The POP guide's worked example: built" in built
    for organisation in Organisation.objects.all():
        assert Competency.objects.filter(organisation=organisation, from_source=True
                                         ).count() == 40
    plan = selectors.plan_with_rows(DevelopmentPlan.objects.get(
        employee__email=demo.MARC.email).pk)

    assert [(item.source, item.competency.names["nl"], item.priority)
            for item in plan.items.all()] == [
        (1, "Werk structureren", 1),
        (1, "Ondersteunen", 1),
        (6, "De nieuwe bureauticasoftware beheersen", 1),
        (1, "Brieven en verslagen opmaken", 2),
    ]
    planning, follow_up = plan.rounds.all()
    assert (planning.kind, follow_up.kind) == (RoundKind.PLANNING, RoundKind.FOLLOW_UP)
    assert follow_up.held_on.toordinal() - add_months(planning.held_on, 6).toordinal() in (
        0, 1, 2)  # six months later, moved off a weekend
    for round in (planning, follow_up):
        assert round.status == RoundStatus.SIGNED
        assert seals.verify(round.content, round.seal)
        assert sorted((s.name, s.role) for s in round.signatures.all()) == [
            ("Marc Vandamme", "employee"), ("Ratana Than", "first_evaluator")]
    assert plan.status == PlanStatus.SIGNED
    assert plan.period_start == planning.held_on <= follow_up.held_on <= plan.period_end
    assert plan.follow_up_due == add_months(follow_up.held_on, 6)
    assert content.unchanged_since_signed(plan) is True

    # The follow-up adds coaching by Mr Gordon to "ondersteunen"; the planning round
    # did not have it.
    def supporters(round, position):
        return [m["supporter"] for m in round.content["items"][position]["means"]]
    assert "Peter Gordon" not in supporters(planning, 1)
    assert supporters(follow_up, 1)[-1] == "Peter Gordon"
    coaching = follow_up.content["items"][1]["means"][-1]
    assert coaching["action"] == "coaching-krijgen"
    assert [len(item["follow_ups"]) for item in follow_up.content["items"]] == [1, 1, 1, 0]
    assert follow_up.content["items"][3]["goals"][0]["text"] == "Te verduidelijken"

    assert [(h.description[:30], h.status) for h in HrAction.objects.filter(
        item__plan=plan).order_by("item__position", "position")] == [
        ("Marc inschrijven voor de oplei", HrActionStatus.ARRANGED),
        ("Inschrijving voor de opleiding", HrActionStatus.ARRANGED),
        ("Organisatie van de pretest.", HrActionStatus.ARRANGED),
        ("Met de opleidingsdienst en de ", HrActionStatus.REQUESTED),
    ]
    assert plan.planning_conversation.kind == ConversationKind.PLANNING
    assert follow_up.conversation.status == ConversationStatus.HELD
    assert EmployeePreparation.objects.get(employee=plan.employee).shared_at is not None
    assert ManagerPreparation.objects.get(employee=plan.employee).shared_at is not None
    assert selectors.plan_review(plan, today=follow_up.held_on).warnings == []

    again = io.StringIO()
    call_command("demo-development", stdout=again)
    assert "already there, left as it is" in again.getvalue()
    assert DevelopmentPlan.objects.count() == 1


def test_the_organisations_training_plan_shows_beside_marcs_preparation(built, client):
    assert "Training plan of the federal administration: built" in built
    marc = demo.MARC.email
    plan = TrainingPlan.objects.get(organisation__name=demo.FEDERAL.name)
    assert sorted([c.names["nl"] for c in plan.competencies.all()]) == [
        "De nieuwe bureauticasoftware beheersen", "Werk structureren"]
    preparation = EmployeePreparation.objects.filter(employee__email=marc).first()
    assert preparation is not None
    client.force_login(preparation.employee.user)

    page = client.get(f"/development/preparations/{preparation.pk}/").content.decode()

    assert plan.title in page
    assert plan.valid_from == dt.date(plan.valid_from.year, 1, 1)
    assert development_demo._training_plan() == "already there, left as it is"
