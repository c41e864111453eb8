"""Probation (proeftijd): who goes through one, how long it lasts, when it ends and what
a negative evaluation leads to. Each rule names its public source (docs/policies.md,
Sources); ``tests/rulebook/test_probation.py`` fails when one changes.

Flemish government (Vlaams personeelsstatuut, part III, chapter 3):

- [f21] "Proeftijd en eedaflegging" (overheid.vlaanderen.be/personeel/loopbaan/
  proeftijd-en-eedaflegging): a probation follows a recruitment (statutory or
  contractual), a statutory promotion, a move from a contractual to a statutory post and
  a redeployment after a restructuring; the employee has a mentor (meter of peter) *and*
  an evaluator, two different people: the mentor guides, the evaluator evaluates.
- [f18] "Interpretatie VPS: berekening eind proeftijd" (overheid.vlaanderen.be/
  Int_proeftijd_berekening_eind, art. III 15): the length in months becomes months × 21
  working days to perform; every absence that does not count as a working day shifts the
  end; a day worked full- or part-time counts as a whole working day, so part-time work
  is not pro rata.
- [f19] "Vlimpershandleiding: Einde proeftijd statutair invoeren": the probation ends on
  the day after the 2nd evaluator signs when conversation and report were on time; else
  on the 31st calendar day after the evaluation conversation, or after the end when no
  conversation was held (a manual of the HR system, marked unverified in our notes).
- [f20] "Interpretatie VPS: einde proeftijd — hoedanigheid van de ambtenaar op proef bij
  negatieve evaluatie" (art. III 17, III 19), with [f5] "Raad van beroep": a statutory
  probationer may appeal a negative probation evaluation (15 calendar days, the annual
  appeal's term); from the first working day after the term to appeal ends, or after the
  decision, a fixed-term employment contract of three months follows.

Dutch municipalities (Gemeente Heemstede, "Cyclus van jaargesprekken"): a temporary
appointment on probation is assessed three months before it ends, and the employee may
object (``probation_assessment_months_before_end``; the due date is
``deadlines.cycle_due_dates``'s).
"""

import datetime as dt
from collections.abc import Callable, Collection

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.organisation.models import EmploymentStatus
from koers.rulebook.calendar import add_months
from koers.rulebook.presets import Policy
from koers.rulebook.verdicts import NEGATIVE_VERDICTS, Verdict


class ProbationReason(models.TextChoices):
    """Why someone is on probation [f21]."""

    RECRUITMENT = "recruitment", gettext_lazy("recruitment")  # aanwerving
    PROMOTION = "promotion", gettext_lazy("statutory promotion")  # bevordering
    CONTRACTUAL_TO_STATUTORY = "contractual_to_statutory", gettext_lazy(
        "move from a contractual to a statutory post")  # overplaatsing naar statutair
    REDEPLOYMENT = "redeployment", gettext_lazy(
        "redeployment after a restructuring")  # herplaatsing


# [f20] a probationer's probation evaluation ends in one of these verdicts; the annual
# evaluation's loopbaanvertraging has no meaning for a probation.
PROBATION_VERDICTS = (Verdict.VOLDOENDE, Verdict.ONVOLDOENDE)
# [f19] the day the probation ends when the conversation was held late or not at all:
# the 31st calendar day after the conversation, or after the computed end.
LATE_END_DAYS = 31


def assessment_due(policy: Policy, *, probation_end: dt.date,
                   employed_from: dt.date | None) -> dt.date | None:
    """When the probation's evaluation is due, the participation's probation step:

    - Heemstede: N months before a temporary appointment on probation ends (3 in the
      Dutch preset);
    - Flanders ([f19]): by the computed end, so that the probation ends the day after
      the 2nd evaluator signs;

    at the earliest on the first day of employment (a probation shorter than the term is
    assessed from the start); ``None`` where the policy has no probation evaluation."""
    months = policy.probation_assessment_months_before_end
    if months:
        due = add_months(probation_end, -months)
    elif probation_evaluation_applies(policy):
        due = probation_end
    else:
        return None
    return max(due, employed_from) if employed_from is not None else due


