"""The organisation's training plan (opleidingsplan, GOP): HR adds, changes and removes it.

The same check as the catalogues: everyone of the organisation reads them, HR of the
whole organisation (``permissions.can_manage_catalogue``) changes them. Each write is one
transaction with its audit event; the reads are in ``development.training_plans``.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.development import permissions
from koers.development.models import Competency, TrainingPlan
from koers.development.services.base import check_fields, record, refuse, validate
from koers.organisation.models import Organisation

TEXT_FIELDS = ("title", "objectives", "document_url")
FIELDS = (*TEXT_FIELDS, "valid_from", "valid_until", "competencies")


def _may_manage(actor: Viewer, organisation: Organisation) -> None:
    if not permissions.can_read_catalogue(actor, organisation):
        raise NotFoundOrForbidden(_("This training plan does not exist or is not yours to "
                                    "see."))
    if not permissions.can_manage_catalogue(actor, organisation):
        raise ValidationFailed(_("Only HR of the whole organisation changes its training "
                                 "plans."))


def _chosen(organisation: Organisation, competencies: Sequence[Competency]) -> list[Competency]:
    if any(c.organisation_id != organisation.pk for c in competencies):
        raise refuse("competencies", _("Choose competencies of this organisation."))
    return list(dict.fromkeys(competencies))


def _check(plan: TrainingPlan) -> None:
    """The plan's own rules, with a message per field; then the fields' validation."""
    if not plan.title:
        raise refuse("title", _("Give the training plan a title."))
    if (isinstance(plan.valid_from, dt.date) and isinstance(plan.valid_until, dt.date)
            and plan.valid_until < plan.valid_from):
        raise refuse("valid_until", _("The plan cannot end before it starts: choose an end "
                                      "date on or after its start date."))
    validate(plan, exclude=["organisation", "competencies"])


def _codes(competencies: Sequence[Competency]) -> list[str]:
    return sorted(c.code for c in competencies)


def training_plan_create(
    *, actor: Viewer, organisation: Organisation, title: str, valid_from: dt.date,
    valid_until: dt.date, objectives: str = "", competencies: Sequence[Competency] = (),
    document_url: str = "",
) -> TrainingPlan:
    """A training plan of the organisation for the period ``valid_from``–``valid_until``.

    Checklist: HR of the whole organisation; a title; the period in order; competencies
    of this organisation's catalogue; one transaction with the audit event.
    """
    _may_manage(actor, organisation)
    chosen = _chosen(organisation, competencies)
    plan = TrainingPlan(organisation=organisation, title=title.strip(), valid_from=valid_from,
                        valid_until=valid_until, objectives=objectives.strip(),
                        document_url=document_url.strip())
    _check(plan)
    with transaction.atomic():
        plan.save()
        plan.competencies.set(chosen)
        record(actor=actor.user, action="training_plan.created", target=plan,
               organisation_id=organisation.pk,
               changes={"title": [None, plan.title],
                        "valid_from": [None, plan.valid_from.isoformat()],
                        "valid_until": [None, plan.valid_until.isoformat()],
                        "competencies": [[], _codes(chosen)]})
    return plan


def training_plan_change(*, actor: Viewer, plan: TrainingPlan,
                         changes: Mapping[str, Any]) -> TrainingPlan:
    """Change the fields named in ``changes`` (``competencies`` replaces the targeted
    competencies); refused when nothing changes."""
    check_fields(changes, FIELDS)
    organisation = plan.organisation
    _may_manage(actor, organisation)
    new: dict[str, Any] = {
        name: value.strip() if name in TEXT_FIELDS and isinstance(value, str) else value
        for name, value in changes.items() if name != "competencies"}
    chosen = _chosen(organisation, changes["competencies"]) \
        if "competencies" in changes else None
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        diff: dict[str, list[Any]] = {}
        for name, value in new.items():
            before = getattr(plan, name)
            if before != value:
                diff[name] = [before, value]
                setattr(plan, name, value)
        if chosen is not None:
            before_codes = _codes(list(plan.competencies.all()))
            if before_codes != _codes(chosen):
                diff["competencies"] = [before_codes, _codes(chosen)]
        if not diff:
            raise ValidationFailed(_("Nothing was changed."))
        _check(plan)
        fields = [name for name in diff if name != "competencies"]
        if fields:
            plan.save(update_fields=[*fields, "updated_at"])
        if "competencies" in diff:
            assert chosen is not None
            plan.competencies.set(chosen)
            if not fields:
                plan.save(update_fields=["updated_at"])
        record(actor=actor.user, action="training_plan.changed", target=plan,
               organisation_id=organisation.pk,
               changes={name: [v.isoformat() if isinstance(v, dt.date) else v
                               for v in values] for name, values in diff.items()})
    return plan


def training_plan_remove(*, actor: Viewer, plan: TrainingPlan) -> None:
    _may_manage(actor, plan.organisation)
    with transaction.atomic():
        record(actor=actor.user, action="training_plan.removed", target=plan,
               organisation_id=plan.organisation_id,
               changes={"title": plan.title, "valid_from": plan.valid_from.isoformat(),
                        "valid_until": plan.valid_until.isoformat()})
        plan.delete()
