"""HR imports: upload with a dry run, the report, apply, and example files."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from koers.access import policy
from koers.access.policy import Viewer
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.organisation import importing
from koers.organisation.models import ImportBatch, ImportKind, ImportPhase, Organisation
from koers.web.organisation.forms import ImportForm
from koers.web.page.viewer import viewer_of

RECENT_BATCHES = 10


def _managed_organisations(viewer: Viewer) -> list[Organisation]:
    """Organisations the viewer may import into."""
    return list(policy.organisations_managed_by(viewer).order_by("name"))


def _batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    """The same 404 for a missing batch and one of an organisation the user does not manage."""
    batch = (
        ImportBatch.objects.defer("content")
        .select_related("organisation", "uploaded_by", "applied_by")
        .filter(pk=pk).first()
    )
    if batch is None or not policy.can_manage_organisation(viewer_of(request), batch.organisation):
        raise Http404
    return batch


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required guarantees it
    return request.user


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    organisations = _managed_organisations(viewer_of(request))
    if not organisations:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte past the limit is enough for the importer to refuse the file; reading
        # more would only fill memory.
        content = upload.read(settings.KOERS_IMPORT_MAX_BYTES + 1)
        try:
            batch = importing.import_batch_upload(
                organisation=form.cleaned_data.get("organisation") or organisations[0],
                kind=ImportKind(form.cleaned_data["kind"]),
                file_name=upload.name or "",
                content=content,
                uploaded_by=_user(request),
            )
        except ValidationFailed as error:
            # One message, so the field keeps a single error element to point at.
            form.add_error("file", " ".join(error.errors.get("file", [error.message])))
        else:
            return redirect("import_batch", pk=batch.pk)
    recent = (
        ImportBatch.objects.defer("content")
        .filter(organisation__in=organisations)
        .select_related("organisation", "uploaded_by")
        .order_by("-created_at")[:RECENT_BATCHES]
    )
    kinds = [(kind, kind.label, importing.COLUMNS[kind]) for kind in ImportKind]
    return render(request, "organisation/import_start.html", {
        "form": form, "recent": recent, "kinds": kinds,
        "show_organisation": len(organisations) > 1,
    })


# How often the page asks again while a task worker applies the file (htmx; without
# script the page reloads itself as often).
POLL_SECONDS = 2


@login_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """The dry-run report and the application, which a task worker does; htmx asks for
    the status part while it is under way."""
    batch = _batch_or_404(request, pk)
    report = importing.ImportReport.from_json(batch.dry_run_report)
    context = {"batch": batch, "report": report, "poll_seconds": POLL_SECONDS,
               "under_way": batch.apply_phase in importing.UNDER_WAY,
               "failed": batch.apply_phase == ImportPhase.FAILED,
               "refused": bool(batch.apply_requested_at) and not report.ok
               and batch.applied_at is None}
    if request.headers.get("HX-Request"):
        if not context["under_way"]:
            return HttpResponseClientRefresh()  # done: the whole page shows the result
        return render(request, "organisation/import_batch.html#status", context)
    return render(request, "organisation/import_batch.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    try:
        importing.import_batch_apply_request(batch=batch, actor=_user(request))
    except ValidationFailed as error:
        messages.error(request, error.message)
    return redirect("import_batch", pk=batch.pk)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportKind.values or not _managed_organisations(viewer_of(request)):
        raise Http404
    response = HttpResponse(importing.template_csv(ImportKind(kind)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="koers-{kind}.csv"'
    return response
