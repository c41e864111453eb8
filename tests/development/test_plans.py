"""Building, signing, sealing and following up a development plan (the POP guide)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.development import content, seals, selectors
from koers.development.models import (
    DevelopmentPlan,
    HrAction,
    PlanMeans,
    PlanRound,
    PlanSignature,
)
from koers.development.rules import Priority, SignerRole, Source
from koers.development.services import plans
from koers.development.services.plans import NewHrAction, NewMeans
from koers.development.states import PlanStatus, RoundKind, RoundStatus
from koers.goals.smart import Flag
from koers.notify.models import Notification
from tests import personas
from tests.factories import development as dev
from tests.factories import participations
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)
FIVE = ("werk-structureren", "ondersteunen", "informatie-verwerken", "communiceren",
        "problemen-oplossen")


@pytest.fixture
def p():
    with clock.frozen(NOON):
        yield personas.build()


def test_a_plan_starts_with_an_open_planning_round_for_twelve_months(p):
    plan = dev.draft(p.employee, p.manager)

    assert (plan.status, plan.period_start, plan.period_end) == (
        PlanStatus.DRAFT, dt.date(2026, 4, 22), dt.date(2027, 4, 21))
    round = plan.rounds.get()
    assert (round.number, round.kind, round.status, round.held_on) == (
        1, RoundKind.PLANNING, RoundStatus.OPEN, dt.date(2026, 4, 22))
    assert AuditEvent.objects.filter(action="development_plan.created").count() == 1


def test_an_employee_has_one_open_plan(p):
    dev.draft(p.employee, p.manager)
    with pytest.raises(ValidationFailed, match=r"already|al een"):
        dev.draft(p.employee, p.employee)


def test_a_colleague_cannot_start_a_plan_and_hr_does_not_find_the_person_to_plan_for(p):
    dev.seeded(p.employee.organisation)
    with pytest.raises(NotFoundOrForbidden):
        plans.plan_create(actor=viewer(p.colleague), employee=p.employee)
    with pytest.raises(ValidationFailed):
        plans.plan_create(actor=viewer(p.hr), employee=p.employee)
    with pytest.raises(ValidationFailed):  # the 2nd evaluator reads along
        plans.plan_create(actor=viewer(p.department.manager), employee=p.employee)


def test_five_competencies_fit_and_a_sixth_is_refused_with_the_rule(p):
    plan = dev.draft(p.employee, p.manager)
    for code in FIVE:
        dev.item(plan, p.manager, code, priority=Priority.MEDIUM_TERM, goal=None)

    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        dev.item(plan, p.manager, "analyseren", goal=None)

    assert refused.value.errors["competency"] == [
        "A development plan holds at most 5 competencies. Finish or remove one before you "
        "add another: the others can follow in a later conversation."]
    assert plan.items.count() == 5


def test_a_competency_is_in_a_plan_once(p):
    plan = dev.draft(p.employee, p.manager)
    dev.item(plan, p.manager, "werk-structureren")
    with pytest.raises(ValidationFailed):
        dev.item(plan, p.employee, "werk-structureren")


def test_a_fourth_competency_at_priority_one_is_a_warning_not_a_refusal(p):
    plan = dev.draft(p.employee, p.manager)
    for code in FIVE[:3]:
        saved = plans.plan_item_add(actor=viewer(p.manager), plan=plan,
                                    competency=dev.competency(plan.organisation, code),
                                    source=Source.CONVERSATIONS, priority=Priority.URGENT)
        assert saved.warnings == ()

    with translation.override("en"):
        saved = plans.plan_item_add(actor=viewer(p.manager), plan=plan,
                                    competency=dev.competency(plan.organisation, FIVE[3]),
                                    source=Source.OWN_WISHES, priority=Priority.URGENT)

    assert saved.obj.pk is not None
    assert saved.warnings == ("4 competencies have priority 1; the guide advises 3 at most. "
                              "Mind the workload: can one of them wait?",)


def test_an_unknown_source_or_priority_is_refused(p):
    plan = dev.draft(p.employee, p.manager)
    competency = dev.competency(plan.organisation, "begrijpen")
    with pytest.raises(ValidationFailed) as refused:
        plans.plan_item_add(actor=viewer(p.manager), plan=plan, competency=competency,
                            source=7, priority=4)
    assert set(refused.value.errors) == {"source", "priority"}


def test_every_goal_gets_the_smart_check_as_advice_never_a_refusal(p):
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "communiceren", goal=None)

    vague = plans.plan_goal_add(actor=viewer(p.manager), item=row, text="Te verduidelijken")
    smart = plans.plan_goal_add(actor=viewer(p.manager), item=row, text=dev.SMART_GOAL,
                                term=dt.date(2026, 8, 1))

    assert [a.flag for a in vague.advice] == [Flag.NO_DEADLINE]
    assert list(smart.advice) == []
    review = selectors.plan_review(selectors.plan_with_rows(plan.pk), today=dt.date(2026, 4, 22))
    assert {goal: [a.flag for a in advice] for goal, advice in review.goal_advice.items()} == {
        vague.obj.pk: [Flag.NO_DEADLINE], smart.obj.pk: []}


def test_the_matrix_proposes_but_any_action_may_be_chosen(p):
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "werk-structureren")
    not_recommended = dev.action(plan.organisation, "netwerken")
    assert not_recommended not in selectors.recommended_actions(row.competency)

    means = plans.plan_means_add(actor=viewer(p.employee), item=row, action=not_recommended,
                                 term=dt.date(2026, 6, 1)).obj

    assert (means.action, means.term) == (not_recommended, dt.date(2026, 6, 1))


def test_a_means_is_an_action_or_a_description(p):
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "werk-structureren")
    with pytest.raises(ValidationFailed):
        plans.plan_means_add(actor=viewer(p.manager), item=row)
    support = plans.plan_means_add(actor=viewer(p.manager), item=row,
                                   description="Ratana volgt om de twee weken op.",
                                   supporter=p.manager).obj
    assert (support.action, support.supporter) == (None, p.manager)


def test_the_second_evaluator_reads_but_does_not_change_the_plan(p):
    plan = dev.draft(p.employee, p.manager)
    second = viewer(p.department.manager)
    assert selectors.plans_of(second, p.employee).get() == plan
    with pytest.raises(ValidationFailed):
        dev.item(plan, p.department.manager, "begrijpen")
    with pytest.raises(ValidationFailed):
        plans.plan_sign(actor=second, plan=plan)


def test_both_sign_and_the_round_is_sealed_over_what_they_signed(p):
    plan = dev.draft(p.employee, p.manager)
    dev.item(plan, p.manager, "werk-structureren")

    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    plans.plan_sign(actor=viewer(p.employee), plan=plan)

    plan.refresh_from_db()
    round = plan.rounds.get()
    assert (plan.status, round.status, round.signed_on) == (
        PlanStatus.SIGNED, RoundStatus.SIGNED, dt.date(2026, 4, 22))
    assert seals.verify(round.content, round.seal)
    assert {(s.role, s.name, s.signed_on, s.seal) for s in round.signatures.all()} == {
        (SignerRole.FIRST_EVALUATOR, "Ratana Than", dt.date(2026, 4, 22), round.seal),
        (SignerRole.EMPLOYEE, "Marc Vandamme", dt.date(2026, 4, 22), round.seal),
    }
    # Sealed in the language it is signed in, the employee's, and saying so.
    assert (round.content["version"], round.content["language"]) == (2, "nl")
    assert round.content["items"][0]["competency"] == {"code": "werk-structureren",
                                                       "name": "Werk structureren"}
    assert content.unchanged_since_signed(plan) is True


def test_a_plan_is_sealed_in_the_employees_language_whatever_the_evaluator_reads(p):
    p.employee.user.language = "en"
    p.employee.user.save(update_fields=["language"])
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "werk-structureren")
    plans.plan_means_add(actor=viewer(p.manager), item=row,
                         action=dev.action(plan.organisation, "e-learning"))

    with translation.override("nl"):  # the evaluator's request is in Dutch
        plans.plan_sign(actor=viewer(p.manager), plan=plan)
    with translation.override("en"):
        plans.plan_sign(actor=viewer(p.employee), plan=plan)

    round = plan.rounds.get()
    assert round.status == RoundStatus.SIGNED
    assert round.content["language"] == "en"
    item = round.content["items"][0]
    assert item["competency"]["name"] == "Structuring work"
    assert item["means"][0]["action_name"] == "E-learning"
    assert "name_nl" not in item["competency"]
    # Reading Koers in another language later changes nothing the two signed.
    p.employee.user.language = "nl"
    p.employee.user.save(update_fields=["language"])
    assert content.unchanged_since_signed(plan) is True


# A round sealed before the catalogue had a text per language (content version 1: the
# Dutch and English names side by side, no language), exactly as it was stored. Signed
# records never change, so it must verify as it is, under the same seal.
LEGACY_CONTENT = {
    "version": 1, "plan": 7,
    "employee": {"id": 3, "name": "Marc Vandamme", "employee_number": "F-0042",
                 "unit": "Dienst Logistiek", "job_title": "Administratief medewerker"},
    "period": {"start": "2026-04-22", "end": "2027-04-21"},
    "round": {"number": 1, "kind": "planning", "held_on": "2026-04-22", "conversation": None},
    "employee_remarks": "",
    "items": [{
        "position": 1, "source": 1,
        "competency": {"code": "werk-structureren", "name_nl": "Werk structureren",
                       "name_en": "Structuring work"},
        "priority": 1,
        "goals": [{"text": "Elke maandag een weekplanning.", "term": "2027-04-21",
                   "term_note": ""}],
        "means": [{"action": "e-learning", "action_name_nl": "E-learning",
                   "description": "", "term": None, "term_note": "", "supporter": None}],
        "hr_actions": [], "success_indicators": ["De planning ligt klaar."],
        "follow_ups": [],
    }],
}
LEGACY_SEAL = "8cb267dcee82ea9496b0e616a7723431ab2725a97d15d54858b00eaef0d50a69"


def test_a_round_sealed_in_the_old_shape_still_verifies():
    assert seals.verify(LEGACY_CONTENT, LEGACY_SEAL)
    changed = {**LEGACY_CONTENT, "employee_remarks": "Later toegevoegd."}
    assert not seals.verify(changed, LEGACY_SEAL)


def test_a_round_sealed_in_the_old_shape_is_compared_in_its_own_shape(p):
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "werk-structureren")
    round = plan.rounds.get()
    # As the round was sealed before the upgrade (an open round may still be written).
    old = content.plan_content(selectors.plan_with_rows(plan.pk), round,
                               version=content.LEGACY_VERSION)
    PlanRound.objects.filter(pk=round.pk).update(
        status=RoundStatus.SIGNED, content=old, seal=seals.seal(old), signed_on=NOON.date())
    plan.status = PlanStatus.SIGNED
    plan.save(update_fields=["status"])
    round.refresh_from_db()

    assert "language" not in round.content
    assert round.content["items"][0]["competency"]["name_nl"] == "Werk structureren"
    assert seals.verify(round.content, round.seal)
    assert content.unchanged_since_signed(plan) is True
    competency = row.competency
    competency.names = {**competency.names, "en": "Work structuring"}
    competency.save()
    assert content.unchanged_since_signed(plan) is False


def test_signing_asks_the_other_side_to_sign(p, django_capture_on_commit_callbacks):
    plan = dev.draft(p.employee, p.manager)
    dev.item(plan, p.manager, "werk-structureren")
    with django_capture_on_commit_callbacks(execute=True):
        plans.plan_sign(actor=viewer(p.manager), plan=plan)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (
        p.employee.user, "development.signature_awaited")


def test_signing_a_plan_twice_or_an_empty_plan_is_refused(p):
    plan = dev.draft(p.employee, p.manager)
    with pytest.raises(ValidationFailed):
        plans.plan_sign(actor=viewer(p.manager), plan=plan)
    dev.item(plan, p.manager, "werk-structureren")
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    with pytest.raises(ValidationFailed):
        plans.plan_sign(actor=viewer(p.manager), plan=plan)


def test_a_change_after_one_signature_withdraws_it(p):
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "werk-structureren")
    plans.plan_sign(actor=viewer(p.manager), plan=plan)

    plans.plan_item_change(actor=viewer(p.employee), item=row,
                           changes={"priority": Priority.MEDIUM_TERM})

    assert PlanSignature.objects.count() == 0
    event = AuditEvent.objects.filter(action="development_plan.changed").last()
    assert event.changes["signatures_withdrawn"] == ["first_evaluator"]
    plans.plan_sign(actor=viewer(p.employee), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # the evaluator signs the new content again


def test_a_signature_over_content_the_catalogue_changed_since_is_withdrawn(p):
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "werk-structureren")
    plans.plan_sign(actor=viewer(p.manager), plan=plan)
    competency = row.competency
    competency.names = {**competency.names, "nl": "Het werk structureren"}
    competency.save()

    plans.plan_sign(actor=viewer(p.employee), plan=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert list(PlanSignature.objects.values_list("role", flat=True)) == [SignerRole.EMPLOYEE]


def test_a_signed_plan_does_not_change_until_a_new_round_opens(p):
    plan = dev.signed(p.employee, p.manager)
    row = plan.items.get()
    with pytest.raises(ValidationFailed, match=r"follow-up|opvolging"):
        plans.plan_goal_add(actor=viewer(p.manager), item=row, text="Nog een doel.")
    with pytest.raises(ValidationFailed):
        plans.plan_item_remove(actor=viewer(p.employee), item=row)


def test_the_next_follow_up_is_due_three_to_six_months_after_the_conversation(p):
    plan = dev.signed(p.employee, p.manager)
    assert (plan.follow_up_earliest, plan.follow_up_due) == (
        dt.date(2026, 7, 22), dt.date(2026, 10, 22))
    due = selectors.plans_due_for_follow_up(viewer(p.manager), by=dt.date(2026, 10, 22))
    assert list(due) == [plan]


def test_a_follow_up_round_records_realisation_with_new_actions_and_is_signed_again(p):
    plan = dev.signed(p.employee, p.manager)
    first_seal = plan.rounds.get().seal
    row = plan.items.get()
    coaching = dev.action(plan.organisation, "coaching-krijgen")
    course = dev.action(plan.organisation, "klassieke-opleiding-volgen")
    six_months = dt.datetime(2026, 10, 20, 10, tzinfo=dt.UTC)

    with clock.frozen(six_months):
        started = plans.plan_round_start(actor=viewer(p.manager), plan=plan)
        entry = plans.plan_follow_up_add(
            actor=viewer(p.manager), item=row,
            text="Opleiding gevolgd; nog moeite met het ordenen van de taken.",
            new_means=[NewMeans(action=coaching, description="Coaching door Peter Gordon",
                                term=dt.date(2027, 4, 20), supporter=p.colleague)],
            new_hr_actions=[NewHrAction(description="Halve dag opvolging van de opleiding",
                                        action=course, term=dt.date(2026, 11, 20))],
        ).obj
        plans.plan_sign(actor=viewer(p.employee), plan=plan)
        plans.plan_sign(actor=viewer(p.manager), plan=plan)

    plan.refresh_from_db()
    assert (started.obj.number, started.obj.kind, started.warnings) == (
        2, RoundKind.FOLLOW_UP, ())
    assert plan.status == PlanStatus.SIGNED
    assert (plan.follow_up_earliest, plan.follow_up_due) == (
        dt.date(2027, 1, 20), dt.date(2027, 4, 20))
    first, second = plan.rounds.order_by("number")
    assert first.seal == first_seal
    assert seals.verify(first.content, first.seal)
    assert first.content["items"][0]["follow_ups"] == []
    assert second.content["items"][0]["follow_ups"] == [
        {"round": 2, "written_on": "2026-10-20",
         "text": "Opleiding gevolgd; nog moeite met het ordenen van de taken."}]
    new_means = PlanMeans.objects.get(follow_up=entry)
    assert (new_means.action, new_means.supporter, new_means.added_in_round) == (
        coaching, p.colleague, second)
    assert HrAction.objects.get(follow_up=entry).added_in_round == second


def test_a_follow_up_before_three_months_is_warned_about(p):
    plan = dev.signed(p.employee, p.manager)
    with clock.frozen(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)):
        started = plans.plan_round_start(actor=viewer(p.employee), plan=plan)
    assert len(started.warnings) == 1


def test_realisation_is_written_in_a_follow_up_round_only(p):
    plan = dev.draft(p.employee, p.manager)
    row = dev.item(plan, p.manager, "werk-structureren")
    with pytest.raises(ValidationFailed):
        plans.plan_follow_up_add(actor=viewer(p.manager), item=row, text="Te vroeg.")


def test_a_new_round_needs_a_signed_plan(p):
    plan = dev.draft(p.employee, p.manager)
    dev.item(plan, p.manager, "werk-structureren")
    with pytest.raises(ValidationFailed):
        plans.plan_round_start(actor=viewer(p.manager), plan=plan)
    with pytest.raises(ValidationFailed):
        plans.plan_round_start(actor=viewer(p.manager), plan=plan, kind=RoundKind.PLANNING)


def test_the_sealed_content_stays_when_the_rows_change_in_a_later_round(p):
    plan = dev.signed(p.employee, p.manager, "werk-structureren", "ondersteunen")
    sealed = plan.rounds.get()
    content_before, seal_before = sealed.content, sealed.seal
    plans.plan_round_start(actor=viewer(p.manager), plan=plan, kind=RoundKind.AMENDMENT)

    plans.plan_item_remove(actor=viewer(p.manager), item=plan.items.get(
        competency__code="ondersteunen"))

    sealed.refresh_from_db()
    assert (sealed.content, sealed.seal) == (content_before, seal_before)
    assert len(sealed.content["items"]) == 2
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVISING
    assert content.unchanged_since_signed(plan) is False


def test_an_amendment_keeps_the_follow_up_due_date(p):
    plan = dev.signed(p.employee, p.manager)
    with clock.frozen(dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC)):
        plans.plan_round_start(actor=viewer(p.manager), plan=plan, kind=RoundKind.AMENDMENT)
        plans.plan_remarks_set(actor=viewer(p.employee), plan=plan,
                               remarks="Ik wil graag ook e-learning proberen.")
        plans.plan_sign(actor=viewer(p.employee), plan=plan)
        plans.plan_sign(actor=viewer(p.manager), plan=plan)
    plan.refresh_from_db()
    assert plan.follow_up_due == dt.date(2026, 10, 22)
    assert plan.rounds.last().content["employee_remarks"] == \
        "Ik wil graag ook e-learning proberen."


def test_only_the_employee_writes_their_remarks(p):
    plan = dev.draft(p.employee, p.manager)
    with pytest.raises(ValidationFailed):
        plans.plan_remarks_set(actor=viewer(p.manager), plan=plan, remarks="Namens Marc.")


def test_a_draft_is_cancelled_and_a_signed_plan_closed_by_the_first_evaluator(p):
    draft = dev.draft(p.employee, p.manager)
    plans.plan_cancel(actor=viewer(p.employee), plan=draft)
    plan = dev.signed(p.employee, p.manager)
    with pytest.raises(ValidationFailed):
        plans.plan_cancel(actor=viewer(p.manager), plan=plan)
    with pytest.raises(ValidationFailed):
        plans.plan_close(actor=viewer(p.employee), plan=plan)
    plans.plan_close(actor=viewer(p.manager), plan=plan)
    assert list(DevelopmentPlan.objects.order_by("pk").values_list("status", flat=True)) == [
        PlanStatus.CANCELLED, PlanStatus.CLOSED]


def test_a_signed_round_is_sealed_in_the_database_too(p):
    plan = dev.signed(p.employee, p.manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanRound.objects.filter(plan=plan).update(seal="")


def test_the_plan_links_to_the_running_participation_and_the_conversation(p):
    cycle = participations.cycle(p.employee.organisation, 2026)
    participation = participations.participation(cycle, p.employee)
    conversation = conversation_services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.PLANNING,
        starts_at=NOON + dt.timedelta(days=1), ends_at=NOON + dt.timedelta(days=1, hours=1),
        location="Lokaal 3.12")

    plan = dev.draft(p.employee, p.manager, planning_conversation=conversation)

    assert (plan.participation, plan.planning_conversation) == (participation, conversation)
    assert (plan.period_start, plan.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert plan.rounds.get().held_on == dt.date(2026, 4, 23)
