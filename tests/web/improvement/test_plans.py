"""The improvement plan's pages: start, remarks, signatures, follow-ups, extension and
decision through the forms; refusals in the user's language; bounded queries.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be):
the manager starts the plan (why, expected improvement, support), it is followed up
monthly, and at the end the manager decides whether it was met.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.core import clock
from koers.core.models import User
from koers.improvement.models import ImprovementPlan
from koers.improvement.states import PlanStatus
from tests import personas
from tests.factories import improvement as plans

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 5)
END = dt.date(2026, 4, 4)


@pytest.fixture
def p():
    with clock.frozen(plans.moment(START)):
        people = personas.build()
        User.objects.update(language="en")
        yield people


def _start_form(**extra):
    return {"grounds": "Pay questions stay open for weeks.", "support": "Coaching",
            "period_start": "2026-01-05", "period_end": "2026-04-04",
            "goal_1_expected": "Answer within 2 days", "goal_1_indicators": "90 % of tickets",
            **extra}


def test_the_first_evaluator_starts_a_plan_and_both_sign_it_on_its_page(client, p):
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(START)):
        page = client.get(reverse("person_improvement", args=[p.employee.pk]))
        assert reverse("improvement_plan_new", args=[p.employee.pk]) in page.text
        answer = client.post(reverse("improvement_plan_new", args=[p.employee.pk]),
                             _start_form())
        plan = ImprovementPlan.objects.get()
        assert answer.url == reverse("improvement_plan", args=[plan.pk])
        client.post(reverse("improvement_plan_sign", args=[plan.pk]))
        client.force_login(p.employee.user)
        client.post(reverse("improvement_plan_sign", args=[plan.pk]))
        page = client.get(reverse("improvement_plan", args=[plan.pk]))

    plan.refresh_from_db()
    assert plan.status == PlanStatus.RUNNING
    assert "Follow-up 1, due by 05-02-2026" in page.text


def test_bad_input_says_what_is_wrong_and_saves_nothing(client, p):
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(START)):
        page = client.post(reverse("improvement_plan_new", args=[p.employee.pk]),
                           _start_form(goal_1_indicators=""))

    assert "Each expected improvement needs its indicators" in page.text
    assert ImprovementPlan.objects.count() == 0


def test_the_dutch_page_says_it_in_dutch(client, p):
    User.objects.filter(pk=p.manager.user.pk).update(language="nl")
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(START)):
        page = client.post(reverse("improvement_plan_new", args=[p.employee.pk]),
                           _start_form(goal_1_indicators=""), HTTP_ACCEPT_LANGUAGE="nl")

    assert "Start een verbeterplan voor Marc Vandamme" in page.text
    assert ("Elke verwachte verbetering heeft indicatoren nodig: waaraan jullie allebei zien "
            "dat ze bereikt is.") in page.text


def test_the_employee_and_a_colleague_cannot_start_a_plan(client, p):
    for someone in (p.employee, p.colleague, p.hr):
        client.force_login(someone.user)
        assert client.get(reverse("improvement_plan_new", args=[p.employee.pk])
                          ).status_code == 404


def test_a_follow_up_is_recorded_and_the_plan_decided_met(client, p):
    plan = plans.running(p.employee, p.manager)
    client.force_login(p.manager.user)
    first = plan.follow_ups.get(number=1)
    goal = plan.goals.first()
    with clock.frozen(plans.moment(first.due_on)):
        client.post(reverse("improvement_follow_up_record", args=[first.pk]), {
            "held_on": "2026-02-05", f"progress_{goal.pk}": "Better",
            f"progress_{plan.goals.last().pk}": "Steady", "actions": "Daily review"})
    first.refresh_from_db()
    assert first.held_on == dt.date(2026, 2, 5)
    with clock.frozen(plans.moment(END)):
        client.post(reverse("improvement_plan_decide", args=[plan.pk]),
                    {"outcome": "met", "motivation": "Reached."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.MET


def test_the_plan_page_reads_in_a_fixed_number_of_queries(client, p):
    one = plans.running(p.employee, p.manager)
    three = plans.running(p.colleague, p.manager, end=dt.date(2026, 7, 4))
    for plan in (one, three):
        plans.hold_all(plan, p.manager)
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(END)):
        client.get(reverse("improvement_plan", args=[one.pk]))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("improvement_plan", args=[one.pk]))
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("improvement_plan", args=[three.pk]))

    assert page.status_code == 200
    assert three.follow_ups.count() > one.follow_ups.count()
    assert len(many) == len(few) <= 25


def test_the_list_page_reads_in_a_fixed_number_of_queries(client, p):
    client.force_login(p.manager.user)
    url = reverse("person_improvement", args=[p.employee.pk])
    first = plans.running(p.employee, p.manager)
    with clock.frozen(plans.moment(END)):
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        from koers.improvement import services
        from tests.factories.goals import viewer
        services.plan_decide(actor=viewer(p.manager), plan=first, met=True, motivation="ok")
        plans.draft(p.employee, p.manager, start=END, end=dt.date(2026, 7, 4))
        with CaptureQueriesContext(connection) as many:
            client.get(url)

    assert len(many) == len(few) <= 20


def test_the_decision_starts_unchosen_and_cancelling_asks_first(client, p):
    running = plans.running(p.employee, p.manager)
    draft = plans.draft(p.colleague, p.manager)
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(END)):
        form = client.get(reverse("improvement_plan_decide", args=[running.pk])
                          ).content.decode()
        asked = client.post(reverse("improvement_plan_cancel", args=[draft.pk])
                            ).content.decode()
        draft.refresh_from_db()
        assert draft.status == PlanStatus.DRAFT  # nothing changed yet
        client.post(reverse("improvement_plan_cancel", args=[draft.pk]), {"confirmed": "yes"})

    assert re.search(r'<select name="outcome"[^>]*>\s*<option value="" selected>', form)
    assert f"The improvement plan of {p.colleague.full_name} is cancelled." in asked
    draft.refresh_from_db()
    assert draft.status == PlanStatus.CANCELLED


def test_the_follow_up_conversation_is_held_through_the_follow_up_form(client, p):
    """The conversation's page sends the manager to the follow-up's form instead of its
    own "record as held"; saving that form records both, once."""
    plan = plans.running(p.employee, p.manager)
    first = plan.follow_ups.get(number=1)
    client.force_login(p.manager.user)
    with clock.frozen(plans.moment(START)):
        client.post(reverse("improvement_follow_up_schedule", args=[first.pk]), {
            "starts_at": "2026-02-05T10:00", "minutes": "60", "location": "B.204"})
    first.refresh_from_db()
    conversation = first.conversation
    assert conversation is not None
    record = reverse("improvement_follow_up_record", args=[first.pk])
    with clock.frozen(plans.moment(first.due_on)):
        page = client.get(reverse("conversation_detail", args=[conversation.pk]))
        form = client.get(record)
        goals = list(plan.goals.all())
        client.post(record, {"held_on": "2026-02-05", f"progress_{goals[0].pk}": "Better",
                             f"progress_{goals[1].pk}": "Steady", "actions": "Daily review"})

    text = page.content.decode()
    assert f'href="{record}"' in text
    assert reverse("conversation_hold", args=[conversation.pk]) not in text
    assert "also records the conversation of 05-02-2026 as held" in form.content.decode()
    conversation.refresh_from_db()
    first.refresh_from_db()
    assert (first.held_on, conversation.status, conversation.held_on) == (
        dt.date(2026, 2, 5), "held", dt.date(2026, 2, 5))
