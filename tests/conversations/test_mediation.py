"""Mediation when the employee and their manager disagree (Dutch policy): the employee
asks the next-higher manager or an HR adviser, the mediator records the outcome once,
and without agreement the formal assessment is the last resort.

Source: Gemeente Heemstede, regeling "Cyclus van jaargesprekken", vraag 6
(https://lokaleregelgeving.overheid.nl/): "dan kan altijd de naast-hogere
leidinggevende of een onafhankelijk iemand als de P&O-adviseur worden ingeschakeld.
Mocht er dan nog geen oplossing zijn, dan kan er desgewenst worden teruggevallen op het
houden van een beoordelingsgesprek waarbij een formeel bezwaar mogelijk is."
"""

import datetime as dt

import pytest

from koers.access.models import AccessRead, AccessRequest, RequestStatus, Scope
from koers.access.personal_data import build_export
from koers.audit.models import AuditEvent
from koers.conversations import permissions, selectors, services
from koers.conversations.models import Mediation
from koers.conversations.states import (
    MEDIATION_ALLOWED,
    ConversationKind,
    MediationOutcome,
    MediationStatus,
    MediatorKind,
    mediation_can_move,
)
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, RecordClosed, ValidationFailed
from koers.notify.models import Notification
from koers.organisation import evaluators
from koers.organisation.models import Organisation, PolicyPreset
from koers.rulebook import mediation as rule
from koers.rulebook.models import PolicyOverride
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH, HrContentAccess
from tests.factories.goals import viewer
from tests.factories.work_plans import TODAY, draft, dutch_personas, held_progress

pytestmark = pytest.mark.django_db

M = MediationStatus


@pytest.fixture
def p():
    with dutch_personas() as people:
        yield people


def _next_manager(p):
    return evaluators.evaluator_line(p.employee, on=TODAY.date()).second


def _asked(p, *, kind=MediatorKind.NEXT_MANAGER, conversation=None):
    return services.mediation_request(
        actor=viewer(p.employee), conversation=conversation or held_progress(p),
        mediator_kind=kind, account="We disagree about the report's second paragraph.")


def test_the_rule_cites_heemstede_and_holds_for_the_dutch_preset_only():
    """Heemstede, vraag 6: the next-higher manager or the P&O adviser, then the formal
    assessment; the Flemish and federal presets have no such route."""
    assert rule.MEDIATION_SOURCE.url == "https://lokaleregelgeving.overheid.nl/"
    assert "Cyclus van jaargesprekken" in rule.MEDIATION_SOURCE.title
    assert rule.MEDIATORS == tuple(MediatorKind.values) == ("next_manager", "hr_adviser")
    assert rule.mediation_offered(DUTCH_MUNICIPAL)
    assert rule.last_resort_offered(DUTCH_MUNICIPAL)
    assert not rule.mediation_offered(FLEMISH)
    assert not rule.mediation_offered(FEDERAL)


@pytest.mark.parametrize("source", list(M))
@pytest.mark.parametrize("target", list(M))
def test_only_requested_to_closed_is_allowed(source, target):
    assert mediation_can_move(source, target) == ((source, target) == (M.REQUESTED, M.CLOSED))
    assert set(MEDIATION_ALLOWED) == set(M)


def test_the_mediators_are_the_next_higher_manager_and_the_nearest_hr(p):
    mediators = services.mediators_for(p.employee)

    assert mediators[MediatorKind.NEXT_MANAGER] == [_next_manager(p)]
    assert _next_manager(p) not in (None, p.manager)
    assert mediators[MediatorKind.HR_ADVISER] == [p.hr]  # not the other team's HR


def test_the_employee_asks_the_next_higher_manager_who_records_the_outcome(p):
    mediation = _asked(p)
    head = _next_manager(p)

    assert (mediation.status, mediation.mediator, mediation.mediator_kind) == (
        M.REQUESTED, head, MediatorKind.NEXT_MANAGER)
    assert Notification.objects.get(kind="conversations.mediation_to_record").recipient \
        == head.user

    closed = services.mediation_record_outcome(
        actor=viewer(head), mediation=mediation, outcome=MediationOutcome.NOT_AGREED,
        text="The paragraph stays; the employee adds a reaction.")

    assert (closed.status, closed.outcome, closed.recorded_by) == (
        M.CLOSED, MediationOutcome.NOT_AGREED, head.user)
    assert closed.recorded_at == TODAY
    actions = list(AuditEvent.objects.filter(action__startswith="mediation.")
                   .order_by("pk").values_list("action", "actor_id"))
    assert actions == [("mediation.requested", p.employee.user_id),
                       ("mediation.recorded", head.user_id)]
    assert Notification.objects.get(kind="conversations.mediation_to_record").resolved_at \
        is not None
    assert Notification.objects.get(kind="conversations.mediation_recorded").recipient \
        == p.employee.user


