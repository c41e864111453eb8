"""The page of a requested PDF: its state while a task worker prepares it, then its
download. Thin: ``access/renderings.py`` decides who sees and downloads what."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from koers.access import renderings
from koers.access.documents import personal_data_pdf_request
from koers.access.models import RenderingState
from koers.core import languages
from koers.core.errors import NotFoundOrForbidden
from koers.web.page.viewer import viewer_of

# How often the page asks again while the document is prepared (htmx; without script the
# page reloads itself as often).
POLL_SECONDS = 2


@login_required
def rendering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The state of the viewer's rendering; htmx asks for its status part while it is
    under way."""
    try:
        rendering = renderings.rendering_for(viewer_of(request), pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    context = {
        "rendering": rendering, "title": renderings.kind_of(rendering).title,
        "under_way": rendering.state in renderings.UNDER_WAY,
        "ready": rendering.state == RenderingState.READY,
        "message": renderings.state_message(rendering), "poll_seconds": POLL_SECONDS,
        "file_type": rendering.file_name.rpartition(".")[2].upper(),
    }
    template = "access/rendering.html#status" if request.headers.get("HX-Request") \
        else "access/rendering.html"
    return render(request, template, context)


@login_required
def rendering_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF, for its requester while they may still read it (the read is logged by its
    kind); before it is ready, back to its page."""
    try:
        download = renderings.rendering_download(viewer=viewer_of(request), pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    except renderings.NotReady:
        return redirect("rendering_detail", pk)
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def my_data_pdf(request: HttpRequest) -> HttpResponse:
    """Ask for my data as a PDF (a POST: asking writes a rendering, and a GET never
    writes), then follow it on its page."""
    try:
        rendering = personal_data_pdf_request(viewer=viewer_of(request),
                                              language=languages.active())
    except NotFoundOrForbidden:
        raise Http404 from None
    return redirect("rendering_detail", rendering.pk)
