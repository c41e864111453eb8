"""Catalogues and development plans built through the services, as HR, the employee
and the 1st evaluator would."""

import datetime as dt
from typing import Any

from koers.development.models import (
    Competency,
    DevelopmentAction,
    DevelopmentPlan,
    PlanGoal,
    PlanItem,
)
from koers.development.rules import Priority, Source
from koers.development.services import catalogue, plans
from koers.organisation.models import Organisation, Person
from tests.factories.goals import viewer

SMART_GOAL = ("Een planning over 2 weken opstellen, met de taken gerangschikt volgens "
              "dringendheid en belang")


def seeded(organisation: Organisation) -> Organisation:
    catalogue.catalogue_seed(organisation=organisation)
    return organisation


def competency(organisation: Organisation, code: str) -> Competency:
    return Competency.objects.get(organisation=organisation, code=code)


def action(organisation: Organisation, code: str) -> DevelopmentAction:
    return DevelopmentAction.objects.get(organisation=organisation, code=code)


def draft(employee: Person, by: Person, **fields: Any) -> DevelopmentPlan:
    """A new plan of ``employee`` started by ``by``, its organisation's catalogue seeded."""
    seeded(employee.organisation)
    return plans.plan_create(actor=viewer(by), employee=employee, **fields)


def item(plan: DevelopmentPlan, by: Person, code: str, *, priority: int = Priority.URGENT,
         source: int = Source.CONVERSATIONS, goal: str | None = SMART_GOAL,
         term: dt.date | None = None) -> PlanItem:
    """A row for the competency ``code``, with one goal unless ``goal`` is None."""
    row = plans.plan_item_add(
        actor=viewer(by), plan=plan, competency=competency(plan.organisation, code),
        source=source, priority=priority,
        success_indicators="De planning ligt om de twee weken klaar.",
    ).obj
    if goal is not None:
        plans.plan_goal_add(actor=viewer(by), item=row, text=goal,
                            term=term or plan.period_end)
    return row


def signed(employee: Person, evaluator: Person, *codes: str) -> DevelopmentPlan:
    """A plan with a row per competency code, signed by both."""
    plan = draft(employee, evaluator)
    for code in codes or ("werk-structureren",):
        item(plan, evaluator, code)
    plans.plan_sign(actor=viewer(evaluator), plan=plan)
    plans.plan_sign(actor=viewer(employee), plan=plan)
    plan.refresh_from_db()
    return plan


def goals_of(plan: DevelopmentPlan) -> list[PlanGoal]:
    return list(PlanGoal.objects.filter(item__plan=plan).order_by("item__position", "position"))
