"""Reminders of the cycle's due dates, with escalation, each sent exactly once.

For every open cycle and every step that is settled by a milestone
(``milestones.STEPS`` with a done field), a participation whose step is not done is
reminded at these stages, counted in the organisation's own calendar days:

- due soon: each of the policy's ``reminder_days_before`` days before the due date;
- due today: on the due date;
- overdue: the day after;
- escalated to the 2nd evaluator, who guards the process, after
  ``escalate_to_second_evaluator_after_days`` overdue days (skipped when the step is
  the 2nd evaluator's own);
- escalated to HR (the nearest HR up the person's unit tree) after
  ``escalate_to_hr_after_days`` overdue days.

The first three go to whoever must act (``deadlines.RESPONSIBLE``), and only once they
can act: the 2nd evaluator hears of their signature from the day their task starts (the
hand-over rule, ``deadlines.second_evaluator_task_starts``, the same day from which the
evaluations room lets them sign and lists the signature as a task); before that, the
escalations still reach HR. A stage fires on
one day only, so each run asks the database for the participations whose due date
*equals* one of today's trigger days — equality lookups on partial indexes, never a
scan of the cycle — and resolves their evaluators and HR in bulk per chunk.

Each reminder is a notification whose key names the participation, the step, its due
date, the stage and the recipient: running a day twice (a restart, two schedulers)
creates nothing new, a due date moved by HR is reminded afresh, and a new evaluator
taking over on the day is told too. A day on which the job never ran is not caught up:
a reminder "in 14 days" sent on day 12 would be wrong (run the scheduler, see README).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.tasks import task
from django.urls import reverse

from koers.core.clock import today_for
from koers.core.schedule import Every, periodic
from koers.cycles.milestones import EVALUATION_STEPS, STEPS, Step, applies, step_task
from koers.cycles.models import Cycle, CycleState, Participation
from koers.cycles.notifications import KIND_OF_STAGE, Stage
from koers.cycles.responsible import Responsibles, responsibles
from koers.notify.services import NewNotification, notify_many
from koers.organisation.models import Person
from koers.rulebook import deadlines
from koers.rulebook.deadlines import Due
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy

REMINDED_STEPS: tuple[Step, ...] = tuple(step for step in STEPS if step.done_field is not None)
# Participations handled per round trip: three queries for their evaluators and HR,
# two to insert their notifications.
CHUNK = 1000


@dataclass(frozen=True)
class Trigger:
    stage: Stage
    days: int  # days before (due soon) or after (overdue, escalations) the due date
    offset: int  # the due date that fires it is today + offset

    @property
    def code(self) -> str:
        return f"{self.stage}_{self.days}" if self.stage == Stage.DUE_SOON else self.stage


def triggers(policy: Policy) -> tuple[Trigger, ...]:
    """The stages of the policy, earliest first."""
    soon = sorted({days for days in policy.reminder_days_before if days > 0}, reverse=True)
    second = policy.escalate_to_second_evaluator_after_days
    hr = policy.escalate_to_hr_after_days
    return (
        *(Trigger(Stage.DUE_SOON, days, days) for days in soon),
        Trigger(Stage.DUE_TODAY, 0, 0),
        Trigger(Stage.OVERDUE, 1, -1),
        Trigger(Stage.ESCALATED_SECOND, second, -second),
        Trigger(Stage.ESCALATED_HR, hr, -hr),
    )


@dataclass
class ReminderRun:
    cycles: int = 0
    participations: int = 0  # participations with a step due on a trigger day
    notifications: int = 0  # new notifications (a second run of the day adds none)
    unreachable: int = 0  # reminders without anyone to receive them (no one, no login)


def send_reminders(*, today_by_org: Mapping[int, dt.date] | None = None) -> ReminderRun:
    """Create today's reminders for every open cycle.

    ``today_by_org`` (organisation id → date) replaces the clock, for replays; without
    it each organisation's today is the clock's date in the organisation's time zone.
    """
    run = ReminderRun()
    cycles = Cycle.objects.filter(state=CycleState.OPEN).select_related("organisation")
    for cycle in cycles.order_by("pk"):
        organisation = cycle.organisation
        today = (today_by_org or {}).get(organisation.pk) or today_for(organisation)
        run.cycles += 1
        _remind_cycle(cycle, policy_for(organisation), today, run)
    return run


def _remind_cycle(cycle: Cycle, policy: Policy, today: dt.date, run: ReminderRun) -> None:
    by_day: dict[dt.date, list[Trigger]] = defaultdict(list)
    for trigger in triggers(policy):
        by_day[today + dt.timedelta(days=trigger.offset)].append(trigger)
    days = sorted(by_day)
    due = Q(pk__in=[])
    for step in REMINDED_STEPS:
        due |= applies(step) & Q(
            **{f"{step.due_field}__in": days, f"{step.done_field}__isnull": True}
        )
    matching = (
        Participation.objects.filter(due, cycle=cycle)
        .select_related("person__unit")
        .order_by("pk")
    )
    last = 0
    while chunk := list(matching.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1].pk
        run.participations += len(chunk)
        roles = responsibles([p.person for p in chunk], on=today)
        run.notifications += notify_many(_reminders(chunk, roles, by_day, run, policy, today))


def _reminders(
    chunk: list[Participation],
    roles: dict[int, Responsibles],
    by_day: Mapping[dt.date, list[Trigger]],
    run: ReminderRun,
    policy: Policy,
    today: dt.date,
) -> Iterator[NewNotification]:
    for participation in chunk:
        person = participation.person
        who = roles[person.pk]
        url = reverse("person_timeline", kwargs={"pk": person.pk})
        for step in REMINDED_STEPS:
            due = step.due_on(participation)
            if due is None or due not in by_day or getattr(participation, str(step.done_field)):
                continue
            if step.due in EVALUATION_STEPS and (not participation.evaluation_required
                                                 or participation.lapsed_on is not None):
                continue
            acting = who.for_role(step.responsible)
            params: dict[str, Any] = {
                "person": person.full_name,
                "step": str(step.due),
                "due": due.isoformat(),
                "role": step.responsible,
                "preset": policy.preset,  # the regime's words name the role
                "responsible": ", ".join(p.full_name for p in acting),
            }
            waiting = not _may_act(step, participation, policy, today)
            for trigger in by_day[due]:
                if waiting and trigger.stage in ACTING_STAGES:
                    continue
                recipients = [
                    p for p in _recipients(trigger.stage, step, who, acting)
                    if p.user_id is not None
                ]
                if not recipients:
                    run.unreachable += 1
                for recipient in recipients:
                    assert recipient.user_id is not None
                    yield NewNotification(
                        recipient_id=recipient.user_id,
                        key=(f"reminder:{participation.pk}:{step.due}:{due.isoformat()}:"
                             f"{trigger.code}:{recipient.user_id}"),
                        kind=KIND_OF_STAGE[trigger.stage],
                        params={**params, "days": trigger.days},
                        url=url, about_id=person.user_id,
                        task=step_task(participation.pk, step.due),
                    )


# The stages that go to whoever must act; the escalations go to others.
ACTING_STAGES = frozenset({Stage.DUE_SOON, Stage.DUE_TODAY, Stage.OVERDUE})


def _may_act(step: Step, participation: Participation, policy: Policy, today: dt.date) -> bool:
    """Whether whoever must take ``step`` can take it today: the 2nd evaluator only from
    the day the hand-over rule starts their task; every other step at once."""
    if step.due != Due.SECOND_SIGNATURE:
        return True
    starts = deadlines.second_evaluator_task_starts(
        policy, year=participation.period_end.year,
        self_evaluation_submitted=participation.self_evaluation_submitted_on,
        first_report_submitted=participation.first_signed_on,
    )
    return starts is not None and starts <= today


def _recipients(
    stage: Stage, step: Step, who: Responsibles, acting: tuple[Person, ...]
) -> tuple[Person, ...]:
    if stage in (Stage.DUE_SOON, Stage.DUE_TODAY, Stage.OVERDUE):
        return acting
    if stage == Stage.ESCALATED_SECOND:
        if step.responsible in ("second_evaluator", "hr"):
            return ()  # their own step: HR is the next to hear of it
        acting_ids = {p.pk for p in acting}
        return tuple(p for p in who.for_role("second_evaluator") if p.pk not in acting_ids)
    return who.for_role("hr")


@periodic("reminders", every=Every.ROUND, order=10)
@task()
def send_reminders_task() -> dict[str, int]:
    """Today's reminders for every open cycle (safe to run again: nothing is sent twice)."""
    run = send_reminders()
    return {
        "cycles": run.cycles,
        "participations": run.participations,
        "notifications": run.notifications,
        "unreachable": run.unreachable,
    }
