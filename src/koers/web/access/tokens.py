"""My personal API tokens: make one (its secret shown once, on the answer to the form),
see when each was last used, revoke one (access/tokens.py, docs/integrations.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.access import tokens
from koers.core.errors import ValidationFailed
from koers.web.access.forms import ApiTokenForm
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The list and the form. A token made here is shown on this answer and nowhere
    else: the page is not redirected, so the secret is never stored to show it later."""
    user = viewer_of(request).user
    form = ApiTokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            made = tokens.token_create(user=user, **form.cleaned_data)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(request, "access/api_tokens.html", {
        "form": form, "made": made, "tokens": tokens.tokens_visible_to(user),
        "today": viewer_of(request).on})


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer_of(request).user
    token = tokens.token_for(user, pk)
    if token is None:
        raise Http404
    tokens.token_revoke(user=user, token=token)
    messages.success(request, _("The token %(name)s is revoked: it no longer works.")
                     % {"name": token.name})
    return redirect("api_tokens")
