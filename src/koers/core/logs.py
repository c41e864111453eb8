"""Log lines for a log collector: one JSON object a line (``KOERS_LOG_FORMAT=json``).

Each line has the time (UTC, ISO 8601), the level, the logger and the message; a line
written while a request is served also has that request's id (``request_id``), so the
lines of one request can be found together. The request log itself
(``web.middleware.RequestLogMiddleware``) adds the user's id, the method, the path, the
status and the duration, never a name or what was typed.
"""

import contextvars
import datetime as dt
import json
import logging
from typing import Any

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None)
# The method and the raw path of the request being served, for the error hook, which
# reports the path with its text parts named (``core.error_reports``): never logged as is.
request_line: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "request_line", default=None)

# Attributes every LogRecord has; anything else was passed in ``extra`` and is logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def with_names(path: str, kwargs: dict[str, Any]) -> str:
    """``path`` with every text part of the URL replaced by its name: the calendar feed's
    token or a password-reset key is a credential (``/calendar/<token>.ics``); numbers,
    the ids of records, stay."""
    for name, value in kwargs.items():
        if isinstance(value, str) and value:
            path = path.replace(value, f"<{name}>")
    return path


class RequestIdFilter(logging.Filter):
    """Put the id of the request being served on every record (``-`` outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items()
                     if key not in _STANDARD and not key.startswith("_")})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
