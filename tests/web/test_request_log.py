"""One log line per request, with its id and the user's id, never a name or content;
as JSON with KOERS_LOG_FORMAT=json (docs/operations.md, "Logs")."""

import json
import logging

import pytest

from koers.core.logs import JsonFormatter, RequestIdFilter
from tests import personas


def _lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "koers.request"]


@pytest.mark.django_db
def test_a_request_is_logged_with_the_user_id_and_no_name(client, caplog):
    p = personas.build()
    client.force_login(p.employee.user)
    with caplog.at_level(logging.INFO, logger="koers.request"):
        response = client.get("/goals/?q=Vandamme", HTTP_X_REQUEST_ID="proxy-42")
    (record,) = _lines(caplog)
    line = json.loads(JsonFormatter().format(record))
    assert response.headers["X-Request-ID"] == "proxy-42"
    assert {key: line[key] for key in ("level", "logger", "request_id", "user_id", "method",
                                       "path", "status")} == {
        "level": "INFO", "logger": "koers.request", "request_id": "proxy-42",
        "user_id": p.employee.user.pk, "method": "GET", "path": "/goals/",
        "status": response.status_code}
    assert line["duration_ms"] >= 0
    assert "time" in line
    text = json.dumps(line)
    assert "Vandamme" not in text
    assert p.employee.user.email not in text


@pytest.mark.django_db
def test_a_secret_in_the_url_is_not_logged(client, caplog):
    with caplog.at_level(logging.INFO, logger="koers.request"):
        client.get("/calendar/s3cr3t-token-value.ics")
    (record,) = _lines(caplog)
    assert "s3cr3t" not in record.path
    assert "s3cr3t" not in record.getMessage()


def test_a_request_id_that_is_not_sane_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="koers.request"):
        response = client.get("/health/live", HTTP_X_REQUEST_ID="<script>")
    assert response.headers["X-Request-ID"] != "<script>"
    assert len(response.headers["X-Request-ID"]) == 32
    (record,) = _lines(caplog)
    assert record.user_id is None


def test_lines_logged_while_serving_a_request_carry_its_id():
    record = logging.LogRecord("koers.notify", logging.WARNING, __file__, 1, "failed %s",
                               ("SMTPDataError",), None)
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert (line["request_id"], line["message"], line["level"]) == (
        "-", "failed SMTPDataError", "WARNING")