def test_the_employee_asks_hr_about_the_work_plan(p):
    plan = draft(p)

    mediation = services.mediation_request(
        actor=viewer(p.employee), work_plan=plan, mediator_kind=MediatorKind.HR_ADVISER,
        account="We disagree about the expected performance.")

    assert (mediation.work_plan, mediation.conversation, mediation.mediator) == (
        plan, None, p.hr)
    assert AuditEvent.objects.filter(action="mediation.requested",
                                     target_id=mediation.pk).count() == 1


@pytest.mark.parametrize("who", ["manager", "hr", "colleague"])
def test_only_the_employee_asks(p, who):
    conversation = held_progress(p)

    with pytest.raises((ValidationFailed, NotFoundOrForbidden)):
        services.mediation_request(actor=viewer(getattr(p, who)), conversation=conversation,
                                   mediator_kind=MediatorKind.HR_ADVISER, account="No.")

    assert not Mediation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="mediation.").exists()


@pytest.mark.parametrize("who", ["employee", "manager", "hr"])
def test_only_the_mediator_records_the_outcome(p, who):
    mediation = _asked(p)

    with pytest.raises(ValidationFailed):
        services.mediation_record_outcome(actor=viewer(getattr(p, who)), mediation=mediation,
                                          outcome=MediationOutcome.AGREED, text="Agreed.")

    mediation.refresh_from_db()
    assert mediation.status == M.REQUESTED
    assert not AuditEvent.objects.filter(action="mediation.recorded").exists()


def test_the_outcome_is_recorded_once(p):
    mediation = _asked(p)
    head = _next_manager(p)
    services.mediation_record_outcome(actor=viewer(head), mediation=mediation,
                                      outcome=MediationOutcome.AGREED, text="Agreed.")

    with pytest.raises(RecordClosed):
        services.mediation_record_outcome(actor=viewer(head), mediation=mediation,
                                          outcome=MediationOutcome.NOT_AGREED, text="No.")

    mediation.refresh_from_db()
    assert (mediation.outcome, mediation.outcome_text) == (MediationOutcome.AGREED, "Agreed.")


@pytest.mark.parametrize(("outcome", "text", "field"), [
    ("", "Agreed.", "outcome"), ("maybe", "Agreed.", "outcome"),
    (MediationOutcome.AGREED, "  ", "text"),
])
def test_an_outcome_needs_a_verdict_and_words(p, outcome, text, field):
    mediation = _asked(p)

    with pytest.raises(ValidationFailed) as refused:
        services.mediation_record_outcome(actor=viewer(_next_manager(p)), mediation=mediation,
                                          outcome=outcome, text=text)

    assert field in refused.value.errors
    mediation.refresh_from_db()
    assert mediation.status == M.REQUESTED


def test_a_request_needs_an_account_and_a_known_mediator(p):
    conversation = held_progress(p)
    me = viewer(p.employee)

    with pytest.raises(ValidationFailed) as no_account:
        services.mediation_request(actor=me, conversation=conversation,
                                   mediator_kind=MediatorKind.HR_ADVISER, account=" ")
    with pytest.raises(ValidationFailed) as no_kind:
        services.mediation_request(actor=me, conversation=conversation,
                                   mediator_kind="colleague", account="Report")
    with pytest.raises(ValidationFailed) as not_a_mediator:
        services.mediation_request(actor=me, conversation=conversation,
                                   mediator_kind=MediatorKind.HR_ADVISER,
                                   mediator_id=p.team_hr.pk, account="Report")

    assert "account" in no_account.value.errors
    assert "mediator_kind" in no_kind.value.errors
    assert "mediator" in not_a_mediator.value.errors
    assert not Mediation.objects.exists()


def test_one_open_request_a_subject(p):
    conversation = held_progress(p)
    _asked(p, conversation=conversation)

    with pytest.raises(ValidationFailed):
        _asked(p, kind=MediatorKind.HR_ADVISER, conversation=conversation)

    assert Mediation.objects.count() == 1


def test_not_about_a_scheduled_conversation_or_a_formal_assessment(p):
    starts = TODAY + dt.timedelta(days=2)
    scheduled = services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.PLANNING,
        starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="Room 2")
    formal = held_progress(p, kind=ConversationKind.FORMAL_ASSESSMENT)

    for conversation in (scheduled, formal):
        with pytest.raises(ValidationFailed):
            _asked(p, conversation=conversation)
        assert not permissions.may_ask_mediation_about_conversation(
            viewer(p.employee), conversation)
    assert not Mediation.objects.exists()


