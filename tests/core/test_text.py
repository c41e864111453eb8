"""Text that cannot be stored: the one rule every face asks (core.text)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from koers.core.text import is_storable, unstorable_places, validate_storable


@pytest.mark.parametrize(("text", "storable"), [
    ("Excel leren", True), ("ë, €, 😀 and\ttabs\nand lines", True), ("", True),
    ("a\x00b", False), ("\x00", False), ("lone \ud800 surrogate", False), ("\udfff", False),
])
def test_nul_and_lone_surrogates_cannot_be_stored(text, storable):
    assert is_storable(text) is storable


def test_the_validator_says_why_in_the_users_language():
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        validate_storable("a\x00b")

    assert refused.value.messages == ["De tekst bevat een teken dat niet bewaard kan worden."]
    validate_storable("ab")  # storable text passes
    validate_storable(12)  # not text: another field's business


def test_places_name_every_field_that_holds_such_text_however_deep():
    body = {"title": "a\x00b", "kind": "learning", "milestones": [
        {"date": "2099-01-01", "text": "ok"}, {"date": "2099-02-01", "text": "\ud800"}],
        "bad\x00key": "ok", "tags": ["x", "y\x00"], "count": 3}

    assert unstorable_places(body) == ["title", "milestones.1.text", "badkey", "tags.1"]
    assert unstorable_places({"title": "fine", "n": None}) == []
