"""Shapes every room of the REST API shares: an error (RFC 9457), an edit that met a
newer save, a reference to a person or a unit, a PDF being prepared. Names follow the glossary."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Schema
from pydantic import ConfigDict, Field

from koers.access.models import Rendering, RenderingState
from koers.access.renderings import state_message
from koers.core.limits import TEXT_MAX
from koers.organisation.models import Person, Unit


class Input(Schema):
    """A request body: every text in it (nested lists and maps too) holds at most
    ``core.limits.TEXT_MAX`` characters, stated in the schema as ``maxLength``. Every
    shape an operation reads derives from it (a test walks the operations)."""

    model_config = ConfigDict(str_max_length=TEXT_MAX)


# A record named by its id in a list of a request body: the databases' ids are positive
# 64-bit integers. A larger number names no record, but the list's query (``pk__in``)
# cannot even be sent with it: it failed with a server error instead of a 422.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PersonRef(Schema):
    id: int
    name: str

    @classmethod
    def of(cls, person: Person | None) -> "PersonRef | None":
        return None if person is None else cls(id=person.pk, name=person.full_name)


class UnitRef(Schema):
    id: int
    code: str
    name: str

    @classmethod
    def of(cls, unit: Unit) -> "UnitRef":
        return cls(id=unit.pk, code=unit.code, name=unit.name)


class Problem(Schema):
    """An error, as RFC 9457 problem details (``application/problem+json``; every error
    of the API has this shape, ``api/problems.py``). ``code`` names the kind of problem
    and never changes: a script switches on it (``type`` is the same as a URI, which
    answers with its description). ``title`` says the kind in a few words and ``detail``
    this occurrence, both in the caller's language; ``errors`` holds the messages per
    field where the request's fields are at fault (``milestones.0.text``)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] = {}


class ConflictOut(Problem):
    """Someone else saved first (409, code ``edit_conflict``): nothing of yours was saved;
    compare, and save again with the current ``revision`` as ``expected_revision``."""

    revision: int  # save again with this ``expected_revision``
    # As saved now, field by field (an evaluation: ``overall``, ``items`` by position,
    # and for the report ``verdict`` and ``advanced_evaluation_on``).
    current: dict[str, Any]


class RenderingOut(Schema):
    """A file asked for (``access/renderings.py``): a PDF, or the CSV or XLSX table of a
    table kind; a task worker prepares it. Follow ``status_url`` until ``state`` is
    ``ready`` (then ``pdf_url`` downloads it, of type ``content_type``, while the requester
    may still read its subject) or ``failed`` / ``over_budget`` (``reason`` and ``message``
    say why). Only its requester sees it; it expires at ``expires_at``."""

    id: int
    kind: str
    subject_id: int
    language: str
    state: str  # queued, rendering, ready, failed, over_budget
    reason: str | None  # pages, time, error; None unless failed or over budget
    message: str  # the state in the caller's language
    pages: int | None
    file_name: str
    content_type: str  # application/pdf, text/csv or the XLSX type
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    expires_at: dt.datetime
    status_url: str
    pdf_url: str | None  # once ready

    @classmethod
    def of(cls, rendering: Rendering, request: HttpRequest) -> "RenderingOut":
        ready = rendering.state == RenderingState.READY
        return cls(
            id=rendering.pk, kind=rendering.kind, subject_id=rendering.subject_id,
            language=rendering.language, state=rendering.state,
            reason=rendering.reason or None, message=state_message(rendering),
            pages=rendering.pages, file_name=rendering.file_name,
            content_type=rendering.content_type,
            requested_at=rendering.requested_at, finished_at=rendering.finished_at,
            expires_at=rendering.expires_at,
            status_url=request.build_absolute_uri(
                reverse("api:rendering_status", args=[rendering.pk])),
            pdf_url=request.build_absolute_uri(
                reverse("api:rendering_pdf", args=[rendering.pk])) if ready else None)
