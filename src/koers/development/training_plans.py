"""Reads of the organisation's training plans (opleidingsplan, GOP), each in two queries
whatever the number of plans: the plans, then their targeted competencies. The writes
are in ``services.training_plans``; who may read (everyone of the organisation) is the
catalogues' rule in ``permissions``."""

import datetime as dt

from django.db.models import Prefetch, QuerySet

from koers.development.models import Competency, TrainingPlan
from koers.organisation.models import Organisation


def _with_competencies(plans: QuerySet[TrainingPlan]) -> QuerySet[TrainingPlan]:
    return plans.prefetch_related(Prefetch(
        "competencies", queryset=Competency.objects.order_by("cluster__position", "position",
                                                             "pk")))


def training_plans_of(organisation: Organisation) -> list[TrainingPlan]:
    """All the organisation's plans, the latest period first."""
    return list(_with_competencies(
        TrainingPlan.objects.filter(organisation=organisation)
        .order_by("-valid_from", "title", "pk")))


def training_plans_in_force(organisation: Organisation, *, on: dt.date) -> list[TrainingPlan]:
    """The plans whose period holds ``on`` (both ends included), the earliest first."""
    return list(_with_competencies(
        TrainingPlan.objects.filter(organisation=organisation, valid_from__lte=on,
                                    valid_until__gte=on)
        .order_by("valid_from", "title", "pk")))


def training_plan(pk: int) -> TrainingPlan:
    """One plan with its competencies (after a write, for the answer)."""
    return _with_competencies(TrainingPlan.objects.filter(pk=pk)).get()


def in_force(plan: TrainingPlan, on: dt.date) -> bool:
    return plan.valid_from <= on <= plan.valid_until
