"""/api/v1/docs: the interactive API reference works under the Content Security Policy,
from Koers' own static files (no CDN, no inline script)."""

import pytest
from playwright.sync_api import expect

from tests.browser.site import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_reference_renders_from_our_own_files(site: Site) -> None:
    page = site.page
    site.go("/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Koers API")
    expect(page.locator(".opblock-tag").first).to_be_visible()
    # An operation opens with its parameters and answers, the problem details included.
    page.locator(".opblock-summary-path", has_text="/api/v1/me/tasks").first.click()
    expect(page.locator(".opblock-body").first).to_contain_text("application/problem+json")
    assert site.errors == []
