"""The Dutch individual work plan: the employee drafts, the 1st evaluator comments, both
confirm to fix it for twelve months; a held progress conversation records changed
agreements."""

import datetime as dt

import pytest

from koers.audit.models import AuditEvent
from koers.conversations import services
from koers.conversations.models import WorkPlan, WorkPlanAmendment
from koers.conversations.states import (
    WORK_PLAN_ALLOWED,
    ConversationKind,
    WorkPlanStatus,
    work_plan_can_move,
)
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles.models import Participation
from koers.notify.models import Notification
from koers.organisation.models import Organisation, PolicyPreset
from tests.factories import participations as cycles
from tests.factories.goals import viewer
from tests.factories.work_plans import TODAY, draft, dutch_personas, fixed, held_progress

pytestmark = pytest.mark.django_db

W = WorkPlanStatus


@pytest.fixture
def p():
    with dutch_personas() as people:
        yield people


EDGES = {(W.DRAFT, W.COMMENTED), (W.COMMENTED, W.FIXED)}


@pytest.mark.parametrize("source", list(W))
@pytest.mark.parametrize("target", list(W))
def test_only_the_listed_transitions_are_allowed(source, target):
    assert work_plan_can_move(source, target) == ((source, target) in EDGES)
    assert set(WORK_PLAN_ALLOWED) == set(W)


def test_a_refusal_names_the_leidinggevende_as_the_municipality_does(p):
    """Gemeente Heemstede, "Individueel werkplan": the employee drafts it, the
    leidinggevende comments, both confirm; never a Flemish "1ste evaluator"."""
    plan = draft(p)

    with pytest.raises(ValidationFailed) as not_yet:
        services.work_plan_confirm(actor=viewer(p.employee), work_plan=plan)
    with pytest.raises(ValidationFailed) as not_theirs:
        services.work_plan_comment(actor=viewer(p.employee), work_plan=plan, comments="Hm")

    assert not_yet.value.message == (
        "Eerst vult de leidinggevende het werkplan aan met opmerkingen.")
    assert not_theirs.value.message == (
        "Alleen de leidinggevende vult het werkplan aan met opmerkingen.")


def test_the_period_is_the_plan_year_of_the_policy_when_no_cycle_runs(p):
    plan = draft(p)

    assert (plan.period_start, plan.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert plan.status == W.DRAFT


def test_the_period_is_the_running_participations(p):
    cycle = cycles.cycle(p.employee.organisation, 2026)
    participation = cycles.participation(cycle, p.employee)
    Participation.objects.filter(pk=participation.pk).update(
        period_start=dt.date(2025, 10, 1), period_end=dt.date(2026, 9, 30))

    plan = draft(p)

    assert (plan.period_start, plan.period_end) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def test_only_organisations_with_the_work_plan_offer_it(p):
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.FLEMISH)

    with pytest.raises(ValidationFailed, match=r"no individual work plan|geen individueel"):
        draft(p)


def test_one_plan_a_period(p):
    draft(p)
    with pytest.raises(ValidationFailed):
        draft(p)
    assert WorkPlan.objects.count() == 1


def test_drafted_commented_and_confirmed_by_both_it_is_fixed_and_read_only(
        p, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan = draft(p)
    with pytest.raises(ValidationFailed):  # comments come first
        services.work_plan_confirm(actor=viewer(p.employee), work_plan=plan)
    with pytest.raises(ValidationFailed):  # the employee does not comment
        services.work_plan_comment(actor=viewer(p.employee), work_plan=plan, comments="Hm")
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.work_plan_comment(actor=viewer(p.manager), work_plan=plan,
                                          comments="Add the payroll system.")
    assert plan.status == W.COMMENTED
    plan = services.work_plan_confirm(actor=viewer(p.employee), work_plan=plan)
    assert plan.status == W.COMMENTED
    plan = services.work_plan_confirm(actor=viewer(p.manager), work_plan=plan)

    assert (plan.status, plan.fixed_at) == (W.FIXED, TODAY)
    with pytest.raises(ValidationFailed, match=r"fixed|vastgesteld"):
        services.work_plan_write(actor=viewer(p.employee), work_plan=plan, support="More")
    with pytest.raises(ValidationFailed):
        services.work_plan_comment(actor=viewer(p.manager), work_plan=plan, comments="Late")
    actions = list(AuditEvent.objects.filter(action__startswith="work_plan.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["work_plan.drafted", "work_plan.commented", "work_plan.confirmed",
                       "work_plan.fixed"]
    notified = sorted(Notification.objects.values_list("recipient__email", "kind"))
    assert notified == sorted([(p.manager.email, "conversations.work_plan_to_comment"),
                               (p.employee.email, "conversations.work_plan_to_confirm")])


def test_a_change_after_comments_asks_both_to_confirm_again(p):
    plan = draft(p)
    services.work_plan_comment(actor=viewer(p.manager), work_plan=plan, comments="Fine")
    services.work_plan_confirm(actor=viewer(p.manager), work_plan=plan)

    plan = services.work_plan_write(actor=viewer(p.employee), work_plan=plan,
                                    support="A mentor")

    assert (plan.status, plan.evaluator_confirmed_at, plan.support) == (
        W.COMMENTED, None, "A mentor")


def test_others_neither_see_nor_change_the_plan(p):
    plan = draft(p)
    for person in (p.colleague, p.unrelated_manager):
        with pytest.raises(NotFoundOrForbidden):
            services.work_plan_comment(actor=viewer(person), work_plan=plan, comments="x")
        with pytest.raises(NotFoundOrForbidden):
            services.work_plan_confirm(actor=viewer(person), work_plan=plan)


def test_a_held_progress_conversation_records_changed_agreements(p):
    plan = fixed(p)
    conversation = held_progress(p)

    amendment = services.work_plan_amend(
        actor=viewer(p.manager), conversation=conversation,
        change="The payroll migration moves to Q3", reason="The supplier is late")

    assert (amendment.work_plan, amendment.conversation) == (plan, conversation)
    assert AuditEvent.objects.filter(action="work_plan.amended").count() == 1
    plan.refresh_from_db()
    assert plan.status == W.FIXED  # the plan itself stays as both fixed it


@pytest.mark.parametrize("case", ["follow_up", "employee", "no_reason", "not_fixed", "locked"])
def test_changed_agreements_are_refused_outside_their_place(p, case):
    if case != "not_fixed":
        fixed(p)
    else:
        draft(p)
    conversation = held_progress(
        p, kind=ConversationKind.FOLLOW_UP if case == "follow_up" else ConversationKind.PROGRESS)
    if case == "locked":
        services.conversation_report_confirm(actor=viewer(p.employee), conversation=conversation)
        services.conversation_report_confirm(actor=viewer(p.manager), conversation=conversation)
    actor = viewer(p.employee if case == "employee" else p.manager)

    with pytest.raises(ValidationFailed):
        services.work_plan_amend(actor=actor, conversation=conversation, change="Less",
                                 reason="" if case == "no_reason" else "Because")
    assert WorkPlanAmendment.objects.count() == 0
