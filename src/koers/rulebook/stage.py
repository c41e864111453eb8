"""The federal stage (stage van de stagiair): the evaluation period of a newly recruited
federal civil servant. Each rule names its public source (docs/policies.md, Sources);
``tests/rulebook/test_stage.py`` fails when one changes.

- [b12] BOSA, "Evaluatieperiode stagiair" (bosa.belgium.be/nl/themas/werken-bij-de-
  overheid/loopbaan-en-statuut/evaluatie/stagiairs/evaluatieperiode-stagiair): the stage
  lasts at least one year, preferably from the 1st or the 15th of a month; an absence of
  more than 30 working days, in one or several times, extends it by the absence beyond
  those first 30 working days (annual leave does not count); the evaluation commission
  may extend it by at most 4 months.
- [b13] BOSA, "Vermeldingen" (…/evaluatie/stagiairs/vermeldingen): at the end of the
  stage the stagiair is appointed, the stage is extended, or the stagiair is dismissed;
  at the end of an extension only appointment or dismissal remain; a dismissal comes
  with 3 months' notice, none for a serious fault.
- [b14] Fedweb, "Stagiairs — Gesprekken" (fedweb.belgium.be/nl/evaluatie/
  evaluatiecyclus_voor_personeelsleden/stagiairs/gesprekken): a planning conversation in
  the stage's first month fixes the performance objectives and at least 2 development
  objectives; three functioning conversations are spread evenly over the stage; a final
  conversation closes it. Each conversation has a report.

The stage is recorded as a ``Probation`` (the evaluations room); its steps are computed
here from the policy, never typed.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.rulebook.calendar import add_months
from koers.rulebook.presets import Policy
from koers.rulebook.probation import is_workday, probation_evaluation_applies


class StageOutcome(models.TextChoices):
    """How a stage ends ([b13])."""

    APPOINT = "appoint", gettext_lazy("appointment")  # benoeming
    EXTEND = "extend", gettext_lazy("extension of the stage")  # verlenging
    DISMISS = "dismiss", gettext_lazy("dismissal")  # ontslag


class StageStepKind(StrEnum):
    PLANNING = "planning"  # stageplanningsgesprek
    FUNCTIONING = "functioning"  # functioneringsgesprek
    FINAL = "final"  # the conversation at the end of the stage


@dataclass(frozen=True)
class StageStep:
    """One conversation of the stage and the day it is due."""

    kind: StageStepKind
    number: int  # 1, 2, 3 for the functioning conversations; 1 for the others
    due: dt.date

    @property
    def what(self) -> str:
        if self.kind == StageStepKind.PLANNING:
            return _("Planning conversation of the stage")
        if self.kind == StageStepKind.FUNCTIONING:
            return _("Functioning conversation %(number)d of the stage") % {
                "number": self.number}
        return _("Final conversation of the stage")

    def task(self, name: str) -> str:
        """The evaluator's task to hold this conversation with ``name``."""
        if self.kind == StageStepKind.PLANNING:
            return _("Hold the planning conversation of the stage with %(name)s") % {
                "name": name}
        if self.kind == StageStepKind.FUNCTIONING:
            return _("Hold functioning conversation %(number)d of the stage with %(name)s") % {
                "number": self.number, "name": name}
        return _("Hold the final conversation of the stage with %(name)s") % {"name": name}


def stage_applies(policy: Policy) -> bool:
    """Whether the policy has the federal stage ([b12])."""
    return policy.stage_months is not None


def probation_recorded(policy: Policy) -> bool:
    """Whether HR records probations in this policy: the Flemish probation ([f18]) or the
    federal stage ([b12]), both a ``Probation`` record closed by a probation evaluation."""
    return probation_evaluation_applies(policy) or stage_applies(policy)


def stage_months_error(policy: Policy, months: int | None) -> str | None:
    """[b12]: the stage lasts at least one year (``stage_months``)."""
    minimum = policy.stage_months
    assert minimum is not None, "the policy has no stage"
    if months is None or not minimum <= months <= 36:
        return _("The stage lasts between %(minimum)d and 36 months.") % {"minimum": minimum}
    return None


def absent_workdays(*, starts_on: dt.date, ends_on: dt.date, absences: Collection[dt.date],
                    public_holidays: Collection[dt.date]) -> int:
    """The working days of the stage on which the stagiair was absent: the recorded days
    not worked that are weekdays and no public holiday."""
    return sum(1 for day in set(absences)
               if starts_on <= day <= ends_on and is_workday(day, public_holidays))


