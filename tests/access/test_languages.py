"""Every page of the authorization matrix speaks the reader's language, and only that.

Each page is read in each language of ``core.languages`` by a reader the matrix allows
(the employee for their own pages). A piece of page text that is, whole, a sentence of
another language's interface and not of the reader's is a leak: an unmarked string, a
text fixed in one language when it was stored, or a catalogue gap.
"""

import gettext
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from koers.core import languages
from tests.access import matrix

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "src" / "koers" / "locale"
PAGES = [e for e in matrix.endpoints() if not e.api]


def _interface(code: str) -> set[str]:
    """The interface's sentences in ``code``: the English source for English."""
    if code == languages.Language.ENGLISH:
        catalogue = gettext.GNUTranslations(
            (LOCALE / languages.DEFAULT / "LC_MESSAGES" / "django.mo").open("rb"))
        texts = {key[0] if isinstance(key, tuple) else key for key in catalogue._catalog}  # type: ignore[attr-defined]
        texts |= {text.split("\x04", 1)[-1] for text in texts}
    else:
        catalogue = gettext.GNUTranslations(
            (LOCALE / code / "LC_MESSAGES" / "django.mo").open("rb"))
        texts = set(catalogue._catalog.values())  # type: ignore[attr-defined]
    # Whole sentences only, with no place for a value: "Goals" may be the same word in
    # two languages, and a text with a placeholder never shows as it is written.
    return {t.strip() for t in texts
            if " " in t.strip() and "%" not in t and "{" not in t and "<" not in t}


FOREIGN = {code: set().union(*(_interface(other) for other in languages.CODES
                                if other != code)) - _interface(code)
           for code in languages.CODES}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.pieces.append(" ".join(data.split()))


def _foreign_pieces(html: str, code: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [piece for piece in parser.pieces if piece in FOREIGN[code]]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield matrix.build()
        transaction.set_rollback(True)


@pytest.mark.parametrize("code", languages.CODES)
def test_every_page_speaks_the_readers_language_only(world, code):
    leaks, read = [], 0
    for endpoint in PAGES:
        url = matrix.url_of(endpoint, world.ids)
        if url is None or endpoint.key not in matrix.EXPECTED:
            continue
        reader = matrix.reader_of(world, endpoint)
        if reader is None:
            continue
        user = world.users[reader]
        assert user is not None
        user.language = code
        user.save(update_fields=["language"])
        client = Client()
        client.force_login(user)
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        read += 1
        leaks += [f"{url}: {piece!r}"
                  for piece in _foreign_pieces(response.content.decode(), code)]

    assert read > 100  # the matrix's pages were read, not skipped
    assert not leaks, "\n".join(leaks)


def test_the_crawl_sees_a_sentence_of_another_language():
    dutch = next(iter(_interface(languages.Language.DUTCH) - _interface("en")))

    assert _foreign_pieces(f"<p>{dutch}</p>", languages.Language.ENGLISH) == [dutch]
    assert _foreign_pieces(f"<p>{dutch}</p>", languages.Language.DUTCH) == []
