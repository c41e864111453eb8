"""Improvement plans in their states, through the services."""

import datetime as dt

from koers.core import clock
from koers.improvement import services
from koers.improvement.models import ImprovementPlan
from koers.organisation.models import Person
from tests.factories.goals import viewer

GOALS = (services.NewGoal("Pay questions answered within 2 working days",
                          "90 % of the tickets of the month within 2 working days"),
         services.NewGoal("Payroll files checked before the 20th",
                          "No file handed in after the 20th"))


def moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)


def draft(employee: Person, evaluator: Person, *, start: dt.date = dt.date(2026, 1, 5),
          end: dt.date = dt.date(2026, 4, 4), **fields: object) -> ImprovementPlan:
    values: dict[str, object] = {
        "grounds": "Pay questions stay open for weeks (follow-up of 12 November).",
        "goals": GOALS, "support": "Coaching by the team's senior, the payroll course.",
        "period_start": start, "period_end": end, **fields}
    with clock.frozen(moment(start)):
        return services.plan_start(actor=viewer(evaluator), employee=employee,
                                   **values)  # type: ignore[arg-type]


def running(employee: Person, evaluator: Person, **fields: object) -> ImprovementPlan:
    plan = draft(employee, evaluator, **fields)
    with clock.frozen(moment(plan.period_start)):
        services.plan_sign(actor=viewer(evaluator), plan=plan)
        services.plan_sign(actor=viewer(employee), plan=plan)
    plan.refresh_from_db()
    return plan


def hold_all(plan: ImprovementPlan, evaluator: Person) -> None:
    """Record every follow-up on its due day, with progress on every goal."""
    goals = list(plan.goals.all())
    for follow_up in plan.follow_ups.order_by("number"):
        with clock.frozen(moment(follow_up.due_on)):
            services.follow_up_record(
                actor=viewer(evaluator), follow_up=follow_up, held_on=follow_up.due_on,
                progress={g.pk: f"Month {follow_up.number}: on track" for g in goals},
                actions="Keep the daily queue review.")
