"""Retention in the evaluations room: the evaluations of leavers, and evaluations that
ended (completed, closed unsigned or cancelled) and were not changed since before the
cutoff, go with their self-evaluation, report versions, items, signatures and
objections (access/retention.py runs it). An evaluation that a record of another room
still protects (an appeal, a salary decision) stays until that record goes.

Signatures and signed versions are guarded by database triggers (migrations 0003 to
0005): on PostgreSQL a delete passes only while the transaction has set
``koers.retention_erasure``, which this eraser sets around its own deletes only, and only
for a database role that is a member of ``koers_erasure`` (the worker's in production,
never the web app's: ``docs/operations.md``, "Database roles"). Run as another role, the
eraser keeps the evaluations and says so in its counts and the log.
"""

import datetime as dt
import logging

from django.db import models
from django.db.models import Q

from koers.access.personal_data import Erasure, ErasurePlan, register_eraser
from koers.audit.services import chain_for
from koers.core.erasure import ERASURE_ROLE, may_erase_signed_records, signed_rows_erasable
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    Objection,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.states import FINAL_GROUP

logger = logging.getLogger(__name__)

# The records an evaluation is made of, by their path from it. They go with it, so they
# keep it from nothing (a signature protects its version, an objection its evaluation).
PARTS: dict[type[models.Model], str] = {
    Evaluation: "pk",
    SelfEvaluationItem: "self_items",
    EvaluationReport: "reports",
    ReportItem: "reports__items",
    Signature: "reports__signatures",
    Objection: "objections",
}


@register_eraser("evaluations", order=50)
def erase_evaluations(plan: ErasurePlan) -> Erasure:
    erasure = Erasure()
    cutoff = dt.datetime.combine(plan.cutoff, dt.time.min, tzinfo=dt.UTC)
    evaluations = Evaluation.objects.filter(
        Q(person__in=plan.leaver_ids)
        | Q(person__organisation=plan.organisation, state__in=FINAL_GROUP,
            updated_at__lt=cutoff))
    erasable = unprotected(evaluations)
    pks = list(erasable.values_list("pk", flat=True))
    erasure.add("evaluations", len(pks))
    kept = evaluations.count() - len(pks)
    if kept:
        erasure.add("evaluations_kept", kept)
    if pks and not plan.dry_run and not may_erase_signed_records():
        logger.warning("retention: the database role may not erase signed records "
                       "(not a member of %s); %d evaluations kept", ERASURE_ROLE, len(pks))
        erasure.counts["evaluations"] -= len(pks)
        erasure.add("evaluations_kept_without_erasure_role", len(pks))
        return erasure
    erasure.chains += [chain_for(Evaluation, pk) for pk in pks]
    if pks and not plan.dry_run:
        chosen = erasable.values("pk")  # a subquery: any number of evaluations
        with signed_rows_erasable():
            # Signatures protect their versions, objections their evaluation: first.
            Signature.objects.filter(report__evaluation__in=chosen).delete()
            Objection.objects.filter(evaluation__in=chosen).delete()
            Evaluation.objects.filter(pk__in=chosen).delete()
    return erasure


def unprotected(evaluations: models.QuerySet[Evaluation]) -> models.QuerySet[Evaluation]:
    """``evaluations`` without those a record outside them protects (``on_delete=PROTECT``
    on the evaluation or one of its parts): they go in a later run, once the room holding
    that record erased it."""
    for model, path in PARTS.items():
        for relation in model._meta.get_fields(include_hidden=True):
            if (not isinstance(relation, models.ForeignObjectRel)
                    or relation.on_delete is not models.PROTECT
                    or relation.related_model in PARTS):
                continue
            column = relation.field.attname
            protected = relation.related_model._default_manager.filter(
                **{f"{column}__isnull": False}).values(column)
            evaluations = evaluations.exclude(**{f"{path}__in": protected})
    return evaluations
