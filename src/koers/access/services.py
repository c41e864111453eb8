"""HR access requests: asked, decided, ended by their period; every read under one logged.

The approver is the subject's 2nd evaluator on the day of the decision (docs/access.md):
they know the person's file and are not the HR officer asking.
"""

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access import notifications, personal_data, policy
from koers.access.models import AccessRead, AccessRequest, ReadBasis, RequestStatus, Scope
from koers.access.policy import Viewer
from koers.audit import services as audit
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.notify.services import notifications_resolve, notify
from koers.organisation import evaluators
from koers.organisation.models import Person

LONGEST_PERIOD_DAYS = 366


def approver_of(subject: Person, *, on: dt.date) -> Person | None:
    return evaluators.evaluator_line(subject, on=on).second


def can_decide(viewer: Viewer, request: AccessRequest) -> bool:
    approver = approver_of(request.subject, on=viewer.on)
    return viewer.person is not None and approver is not None and \
        approver.pk == viewer.person.pk


def shown_status(request: AccessRequest, *, on: dt.date) -> RequestStatus:
    """A granted request past its period has expired: no job needed, the date says it."""
    if request.status == RequestStatus.GRANTED and request.valid_until < on:
        return RequestStatus.EXPIRED
    return RequestStatus(request.status)


def access_request_create(*, actor: Viewer, subject: Person, scope: str, reason: str,
                          valid_from: dt.date, valid_until: dt.date) -> AccessRequest:
    """HR asks to read ``scope`` of ``subject``.

    Checklist: the actor holds an HR grant over the subject's unit (else the same error as
    for a missing person); a reason; a period in order, not in the past, at most a year;
    save; audit.
    """
    if actor.person is None or not policy.can_change_person(actor, subject):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    errors: dict[str, list[str]] = {}
    if actor.person.pk == subject.pk:
        errors["subject"] = [_("You read your own data without a request.")]
    if scope not in Scope.values:
        errors["scope"] = [_("Choose what you want to read.")]
    if not reason.strip():
        errors["reason"] = [_("Say why you need to read it.")]
    if valid_until < valid_from:
        errors["valid_until"] = [_("The period ends before it starts.")]
    elif valid_until < actor.on:
        errors["valid_until"] = [_("The period is over already.")]
    elif (valid_until - valid_from).days > LONGEST_PERIOD_DAYS:
        errors["valid_until"] = [_("Ask for a year at most.")]
    if errors:
        raise ValidationFailed(_("The request is not complete."), errors)
    with transaction.atomic():
        request = AccessRequest(
            requester=actor.person, subject=subject, scope=scope, reason=reason.strip(),
            valid_from=valid_from, valid_until=valid_until, created_at=clock.now(),
        )
        request.full_clean()
        request.save()
        audit.record(actor=actor.user, action="access_request.created", target=request,
                     organisation_id=subject.organisation_id,
                     changes={"subject": subject, "scope": scope, "reason": request.reason,
                              "valid_from": valid_from, "valid_until": valid_until})
        approver = approver_of(subject, on=actor.on)
        if approver is not None:
            _notify(request, approver.user, notifications.REQUESTED, "requested",
                          reverse("access_requests"))
    return request


def _notify(request: AccessRequest, recipient: User | None, kind: str, step: str,
                  url: str) -> None:
    """Notify with the change (its transaction): names, scope and period, never the reason."""
    if recipient is None:
        return  # no login to tell
    params = {
        "requester": request.requester.full_name, "person": request.subject.full_name,
        "scope": request.scope, "from": request.valid_from.isoformat(),
        "until": request.valid_until.isoformat(),
        "approver": request.decided_by.full_name if request.decided_by else "",
        "preset": request.subject.organisation.policy_preset,  # the words of its regime
    }
    notify(recipient=recipient, key=f"access:{request.pk}:{step}", kind=kind, params=params,
           url=url, task=_decide_task(request) if kind == notifications.REQUESTED else "",
           about_id=request.subject.user_id)


def _decide_task(request: AccessRequest) -> str:
    return f"access_request:{request.pk}:decide"


