"""PDFs are laid out by the task workers, within a budget of pages and seconds, never in
a request.

A request for a PDF (``rendering_request``) only decides whether the viewer may have the
document and writes its HTML, as a page would; it stores that HTML in a ``Rendering``
and enqueues ``render_task`` once committed. A worker lays the HTML out with WeasyPrint
in a child process (``rendering_run``, ``layout.py``): a layout still running after
``KOERS_PDF_MAX_SECONDS`` is killed, and a document of more than ``KOERS_PDF_MAX_PAGES``
pages is not written. Either way the rendering is *over budget*, with its reason.

Each room that offers a PDF registers its kind in a ``documents.py`` of its own
(``register``), imported at start-up (``discover``): who may ask for it and its HTML,
who may still read it, and the read to log when its PDF is downloaded. The mechanism
knows no room by name.

- **One document once.** The revision of a rendering is a digest of its HTML and
  stylesheet: the same document asked again by the same person, still waiting, being
  laid out or ready (and not expired), is that rendering. The database holds one under
  way per requester and document (``rendering_one_under_way``).
- **Personal data.** A rendering is a copy of what its requester could read when they
  asked. Only the requester sees its state, and downloads it only while they may still
  read its subject; the download is the read, logged by the kind as the page logged it
  (HR's read under a grant). It expires after ``KOERS_PDF_KEEP_HOURS`` and the periodic
  task ``renderings_purge_task`` deletes it; the personal-data export does not carry
  renderings (they are copies of what it already holds).
"""

import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import PurePath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.access import layout
from koers.access.models import Rendering, RenderingState
from koers.access.policy import Viewer
from koers.core import clock, languages
from koers.core.errors import DomainError, NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.core.tables import CSV_TYPE, XLSX_TYPE

logger = logging.getLogger(__name__)

UNDER_WAY = (RenderingState.QUEUED, RenderingState.RENDERING)


class Reason:
    """Why a rendering has no PDF (``Rendering.reason``)."""

    PAGES = layout.PAGES  # more pages than KOERS_PDF_MAX_PAGES
    TIME = "time"  # the layout ran past KOERS_PDF_MAX_SECONDS
    ERROR = layout.ERROR  # the layout failed

    MESSAGES = {
        PAGES: gettext_lazy("The document would have more pages than Koers makes in one "
                            "PDF (at most %(pages)s). Read it on its page instead."),
        TIME: gettext_lazy("Preparing the document took longer than Koers allows (%(seconds)s "
                           "seconds). Try again later, or read it on its page instead."),
        ERROR: gettext_lazy("The document could not be prepared. Try again later; if it "
                            "fails again, tell the application's administrator."),
    }


def reason_message(reason: str) -> str:
    """The reason of a rendering without a PDF, for its requester, in their language."""
    message = Reason.MESSAGES.get(reason, Reason.MESSAGES[Reason.ERROR])
    seconds = max_seconds()
    return str(message) % {"pages": number_format(max_pages()),
                           "seconds": number_format(int(seconds) if seconds.is_integer()
                                                    else seconds)}


def max_pages() -> int:
    return int(settings.KOERS_PDF_MAX_PAGES)


def max_seconds() -> float:
    return float(settings.KOERS_PDF_MAX_SECONDS)


def keep_hours() -> float:
    return float(settings.KOERS_PDF_KEEP_HOURS)


