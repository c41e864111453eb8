"""Marc signs in through his employer's identity provider (OpenID Connect, a real provider
on a socket: tests/oidc.py) and lands on his home page with his data, in Dutch and in
English; his password still works while his organisation allows it, and is refused once
it does not."""

import re

import pytest
from playwright.sync_api import expect

from koers.access.models import EmployerSignIn
from koers.core.models import User
from koers.organisation.models import Person
from tests.browser.site import Site, assert_accessible
from tests.oidc import Provider, configure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPLOYEE = "marc.vandamme@demo.koers"
HR = "els.deckers@demo.koers"


@pytest.fixture
def employer(site: Site, demo: None, oidc_provider: Provider,
             oidc_secret: str) -> tuple[Provider, EmployerSignIn, str]:
    """Marc's organisation signs its people in through the provider, which knows Marc by
    his employee number (as Entra ID does with the employeeid claim), and says nothing
    of his e-mail address. The browser may reach the provider; the provider's page's
    style sheet from a CDN is answered empty rather than fetched."""
    marc = Person.objects.select_related("organisation").get(user__email=EMPLOYEE)
    config = configure(marc.organisation, oidc_provider, actor=User.objects.get(email=HR),
                       name="Federale werkgever")
    sub = oidc_provider.person({"employee_number": marc.employee_number,
                                "name": "Marc Vandamme"})
    site.context.route(re.compile(r"^https://cdn\.jsdelivr\.net/.*"),
                       lambda route: route.fulfill(status=200, body="",
                                                   content_type="text/css"))
    site.context.route(f"{oidc_provider.url}/**", lambda route: route.continue_())
    return oidc_provider, config, sub


def sign_in_through_employer(site: Site, button: str, sub: str) -> None:
    site.go("/accounts/login/")
    site.page.get_by_role("button", name=button).click()
    site.page.locator("#subject-input").fill(sub)
    site.page.get_by_role("button", name="Authorize", exact=True).click()
    expect(site.page).to_have_url(site.url + "/")


@pytest.mark.parametrize(("language", "profile"), [("nl", "Mijn profiel"),
                                                    ("en", "My profile")])
def test_marc_signs_in_through_his_employer_and_sees_his_home_page(
        site: Site, employer: tuple[Provider, EmployerSignIn, str], language: str,
        profile: str) -> None:
    """The log-in page speaks the browser's language (Dutch here); once Koers knows who
    signed in, his home page speaks the language of his account."""
    _provider, _config, sub = employer
    User.objects.filter(email=EMPLOYEE).update(language=language)

    sign_in_through_employer(site, "Aanmelden met Federale werkgever", sub)

    region = site.page.get_by_role("region", name=profile)
    expect(region).to_contain_text("Vandamme")
    expect(region).to_contain_text("Ratana Than")
    assert_accessible(site.page)
    assert site.errors == []


def test_his_password_works_while_allowed_and_is_refused_once_not(
        site: Site, employer: tuple[Provider, EmployerSignIn, str]) -> None:
    _provider, config, sub = employer
    sign_in_through_employer(site, "Aanmelden met Federale werkgever", sub)
    site.logout()

    site.login(EMPLOYEE)  # the password, after the first sign-in through the employer
    site.logout()
    EmployerSignIn.objects.filter(pk=config.pk).update(passwords_allowed=False)
    site.go("/accounts/login/")
    site.page.locator("input[name=login]").fill(EMPLOYEE)
    site.page.locator("input[name=password]").fill("demo")
    site.page.locator("input[name=password]").press("Enter")

    expect(site.page.get_by_text(
        "Je organisatie meldt je aan via Federale werkgever: gebruik die knop.")).to_be_visible()
    expect(site.page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in_through_employer(site, "Aanmelden met Federale werkgever", sub)
