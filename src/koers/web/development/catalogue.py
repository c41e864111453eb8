"""The competency and development-action catalogues, the recommendation matrix and the
competency profiles: everyone of the organisation reads them, HR of the whole
organisation changes them.

Thin: the development room's permissions say who may see and do what (a missing or
forbidden object is the same 404), its services make every change and its rules say what
is refused or warned about.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from koers.core.errors import ValidationFailed
from koers.development import permissions, selectors
from koers.development.models import (
    Competency,
    CompetencyProfile,
    DevelopmentAction,
    Recommendation,
)
from koers.development.services import catalogue
from koers.development.states import RecommendationValue
from koers.organisation.models import Organisation
from koers.web.development.forms import (
    ClusterForm,
    CompetencyForm,
    CompetencyProfileForm,
    DevelopmentActionForm,
    RecommendationRowForm,
)
from koers.web.development.lookups import organisation_or_404
from koers.web.page.confirm import confirm_page, confirmed
from koers.web.page.forms import apply_errors
from koers.web.page.viewer import viewer_of

# Catalogues ---------------------------------------------------------------------------


def _competency_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> Competency:
    competency = (Competency.objects.select_related("organisation", "cluster")
                  .filter(pk=pk).first())
    if competency is None:
        raise Http404
    organisation_or_404(request, competency.organisation_id, manage=manage)
    return competency


def _action_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> DevelopmentAction:
    action = DevelopmentAction.objects.select_related("organisation").filter(pk=pk).first()
    if action is None:
        raise Http404
    organisation_or_404(request, action.organisation_id, manage=manage)
    return action


def catalogue_context(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    return {"organisation": organisation,
            "can_manage": permissions.can_manage_catalogue(viewer_of(request), organisation)}


@login_required
def development_catalogue(request: HttpRequest) -> HttpResponse:
    """The catalogue of the viewer's own organisation (HR of several: the first)."""
    viewer = viewer_of(request)
    if viewer.person is not None:
        return redirect("competency_catalogue", viewer.person.organisation_id)
    organisation = Organisation.objects.order_by("name").first() if viewer.is_superuser \
        else None
    if organisation is None:
        raise Http404
    return redirect("competency_catalogue", organisation.pk)


@login_required
def competency_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk)
    context = catalogue_context(request, organisation)
    context["clusters"] = selectors.clusters_with_competencies(
        organisation, include_inactive=context["can_manage"])
    return render(request, "development/competency_catalogue.html", context)


@login_required
def competency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competency = _competency_or_404(request, pk)
    advice = selectors.advice_for(competency)
    context = catalogue_context(request, competency.organisation)
    context.update(
        competency=competency,
        recommended=[a.action for a in advice if a.value == RecommendationValue.RECOMMENDED],
        unknown=[a.action for a in advice if a.value == RecommendationValue.UNKNOWN],
        not_recommended=[a.action for a in advice
                         if a.value == RecommendationValue.NOT_RECOMMENDED],
    )
    return render(request, "development/competency_detail.html", context)


@login_required
def cluster_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk, manage=True)
    form = ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.cluster_create(actor=viewer_of(request), organisation=organisation,
                                     **form.values())
        except ValidationFailed as error:
            apply_errors(form, form.on_fields(error))
        else:
            messages.success(request, _("The cluster is added."))
            return redirect("competency_catalogue", organisation.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation, "title": _("Add a cluster"),
        "back": reverse("competency_catalogue", args=[organisation.pk])})


@login_required
def competency_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk, manage=True)
    clusters = selectors.clusters_with_competencies(organisation)
    form = CompetencyForm(request.POST or None, clusters=clusters, editing=False)
    if request.method == "POST" and form.is_valid():
        try:
            competency = catalogue.competency_create(actor=viewer_of(request),
                                                     organisation=organisation,
                                                     **form.values())
        except ValidationFailed as error:
            apply_errors(form, form.on_fields(error))
        else:
            messages.success(request, _("The competency is added. Fill in which development "
                                        "actions are recommended for it."))
            return redirect("recommendation_edit", competency.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation, "title": _("Add a competency"),
        "back": reverse("competency_catalogue", args=[organisation.pk])})


@login_required
def competency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competency = _competency_or_404(request, pk, manage=True)
    organisation = competency.organisation
    form = CompetencyForm(request.POST or None, initial=CompetencyForm.initial_of(competency),
                          clusters=selectors.clusters_with_competencies(organisation),
                          editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.competency_change(actor=viewer_of(request), competency=competency,
                                        changes=form.changes())
        except ValidationFailed as error:
            apply_errors(form, form.on_fields(error))
        else:
            messages.success(request, _("The competency is changed."))
            return redirect("competency_detail", competency.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation,
        "title": _("Change the competency %(name)s") % {"name": competency.name},
        "back": reverse("competency_detail", args=[competency.pk])})


@login_required
def action_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk)
    context = catalogue_context(request, organisation)
    context["actions"] = list(selectors.development_actions(
        organisation, include_inactive=context["can_manage"]))
    return render(request, "development/action_catalogue.html", context)


