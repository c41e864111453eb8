"""The deadline engine: every due date of the cycle, computed from the policy.

Nothing here reads the database or the clock; callers pass the facts. Conventions the
sources leave open are policy settings, explained in ``docs/policies.md``.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.rulebook import probation
from koers.rulebook.calendar import add_months, first_of_month, halfway
from koers.rulebook.presets import AdvancedCounting, PeriodKind, Policy


class Due(StrEnum):
    PLANNING = "planning"
    HALFWAY_PROGRESS = "halfway_progress"
    EVALUATION_WINDOW_OPENS = "evaluation_window_opens"
    SELF_EVALUATION = "self_evaluation"
    EVALUATION = "evaluation"
    FIRST_SIGNATURE = "first_signature"
    SECOND_SIGNATURE = "second_signature"
    EVALUATION_LAPSES = "evaluation_lapses"
    PROBATION_ASSESSMENT = "probation_assessment"


# Who must act for each due date (reminders go to them, escalation above them).
RESPONSIBLE = {
    Due.PLANNING: "first_evaluator",
    Due.HALFWAY_PROGRESS: "first_evaluator",
    Due.EVALUATION_WINDOW_OPENS: "first_evaluator",
    Due.SELF_EVALUATION: "employee",
    Due.EVALUATION: "first_evaluator",
    Due.FIRST_SIGNATURE: "first_evaluator",
    Due.SECOND_SIGNATURE: "second_evaluator",
    Due.EVALUATION_LAPSES: "hr",
    Due.PROBATION_ASSESSMENT: "first_evaluator",
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def period_for(policy: Policy, *, year: int, cycle_start: dt.date | None = None) -> Period:
    """The period a cycle of ``year`` covers.

    Organisation-wide periods start on the policy's ``period_starts`` day of ``year``;
    a federal (per-person) period starts on the person's own cycle start in ``year``.
    """
    if policy.period_kind == PeriodKind.PER_PERSON:
        if cycle_start is None:
            raise ValueError("a per-person period needs the person's cycle start")
        start, next_start = (_same_day_in_year(cycle_start, y) for y in (year, year + 1))
    else:
        start, next_start = (policy.period_starts.in_year(y) for y in (year, year + 1))
    # The period ends the day before the next one starts, so that consecutive periods
    # neither overlap nor leave a gap: a cycle started on 29 February runs from
    # 28 February 2027 up to 28 February 2028 inclusive, as the next starts on the 29th.
    return Period(start, next_start - dt.timedelta(days=1))


def _same_day_in_year(day: dt.date, year: int) -> dt.date:
    return add_months(day, (year - day.year) * 12)


def period_agreement_errors(
    policy: Policy, *, normal: Period, start: dt.date, end: dt.date
) -> list[str]:
    """Why an agreed period from ``start`` to ``end`` is refused (empty: it is allowed).

    [f1]: the evaluation covers one calendar year; by mutual agreement the period may
    be stretched to at most 15 months (``maximum_period_months``). The agreed period
    stretches the normal one, so it contains it, and it lasts at most that many months,
    counted as ``add_months`` counts them: 1 October 2025 – 31 December 2026 is
    15 months, 30 September 2025 – 31 December 2026 is longer. Where the period is the
    calendar year only its start moves earlier: the evaluation window and the signature
    days belong to the year the period ends in, and keep their meaning only if it
    still ends on the last day of that year.
    """
    errors = []
    calendar_year = policy.period_kind == PeriodKind.CALENDAR_YEAR
    if calendar_year and end != normal.end:
        errors.append(_("Under this policy the period always ends on %(end)s; only its "
                        "start can move earlier.") % {"end": _day(normal.end)})
    if start > normal.start or (end < normal.end and not calendar_year):
        errors.append(_("The agreed period stretches the normal period (%(start)s – "
                        "%(end)s): it must start on or before its first day and end on or "
                        "after its last day.")
                      % {"start": _day(normal.start), "end": _day(normal.end)})
    months = policy.maximum_period_months
    if end >= add_months(start, months):
        errors.append(ngettext(
            "The period may last at most %(months)d month by agreement: from %(start)s it "
            "must end by %(last)s.",
            "The period may last at most %(months)d months by agreement: from %(start)s it "
            "must end by %(last)s.", months,
        ) % {"months": months, "start": _day(start),
             "last": _day(add_months(start, months) - dt.timedelta(days=1))})
    return errors


def period_agreement_rule(policy: Policy, *, normal: Period) -> str:
    """The rule of ``period_agreement_errors`` in words, for whoever records an agreement."""
    months = policy.maximum_period_months
    values = {"start": _day(normal.start), "end": _day(normal.end), "months": months,
              "earliest": _day(add_months(normal.end + dt.timedelta(days=1), -months))}
    if add_months(normal.start, months) <= normal.end + dt.timedelta(days=1):
        return ngettext(
            "The normal period runs from %(start)s until %(end)s. This policy allows no "
            "longer period by agreement (at most %(months)d month).",
            "The normal period runs from %(start)s until %(end)s. This policy allows no "
            "longer period by agreement (at most %(months)d months).", months) % values
    if policy.period_kind == PeriodKind.CALENDAR_YEAR:
        return ngettext(
            "The normal period runs from %(start)s until %(end)s. By agreement it may start "
            "earlier, on %(earliest)s at the earliest (at most %(months)d month in all).",
            "The normal period runs from %(start)s until %(end)s. By agreement it may start "
            "earlier, on %(earliest)s at the earliest (at most %(months)d months in all).",
            months) % values
    return ngettext(
        "The normal period runs from %(start)s until %(end)s. By agreement it may start "
        "earlier or end later, to at most %(months)d month in all.",
        "The normal period runs from %(start)s until %(end)s. By agreement it may start "
        "earlier or end later, to at most %(months)d months in all.", months) % values


def _day(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")  # as the pages show dates


# The order of the steps, as pairs (earlier, later): a due date never precedes one it
# follows. The first steps (planning, the halfway progress conversation) come before
# the evaluation and its signatures; the window opens before the evaluation is due.
STEP_ORDER: tuple[tuple[Due, Due], ...] = (
    (Due.PLANNING, Due.HALFWAY_PROGRESS),
    *((first, later) for first in (Due.PLANNING, Due.HALFWAY_PROGRESS)
      for later in (Due.SELF_EVALUATION, Due.EVALUATION, Due.FIRST_SIGNATURE,
                    Due.SECOND_SIGNATURE)),
    (Due.EVALUATION_WINDOW_OPENS, Due.SELF_EVALUATION),
    (Due.EVALUATION_WINDOW_OPENS, Due.EVALUATION),
    (Due.EVALUATION_WINDOW_OPENS, Due.FIRST_SIGNATURE),
    (Due.FIRST_SIGNATURE, Due.SECOND_SIGNATURE),
    (Due.EVALUATION, Due.EVALUATION_LAPSES),
    (Due.SECOND_SIGNATURE, Due.EVALUATION_LAPSES),
)
# The steps of the evaluation itself, after the first steps of the year.
_EVALUATION_PHASE = (Due.SELF_EVALUATION, Due.EVALUATION, Due.FIRST_SIGNATURE,
                     Due.SECOND_SIGNATURE)


def days_after_start(start: dt.date, days: int) -> dt.date:
    """The last day of the first ``days`` days of employment, the start day being day 1."""
    return start + dt.timedelta(days=days - 1)


def cycle_due_dates(
    policy: Policy,
    *,
    year: int,
    period: Period,
    probation_end: dt.date | None,
    employed_from: dt.date | None = None,
) -> dict[Due, dt.date]:
    """The due dates of one person's participation in the cycle of ``year``.

    ``employed_from``: the person's start date. Someone who starts after the period
    started is a newcomer: no due date falls before their start, and each first step
    falls at the earliest the policy's number of days after it (``newcomer_*_days``),
    never earlier than everyone else's. A first step never comes after the evaluation:
    someone who starts late in the period holds their planning at the latest with the
    evaluation (Heemstede: planning and evaluation may be one conversation).
    """
    dues: dict[Due, dt.date] = {}
    # Federal: one cycle conversation closes the cycle and plans the next ([b4]), so
    # the planning is no step of its own, except in someone's first period, which no
    # earlier cycle conversation planned ([b14]: the planning in the first month).
    first_period = employed_from is not None and employed_from >= period.start
    if Due.PLANNING in policy.required_conversations or first_period:
        if policy.period_kind == PeriodKind.CALENDAR_YEAR:
            # Flemish planning: filed in January, at the latest at the end of March
            # [f8]: within the first three months of the period (31 March for a
            # 1 January start, and still inside the period when an organisation moves
            # its start).
            dues[Due.PLANNING] = add_months(period.start, 3) - dt.timedelta(days=1)
        else:
            # Our choice: planned within the first month of the period.
            dues[Due.PLANNING] = add_months(period.start, 1) - dt.timedelta(days=1)
    if policy.halfway_progress_conversation:
        dues[Due.HALFWAY_PROGRESS] = halfway(period.start, period.end)
    if policy.evaluation_window_opens and policy.evaluation_window_closes:
        dues[Due.EVALUATION_WINDOW_OPENS] = policy.evaluation_window_opens.in_year(year)
        dues[Due.EVALUATION] = policy.evaluation_window_closes.in_year(year)
    else:
        dues[Due.EVALUATION] = period.end
    if policy.first_signature_by:
        first = policy.first_signature_by.in_year(year)
        dues[Due.FIRST_SIGNATURE] = first
        # The self-evaluation is due when the 1st evaluator must sign: after that the
        # hand-over to the 2nd evaluator no longer waits for it.
        dues[Due.SELF_EVALUATION] = first
    else:
        dues[Due.SELF_EVALUATION] = dues[Due.EVALUATION]
    if policy.second_signature_by:
        dues[Due.SECOND_SIGNATURE] = policy.second_signature_by.in_year(year)
    if policy.late_evaluation_months:
        dues[Due.EVALUATION_LAPSES] = add_months(period.end, policy.late_evaluation_months)
    newcomer = employed_from is not None and employed_from > period.start
    if newcomer and employed_from is not None:
        _follow_the_start(policy, dues, employed_from)
    assessment = probation.assessment_due(
        policy, probation_end=probation_end, employed_from=employed_from if newcomer else None,
    ) if probation_end else None
    # Only the cycle whose period holds the assessment tracks it; otherwise every cycle
    # until the probation ends would carry (and remind about) the same one.
    if assessment is not None and period.start <= assessment <= period.end:
        dues[Due.PROBATION_ASSESSMENT] = assessment
    return dues


def _follow_the_start(policy: Policy, dues: dict[Due, dt.date], start: dt.date) -> None:
    """Move a newcomer's due dates so that none precedes ``start`` (see cycle_due_dates)."""
    latest_first_step = min(dues[due] for due in _EVALUATION_PHASE if due in dues)
    latest_first_step = max(latest_first_step, start)
    for due, days in ((Due.PLANNING, policy.newcomer_planning_days),
                      (Due.HALFWAY_PROGRESS, policy.newcomer_progress_days)):
        if due in dues:
            dues[due] = min(max(dues[due], days_after_start(start, days)), latest_first_step)
    for due, day in dues.items():
        dues[due] = max(day, start)


