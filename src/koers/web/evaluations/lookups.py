"""Loading one evaluation for a page, and the few things every evaluation page says
about it: the viewer's roles, its title, the way back to it, the offered action.

An action page answers 404 to whoever holds no role that could ever take the action here
(the same 404 as for a stranger); to a role that may take it later it explains why not yet.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from koers.evaluations import permissions
from koers.evaluations.models import Evaluation
from koers.evaluations.selectors import Offer
from koers.evaluations.selectors import evaluation_title as evaluation_title  # the pages' title
from koers.evaluations.states import Action, Role, roles_for
from koers.web.page.viewer import viewer_of

SIGN_ACTIONS = (Action.SIGN_FIRST, Action.SIGN_SECOND, Action.SIGN_EMPLOYEE)
# Not listed with their reason when unavailable: the same reason stands beside writing the
# self-evaluation, and the procedure is chosen once, before anything is signed.
QUIET = frozenset({Action.SUBMIT_SELF_EVALUATION, Action.SET_WRITTEN_PROCEDURE})


# Loading and access -------------------------------------------------------------------


def evaluation_or_404(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = permissions.evaluation_for(viewer_of(request), pk)
    if evaluation is None:
        raise Http404
    return evaluation


def viewer_roles(request: HttpRequest, evaluation: Evaluation) -> set[Role]:
    return permissions.roles_of(viewer_of(request), evaluation)


def require_role(request: HttpRequest, evaluation: Evaluation, action: Action) -> set[Role]:
    """404 unless the viewer holds a role the table lets take ``action`` (in some state)."""
    roles = viewer_roles(request, evaluation)
    if not roles & roles_for(action):
        raise Http404
    return roles


def back_to(evaluation: Evaluation, anchor: str = "") -> HttpResponse:
    url = reverse("evaluation_detail", args=[evaluation.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def offer_of(offers: list[Offer], *actions: Action) -> Offer | None:
    return next((offer for offer in offers if offer.action in actions), None)
