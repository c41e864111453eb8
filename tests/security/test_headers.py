"""The security headers on the routes the authorization matrix leaves out: the log-in and
account pages (allauth), the admin and the API's own documentation. The matrix checks
them on every answer it gets from every other page and API operation
(tests/access/matrix.py, ``check``); together they are the report's "Headers"."""

import pytest
from django.urls import get_resolver

from tests import factories
from tests.access import matrix
from tests.security import figures, headers

pytestmark = pytest.mark.django_db

REPORT = "Headers"


def _routes() -> list[str]:
    """The URLs of the routes the matrix skips that need no object in their path."""
    found = []
    for route, _name in matrix.web_patterns(get_resolver().url_patterns):
        if not (route.startswith(matrix.SKIPPED_PREFIXES) or route in matrix.API_DOCS):
            continue
        if "<" in route or route.startswith(("static/", "media/")):
            continue
        found.append("/" + route.replace("^", "").replace("$", ""))
    return found


def test_every_route_outside_the_matrix_carries_the_security_headers(client):
    routes = _routes()
    superuser = factories.superuser(email="root@example.test", password="x")
    missing = []

    for signed_in in (False, True):
        if signed_in:
            client.force_login(superuser)
        for url in routes:
            response = client.get(url)
            missing += [f"GET {url} ({'superuser' if signed_in else 'anonymous'}): no {name}"
                        for name in headers.missing(response.headers)]

    figures.record(REPORT, "account, admin and API documentation routes checked", len(routes))
    figures.record(REPORT, "responses checked", 2 * len(routes))
    figures.record(REPORT, "missing headers", len(missing))
    assert len(routes) > 60
    assert missing == []
