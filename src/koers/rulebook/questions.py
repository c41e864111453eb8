"""Guiding questions as translatable content: a built-in question, or one HR wrote in
each language.

A question is one of two things:

- a **source text** (``str``): a built-in question's English text, translated with
  gettext when read (``presets.FOLLOW_UP_QUESTIONS``). A line an organisation stored
  before its questions had languages is one too: gettext finds no translation and it
  is shown as typed, in every language, as it always was.
- a **``Translated``** question: HR's own, its text in the languages HR gave
  ({language code: text}). Read in a language it lacks, it falls back to the
  organisation's language, then to any text it has (``core.languages.localized``).

A policy stores a setting of guiding questions as a JSON list with one entry a
question: the source text, or the {language code: text} object. HR types them as one
text a line in each language; every language filled in has as many lines as the
others, the lines in the same order (line 3 in French translates line 3 in Dutch), and
a language left empty falls back (``registry.parse``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from koers.core import languages


@dataclass(frozen=True)
class Translated:
    """A question HR wrote: (language code, text) pairs, in the registry's order."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, texts: Mapping[str, Any]) -> "Translated":
        order = {code: i for i, code in enumerate(languages.CODES)}
        given = [(str(code), str(text)) for code, text in texts.items() if text]
        return cls(tuple(sorted(given, key=lambda pair: (order.get(pair[0], len(order)),
                                                        pair[0]))))

    def as_dict(self) -> dict[str, str]:
        return dict(self.texts)


Question = str | Translated


def question_text(question: Question, language: str | None = None, *,
                  fallback: str | None = None) -> str:
    """``question`` in ``language`` (default: the active one). A ``Translated`` question
    without that language falls back to ``fallback`` (the organisation's language), then
    to any text it has."""
    if isinstance(question, str):
        if language is None:
            return gettext(question)
        with translation.override(language):
            return gettext(question)
    return languages.localized(question.as_dict(), language, fallback=fallback)


def given_text(question: Question, language: str) -> str:
    """What ``question`` says in ``language`` without any fallback: a source text's
    translation, HR's own text in that language, or "" where HR gave none (the policy
    form shows the gaps as gaps)."""
    if isinstance(question, str):
        return question_text(question, language)
    return question.as_dict().get(language, "")


def by_language(questions: Sequence[Question]) -> dict[str, list[str]]:
    """Every language of the registry → the questions' texts in it, without fallback."""
    return {code: [given_text(question, code) for question in questions]
            for code in languages.CODES}


def to_json(question: Question) -> str | dict[str, str]:
    return question if isinstance(question, str) else question.as_dict()


def from_json(raw: Any) -> Question:
    """A stored entry: a source text, or {language code: text}."""
    if isinstance(raw, Mapping):
        return Translated.of(raw)
    return str(raw)
