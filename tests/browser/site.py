"""What a browser test does on the live server: sign in and out, audit accessibility,
and follow a PDF link to its download."""

import re
import time
from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Download, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.factories.renderings import work_off

DEMO_PASSWORD = "demo"


def current_totp_code(email: str) -> str:
    """The code the user's authenticator app shows now. allauth accepts a code once: the
    marker of its use is cleared, as if the next 30 seconds had come."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    authenticator = Authenticator.objects.get(user__email=email,
                                              type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    # A code typed in the last seconds of its window that reaches the server in the next
    # one is still accepted (MFA_TOTP_TOLERANCE): no need to wait for a fresh window.
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code
# axe impacts that fail a test; "minor" and "moderate" ones are left to a full audit.
BLOCKING_IMPACTS = {"serious", "critical"}


# "Log out" in English, Dutch, French and German.
LOG_OUT = re.compile(r"^(Log out|Afmelden|Se déconnecter|Abmelden)$")


@dataclass
class Site:
    """The live server as one browser tab sees it."""

    url: str
    context: BrowserContext
    page: Page
    # Requests aimed anywhere but the live server; they were aborted.
    blocked: list[str] = field(default_factory=list)
    # Console errors and uncaught exceptions: a missing static file, a CSP violation, a bug.
    errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(self.url + path)

    def login(self, email: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in through the allauth form and land on the home page."""
        self.go("/accounts/login/")
        form = self.page.locator("form").filter(has=self.page.locator("input[name=login]"))
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(password)
        # Enter submits the login form itself, whatever its button is called.
        form.locator("input[name=password]").press("Enter")
        self.page.wait_for_load_state("load")
        if "/accounts/2fa/authenticate/" in self.page.url:
            self.page.locator("input[name=code]").fill(current_totp_code(email))
            self.page.locator("input[name=code]").press("Enter")
        expect(self.page).to_have_url(self.url + "/")

    def logout(self) -> None:  # in any of Koers' languages
        viewport = self.page.viewport_size
        if viewport is not None and viewport["width"] < 640:  # below 40rem
            # On a phone the menu, with "Log out", is folded behind its button.
            menu = self.page.locator(".koers-menu-button")
            if menu.get_attribute("aria-expanded") != "true":
                menu.click()
        self.page.get_by_role("button", name=LOG_OUT).click()
        expect(self.page.locator("input[name=login]")).to_be_visible()


# A click that navigates returns before the next page has loaded; axe run on the page
# being left fails with one of these. The audit then waits for the new page and runs again.
NAVIGATING = ("documentElement", "Execution context was destroyed", "navigat")


def _axe_run(page: Page) -> dict:  # type: ignore[type-arg]
    for attempt in range(5):
        page.wait_for_load_state("load")
        try:
            return Axe().run(page).response  # type: ignore[no-any-return]
        except PlaywrightError as error:
            if attempt == 4 or not any(mark in str(error) for mark in NAVIGATING):
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    response = _axe_run(page)
    blocking = [v for v in response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"- {v['impact']}: {v['id']}: {v['help']} ({v['helpUrl']})\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in blocking
    )
    assert blocking == [], f"axe-core found {len(blocking)} violation(s) on {page.url}:\n{report}"


def download_through_worker(page: Page, link: Locator) -> Download:
    """Press a PDF button (``link``): its page says the document is being prepared, a task worker
    (run here, as ``koers db_worker`` would) lays it out, and the page, polling, offers
    the download."""
    link.click()
    expect(page.locator("#rendering-status")).to_be_visible()
    assert_accessible(page)
    work_off()
    button = page.locator("#rendering-download")
    expect(button).to_be_visible(timeout=20_000)
    assert_accessible(page)
    with page.expect_download() as download:
        button.click()
    return download.value
