"""Preparing the POP conversation: the self-scan and the three preparation forms.

Each form is private to its author while it is a draft; sharing hands it over to its
readers (``permissions``) and makes it read-only, so what the other side prepared
with cannot change under them. A new preparation can always be started.

The audit trail records which fields changed, not their text: a preparation is
private, and the history of a record is read by more people than its author.
"""

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access import security
from koers.access.policy import Viewer
from koers.core import clock
from koers.core.errors import EditConflict, NotFoundOrForbidden, RecordClosed, ValidationFailed
from koers.development import permissions
from koers.development.models import (
    Competency,
    DepartmentPreparation,
    EmployeePreparation,
    ManagerPreparation,
    SelfScan,
)
from koers.development.notifications import PREPARATION_SHARED
from koers.development.services.base import check_fields, record, refuse
from koers.notify.services import NewNotification, notify_many
from koers.organisation import evaluators
from koers.organisation.models import Person, Unit
from koers.rulebook.terms import terms_for

SELF_SCAN_FIELDS = ("who_am_i", "energy", "what_do_i_want", "what_can_i_do",
                    "acquired_elsewhere", "next_step")
EMPLOYEE_FIELDS = ("strengths", "ambitions", "ambitions_why", "competencies_to_develop",
                   "preferred_functions", "change_term", "desired_training",
                   "desired_training_why", "self_investment")
DEPARTMENT_FIELDS = ("staffing", "strengths", "weaknesses", "opportunities", "threats")
MANAGER_FIELDS = ("overall_impression", "investments_to_maintain", "growth_possibilities",
                  "career_possibilities", "change_term", "change_term_reason",
                  "investments_for_target", "other_remarks")

# How the self-scan feeds the employee's preparation: scan answers, in this order, make
# the first draft of a preparation question (Heemstede's development scan asks "who am
# I, what do I want, what can I do"; POP opmaken's tips add talents and competencies
# acquired elsewhere).
type Preparation = EmployeePreparation | DepartmentPreparation | ManagerPreparation

FROM_SELF_SCAN: dict[str, tuple[str, ...]] = {
    "strengths": ("who_am_i", "energy"),
    "ambitions": ("what_do_i_want",),
    "competencies_to_develop": ("what_can_i_do", "acquired_elsewhere"),
    "self_investment": ("next_step",),
}


def _me(actor: Viewer) -> Person:
    if actor.person is None:
        raise NotFoundOrForbidden(_("Only staff of an organisation prepare a conversation."))
    return actor.person


def _texts(changes: Mapping[str, Any], allowed: Sequence[str]) -> dict[str, str]:
    check_fields(changes, allowed)
    return {name: str(value or "").strip() for name, value in changes.items()}


def _set_texts(instance: Any, texts: Mapping[str, str]) -> list[str]:
    changed = [name for name, value in texts.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, texts[name])
    return changed


def _check_competencies(person: Person, competencies: Sequence[Competency] | None) -> None:
    if competencies is not None and any(
        c.organisation_id != person.organisation_id for c in competencies
    ):
        raise refuse("competencies", _("Choose competencies of this organisation."))


def _still_draft(preparation: Preparation) -> None:
    if preparation.shared_at is not None:
        raise RecordClosed(_("This preparation is shared and can no longer change. "
                             "Start a new one if needed."), record=preparation)


# Self-scan ----------------------------------------------------------------------------


def self_scan_save(*, actor: Viewer, changes: Mapping[str, Any]) -> SelfScan:
    """The actor's own self-scan, created on the first save."""
    me = _me(actor)
    texts = _texts(changes, SELF_SCAN_FIELDS)
    with transaction.atomic():
        scan, _created = SelfScan.objects.select_for_update().get_or_create(employee=me)
        changed = _set_texts(scan, texts)
        if changed:
            scan.save(update_fields=[*changed, "updated_at"])
            record(actor=actor.user, action="self_scan.saved", target=scan,
                   organisation_id=me.organisation_id, changes={"fields": changed})
    return scan


# The employee's preparation -----------------------------------------------------------


