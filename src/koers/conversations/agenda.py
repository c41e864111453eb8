"""The guiding questions a new conversation's agenda starts from.

Follow-up kinds: the guiding questions of the Flemish guide to the follow-up
conversation (seed 000, "Mogelijke richtvragen"); the POP follow-up: the questions of
step 3 of the POP guide (seed 002, "Opvolging van het POP"). Both sides add free items.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.conversations.states import FOLLOW_UP_KINDS, ConversationKind

FOLLOW_UP_QUESTIONS: tuple[Promise, ...] = (
    _("What have you achieved so far?"),
    _("What went well? And what went less well?"),
    _("Which obstacles do you meet?"),
    _("How can you avoid meeting those obstacles next time?"),
    _("What do you need to still reach certain goals?"),
    _("Where is adjustment needed?"),
    _("Which competencies help you and which do you want to develop?"),
)

POP_FOLLOW_UP_QUESTIONS: tuple[Promise, ...] = (
    _("Was the agreed planning respected? If not, why not?"),
    _("Do the agreed development goals still motivate the employee?"),
    _("How far is the employee in reaching the goals? Which actions were carried out and "
      "what did they learn?"),
    _("Does the employee meet enough situations to learn from?"),
    _("Does the work context allow putting what was learned into practice?"),
    _("What more can be done to help reach the results (e.g. other learning situations)?"),
)


def guiding_questions(kind: str) -> list[str]:
    """The guiding questions for ``kind`` in the active language; none for other kinds."""
    if kind in FOLLOW_UP_KINDS:
        return [str(question) for question in FOLLOW_UP_QUESTIONS]
    if kind == ConversationKind.POP_FOLLOW_UP:
        return [str(question) for question in POP_FOLLOW_UP_QUESTIONS]
    return []
