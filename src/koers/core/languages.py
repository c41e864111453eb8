"""The languages Koers speaks, in one place.

The interface (``settings.LANGUAGES``), the language of an account or a person, the
import sheet, PDFs and e-mail all read this list; a new language is one member of
``Language`` and its ``Details`` (then its catalogue in ``locale/`` and, for the
competency catalogue's texts, its entries in ``development/data/catalogue.json``).
Catalogue texts are stored as {language code: text} (``localized`` reads them), so a
new language needs no new column.

No models here: the settings module imports it before the apps are loaded.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Language(StrEnum):
    DUTCH = "nl"
    ENGLISH = "en"
    FRENCH = "fr"
    GERMAN = "de"


@dataclass(frozen=True)
class Details:
    name: Promise  # in the reader's language, for lists and exports
    native_name: str  # in itself, for the language switch: a reader finds their own
    aliases: tuple[str, ...]  # what an import sheet may write instead of the code
    # Month names and their usual abbreviations, January first: HR types "15 maart".
    months: tuple[tuple[str, ...], ...]


DETAILS: Mapping[Language, Details] = {
    Language.DUTCH: Details(
        name=_("Dutch"), native_name="Nederlands",
        aliases=("dutch", "nederlands", "néerlandais", "neerlandais", "niederländisch"),
        months=(("januari", "jan"), ("februari", "feb"), ("maart", "mrt"), ("april", "apr"),
                ("mei",), ("juni", "jun"), ("juli", "jul"), ("augustus", "aug"),
                ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov"),
                ("december", "dec")),
    ),
    Language.ENGLISH: Details(
        name=_("English"), native_name="English",
        aliases=("english", "engels", "anglais", "englisch"),
        months=(("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
                ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
                ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
                ("december", "dec")),
    ),
    Language.FRENCH: Details(
        name=_("French"), native_name="Français",
        aliases=("french", "français", "francais", "frans", "französisch"),
        months=(("janvier", "janv"), ("février", "fevrier", "févr", "fevr"), ("mars",),
                ("avril", "avr"), ("mai",), ("juin",), ("juillet", "juil"),
                ("août", "aout"), ("septembre", "sept"), ("octobre", "oct"),
                ("novembre", "nov"), ("décembre", "decembre", "déc", "dec")),
    ),
    Language.GERMAN: Details(
        name=_("German"), native_name="Deutsch",
        aliases=("german", "deutsch", "duits", "allemand"),
        months=(("januar", "jänner", "jan"), ("februar", "feb"), ("märz", "maerz", "mär"),
                ("april", "apr"), ("mai",), ("juni", "jun"), ("juli", "jul"),
                ("august", "aug"), ("september", "sep", "sept"), ("oktober", "okt"),
                ("november", "nov"), ("dezember", "dez")),
    ),
}

# Plain strings, not members: migrations store a model field's default and choices as
# they are, and the values stay "nl" and "en" in the database.
DEFAULT: str = Language.DUTCH.value
CODES: tuple[str, ...] = tuple(language.value for language in Language)
CHOICES: list[tuple[str, Promise]] = [(language.value, DETAILS[language].name)
                                      for language in Language]


def supported(code: str | None) -> Language:
    """The language Koers speaks for ``code`` ("en-gb" → English); the default otherwise."""
    base = (code or "").lower().split("-")[0]
    return Language(base) if base in CODES else Language(DEFAULT)


def active() -> Language:
    """The language of the request, e-mail or PDF being rendered now."""
    return supported(get_language())


def by_name() -> dict[str, Language]:
    """Every way an import sheet may name a language (lower case) → the language."""
    names = {language.value: language for language in Language}
    for language, details in DETAILS.items():
        names.update(dict.fromkeys(details.aliases, language))
    return names


def month_numbers() -> dict[str, int]:
    """Every language's month names and abbreviations (lower case) → 1 to 12."""
    return {name: number
            for details in DETAILS.values()
            for number, names in enumerate(details.months, start=1)
            for name in names}


def localized(texts: Mapping[str, str] | None, language: str | None = None, *,
              fallback: str | None = None) -> str:
    """The text of ``texts`` ({language code: text}) in ``language`` (default: the active one).

    When that text is empty, ``fallback``'s (e.g. the organisation's language), then the
    default language's, then the other languages' in the registry's order, then any
    other language the data holds: a catalogue entry written in one language only still
    shows, and so does a language the interface does not offer yet (catalogue data may
    run ahead of the interface).
    """
    texts = texts or {}
    wanted = (language or get_language() or DEFAULT).lower().split("-")[0]
    others = (fallback,) if fallback else ()
    for code in (wanted, *others, DEFAULT, *CODES, *sorted(texts)):
        text = texts.get(code)
        if isinstance(text, str) and text:
            return text
    return ""
