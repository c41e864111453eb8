"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Chromium talks to the live server only: its background services are off, no host name but
the live server's resolves, and the `site` fixture aborts and records every request that
leaves the live server, so a page that reaches for the network fails its test.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Playwright, Route, sync_playwright

from tests.browser.site import Site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--headless",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last, after pytest-django's own ordering (see playwright_driver)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    # Playwright's sync API keeps an event loop running in this thread for as long as it
    # lives, and Django refuses ORM calls while a loop runs. The tests' own ORM calls are
    # synchronous, so allow them; browser tests run last, so no other test runs with
    # that check switched off.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bin/test does)")
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def site(live_server: Any, browser: Browser) -> Iterator[Site]:
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    context.set_default_timeout(10_000)
    result = Site(url=live_server.url, context=context, page=context.new_page())

    def only_live_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url + "/"):
            route.continue_()
        else:
            result.blocked.append(route.request.url)
            route.abort()

    def record_error(message: ConsoleMessage) -> None:
        if message.type == "error":
            result.errors.append(f"{message.text} ({message.location['url']})")

    context.route("**/*", only_live_server)
    result.page.on("console", record_error)
    result.page.on("pageerror", lambda error: result.errors.append(str(error)))
    yield result
    context.close()
    assert result.blocked == [], f"pages reached beyond the live server: {result.blocked}"


@pytest.fixture
def demo(settings: Any) -> None:
    """The demo organisations, built the way `koers demo` builds them."""
    # Imported here so a broken demo module fails the browser tests, not the whole run.
    from koers.organisation.demo import build_demo

    # The demo hashes a password per login; the slow production hasher would take most
    # of each test's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo()


@pytest.fixture(autouse=True)
def demo_accounts_sign_in_with_their_password(settings: Any) -> None:
    """The journeys sign in the demo organisations' HR and body accounts, which have no
    authenticator, as ``bin/demo`` does: the two-factor rule off (docs/access.md). The
    accounts built with a role by ``tests.factories`` have one, and sign in with its code
    (``Site.login``); the rule itself is tested in tests/access and tests/web."""
    settings.KOERS_MFA_REQUIRED = False