# The kinds of document ---------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What a kind makes for a request: the HTML and print stylesheet, the language they
    are in and the name the file gets; a table has its parameters instead of HTML."""

    html: str
    stylesheet: str
    language: str
    file_name: str  # with its extension
    parameters: Mapping[str, str] = field(default_factory=dict)


# The formats a table kind is downloaded in.
TABLE_FORMATS = ("csv", "xlsx")


def table_format(parameters: Mapping[str, str]) -> str:
    """The ``format`` a table kind is asked in, or a ``ValidationFailed`` naming the
    formats there are."""
    file_format = parameters.get("format", "")
    if file_format not in TABLE_FORMATS:
        message = _("Choose one of the formats %(formats)s.") % {
            "formats": ", ".join(TABLE_FORMATS)}
        raise ValidationFailed(message, {"format": [message]})
    return file_format


@dataclass(frozen=True)
class Table:
    """A kind that is a table (CSV or XLSX) rather than a PDF.

    - ``prepare(viewer, subject_id, parameters, language)``: the request's part: the
      document (its parameters checked, its file name) if the viewer may have it, else
      ``None``; a ``ValidationFailed`` for parameters it refuses. Reads nothing large.
    - ``make(viewer, subject_id, parameters)``: the worker's part, in the requester's
      language: the file's bytes, as the requester may read it.
    """

    prepare: Callable[[Viewer, int, Mapping[str, str], str | None], Document | None]
    make: Callable[[Viewer, int, Mapping[str, str]], bytes]


@dataclass(frozen=True)
class Kind:
    """A kind of PDF.

    - ``prepare(viewer, subject_id, language)``: the document if the viewer may have it
      (``None`` for a missing and a forbidden subject alike); ``language`` ``None`` is the
      kind's own choice. Runs in the request: reads, no layout.
    - ``allowed(viewer, subject_id)``: whether the viewer may still read the subject (the
      status page asks it; no read is logged).
    - ``read(viewer, subject_id)``: the same question at the download, which is the read
      of the content: the kind logs it as its page does.
    """

    name: str
    title: Promise
    prepare: Callable[[Viewer, int, str | None], Document | None] | None
    allowed: Callable[[Viewer, int], bool]
    read: Callable[[Viewer, int], bool]
    table: Table | None = None  # a table kind: ``prepare`` is None
    # The worker's last step on a laid-out PDF, ``finish(subject_id, pdf, language)``:
    # the PDF as delivered (the organisation's signature on a signed report).
    finish: Callable[[int, bytes, str], bytes] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    existing = KINDS.get(kind.name)
    if existing is not None and existing is not kind:
        raise ValueError(f"rendering kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind


def discover() -> None:
    """Import the ``documents`` module of every domain room that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("koers.") or config.name in (
                "koers.web", "koers.api", "koers.config"):
            continue
        if module_has_submodule(config.module, "documents"):
            import_module(f"{config.name}.documents")


def kind_of(rendering: Rendering) -> Kind:
    return KINDS[rendering.kind]


# Requests (a face calls these) -------------------------------------------------------------


def _reusable(requester_id: int, *, kind: str, subject_id: int, revision: str,
              language: str) -> Rendering | None:
    """The requester's rendering of this very document that a new request would repeat:
    under way, ready, or too many pages (it would be again); not expired."""
    return (Rendering.objects.defer("content", "html", "stylesheet")
            .filter(requester_id=requester_id, kind=kind, subject_id=subject_id,
                    revision=revision, language=language, expires_at__gt=clock.now())
            .filter(Q(state__in=[*UNDER_WAY, RenderingState.READY])
                    | Q(state=RenderingState.OVER_BUDGET, reason=Reason.PAGES))
            .order_by("-requested_at", "-pk").first())


def rendering_request(*, viewer: Viewer, kind: str, subject_id: int,
                      language: str | None = None,
                      parameters: Mapping[str, str] | None = None) -> Rendering:
    """Ask for the PDF of ``kind`` about ``subject_id``; the rendering to follow.

    Checklist: a language asked for is one Koers speaks (``ValidationFailed``); the kind
    decides whether the viewer may have the document and makes its
    HTML (a missing and a forbidden subject alike: ``NotFoundOrForbidden``); no layout
    here, that is the worker's; the same document asked again is the rendering already
    made or under way (``_reusable``), also when two requests race (the database's
    constraint); else a new rendering, queued, its task enqueued once committed.
    """
    if language is not None and language not in languages.CODES:
        message = _("Choose one of the languages %(languages)s.") % {
            "languages": ", ".join(languages.CODES)}
        raise ValidationFailed(message, {"language": [message]})
    registered = KINDS.get(kind)
    document = _prepared(registered, viewer, subject_id, language, parameters or {})
    if document is None:
        raise NotFoundOrForbidden(_("This document does not exist or is not yours to read."))
    revision = hashlib.sha256("\0".join([
        document.html, document.stylesheet,
        json.dumps(dict(document.parameters), sort_keys=True)]).encode(
        "utf-8", "surrogatepass")).hexdigest()
    key: dict[str, Any] = {"kind": kind, "subject_id": subject_id, "revision": revision,
                           "language": document.language}
    found = _reusable(viewer.user.pk, **key)
    if found is not None:
        return found
    now = clock.now()
    try:
        with transaction.atomic():
            rendering = Rendering.objects.create(
                requester=viewer.user, **key, file_name=document.file_name[:200],
                html=document.html, stylesheet=document.stylesheet,
                parameters=dict(document.parameters), content_type=content_type_of(
                    document.file_name), requested_at=now,
                expires_at=now + dt.timedelta(hours=keep_hours()))
            transaction.on_commit(lambda: _enqueue(rendering.pk), robust=True)
    except IntegrityError:  # the same request, a moment earlier
        found = _reusable(viewer.user.pk, **key)
        if found is None:
            raise
        return found
    return rendering