@login_required
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk, manage=True)
    form = DevelopmentActionForm(request.POST or None, editing=False)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.development_action_create(actor=viewer_of(request),
                                                organisation=organisation, **form.values())
        except ValidationFailed as error:
            apply_errors(form, form.on_fields(error))
        else:
            messages.success(request, _("The development action is added. Fill in for which "
                                        "competencies it is recommended in the matrix."))
            return redirect("action_catalogue", organisation.pk)
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": organisation, "title": _("Add a development action"),
        "back": reverse("action_catalogue", args=[organisation.pk])})


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk, manage=True)
    form = DevelopmentActionForm(request.POST or None,
                                 initial=DevelopmentActionForm.initial_of(action), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.development_action_change(actor=viewer_of(request), action=action,
                                                changes=form.changes())
        except ValidationFailed as error:
            apply_errors(form, form.on_fields(error))
        else:
            messages.success(request, _("The development action is changed."))
            return redirect(reverse("action_catalogue", args=[action.organisation_id])
                            + f"#action-{action.pk}")
    return render(request, "development/catalogue_form.html", {
        "form": form, "organisation": action.organisation,
        "title": _("Change the development action %(name)s") % {"name": action.name},
        "back": reverse("action_catalogue", args=[action.organisation_id])})


@login_required
def recommendation_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """The competency × action matrix; empty cells say "no recommendation yet"."""
    organisation = organisation_or_404(request, pk)
    context = catalogue_context(request, organisation)
    matrix = selectors.matrix(organisation, include_inactive=context["can_manage"])
    context.update(
        matrix=matrix,
        rows=[(cluster, [(competency, [matrix.value(competency, action)
                                       for action in matrix.actions])
                         for competency in cluster.competencies.all()])
              for cluster in matrix.clusters],
        values=RecommendationValue,
    )
    return render(request, "development/recommendation_matrix.html", context)


@login_required
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """HR fills in (or changes) one competency's row of the matrix."""
    competency = _competency_or_404(request, pk, manage=True)
    actions = list(selectors.development_actions(competency.organisation))
    values = dict(Recommendation.objects.filter(competency=competency)
                  .values_list("action_id", "value"))
    form = RecommendationRowForm(request.POST or None, actions=actions, values=values)
    if request.method == "POST" and form.is_valid():
        viewer = viewer_of(request)
        try:
            with transaction.atomic():
                for action, value in form.changed_cells():
                    catalogue.recommendation_set(actor=viewer, competency=competency,
                                                 action=action, value=value)
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The recommendations for %(name)s are saved.")
                             % {"name": competency.name})
            return redirect(reverse("recommendation_matrix", args=[competency.organisation_id])
                            + f"#competency-{competency.pk}")
    return render(request, "development/recommendation_form.html", {
        "form": form, "competency": competency, "organisation": competency.organisation})


def _profile_or_404(request: HttpRequest, pk: int) -> CompetencyProfile:
    profile = CompetencyProfile.objects.select_related("organisation").filter(pk=pk).first()
    if profile is None:
        raise Http404
    organisation_or_404(request, profile.organisation_id, manage=True)
    return profile


@login_required
def competency_profiles(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_or_404(request, pk)
    context = catalogue_context(request, organisation)
    context["profiles"] = list(selectors.profiles_of(organisation).order_by("job_title"))
    return render(request, "development/competency_profiles.html", context)


def _profile_form(request: HttpRequest, organisation: Organisation,
                  profile: CompetencyProfile | None) -> HttpResponse:
    competencies = list(selectors.competencies_for(organisation))
    initial = ({"job_title": profile.job_title,
                "competencies": [entry.competency_id for entry in profile.entries.all()]}
               if profile is not None else {})
    form = CompetencyProfileForm(request.POST or None, initial=initial,
                                 competencies=competencies)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["competencies"])
        try:
            catalogue.competency_profile_save(
                actor=viewer_of(request), organisation=organisation,
                job_title=form.cleaned_data["job_title"],
                competencies=[c for c in competencies if c.pk in chosen])
        except ValidationFailed as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The competency profile is saved."))
            return redirect("competency_profiles", organisation.pk)
    return render(request, "development/profile_form.html", {
        "form": form, "organisation": organisation, "profile": profile})


@login_required
def competency_profile_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _profile_form(request, organisation_or_404(request, pk, manage=True), None)


@login_required
def competency_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    return _profile_form(request, profile.organisation, profile)


@login_required
@require_POST
def competency_profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile_or_404(request, pk)
    if not confirmed(request):
        people = selectors.profile_reach(profile)
        return confirm_page(
            request,
            heading=_("Delete the profile of %(job)s?") % {"job": profile.job_title},
            consequence=ngettext(
                "%(count)d person has this job title: their development conversation is "
                "then prepared without a competency profile.",
                "%(count)d people have this job title: their development conversation is "
                "then prepared without a competency profile.", people) % {"count": people},
            button=_("Yes, delete the profile"),
            back=reverse("competency_profiles", args=[profile.organisation_id]))
    catalogue.competency_profile_delete(actor=viewer_of(request), profile=profile)
    messages.success(request, _("The competency profile is deleted."))
    return redirect("competency_profiles", profile.organisation_id)
