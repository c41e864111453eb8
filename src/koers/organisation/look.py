"""The organisation's own look: its primary colour and its logo, set by HR of the whole
organisation on its page and through the API (``access.policy.can_manage_organisation``;
the caller checks it), both calling ``organisation_look_save``. Every change is an event
of the organisation's audit trail.

**The primary colour** takes the place of Koers's accent: the background of the primary
buttons and the header's band, with white text on it, and the colour of links on the
white page. Both are the same pair of colours, so one rule covers them: the contrast of
the colour with white must be at least 4.5:1, WCAG 2.2 success criterion 1.4.3 Contrast
(Minimum), https://www.w3.org/TR/WCAG22/#contrast-minimum (``contrast_ratio`` computes
its contrast ratio from the relative luminance of each colour, as WCAG 2.2 defines them).
A colour that does not keep it is refused, with the ratio it has.

**The logo** is a PNG, JPEG or WebP image of at most ``LOGO_MAX_BYTES``, read with Pillow
to be sure it is one (not an extension or a declared type): SVG is refused, since an SVG
file may carry scripts. It is shown in the page header with the organisation's name as
its text alternative.
"""

import io
import re
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from koers.audit import services as audit
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.organisation.models import Organisation, OrganisationLogo

# WCAG 2.2, 1.4.3 Contrast (Minimum): text and its background at least 4.5:1.
MIN_CONTRAST = 4.5
WHITE = "#ffffff"
# Koers's own accent (web/static/web/koers-theme.css, --koers-color-accent-500).
DEFAULT_COLOUR = "#155d69"
COLOUR = re.compile(r"^#[0-9a-f]{6}$")
LOGO_MAX_BYTES = 256 * 1024
# A logo is shown at most 3rem high; larger images are refused before they are decoded
# (a small file may hold a huge image that takes the memory to unpack).
LOGO_MAX_SIDE = 2000
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def _channel(value: int) -> float:
    """A colour channel (0–255) as linear light, as WCAG 2.2 defines relative luminance."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.2's contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter colour's
    relative luminance: 1 for the same colour, 21 for black on white."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colour_problem(colour: str) -> str | None:
    """Why ``colour`` (``#rrggbb``) cannot be the primary colour, or None when it can."""
    if not COLOUR.match(colour):
        return _("Give the colour as # followed by six hexadecimal digits, like #155d69.")
    ratio = contrast_ratio(colour, WHITE)
    if ratio < MIN_CONTRAST:
        return _("This colour has a contrast of %(ratio)s:1 with white; white text on it "
                 "and links in it on the white page need at least %(minimum)s:1 (WCAG "
                 "2.2, 1.4.3). Choose a darker colour.") % {
            # Cut, not rounded: 4.497 must not read as the 4.50 it misses.
            "ratio": number_format(int(ratio * 100) / 100, 2),
            "minimum": number_format(MIN_CONTRAST, 1)}
    return None


def darker(colour: str, amount: float = 0.2) -> str:
    """``colour`` mixed with ``amount`` of black: the hover and pressed shades. Darker
    keeps the contrast with white at least as high."""
    parts = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(part * (1 - amount)):02x}" for part in parts)


def logo_content(file: IO[bytes]) -> bytes:
    """An uploaded logo's bytes, read up to one byte past the limit: enough for
    ``logo_type_of`` to refuse a file that is too large."""
    return file.read(LOGO_MAX_BYTES + 1)


def logo_type_of(data: bytes) -> str:
    """The media type of the logo in ``data``; ValidationFailed when it is not a PNG,
    JPEG or WebP image of at most ``LOGO_MAX_BYTES`` and ``LOGO_MAX_SIDE`` pixels."""
    if len(data) > LOGO_MAX_BYTES:
        raise _logo_refused(_("The logo is larger than %(size)s KB.")
                            % {"size": LOGO_MAX_BYTES // 1024})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            if kind in LOGO_TYPES and max(width, height) <= LOGO_MAX_SIDE:
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        kind = ""
    if kind not in LOGO_TYPES:
        raise _logo_refused(_("The logo must be a PNG, JPEG or WebP image (SVG is not "
                              "accepted)."))
    if max(width, height) > LOGO_MAX_SIDE:
        raise _logo_refused(_("The logo is larger than %(side)s pixels on a side.")
                            % {"side": LOGO_MAX_SIDE})
    return LOGO_TYPES[kind]


def _logo_refused(message: str) -> ValidationFailed:
    return ValidationFailed(_("The organisation's look was not saved."), {"logo": [message]})


@dataclass(frozen=True)
class LookChange:
    """What to change: the primary colour ("" for Koers's own; None leaves it), a new
    logo's bytes (None leaves it), or ``remove_logo``."""

    primary_colour: str | None = None
    logo: bytes | None = None
    remove_logo: bool = False


def organisation_look_save(*, organisation: Organisation, actor: User,
                           change: LookChange) -> Organisation:
    """Change the organisation's look (the caller checked the actor manages the
    organisation). Checklist: check every value before anything changes, lock the row,
    save the colour and the logo, move the version on, audit what changed."""
    colour = None if change.primary_colour is None else change.primary_colour.strip().lower()
    if colour:
        problem = colour_problem(colour)
        if problem:
            raise ValidationFailed(_("The organisation's look was not saved."),
                                   {"primary_colour": [problem]})
    logo_type = logo_type_of(change.logo) if change.logo is not None else None
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changes: dict[str, list[object]] = {}
        if colour is not None and colour != locked.primary_colour:
            changes["primary_colour"] = [locked.primary_colour, colour]
            locked.primary_colour = colour
        if logo_type is not None and change.logo is not None:
            OrganisationLogo.objects.update_or_create(organisation=locked,
                                                      defaults={"image": change.logo})
            changes["logo"] = [locked.logo_type, logo_type]
            locked.logo_type = logo_type
        elif change.remove_logo and locked.logo_type:
            OrganisationLogo.objects.filter(organisation=locked).delete()
            changes["logo"] = [locked.logo_type, ""]
            locked.logo_type = ""
        if changes:
            locked.look_version += 1
            locked.save(update_fields=["primary_colour", "logo_type", "look_version"])
            audit.record(actor=actor, action="organisation.look_changed", target=locked,
                         changes=changes, organisation_id=locked.pk)
    return locked


def stylesheet(organisation: Organisation) -> str:
    """The CSS that puts the organisation's primary colour in the accent's place; the
    page links it after the Koers theme (web/static/web/koers-theme.css)."""
    colour = organisation.primary_colour
    if not colour or colour_problem(colour):
        return ""
    shade = darker(colour)
    return (
        ".koers-theme {\n"
        f"  --basis-color-accent-1-color-default: {colour};\n"
        f"  --basis-color-accent-1-color-hover: {shade};\n"
        f"  --basis-color-accent-1-color-active: {shade};\n"
        f"  --basis-color-accent-1-border-default: {colour};\n"
        f"  --basis-color-accent-1-border-hover: {shade};\n"
        f"  --basis-color-accent-1-border-active: {shade};\n"
        f"  --basis-color-accent-1-inverse-bg-default: {colour};\n"
        f"  --basis-color-accent-1-inverse-bg-hover: {shade};\n"
        f"  --basis-color-accent-1-inverse-bg-active: {shade};\n"
        f"  --basis-color-action-1-inverse-bg-default: {colour};\n"
        "}\n")


def logo_of(organisation: Organisation) -> OrganisationLogo | None:
    return OrganisationLogo.objects.filter(organisation=organisation).first()
