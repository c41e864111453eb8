"""Reading an error of the API (RFC 9457 problem details, api/problems.py)."""

from typing import Any


def said(response: Any) -> dict[str, Any]:
    """What a problem says to the caller: the occurrence and the messages per field."""
    body = response.json()
    return {"detail": body["detail"], "errors": body["errors"]}
