"""HR imports: upload with a dry run, the report, apply, and example files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from koers.access import imports
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.organisation import importing
from koers.organisation.models import ImportBatch, ImportKind
from koers.web.organisation.forms import ImportForm
from koers.web.page.viewer import viewer_of


def _batch_or_404(request: HttpRequest, pk: int) -> ImportBatch:
    """The same 404 for a missing batch and one of an organisation the user does not manage."""
    try:
        return imports.import_batch_for(viewer_of(request), pk)
    except NotFoundOrForbidden:
        raise Http404 from None


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    organisations = imports.import_organisations(viewer)
    if not organisations:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        chosen = form.cleaned_data.get("organisation")
        try:
            batch = imports.import_upload(
                viewer=viewer, kind=form.cleaned_data["kind"], file_name=upload.name or "",
                content=importing.upload_content(upload),
                organisation_id=chosen.pk if chosen else None,
            )
        except ValidationFailed as error:
            # One message, so the field keeps a single error element to point at.
            form.add_error("file", " ".join(error.errors.get("file", [error.message])))
        else:
            return redirect("import_batch", pk=batch.pk)
    kinds = [(kind, kind.label, importing.COLUMNS[kind]) for kind in ImportKind]
    return render(request, "organisation/import_start.html", {
        "form": form, "recent": imports.recent_imports(viewer), "kinds": kinds,
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
    status = importing.batch_status(batch)
    context = {"batch": batch, "report": status.report, "poll_seconds": POLL_SECONDS,
               "under_way": status.under_way, "failed": status.failed,
               "refused": status.refused}
    if request.headers.get("HX-Request"):
        if not status.under_way:
            return HttpResponseClientRefresh()  # done: the whole page shows the result
        return render(request, "organisation/import_batch.html#status", context)
    return render(request, "organisation/import_batch.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        imports.import_apply(viewer=viewer_of(request), pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    except ValidationFailed as error:
        messages.error(request, error.message)
    return redirect("import_batch", pk=pk)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        file_name, text = imports.import_template(viewer=viewer_of(request), kind=kind)
    except (NotFoundOrForbidden, ValidationFailed):
        raise Http404 from None
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
