"""Two "onvoldoende" within four years flagged to HR as possible professional unfitness
(federal: BOSA, "Evaluatie — vermeldingen" [b2]; contract staff: fedweb, "Beroepen"
[b8]): a flag and a task, never a decision. Through the services, the page and the API."""

import datetime as dt
import json

import pytest
from django.test import Client

from koers.audit.models import AuditEvent
from koers.consequences import selectors, services
from koers.consequences.models import UnfitnessDecision, UnfitnessReview
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.organisation.models import EmploymentStatus, Organisation, PolicyPreset
from koers.tasks.selectors import TaskKind, tasks_for
from tests import personas
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def _two_onvoldoende(p, *, status=EmploymentStatus.STATUTORY):
    cf.evaluation_based(p.employee, status=status)
    first = cf.delivered(p, p.employee, verdict="onvoldoende", year=2024)
    second = cf.delivered(p, p.employee, verdict="onvoldoende", year=2025)
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.FEDERAL)
    return first, second


def _unfitness_tasks(person) -> list:
    with ev.on(dt.date(2026, 1, 5)):
        return [t for t in tasks_for(ev.viewer(person)) if t.kind == TaskKind.UNFITNESS]


def test_hr_is_asked_to_answer_two_onvoldoende_and_the_answer_ends_the_task(p) -> None:
    first, second = _two_onvoldoende(p)

    [flag] = selectors.unfitness_flags(ev.viewer(p.hr))
    assert (flag.earlier, flag.later, flag.contract) == (first, second, False)
    assert flag.worked_days >= 240
    assert [t.record_id for t in _unfitness_tasks(p.hr)] == [second.pk]
    assert not _unfitness_tasks(p.manager)  # HR's, not the evaluator's

    with ev.on(dt.date(2026, 1, 5)):
        review = services.unfitness_review_record(
            actor=ev.viewer(p.hr), evaluation=second, decision=UnfitnessDecision.NOT_NOW,
            remarks="The improvement plan runs until June.")

    assert (review.earlier, review.worked_days) == (first, flag.worked_days)
    assert AuditEvent.objects.filter(action="unfitness.reviewed").count() == 1
    assert not _unfitness_tasks(p.hr)
    with pytest.raises(ValidationFailed):  # answered once
        services.unfitness_review_record(actor=ev.viewer(p.hr), evaluation=second,
                                         decision=UnfitnessDecision.START)
    with pytest.raises(NotFoundOrForbidden):
        services.unfitness_review_record(actor=ev.viewer(p.manager), evaluation=second,
                                         decision=UnfitnessDecision.START)


def test_a_flemish_policy_flags_nothing(p) -> None:
    cf.evaluation_based(p.employee)
    cf.delivered(p, p.employee, verdict="onvoldoende", year=2024)
    cf.delivered(p, p.employee, verdict="onvoldoende", year=2025)

    assert selectors.unfitness_flags(ev.viewer(p.hr)) == []


def test_for_contract_staff_the_page_shows_the_earlier_warnings(p) -> None:
    _first, second = _two_onvoldoende(p, status=EmploymentStatus.CONTRACTUAL)
    client = Client()
    client.force_login(p.hr.user)
    url = f"/evaluations/{second.pk}/unfitness/"

    with ev.on(dt.date(2026, 1, 5)):
        before = client.get(url).content.decode()
        starts = dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC)
        with ev.on(dt.date(2025, 6, 1)):
            conversation = conversation_services.conversation_schedule(
                actor=ev.viewer(p.manager), employee=p.employee,
                kind=ConversationKind.FOLLOW_UP, starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1), location="Room 2")
        with ev.on(dt.date(2025, 6, 2)):
            conversation_services.conversation_hold(
                actor=ev.viewer(p.manager), conversation=conversation,
                improvement_points="Files must be closed within the month.")
        after = client.get(url).content.decode()
        listed = client.get("/api/v1/unfitness-flags").json()["items"]
        answered = client.post(f"/api/v1/evaluations/{second.pk}/unfitness-review",
                               json.dumps({"decision": "start"}),
                               content_type="application/json")
        done = client.get(url).content.decode()

    assert "Geen gehouden gesprek met verbeterpunten gevonden" in before
    assert f"/conversations/{conversation.pk}/" in after
    assert listed[0]["warning_conversation_ids"] == [conversation.pk]
    assert answered.status_code == 201
    assert UnfitnessReview.objects.get().decision == "start"
    assert "de procedure wegens beroepsongeschiktheid start" in done.lower()
    assert Client().get(url).status_code == 302  # anonymous: to the log-in
    client.force_login(p.manager.user)
    assert client.get(url).status_code == 404