def probation_evaluation_applies(policy: Policy) -> bool:
    """The Flemish probation evaluation: where the policy converts months to working days
    ([f18]); the Dutch probation assessment hangs on the employment's end instead."""
    return policy.probation_workdays_per_month is not None


def workdays_to_perform(policy: Policy, *, months: int) -> int:
    """[f18]: months × 21 working days, whatever the working regime (no pro rata)."""
    per_month = policy.probation_workdays_per_month
    assert per_month is not None, "the policy has no probation in working days"
    return months * per_month


def is_workday(day: dt.date, days_off: Collection[dt.date]) -> bool:
    """A weekday on which the person worked, full- or part-time ([f18]: a part-time day
    counts whole); ``days_off`` holds the public holidays and the days not worked."""
    return day.weekday() < 5 and day not in days_off


def probation_end(policy: Policy, *, starts_on: dt.date, months: int,
                  days_off: Collection[dt.date]) -> dt.date:
    """The last day of the probation: the day the last of the working days to perform is
    worked, counting from ``starts_on`` ([f18]). Each day in ``days_off`` (an absence
    that is no working day, a public holiday) moves the end one working day on, so the
    end rarely falls on a month's last working day."""
    remaining = workdays_to_perform(policy, months=months)
    day = starts_on
    while True:
        if is_workday(day, days_off):
            remaining -= 1
            if remaining == 0:
                return day
        day += dt.timedelta(days=1)


def days_off_between(start: dt.date, *, public_holidays: Callable[[int], Collection[dt.date]],
                     absences: Collection[dt.date], years: int = 3) -> frozenset[dt.date]:
    """The days that are no working days from ``start`` on: the public holidays of the
    region over the next ``years`` years and the recorded absences."""
    days: set[dt.date] = set(absences)
    for year in range(start.year, start.year + years + 1):
        days |= set(public_holidays(year))
    return frozenset(days)


def probation_ended_on(*, computed_end: dt.date, conversation_on: dt.date | None,
                       second_signed_on: dt.date | None) -> dt.date:
    """The day the probation ends ([f19]): the day after the 2nd evaluator signs when the
    conversation and the report were on time (by the computed end); else the 31st day
    after the conversation, or after the computed end when none was held."""
    on_time = (second_signed_on is not None and second_signed_on <= computed_end
               and (conversation_on is None or conversation_on <= computed_end))
    if on_time:
        assert second_signed_on is not None
        return second_signed_on + dt.timedelta(days=1)
    if conversation_on is not None:
        return conversation_on + dt.timedelta(days=LATE_END_DAYS)
    return computed_end + dt.timedelta(days=LATE_END_DAYS)


def mentor_error(*, mentor_id: int | None, evaluator_ids: Collection[int | None]) -> str | None:
    """[f21]: the mentor guides, the evaluator evaluates: never the same person."""
    if mentor_id is not None and mentor_id in evaluator_ids:
        return _("The mentor cannot evaluate the probation: choose another mentor, or "
                 "another evaluator.")
    return None


def months_error(months: int | None) -> str | None:
    if months is None or not 1 <= months <= 36:
        return _("The probation lasts between 1 and 36 months.")
    return None


def may_appeal_probation(*, status: str, verdict: str) -> bool:
    """[f5][f20]: only a statutory probationer appeals a negative probation evaluation."""
    return status == EmploymentStatus.STATUTORY and verdict in NEGATIVE_VERDICTS


def next_workday(day: dt.date, days_off: Collection[dt.date]) -> dt.date:
    """The first working day after ``day``."""
    day += dt.timedelta(days=1)
    while day.weekday() >= 5 or day in days_off:
        day += dt.timedelta(days=1)
    return day


def fixed_term_contract(policy: Policy, *, settled_on: dt.date,
                        days_off: Collection[dt.date]) -> tuple[dt.date, dt.date]:
    """[f20] (art. III 19): after a negative probation evaluation that stands — the term
    to appeal ended without an appeal (``settled_on`` its last day), or the appeal was
    decided (its day) — a fixed-term contract of three months follows, from the first
    working day after. Its first and last day."""
    months = policy.probation_negative_contract_months
    assert months is not None, "the policy has no consequence of a negative probation"
    first = next_workday(settled_on, days_off)
    return first, add_months(first, months) - dt.timedelta(days=1)
