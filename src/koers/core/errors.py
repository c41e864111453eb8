"""Domain errors. Their messages are shown to users, so they are translatable."""

from collections.abc import Collection, Mapping, Sequence
from typing import Any


class DomainError(Exception):
    """A request the rules refuse; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundOrForbidden(DomainError):
    """Same error for a missing object and a forbidden one, so ids cannot be probed."""


class ValidationFailed(DomainError):
    """Input that breaks a rule; ``errors`` maps field names to messages."""

    def __init__(self, message: str, errors: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(message)
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}


class RecordClosed(ValidationFailed):
    """A change to a record that is signed, confirmed, fixed or closed: refused like any
    invalid input, and noted in the security log by the service that refused it
    (``access.security.records_closed_writes``); ``record`` is the closed record."""

    def __init__(self, message: str, *, record: object) -> None:
        super().__init__(message)
        self.record = record


class EditConflict(ValidationFailed):
    """Someone saved since the editor loaded the record: nothing was saved.

    ``current`` holds what is saved now (field name → value; an evaluation's texts per
    goal under ``items``, by position) and ``revision`` its revision, so the page shows
    theirs beside the editor's own text and the next save starts from it, and the API
    answers 409 with both.
    """

    def __init__(self, message: str, *, current: dict[str, Any], revision: int) -> None:
        super().__init__(message, {"expected_revision": [message]})
        self.current = current
        self.revision = revision


class PreconditionFailed(Exception):
    """The caller named the revisions of the record it read (HTTP ``If-Match``) and the
    record, read under the change's row lock, has none of them now: nothing was changed.
    ``revision`` is the record's revision now. No message: the face that let the caller
    name revisions says it in its own words (the API: 412 ``precondition_failed``)."""

    def __init__(self, revision: int) -> None:
        super().__init__(revision)
        self.revision = revision


def require_revision(revision: int, if_revision_in: Collection[int] | None) -> None:
    """Refuse a change when the caller named the revisions it read and ``revision`` (the
    locked record's, before the change) is none of them; ``None`` names none: no check.

    A service calls it after ``select_for_update``, so two callers who read the same
    revision cannot both pass: the second waits for the lock and finds the next one."""
    if if_revision_in is not None and revision not in if_revision_in:
        raise PreconditionFailed(revision)