def _workdays_on(day: dt.date, count: int, public_holidays: Collection[dt.date]) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself when ``count`` is 0)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_workday(day, public_holidays):
            count -= 1
    return day


def stage_end(policy: Policy, *, starts_on: dt.date, months: int,
              absences: Collection[dt.date], public_holidays: Collection[dt.date]) -> dt.date:
    """The last day of the stage ([b12]): ``months`` from ``starts_on``, extended by the
    working days of absence beyond the first ``stage_absence_free_workdays``. An absence
    in the extension extends it too, so the end is computed until it stands still."""
    base = add_months(starts_on, months) - dt.timedelta(days=1)
    free = policy.stage_absence_free_workdays
    end = base
    while True:
        beyond = absent_workdays(starts_on=starts_on, ends_on=end, absences=absences,
                                 public_holidays=public_holidays) - free
        moved = _workdays_on(base, max(beyond, 0), public_holidays)
        if moved == end:
            return end
        end = moved


def stage_steps(policy: Policy, *, starts_on: dt.date, ends_on: dt.date) -> list[StageStep]:
    """The stage's conversations with their due dates ([b14]): the planning by the end of
    the first ``stage_planning_months``; the functioning conversations spread evenly over
    the stage, the k-th of n due after k/(n+1) of its days; the final one on its last
    day. An extension moves the end, and with it the spread."""
    planning = min(add_months(starts_on, policy.stage_planning_months) - dt.timedelta(days=1),
                   ends_on)
    steps = [StageStep(StageStepKind.PLANNING, 1, planning)]
    count = policy.stage_functioning_conversations
    length = (ends_on - starts_on).days
    steps += [StageStep(StageStepKind.FUNCTIONING, k,
                        starts_on + dt.timedelta(days=round(k * length / (count + 1))))
              for k in range(1, count + 1)]
    steps.append(StageStep(StageStepKind.FINAL, 1, ends_on))
    return steps


def outcomes_allowed(*, extended: bool) -> tuple[StageOutcome, ...]:
    """[b13]: at the end of the stage, appointment, extension or dismissal; at the end of
    an extension, appointment or dismissal."""
    if extended:
        return (StageOutcome.APPOINT, StageOutcome.DISMISS)
    return (StageOutcome.APPOINT, StageOutcome.EXTEND, StageOutcome.DISMISS)


def outcome_task_from(policy: Policy, *, ends_on: dt.date) -> dt.date:
    """From when HR is asked to record how the stage goes on ([b13]: appointment,
    extension or dismissal at its end): as early as the policy's first reminder before a
    deadline (``reminder_days_before``), so the decision is ready by the end."""
    return ends_on - dt.timedelta(days=max(policy.reminder_days_before, default=0))


def outcome_error(policy: Policy, *, outcome: str, extended: bool,
                  extension_months: int | None) -> dict[str, list[str]]:
    """Why an outcome is refused ([b12][b13]); empty: it stands."""
    errors: dict[str, list[str]] = {}
    if outcome not in outcomes_allowed(extended=extended):
        errors["outcome"] = [
            _("After an extension the stage ends in an appointment or a dismissal.")
            if extended and outcome == StageOutcome.EXTEND
            else _("Choose appointment, extension or dismissal.")]
        return errors
    most = policy.stage_extension_max_months
    if outcome == StageOutcome.EXTEND:
        if extension_months is None or not 1 <= extension_months <= most:
            errors["extension_months"] = [
                _("The stage is extended by 1 to %(most)d months.") % {"most": most}]
    elif extension_months:
        errors["extension_months"] = [_("Only an extension has a number of months.")]
    return errors


def extended_end(*, ends_on: dt.date, extension_months: int) -> dt.date:
    """The last day of an extension ([b12]): ``extension_months`` after the stage's end."""
    return add_months(ends_on + dt.timedelta(days=1), extension_months) - dt.timedelta(days=1)


def dismissal_notice_ends(policy: Policy, *, decided_on: dt.date,
                          serious_fault: bool) -> dt.date:
    """[b13]: a dismissed stagiair has ``stage_dismissal_notice_months`` of notice from
    the day after the decision; none for a serious fault (it takes effect that day)."""
    if serious_fault:
        return decided_on
    return add_months(decided_on, policy.stage_dismissal_notice_months)
