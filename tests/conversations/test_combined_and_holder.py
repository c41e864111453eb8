"""Two Dutch rules of who holds a conversation and what it settles.

Source: Gemeente Heemstede, regeling "Cyclus van jaargesprekken"
(https://lokaleregelgeving.overheid.nl/):

- "Het plannings- en evaluatiegesprek kan ook in een gesprek worden gecombineerd: eerst
  terugkijken met elkaar en vervolgens dit vertalen in afspraken naar de toekomst.";
- "Het planningsgesprek vindt plaats met de directe leidinggevende of een door hem/haar
  aangewezen persoon" (and the progress conversation "door de direct leidinggevende of
  met een door hem/haar aangewezen persoon").
"""

import datetime as dt

import pytest

from koers.audit.models import AuditEvent
from koers.conversations import permissions, services
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles import changes as cycle_changes
from koers.cycles.milestones import STEP_BY_DUE, overdue
from koers.cycles.models import Participation
from koers.notify.models import Notification
from koers.organisation.models import Organisation, PolicyPreset
from koers.rulebook import holding as rule
from koers.rulebook.deadlines import Due
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH
from tests import personas
from tests.factories.goals import viewer
from tests.factories.participations import cycle, participation
from tests.factories.work_plans import TODAY, dutch_personas

pytestmark = pytest.mark.django_db

START = TODAY + dt.timedelta(days=1)


@pytest.fixture
def p():
    with dutch_personas() as people:
        yield people


def _schedule(p, *, kind=ConversationKind.EVALUATION, combined=False, by=None):
    return services.conversation_schedule(
        actor=viewer(by or p.manager), employee=p.employee, kind=kind, starts_at=START,
        ends_at=START + dt.timedelta(hours=1), location="Room 2",
        combined_with_planning=combined)


def test_the_rules_cite_heemstede_and_hold_for_the_dutch_preset_only():
    assert rule.HOLDING_SOURCE.url == "https://lokaleregelgeving.overheid.nl/"
    assert "Cyclus van jaargesprekken" in rule.HOLDING_SOURCE.title
    assert DUTCH_MUNICIPAL.combined_planning_evaluation
    assert DUTCH_MUNICIPAL.designated_conversation_holder
    for policy in (FLEMISH, FEDERAL):
        assert not policy.combined_planning_evaluation
        assert not policy.designated_conversation_holder
        assert rule.combined_refusal(policy, "evaluation")
        assert rule.designation_refusal(policy, "planning")
    assert rule.combined_refusal(DUTCH_MUNICIPAL, "evaluation") is None
    assert rule.combined_refusal(DUTCH_MUNICIPAL, "progress")
    assert rule.DESIGNATED_KINDS == ("planning", "progress", "evaluation")
    for kind in rule.DESIGNATED_KINDS:
        assert rule.designation_refusal(DUTCH_MUNICIPAL, kind) is None
    assert rule.designation_refusal(DUTCH_MUNICIPAL, "formal_assessment")


# Planning and evaluation in one conversation ------------------------------------------


def test_a_combined_conversation_is_this_evaluation_and_the_next_planning(p):
    now_cycle = cycle(p.employee.organisation, 2026)
    next_cycle = cycle(p.employee.organisation, 2027)
    this = participation(now_cycle, p.employee)
    following = participation(next_cycle, p.employee)
    day = this.period_end - dt.timedelta(days=5)  # computed from the period, near its end
    conversation = _schedule(p, combined=True)
    assert conversation.combined_with_planning
    held = services.conversation_hold(
        actor=viewer(p.manager), conversation=conversation, held_on=day,
        report="The year went well.", agreements="Lead the payroll migration.")
    assert (held.report, held.agreements) == ("The year went well.",
                                              "Lead the payroll migration.")
    this.refresh_from_db()
    following.refresh_from_db()
    assert this.evaluation_held_on == day
    assert following.planning_done_on == day
    # The next period's planning never turns overdue.
    late = following.planning_due + dt.timedelta(days=1)
    assert not Participation.objects.filter(
        overdue(STEP_BY_DUE[Due.PLANNING], late), pk=following.pk).exists()
    event = AuditEvent.objects.get(action="conversation.held", target_id=str(held.pk))
    assert event.changes["planning_participation"] == [None, following.pk]


def test_a_next_cycle_opened_later_finds_its_planning_held(p):
    now_cycle = cycle(p.employee.organisation, 2026)
    this = participation(now_cycle, p.employee)
    day = this.period_end - dt.timedelta(days=5)
    services.conversation_hold(actor=viewer(p.manager), conversation=_schedule(p, combined=True),
                               held_on=day, report="Looking back.", agreements="Ahead.")
    next_cycle = cycle(p.employee.organisation, 2027)
    following = participation(next_cycle, p.employee)
    cycle_changes.participations_added(next_cycle)  # as insert_participations announces
    following.refresh_from_db()
    assert following.planning_done_on == day


def test_a_plain_evaluation_leaves_the_next_planning_open(p):
    this = participation(cycle(p.employee.organisation, 2026), p.employee)
    following = participation(cycle(p.employee.organisation, 2027), p.employee)
    services.conversation_hold(actor=viewer(p.manager), conversation=_schedule(p),
                               held_on=this.period_end - dt.timedelta(days=5))
    following.refresh_from_db()
    assert following.planning_done_on is None


