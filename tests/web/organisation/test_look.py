"""The organisation's colour and logo on the pages: HR's page, the stylesheet and the logo
every page of the organisation links, and what that costs a page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.organisation import look
from koers.organisation.models import Organisation, OrganisationLogo
from tests import personas
from tests.factories import looks

pytestmark = pytest.mark.django_db


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def _url(p) -> str:
    return reverse("organisation_look", args=[p.employee.organisation_id])


def _organisation(p) -> Organisation:
    return Organisation.objects.get(pk=p.employee.organisation_id)


def _styled(p, colour: str = "#1d4f91") -> Organisation:
    return look.organisation_look_save(
        organisation=p.employee.organisation, actor=p.hr.user,
        change=look.LookChange(primary_colour=colour, logo=looks.image()))


def test_hr_sets_the_colour_and_the_logo(client, p) -> None:
    client.force_login(p.hr.user)
    logo = looks.image("WEBP")

    response = client.post(_url(p), {"primary_colour": "#1D4F91", "logo": _upload(logo)},
                           follow=True)

    organisation = _organisation(p)
    assert (organisation.primary_colour, organisation.logo_type) == ("#1d4f91", "image/webp")
    assert bytes(OrganisationLogo.objects.get(organisation=organisation).image) == logo
    assert "De kleur en het logo van de organisatie zijn opgeslagen." in \
        response.content.decode()


def _upload(data: bytes, name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(("language", "says"), [
    ("nl", "contrast van 1,34:1 met wit"), ("en", "contrast of 1.34:1 with white"),
    ("fr", "contraste de 1,34:1 avec le blanc"), ("de", "Kontrast von 1,34:1 zu Weiß")])
def test_a_colour_without_contrast_is_refused_in_the_readers_language(
        client, p, language, says) -> None:
    p.hr.user.language = language
    p.hr.user.save(update_fields=["language"])
    client.force_login(p.hr.user)

    response = client.post(_url(p), {"primary_colour": "#ffdd00", "logo": _upload(looks.image())})

    assert response.status_code == 200
    assert says in response.content.decode()
    organisation = _organisation(p)
    assert (organisation.primary_colour, organisation.logo_type,
            organisation.look_version) == ("", "", 0)


@pytest.mark.parametrize(("data", "name", "says"), [
    (looks.SVG, "logo.svg", "SVG wordt niet aanvaard"),
    (b"just some text", "logo.png", "moet een PNG-, JPEG- of WebP-afbeelding zijn"),
    (looks.image() + bytes(look.LOGO_MAX_BYTES), "logo.png", "groter dan 256 KB"),
])
def test_a_logo_that_is_no_small_image_is_refused_and_nothing_changes(
        client, p, data, name, says) -> None:
    _styled(p)
    client.force_login(p.hr.user)

    response = client.post(_url(p), {"primary_colour": "#155d69", "logo": _upload(data, name)})

    assert response.status_code == 200
    assert says in response.content.decode()
    organisation = _organisation(p)
    assert (organisation.primary_colour, organisation.logo_type,
            organisation.look_version) == ("#1d4f91", "image/png", 1)
    assert bytes(OrganisationLogo.objects.get(organisation=organisation).image) == \
        looks.image()


def test_the_employee_gets_the_404_of_a_missing_organisation(client, p) -> None:
    client.force_login(p.employee.user)

    assert client.get(_url(p)).status_code == 404
    assert client.post(_url(p), {"primary_colour": "#000000"}).status_code == 404
    assert _organisation(p).primary_colour == ""


def test_the_stylesheet_and_the_logo_are_served_to_the_organisation_and_kept(client, p) -> None:
    _styled(p)
    client.force_login(p.employee.user)
    organisation_id = p.employee.organisation_id

    css = client.get(reverse("organisation_theme", args=[organisation_id]) + "?v=1")
    logo = client.get(reverse("organisation_logo", args=[organisation_id]) + "?v=1")

    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert "--basis-color-accent-1-inverse-bg-default: #1d4f91;" in css.content.decode()
    assert (logo["Content-Type"], logo.content) == ("image/png", looks.image())
    assert css["Cache-Control"] == logo["Cache-Control"] == \
        "private, max-age=31536000, immutable"


def _theme_token(name: str) -> str:
    """The token Koers's theme gives the component token ``name`` (``var(--token)``)."""
    with open(finders.find("web/koers-theme.css"), encoding="utf-8") as theme:
        found = re.search(rf"{name}: var\((--[a-z0-9-]+)\);", theme.read())
    assert found is not None
    return found.group(1)


def test_the_footer_takes_the_organisations_colour_with_white_text(client, p) -> None:
    _styled(p)
    client.force_login(p.employee.user)

    css = client.get(reverse("organisation_theme", args=[p.employee.organisation_id]))

    background = _theme_token("--utrecht-page-footer-background-color")
    assert f"{background}: #1d4f91;" in css.content.decode()
    # White on the colour: the contrast organisation.look already demands of it.
    assert _theme_token("--utrecht-page-footer-color") == \
        "--basis-color-accent-1-inverse-color-default"
    assert _theme_token("--basis-color-accent-1-inverse-color-default") == "--koers-color-white"
    # Its paragraphs too: the theme's paragraph colour is the dark text of the white page.
    with open(finders.find("web/koers.css"), encoding="utf-8") as rules:
        assert "--utrecht-paragraph-color: var(--utrecht-page-footer-color);" in rules.read()


def test_someone_of_another_organisation_gets_neither(client, p) -> None:
    _styled(p)
    client.force_login(p.outsider.user)
    organisation_id = p.employee.organisation_id

    css = client.get(reverse("organisation_theme", args=[organisation_id]))
    logo = client.get(reverse("organisation_logo", args=[organisation_id]))

    assert (css.status_code, logo.status_code) == (404, 404)
    assert "no-store" in css["Cache-Control"]


def test_every_page_links_the_colour_and_shows_the_logo_with_the_name(client, p) -> None:
    organisation = _styled(p)
    client.force_login(p.employee.user)

    page = client.get(reverse("home")).content.decode()

    version = f"?v={organisation.look_version}"
    assert (f'<link rel="stylesheet" href="'
            f'{reverse("organisation_theme", args=[organisation.pk])}{version}">') in page
    assert (f'<img class="koers-brand__logo" src="'
            f'{reverse("organisation_logo", args=[organisation.pk])}{version}" '
            f'alt="{organisation.name}">') in page


def test_without_a_look_the_page_links_koers_theme_only(client, p) -> None:
    client.force_login(p.employee.user)

    page = client.get(reverse("home")).content.decode()

    assert "koers-theme" in page
    assert reverse("organisation_theme", args=[p.employee.organisation_id]) not in page
    assert "koers-brand__logo" not in page


def test_the_look_costs_a_page_no_query(client, p, django_assert_num_queries) -> None:
    client.force_login(p.employee.user)
    client.get(reverse("my_goals"))  # warm the session and caches
    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("my_goals"))
    _styled(p)

    with django_assert_num_queries(len(plain.captured_queries)):
        page = client.get(reverse("my_goals"))

    assert "koers-brand__logo" in page.content.decode()
