"""The access policy: the one place that answers "may this user see / change this?".

Every view (and later the API) asks here; each question has an object half
(``can_*``) and a list half (``*_visible_to``) so list pages never filter in Python.

What the foundation decides:
- a person sees their own record;
- an evaluator sees the people they evaluate as 1st or 2nd evaluator;
- HR sees and manages the structure and employment facts of the units it holds a
  grant for (with their subtrees) — not the content of goals and evaluations, which
  later rooms guard with their own questions;
- a superuser sees and manages everything (Django admin).
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet

from koers.access import security
from koers.access.models import AccessRequest, RefusalKind, RequestStatus, Scope
from koers.core import clock
from koers.core.models import User
from koers.organisation import evaluators
from koers.organisation.models import Organisation, Person, Role, RoleGrant, Unit
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import HrContentAccess
from koers.rulebook.terms import Terms, terms_for


@dataclass
class Viewer:
    """The acting user with what the policy needs, loaded once per request."""

    user: User
    person: Person | None
    grants: list[RoleGrant]
    on: dt.date = field(default_factory=clock.today)
    # Where the request came from, for the security log; "" outside a request.
    ip: str = ""
    # Whether the user has set up a TOTP authenticator (the two-factor rule,
    # ``access.mfa``), read with the person in the same query; None: not read.
    has_totp: bool | None = None
    # Whether the person is anyone's 1st / 2nd evaluator on ``on``, read with the person
    # in the same query, for the menu (``web.page.menu``); None: not read. The sets
    # themselves are ``team_ids`` and ``second_line_ids``, one query each when asked.
    leads_team: bool | None = None
    evaluates_second_line: bool | None = None
    # The employer sign-in (its provider id) that signed this session in, "" for a
    # password, a token or outside a request: the two-factor rule may count it
    # (``access.mfa``).
    signed_in_through: str = ""

    @classmethod
    def of(cls, user: User, *, on: dt.date | None = None, ip: str = "",
           signed_in_through: str = "") -> "Viewer":
        day = on or clock.today()
        person = (
            Person.objects.select_related("unit", "organisation").filter(user=user)
            .annotate(user_has_totp=Exists(Authenticator.objects.filter(
                user_id=OuterRef("user_id"), type=Authenticator.Type.TOTP)),
                      first_evaluator_of_someone=evaluators.evaluates_any(
                          first=True, on=day),
                      second_evaluator_of_someone=evaluators.evaluates_any(
                          first=False, on=day))
            .first()
            if user.is_authenticated
            else None
        )
        grants = (
            list(
                RoleGrant.objects.filter(person=person, valid_from__lte=day)
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
                .select_related("unit")
            )
            if person is not None
            else []
        )
        return cls(
            user=user, person=person, grants=grants, on=day, ip=ip,
            signed_in_through=signed_in_through,
            has_totp=bool(getattr(person, "user_has_totp", False)) if person else None,
            leads_team=bool(getattr(person, "first_evaluator_of_someone", False))
            if person else None,
            evaluates_second_line=bool(getattr(person, "second_evaluator_of_someone", False))
            if person else None,
        )

    @property
    def is_superuser(self) -> bool:
        return bool(self.user.is_superuser)

    def units_with_role(self, role: Role) -> list[Unit]:
        return [g.unit for g in self.grants if g.role == role and g.unit is not None]

    def has_role(self, role: Role) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def terms(self) -> Terms:
        """The words of the viewer's regime (``rulebook.terms``); the organisation is read
        with the person, so this adds no query. A viewer of no organisation (a
        superuser) gets the default words."""
        person = self.person
        return terms_for(person.organisation.policy_preset if person is not None else None)

    @cached_property
    def team_ids(self) -> set[int]:
        """People this viewer evaluates as 1st evaluator."""
        if self.person is None:
            return set()
        return evaluators.team_member_ids(self.person, on=self.on)

    @cached_property
    def second_line_ids(self) -> set[int]:
        """People this viewer evaluates as 2nd evaluator."""
        if self.person is None:
            return set()
        return evaluators.second_line_member_ids(self.person, on=self.on)


def _subtree_filter(units: list[Unit], prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(**{f"{prefix}path__startswith": unit.path})
    return condition


# People -------------------------------------------------------------------------


def people_visible_to(viewer: Viewer) -> QuerySet[Person]:
    if viewer.is_superuser:
        return Person.objects.all()
    condition = Q(pk__in=[])
    if viewer.person is not None:
        condition |= Q(pk=viewer.person.pk)
        condition |= Q(pk__in=viewer.team_ids | viewer.second_line_ids)
    hr_units = viewer.units_with_role(Role.HR)
    if hr_units:
        condition |= _subtree_filter(hr_units, prefix="unit__")
    return Person.objects.filter(condition)


def hr_scope(viewer: Viewer, *, prefix: str = "") -> Q | None:
    """The units where the viewer holds the HR role, as a filter on ``prefix`` + unit
    (``None`` without one); a superuser holds no role and gets ``None`` too."""
    hr_units = viewer.units_with_role(Role.HR)
    return _subtree_filter(hr_units, prefix=prefix) if hr_units else None


def is_hr_for(viewer: Viewer, person: Person) -> bool:
    """Whether the viewer holds the HR role over ``person``'s unit (loaded with it)."""
    return _is_hr_for_unit(viewer, person.unit)