def employee_signature_due(policy: Policy, *, received_on: dt.date) -> dt.date:
    """The last day the employee may sign (with remarks): N calendar days after receipt."""
    return _days_after(policy, received_on, policy.employee_signature_days)


def written_remarks_due(policy: Policy, *, draft_sent_on: dt.date) -> dt.date:
    """Written procedure: the last day for remarks on the draft report [f2]."""
    return _days_after(policy, draft_sent_on, policy.written_procedure_remark_days)


def _days_after(policy: Policy, start: dt.date, days: int) -> dt.date:
    # Day of receipt not counted (the usual rule for terms): day 1 is the next day.
    return start + dt.timedelta(days=days - 1 if policy.receipt_day_counts else days)


def advanced_evaluation_earliest(policy: Policy, *, acknowledged_on: dt.date) -> dt.date:
    """The earliest date of an advanced evaluation after an ``onvoldoende`` (PLOEG)."""
    months = policy.advanced_evaluation_months
    if policy.advanced_evaluation_counting == AdvancedCounting.CALENDAR_MONTHS:
        # The 6th month following the date is the 6th calendar month after its month.
        return add_months(first_of_month(acknowledged_on), months)
    return add_months(acknowledged_on, months - 1)


def second_evaluator_task_starts(
    policy: Policy,
    *,
    year: int,
    self_evaluation_submitted: dt.date | None,
    first_report_submitted: dt.date | None,
) -> dt.date | None:
    """When the 2nd evaluator's task starts (the Flemish hand-over rule, [f7]).

    When both the self-evaluation and the 1st evaluator's report are in; from the
    policy's day (15 March) the 1st evaluator's report alone is enough.
    """
    if first_report_submitted is None:
        return None
    candidates = []
    if self_evaluation_submitted is not None:
        candidates.append(max(first_report_submitted, self_evaluation_submitted))
    if policy.handover_without_self_evaluation_from is not None:
        day = policy.handover_without_self_evaluation_from.in_year(year)
        candidates.append(max(first_report_submitted, day))
    return min(candidates) if candidates else None
