"""The rules of conversations from the sources, each in one place with its source.

Federal (BOSA, "De evaluatiecyclus" [b1] and "Het functioneringsgesprek" [b3];
docs/policies.md, Sources):

- at least ``policy.minimum_worked_days_between_conversations`` days actually worked
  (20) lie between two conversations. The federal terms are indicative ("van orde",
  [b11]), so Koers warns and lets the evaluator schedule anyway when they say so;
- a functioning conversation is mandatory after a return from an absence of more than
  ``policy.functioning_conversation_after_absence_days`` days (70): the 1st evaluator
  gets the task until one is scheduled after the return;
- a functioning conversation is mandatory after a change of work regime (the
  working-time fraction) where ``policy.functioning_conversation_after_regime_change``:
  the 1st evaluator gets the task until one is scheduled or held on or after the day of
  the change.

Each function returns the refusal in the user's language, or ``None``; services raise
it, pages and the API show it.
"""

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.organisation.rules import worked_days_between
from koers.rulebook.presets import Policy

# The sources give no term for the functioning conversation after a long absence:
# our choice is within 30 days of the return, the first month back (docs/conversations.md).
FUNCTIONING_AFTER_ABSENCE_DAYS = 30
# Nor after a change of work regime: our choice is the same first month (docs/conversations.md).
FUNCTIONING_AFTER_REGIME_CHANGE_DAYS = 30


def spacing_refusal(policy: Policy, *, day: dt.date, others: list[dt.date],
                    absences: list[tuple[dt.date, dt.date]]) -> str | None:
    """Why a conversation on ``day`` comes too close to another of the same person
    (``others``: the days of their other conversations, scheduled or held), or ``None``.

    The days worked between them are counted without either conversation's own day."""
    needed = policy.minimum_worked_days_between_conversations
    if not needed:
        return None
    for other in sorted(others, key=lambda o: abs((o - day).days)):
        first, last = sorted((other, day))
        worked = worked_days_between(first=first + dt.timedelta(days=1),
                                     last=last - dt.timedelta(days=1),
                                     preset=policy.preset, absences=absences)
        if worked < needed:
            return ngettext(
                "Only %(worked)d day is worked between this conversation and the one of "
                "%(other)s; the rules ask for at least %(needed)d. Tick the box to "
                "schedule it anyway.",
                "Only %(worked)d days are worked between this conversation and the one of "
                "%(other)s; the rules ask for at least %(needed)d. Tick the box to "
                "schedule it anyway.", worked) % {
                "worked": worked, "other": date_format(other, "j F Y"), "needed": needed}
    return None


def long_absence(policy: Policy, start: dt.date, end: dt.date) -> bool:
    """An absence after which a functioning conversation is mandatory: longer than the
    policy's number of days ([b3]: "meer dan 70 dagen")."""
    threshold = policy.functioning_conversation_after_absence_days
    return threshold is not None and (end - start).days + 1 > threshold


def functioning_due(end: dt.date) -> dt.date:
    """When the functioning conversation after a long absence ending on ``end`` is due."""
    return end + dt.timedelta(days=FUNCTIONING_AFTER_ABSENCE_DAYS)


def functioning_task(start: dt.date, end: dt.date) -> str:
    return _("Hold a functioning conversation: back from an absence of %(days)d days on "
             "%(day)s") % {"days": (end - start).days + 1,
                           "day": date_format(end + dt.timedelta(days=1), "j F Y")}


def regime_change_asks_functioning(policy: Policy) -> bool:
    """[b3]: a functioning conversation is mandatory "na een wijziging van het
    arbeidsregime" (a change of the working-time fraction), where the policy says so."""
    return policy.functioning_conversation_after_regime_change


def functioning_after_regime_due(changed_on: dt.date) -> dt.date:
    """When the functioning conversation after a change of work regime is due."""
    return changed_on + dt.timedelta(days=FUNCTIONING_AFTER_REGIME_CHANGE_DAYS)


def _percent(fraction: Decimal) -> str:
    value = fraction * 100
    return number_format(int(value) if value == value.to_integral_value()
                         else value.normalize(), use_l10n=True)


def functioning_after_regime_task(before: Decimal, after: Decimal, changed_on: dt.date) -> str:
    return _("Hold a functioning conversation: work regime changed from %(before)s %% to "
             "%(after)s %% on %(day)s") % {"before": _percent(before), "after": _percent(after),
                                          "day": date_format(changed_on, "j F Y")}
