"""Screenshots of the demo's main pages, as each demo login sees them (``bin/screens``).

Signs in each demo login (``koers.organisation.demo.DEMO_LOGINS``, but the superuser)
through the log-in form of a running server, follows its main menu and saves each page
at a desktop's 1280×800 and a phone's 360×740, in Dutch and English; the federal
employee's pages in French and German too (at 1280×800). The language is switched with
the page's own language buttons, as a person would. Full-page PNGs, named
``<folder>/<login>/<language>-<width>/<nn>-<page>.png``.

    python -m tests.browser.screens http://127.0.0.1:8123 screens/

Not a test: nothing is asserted; the pictures are for a person to look at.
"""

import os
import re
import sys
from pathlib import Path

import django
from playwright.sync_api import Page, sync_playwright

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.config.settings")
django.setup()  # the demo's logins are read from its module, which imports models

from koers.organisation import demo  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SIZES = {1280: 800, 360: 740}
LANGUAGES = ("nl", "en")
# The federal employee, the worked example: also read in the two other languages.
EMPLOYEE = demo.MARC.email
MORE_LANGUAGES = ("fr", "de")


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    form = page.locator("form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(demo.DEMO_PASSWORD)
    form.locator("input[name=password]").press("Enter")
    page.wait_for_load_state("load")
    if page.url.rstrip("/") != base:
        raise SystemExit(f"{email} did not reach the start page but {page.url}: is the "
                         "two-factor rule off (KOERS_MFA_REQUIRED=0)?")


def _speak(page: Page, base: str, code: str) -> None:
    """Switch to ``code`` with the header's language button (saved on the account), on
    a wide screen, where the header is not folded behind its menu button."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/")
    button = page.locator(f"button[name=language][value={code}]")
    if button.count():  # absent when the page already speaks it
        button.click()
        page.wait_for_load_state("load")


def _menu(page: Page, base: str) -> list[str]:
    """The paths of the main menu, Start first."""
    page.goto(f"{base}/")
    hrefs = page.eval_on_selector_all(".koers-nav a", "links => links.map(a => a.pathname)")
    return list(dict.fromkeys(["/", *hrefs]))


def shoot(base: str, folder: Path) -> int:
    taken = 0
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for login in demo.DEMO_LOGINS:
            if login.email == demo.ADMIN_EMAIL:
                continue
            context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
            page = context.new_page()
            _sign_in(page, base, login.email)
            page.set_viewport_size({"width": 1280, "height": 800})
            paths = _menu(page, base)
            runs = [(code, width) for code in LANGUAGES for width in SIZES]
            if login.email == EMPLOYEE:
                runs += [(code, 1280) for code in MORE_LANGUAGES]
            for code, width in runs:
                _speak(page, base, code)
                page.set_viewport_size({"width": width, "height": SIZES[width]})
                where = folder / login.email.split("@")[0] / f"{code}-{width}"
                where.mkdir(parents=True, exist_ok=True)
                for number, path in enumerate(paths):
                    page.goto(base + path)
                    page.screenshot(path=where / f"{number:02d}-{_slug(path)}.png",
                                    full_page=True)
                    taken += 1
            context.close()
            print(f"{login.email}: {len(paths)} pages in {len(runs)} languages and sizes")
        browser.close()
    return taken


if __name__ == "__main__":
    base_url, out = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    print(f"{shoot(base_url, out)} screenshots in {out}/")
