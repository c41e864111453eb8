"""Factories that build through the services, so tests see what users would create.

A person is built without the running cycles following (``unannounced``): tests
arrange the participations they need themselves (``participations``,
``bulk_participations``), and the tests of the cycles' following go through the
services and pages that HR uses.
"""

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from koers.access.mfa import MFA_ROLES
from koers.core.models import User
from koers.organisation import services
from koers.organisation.changes import unannounced
from koers.organisation.models import (
    EmploymentStatus,
    Organisation,
    Person,
    PolicyPreset,
    Role,
    RoleGrant,
    Unit,
)

_seq = itertools.count(1)


def organisation(name: str | None = None, preset: str = PolicyPreset.FLEMISH) -> Organisation:
    n = next(_seq)
    name = name or f"Organisation {n}"
    return Organisation.objects.create(name=name, slug=f"org-{n}", policy_preset=preset)


def unit(
    org: Organisation,
    parent: Unit | None = None,
    *,
    name: str | None = None,
    manager: Person | None = None,
) -> Unit:
    n = next(_seq)
    return services.unit_create(
        organisation=org, code=f"U{n}", name=name or f"Unit {n}", parent=parent, manager=manager
    )


def person(
    unit: Unit,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    with_user: bool = False,
    manages: Unit | None = None,
    **extra: Any,
) -> Person:
    n = next(_seq)
    fields: dict[str, Any] = {
        "employee_number": f"E{n:06d}",
        "first_name": first_name or f"First{n}",
        "last_name": last_name or f"Last{n}",
        "email": f"person{n}@example.test",
        "language": "nl",
        "unit": unit,
        "job_title": "Adviser",
        "grade": "A1",
        "rank": "",
        "start_date": dt.date(2020, 1, 6),
        "end_date": None,
        "working_time_fraction": Decimal("1.000"),
        "employment_status": EmploymentStatus.STATUTORY,
        "probation_end_date": None,
    }
    salary_system = extra.pop("salary_system", None)
    fields.update(extra)
    with unannounced():
        result = services.person_save(
            organisation=unit.organisation, salary_system=salary_system, **fields
        )
    if with_user:
        result.user = User.objects.create_user(email=result.email, password="demo")
        result.save(update_fields=["user"])
    if manages is not None:
        with unannounced():
            services.unit_update(unit=manages, code=manages.code, name=manages.name,
                                 parent=manages.parent, manager=result)
    return result


def totp(user: User) -> Authenticator:
    """The user sets up an authenticator app (TOTP), as they do on the set-up page."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, generate_totp_secret()).instance


def superuser(email: str, password: str) -> User:
    """An administrator of the installation, with the authenticator a superuser must
    have set up (``access.mfa``)."""
    made = User.objects.create_superuser(email=email, password=password)
    totp(made)
    return made


def grant(who: Person, role: Role, unit: Unit | None = None, *,
          with_totp: bool = True) -> RoleGrant:
    """A role for ``who``. A role that requires two-factor sign-in (``access.mfa``) comes
    with the authenticator its holder set up, as in production they must before Koers
    shows them anything; ``with_totp=False`` builds one who has not yet."""
    made = RoleGrant.objects.create(
        organisation=who.organisation,
        person=who,
        role=role,
        unit=unit,
        valid_from=dt.date(2000, 1, 1),
    )
    if with_totp and role in MFA_ROLES and who.user is not None:
        totp(who.user)
    return made
