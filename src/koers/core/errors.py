"""Domain errors. Their messages are shown to users, so they are translatable."""

from collections.abc import Mapping, Sequence


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
