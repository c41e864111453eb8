"""Text that cannot be stored, refused the same way wherever it comes in.

PostgreSQL refuses the NUL character in a text column (and in any text it is sent, a
search term too), and no database takes a lone UTF-16 surrogate, which a JSON body can
spell as ``"\\ud800"``. SQLite would keep a NUL, but Koers refuses it there as well, so
that a request answers the same on both databases.

The faces ask this one rule for every text they parse, before any service runs: every
text field of the pages' forms (``web.page.forms.KoersFormMixin``), every value an API
operation receives from the body, the query string or the path
(``api.storable.refuse_unstorable_text``) and every cell of an import file
(``organisation.importing``). The refusal names the field and says why, in the
user's language.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def unstorable_message() -> str:
    return _("The text contains a character that cannot be stored.")


def validate_storable(value: object) -> None:
    """A form field's validator: refuses text ``is_storable`` refuses."""
    if isinstance(value, str) and not is_storable(value):
        raise ValidationError(unstorable_message(), code="unstorable")


def unstorable_places(data: object, place: str = "") -> list[str]:
    """Where parsed JSON (or a query string's values) holds text that cannot be stored:
    ``["title", "milestones.0.text"]``. A key that cannot be stored counts as its value,
    named without the characters that cannot be stored."""
    if isinstance(data, str):
        return [] if is_storable(data) else [place]
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = _UNSTORABLE.sub("", str(key))
            inner = f"{place}.{name}" if place else name
            if isinstance(key, str) and not is_storable(key):
                found.append(inner)
            else:
                found.extend(unstorable_places(value, inner))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found.extend(unstorable_places(value, f"{place}.{index}" if place else str(index)))
    return found
