"""Optimistic locking over HTTP: ``ETag`` and ``If-Match`` (RFC 9110, "HTTP Semantics",
8.8.3 and 13.1.1) for the records that keep a revision, the same revision the pages and
the bodies' ``expected_revision`` use.

Reading such a record answers with ``ETag: "<revision>"``; a change of it (PATCH, PUT or
a POST that moves it on) sent with ``If-Match`` is refused with 412
``precondition_failed`` when no tag in it is the record's current one, before anything
is written. Without ``If-Match`` the change goes on as before: the header is a
precondition a client may set, not one it must (``expected_revision`` in the body, where
the operation has one, still answers 409 ``edit_conflict``). Every operation that
honours it says so in the OpenAPI schema (``honours_if_match``)."""

from typing import Any

from django.http import HttpRequest, HttpResponse


class PreconditionFailed(Exception):
    """``If-Match`` named no tag of the record as it is now; ``etag`` is its tag now."""

    def __init__(self, etag: str) -> None:
        super().__init__(etag)
        self.etag = etag


def etag(revision: int) -> str:
    return f'"{revision}"'


def tag(response: HttpResponse, revision: int) -> None:
    """Say the record's revision in the answer (a read, and the answer to a change)."""
    response["ETag"] = etag(revision)


def check(request: HttpRequest, revision: int) -> None:
    """Refuse the change when ``If-Match`` is sent and names no tag the record has now.

    ``*`` matches any record that exists (the operation found it). The comparison is the
    strong one RFC 9110 asks for ``If-Match``: a weak tag (``W/"3"``) never matches."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = {part.strip() for part in header.split(",")}
    if "*" in tags or etag(revision) in tags:
        return
    raise PreconditionFailed(etag(revision))


def honours_if_match() -> dict[str, Any]:
    """``openapi_extra`` of an operation that calls ``check``: the header and its 412 (a
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
