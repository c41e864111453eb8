"""Retention of individual work plans: a leaver's work plans go with their amendments,
and so does every work plan whose period ended before the cutoff; the conversations the
amendments were recorded in are then free to go too."""

import datetime as dt

import pytest

from koers.audit import services as audit
from koers.audit.models import AuditEvent
from koers.conversations import services
from koers.conversations.models import Conversation, WorkPlan, WorkPlanAmendment
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.organisation.models import Organisation, Person, PolicyPreset
from tests import personas
from tests.access import erasure
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

THEN = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)  # the work plans of 2026
NOW = dt.datetime(2033, 3, 2, 12, tzinfo=dt.UTC)  # retention keeps five years: 2 March 2028
RECENT = dt.datetime(2032, 5, 1, 9, tzinfo=dt.UTC)  # a work plan of 2032


@pytest.fixture
def p() -> personas.Personas:
    """The personas in a Dutch municipality (the preset with the work plan)."""
    people = personas.build()
    Organisation.objects.filter(pk=people.employee.organisation_id).update(
        policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
    for person in (people.employee, people.manager, people.colleague, people.hr):
        person.organisation.refresh_from_db()
    return people


def _fixed(p: personas.Personas, employee: Person, *, on: dt.datetime = THEN) -> WorkPlan:
    """``employee``'s work plan of the year of ``on``, commented and confirmed by both."""
    with clock.frozen(on):
        plan = services.work_plan_draft(actor=viewer(employee),
                                        expected_performance="Loonvragen binnen twee dagen")
        services.work_plan_comment(actor=viewer(p.manager), work_plan=plan,
                                   comments="Ook het nieuwe loonpakket.")
        services.work_plan_confirm(actor=viewer(employee), work_plan=plan)
        return services.work_plan_confirm(actor=viewer(p.manager), work_plan=plan)


def _amended(p: personas.Personas, employee: Person) -> Conversation:
    """A progress conversation held in 2026 that changed an agreement of the work plan."""
    with clock.frozen(THEN):
        starts = THEN + dt.timedelta(days=1)
        conversation = services.conversation_schedule(
            actor=viewer(p.manager), employee=employee, kind=ConversationKind.PROGRESS,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="Lokaal 2")
        conversation = services.conversation_hold(actor=viewer(p.manager),
                                                  conversation=conversation,
                                                  report="We stelden het plan bij.")
        services.work_plan_amend(actor=viewer(p.manager), conversation=conversation,
                                 change="Geen opleiding dit jaar", reason="Budget")
    Conversation.objects.filter(pk=conversation.pk).update(updated_at=THEN)
    return conversation


def test_a_leavers_work_plan_goes_with_its_amendments_and_their_conversation(p):
    plan = _fixed(p, p.employee)
    conversation = _amended(p, p.employee)
    erasure.leave(p.employee, p.hr, on=dt.date(2027, 6, 30))
    erasure.keep_for(p.hr, 5, on=NOW)

    report = erasure.run(p.employee, on=NOW)

    assert not WorkPlan.objects.filter(employee=p.employee).exists()
    assert not WorkPlanAmendment.objects.filter(work_plan_id=plan.pk).exists()
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert (report.counts["work_plans"], report.counts.get("conversations_kept", 0)) == (1, 0)


def test_work_plans_whose_period_ended_go_and_current_ones_stay(p):
    ended = _fixed(p, p.colleague)
    amended = _fixed(p, p.employee)
    conversation = _amended(p, p.employee)
    current = _fixed(p, p.colleague, on=RECENT)
    assert (ended.period_end, current.period_end) == (dt.date(2026, 12, 31),
                                                      dt.date(2032, 12, 31))
    erasure.keep_for(p.hr, 5, on=NOW)

    report = erasure.run(p.employee, on=NOW)

    assert list(WorkPlan.objects.values_list("pk", flat=True)) == [current.pk]
    assert not WorkPlanAmendment.objects.filter(work_plan_id=amended.pk).exists()
    assert not Conversation.objects.filter(pk=conversation.pk).exists()
    assert report.counts["work_plans"] == 2
    assert report.people == 0


def test_a_dry_run_counts_the_work_plans_and_changes_nothing(p):
    _fixed(p, p.employee)
    _fixed(p, p.colleague, on=RECENT)
    erasure.keep_for(p.hr, 5, on=NOW)
    events = AuditEvent.objects.count()

    dry = erasure.run(p.employee, on=NOW, dry_run=True)

    assert WorkPlan.objects.count() == 2
    assert AuditEvent.objects.count() == events
    real = erasure.run(p.employee, on=NOW)
    assert dry.counts == real.counts
    assert dry.counts["work_plans"] == 1


def test_the_audit_trail_verifies_after_the_work_plans_went(p):
    plan = _fixed(p, p.employee)
    _amended(p, p.employee)
    chain = audit.chain_of(plan)
    erasure.keep_for(p.hr, 5, on=NOW)

    erasure.run(p.employee, on=NOW)

    assert erasure.audit_verifies()
    events = AuditEvent.objects.filter(chain=chain)
    assert list(events.order_by("seq").values_list("action", "changes")) == [
        ("work_plan.drafted", {}), ("work_plan.commented", {}), ("work_plan.confirmed", {}),
        ("work_plan.fixed", {}), ("work_plan.amended", {})]
