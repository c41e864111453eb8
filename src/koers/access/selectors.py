"""Reads for the access-request pages and the API."""

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from koers.access import policy
from koers.access.models import AccessRead, AccessRequest, RequestStatus
from koers.access.policy import Viewer
from koers.access.services import can_decide
from koers.audit import selectors as audit_selectors
from koers.audit.models import AuditEvent
from koers.core.errors import NotFoundOrForbidden
from koers.organisation.models import EvaluatorLinePeriod, Person, Unit
from koers.organisation.selectors import employed_on
from koers.rulebook import ranks
from koers.rulebook.policy import preset_of
from koers.rulebook.terms import terms_for


def requests_by(viewer: Viewer) -> QuerySet[AccessRequest]:
    if viewer.person is None:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(requester=viewer.person).select_related(
        "subject", "decided_by").order_by("-created_at")


def requests_to_decide(viewer: Viewer) -> list[AccessRequest]:
    """Pending requests about people whose 2nd evaluator the viewer is."""
    if viewer.person is None:
        return []
    pending = AccessRequest.objects.filter(
        subject__in=viewer.second_line_ids, status=RequestStatus.REQUESTED,
    ).select_related("subject__unit", "requester").order_by("created_at")
    return [request for request in pending if can_decide(viewer, request)]


def request_to_decide(viewer: Viewer, pk: int) -> AccessRequest | None:
    """A request the viewer may decide; ``None`` for missing and forbidden alike."""
    request = AccessRequest.objects.select_related("subject__unit").filter(pk=pk).first()
    if request is None or not can_decide(viewer, request):
        return None
    return request


def grants_about(person: Person) -> QuerySet[AccessRequest]:
    """Granted requests about the person, newest first: who may (or might) read what."""
    return AccessRequest.objects.filter(subject=person, status=RequestStatus.GRANTED) \
        .select_related("requester", "decided_by").order_by("-valid_until", "-pk")


def reads_of(person: Person) -> QuerySet[AccessRead]:
    return AccessRead.objects.filter(subject=person).select_related(
        "reader", "request").order_by("-read_at", "-pk")


def people_found(viewer: Viewer, *, employee_number: str = "", email: str = "",
                 unit: Unit | None = None) -> QuerySet[Person]:
    """The people the viewer may see (``policy.people_visible_to``), narrowed by an exact
    employee number, an e-mail address (case does not matter) and a unit with its
    subtree; by name, then id, so pages never overlap."""
    people = policy.people_visible_to(viewer)
    if employee_number:
        people = people.filter(employee_number=employee_number)
    if email:
        people = people.filter(email__iexact=email)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    return (people.select_related("unit", "organisation")
            .order_by("last_name", "first_name", "pk"))


def person_history(viewer: Viewer, person: Person) -> list[AuditEvent] | None:
    """The history of a person's record, HR's (and a superuser's) to read, ``None`` for
    anyone else; its fields named in the regime of the person's organisation (a federal
    stagiair's "End of the stage", not the Flemish "End of probation")."""
    if not policy.can_change_person(viewer, person):
        return None
    terms = terms_for(person.organisation.policy_preset)
    return audit_selectors.history(person, labels={"probation_end_date": str(terms.probation_end)})


def checks_second_evaluator_rank(viewer: Viewer, unit: Unit) -> bool:
    """Whether the viewer is shown the 2nd evaluators to check in ``unit`` (HR of the
    unit, or a superuser, where the policy compares ranks: ``rulebook.ranks``)."""
    return (preset_of(unit.organisation).second_evaluator_outranks
            and policy.can_manage_unit(viewer, unit))


def second_evaluators_to_check(viewer: Viewer, unit: Unit, *,
                               on: dt.date) -> QuerySet[EvaluatorLinePeriod]:
    """The evaluator lines on ``on`` of the people employed in ``unit`` and the units
    below whose 2nd evaluator does not hold a higher rank than theirs ([f8],
    ``rulebook.ranks``), by name: one query a page, whatever the organisation's size.
    ``NotFoundOrForbidden`` for a viewer who is not HR of the unit (the same answer as a
    unit that does not exist) and where the policy does not compare ranks."""
    if not policy.can_manage_unit(viewer, unit):
        raise NotFoundOrForbidden(_("This unit does not exist or is not yours to keep."))
    if not preset_of(unit.organisation).second_evaluator_outranks:
        raise NotFoundOrForbidden(_("This organisation's policy does not compare ranks."))
    lines = EvaluatorLinePeriod.objects.filter(
        employed_on(on, "person__"), valid_from__lte=on, valid_until__gte=on,
        person__unit__path__startswith=unit.path)
    return (ranks.second_not_higher(lines)
            .select_related("person__unit", "second_evaluator")
            .order_by("person__last_name", "person__first_name", "person_id"))


def second_evaluator_outranked(viewer: Viewer, person: Person, *, on: dt.date) -> bool:
    """Whether HR (of the person's unit) is to be told, on the person's page, that their
    2nd evaluator on ``on`` does not hold a higher rank ([f8]); ``False`` for anyone
    else and where the policy does not compare ranks."""
    if not (preset_of(person.organisation).second_evaluator_outranks
            and policy.can_change_person(viewer, person)):
        return False
    return ranks.second_not_higher(EvaluatorLinePeriod.objects.filter(
        person=person, valid_from__lte=on, valid_until__gte=on)).exists()
