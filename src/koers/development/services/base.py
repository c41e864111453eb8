"""What the development services share: the result type, validation and the audit call."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from koers.audit import services as audit
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.goals.smart import Advice


@dataclass(frozen=True)
class Saved[T]:
    """What a write returns: the saved object, and what the user should read next to it.

    ``warnings`` are the rules that advise (never refuse), e.g. more than three
    competencies at priority 1; ``advice`` is the SMART check of a development goal.
    """

    obj: T
    warnings: Sequence[str] = field(default_factory=tuple)
    advice: Sequence[Advice] = field(default_factory=tuple)


def validate(instance: models.Model, *, exclude: Sequence[str] = ()) -> None:
    """Field validation with field messages; the constraints stay the database's."""
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        raise ValidationFailed(_("Please correct the errors below."),
                               error.message_dict) from error


def refuse(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field_name: [message]})


def check_fields(changes: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s")
                               % {"fields": ", ".join(sorted(unknown))})


def record(*, actor: User | None, action: str, target: models.Model, organisation_id: int,
           changes: Mapping[str, Any] | None = None) -> None:
    audit.record(actor=actor, action=action, target=target, changes=changes or {},
                 organisation_id=organisation_id)
