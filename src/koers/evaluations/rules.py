"""The policy conditions of the evaluation's state machine, one small function each.

Each ``*_error`` function answers "does the policy refuse this now?" with the refusal in
the user's language, or ``None`` when the policy allows it; the services raise it, the
pages show it beside the button (``selectors.available_actions``). Nothing here writes;
the functions read only what they are given (dates are passed in, never taken from the
clock), so the tests drive them table by table, per preset. The moves themselves (from
which state, by whom) are ``states.TRANSITIONS``; the due dates are
``rulebook.deadlines``.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core.clock import today_for
from koers.cycles.models import Participation
from koers.evaluations.models import Evaluation, EvaluationReport, Probation
from koers.evaluations.states import Action, EvaluationKind, Role
from koers.organisation import evaluators
from koers.organisation.models import EmploymentStatus, Person, SalarySystem
from koers.rulebook import appeals, deadlines
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy, ReportAuthor
from koers.rulebook.probation import (
    PROBATION_VERDICTS,
    assessment_due,
    mentor_error,
)
from koers.rulebook.questions import question_text
from koers.rulebook.stage import probation_recorded
from koers.rulebook.terms import terms_for
from koers.rulebook.verdicts import NEGATIVE_VERDICTS, Verdict, verdict_label

# After this verdict the evaluators may advance the next evaluation (PLOEG).
ADVANCING_VERDICT = Verdict.ONVOLDOENDE


def day(value: dt.date) -> str:
    """A date as the messages show it, in the active language ("15 maart 2026")."""
    return date_format(value, "j F Y")


def local_day(moment: dt.datetime, time_zone: str) -> dt.date:
    """The calendar day of a moment in the organisation's time zone."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


# The texts ---------------------------------------------------------------------------


def self_evaluation_questions(policy: Policy, *, fallback: str | None = None) -> list[str]:
    """The self-evaluation's guiding questions in the active language, the reader's.

    They are translatable content (``rulebook.questions``): the built-in questions are
    English source texts, translated here; HR's own without a text in the reader's
    language read in ``fallback`` (the organisation's language), then in any language HR
    gave. A line stored before questions had languages comes back as typed.
    """
    return [question_text(question, fallback=fallback)
            for question in policy.self_evaluation_questions]


def report_author(policy: Policy, *, kind: str) -> Role:
    """Who writes the report: the policy's author; a formal assessment is always the
    1st evaluator's ("eenzijdig vastgesteld", Heemstede), and so is a probation
    evaluation (the evaluator's, [f21]; the manager's assessment, Heemstede)."""
    if kind in (EvaluationKind.FORMAL_ASSESSMENT, EvaluationKind.PROBATION):
        return Role.FIRST_EVALUATOR
    if policy.evaluation_report_author == ReportAuthor.EMPLOYEE:
        return Role.EMPLOYEE
    return Role.FIRST_EVALUATOR


def report_author_error(policy: Policy, *, kind: str, roles: set[Role]) -> str | None:
    author = report_author(policy, kind=kind)
    if author in roles:
        return None
    if author == Role.EMPLOYEE:
        return _("Under this policy the employee writes the record of the evaluation "
                 "conversation.")
    return _("The %(first)s writes the report.") % {
        "first": terms_for(policy.preset).first_evaluator}


# Verdicts and a complete report --------------------------------------------------------


def verdicts_for(policy: Policy, person: Person, kind: str = EvaluationKind.ANNUAL,
                 ) -> tuple[str, ...]:
    """The verdicts the policy allows for this person (loopbaanvertraging only for
    statutory staff in the seniority-based salary system, Prestatiemanagement); a
    probation evaluation ends in voldoende or onvoldoende ([f20])."""
    allowed = policy.verdicts_for(
        statutory=person.employment_status == EmploymentStatus.STATUTORY,
        seniority=person.salary_system == SalarySystem.SENIORITY,
    )
    if kind == EvaluationKind.PROBATION:
        return tuple(code for code in allowed if code in PROBATION_VERDICTS)
    return allowed


def verdict_error(policy: Policy, *, person: Person, verdict: str,
                  kind: str = EvaluationKind.ANNUAL) -> str | None:
    """A verdict the policy does not allow for this person (none yet is allowed)."""
    if not verdict:
        return None
    allowed = verdicts_for(policy, person, kind)
    if not allowed:
        return _("This policy has no verdict: leave it empty.")
    if verdict not in allowed:
        return _("Choose one of the verdicts this policy allows for %(name)s: %(verdicts)s.") % {
            "name": person.full_name,
            "verdicts": ", ".join(verdict_label(policy, code) for code in allowed)}
    return None


def report_complete_error(policy: Policy, *, person: Person, overall: str,
                          verdict: str, kind: str = EvaluationKind.ANNUAL) -> str | None:
    """Before it is signed or sent as a draft: the overall evaluation is written and,
    where the policy requires a verdict (``verdict_required``), one is chosen."""
    if not overall.strip():
        return _("Write the overall evaluation first.")
    if policy.verdict_required and verdicts_for(policy, person, kind) and not verdict:
        return _("Choose a verdict first.")
    return verdict_error(policy, person=person, verdict=verdict, kind=kind)


# Deadlines ------------------------------------------------------------------------------


def evaluation_year(period_end: dt.date) -> int:
    """The year whose window and signature days apply: the year the period ends in
    (for a calendar-year policy the evaluation year; a stretched period still ends on
    31 December of it, ``deadlines.period_agreement_errors``)."""
    return period_end.year


def window_error(policy: Policy, *, kind: str, year: int, today: dt.date,
                 opens_on: dt.date | None = None) -> str | None:
    """The 1st evaluator signs an annual evaluation only once the evaluation window has
    opened (PLOEG: between 1 December and 31 March). Late is allowed: the window's
    end and the signature days are shown as overdue, never enforced.

    ``opens_on``: the day the participation's window opens (``cycles``: the deadline
    engine's, earlier for someone evaluated before leaving, [f1]); else the policy's."""
    if kind != EvaluationKind.ANNUAL or policy.evaluation_window_opens is None:
        return None
    opens = opens_on or policy.evaluation_window_opens.in_year(year)
    if today < opens:
        return _("The evaluation period opens on %(day)s: the report can be signed from "
                 "then on.") % {"day": day(opens)}
    return None


def second_task_starts(policy: Policy, *, kind: str, year: int,
                       self_submitted_on: dt.date | None,
                       first_signed_on: dt.date | None) -> dt.date | None:
    """When the 2nd evaluator's task starts (``None``: not yet known).

    An annual evaluation follows the policy's hand-over rule [f7]; an advanced
    evaluation or a formal assessment is held on its own day, outside the annual
    calendar, so there the 1st signature hands over at once.
    """
    if kind != EvaluationKind.ANNUAL:
        return first_signed_on
    return deadlines.second_evaluator_task_starts(
        policy, year=year, self_evaluation_submitted=self_submitted_on,
        first_report_submitted=first_signed_on,
    )


def handover_error(policy: Policy, *, kind: str, year: int, self_submitted_on: dt.date | None,
                   first_signed_on: dt.date | None, today: dt.date) -> str | None:
    """The 2nd evaluator signs only once their task has started."""
    starts = second_task_starts(policy, kind=kind, year=year,
                                self_submitted_on=self_submitted_on,
                                first_signed_on=first_signed_on)
    second = terms_for(policy.preset).second_evaluator  # the policy's regime names them
    if starts is None:
        if policy.handover_without_self_evaluation_from is None or kind != EvaluationKind.ANNUAL:
            return _("The task of the %(second)s starts when the self-evaluation is "
                     "submitted.") % {"second": second}
        return _("The task of the %(second)s starts when the self-evaluation is submitted, "
                 "or on %(day)s without it.") % {
            "second": second,
            "day": day(policy.handover_without_self_evaluation_from.in_year(year))}
    if today < starts:
        return _("The task of the %(second)s starts on %(day)s.") % {
            "second": second, "day": day(starts)}
    return None


def second_evaluator_error(policy: Policy, *, has_second_evaluator: bool) -> str | None:
    """Where the 2nd evaluator co-signs, the 1st signature hands over to someone."""
    if policy.second_signature_required and not has_second_evaluator:
        return _("This employee has no %(second)s to hand the report over to: HR sets "
                 "one first.") % {"second": terms_for(policy.preset).second_evaluator}
    return None


def employee_term_error(*, due: dt.date | None, today: dt.date) -> str | None:
    """The employee signs within the policy's term after receipt (PLOEG: 15 calendar
    days); ``due`` is ``deadlines.employee_signature_due`` of the delivery day."""
    if due is not None and today > due:
        return _("The term to sign ended on %(day)s.") % {"day": day(due)}
    return None


def close_unsigned_error(*, due: dt.date | None, today: dt.date) -> str | None:
    """Closing without the employee's signature waits until their term has passed."""
    if due is None or today <= due:
        return _("The employee may sign until %(day)s: it can be closed without their "
                 "signature after that day.") % {"day": day(due or today)}
    return None


# The written procedure [f2] ------------------------------------------------------------


def send_draft_error(*, written_procedure: bool, draft_sent_on: dt.date | None) -> str | None:
    if not written_procedure:
        return _("A draft is sent only in the written procedure.")
    if draft_sent_on is not None:
        return _("The draft was already sent on %(day)s.") % {"day": day(draft_sent_on)}
    return None


def written_procedure_change_error(*, draft_sent_on: dt.date | None,
                                   signed: bool) -> str | None:
    """The procedure is part of what is signed: it is chosen before anything is."""
    if draft_sent_on is not None or signed:
        return _("The procedure can no longer change: the draft was sent or the report "
                 "was signed.")
    return None


def remarks_error(policy: Policy, *, draft_sent_on: dt.date | None,
                  remarks_on: dt.date | None, today: dt.date) -> str | None:
    """The employee sends remarks on the draft once, within the policy's term."""
    if draft_sent_on is None:
        return _("There is no draft to comment on.")
    if remarks_on is not None:
        return _("You sent your remarks on %(day)s.") % {"day": day(remarks_on)}
    due = deadlines.written_remarks_due(policy, draft_sent_on=draft_sent_on)
    if today > due:
        return _("The term for remarks ended on %(day)s.") % {"day": day(due)}
    return None


def written_first_signature_error(policy: Policy, *, written_procedure: bool,
                                  draft_sent_on: dt.date | None, remarks_on: dt.date | None,
                                  today: dt.date) -> str | None:
    """In the written procedure the 1st evaluator signs after the draft was sent and the
    remarks are in or their term has passed."""
    if not written_procedure:
        return None
    if draft_sent_on is None:
        return _("In the written procedure the draft is sent to the employee first.")
    due = deadlines.written_remarks_due(policy, draft_sent_on=draft_sent_on)
    if remarks_on is None and today <= due:
        return _("The employee may send remarks on the draft until %(day)s.") % {"day": day(due)}
    return None


def draft_verdict_error(*, written_procedure: bool, draft_verdict: str,
                        verdict: str) -> str | None:
    """An onvoldoende or loopbaanvertraging in the final report must already have been
    the verdict of the draft [f2]."""
    if written_procedure and verdict in NEGATIVE_VERDICTS and verdict != draft_verdict:
        return _("The verdict “%(verdict)s” was not in the draft sent to the employee: in the "
                 "written procedure it must be.") % {"verdict": verdict}
    return None


# The advanced evaluation after onvoldoende (PLOEG) ----------------------------------


def advanced_earliest(policy: Policy, *, acknowledged_on: dt.date) -> dt.date:
    return deadlines.advanced_evaluation_earliest(policy, acknowledged_on=acknowledged_on)


def advanced_date_error(policy: Policy, *, verdict: str, chosen: dt.date | None,
                        today: dt.date, saved: dt.date | None = None) -> str | None:
    """A day for the advanced evaluation only after onvoldoende, and from the day the
    policy allows if the employee took note today (it moves on delivery, see
    ``advanced_on_delivery``). The day ``saved`` earlier stays valid as the days pass:
    only a changed day is measured again. The page's form and ``report_save`` both ask
    here, so the refusal names the policy's number of months in one wording."""
    if chosen is None:
        return None
    if verdict != ADVANCING_VERDICT:
        return _("The next evaluation can be advanced only after the verdict “%(verdict)s”.") % {
            "verdict": verdict_label(policy, ADVANCING_VERDICT)}
    if chosen == saved:
        return None
    earliest = advanced_earliest(policy, acknowledged_on=today)
    if chosen < earliest:
        return _("Choose %(day)s or later: the advanced evaluation is held at the earliest "
                 "from month %(months)d after the employee took note.") % {
            "day": day(earliest), "months": policy.advanced_evaluation_months}
    return None


def advanced_on_delivery(policy: Policy, *, chosen: dt.date | None,
                         delivered_on: dt.date) -> dt.date | None:
    """The earliest day fixed from the delivery day (when the employee takes note);
    ``None`` when no advanced evaluation was chosen. A chosen day before it moves to it
    (``EvaluationReport.advanced_evaluation_day``)."""
    if chosen is None:
        return None
    return advanced_earliest(policy, acknowledged_on=delivered_on)


# The Dutch formal assessment (Heemstede) ------------------------------------------------


def formal_assessment_errors(*, person: Person,
                             improvement_conversation: Conversation | None) -> list[str]:
    """Why a formal assessment of ``person`` is refused (empty: it may be held).

    Heemstede: it exists where the policy has it, and "om een beoordelingsgesprek te
    kunnen voeren moeten verbeterpunten voor de medewerker duidelijk in het
    voortgangsgesprek aan de orde zijn geweest": a progress conversation of this
    employee, held before today, with the improvement points recorded.
    """
    errors = []
    if not policy_for(person.organisation).formal_assessment:
        errors.append(_("This policy has no formal assessment."))
    conversation = improvement_conversation
    if conversation is None:
        errors.append(_("Choose the progress conversation in which the improvement points "
                        "were raised."))
        return errors
    today = today_for(person.organisation)
    if conversation.employee_id != person.pk:
        errors.append(_("The progress conversation must be one with this employee."))
    if conversation.kind != ConversationKind.PROGRESS:
        errors.append(_("The improvement points must have been raised in a progress "
                        "conversation."))
    if (conversation.status != ConversationStatus.HELD or conversation.held_on is None
            or conversation.held_on >= today):
        errors.append(_("The progress conversation must have been held before today."))
    if not conversation.improvement_points.strip():
        errors.append(_("No improvement points were recorded in that progress conversation."))
    return errors


# Probation ------------------------------------------------------------------------------


def objection_error(policy: Policy, *, kind: str) -> str | None:
    """An objection is recorded against a formal assessment, and against a probation
    assessment where the policy assesses probation before it ends (Heemstede: "bezwaar
    is mogelijk"); a Flemish probation evaluation is appealed instead ([f5])."""
    if kind == EvaluationKind.FORMAL_ASSESSMENT:
        return None
    if kind == EvaluationKind.PROBATION and policy.probation_assessment_months_before_end:
        return None
    return _("An objection is recorded against a formal assessment or a probation "
             "assessment only.")


@dataclass(frozen=True)
class ProbationOpening:
    """What a probation evaluation of a person covers, or why it cannot be opened."""

    error: str | None
    period: tuple[dt.date, dt.date]
    due_on: dt.date | None = None
    probation: Probation | None = None


def probation_open(*, person: Person, probation: Probation | None,
                   today: dt.date) -> ProbationOpening:
    """The probation evaluation of ``person``, by the policy:

    - Flanders ([f18][f21]) and the federal stage ([b12][b14]): it closes a recorded
      probation (``probation``, else the person's latest): its period, due on its
      computed end (the stage's final conversation); the mentor is not one of the
      evaluators;
    - Dutch (Heemstede): the probation assessment of the temporary appointment, which
      ends on the person's ``probation_end_date``, due N months before.
    """
    policy = policy_for(person.organisation)
    none = (today, today)
    if probation_recorded(policy):
        probation = probation or person.probations.order_by("-starts_on", "-pk").first()
        if probation is None or probation.person_id != person.pk:
            # In the words of the person's regime: a probation, or a stage.
            return ProbationOpening(str(terms_for(policy.preset).probation_not_recorded)
                                    % {"name": person.full_name}, none)
        line = evaluators.evaluator_line(person, on=today)
        error = mentor_error(mentor_id=probation.mentor_id,
                             evaluator_ids=(line.first.pk if line.first else None,
                                            line.second.pk if line.second else None))
        return ProbationOpening(error, (probation.starts_on, probation.ends_on),
                                probation.ends_on, probation)
    end = person.probation_end_date
    due = assessment_due(policy, probation_end=end, employed_from=person.start_date) \
        if end is not None else None
    if end is None or due is None:
        return ProbationOpening(
            _("%(name)s is not on probation, or this policy has no probation evaluation.")
            % {"name": person.full_name}, none)
    return ProbationOpening(None, (min(person.start_date, end), end), due)


def may_be_advanced(kind: str) -> bool:
    """Whether an ``onvoldoende`` of this kind of evaluation may advance the next one
    (PLOEG: from the 6th month after the employee took note). A probation evaluation
    never is: an onvoldoende ends the probation with its consequence ([f20]: a fixed-term
    contract), not with a next evaluation; so its report form does not offer the day."""
    return kind != EvaluationKind.PROBATION


def probation_advanced_error(*, kind: str, chosen: dt.date | None) -> str | None:
    """A probation evaluation is never advanced (``may_be_advanced``)."""
    if not may_be_advanced(kind) and chosen is not None:
        return _("A probation evaluation has no advanced evaluation: an onvoldoende ends "
                 "the probation.")
    return None


def probation_mentor_error(evaluation: Evaluation) -> str | None:
    """[f21]: the probationer's mentor does not evaluate the probation, as 1st or as 2nd
    evaluator (the evaluators follow the line, so it is checked at each signature)."""
    if evaluation.kind != EvaluationKind.PROBATION or evaluation.probation_id is None:
        return None
    assert evaluation.probation is not None
    return mentor_error(mentor_id=evaluation.probation.mentor_id,
                        evaluator_ids=(evaluation.first_evaluator_id,
                                       evaluation.second_evaluator_id))


# Every condition of an action, in one place ----------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the conditions read of an evaluation, loaded once (services and pages)."""

    evaluation: Evaluation
    report: EvaluationReport  # the current version
    policy: Policy
    today: dt.date
    first_signed_on: dt.date | None  # the 1st signature of the current version
    signed: bool  # any version carries a signature

    @property
    def year(self) -> int:
        return evaluation_year(self.evaluation.period_end)

    @property
    def self_submitted_on(self) -> dt.date | None:
        return self_submitted_on(self.evaluation)


def self_submitted_on(evaluation: Evaluation) -> dt.date | None:
    """The day the self-evaluation was submitted, in the organisation's time zone."""
    submitted = evaluation.self_evaluation_submitted_at
    if submitted is None:
        return None
    return local_day(submitted, evaluation.person.organisation.time_zone)


# What a lapsed evaluation can no longer do: be written, sent or signed. It stays readable,
# and HR may still cancel it.
LAPSE_REFUSES = frozenset({
    Action.SAVE_SELF_EVALUATION, Action.SUBMIT_SELF_EVALUATION, Action.SAVE_REPORT,
    Action.SET_WRITTEN_PROCEDURE, Action.SEND_DRAFT, Action.ADD_DRAFT_REMARKS,
    Action.SIGN_FIRST,
})


def lapse_error(participation: Participation | None) -> str | None:
    """Refuses an evaluation of a period whose evaluation lapsed (``cycles.lapse``, [b2]:
    not evaluated 3 months after the period, the next cycle started without a
    mention)."""
    if participation is None or participation.lapsed_on is None:
        return None
    return _("The evaluation of this period lapsed on %(day)s: it was not held within "
             "3 months after the period, so the next cycle started without a mention. "
             "It can no longer be written or signed.") % {"day": day(participation.lapsed_on)}


def timing_error(action: Action, *, evaluation: Evaluation, policy: Policy, today: dt.date,
                 first_signed_on: dt.date | None) -> str | None:
    """Whether ``action`` is open today: the conditions that hang on the day and on the
    evaluation's own facts, not on the report's text (the window, the hand-over to the
    2nd evaluator, the terms for remarks and for the employee's signature).

    ``refusal`` asks here for every service, and ``evaluations.steps`` asks here whether
    a step is a task to do now, so a task list never offers what signing refuses.
    ``first_signed_on`` is the day of the current version's 1st signature.
    """
    year = evaluation_year(evaluation.period_end)
    if action in LAPSE_REFUSES and evaluation.participation_id is not None and (
            error := lapse_error(evaluation.participation)):
        return error
    if action == Action.ADD_DRAFT_REMARKS:
        return remarks_error(policy, draft_sent_on=evaluation.draft_sent_on,
                             remarks_on=evaluation.draft_remarks_on, today=today)
    if action == Action.SIGN_FIRST:
        participation = evaluation.participation if evaluation.participation_id else None
        opens_on = participation.evaluation_window_opens if participation else None
        return window_error(policy, kind=evaluation.kind, year=year, today=today,
                            opens_on=opens_on) or \
            written_first_signature_error(
                policy, written_procedure=evaluation.written_procedure,
                draft_sent_on=evaluation.draft_sent_on, remarks_on=evaluation.draft_remarks_on,
                today=today)
    if action == Action.SIGN_SECOND:
        return handover_error(policy, kind=evaluation.kind, year=year,
                              self_submitted_on=self_submitted_on(evaluation),
                              first_signed_on=first_signed_on, today=today)
    if action == Action.SIGN_EMPLOYEE:
        return employee_term_error(due=evaluation.employee_signature_due, today=today)
    if action == Action.CLOSE_UNSIGNED:
        return close_unsigned_error(due=evaluation.employee_signature_due, today=today)
    return None


def refusal(action: Action, facts: Facts, *, roles: set[Role]) -> str | None:
    """The first policy condition that refuses ``action`` now, or ``None``.

    The table (``states.check``) has already said that the state and a role allow it.
    """
    evaluation, report, policy, today = facts.evaluation, facts.report, facts.policy, facts.today
    person = evaluation.person
    checks: list[str | None] = []
    if action in LAPSE_REFUSES and evaluation.participation_id is not None:
        checks.append(lapse_error(evaluation.participation))
    if action in (Action.SAVE_SELF_EVALUATION, Action.SUBMIT_SELF_EVALUATION):
        if evaluation.self_evaluation_submitted_at is not None:
            checks.append(_("The self-evaluation was submitted: it can no longer change."))
    elif action == Action.SAVE_REPORT:
        checks.append(report_author_error(policy, kind=evaluation.kind, roles=roles))
    elif action == Action.SET_WRITTEN_PROCEDURE:
        checks.append(written_procedure_change_error(draft_sent_on=evaluation.draft_sent_on,
                                                     signed=facts.signed))
    elif action == Action.SEND_DRAFT:
        checks += [
            send_draft_error(written_procedure=evaluation.written_procedure,
                             draft_sent_on=evaluation.draft_sent_on),
            report_complete_error(policy, person=person, overall=report.overall,
                                  verdict=report.verdict, kind=evaluation.kind),
        ]
    elif action == Action.ADD_DRAFT_REMARKS:
        checks.append(timing_error(action, evaluation=evaluation, policy=policy, today=today,
                                   first_signed_on=facts.first_signed_on))
    elif action == Action.SIGN_FIRST:
        checks += [
            report_complete_error(policy, person=person, overall=report.overall,
                                  verdict=report.verdict, kind=evaluation.kind),
            timing_error(action, evaluation=evaluation, policy=policy, today=today,
                         first_signed_on=facts.first_signed_on),
            draft_verdict_error(written_procedure=evaluation.written_procedure,
                                draft_verdict=evaluation.draft_verdict, verdict=report.verdict),
            second_evaluator_error(policy,
                                   has_second_evaluator=evaluation.second_evaluator_id is not None),
            probation_mentor_error(evaluation),
        ]
    elif action in (Action.SIGN_SECOND, Action.SIGN_EMPLOYEE, Action.CLOSE_UNSIGNED):
        # The 2nd evaluator's hand-over [f7] and the employee's term: the day decides.
        checks.append(timing_error(action, evaluation=evaluation, policy=policy, today=today,
                                   first_signed_on=facts.first_signed_on))
        if action == Action.SIGN_SECOND:
            checks.append(probation_mentor_error(evaluation))
    elif action == Action.RECORD_OBJECTION:
        checks.append(objection_error(policy, kind=evaluation.kind))
    return next((message for message in checks if message), None)


@dataclass(frozen=True)
class NextStep:
    """What the delivered report tells the employee to do next (printed on its PDF):
    sign for receipt within the policy's term, and, where they may, appeal by a day to a
    body (``rulebook.appeals``)."""

    signature_days: int
    signature_due: dt.date | None  # None once signed, or before delivery
    appeal_days: int | None  # None: no appeal against this report
    appeal_due: dt.date | None
    appeal_body: str


def next_step(policy: Policy, *, person: Person, verdict: str, delivered_on: dt.date | None,
              signature_due: dt.date | None, signed_by_employee: bool) -> NextStep | None:
    """The next step after delivery; ``None`` before it. The signature term is
    ``policy.employee_signature_days`` (PLOEG: 15 calendar days after receipt); the
    appeal, where ``appeals.may_appeal``, ``policy.appeal_days`` after delivery
    ([f3][f4][f5])."""
    if delivered_on is None:
        return None
    appealable = appeals.may_appeal(person, verdict, policy)
    return NextStep(
        signature_days=policy.employee_signature_days,
        signature_due=None if signed_by_employee else signature_due,
        appeal_days=policy.appeal_days if appealable else None,
        appeal_due=appeals.appeal_due(policy, delivered_on) if appealable else None,
        appeal_body=policy.appeal_body if appealable else "",
    )


# "No surprise" before a negative verdict (PLOEG) --------------------------------------


@dataclass(frozen=True)
class Forewarnings:
    """What the evaluated period held that told the employee beforehand (read by
    ``selectors.no_surprise_warnings``)."""

    follow_up_with_points: bool  # a conversation held in the period, improvement points recorded
    improvement_plan: bool  # an improvement plan signed in (or running into) the period
    earlier_warning: bool  # the previous evaluation carried a negative verdict


def no_surprise_missing(*, verdict: str, forewarnings: Forewarnings) -> list[str]:
    """What is missing before a report carries a negative verdict; empty when nothing is.

    Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)": in the evaluation
    conversation the employee "mag niets nieuws horen". A report about to carry
    onvoldoende (or loopbaanvertraging) while the period holds no follow-up conversation
    with improvement points, no improvement plan and no earlier warning names all three
    to the 1st evaluator, and to the 2nd before co-signing. It warns; it never blocks.
    """
    if verdict not in NEGATIVE_VERDICTS:
        return []
    if (forewarnings.follow_up_with_points or forewarnings.improvement_plan
            or forewarnings.earlier_warning):
        return []
    return [
        _("no follow-up conversation in the period with improvement points recorded"),
        _("no improvement plan"),
        _("no earlier warning (the previous evaluation carried no negative verdict)"),
    ]
