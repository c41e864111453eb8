"""The guiding questions a new conversation's agenda starts from.

They come from the organisation's policy, one setting per kind of conversation
(``guiding_questions_<kind>`` in ``rulebook.presets``): by default the guiding
questions of the Flemish guide to the follow-up conversation (PLOEG, "Mogelijke
richtvragen") for the follow-up kinds and the questions of step 3 of the POP guide
(the POP guide, "Opvolging van het POP") for the POP follow-up. HR changes them on the
policy page. Both sides add free items.
"""

from django.utils.translation import gettext

from koers.rulebook.presets import Policy


def questions_field(kind: str) -> str:
    """The policy setting holding the guiding questions of ``kind``."""
    return f"guiding_questions_{kind}"


def guiding_questions(policy: Policy, kind: str) -> list[str]:
    """The guiding questions for ``kind`` in the active language.

    The built-in questions are English source texts with a translation; a question an
    organisation wrote itself has none and is shown as written.
    """
    questions: tuple[str, ...] = getattr(policy, questions_field(kind), ())
    return [gettext(question) for question in questions]
