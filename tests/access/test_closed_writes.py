"""A change to a closed record, in every room that closes records, is refused as before
and writes one row in the security log: a closed goal, a confirmed conversation report,
a fixed work plan, a signed POP and a shared POP preparation (the evaluation's own
records: tests/access/test_security.py). The refusal outlives the refused transaction;
the record does not change."""

import datetime as dt

import pytest

from koers.access.models import Refusal, RefusalKind
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.errors import RecordClosed
from koers.development.services import plans, preparations
from koers.goals import services as goal_services
from koers.goals.states import GoalStatus
from koers.organisation.models import Organisation, PolicyPreset
from tests import personas
from tests.factories import development
from tests.factories import goals as goal_factories
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

START = dt.datetime(2099, 3, 2, 9, 0, tzinfo=dt.UTC)
IP = "198.51.100.9"


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def refusals() -> list[tuple[str, str, str, int | None]]:
    return list(Refusal.objects.values_list("kind", "action", "target_type", "target_id"))


def test_adjusting_a_closed_goal_through_the_api_is_refused_and_recorded(client, p):
    goal = goal_factories.agreed(p.employee, p.manager, title="Loonvragen binnen twee dagen")
    goal_services.goal_set_status(actor=viewer(p.manager), goal=goal,
                                  status=GoalStatus.ACHIEVED)
    client.force_login(p.employee.user)

    response = client.patch(f"/api/v1/goals/{goal.pk}", content_type="application/json",
                            data={"title": "Toch iets anders", "expected_revision": goal.revision},
                            REMOTE_ADDR=IP)

    assert response.status_code == 422
    goal.refresh_from_db()
    assert goal.title == "Loonvragen binnen twee dagen"
    assert refusals() == [(RefusalKind.CLOSED_WRITE, "goal_adjust", "goals.goal", goal.pk)]
    assert Refusal.objects.get().ip == IP


def test_rewriting_a_confirmed_conversation_report_is_refused_and_recorded(p):
    conversation = conversation_services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.FOLLOW_UP,
        starts_at=START, ends_at=START + dt.timedelta(hours=1), location="Kamer 2")
    conversation_services.conversation_hold(actor=viewer(p.manager), conversation=conversation,
                                            report="We spraken een opleiding af.")
    for side in (p.employee, p.manager):
        conversation_services.conversation_report_confirm(actor=viewer(side),
                                                          conversation=conversation)

    with pytest.raises(RecordClosed):
        conversation_services.conversation_report_write(
            actor=viewer(p.manager), conversation=conversation, report="Iets anders")

    conversation.refresh_from_db()
    assert conversation.report == "We spraken een opleiding af."
    assert refusals() == [(RefusalKind.CLOSED_WRITE, "conversation_report_write",
                           "conversations.conversation", conversation.pk)]


def test_writing_in_a_fixed_work_plan_is_refused_and_recorded(p):
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
    p.employee.organisation.refresh_from_db()
    p.manager.organisation.refresh_from_db()
    with clock.frozen(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)):
        plan = conversation_services.work_plan_draft(
            actor=viewer(p.employee), expected_performance="90 % binnen 2 dagen")
        conversation_services.work_plan_comment(actor=viewer(p.manager), work_plan=plan,
                                                comments="Ook het nieuwe loonpakket.")
        conversation_services.work_plan_confirm(actor=viewer(p.employee), work_plan=plan)
        plan = conversation_services.work_plan_confirm(actor=viewer(p.manager), work_plan=plan)

        with pytest.raises(RecordClosed):
            conversation_services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                                                  support="Meer tijd")

    plan.refresh_from_db()
    assert plan.support == ""
    assert refusals() == [(RefusalKind.CLOSED_WRITE, "work_plan_write",
                           "conversations.workplan", plan.pk)]


def test_changing_a_signed_pop_without_a_follow_up_round_is_refused_and_recorded(p):
    development.seeded(p.employee.organisation)
    plan = development.signed(p.employee, p.manager)
    item = plan.items.get()

    with pytest.raises(RecordClosed):
        plans.plan_item_change(actor=viewer(p.manager), item=item,
                               changes={"success_indicators": "Iets anders"})

    assert refusals() == [(RefusalKind.CLOSED_WRITE, "plan_item_change",
                           "development.developmentplan", plan.pk)]


def test_changing_a_shared_preparation_is_refused_and_recorded(p):
    employee = viewer(p.employee)
    preparation = preparations.employee_preparation_start(actor=employee)
    preparations.employee_preparation_save(actor=employee, preparation=preparation,
                                           changes={"strengths": "Nauwkeurig"})
    preparations.employee_preparation_share(actor=employee, preparation=preparation)

    with pytest.raises(RecordClosed):
        preparations.employee_preparation_save(actor=employee, preparation=preparation,
                                               changes={"strengths": "Iets anders"})

    preparation.refresh_from_db()
    assert preparation.strengths == "Nauwkeurig"
    assert refusals() == [(RefusalKind.CLOSED_WRITE, "save",
                           "development.employeepreparation", preparation.pk)]
