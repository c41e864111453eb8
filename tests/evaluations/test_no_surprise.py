""""No surprise" before a negative verdict, and the improvement plans at hand.

Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be): in
the evaluation conversation the employee "mag niets nieuws horen". A report about to
carry onvoldoende while the period holds no follow-up conversation with improvement
points, no improvement plan and no earlier warning warns the 1st evaluator (and the 2nd
before co-signing), naming what is missing; it never blocks.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from koers.conversations import services as conversations
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.models import User
from koers.evaluations import rules, selectors
from koers.evaluations.services import current_report
from koers.improvement import services as improvement
from tests import personas
from tests.factories import evaluations as ev
from tests.factories import improvement as plans

pytestmark = pytest.mark.django_db
NOTHING = rules.Forewarnings(follow_up_with_points=False, improvement_plan=False,
                             earlier_warning=False)


@pytest.fixture
def p():
    with ev.on(dt.date(2025, 1, 2)):
        yield personas.build()


def test_onvoldoende_without_any_forewarning_names_all_three_missing():
    with translation.override("en"):
        missing = rules.no_surprise_missing(verdict="onvoldoende", forewarnings=NOTHING)

    assert missing == [
        "no follow-up conversation in the period with improvement points recorded",
        "no improvement plan",
        "no earlier warning (the previous evaluation carried no negative verdict)"]


@pytest.mark.parametrize("forewarned", [
    rules.Forewarnings(follow_up_with_points=True, improvement_plan=False,
                       earlier_warning=False),
    rules.Forewarnings(follow_up_with_points=False, improvement_plan=True,
                       earlier_warning=False),
    rules.Forewarnings(follow_up_with_points=False, improvement_plan=False,
                       earlier_warning=True),
])
def test_any_forewarning_is_enough(forewarned):
    assert rules.no_surprise_missing(verdict="onvoldoende", forewarnings=forewarned) == []


def test_a_positive_verdict_never_warns():
    assert rules.no_surprise_missing(verdict="voldoende", forewarnings=NOTHING) == []
    assert rules.no_surprise_missing(verdict="", forewarnings=NOTHING) == []


def test_the_period_without_a_plan_or_points_warns_and_a_plan_silences_it(p):
    c = ev.cast(p)
    evaluation = ev.annual(c)

    assert len(selectors.no_surprise_warnings(evaluation, verdict="onvoldoende")) == 3

    plans.running(p.employee, p.manager, start=dt.date(2025, 3, 3), end=dt.date(2025, 6, 2))
    assert selectors.no_surprise_warnings(evaluation, verdict="onvoldoende") == []


def test_a_held_conversation_with_improvement_points_silences_it(p):
    c = ev.cast(p)
    evaluation = ev.annual(c)
    with ev.on(dt.date(2025, 5, 12)):
        talk = conversations.conversation_schedule(
            actor=ev.viewer(p.manager), employee=p.employee, kind=ConversationKind.FOLLOW_UP,
            starts_at=ev.moment(dt.date(2025, 5, 12), 9),
            ends_at=ev.moment(dt.date(2025, 5, 12), 10), location="B.204")
    with ev.on(dt.date(2025, 5, 13)):
        conversations.conversation_hold(actor=ev.viewer(p.manager), conversation=talk,
                                        improvement_points="Answer pay questions sooner.")

    assert selectors.no_surprise_warnings(evaluation, verdict="onvoldoende") == []


def test_the_report_form_warns_but_saving_onvoldoende_goes_on(client, p):
    c = ev.cast(p)
    evaluation = ev.annual(c)
    User.objects.update(language="en")
    client.force_login(p.manager.user)
    report = current_report(evaluation)
    with ev.on(dt.date(2025, 12, 2)):
        answer = client.post(reverse("evaluation_report", args=[evaluation.pk]), {
            "revision": report.revision, "overall": "Not what was agreed.",
            **{f"item_{item.position}": "Not done." for item in report.items.all()},
            "verdict": "onvoldoende"}, follow=True)
        form = client.get(reverse("evaluation_report", args=[evaluation.pk]))

    assert current_report(evaluation).verdict == "onvoldoende"
    assert "No surprise?" in answer.text
    assert "no improvement plan" in form.text


def test_the_next_evaluation_form_shows_a_plan_not_met(client, p):
    c = ev.cast(p)
    plan = plans.running(p.employee, p.manager, start=dt.date(2025, 3, 3),
                         end=dt.date(2025, 6, 2))
    plans.hold_all(plan, p.manager)
    with clock.frozen(plans.moment(dt.date(2025, 6, 2))):
        improvement.plan_decide(actor=plans.viewer(p.manager), plan=plan, met=False,
                                motivation="Pay questions still open for weeks.")
    evaluation = ev.annual(c)
    User.objects.update(language="en")
    client.force_login(p.manager.user)
    with ev.on(dt.date(2025, 12, 2)):
        form = client.get(reverse("evaluation_report", args=[evaluation.pk]))
        client.force_login(p.employee.user)
        own = client.get(reverse("evaluation_self", args=[evaluation.pk]))

    for page in (form, own):
        assert "Improvement plans at hand" in page.text
        assert "Pay questions still open for weeks." in page.text
        assert "not met" in page.text


def test_the_second_evaluator_sees_the_same_warning_before_co_signing(client, p):
    c = ev.cast(p)
    evaluation = ev.reach(c, ev.S.FIRST_SIGNED, verdict="onvoldoende")
    User.objects.update(language="en")
    assert c.second is not None
    client.force_login(c.second.user)
    with ev.on(ev.days()["second"]):
        page = client.get(reverse("evaluation_sign", args=[evaluation.pk]))

    assert "No surprise?" in page.text
    assert "no follow-up conversation in the period with improvement points recorded" in page.text
