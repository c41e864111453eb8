"""The lookups more than one router needs: the request's ``Viewer`` and the objects a
path names. A missing object and one the caller may not see answer the same 404; a
choice outside the caller's organisation is a refused request (422)."""

from typing import cast

from allauth.account.authentication import get_authentication_records
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from koers.access import policy, security, sign_in
from koers.access.policy import Viewer
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.development.models import Competency
from koers.organisation.models import Person, Unit


class NotMadeYet(Exception):
    """The caller's own record that they have not made yet: 404 ``not_found`` with
    ``message``, which says how to make it (nothing to hide: it is the caller's own)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's ``Viewer``, built once per request (the web layer has its own twin:
    the two layers do not import each other; both cache it on the same request attribute).
    Its ``ip`` is the client's address (``security.client_ip``, as on the pages), and
    ``signed_in_through`` the employer sign-in of the session that signed this user in
    (allauth's records are the session user's: a token of someone else gets none)."""
    cached: Viewer | None = getattr(request, "_koers_viewer", None)
    if cached is None:
        user = cast(User, request.user)
        cached = Viewer.of(user, ip=security.client_ip(request.META),
                           signed_in_through=sign_in.signed_in_through(
                               get_authentication_records(request, user)))
        request._koers_viewer = cached  # type: ignore[attr-defined]
    return cached


def person(request: HttpRequest, person_id: int) -> Person:
    found = policy.person_for(viewer_of(request), person_id)
    if found is None:
        raise Http404
    return found


def person_or_me(request: HttpRequest, person_id: int | None) -> Person:
    """The person named by ``person_id`` (if visible), or the signed-in user's own record."""
    if person_id is not None:
        return person(request, person_id)
    me = viewer_of(request).person
    if me is None:
        raise Http404
    return me


def unit(request: HttpRequest, unit_id: int) -> Unit:
    found = policy.unit_for(viewer_of(request), unit_id)
    if found is None:
        raise Http404
    return found


def competency_in(organisation_id: int, competency_id: int) -> Competency:
    """A competency of the organisation's catalogue, or a refusal on ``competency_id``."""
    competency = Competency.objects.filter(pk=competency_id,
                                           organisation_id=organisation_id).first()
    if competency is None:
        message = _("Choose a competency of this organisation's catalogue.")
        raise ValidationFailed(message, {"competency_id": [message]})
    return competency
