"""The organisation's own look: the page where HR of the whole organisation sets its
primary colour and logo, and the two answers the pages link to, its stylesheet and its
logo. ``organisation.look`` checks and saves; ``access.policy`` decides who may.

The stylesheet and the logo are the same for everyone of the organisation and hold no
personal data; the pages link them with the look's version in the address
(``?v=<look_version>``), which every change moves on, so browsers may keep them
(``cacheable``) while a new colour or logo reaches the next page at once."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from koers.access import policy
from koers.core.errors import ValidationFailed
from koers.organisation import look
from koers.organisation.models import Organisation
from koers.web.organisation.forms import LookForm
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of

# A year: the address changes with the look, so a kept copy is never out of date.
CACHE_CONTROL = "private, max-age=31536000, immutable"


def cacheable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let browsers keep the answer (``web.middleware.PrivateResponseMiddleware`` leaves
    an answer marked ``koers_cacheable`` as it is); ``private``: no shared cache."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.headers["Cache-Control"] = CACHE_CONTROL
            response.koers_cacheable = True  # type: ignore[attr-defined]
        return response
    return wrapped


def _organisation(request: HttpRequest, pk: int,
                  allowed: Callable[[policy.Viewer, Organisation], bool]) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not allowed(viewer_of(request), organisation):
        raise Http404
    return organisation


@login_required
def organisation_look(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, policy.can_manage_organisation)
    form = LookForm(request.POST or None, request.FILES or None,
                    initial={"primary_colour": organisation.primary_colour})
    if request.method == "POST" and form.is_valid():
        logo = form.cleaned_data["logo"]
        try:
            look.organisation_look_save(
                organisation=organisation, actor=viewer_of(request).user,
                change=look.LookChange(
                    primary_colour=form.cleaned_data["primary_colour"],
                    logo=look.logo_content(logo) if logo else None,
                    remove_logo=form.cleaned_data["remove_logo"]))
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The organisation's look is saved."))
            return redirect("organisation_look", pk=organisation.pk)
    return render(request, "organisation/look.html", {
        "organisation": organisation, "form": form,
        "koers_colour": look.DEFAULT_COLOUR, "minimum": look.MIN_CONTRAST,
        "max_kb": look.LOGO_MAX_BYTES // 1024})


@login_required
@cacheable
def organisation_theme(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, policy.can_see_look)
    return HttpResponse(look.stylesheet(organisation), content_type="text/css; charset=utf-8")


@login_required
@cacheable
def organisation_logo(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, policy.can_see_look)
    logo = look.logo_of(organisation)
    if logo is None:
        raise Http404
    return HttpResponse(bytes(logo.image), content_type=organisation.logo_type)
