"""The organisation's own look (organisation/look.py): the contrast rule of its primary
colour and the checks of its logo."""

import pytest
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.core.errors import ValidationFailed
from koers.organisation import look
from koers.organisation.models import Organisation, OrganisationLogo
from tests import personas
from tests.factories import looks


@pytest.mark.parametrize(("first", "second", "ratio"), [
    ("#000000", "#ffffff", 21.0),
    ("#ffffff", "#ffffff", 1.0),
    # The examples of WCAG 2.2's understanding document of 1.4.3: #767676 is the lightest
    # grey with 4.5:1 on white, #777777 falls just short.
    ("#767676", "#ffffff", 4.54),
    ("#777777", "#ffffff", 4.48),
])
def test_the_contrast_ratio_is_wcags(first, second, ratio) -> None:
    """WCAG 2.2, 1.4.3 Contrast (Minimum), https://www.w3.org/TR/WCAG22/#contrast-minimum:
    (L1 + 0.05) / (L2 + 0.05) of the relative luminances."""
    assert round(look.contrast_ratio(first, second), 2) == ratio
    assert look.contrast_ratio(second, first) == look.contrast_ratio(first, second)


@pytest.mark.parametrize("colour", ["#155d69", "#767676", "#1d4f91", "#a01d23", "#000000"])
def test_a_colour_with_at_least_4_5_to_1_against_white_is_accepted(colour) -> None:
    """WCAG 2.2, SC 1.4.3 (https://www.w3.org/TR/WCAG22/#contrast-minimum): text at least
    4.5:1 with its background; white text on the colour, links in it on white."""
    assert look.colour_problem(colour) is None


@pytest.mark.parametrize(("colour", "ratio"), [
    ("#777777", "4,47"), ("#ffdd00", "1,34"), ("#1e90ff", "3,23"), ("#ffffff", "1,00")])
def test_a_lighter_colour_is_refused_with_its_ratio(colour, ratio) -> None:
    """WCAG 2.2, SC 1.4.3 (https://www.w3.org/TR/WCAG22/#contrast-minimum). The ratio is
    cut, not rounded, to two decimals: 4.497 must not read as the 4.50 it misses."""
    problem = look.colour_problem(colour)

    assert problem is not None
    assert f"{ratio}:1" in problem
    assert "4,5:1" in problem  # in the reader's language: tests run in Dutch


def test_the_refusal_speaks_the_readers_language() -> None:
    with translation.override("en"):
        problem = look.colour_problem("#777777")

    assert problem == ("This colour has a contrast of 4.47:1 with white; white text on it "
                       "and links in it on the white page need at least 4.5:1 (WCAG 2.2, "
                       "1.4.3). Choose a darker colour.")


@pytest.mark.parametrize("colour", ["155d69", "#155d6", "#155d69a", "#gggggg", "teal"])
def test_a_colour_that_is_not_six_hex_digits_is_refused(colour) -> None:
    assert look.colour_problem(colour) is not None


def test_the_darker_shade_keeps_the_contrast() -> None:
    colour = "#767676"

    assert look.contrast_ratio(look.darker(colour), "#ffffff") > \
        look.contrast_ratio(colour, "#ffffff")


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_are_logos(kind) -> None:
    assert look.logo_type_of(looks.image(kind)) == look.LOGO_TYPES[kind]


@pytest.mark.parametrize(("data", "says"), [
    (looks.SVG, "SVG wordt niet aanvaard"),
    (b"%PDF-1.7 not an image", "PNG-, JPEG- of WebP-afbeelding"),
    (looks.image("GIF"), "PNG-, JPEG- of WebP-afbeelding"),
    (looks.image("PNG")[:40], "PNG-, JPEG- of WebP-afbeelding"),
    (looks.image("PNG", size=(2001, 10)), "2000 pixels"),
    (b"\x89PNG" + bytes(look.LOGO_MAX_BYTES), "groter dan 256 KB"),
])
def test_anything_else_is_refused_with_a_message(data, says) -> None:
    with pytest.raises(ValidationFailed) as refused:
        look.logo_type_of(data)

    assert says in refused.value.errors["logo"][0]


@pytest.mark.django_db
def test_saving_moves_the_version_on_and_audits_what_changed() -> None:
    p = personas.build()
    organisation = p.employee.organisation

    saved = look.organisation_look_save(
        organisation=organisation, actor=p.hr.user,
        change=look.LookChange(primary_colour=" #1D4F91 ", logo=looks.image()))

    assert (saved.primary_colour, saved.logo_type, saved.look_version) == (
        "#1d4f91", "image/png", 1)
    assert bytes(OrganisationLogo.objects.get(organisation=organisation).image) == \
        looks.image()
    assert list(AuditEvent.objects.filter(action="organisation.look_changed")
                .values_list("target_id", flat=True)) == [str(organisation.pk)]


@pytest.mark.django_db
def test_a_refused_colour_changes_nothing_not_even_the_logo() -> None:
    p = personas.build()
    organisation = p.employee.organisation

    with pytest.raises(ValidationFailed) as refused:
        look.organisation_look_save(
            organisation=organisation, actor=p.hr.user,
            change=look.LookChange(primary_colour="#ffdd00", logo=looks.image()))

    organisation.refresh_from_db()
    assert list(refused.value.errors) == ["primary_colour"]
    assert (organisation.primary_colour, organisation.logo_type,
            organisation.look_version) == ("", "", 0)
    assert not OrganisationLogo.objects.exists()
    assert not AuditEvent.objects.filter(action="organisation.look_changed").exists()


@pytest.mark.django_db
def test_removing_the_logo_and_emptying_the_colour_bring_koers_back() -> None:
    p = personas.build()
    organisation = p.employee.organisation
    look.organisation_look_save(organisation=organisation, actor=p.hr.user,
                                change=look.LookChange(primary_colour="#1d4f91",
                                                       logo=looks.image()))

    saved = look.organisation_look_save(
        organisation=organisation, actor=p.hr.user,
        change=look.LookChange(primary_colour="", remove_logo=True))

    assert (saved.primary_colour, saved.logo_type, saved.look_version) == ("", "", 2)
    assert not OrganisationLogo.objects.exists()
    assert look.stylesheet(saved) == ""


def test_the_stylesheet_puts_the_colour_in_the_accents_place() -> None:
    organisation = Organisation(primary_colour="#1d4f91")

    css = look.stylesheet(organisation)

    assert "--basis-color-accent-1-inverse-bg-default: #1d4f91;" in css
    assert f"--basis-color-accent-1-color-hover: {look.darker('#1d4f91')};" in css
