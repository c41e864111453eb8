"""The guiding questions a new conversation's agenda starts from.

They come from the organisation's policy, one setting per kind of conversation
(``guiding_questions_<kind>`` in ``rulebook.presets``): by default the guiding
questions of the Flemish guide to the follow-up conversation (PLOEG, "Mogelijke
richtvragen") for the follow-up kinds and the questions of step 3 of the POP guide
(the POP guide, "Opvolging van het POP") for the POP follow-up. HR changes them on the
policy page, in each language. Both sides add free items.

A question is translatable content (``rulebook.questions``): its agenda item keeps
where it came from, the built-in source text or HR's texts by language, so the manager
and the employee each read it in their own language (``AgendaItem.shown``). The item's
``text`` holds it in the employee's language, as written on the day it was scheduled.
"""

from koers.conversations.models import AgendaItem, Conversation
from koers.rulebook.presets import Policy
from koers.rulebook.questions import Question, question_text


def questions_field(kind: str) -> str:
    """The policy setting holding the guiding questions of ``kind``."""
    return f"guiding_questions_{kind}"


def guiding_questions(policy: Policy, kind: str) -> tuple[Question, ...]:
    """The guiding questions for ``kind``: source texts or HR's ``Translated`` ones."""
    questions: tuple[Question, ...] = getattr(policy, questions_field(kind), ())
    return questions


def guiding_item(question: Question, *, conversation: Conversation, position: int,
                 language: str, organisation_language: str) -> AgendaItem:
    """The agenda item of ``question`` (not saved): its text in ``language`` (the
    employee's), and where it came from."""
    text = question_text(question, language, fallback=organisation_language)
    if isinstance(question, str):
        return AgendaItem(conversation=conversation, position=position, text=text,
                          guiding=True, source=question)
    return AgendaItem(conversation=conversation, position=position, text=text,
                      guiding=True, texts=question.as_dict())
