"""PDFs in tests: what a task worker does with the renderings asked for, and a PDF link
followed to its download (the request, the worker, the download)."""

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from koers.access import renderings
from koers.access.models import Rendering, RenderingState


def work_off() -> list[str]:
    """Lay out every queued rendering, as ``render_task`` does in a worker; their states."""
    queued = Rendering.objects.filter(state=RenderingState.QUEUED).order_by("pk")
    return [renderings.rendering_run(pk) for pk in queued.values_list("pk", flat=True)]


def rendering_of(response: Any) -> Rendering:
    """The rendering a PDF link (web: a redirect to its page) or the API (202) led to."""
    if response.status_code == 202:
        return Rendering.objects.get(pk=response.json()["id"])
    assert response.status_code == 302, response.status_code
    match = re.fullmatch(r"/documents/(\d+)/", response["Location"])
    assert match, response["Location"]
    return Rendering.objects.get(pk=int(match.group(1)))


def download(client: Client, url: str, data: dict[str, str] | None = None,
             **extra: Any) -> Any:
    """Press a download button of a page as ``client`` (a POST, with the form's ``data``):
    ask, let the worker make the file, download."""
    rendering = rendering_of(client.post(url, data or {}, **extra))
    work_off()
    return client.get(reverse("rendering_download", args=[rendering.pk]))