def _prepared(kind: Kind | None, viewer: Viewer, subject_id: int, language: str | None,
              parameters: Mapping[str, str]) -> Document | None:
    if kind is None:
        return None
    if kind.table is not None:
        return kind.table.prepare(viewer, subject_id, parameters, language)
    assert kind.prepare is not None
    return kind.prepare(viewer, subject_id, language)


CONTENT_TYPES = {".pdf": "application/pdf", ".csv": CSV_TYPE, ".xlsx": XLSX_TYPE}


def content_type_of(file_name: str) -> str:
    return CONTENT_TYPES.get(PurePath(file_name).suffix.lower(), "application/octet-stream")


def _enqueue(pk: int) -> None:
    # Imported here: the task module imports this one.
    from koers.access.tasks import render_task

    render_task.enqueue(pk)


def renderings_of(viewer: Viewer) -> QuerySet[Rendering]:
    """The viewer's renderings, not expired (without their content)."""
    return (Rendering.objects.defer("content", "html", "stylesheet")
            .filter(requester_id=viewer.user.pk, expires_at__gt=clock.now()))


def rendering_for(viewer: Viewer, pk: int) -> Rendering:
    """The rendering ``pk`` for its status: the requester's own, not expired, about a
    subject they may still read; else ``NotFoundOrForbidden`` (the same for all)."""
    rendering = renderings_of(viewer).filter(pk=pk).first()
    if rendering is None or rendering.kind not in KINDS \
            or not kind_of(rendering).allowed(viewer, rendering.subject_id):
        raise NotFoundOrForbidden(_("This document does not exist or is not yours to read."))
    return rendering


class NotReady(DomainError):
    """The rendering has no PDF (yet): a wrong state, not a refusal."""


@dataclass(frozen=True)
class Download:
    file_name: str
    content: bytes
    content_type: str


def rendering_download(*, viewer: Viewer, pk: int) -> Download:
    """The ready rendering ``pk`` with its PDF, for its requester while they may still
    read its subject.

    Checklist: the requester's own and not expired (else ``NotFoundOrForbidden``); ready
    (else ``NotReady``, with the state's message); the kind asks again whether the viewer
    may read the subject and logs the read, as its page does (else
    ``NotFoundOrForbidden``).
    """
    rendering = (Rendering.objects.filter(requester_id=viewer.user.pk, pk=pk,
                                          expires_at__gt=clock.now()).first())
    if rendering is None or rendering.kind not in KINDS:
        raise NotFoundOrForbidden(_("This document does not exist or is not yours to read."))
    if rendering.state != RenderingState.READY:
        raise NotReady(state_message(rendering))
    if rendering.content is None or not kind_of(rendering).read(viewer, rendering.subject_id):
        raise NotFoundOrForbidden(_("This document does not exist or is not yours to read."))
    return Download(file_name=rendering.file_name, content=bytes(rendering.content),
                    content_type=rendering.content_type)


def state_message(rendering: Rendering) -> str:
    """What the requester reads about the rendering's state."""
    if rendering.state == RenderingState.QUEUED:
        return _("The document waits for a task worker to prepare it.")
    if rendering.state == RenderingState.RENDERING:
        return _("The document is being prepared.")
    if rendering.state == RenderingState.READY:
        return _("The document is ready.")
    return reason_message(rendering.reason)


# The worker's part -------------------------------------------------------------------------