def employee_preparation_start(*, actor: Viewer, from_self_scan: bool = True,
                               competencies: Sequence[Competency] = ()) -> EmployeePreparation:
    """A new draft preparation of the actor's own, pre-filled from their self-scan."""
    me = _me(actor)
    _check_competencies(me, competencies)
    preparation = EmployeePreparation(employee=me)
    scan = SelfScan.objects.filter(employee=me).first() if from_self_scan else None
    if scan is not None:
        for name, sources in FROM_SELF_SCAN.items():
            parts = [getattr(scan, source) for source in sources if getattr(scan, source)]
            setattr(preparation, name, "\n\n".join(parts))
    with transaction.atomic():
        preparation.save()
        preparation.competencies.set(competencies)
        record(actor=actor.user, action="pop_preparation.created", target=preparation,
               organisation_id=me.organisation_id,
               changes={"from_self_scan": scan is not None})
    return preparation


def employee_preparation_save(
    *, actor: Viewer, preparation: EmployeePreparation, changes: Mapping[str, Any],
    competencies: Sequence[Competency] | None = None, expected_revision: int | None = None,
) -> EmployeePreparation:
    return _save(actor, preparation, owner="employee", fields=EMPLOYEE_FIELDS,
                 changes=changes, competencies=competencies,
                 expected_revision=expected_revision)


def employee_preparation_share(*, actor: Viewer,
                               preparation: EmployeePreparation) -> EmployeePreparation:
    """Hand the preparation to the employee's evaluators; it is read-only from now on."""
    return _share(actor, preparation, owner="employee", about="employee")


# The manager's preparations -----------------------------------------------------------


def department_preparation_start(*, actor: Viewer, unit: Unit) -> DepartmentPreparation:
    """A new draft of the general preparation for a unit the actor manages."""
    me = _me(actor)
    if not permissions.can_prepare_department(actor, unit):
        raise ValidationFailed(_("Only the manager of the unit prepares its general view."))
    with transaction.atomic():
        preparation = DepartmentPreparation.objects.create(author=me, unit=unit)
        record(actor=actor.user, action="pop_preparation.created", target=preparation,
               organisation_id=me.organisation_id)
    return preparation


def department_preparation_save(*, actor: Viewer, preparation: DepartmentPreparation,
                                changes: Mapping[str, Any],
                                expected_revision: int | None = None) -> DepartmentPreparation:
    return _save(actor, preparation, owner="author", fields=DEPARTMENT_FIELDS,
                 changes=changes, expected_revision=expected_revision)


def department_preparation_share(*, actor: Viewer,
                                 preparation: DepartmentPreparation) -> DepartmentPreparation:
    """Hand the general view to the manager's own evaluators; read-only from now on."""
    return _share(actor, preparation, owner="author", about=None)


def manager_preparation_start(
    *, actor: Viewer, employee: Person, department_view: DepartmentPreparation | None = None,
    competencies: Sequence[Competency] = (),
) -> ManagerPreparation:
    """A new draft of the 1st evaluator's preparation about ``employee``."""
    me = _me(actor)
    if not permissions.can_prepare_for(actor, employee):
        raise ValidationFailed(_("Only the %(first)s prepares the conversation about an "
                                 "employee.") % {
            "first": terms_for(employee.organisation.policy_preset).first_evaluator})
    if department_view is not None and department_view.author_id != me.pk:
        raise refuse("department_view", _("Choose a general preparation of your own."))
    _check_competencies(employee, competencies)
    with transaction.atomic():
        preparation = ManagerPreparation.objects.create(
            author=me, employee=employee, department_view=department_view)
        preparation.competencies.set(competencies)
        record(actor=actor.user, action="pop_preparation.created", target=preparation,
               organisation_id=employee.organisation_id)
    return preparation


def manager_preparation_save(
    *, actor: Viewer, preparation: ManagerPreparation, changes: Mapping[str, Any],
    competencies: Sequence[Competency] | None = None, expected_revision: int | None = None,
) -> ManagerPreparation:
    return _save(actor, preparation, owner="author", fields=MANAGER_FIELDS,
                 changes=changes, competencies=competencies,
                 expected_revision=expected_revision)


def manager_preparation_share(*, actor: Viewer,
                              preparation: ManagerPreparation) -> ManagerPreparation:
    """Hand the preparation to the employee (and their other evaluator); read-only."""
    return _share(actor, preparation, owner="author", about="employee")