def can_view_person(viewer: Viewer, person: Person) -> bool:
    if viewer.is_superuser:
        return True
    if viewer.person is not None and (
        person.pk == viewer.person.pk
        or person.pk in viewer.team_ids
        or person.pk in viewer.second_line_ids
    ):
        return True
    return _is_hr_for_unit(viewer, person.unit)


def can_change_person(viewer: Viewer, person: Person) -> bool:
    """Employment facts are HR's to change (the employee reads them)."""
    return viewer.is_superuser or _is_hr_for_unit(viewer, person.unit)


# Structure ----------------------------------------------------------------------


def _is_hr_for_unit(viewer: Viewer, unit: Unit) -> bool:
    return any(unit.path.startswith(hr_unit.path) for hr_unit in viewer.units_with_role(Role.HR))


def units_visible_to(viewer: Viewer) -> QuerySet[Unit]:
    """Units whose structure the viewer may browse (HR subtrees)."""
    if viewer.is_superuser:
        return Unit.objects.all()
    hr_units = viewer.units_with_role(Role.HR)
    if not hr_units:
        return Unit.objects.none()
    return Unit.objects.filter(_subtree_filter(hr_units))


def can_view_unit(viewer: Viewer, unit: Unit) -> bool:
    return viewer.is_superuser or _is_hr_for_unit(viewer, unit)


def can_manage_unit(viewer: Viewer, unit: Unit) -> bool:
    return viewer.is_superuser or _is_hr_for_unit(viewer, unit)


def _managed_organisation_ids(viewer: Viewer) -> set[int]:
    """The organisations whose top unit the viewer holds an HR grant on (superusers
    aside): the one definition of "HR of the whole organisation"."""
    return {unit.organisation_id for unit in viewer.units_with_role(Role.HR)
            if unit.parent_id is None}


def manages_an_organisation(viewer: Viewer) -> bool:
    """HR of a whole organisation, or a superuser: imports, cycles, policy and the mail
    that did not go out are theirs."""
    return viewer.is_superuser or bool(_managed_organisation_ids(viewer))


def can_manage_organisation(viewer: Viewer, organisation: Organisation) -> bool:
    """HR of the top unit manages the whole organisation (imports, new top-level moves)."""
    return viewer.is_superuser or organisation.pk in _managed_organisation_ids(viewer)


def managed_organisation_ids(viewer: Viewer) -> set[int] | None:
    """The ids of the organisations ``viewer`` manages; ``None`` for a superuser (all)."""
    return None if viewer.is_superuser else _managed_organisation_ids(viewer)


def organisations_managed_by(viewer: Viewer) -> QuerySet[Organisation]:
    """The list half of ``can_manage_organisation``."""
    ids = managed_organisation_ids(viewer)
    return Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)


def hr_root_units(viewer: Viewer) -> list[Unit]:
    """The top units of the viewer's HR subtrees (nested grants folded away)."""
    units = sorted(viewer.units_with_role(Role.HR), key=lambda u: u.path)
    roots: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots


def unit_tree_roots(viewer: Viewer) -> list[Unit]:
    """The top units of the unit tree the viewer browses, each with its organisation:
    those of their HR subtrees; for a superuser without an HR grant, the top unit of every
    organisation; nobody else's. Ordered by organisation, then by place in the tree."""
    roots = hr_root_units(viewer)
    if roots:
        units = Unit.objects.filter(pk__in=[unit.pk for unit in roots])
    elif viewer.is_superuser:
        units = Unit.objects.filter(parent=None)
    else:
        return []
    return list(units.select_related("organisation").order_by("organisation__name", "path"))


# The organisation's policy (rulebook settings) ----------------------------------------


def can_read_policy(viewer: Viewer, organisation: Organisation) -> bool:
    """Everyone working for an organisation reads its policy: its deadlines and who reads
    the reports concern every employee. Changing it is ``can_manage_organisation``."""
    if viewer.is_superuser or can_manage_organisation(viewer, organisation):
        return True
    return viewer.person is not None and viewer.person.organisation_id == organisation.pk


def can_see_look(viewer: Viewer, organisation: Organisation) -> bool:
    """The organisation's logo and colour (``organisation.look``) are on every page its
    people read, and on the pages of those who manage it."""
    return can_read_policy(viewer, organisation)


def organisations_with_readable_policy(viewer: Viewer) -> QuerySet[Organisation]:
    """The list half of ``can_read_policy``."""
    managed = organisations_managed_by(viewer)
    if viewer.person is None:
        return managed
    return managed | Organisation.objects.filter(pk=viewer.person.organisation_id)


