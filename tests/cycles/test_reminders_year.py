"""A whole Flemish cycle, day by day with a frozen clock: every reminder once, on its day.

From 1 January of the cycle year to 30 April of the next, each morning the milestones
of the day are recorded, then the reminders and the e-mails run — twice, as after a
restart. The expectation is written out from the policy's stages: a stage fires on its
day unless the step was done before, escalations go to the 2nd evaluator and then to
the nearest HR, and the 2nd evaluator's own step goes straight to HR.
"""

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from koers.core import clock
from koers.cycles.models import Participation
from koers.cycles.reminders import send_reminders
from koers.notify.models import Notification
from koers.notify.services import deliver_emails
from koers.rulebook.deadlines import Due
from tests import factories, personas
from tests.factories import participations

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
YEAR = 2026
# Flemish preset: reminders 14 and 3 days before, the 2nd evaluator after 7 overdue
# days, HR after 21. (days after the due date, kind, who: acting / second / hr)
STAGES = [
    (-14, "cycles.due_soon", "acting"),
    (-3, "cycles.due_soon", "acting"),
    (0, "cycles.due_today", "acting"),
    (1, "cycles.overdue", "acting"),
    (7, "cycles.escalated_second", "second"),
    (21, "cycles.escalated_hr", "hr"),
]
STEPS = {  # step → (due field, done field, who acts)
    Due.PLANNING: ("planning_due", "planning_done_on", "first"),
    Due.SELF_EVALUATION: ("self_evaluation_due", "self_evaluation_submitted_on", "employee"),
    Due.EVALUATION: ("evaluation_due", "evaluation_held_on", "first"),
    Due.FIRST_SIGNATURE: ("first_signature_due", "first_signed_on", "first"),
    Due.SECOND_SIGNATURE: ("second_signature_due", "second_signed_on", "second"),
}


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def test_a_whole_cycle_reminds_and_escalates_each_step_exactly_once():
    p = personas.build()
    head = p.department.manager
    exempt = factories.person(p.team, with_user=True, first_name="Vrij")
    cycle = participations.cycle(p.top.organisation, YEAR)
    d = dt.date
    # Who is who for each participation: the employee, 1st and 2nd evaluator, nearest HR.
    people = {
        "on_time": (p.employee, p.manager, head, p.hr),
        "late": (p.colleague, p.manager, head, p.hr),
        "silent": (p.unrelated_employee, p.unrelated_manager, head, p.team_hr),
        "exempt": (exempt, p.manager, head, p.hr),
    }
    # The milestones, recorded on the morning of their day (before the reminders run).
    done = {
        "on_time": {Due.PLANNING: d(YEAR, 2, 10), Due.SELF_EVALUATION: d(YEAR + 1, 2, 20),
                    Due.EVALUATION: d(YEAR + 1, 3, 1), Due.FIRST_SIGNATURE: d(YEAR + 1, 3, 10),
                    Due.SECOND_SIGNATURE: d(YEAR + 1, 3, 25)},
        "late": {Due.PLANNING: d(YEAR, 4, 10), Due.EVALUATION: d(YEAR + 1, 3, 20),
                 Due.FIRST_SIGNATURE: d(YEAR + 1, 3, 20)},
        "silent": {},
        "exempt": {},
    }
    rows = {
        name: participations.participation(
            cycle, who[0], evaluation_required=name != "exempt"
        )
        for name, who in people.items()
    }

    # The day the 2nd evaluator's task starts (PLOEG's hand-over): once the 1st
    # evaluator signed and the self-evaluation is in, or from 15 March without it.
    handed_over = {"on_time": d(YEAR + 1, 3, 10), "late": d(YEAR + 1, 3, 20)}
    expected: Counter[tuple[str, str, str, str, dt.date]] = Counter()
    first, last = d(YEAR, 1, 1), d(YEAR + 1, 4, 30)
    for name, participation in rows.items():
        employee, first_evaluator, second_evaluator, hr = people[name]
        role = {"employee": employee, "first": first_evaluator, "second": second_evaluator}
        for step, (due_field, _done_field, acting) in STEPS.items():
            if name == "exempt" and step != Due.PLANNING:
                continue  # no evaluation, so only the planning is a task
            due = getattr(participation, due_field)
            done_on = done[name].get(step)
            for days_after, kind, to in STAGES:
                fires = due + dt.timedelta(days=days_after)
                if done_on is not None and done_on <= fires:
                    continue
                if to == "second" and acting == "second":
                    continue  # their own step: HR is next
                if step == Due.SECOND_SIGNATURE and to == "acting" and (
                        handed_over.get(name) is None or fires < handed_over[name]):
                    continue  # not their task yet (the hand-over rule): HR hears of it
                recipient = {"acting": role[acting], "second": second_evaluator, "hr": hr}[to]
                assert first <= fires <= last
                expected[(name, step, kind, recipient.email, fires)] += 1

    by_pk = {participation.pk: name for name, participation in rows.items()}
    # A later reminder of the same step renews the recipient's one notification of it
    # (no step announced twice), so what each day sent is read on that day.
    sent: Counter[tuple[str, str, str, str, dt.date]] = Counter()
    for day in _days(first, last):
        for name, milestones in done.items():
            for step, on in milestones.items():
                if on == day:
                    Participation.objects.filter(pk=rows[name].pk).update(
                        **{STEPS[step][1]: day})
        with clock.frozen(dt.datetime.combine(day, dt.time(7), tzinfo=BRUSSELS)):
            send_reminders()
            made = Notification.objects.filter(created_at=clock.now())
            sent.update(
                (by_pk[int(n.key.split(":")[1])], n.params["step"], n.kind, n.recipient.email,
                 day)
                for n in made.select_related("recipient"))
            before = len(mail.outbox)
            delivered = deliver_emails()
            assert delivered.failed == 0
            # Every notification made (or renewed) today is e-mailed today: one e-mail
            # per recipient, however many reminders it carried.
            assert not made.filter(email_sent_at__isnull=True).exists()
            assert len(mail.outbox) - before == len(
                set(made.values_list("recipient_id", flat=True)))
            # A restart, or a second worker, on the same day: nothing new, nothing twice.
            assert send_reminders().notifications == 0
            assert deliver_emails().emails == 0

    assert sent == expected
    assert max(expected.values()) == 1

    # Read as a story: the silent participation's planning climbs the ladder …
    planning = sorted(
        (when, kind, email) for (name, step, kind, email, when) in sent
        if name == "silent" and step == Due.PLANNING and when > d(YEAR, 3, 31)
    )
    assert planning == [
        (d(YEAR, 4, 1), "cycles.overdue", p.unrelated_manager.email),
        (d(YEAR, 4, 7), "cycles.escalated_second", head.email),
        (d(YEAR, 4, 21), "cycles.escalated_hr", p.team_hr.email),
    ]
    # … the late planning stops once it is done (10 April), before HR hears of it …
    late = {(kind, when) for (name, step, kind, _e, when) in sent
            if name == "late" and step == Due.PLANNING}
    assert ("cycles.escalated_second", d(YEAR, 4, 7)) in late
    assert all(when < d(YEAR, 4, 10) for _kind, when in late)
    # … and the 2nd evaluator's own overdue signature goes straight to HR.
    assert {(kind, email) for (name, step, kind, email, when) in sent
            if name == "late" and step == Due.SECOND_SIGNATURE and when > d(YEAR + 1, 3, 31)
            } == {("cycles.overdue", head.email), ("cycles.escalated_hr", p.hr.email)}

    assert len(mail.outbox) == len({(email, when) for (_n, _s, _k, email, when) in sent})
