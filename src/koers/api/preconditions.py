"""Optimistic locking over HTTP: ``ETag`` and ``If-Match`` (RFC 9110, "HTTP Semantics",
8.8.3 and 13.1.1) for the records that keep a revision, the same revision the pages and
the bodies' ``expected_revision`` use.

Reading such a record answers with ``ETag: "<revision>"``; a change of it (PATCH, PUT or
a POST that moves it on) sent with ``If-Match`` is refused with 412
``precondition_failed`` when no tag in it is the record's current one, before anything
is written. The face passes ``if_match`` to its service as ``if_revision_in`` and the
service compares it under its row lock (two callers who read the same revision cannot
both pass). Without ``If-Match`` the change goes on as before: the header is a
precondition a client may set, not one it must (``expected_revision`` in the body, where
the operation has one, still answers 409 ``edit_conflict``). Every operation that
honours it says so in the OpenAPI schema (``honours_if_match``)."""

import re
from typing import Any

from django.http import HttpRequest, HttpResponse

# A strong entity tag as this API makes them: a revision in quotes. A weak tag (``W/"3"``)
# or any other tag names no revision: If-Match compares strongly (RFC 9110, 13.1.1).
# Exactly the tags ``etag`` writes: ``"07"`` is not ``"7"``.
_STRONG_REVISION = re.compile(r'"(0|[1-9]\d{0,17})"')


def etag(revision: int) -> str:
    return f'"{revision}"'


def tag(response: HttpResponse, revision: int) -> None:
    """Say the record's revision in the answer (a read, and the answer to a change)."""
    response["ETag"] = etag(revision)


def if_match(request: HttpRequest) -> frozenset[int] | None:
    """The revisions ``If-Match`` names, for the service to compare under its row lock;
    ``None`` when the header is absent or ``*`` (any record that exists: the operation
    found it). A header naming no revision this API made is an empty set: it never
    matches."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = [part.strip() for part in header.split(",")]
    if "*" in tags:
        return None
    return frozenset(int(found.group(1)) for part in tags
                     if (found := _STRONG_REVISION.fullmatch(part)))


def honours_if_match() -> dict[str, Any]:
    """``openapi_extra`` of an operation that honours ``If-Match``: the header and its 412 (a
    fresh dict each time, as the schema builder merges it into the operation's own)."""
    problem = {"$ref": "#/components/schemas/Problem"}
    return {
        "parameters": [{
            "in": "header", "name": "If-Match", "required": False,
            "description": "The ETag of the record as last read: the change is refused "
                           "with 412 when the record changed since.",
            "schema": {"type": "string"},
        }],
        "responses": {412: {
            "description": "Precondition Failed",
            "content": {"application/problem+json": {"schema": problem}},
        }},
    }
