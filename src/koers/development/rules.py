"""The rules of the personal development plan (POP), each with the source that states it.

The POP guide (FOD Personeel en Organisatie, "Ontwikkelcirkels — Ontwikkelen van de
persoonlijke competenties. Praktische gids") is the source of every rule here; the
numbers an organisation may tune are policy settings (``rulebook.presets.Policy.pop_*``),
read through ``policy_for``. Everything in this module is a pure function of its
arguments, so the tests pin each rule down.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers.rulebook.calendar import add_months
from koers.rulebook.presets import Policy


class Source(models.IntegerChoices):
    """Why a competency was chosen (bron): the POP guide, footnote 5 of Bijlage 4."""

    CONVERSATIONS = 1, gettext_lazy("development circles (the conversations)")  # ontwikkelcirkels
    MEASUREMENTS = 2, gettext_lazy("competency measurements / certified training")
    OWN_WISHES = 3, gettext_lazy("the employee's own wishes")  # persoonlijke wensen
    CAREER = 4, gettext_lazy("career perspectives")  # loopbaanperspectieven
    FEEDBACK_360 = 5, gettext_lazy("360° feedback")
    # globaal ontwikkelingsplan (GOP) of opleidingsplan van de organisatie
    ORGANISATION_PLAN = 6, gettext_lazy("the organisation's development or training plan")


class Priority(models.IntegerChoices):
    """How urgent developing a competency is: the POP guide, Stap 2.2 and footnote 6."""

    URGENT = 1, gettext_lazy("urgent and important: to develop within the year")
    MEDIUM_TERM = 2, gettext_lazy("important: to develop in the medium term")
    LONG_TERM = 3, gettext_lazy("to develop in the longer term")


def competency_limit_error(*, competencies_now: int, policy: Policy) -> str | None:
    """Why one more competency is refused, or None when it fits.

    The POP guide, Stap 2.1: "Formuleer maximum 5 competenties" (``pop_max_competencies``).
    """
    limit = policy.pop_max_competencies
    if competencies_now < limit:
        return None
    return ngettext(
        "A development plan holds at most %(limit)d competency. Finish or remove one "
        "before you add another: the others can follow in a later conversation.",
        "A development plan holds at most %(limit)d competencies. Finish or remove one "
        "before you add another: the others can follow in a later conversation.",
        limit,
    ) % {"limit": limit}


def priority_one_warning(*, priority_one: int, policy: Policy) -> str | None:
    """A warning (never a refusal) when too many competencies have priority 1.

    The POP guide, Stap 2.2: "Geef niet te veel competenties de hoogste prioriteit (2 à 3,
    niet meer)"; mind the workload (``pop_priority_one_warning_above``).
    """
    above = policy.pop_priority_one_warning_above
    if priority_one <= above:
        return None
    return ngettext(
        "%(count)d competencies have priority 1; the guide advises %(above)d at most. "
        "Mind the workload: can one of them wait?",
        "%(count)d competencies have priority 1; the guide advises %(above)d at most. "
        "Mind the workload: can one of them wait?",
        priority_one,
    ) % {"count": priority_one, "above": above}


@dataclass(frozen=True)
class FollowUpWindow:
    """When the next follow-up conversation of a plan falls: from ``earliest`` and by
    ``due`` (the latest day)."""

    earliest: dt.date
    due: dt.date


def follow_up_window(*, conversation_on: dt.date, policy: Policy) -> FollowUpWindow:
    """The POP guide, Stap 3: follow the plan up every 3 to 6 months
    (``pop_follow_up_months_min`` / ``_max``), counted from the day of the conversation
    that was signed last (the planning conversation or the previous follow-up)."""
    return FollowUpWindow(
        earliest=add_months(conversation_on, policy.pop_follow_up_months_min),
        due=add_months(conversation_on, policy.pop_follow_up_months_max),
    )


def early_follow_up_warning(*, held_on: dt.date, window: FollowUpWindow) -> str | None:
    """A follow-up before the window opens is allowed (the POP guide says "bv."), but said."""
    if held_on >= window.earliest:
        return None
    return _("This follow-up comes before %(earliest)s, earlier than the policy's rhythm. "
             "That is allowed; make sure there is progress to talk about.") % {
        "earliest": date_format(window.earliest, "j F Y")}


# The signatures a round needs (the POP guide, Bijlage 3: "Naam, Rol, Handtekening" for the
# conversation and again for each follow-up): the employee and the 1st evaluator, who
# holds the planning conversation.
class SignerRole(models.TextChoices):
    EMPLOYEE = "employee", gettext_lazy("employee")  # medewerker
    FIRST_EVALUATOR = "first_evaluator", gettext_lazy("1st evaluator")  # leidinggevende


REQUIRED_SIGNERS = frozenset({SignerRole.EMPLOYEE, SignerRole.FIRST_EVALUATOR})
