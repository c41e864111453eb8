"""The one list of languages: settings, accounts, imports and catalogue texts read it."""

import pytest
from django.conf import settings
from django.utils import translation

from koers.core import languages
from koers.core.languages import Language
from koers.core.models import User
from koers.organisation.models import Organisation, Person


def test_settings_and_model_fields_offer_the_registrys_languages():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes == list(languages.CODES) == ["nl", "en", "fr", "de"]
    assert settings.LANGUAGE_CODE == languages.DEFAULT == "nl"
    for model in (User, Person, Organisation):
        field = model._meta.get_field("language")
        assert [code for code, _name in field.choices] == codes
        assert field.default == "nl"


@pytest.mark.parametrize(("code", "expected"), [
    ("nl", Language.DUTCH), ("en", Language.ENGLISH), ("en-gb", Language.ENGLISH),
    ("EN", Language.ENGLISH), ("fr-BE", Language.FRENCH), ("de-be", Language.GERMAN),
    ("es", Language.DUTCH), ("", Language.DUTCH),
    (None, Language.DUTCH),
])
def test_an_unknown_or_missing_code_falls_back_to_the_default(code, expected):
    assert languages.supported(code) == expected


def test_an_import_sheet_may_name_a_language_by_its_code_or_in_any_of_the_four():
    names = languages.by_name()
    assert {names[n] for n in ("nl", "dutch", "nederlands", "néerlandais",
                               "niederländisch")} == {Language.DUTCH}
    assert {names[n] for n in ("en", "english", "engels", "anglais", "englisch")} == {
        Language.ENGLISH}
    assert {names[n] for n in ("fr", "french", "frans", "français", "francais",
                               "französisch")} == {Language.FRENCH}
    assert {names[n] for n in ("de", "german", "duits", "allemand", "deutsch")} == {
        Language.GERMAN}


def test_month_names_of_every_language_are_known():
    months = languages.month_numbers()
    assert (months["maart"], months["mrt"], months["march"], months["mar"]) == (3, 3, 3, 3)
    assert (months["mei"], months["may"], months["okt"], months["oct"]) == (5, 5, 10, 10)
    assert (months["mars"], months["août"], months["décembre"]) == (3, 8, 12)
    assert (months["märz"], months["mai"], months["dezember"], months["jänner"]) == (
        3, 5, 12, 1)
    assert sorted(set(months.values())) == list(range(1, 13))


def test_a_catalogue_text_shows_in_the_active_language_else_in_dutch():
    texts = {"nl": "Ondersteunen", "en": "Supporting"}
    dutch_only = {"nl": "Ondersteunen", "en": ""}
    with translation.override("en"):
        assert languages.localized(texts) == "Supporting"
        assert languages.localized(dutch_only) == "Ondersteunen"
    with translation.override("en-gb"):
        assert languages.localized(texts) == "Supporting"
    with translation.override("nl"):
        assert languages.localized(texts) == "Ondersteunen"
    assert languages.localized(texts, "en") == "Supporting"


def test_an_english_only_text_still_shows_in_dutch():
    assert languages.localized({"en": "Supporting"}, "nl") == "Supporting"


def test_a_language_the_interface_does_not_offer_yet_shows_when_asked_and_falls_back():
    texts = {"nl": "Ondersteunen", "en": "Supporting", "fr": "Soutenir", "de": "Unterstützen"}
    with translation.override("fr"):
        assert languages.localized(texts) == "Soutenir"
    assert languages.localized(texts, "de") == "Unterstützen"
    # Missing in the language asked: the default language's, then the registry's order,
    # then whatever the data holds.
    assert languages.localized({"en": "Supporting", "fr": "Soutenir"}, "de") == "Supporting"
    assert languages.localized({"fr": "Soutenir"}, "nl") == "Soutenir"
    assert languages.localized({}, "nl") == languages.localized(None) == ""


def test_a_text_without_the_readers_language_falls_back_to_the_given_language_first():
    texts = {"fr": "Où allez-vous ?", "de": "Wohin gehen Sie?"}
    assert languages.localized(texts, "en", fallback="de") == "Wohin gehen Sie?"
    # Without that one either: the default language, then the registry's order.
    assert languages.localized(texts, "en", fallback="nl") == "Où allez-vous ?"
    assert languages.localized(texts, "de", fallback="fr") == "Wohin gehen Sie?"
