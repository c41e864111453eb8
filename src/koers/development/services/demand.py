"""HR's side of the training demand: marking the actions asked of it as arranged.

An HR action's status is HR's alone and is not part of what employee and evaluator
signed (``content.py``), so arranging a registration never reopens a plan. The event
is recorded on the plan's chain, so the plan's history shows when HR acted.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.core.clock import today_for
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.development import permissions
from koers.development.models import HrAction
from koers.development.services.base import record
from koers.development.states import HR_ALLOWED, HrActionStatus


def hr_action_set_status(*, actor: Viewer, hr_action: HrAction, status: str,
                         note: str = "") -> HrAction:
    """Mark an HR action arranged (with an optional note, e.g. the course date), or back
    to requested when an arrangement fell through.

    Checklist: lock; the action belongs to a signed plan of someone in the actor's HR
    subtrees (else the same error as a missing one); the move is in ``HR_ALLOWED``;
    save with the day (organisation's calendar) and who; audit on the plan.
    """
    try:
        target = HrActionStatus(status)
    except ValueError:
        raise ValidationFailed(_("Unknown status.")) from None
    with transaction.atomic():
        locked = (
            permissions.hr_actions_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("item__plan__employee__unit", "item__plan__organisation")
            .filter(pk=hr_action.pk)
            .first()
        )
        if locked is None or not permissions.can_arrange(actor, locked):
            raise NotFoundOrForbidden(_("This action does not exist or is not yours to see."))
        source = HrActionStatus(locked.status)
        if target not in HR_ALLOWED[source]:
            raise ValidationFailed(_("This action is %(status)s already.")
                                   % {"status": source.label})
        plan = locked.item.plan
        locked.status = target
        if target == HrActionStatus.ARRANGED:
            locked.arranged_on = today_for(plan.organisation)
            locked.arranged_by = actor.user
            locked.arranged_note = note.strip()[:500]
        else:
            locked.arranged_on, locked.arranged_by, locked.arranged_note = None, None, ""
        locked.save(update_fields=["status", "arranged_on", "arranged_by", "arranged_note"])
        record(actor=actor.user,
               action="hr_action.arranged" if target == HrActionStatus.ARRANGED
               else "hr_action.reopened",
               target=plan, organisation_id=plan.organisation_id,
               changes={"hr_action": locked.pk, "status": [source.value, target.value],
                        **({"note": locked.arranged_note} if locked.arranged_note else {})})
    return locked


def hr_action_arrange(*, actor: Viewer, hr_action: HrAction, note: str = "") -> HrAction:
    """HR arranged what was asked (e.g. the registration for the course is done)."""
    return hr_action_set_status(actor=actor, hr_action=hr_action,
                                status=HrActionStatus.ARRANGED, note=note)