def lay_out(html: str, stylesheet: str, *, pages_allowed: int,
            seconds_allowed: float) -> tuple[str, int, bytes]:
    """Lay the document out in a child process within the budget: ``("ready", pages,
    pdf)``, or a ``Reason`` with the pages counted (0 when unknown) and no PDF. The child
    is killed at the deadline, so a runaway layout stops there."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["koers.access.layout", "weasyprint", "pikepdf"])
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=layout.lay_out_in_child,
                            args=(html, stylesheet, pages_allowed, sender), daemon=True)
    started = time.monotonic()
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds_allowed):
            logger.warning("rendering: stopped after %.1f s", time.monotonic() - started)
            return Reason.TIME, 0, b""
        outcome: tuple[str, int, bytes] = receiver.recv()
        return outcome
    except EOFError:  # the child died without an answer
        return Reason.ERROR, 0, b""
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def rendering_run(pk: int) -> str:
    """Lay out the queued rendering ``pk`` (``render_task``); its state after.

    Checklist: take it from queued to rendering in one conditional update (a second run
    of the same task finds it taken and does nothing); lay it out outside any
    transaction, within the budget; store the PDF and its pages (ready), or the reason
    (over budget, failed); drop the HTML, which is no longer needed.
    """
    taken = Rendering.objects.filter(pk=pk, state=RenderingState.QUEUED).update(
        state=RenderingState.RENDERING, started_at=clock.now())
    if not taken:  # already laid out, or purged while it waited
        return ""
    source = Rendering.objects.filter(pk=pk).values(
        "html", "stylesheet", "kind", "subject_id", "parameters", "language",
        "requester_id").first()
    if source is None:
        return ""
    kind = KINDS.get(source["kind"])
    if kind is not None and kind.table is not None:
        made = _make_table(kind.table, source)
        outcome, pages, pdf = ((str(RenderingState.READY), 0, made) if isinstance(made, bytes)
                               else (made, 0, b""))
    else:
        outcome, pages, pdf = lay_out(source["html"], source["stylesheet"],
                                      pages_allowed=max_pages(), seconds_allowed=max_seconds())
        if outcome == RenderingState.READY and kind is not None and kind.finish is not None:
            outcome, pdf = _finished(kind, source, pdf)
    if outcome == RenderingState.READY:
        state, reason = RenderingState.READY, ""
    elif outcome in (Reason.PAGES, Reason.TIME):
        state, reason = RenderingState.OVER_BUDGET, outcome
    else:
        state, reason = RenderingState.FAILED, Reason.ERROR
    Rendering.objects.filter(pk=pk).update(
        state=state, reason=reason, content=pdf or None, pages=pages or None, html="",
        stylesheet="", finished_at=clock.now())
    logger.info("rendering %s: %s %s (%s pages)", pk, state, reason, pages)
    return str(state)


def _finished(kind: Kind, source: Mapping[str, Any], pdf: bytes) -> tuple[str, bytes]:
    """The kind's last step on the PDF; ``Reason.ERROR`` when it failed (logged)."""
    assert kind.finish is not None
    try:
        with translation.override(source["language"]):
            return str(RenderingState.READY), kind.finish(source["subject_id"], pdf,
                                                          source["language"])
    except Exception:
        logger.exception("finishing a %s PDF failed", source["kind"])
        return Reason.ERROR, b""


def _make_table(table: Table, source: Mapping[str, Any]) -> bytes | str:
    """A table's bytes, made as its requester may read it today, in their language; or
    ``Reason.ERROR`` when making it failed (logged, with its trace)."""
    requester = User.objects.filter(pk=source["requester_id"], is_active=True).first()
    if requester is None:
        return Reason.ERROR
    try:
        with translation.override(source["language"]):
            return table.make(Viewer.of(requester), source["subject_id"], source["parameters"])
    except Exception:
        logger.exception("rendering of a %s table failed", source["kind"])
        return Reason.ERROR


def pdf_now(html: str, stylesheet: str) -> bytes:
    """The PDF laid out at once, within the budget (a ``DomainError`` with the reason
    beyond it): for the tests of each kind's template and the command line. Pages and API
    operations ask for a rendering instead."""
    outcome, _pages, pdf = lay_out(html, stylesheet, pages_allowed=max_pages(),
                                   seconds_allowed=max_seconds())
    if outcome != RenderingState.READY:
        raise DomainError(reason_message(outcome))
    return pdf


def renderings_purge() -> int:
    """Delete the expired renderings; how many. Also those a worker never finished."""
    deleted, _by_model = Rendering.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted
