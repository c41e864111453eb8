"""The rules of appreciation and contradiction, each in one place with its source.

Prestatiemanagement (Waardering en salaris; Recht op tegenspraak), PLOEG and the Flemish
regulations ([f3][f4][f5]; docs/policies.md, Sources):

- the management body decides step 0, 1 or 2 (``policy.salary_steps``; none: off)
  for employees in the evaluation-based salary system;
- ``voldoende`` with step 0 is allowed; ``onvoldoende`` always gives step 0;
- statutory staff may appeal ``onvoldoende`` or ``loopbaanvertraging`` to the appeal
  board, within ``policy.appeal_days`` calendar days after delivery (15 in Flanders);
  the appeal suspends the consequences, so no salary decision while the verdict may
  still change (our reading of "schorst de gevolgen", docs/consequences.md);
- staff with a step-0 decision may object to the advisory body within
  ``policy.objection_days`` (no term in the sources: our default of 15 days); the
  advice is non-binding, the management body decides finally;
- statutory staff who appealed an ``onvoldoende`` that was not changed to
  ``voldoende`` can no longer object to the step-0 decision.

The federal appeal (BOSA, Beroep; fedweb, Beroepen [b6][b7]) differs where its policy
says so: the term is 20 *working* days (``policy.appeal_working_days``: weekends and
Belgium's public holidays not counted); contract staff appeal too
(``policy.appeal_contract_staff``); and the evaluation commission hears the evaluatee
and the evaluator and advises to keep the mention or give a better one before the
leidend ambtenaar decides, never worse (``policy.appeal_commission_advises``). With a
single mention, ``onvoldoende``, "better" means the mention is lifted.

Each function returns the refusal in the user's language, or ``None`` when allowed:
services raise it, pages show it beside the action.
"""

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.consequences.states import APPEAL_PENDING, AppealOutcome, AppealState
from koers.evaluations.states import DELIVERED_GROUP, EvaluationKind
from koers.organisation.models import EmploymentStatus, Person, SalarySystem
from koers.rulebook.appeals import APPEALABLE_VERDICTS as APPEALABLE_VERDICTS
from koers.rulebook.appeals import appeal_due as appeal_due
from koers.rulebook.appeals import appeal_open_to as appeal_open_to
from koers.rulebook.appeals import may_appeal as may_appeal
from koers.rulebook.presets import Policy
from koers.rulebook.verdicts import Verdict

if TYPE_CHECKING:
    from koers.consequences.models import Appeal
    from koers.evaluations.models import Evaluation

def day(value: dt.date) -> str:
    return date_format(value, "j F Y")


# Salary steps ---------------------------------------------------------------------------


def salary_steps_apply(policy: Policy) -> bool:
    """The feature is on where the policy has salary steps (the Flemish preset)."""
    return bool(policy.salary_steps)


def in_evaluation_salary_system(person: Person) -> bool:
    """Prestatiemanagement: steps concern only staff in the evaluation-based salary system."""
    return person.salary_system == SalarySystem.EVALUATION


def allowed_steps(policy: Policy, verdict: str) -> tuple[int, ...]:
    """Prestatiemanagement: an ``onvoldoende`` always gives step 0; ``voldoende`` allows every step,
    step 0 included."""
    if verdict == Verdict.ONVOLDOENDE:
        return tuple(step for step in policy.salary_steps if step == 0)
    return tuple(policy.salary_steps)


def step_refusal(policy: Policy, verdict: str, step: int) -> str | None:
    if step not in policy.salary_steps:
        return _("Choose one of the salary steps of the policy: %(steps)s.") % {
            "steps": ", ".join(str(s) for s in policy.salary_steps)}
    if step not in allowed_steps(policy, verdict):
        return _("An “onvoldoende” always gives step 0.")
    return None


def effective_verdict(report_verdict: str, appeal: "Appeal | None") -> str:
    """The verdict that counts: the report's, or ``voldoende`` when an appeal changed it
    (the signed report itself is never changed)."""
    if appeal is not None and appeal.state == AppealState.DECIDED \
            and appeal.outcome == AppealOutcome.CHANGED:
        return Verdict.VOLDOENDE
    return report_verdict


def better_verdict(policy: Policy) -> str:
    """The verdict an appeal that changes the verdict leads to: ``voldoende`` where the
    policy has it (Flanders), otherwise no mention at all ([b2][b7]: the federal
    ``onvoldoende`` is lifted)."""
    codes = {option.code for option in policy.verdicts}
    return Verdict.VOLDOENDE if Verdict.VOLDOENDE in codes else ""


def outcome_label(policy: Policy, outcome: str) -> str:
    """The outcome (or the commission's advice) in words fit for the policy."""
    if outcome == AppealOutcome.KEPT:
        return _("verdict kept")
    if outcome == AppealOutcome.CHANGED:
        if better_verdict(policy):
            return _("verdict changed to voldoende")
        return _("mention lifted: no mention")
    return ""


def advice_refusal(policy: Policy, appeal: "Appeal") -> str | None:
    """Why the commission cannot advise now, or ``None`` ([b6][b7]: after hearing the
    evaluatee and the evaluator; only where the policy has a commission)."""
    if not policy.appeal_commission_advises:
        return _("In this policy the appeal board decides without a separate advice.")
    if appeal.state != AppealState.HEARD:
        return _("The commission advises after the evaluatee and the evaluator were heard: "
                 "record the hearing first.")
    return None


def outcome_refusal(policy: Policy, appeal: "Appeal") -> str | None:
    """Why the outcome cannot be recorded now, or ``None`` ([b7]: the leidend ambtenaar
    decides after the commission's advice)."""
    if policy.appeal_commission_advises and appeal.state != AppealState.ADVISED:
        return _("The leidend ambtenaar decides after the evaluation commission's advice: "
                 "record the advice first.")
    return None


def decision_refusal(*, policy: Policy, evaluation: "Evaluation", verdict: str,
                     appeal: "Appeal | None", delivered_on: dt.date | None,
                     today: dt.date) -> str | None:
    """Why the management body cannot decide a step on this evaluation now, or ``None``."""
    person = evaluation.person
    if not salary_steps_apply(policy):
        return _("This policy has no salary steps.")
    if not in_evaluation_salary_system(person):
        return _("Only people in the evaluation-based salary system get a salary step.")
    if evaluation.kind != EvaluationKind.ANNUAL:
        return _("Salary steps follow the annual evaluation.")
    if evaluation.state not in DELIVERED_GROUP or delivered_on is None:
        return _("The evaluation report has not been delivered yet.")
    if not verdict:
        return _("The evaluation has no verdict.")
    if appeal is not None and appeal.state in APPEAL_PENDING:
        return _("An appeal against the verdict is pending: the decision waits for its "
                 "outcome.")
    if appeal is None and may_appeal(person, verdict, policy):
        due = appeal_due(policy, delivered_on)
        if due is not None and today <= due:
            return _("The employee may still appeal the verdict until %(day)s: the decision "
                     "waits until then.") % {"day": day(due)}
    return None


# Appeals -----------------------------------------------------------------------------


def appeal_refusal(*, policy: Policy, evaluation: "Evaluation", verdict: str,
                   delivered_on: dt.date | None, today: dt.date,
                   existing: "Appeal | None") -> str | None:
    """Why the employee cannot appeal this verdict now, or ``None``."""
    if policy.appeal_days is None:
        return _("This policy has no appeal to an appeal board.")
    if not appeal_open_to(evaluation.person, policy):
        return _("Only statutory staff may appeal to the appeal board.")
    if verdict not in APPEALABLE_VERDICTS:
        return _("Only a verdict “onvoldoende” or “loopbaanvertraging” can be appealed.")
    if evaluation.state not in DELIVERED_GROUP or delivered_on is None:
        return _("The evaluation report has not been delivered yet.")
    if existing is not None:
        return _("This verdict has been appealed already.")
    due = appeal_due(policy, delivered_on)
    if due is not None and today > due:
        return _("The term to appeal ended on %(day)s.") % {"day": day(due)}
    return None


# Objections --------------------------------------------------------------------------


def objection_due(policy: Policy, decided_on: dt.date) -> dt.date:
    """The last day to object: ``objection_days`` calendar days after the decision."""
    return decided_on + dt.timedelta(days=policy.objection_days)


def barred_by_appeal(person: Person, appeal: "Appeal | None") -> bool:
    """Prestatiemanagement: statutory staff who appealed an ``onvoldoende`` that was not changed to
    ``voldoende`` can no longer object to the step-0 decision."""
    return (
        person.employment_status == EmploymentStatus.STATUTORY
        and appeal is not None
        and appeal.verdict == Verdict.ONVOLDOENDE
        and appeal.state == AppealState.DECIDED
        and appeal.outcome != AppealOutcome.CHANGED
    )


def objection_refusal(*, policy: Policy, person: Person, step: int, decided_on: dt.date,
                      appeal: "Appeal | None", already: bool, today: dt.date) -> str | None:
    """Why the employee cannot object to this salary decision now, or ``None``."""
    if step != 0:
        return _("Only a decision of step 0 can be objected to.")
    if already:
        return _("This decision has been objected to already.")
    if barred_by_appeal(person, appeal):
        return _("You appealed the verdict “onvoldoende” and it was not changed to "
                 "“voldoende”: you can no longer object to the step-0 decision.")
    due = objection_due(policy, decided_on)
    if today > due:
        return _("The term to object ended on %(day)s.") % {"day": day(due)}
    return None


def final_step_refusal(policy: Policy, verdict: str, step: int) -> str | None:
    """The final decision follows the same rule as the first one (Prestatiemanagement)."""
    return step_refusal(policy, verdict, step)


# Professional unfitness (federal) -------------------------------------------------------

# BOSA, "Evaluatie — vermeldingen" [b2]: "twee keer de vermelding onvoldoende".
UNFITNESS_ONVOLDOENDE = 2


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def unfitness_pair(policy: Policy, onvoldoende: list[tuple[dt.date, int]],
                   worked_days: Callable[[dt.date, dt.date], int],
                   ) -> tuple[int, int, int] | None:
    """Two ``onvoldoende`` that may start the procedure for professional unfitness
    ([b2]: twice within ``policy.unfitness_within_years`` years, with at least
    ``policy.unfitness_minimum_worked_days`` days actually worked between them), or
    ``None``.

    ``onvoldoende``: (day of delivery, evaluation id) of each effective ``onvoldoende``
    (an appeal that lifted one removes it). ``worked_days(first, last)`` counts the days
    worked from the first delivery to the second. Returns the two evaluations and the
    days worked; the latest such pair."""
    years = policy.unfitness_within_years
    if years is None:
        return None
    ordered = sorted(onvoldoende)
    for later in range(len(ordered) - 1, 0, -1):
        second_day, second = ordered[later]
        for earlier in range(later - 1, -1, -1):
            first_day, first = ordered[earlier]
            if add_years(first_day, years) < second_day:
                break
            worked = worked_days(first_day, second_day)
            if worked >= policy.unfitness_minimum_worked_days:
                return first, second, worked
    return None