# What the three forms share -----------------------------------------------------------


def _own[P: Preparation](actor: Viewer, preparation: P, owner: str) -> Person:
    """The actor, if they wrote ``preparation`` (its ``owner`` field names the author)."""
    me = _me(actor)
    if getattr(preparation, f"{owner}_id") != me.pk:
        raise NotFoundOrForbidden(_("This preparation does not exist or is not yours to see."))
    return me


def preparation_current(preparation: Preparation, fields: Sequence[str]) -> dict[str, Any]:
    """What is saved now of a preparation's texts (and competencies, by id), for an
    author who met a newer save."""
    current: dict[str, Any] = {name: getattr(preparation, name) for name in fields}
    if not isinstance(preparation, DepartmentPreparation):
        current["competencies"] = sorted(c.pk for c in preparation.competencies.all())
    return current


@security.records_closed_writes
def _save[P: Preparation](actor: Viewer, preparation: P, *, owner: str,
                          fields: Sequence[str], changes: Mapping[str, Any],
                          competencies: Sequence[Competency] | None = None,
                          expected_revision: int | None = None) -> P:
    """Save the author's draft: the texts of ``fields`` and, if given, the competencies.

    ``expected_revision`` is the revision the author started from (the pages and the API
    always give it): if the draft was saved since (another tab), nothing is saved and
    ``EditConflict`` carries what is saved now.
    """
    texts = _texts(changes, fields)
    me = _own(actor, preparation, owner)
    _check_competencies(me, competencies)
    with transaction.atomic():
        preparation = cast(P, type(preparation).objects.select_for_update().get(pk=preparation.pk))
        _still_draft(preparation)
        if expected_revision is not None and expected_revision != preparation.revision:
            raise EditConflict(
                _("This preparation was saved elsewhere since you opened it: nothing of "
                  "yours was saved."), current=preparation_current(preparation, fields),
                revision=preparation.revision)
        changed = _set_texts(preparation, texts)
        preparation.revision += 1
        preparation.save(update_fields=[*changed, "revision", "updated_at"])
        if competencies is not None:
            preparation.competencies.set(competencies)  # type: ignore[union-attr]
            changed.append("competencies")
        record(actor=actor.user, action="pop_preparation.changed", target=preparation,
               organisation_id=me.organisation_id, changes={"fields": changed})
    return preparation


@security.records_closed_writes
def _share[P: Preparation](actor: Viewer, preparation: P, *, owner: str,
                           about: str | None) -> P:
    """Make the draft read-only and tell its readers: the person it is ``about`` (a
    field, or none for a unit's general view) and that person's evaluators, or the
    author's own evaluators for a general view; never the author."""
    me = _own(actor, preparation, owner)
    with transaction.atomic():
        preparation = cast(P, type(preparation).objects.select_for_update().get(pk=preparation.pk))
        _still_draft(preparation)
        preparation.shared_at = clock.now()
        preparation.revision += 1
        preparation.save(update_fields=["shared_at", "revision", "updated_at"])
        record(actor=actor.user, action="pop_preparation.shared", target=preparation,
               organisation_id=me.organisation_id)
        subject: Person | None = getattr(preparation, about) if about else None
        line = evaluators.evaluator_line(subject or me, on=actor.on)
        readers = [p for p in (subject, line.first, line.second)
                   if p is not None and p.pk != me.pk]
        _tell_later(preparation, author=me, about=subject, readers=readers)
    return preparation


def _tell_later(preparation: Preparation, *, author: Person, about: Person | None,
                readers: Sequence[Person]) -> None:
    """Tell the readers once the sharing is committed (one notification each, ever)."""
    url = reverse("development_preparations")
    label = preparation._meta.model_name
    notifications = [
        NewNotification(
            recipient_id=reader.user_id,
            key=f"preparation_shared:{label}:{preparation.pk}:{reader.user_id}",
            kind=PREPARATION_SHARED,
            params={"author": author.full_name,
                    "about": about.full_name if about is not None else ""},
            url=url,
        )
        for reader in readers
        if reader.user_id is not None
    ]
    notify_many(notifications)
