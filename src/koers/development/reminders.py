"""Reminders of a plan's next follow-up conversation, each sent exactly once.

The POP guide, Stap 3: follow the plan up every 3 to 6 months. A signed plan carries the
latest day of its next follow-up (``DevelopmentPlan.follow_up_due``, set when a
conversation round is sealed). The employee and the 1st evaluator are reminded on the
policy's ``reminder_days_before`` days, on the day itself and the day after, in the
organisation's own calendar, as the cycle's reminders are (``cycles/reminders.py``).
A plan with an open round is being followed up already and is not reminded.

The cycle's participations hold no POP field (the cycles room cannot know this room),
so these reminders run as their own job: ``koers pop-reminders`` or the task
``send_follow_up_reminders_task`` next to ``koers reminders``. The notification key
names the plan, the due date, the stage and the recipient: a second run on the same day
creates nothing, and a plan followed up and due again is reminded afresh.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.tasks import task

from koers.core.clock import today_for
from koers.core.schedule import Every, periodic
from koers.development.models import DevelopmentPlan
from koers.development.notifications import (
    FOLLOW_UP_DUE_SOON,
    FOLLOW_UP_DUE_TODAY,
    FOLLOW_UP_OVERDUE,
)
from koers.development.services.plans import FOLLOW_UP, plan_task, plan_url
from koers.development.states import PlanStatus
from koers.notify.services import NewNotification, notify_many
from koers.organisation.evaluators import evaluator_lines
from koers.organisation.models import Organisation
from koers.rulebook.policy import policy_for


@dataclass(frozen=True)
class Stage:
    code: str
    kind: str
    days: int  # before (due soon) or after (overdue) the due date
    offset: int  # the due date that fires it is today + offset


def stages(reminder_days_before: tuple[int, ...]) -> tuple[Stage, ...]:
    soon = sorted({days for days in reminder_days_before if days > 0}, reverse=True)
    return (
        *(Stage(f"due_soon_{days}", FOLLOW_UP_DUE_SOON, days, days) for days in soon),
        Stage("due_today", FOLLOW_UP_DUE_TODAY, 0, 0),
        Stage("overdue", FOLLOW_UP_OVERDUE, 1, -1),
    )


@dataclass
class FollowUpReminderRun:
    organisations: int = 0
    plans: int = 0  # plans due on a trigger day
    notifications: int = 0  # new ones (a second run of the day adds none)
    unreachable: int = 0  # plans whose employee and evaluator have no login


def send_follow_up_reminders(
    *, today_by_org: Mapping[int, dt.date] | None = None
) -> FollowUpReminderRun:
    """Today's follow-up reminders for every organisation with signed plans.

    Per organisation: one query for the plans due on a trigger day, one set of queries
    for their evaluators (``evaluator_lines``), two to insert the notifications.
    """
    run = FollowUpReminderRun()
    organisations = Organisation.objects.filter(
        development_plans__status=PlanStatus.SIGNED,
        development_plans__follow_up_due__isnull=False,
    ).distinct().order_by("pk")
    for organisation in organisations:
        run.organisations += 1
        today = (today_by_org or {}).get(organisation.pk) or today_for(organisation)
        by_day: dict[dt.date, list[Stage]] = {}
        for stage in stages(policy_for(organisation).reminder_days_before):
            by_day.setdefault(today + dt.timedelta(days=stage.offset), []).append(stage)
        plans = list(
            DevelopmentPlan.objects.filter(organisation=organisation,
                                           status=PlanStatus.SIGNED,
                                           follow_up_due__in=list(by_day))
            .select_related("employee").order_by("pk")
        )
        run.plans += len(plans)
        lines = evaluator_lines([plan.employee for plan in plans], on=today)
        notifications = []
        for plan in plans:
            assert plan.follow_up_due is not None
            employee = plan.employee
            first = lines[employee.pk].first
            recipients = [p for p in (employee, first) if p is not None and p.user_id]
            if not recipients:
                run.unreachable += 1
            for stage in by_day[plan.follow_up_due]:
                for person in recipients:
                    assert person.user_id is not None
                    notifications.append(NewNotification(
                        recipient_id=person.user_id,
                        key=(f"pop_follow_up:{plan.pk}:{plan.follow_up_due.isoformat()}:"
                             f"{stage.code}:{person.user_id}"),
                        kind=stage.kind,
                        params={"employee": employee.full_name,
                                "due": plan.follow_up_due.isoformat(), "days": stage.days},
                        url=plan_url(plan), task=plan_task(plan, FOLLOW_UP),
                        about_id=employee.user_id,
                    ))
        run.notifications += notify_many(notifications)
    return run


@periodic("POP follow-up reminders", every=Every.DAY)
@task()
def send_follow_up_reminders_task() -> dict[str, int]:
    """Today's POP follow-up reminders (safe to run again: nothing is sent twice)."""
    run = send_follow_up_reminders()
    return {"organisations": run.organisations, "plans": run.plans,
            "notifications": run.notifications, "unreachable": run.unreachable}
