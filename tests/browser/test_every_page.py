"""Every page of the authorization matrix fits the screen and passes axe-core.

Each web page of ``tests/access/matrix.py`` that answers with HTML is opened in the
browser by a reader the matrix allows (``matrix.reader_of``; the pages about the caller
by the employee, the 1st evaluator and HR, each where it answers them), at a phone's
360×740 and a desktop's 1280×800 in Dutch and English, and at 1280×800 in French and
German. On each:

- the page is no wider than the screen (WCAG 1.4.10 Reflow): a wide table scrolls inside
  its own focusable region (``.koers-table-wrap``) or stacks, long words wrap;
- axe-core, with the WCAG 2.0, 2.1 and 2.2 A and AA rules, finds nothing of any impact.

One test per (language, screen), so pytest-xdist spreads them over its workers; each
builds the matrix's world once and reuses one browser tab, signing each reader in by
handing the browser a session cookie. The number of (page, screen, language) triples
checked is printed at the end of the run (``tests/conftest.py``).

The crawl runs on SQLite only: how wide a page is and what axe finds on it do not depend
on the database, and the suite's run on PostgreSQL is long enough (CONTRIBUTING, Running
tests).
"""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import connection
from django.test import Client

from koers.core.models import User
from tests.access import matrix
from tests.browser.site import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (360, 740)
DESKTOP = (1280, 800)
RUNS = [("nl", PHONE), ("nl", DESKTOP), ("en", PHONE), ("en", DESKTOP),
        ("fr", DESKTOP), ("de", DESKTOP)]
AXE_OPTIONS = {"runOnly": {"type": "tag",
                           "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
               "resultTypes": ["violations"]}
# The pages about the caller (``OWN``) differ by who reads them: each is read by these,
# where it answers them.
OWN_READERS = (matrix.Rel.EMPLOYEE, matrix.Rel.FIRST, matrix.Rel.HR)


def _visits(world: matrix.World) -> list[tuple[str, matrix.Rel]]:
    """``(url, relation)`` for every web page of the matrix and its readers."""
    visits = []
    for endpoint in matrix.endpoints():
        if endpoint.api or endpoint.key not in matrix.EXPECTED:
            continue
        url = matrix.url_of(endpoint, world.ids)
        if url is None:
            continue
        if matrix.EXPECTED[endpoint.key] is None:
            visits += [(url, rel) for rel in OWN_READERS]
        else:
            reader = matrix.reader_of(world, endpoint)
            if reader is not None:
                visits.append((url, reader))
    return visits


def _is_page(client: Client, url: str) -> bool:
    """Whether ``url`` answers its reader with an HTML page (not a download, a redirect,
    a refusal or a form that only takes a POST)."""
    response = client.get(url)
    return response.status_code == 200 and "text/html" in response.get("Content-Type", "")


def _violations(response: dict[str, Any]) -> list[str]:
    return [f"{v['impact']}: {v['id']}: {v['help']}: "
            + "; ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in response["violations"]]


@pytest.mark.parametrize(("language", "screen"), RUNS,
                         ids=[f"{code}-{width}" for code, (width, _h) in RUNS])
def test_every_page_fits_the_screen_and_passes_axe(site: Site, live_server: Any,
                                                   record_property: Any, language: str,
                                                   screen: tuple[int, int]) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("a page's width and accessibility do not depend on the database")
    world = matrix.build()
    User.objects.update(language=language)
    width, height = screen
    page = site.page
    page.set_viewport_size({"width": width, "height": height})
    axe = Axe()
    clients: dict[matrix.Rel, Client] = {}
    problems: dict[str, list[str]] = {}
    checked = 0
    for url, rel in _visits(world):
        if rel not in clients:
            user = world.users[rel]
            assert user is not None
            clients[rel] = Client()
            clients[rel].force_login(user)
        client = clients[rel]
        if not _is_page(client, url):
            continue
        site.context.clear_cookies()
        site.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        site.go(url)
        checked += 1
        found = []
        wide = int(page.evaluate("document.documentElement.scrollWidth"))
        if wide > width:
            found.append(f"{wide} px wide")
        page.evaluate(axe.axe_script)
        found += _violations(page.evaluate("(options) => axe.run(document, options)",
                                           AXE_OPTIONS))
        if found:
            problems[f"{url} as {rel}"] = found

    record_property("pages_checked", checked)
    print(f"{checked} (page, width, language) triples checked at {width} px in {language}")
    assert checked > 150  # the matrix's pages were visited, not skipped
    report = "\n".join(f"{where}:\n  " + "\n  ".join(found)
                       for where, found in problems.items())
    assert not problems, f"{len(problems)} of {checked} pages at {width} px in " \
                         f"{language}:\n{report}"