def test_combining_may_be_marked_when_held_but_agreements_need_it(p):
    conversation = _schedule(p)
    with pytest.raises(ValidationFailed):
        services.conversation_hold(actor=viewer(p.manager), conversation=conversation,
                                   agreements="Ahead.")
    held = services.conversation_hold(actor=viewer(p.manager), conversation=conversation,
                                      combined_with_planning=True, report="Back.",
                                      agreements="Ahead.")
    assert held.combined_with_planning
    assert held.agreements == "Ahead."
    written = services.conversation_report_write(
        actor=viewer(p.manager), conversation=held, report="Back again.",
        agreements="Ahead again.", expected_revision=held.report_revision)
    assert (written.report, written.agreements) == ("Back again.", "Ahead again.")


def test_only_an_evaluation_conversation_by_an_evaluator_is_combined(p):
    with pytest.raises(ValidationFailed):
        _schedule(p, kind=ConversationKind.PROGRESS, combined=True)
    with pytest.raises(ValidationFailed):
        _schedule(p, combined=True, by=p.employee)
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("preset", [PolicyPreset.FLEMISH, PolicyPreset.FEDERAL])
def test_combining_is_refused_outside_the_dutch_policy(preset):
    p = personas.build()
    Organisation.objects.filter(pk=p.employee.organisation_id).update(policy_preset=preset)
    p.employee.organisation.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        _schedule(p, combined=True)
    assert refused.value.message == rule.combined_refusal(FLEMISH, "evaluation")
    assert not Conversation.objects.exists()


# A person designated to hold the conversation -----------------------------------------


def test_the_manager_designates_a_colleague_who_then_holds_it(p):
    conversation = _schedule(p, kind=ConversationKind.PLANNING)
    designate = viewer(p.colleague)
    assert not permissions.can_view_conversation(designate, conversation)
    services.conversation_designate_holder(actor=viewer(p.manager), conversation=conversation,
                                           holder_id=p.colleague.pk)
    conversation.refresh_from_db()
    assert conversation.holder_id == p.colleague.pk
    assert conversation.holder_designated_by == p.manager.user
    assert conversation.holder_designated_at is not None
    event = AuditEvent.objects.get(action="conversation.holder_designated")
    assert event.changes["holder"] == [None, p.colleague.pk]
    assert Notification.objects.filter(recipient=p.colleague.user).exists()
    # The designate sees this conversation, and only this one.
    assert permissions.can_view_conversation(designate, conversation)
    assert list(permissions.conversations_visible_to(designate)) == [conversation]
    assert not permissions.can_plan(designate, conversation)
    held = services.conversation_hold(actor=designate, conversation=conversation,
                                      report="We agreed the work plan.")
    services.conversation_report_confirm(actor=designate, conversation=held,
                                         expected_revision=held.report_revision)
    services.conversation_report_confirm(actor=viewer(p.employee), conversation=held,
                                         expected_revision=held.report_revision)
    held.refresh_from_db()
    # Both confirmed: the designate's access ends with the conversation's report.
    assert held.report_locked
    assert not permissions.can_view_conversation(designate, held)
    assert not permissions.conversations_visible_to(designate).exists()


def test_others_cannot_designate_nor_be_designated(p):
    conversation = _schedule(p, kind=ConversationKind.PROGRESS)
    for person in (p.employee, p.director):
        with pytest.raises((ValidationFailed, NotFoundOrForbidden)):
            services.conversation_designate_holder(
                actor=viewer(person), conversation=conversation, holder_id=p.colleague.pk)
    for person in (p.employee, p.manager, p.outsider):
        with pytest.raises(ValidationFailed):
            services.conversation_designate_holder(
                actor=viewer(p.manager), conversation=conversation, holder_id=person.pk)
    with pytest.raises(ValidationFailed):
        services.conversation_designate_holder(
            actor=viewer(p.manager), conversation=_schedule(
                p, kind=ConversationKind.FORMAL_ASSESSMENT), holder_id=p.colleague.pk)
    conversation.refresh_from_db()
    assert conversation.holder_id is None
    # Someone not designated sees nothing and holds nothing.
    assert not permissions.can_hold(viewer(p.colleague), conversation)


def test_a_withdrawn_designation_ends_the_access(p):
    conversation = _schedule(p, kind=ConversationKind.PROGRESS)
    services.conversation_designate_holder(actor=viewer(p.manager), conversation=conversation,
                                           holder_id=p.colleague.pk)
    services.conversation_designate_holder(actor=viewer(p.manager), conversation=conversation,
                                           holder_id=None)
    conversation.refresh_from_db()
    assert conversation.holder_id is None
    assert not permissions.can_view_conversation(viewer(p.colleague), conversation)
    assert AuditEvent.objects.filter(action="conversation.holder_withdrawn").exists()


@pytest.mark.parametrize("preset", [PolicyPreset.FLEMISH, PolicyPreset.FEDERAL])
def test_designating_is_refused_outside_the_dutch_policy(preset):
    p = personas.build()
    Organisation.objects.filter(pk=p.employee.organisation_id).update(policy_preset=preset)
    p.employee.organisation.refresh_from_db()
    conversation = _schedule(p, kind=ConversationKind.PLANNING)
    with pytest.raises(ValidationFailed) as refused:
        services.conversation_designate_holder(
            actor=viewer(p.manager), conversation=conversation, holder_id=p.colleague.pk)
    assert refused.value.message == rule.designation_refusal(FEDERAL, "planning")
    conversation.refresh_from_db()
    assert conversation.holder_id is None
