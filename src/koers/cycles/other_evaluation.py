"""Top managers and mandate holders: HR records that a person is evaluated in other forms
than the annual evaluation, and the running cycles follow.

Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" (overheid.vlaanderen.be):
"Voor topkaderfuncties bestaan andere evaluatievormen." Only a policy with such forms
(``Policy.other_evaluation_forms``, the Flemish preset) takes the record; the cycle
computation reads it (``rulebook.eligibility.other_evaluation_exemption``), as it reads
what was recorded of someone leaving.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from koers.access.policy import Viewer, can_change_person
from koers.audit import services as audit
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles.services import participation_sync
from koers.organisation.models import OtherEvaluation, Person
from koers.rulebook.policy import policy_for

FIELDS = ("other_evaluation", "other_evaluation_reason", "other_evaluation_from")
REASON_LENGTH = 500


def offered(person: Person) -> bool:
    """Whether the person's policy has other evaluation forms (the pages offer the form)."""
    return policy_for(person.organisation).other_evaluation_forms


def person_other_evaluation_record(
    *,
    person: Person,
    function: str,
    reason: str,
    valid_from: dt.date | None,
    viewer: Viewer,
) -> Person:
    """Record that ``person`` is a top manager or mandate holder (``function``), why and
    from which day, or clear it (all three empty).

    Checklist: HR of the person's unit (``access.policy.can_change_person``), else the
    same refusal as for a missing person; a policy with other evaluation forms (the
    Flemish one), else a refusal that says so; the function, the reason and the day
    together, or none of them; a known function, a reason of at most 500 characters, a
    day not before the person's start date; lock the person; the same record again
    records nothing; store it and audit it in the person's history; recompute the
    person's participation in every running cycle (``participation_sync``), so that it
    is exempt with the function as its reason, or mandatory again once cleared. One
    transaction: a refused record changes nothing.
    """
    if not can_change_person(viewer, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    if not offered(person):
        raise ValidationFailed(_(
            "Only the Flemish government's policy evaluates top managers and mandate holders "
            "in other forms than the annual evaluation; in this organisation's policy they "
            "are evaluated in the cycle like everyone else."))
    function, reason = function.strip(), reason.strip()
    clearing = not function and not reason and valid_from is None
    if not clearing:
        errors: dict[str, list[str]] = {}
        if function not in OtherEvaluation.values:
            errors["function"] = [_("Choose top manager or mandate holder.")]
        if not reason:
            errors["reason"] = [_("Say why the person is evaluated in another form.")]
        elif len(reason) > REASON_LENGTH:
            errors["reason"] = [_("Keep the reason to %(count)d characters.")
                                % {"count": REASON_LENGTH}]
        if valid_from is None:
            errors["valid_from"] = [_("Give the day from which the person is evaluated in "
                                      "another form.")]
        elif valid_from < person.start_date:
            errors["valid_from"] = [_("The day cannot be before the person's start date, "
                                      "%(day)s.") % {"day": person.start_date.strftime("%d-%m-%Y")}]
        if errors:
            raise ValidationFailed(
                _("Give the function, why and from when, or leave all three empty to put "
                  "the person back in the annual evaluation."), errors)
    with transaction.atomic():
        locked = Person.objects.select_for_update(of=("self",)).select_related(
            "organisation").get(pk=person.pk)
        record = (function, reason, valid_from) if not clearing else ("", "", None)
        if record == tuple(getattr(locked, name) for name in FIELDS):
            return locked
        before = {name: getattr(locked, name) for name in FIELDS}
        locked.other_evaluation, locked.other_evaluation_reason, \
            locked.other_evaluation_from = record
        locked.save(update_fields=[*FIELDS, "updated_at"])
        audit.record(
            actor=viewer.user,
            action="person.other_evaluation_cleared" if clearing
            else "person.other_evaluation_recorded",
            target=locked,
            changes=audit.diff(before, {name: getattr(locked, name) for name in FIELDS}),
            organisation_id=locked.organisation_id,
        )
        participation_sync(person=locked, actor=viewer.user)
    return locked