def access_request_decide(*, actor: Viewer, request: AccessRequest,
                          grant: bool) -> AccessRequest:
    """The approver grants or refuses a pending request.

    Checklist: lock the row; only the approver (else not found); only a pending request
    (a wrong state is a validation error); save with ``update_fields``; audit.
    """
    with transaction.atomic():
        locked = AccessRequest.objects.select_for_update(of=("self",)).select_related(
            "subject__unit", "subject__organisation", "subject__user", "requester__user"
        ).get(pk=request.pk)
        if not can_decide(actor, locked):
            raise NotFoundOrForbidden(_("This request does not exist or is not yours to "
                                        "decide."))
        if locked.status != RequestStatus.REQUESTED:
            raise ValidationFailed(_("This request was decided already."))
        locked.status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
        locked.decided_by = actor.person
        locked.decided_at = clock.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(actor=actor.user,
                     action="access_request.granted" if grant else "access_request.refused",
                     target=locked, organisation_id=locked.subject.organisation_id,
                     changes={"status": locked.status})
        notifications_resolve(task=_decide_task(locked))
        requests_page = reverse("access_requests")
        _notify(locked, locked.requester.user,
                      notifications.GRANTED if grant else notifications.REFUSED, "decided",
                      requests_page)
        if grant:
            _notify(locked, locked.subject.user, notifications.GRANTED_TO_EMPLOYEE,
                          "granted", reverse("my_reads"))
    return locked


def access_read_log(*, viewer: Viewer, subject: Person, scope: str, record: Model,
                    label: str) -> AccessRead | None:
    """Log a read of ``record`` by HR under a grant; nothing for anyone else.

    Called by the rooms' selectors that return the record, never by a page or an API
    operation (docs/access.md)."""
    reads = access_reads_log(viewer=viewer, subject=subject, scope=scope,
                             records=[(record, label)])
    return reads[0] if reads else None


def access_reads_log(*, viewer: Viewer, subject: Person, scope: str,
                     records: Sequence[tuple[Model, str]]) -> list[AccessRead]:
    """Log a read of each of ``records`` (with its label), all about ``subject``, by HR
    under a grant; nothing for anyone else.

    Checklist: the grant that covers the day (none: nothing is logged); one row per
    record, written in one statement; one audit event on the grant naming every record.
    A fixed number of queries, however many records a list shows.
    """
    if not records:
        return []
    grant = policy.content_grant(viewer, subject, scope)
    if grant is None or viewer.person is None:
        return []
    now = clock.now()
    names = [f"{record._meta.label_lower}:{record.pk}" for record, _label in records]
    with transaction.atomic():
        reads = AccessRead.objects.bulk_create([
            AccessRead(request=grant, reader=viewer.person, subject=subject,
                       record_type=record._meta.label_lower, record_id=str(record.pk),
                       record_label=label[:300], read_at=now)
            for record, label in records
        ])
        # One event per read of a page: a list of fifty goals is one read of the grant.
        changes: dict[str, object] = (
            {"record": names[0]} if len(names) == 1 else {"records": names})
        audit.record(actor=viewer.user, action="access_request.read", target=grant,
                     organisation_id=subject.organisation_id, changes=changes)
    return reads


def director_reads_log(*, viewer: Viewer,
                       records: Sequence[tuple[Person, Model, str]]) -> list[AccessRead]:
    """Log the director's read of each of ``records`` (about whom, the record, its label).

    Called by the selector that returns the department's reports, which decided already
    that the viewer directs these people; never by a page or an API operation.
    Checklist: one row per record, written in one statement; one audit event on the
    director naming every record. A fixed number of queries, however many records.
    """
    if not records or viewer.person is None:
        return []
    director = viewer.person
    now = clock.now()
    with transaction.atomic():
        reads = AccessRead.objects.bulk_create([
            AccessRead(basis=ReadBasis.DIRECTOR, reader=director, subject=subject,
                       record_type=record._meta.label_lower, record_id=str(record.pk),
                       record_label=label[:300], read_at=now)
            for subject, record, label in records
        ])
        audit.record(actor=viewer.user, action="director.read", target=director,
                     organisation_id=director.organisation_id,
                     changes={"records": [f"{record._meta.label_lower}:{record.pk}"
                                          for _subject, record, _label in records]})
    return reads


class ExportFormat(StrEnum):
    PAGE = "page"
    JSON = "json"
    PDF = "pdf"


def personal_data_export(*, viewer: Viewer, file_format: ExportFormat) -> personal_data.Export:
    """Everything Koers holds about the viewer, for the viewer alone.

    Checklist: only one's own data (no person: the same error as a missing one); audit
    the export with its format, in its own transaction, before the data is read, so the
    export lists its own event; build every room's part (a fixed number of queries).
    """
    if viewer.person is None:
        raise NotFoundOrForbidden(_("Your account is not linked to a person."))
    person = viewer.person
    with transaction.atomic():
        audit.record(actor=viewer.user, action="personal_data.exported", target=person,
                     organisation_id=person.organisation_id,
                     changes={"format": file_format.value})
    return personal_data.build_export(person, now=clock.now())