# Lookups for views and the API ---------------------------------------------------


def person_for(viewer: Viewer, pk: int) -> Person | None:
    """The person with id ``pk`` if the viewer may see them; ``None`` for missing and
    forbidden alike, so callers answer both with the same 404."""
    person = Person.objects.select_related("unit", "organisation", "user").filter(pk=pk).first()
    if person is None:
        return None
    if not can_view_person(viewer, person):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=person)
        return None
    return person


def unit_for(viewer: Viewer, pk: int) -> Unit | None:
    """The unit with id ``pk`` if the viewer may browse it; ``None`` otherwise."""
    unit = Unit.objects.select_related("organisation", "manager").filter(pk=pk).first()
    if unit is None:
        return None
    if not can_view_unit(viewer, unit):
        security.refusal_record(viewer=viewer, kind=RefusalKind.READ, target=unit)
        return None
    return unit


# HR's access to content (goals, conversations, evaluations) ------------------------------
# Under a "standing" policy (the Dutch preset) HR of the person's unit reads content; else
# only under a granted access request whose scope and period cover the day. Each read
# under a grant is logged by the room's selector that returns it
# (access.services.access_read_log), never by a page or an API operation.


def content_grant(viewer: Viewer, person: Person, scope: str,
                  on: dt.date | None = None) -> AccessRequest | None:
    """The granted request that lets the viewer read ``scope`` of ``person`` on ``on``."""
    if viewer.person is None or not _is_hr_for_unit(viewer, person.unit):
        return None
    day = on or viewer.on
    return (
        AccessRequest.objects.filter(
            requester=viewer.person, subject=person, status=RequestStatus.GRANTED,
            scope__in=[scope, Scope.ALL], valid_from__lte=day, valid_until__gte=day,
        ).order_by("-valid_until").first()
    )


def hr_has_standing_access(viewer: Viewer, person: Person) -> bool:
    if not _is_hr_for_unit(viewer, person.unit):
        return False
    return policy_for(person.organisation).hr_content_access == HrContentAccess.STANDING


def hr_may_read_content(viewer: Viewer, person: Person, scope: str,
                        on: dt.date | None = None, *, final: bool = True) -> bool:
    """True when the policy gives HR standing access, or a granted request covers it.

    Standing access covers only records that are final (``final``): a held conversation,
    a delivered report. Heemstede, "Cyclus van jaargesprekken": the reports go to the
    personnel file once held and confirmed, so a draft still being written is not HR's
    to read; a granted request, asked for and given for a reason, covers drafts too."""
    return (final and hr_has_standing_access(viewer, person)) or \
        content_grant(viewer, person, scope, on) is not None


def people_in_hr_scope(viewer: Viewer) -> QuerySet[Person]:
    """The people of the viewer's HR units and their subtrees (none without an HR role)."""
    in_scope = _hr_scope(viewer)
    return Person.objects.none() if in_scope is None else in_scope


def _hr_scope(viewer: Viewer) -> QuerySet[Person] | None:
    hr_units = viewer.units_with_role(Role.HR)
    if not hr_units or viewer.person is None:
        return None
    return Person.objects.filter(_subtree_filter(hr_units, prefix="unit__"))


def people_with_hr_standing_access(viewer: Viewer) -> QuerySet[Person]:
    """The people whose final records HR reads by standing access (the list half of
    ``hr_may_read_content`` for final records without a grant)."""
    in_scope = _hr_scope(viewer)
    if in_scope is None:
        return Person.objects.none()
    standing = [org.pk for org in Organisation.objects.filter(
        pk__in=in_scope.values("organisation_id"))
        if policy_for(org).hr_content_access == HrContentAccess.STANDING]
    return in_scope.filter(organisation_id__in=standing)


def people_with_hr_grant(viewer: Viewer, scope: str) -> QuerySet[Person]:
    """The people whose records of ``scope`` a granted request of the viewer covers today,
    drafts included."""
    in_scope = _hr_scope(viewer)
    if in_scope is None:
        return Person.objects.none()
    granted = AccessRequest.objects.filter(
        requester=viewer.person, status=RequestStatus.GRANTED, scope__in=[scope, Scope.ALL],
        valid_from__lte=viewer.on, valid_until__gte=viewer.on,
    ).values("subject_id")
    return in_scope.filter(pk__in=granted)


def people_with_hr_content_access(viewer: Viewer, scope: str) -> QuerySet[Person]:
    """The list half of ``hr_may_read_content`` for records that are always final (goals,
    development plans): standing access or a grant."""
    in_scope = _hr_scope(viewer)
    if in_scope is None:
        return Person.objects.none()
    return in_scope.filter(Q(pk__in=people_with_hr_standing_access(viewer).values("pk"))
                           | Q(pk__in=people_with_hr_grant(viewer, scope).values("pk")))
