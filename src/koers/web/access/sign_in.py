"""The organisation's employer sign-in (OpenID Connect), for HR of the whole organisation
and superusers: the settings, whether the secret is in place, and the redirect URI to
register at the provider. Anyone else gets the 404 of an organisation that does not
exist. ``access.sign_in`` checks and saves; docs/operations.md says what to fill in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from koers.access import policy, sign_in
from koers.core.errors import ValidationFailed
from koers.organisation.models import Organisation
from koers.web.access.forms import EmployerSignInForm
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of


@login_required
def employer_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not policy.can_manage_organisation(viewer, organisation):
        raise Http404
    status = sign_in.sign_in_status(organisation)
    if status.config is not None:
        initial = {name: getattr(status.config, name)
                   for name in EmployerSignInForm.base_fields}
    else:
        initial = {"provider_id": organisation.slug, "name": organisation.name,
                   "secret_variable": f"{sign_in.SECRET_PREFIX}"
                                      f"{organisation.slug.upper().replace('-', '_')}",
                   "passwords_allowed": True, "active": True}
    form = EmployerSignInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sign_in.employer_sign_in_save(organisation=organisation, actor=viewer.user,
                                          values=sign_in.SignInValues(**form.cleaned_data))
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The employer sign-in is saved."))
            return redirect("employer_sign_in", pk=organisation.pk)
    return render(request, "access/employer_sign_in.html", {
        "organisation": organisation, "form": form, "status": status,
        "redirect_uri": request.build_absolute_uri(reverse(
            "openid_connect_callback", kwargs={"provider_id": status.provider_id})),
        "scopes": " ".join(sign_in.SCOPES),
    })