@pytest.mark.parametrize("preset", [PolicyPreset.FLEMISH, PolicyPreset.FEDERAL])
def test_refused_in_the_other_regimes(p, preset):
    conversation = held_progress(p)
    Organisation.objects.filter(pk=p.employee.organisation_id).update(policy_preset=preset)
    p.employee.organisation.refresh_from_db()
    conversation.employee.organisation.refresh_from_db()
    assert not policy_for(p.employee.organisation).disagreement_mediation

    with pytest.raises(ValidationFailed) as refused:
        _asked(p, conversation=conversation)

    assert "mediation" in refused.value.message.lower() or "bemiddeling" in \
        refused.value.message.lower()
    assert not permissions.may_ask_mediation_about_conversation(viewer(p.employee),
                                                                conversation)
    assert not Mediation.objects.exists()


def test_seen_by_the_employee_the_manager_the_mediator_and_hr_of_the_unit_only(p):
    mediation = _asked(p, kind=MediatorKind.HR_ADVISER)
    head = _next_manager(p)

    seeing = {who for who in ("employee", "manager", "hr", "colleague", "team_hr",
                              "director", "unrelated_manager", "outsider")
              if permissions.can_view_mediation(viewer(getattr(p, who)), mediation)}
    listed = {who for who in ("employee", "manager", "hr", "colleague", "team_hr",
                              "director", "unrelated_manager", "outsider")
              if selectors.mediations_read(viewer(getattr(p, who))).exists()}

    assert seeing == listed == {"employee", "manager", "hr"}  # hr is the mediator here too
    # The next-higher manager sees it only as its mediator.
    assert not permissions.can_view_mediation(viewer(head), mediation)
    assert permissions.mediation_for(viewer(p.colleague), mediation.pk) is None


def test_without_agreement_the_formal_assessment_is_offered(p):
    mediation = _asked(p)
    head = _next_manager(p)
    services.mediation_record_outcome(actor=viewer(head), mediation=mediation,
                                      outcome=MediationOutcome.NOT_AGREED, text="No.")
    mediation.refresh_from_db()

    assert permissions.offers_formal_assessment(viewer(p.employee), mediation)
    assert permissions.offers_formal_assessment(viewer(p.manager), mediation)
    assert not permissions.offers_formal_assessment(viewer(head), mediation)


def test_an_agreement_offers_no_formal_assessment(p):
    mediation = _asked(p)
    services.mediation_record_outcome(actor=viewer(_next_manager(p)), mediation=mediation,
                                      outcome=MediationOutcome.AGREED, text="Agreed.")
    mediation.refresh_from_db()

    assert not permissions.offers_formal_assessment(viewer(p.employee), mediation)


def test_the_employees_export_holds_their_mediation_with_its_outcome(p):
    mediation = _asked(p)
    head = _next_manager(p)
    services.mediation_record_outcome(actor=viewer(head), mediation=mediation,
                                      outcome=MediationOutcome.AGREED, text="A line is added.")

    [exported] = build_export(p.employee, now=TODAY).as_json()["sections"]["mediations"]

    assert (exported["account"], exported["mediator"], exported["outcome_text"]) == (
        "We disagree about the report's second paragraph.", head.full_name,
        "A line is added.")
    assert exported["recorded_by"] == head.full_name
    assert build_export(p.manager, now=TODAY).as_json()["sections"]["mediations"] == []


def test_hr_of_the_unit_reads_a_mediation_as_it_reads_the_conversations(p):
    """HR who is not the mediator reads a mediation as the person's conversations: by the
    Dutch preset's standing access, or, where the organisation asks for a request, only
    under a granted one, each read logged."""
    mediation = _asked(p)  # the next-higher manager mediates
    assert permissions.can_view_mediation(viewer(p.hr), mediation)  # standing access

    PolicyOverride.objects.create(organisation=p.employee.organisation,
                                  field="hr_content_access",
                                  value=HrContentAccess.ON_GRANTED_REQUEST.value)
    assert selectors.mediation_read(viewer(p.hr), mediation.pk) is None
    assert not selectors.mediations_read(viewer(p.hr)).exists()

    AccessRequest.objects.create(
        requester=p.hr, subject=p.employee, scope=Scope.CONVERSATIONS,
        reason="Disagreement file.", valid_from=TODAY.date() - dt.timedelta(days=1),
        valid_until=TODAY.date() + dt.timedelta(days=30), status=RequestStatus.GRANTED,
        created_at=TODAY)
    with clock.frozen(TODAY):
        assert selectors.mediation_read(viewer(p.hr), mediation.pk) == mediation
        assert list(selectors.mediations_read(viewer(p.hr))) == [mediation]
        assert selectors.mediation_read(viewer(p.employee), mediation.pk) == mediation
    (read,) = AccessRead.objects.all()  # HR's read under the grant, not the employee's
    assert (read.reader, read.subject, read.record_label) == (p.hr, p.employee, "Bemiddeling")
