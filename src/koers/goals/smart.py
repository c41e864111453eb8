"""The SMART check: rule-based advice on a goal's wording, in Dutch and English.

It advises and never blocks: a goal is saved whatever the check says, and the advice is
shown next to it. Being a pure function of the draft, it runs on form input as well as
on stored goals.
"""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from koers.goals.models import Goal


class Flag(StrEnum):
    NO_OWNER = "no_owner"
    NO_MEASURE = "no_measure"
    NO_DEADLINE = "no_deadline"
    PAST_DEADLINE = "past_deadline"
    VAGUE = "vague"


@dataclass(frozen=True)
class Draft:
    title: str
    description: str = ""
    measure: str = ""
    deadline: dt.date | None = None
    has_owner: bool = True


@dataclass(frozen=True)
class Advice:
    flag: Flag
    message: str


# Verbs and words that say a direction without a target. Each is a regular expression
# matched on word starts, so inflections count too (verbeteren, verbeterd, improving).
VAGUE_DUTCH = (
    r"verbeter\w*", r"beter\w*", r"probe[e]?r\w*", r"optimali[sz]\w*", r"meer",
    r"ondersteun\w*", r"streven", r"streef\w*", r"werken aan", r"zo veel mogelijk",
    r"zoveel mogelijk", r"verhogen", r"verhoog\w*", r"versterk\w*",
)
VAGUE_ENGLISH = (
    r"improv\w*", r"better", r"try\w*", r"tries", r"tried", r"attempt\w*",
    r"optimi[sz]\w*", r"more", r"support\w*", r"strive\w*", r"work on",
    r"as much as possible", r"enhanc\w*", r"increas\w*",
)
_VAGUE = re.compile(r"\b(" + "|".join(VAGUE_DUTCH + VAGUE_ENGLISH) + r")\b", re.IGNORECASE)
# A number, a percentage or a count makes a vague verb measurable ("20 % more").
_NUMBER = re.compile(r"\d")


def vague_words(text: str) -> list[str]:
    """The vague words in ``text``, lowercased, in order of appearance, without repeats."""
    found: list[str] = []
    for match in _VAGUE.finditer(text):
        word = match.group(0).lower()
        if word not in found:
            found.append(word)
    return found


def check(draft: Draft, *, today: dt.date) -> list[Advice]:
    """Advice for a goal, most important first; an empty list means nothing to add."""
    advice: list[Advice] = []
    if not draft.has_owner:
        advice.append(Advice(Flag.NO_OWNER, _("Nobody owns this goal: say whose goal it is.")))
    if not draft.measure.strip():
        advice.append(Advice(Flag.NO_MEASURE, _(
            "Measurable: how will you both see that the goal is reached? Add a measure or "
            "success indicator."
        )))
    if draft.deadline is None:
        advice.append(Advice(Flag.NO_DEADLINE, _("Time-bound: add a deadline.")))
    elif draft.deadline < today:
        advice.append(Advice(
            Flag.PAST_DEADLINE, _("The deadline has passed: adjust it or close the goal.")
        ))
    text = f"{draft.title}\n{draft.description}"
    words = vague_words(text)
    if words and not _NUMBER.search(f"{text}\n{draft.measure}"):
        advice.append(Advice(Flag.VAGUE, _(
            "Specific: “%(words)s” says a direction, not a result. Say how much, how many "
            "or by when."
        ) % {"words": ", ".join(words)}))
    return advice



def check_goal(goal: Goal, *, today: dt.date) -> list[Advice]:
    return check(
        Draft(
            title=goal.title, description=goal.description, measure=goal.measure,
            deadline=goal.deadline, has_owner=goal.owner_id is not None or goal.unit_id is not None,
        ),
        today=today,
    )
