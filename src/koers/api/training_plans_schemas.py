"""Shapes of the organisation's training plans (opleidingsplan, GOP)."""

import datetime as dt

from ninja import Schema

from koers.api.common_schemas import Id, Input
from koers.api.development_schemas import Ref
from koers.api.pagination import PageOut
from koers.development.models import TrainingPlan


class TrainingPlanOut(Schema):
    id: int
    organisation_id: int
    title: str
    valid_from: dt.date
    valid_until: dt.date  # the last day it covers
    objectives: str  # the development objectives and actions for groups of staff
    competencies: list[Ref]  # the competencies it targets, in catalogue order
    document_url: str  # the full document, or ""
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, plan: TrainingPlan) -> "TrainingPlanOut":
        """``plan`` with its competencies prefetched."""
        return cls(id=plan.pk, organisation_id=plan.organisation_id, title=plan.title,
                   valid_from=plan.valid_from, valid_until=plan.valid_until,
                   objectives=plan.objectives,
                   competencies=[Ref(id=c.pk, code=c.code, name=c.name)
                                 for c in plan.competencies.all()],
                   document_url=plan.document_url, created_at=plan.created_at,
                   updated_at=plan.updated_at)


class TrainingPlanIn(Input):
    title: str
    valid_from: dt.date
    valid_until: dt.date
    objectives: str = ""
    competency_ids: list[Id] = []
    document_url: str = ""


class TrainingPlanPatch(Input):
    """The fields to change; ``competency_ids`` replaces the targeted competencies."""

    title: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    objectives: str | None = None
    competency_ids: list[Id] | None = None
    document_url: str | None = None


class TrainingPlanPageOut(PageOut):
    items: list[TrainingPlanOut]
