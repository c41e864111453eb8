"""Reminders: the right stage, to the right person, on the right day, exactly once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.cycles.models import CycleState
from koers.cycles.reminders import send_reminders, triggers
from koers.notify.kinds import render
from koers.notify.models import Notification
from koers.organisation.models import Role
from koers.rulebook.deadlines import Due
from koers.rulebook.policy import policy_for
from koers.rulebook.services import policy_setting_change
from tests import factories, personas
from tests.factories import participations
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 6, 15)

# Days after the due date → the kind of reminder, and who gets it.
TABLE = [
    (-15, None, None),
    (-14, "cycles.due_soon", "acting"),
    (-13, None, None),
    (-4, None, None),
    (-3, "cycles.due_soon", "acting"),
    (-1, None, None),
    (0, "cycles.due_today", "acting"),
    (1, "cycles.overdue", "acting"),
    (2, None, None),
    (6, None, None),
    (7, "cycles.escalated_second", "second"),
    (8, None, None),
    (20, None, None),
    (21, "cycles.escalated_hr", "hr"),
    (22, None, None),
    (90, None, None),
]
# Who must act on each step (deadlines.RESPONSIBLE), as personas.
ACTING = {
    Due.PLANNING: "manager",
    Due.SELF_EVALUATION: "employee",
    Due.FIRST_SIGNATURE: "manager",
    Due.SECOND_SIGNATURE: "head",
    Due.PROBATION_ASSESSMENT: "manager",
}


@pytest.fixture
def p():
    return personas.build()


def _who(p, name):
    return p.department.manager if name == "head" else getattr(p, name)


def _sent():
    return sorted(
        (n.kind, n.recipient.email, n.params["step"], n.params["days"])
        for n in Notification.objects.select_related("recipient")
    )


def _run(p, day):
    return send_reminders(today_by_org={p.top.organisation_id: day})


@pytest.mark.parametrize("step", list(ACTING))
@pytest.mark.parametrize(("days_after", "kind", "to"), TABLE)
def test_each_stage_reaches_its_recipient_on_its_day_only(p, step, days_after, kind, to):
    cycle = participations.cycle(p.top.organisation, 2026)
    # The 2nd evaluator's task has started: both earlier steps are done.
    handed_over = {"self_evaluation_submitted_on": DUE - dt.timedelta(days=60),
                   "first_signed_on": DUE - dt.timedelta(days=60)}
    participations.participation(cycle, p.employee, only=step, due=DUE,
                                 **(handed_over if step == Due.SECOND_SIGNATURE else {}))
    _run(p, DUE + dt.timedelta(days=days_after))
    expected = []
    if kind is not None:
        recipient = {
            "acting": ACTING[step], "second": "head", "hr": "hr",
        }[to]
        # The 2nd evaluator's own step goes straight from overdue to HR.
        if not (kind == "cycles.escalated_second" and ACTING[step] == "head"):
            expected = [(kind, _who(p, recipient).email, step.value, abs(days_after))]
    assert _sent() == expected


def test_a_done_step_is_not_reminded(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(
        cycle, p.employee, only=Due.PLANNING, due=DUE, planning_done_on=DUE
    )
    for days_after in (1, 7, 21):
        _run(p, DUE + dt.timedelta(days=days_after))
    assert _sent() == []


def test_running_the_same_day_twice_sends_nothing_new(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee, only=Due.PLANNING, due=DUE)
    assert _run(p, DUE).notifications == 1
    assert _run(p, DUE).notifications == 0
    assert Notification.objects.count() == 1


def test_people_who_left_exempt_steps_and_cycles_not_open_are_not_reminded(p):
    org = p.top.organisation
    cycle = participations.cycle(org, 2026)
    participations.participation(
        cycle, p.employee, only=Due.PLANNING, due=DUE, closed_on=dt.date(2026, 5, 1)
    )
    participations.participation(
        cycle, p.colleague, only=Due.SELF_EVALUATION, due=DUE, evaluation_required=False
    )
    closed = participations.cycle(org, 2025, state=CycleState.CLOSED)
    participations.participation(closed, p.employee, only=Due.PLANNING, due=DUE)
    _run(p, DUE)
    assert _sent() == []


def test_an_exempt_person_is_still_reminded_of_planning(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(
        cycle, p.colleague, only=Due.PLANNING, due=DUE, evaluation_required=False
    )
    _run(p, DUE)
    assert _sent() == [("cycles.due_today", p.manager.email, "planning", 0)]


def test_hr_escalations_go_to_the_nearest_hr_up_the_tree(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.unrelated_employee, only=Due.PLANNING, due=DUE)
    second_hr = factories.person(p.other_team, with_user=True)
    factories.grant(second_hr, Role.HR, p.other_team)
    _run(p, DUE + dt.timedelta(days=21))
    assert sorted(email for _k, email, _s, _d in _sent()) == sorted(
        [p.team_hr.email, second_hr.email])


def test_people_without_a_login_are_counted_as_unreachable(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    no_login = factories.person(p.team)
    participations.participation(cycle, no_login, only=Due.SELF_EVALUATION, due=DUE)
    run = _run(p, DUE)
    assert (run.notifications, run.unreachable) == (0, 1)


def test_the_policy_of_the_organisation_sets_the_days(p):
    org = p.top.organisation
    policy_setting_change(organisation=org, name="reminder_days_before", value=(10,),
                          actor=p.hr.user)
    policy_setting_change(organisation=org, name="escalate_to_second_evaluator_after_days",
                          value=2, actor=p.hr.user)
    assert [t.code for t in triggers(policy_for(org))] == [
        "due_soon_10", "due_today", "overdue", "escalated_second", "escalated_hr"]
    cycle = participations.cycle(org, 2026)
    participations.participation(cycle, p.employee, only=Due.PLANNING, due=DUE)
    for days_after in (-14, -10, 2):
        _run(p, DUE + dt.timedelta(days=days_after))
    assert _sent() == [
        ("cycles.due_soon", p.manager.email, "planning", 10),
        ("cycles.escalated_second", p.department.manager.email, "planning", 2),
    ]


def test_each_organisation_uses_its_own_today(p):
    """At 00:30 in Brussels it is still yesterday in Reykjavik."""
    brussels = p.top.organisation
    iceland = factories.organisation("Reykjavik office")
    iceland.time_zone = "Atlantic/Reykjavik"
    iceland.save()
    iceland_team = factories.unit(iceland)
    iceland_manager = factories.person(iceland_team, manages=iceland_team, with_user=True)
    iceland_employee = factories.person(iceland_team, with_user=True)
    for org, person in ((brussels, p.employee), (iceland, iceland_employee)):
        participations.participation(
            participations.cycle(org, 2026), person, only=Due.PLANNING, due=DUE
        )
    moment = dt.datetime.combine(DUE, dt.time(0, 30), tzinfo=ZoneInfo("Europe/Brussels"))
    with clock.frozen(moment):
        send_reminders()
    assert _sent() == [("cycles.due_today", p.manager.email, "planning", 0)]
    assert iceland_manager


def test_the_number_of_queries_does_not_grow_with_the_participations(p):
    cycle = participations.cycle(p.top.organisation, 2026)

    def queries_for(people):
        Notification.objects.all().delete()
        cycle.participations.all().delete()
        for person in people:
            participations.participation(cycle, person, only=Due.SELF_EVALUATION, due=DUE)
        with CaptureQueriesContext(connection) as queries:
            run = _run(p, DUE)
        assert run.notifications == len(people)
        return len(queries)

    few = queries_for([p.employee])
    many = queries_for([
        p.employee, p.colleague, p.unrelated_employee, p.hr, p.team_hr, p.manager,
        *(factories.person(p.team, with_user=True) for _ in range(10)),
    ])
    assert few == many


@pytest.mark.parametrize(("days_after", "language", "subject"), [
    (-3, "en", "Self-evaluation, your own task: due in 3 days"),
    (0, "en", "Self-evaluation, your own task: due today"),
    (1, "en", "Overdue: Self-evaluation, your own task"),
    (-3, "nl", "Zelfevaluatie, je eigen taak: binnen 3 dagen"),
])
def test_the_employees_own_step_speaks_to_them_not_of_them(p, days_after, language, subject):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee, only=Due.SELF_EVALUATION, due=DUE)
    _run(p, DUE + dt.timedelta(days=days_after))
    notification = Notification.objects.get(recipient=p.employee.user)
    with translation.override(language):
        text = render(notification.kind, notification.params)
    assert text.subject == subject
    assert "Marc" not in text.subject + text.body


def test_the_reminders_of_a_step_are_resolved_when_it_is_done(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participation = participations.participation(cycle, p.employee, only=Due.PLANNING,
                                                 due=DUE)
    _run(p, DUE)
    _run(p, DUE + dt.timedelta(days=1))  # overdue: renews the one notification
    (reminder,) = Notification.objects.filter(recipient=p.manager.user)
    assert (reminder.kind, reminder.task) == (
        "cycles.overdue", f"participation:{participation.pk}:planning")
    start = dt.datetime(2026, 6, 16, 9, tzinfo=dt.UTC)

    with clock.frozen(start + dt.timedelta(hours=2)):
        conversation = conversation_services.conversation_schedule(
            actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.PLANNING,
            starts_at=start, ends_at=start + dt.timedelta(hours=1), location="Kamer 2")
        conversation_services.conversation_hold(actor=viewer(p.manager),
                                                conversation=conversation, report="Goed.")

    reminder.refresh_from_db()
    assert reminder.resolved_at is not None


def test_the_reminder_links_to_the_timeline_and_names_no_content(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participation = participations.participation(
        cycle, p.employee, only=Due.SELF_EVALUATION, due=DUE
    )
    _run(p, DUE + dt.timedelta(days=7))
    notification = Notification.objects.get()
    assert notification.url == f"/people/{p.employee.pk}/timeline/"
    assert notification.recipient == p.department.manager.user
    assert notification.params == {
        "person": "Marc Vandamme", "step": "self_evaluation", "due": "2026-06-15",
        "role": "employee", "preset": "flemish", "responsible": "Marc Vandamme", "days": 7,
    }
    assert notification.key == (
        f"reminder:{participation.pk}:self_evaluation:2026-06-15:escalated_second:"
        f"{p.department.manager.user_id}")


@pytest.mark.parametrize(("days_after", "kind"), [
    (-14, None), (0, None), (1, None), (21, "cycles.escalated_hr"),
])
def test_the_second_evaluator_hears_of_their_signature_only_once_their_task_started(
        p, days_after, kind):
    """PLOEG (Vlaamse overheid, "Planning, opvolging en evaluatie"): the 2nd evaluator's
    task starts once the 1st evaluator's report is in. Before that nobody reminds them of
    a signature they may not give yet; HR still hears that the step is late."""
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee, only=Due.SECOND_SIGNATURE, due=DUE)
    _run(p, DUE + dt.timedelta(days=days_after))

    expected = [] if kind is None else [
        (kind, p.hr.email, Due.SECOND_SIGNATURE.value, abs(days_after))]
    assert _sent() == expected


@pytest.mark.parametrize(("preset", "second", "step"), [
    ("flemish", "2de evaluator", "Beoordeling van de proeftijd"),
    ("federal", "hiërarchische meerdere", "Beoordeling van de stage"),
    ("dutch_municipal", "naast-hogere leidinggevende", "Beoordeling van de proeftijd"),
])
def test_the_escalation_names_its_recipient_in_the_words_of_the_persons_regime(
        preset, second, step):
    """The escalation goes to the second in the line (PLOEG: the 2nd evaluator; BOSA,
    "Evaluatie — betrokkenen": the hierarchical superior; Heemstede, "Cyclus van
    jaargesprekken": the naast-hogere leidinggevende), named in the regime of the
    person's organisation; so is the step of a federal stage."""
    params = {"person": "Marc Vandamme", "step": "probation_assessment", "due": "2026-06-15",
              "role": "first_evaluator", "preset": preset, "responsible": "Eva Peeters",
              "days": 7}
    with translation.override("nl"):
        body = render("cycles.escalated_second", params).body
    first = {"flemish": "1ste evaluator", "federal": "evaluator",
             "dutch_municipal": "leidinggevende"}[preset]
    assert body == (
        f"{step} voor Marc Vandamme moest klaar zijn op 15 juni 2026 en is nog niet gebeurd "
        f"({first}: Eva Peeters). Je krijgt dit bericht als {second}, die het verloop "
        "opvolgt.")
