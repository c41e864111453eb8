"""Reminders of an improvement plan's steps, with escalation, each sent exactly once.

The steps: each follow-up conversation not held yet (by its ``due_on``) and the decision
of a running plan (from its last day, ``rules.decision_from``). They are reminded and
escalated like the cycle's steps (``cycles/reminders.py``, whose stages this reuses):
the 1st evaluator (else the 2nd) on the policy's ``reminder_days_before`` days, on the
day and the day after; the 2nd evaluator after ``escalate_to_second_evaluator_after_days``
and the nearest HR after ``escalate_to_hr_after_days`` overdue days. Escalations name the
person and the date only, never the plan's content.

The key names the step, its day, the stage and the recipient: a second run on the same
day creates nothing. ``koers improvement-reminders`` or the daily task runs it.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.tasks import task

from koers.core.clock import today_for
from koers.core.schedule import Every, periodic
from koers.cycles.notifications import Stage
from koers.cycles.reminders import Trigger, triggers
from koers.cycles.responsible import Responsibles, responsibles
from koers.improvement.models import FollowUp, ImprovementPlan
from koers.improvement.notifications import (
    DECISION,
    DUE_SOON,
    DUE_TODAY,
    ESCALATED,
    FOLLOW_UP,
    OVERDUE,
)
from koers.improvement.rules import decision_from
from koers.improvement.services import plan_task, plan_url
from koers.improvement.states import PlanStatus
from koers.notify.services import NewNotification, notify_many
from koers.organisation.models import Organisation, Person
from koers.rulebook.policy import policy_for

KIND = {Stage.DUE_SOON: DUE_SOON, Stage.DUE_TODAY: DUE_TODAY, Stage.OVERDUE: OVERDUE,
        Stage.ESCALATED_SECOND: ESCALATED, Stage.ESCALATED_HR: ESCALATED}


@dataclass
class ImprovementReminderRun:
    organisations: int = 0
    steps: int = 0  # follow-ups and decisions due on a trigger day
    notifications: int = 0  # new ones (a second run of the day adds none)
    unreachable: int = 0  # steps whose recipients have no login


def _recipients(stage: Stage, roles: Responsibles) -> list[Person]:
    line = roles.line
    if stage == Stage.ESCALATED_SECOND:
        return [line.second] if line.second is not None else []
    if stage == Stage.ESCALATED_HR:
        return list(roles.hr)
    first = line.first or line.second
    return [first] if first is not None else []


def _notifications(plan: ImprovementPlan, step: str, due: dt.date, ref: str,
                   fired: list[Trigger], roles: Responsibles,
                   run: ImprovementReminderRun) -> Iterator[NewNotification]:
    for trigger in fired:
        people = [p for p in _recipients(trigger.stage, roles) if p.user_id]
        if not people:
            run.unreachable += 1
        for person in people:
            assert person.user_id is not None
            yield NewNotification(
                recipient_id=person.user_id,
                key=f"improvement:{ref}:{due.isoformat()}:{trigger.code}:{person.user_id}",
                kind=KIND[trigger.stage],
                params={"employee": plan.employee.full_name, "due": due.isoformat(),
                        "days": trigger.days, "step": step},
                url=plan_url(plan), task=plan_task(plan, step))


def send_improvement_reminders(
    *, today_by_org: Mapping[int, dt.date] | None = None
) -> ImprovementReminderRun:
    """Today's reminders and escalations for every organisation with running plans: per
    organisation one query for the follow-ups, one for the decisions, three for the
    people who act (``responsibles``), two to insert the notifications."""
    run = ImprovementReminderRun()
    organisations = Organisation.objects.filter(
        improvement_plans__status=PlanStatus.RUNNING).distinct().order_by("pk")
    for organisation in organisations:
        run.organisations += 1
        today = (today_by_org or {}).get(organisation.pk) or today_for(organisation)
        by_day: dict[dt.date, list[Trigger]] = {}
        for trigger in triggers(policy_for(organisation)):
            by_day.setdefault(today + dt.timedelta(days=trigger.offset), []).append(trigger)
        follow_ups = list(FollowUp.objects.filter(
            plan__organisation=organisation, plan__status=PlanStatus.RUNNING,
            held_on__isnull=True, due_on__in=list(by_day))
            .select_related("plan__employee__unit").order_by("pk"))
        ends = list(ImprovementPlan.objects.filter(
            organisation=organisation, status=PlanStatus.RUNNING,
            period_end__in=list(by_day)).select_related("employee__unit").order_by("pk"))
        steps: list[tuple[ImprovementPlan, str, dt.date, str]] = [
            (f.plan, FOLLOW_UP, f.due_on, f"follow_up:{f.pk}") for f in follow_ups]
        steps += [(p, DECISION, decision_from(end=p.period_end), f"decision:{p.pk}")
                  for p in ends]
        run.steps += len(steps)
        roles = responsibles(list({p.employee.pk: p.employee for p, *_ in steps}.values()),
                             on=today)
        notifications = [
            n for plan, step, due, ref in steps
            for n in _notifications(plan, step, due, ref, by_day[due],
                                    roles[plan.employee_id], run)]
        run.notifications += notify_many(notifications)
    return run


@periodic("Improvement plan reminders", every=Every.DAY)
@task()
def send_improvement_reminders_task() -> dict[str, int]:
    """Today's improvement plan reminders (safe to run again: nothing is sent twice)."""
    run = send_improvement_reminders()
    return {"organisations": run.organisations, "steps": run.steps,
            "notifications": run.notifications, "unreachable": run.unreachable}
