"""The settings HR may change on top of a preset: what each one is, how it is typed,
shown and stored, and which combinations a policy refuses.

The web form and the API both read this registry, so they accept the very same input
and give the same messages.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers.core import languages
from koers.core.errors import ValidationFailed
from koers.rulebook.calendar import YearDay
from koers.rulebook.presets import (
    AdvancedCounting,
    Eligibility,
    HrContentAccess,
    ImprovementPlanSource,
    Policy,
    ReportAuthor,
)
from koers.rulebook.questions import Translated, from_json, question_text


class Kind(StrEnum):
    YEAR_DAY = "year_day"
    DAYS = "days"
    MONTHS = "months"
    COUNT = "count"
    HOURS = "hours"
    YES_NO = "yes_no"
    CHOICE = "choice"
    DAY_LIST = "day_list"
    # One text a line in each language (``rulebook.questions``); maximum: how many lines.
    TRANSLATED_LINES = "translated_lines"
    YEARS = "years"


@dataclass(frozen=True)
class Setting:
    name: str
    label: Promise
    kind: Kind
    optional: bool = False  # may be switched off (None)
    minimum: int = 0
    maximum: int = 366
    choices: tuple[tuple[str, Promise], ...] = ()


# A guiding question is one agenda item (conversations.models.AgendaItem.text).
MAX_QUESTION_LENGTH = 500
MAX_QUESTIONS = 20

# Called by its full name: makemessages only extracts the names it knows (not an alias).
SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("period_starts", gettext_lazy("Organisation-wide period starts on"),
                Kind.YEAR_DAY),
        Setting("evaluation_window_opens", gettext_lazy("Evaluation window opens"),
                Kind.YEAR_DAY, optional=True),
        Setting("evaluation_window_closes", gettext_lazy("Evaluation window closes"),
                Kind.YEAR_DAY, optional=True),
        Setting("first_signature_by", gettext_lazy("1st evaluator signs by"), Kind.YEAR_DAY,
                optional=True),
        Setting("second_signature_by", gettext_lazy("2nd evaluator signs and delivers by"),
                Kind.YEAR_DAY, optional=True),
        Setting("handover_without_self_evaluation_from",
                gettext_lazy("From this day the 2nd evaluator's task starts without a "
                             "self-evaluation"),
                Kind.YEAR_DAY, optional=True),
        Setting("employee_signature_days",
                gettext_lazy("Days for the employee to sign after receipt"), Kind.DAYS,
                minimum=1, maximum=60),
        Setting("receipt_day_counts",
                gettext_lazy("The day of receipt counts as the first day"), Kind.YES_NO),
        Setting("written_procedure_remark_days",
                gettext_lazy("Days for remarks on a draft report (written procedure)"),
                Kind.DAYS, minimum=1, maximum=60),
        Setting("minimum_hours",
                gettext_lazy("Hours effectively worked for a mandatory evaluation"),
                Kind.HOURS, minimum=0, maximum=2000),
        Setting("minimum_months", gettext_lazy("Months employed for a mandatory evaluation"),
                Kind.MONTHS, minimum=0, maximum=12),
        Setting("exempt_when_absent_months",
                gettext_lazy("Not evaluated after more months than this without working"),
                Kind.MONTHS, optional=True, minimum=1, maximum=12),
        Setting("maximum_period_months", gettext_lazy("Longest period by agreement (months)"),
                Kind.MONTHS, minimum=12, maximum=24),
        Setting("advanced_evaluation_months",
                gettext_lazy("Advanced evaluation after 'onvoldoende' from the Nth month"),
                Kind.MONTHS, minimum=1, maximum=24),
        Setting("advanced_evaluation_counting", gettext_lazy("How those months are counted"),
                Kind.CHOICE,
                choices=((AdvancedCounting.CALENDAR_MONTHS,
                          gettext_lazy("calendar months after the month of acknowledgement")),
                         (AdvancedCounting.DATE_TO_DATE, gettext_lazy("from date to date")))),
        Setting("probation_assessment_months_before_end",
                gettext_lazy("Probation assessment, months before the probation ends"),
                Kind.MONTHS, optional=True, minimum=1, maximum=12),
        Setting("probation_workdays_per_month",
                gettext_lazy("Probation: working days to perform per month of probation"),
                Kind.DAYS, optional=True, minimum=1, maximum=31),
        Setting("probation_negative_contract_months",
                gettext_lazy("Probation: months of the fixed-term contract after a negative "
                             "probation evaluation"),
                Kind.MONTHS, optional=True, minimum=1, maximum=12),
        Setting("stage_months", gettext_lazy("Federal stage: months it lasts at least"),
                Kind.MONTHS, optional=True, minimum=12, maximum=36),
        Setting("stage_planning_months",
                gettext_lazy("Federal stage: the planning conversation within the first "
                             "months"), Kind.MONTHS, minimum=1, maximum=6),
        Setting("stage_development_objectives",
                gettext_lazy("Federal stage: development objectives planned at least"),
                Kind.COUNT, minimum=1, maximum=10),
        Setting("stage_functioning_conversations",
                gettext_lazy("Federal stage: functioning conversations spread over it"),
                Kind.COUNT, minimum=1, maximum=6),
        Setting("stage_absence_free_workdays",
                gettext_lazy("Federal stage: working days of absence that do not extend it"),
                Kind.DAYS, minimum=0, maximum=365),
        Setting("stage_extension_max_months",
                gettext_lazy("Federal stage: longest extension (months)"),
                Kind.MONTHS, minimum=1, maximum=12),
        Setting("stage_dismissal_notice_months",
                gettext_lazy("Federal stage: months of notice after a dismissal"),
                Kind.MONTHS, minimum=0, maximum=12),
        Setting("halfway_progress_conversation",
                gettext_lazy("A progress conversation halfway is required"), Kind.YES_NO),
        Setting("newcomer_planning_days",
                gettext_lazy("A newcomer's planning is due this many days after the start"),
                Kind.DAYS, minimum=1, maximum=365),
        Setting("evaluation_before_leaving",
                gettext_lazy("Someone who leaves voluntarily or retires may agree to be "
                             "evaluated before leaving"), Kind.YES_NO),
        Setting("newcomer_progress_days",
                gettext_lazy("A newcomer's progress conversation is due this many days "
                             "after the start"),
                Kind.DAYS, minimum=1, maximum=365),
        Setting("functioning_conversation_after_absence_days",
                gettext_lazy("A functioning conversation is due after an absence of more "
                             "than (days)"),
                Kind.DAYS, optional=True, minimum=1, maximum=365),
        Setting("functioning_conversation_after_regime_change",
                gettext_lazy("A functioning conversation is due after a change of work "
                             "regime"), Kind.YES_NO),
        Setting("minimum_worked_days_between_conversations",
                gettext_lazy("Days effectively worked between two functioning conversations"),
                Kind.DAYS, optional=True, minimum=1, maximum=365),
        Setting("late_evaluation_months",
                gettext_lazy("The evaluation lapses this many months after the period"),
                Kind.MONTHS, optional=True, minimum=1, maximum=12),
        Setting("director_reads_reports", gettext_lazy("The director reads the reports"),
                Kind.YES_NO),
        Setting("hr_content_access", gettext_lazy("HR reads goals and evaluations"),
                Kind.CHOICE,
                choices=((HrContentAccess.ON_GRANTED_REQUEST,
                          gettext_lazy("only on a granted request")),
                         (HrContentAccess.STANDING, gettext_lazy("always")))),
        Setting("improvement_plan_follow_up_months",
                gettext_lazy("Improvement plan followed up every N months"), Kind.MONTHS,
                minimum=1, maximum=6),
        Setting("improvement_plan_source",
                gettext_lazy("An improvement plan may start from"), Kind.CHOICE,
                choices=((ImprovementPlanSource.REMEDIATION,
                          gettext_lazy("a held remediation conversation")),
                         (ImprovementPlanSource.IMPROVEMENT_POINTS,
                          gettext_lazy("the improvement points of a held progress "
                                       "conversation")))),
        Setting("pop_follow_up_months_min",
                gettext_lazy("POP follow-up at the earliest after (months)"), Kind.MONTHS,
                minimum=1, maximum=12),
        Setting("pop_follow_up_months_max",
                gettext_lazy("POP follow-up at the latest after (months)"), Kind.MONTHS,
                minimum=1, maximum=12),
        Setting("pop_max_competencies", gettext_lazy("Most competencies in a POP"), Kind.COUNT,
                minimum=1, maximum=10),
        Setting("pop_priority_one_warning_above",
                gettext_lazy("Warn when more competencies than this have priority 1"),
                Kind.COUNT, minimum=1, maximum=10),
        Setting("reminder_days_before",
                gettext_lazy("Reminders this many days before a due date"), Kind.DAY_LIST,
                minimum=1, maximum=90),
        Setting("escalate_to_second_evaluator_after_days",
                gettext_lazy("Overdue: tell the 2nd evaluator after (days)"), Kind.DAYS,
                minimum=1, maximum=90),
        Setting("escalate_to_hr_after_days", gettext_lazy("Overdue: tell HR after (days)"),
                Kind.DAYS, minimum=1, maximum=180),
        Setting("individual_work_plan",
                gettext_lazy("Employees draft an individual work plan for 12 months"),
                Kind.YES_NO),
        # The guiding questions on a new conversation's agenda, one setting per kind.
        Setting("guiding_questions_planning",
                gettext_lazy("Guiding questions: planning conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_follow_up",
                gettext_lazy("Guiding questions: follow-up conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_progress",
                gettext_lazy("Guiding questions: progress conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_functioning",
                gettext_lazy("Guiding questions: functioning conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_evaluation",
                gettext_lazy("Guiding questions: evaluation conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_career",
                gettext_lazy("Guiding questions: career conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_talent",
                gettext_lazy("Guiding questions: talent conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_remediation",
                gettext_lazy("Guiding questions: remediation conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_pop_follow_up",
                gettext_lazy("Guiding questions: POP follow-up conversation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("guiding_questions_formal_assessment",
                gettext_lazy("Guiding questions: formal assessment"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        # The annual evaluation (evaluations room).
        Setting("self_evaluation_questions",
                gettext_lazy("Guiding questions for the self-evaluation"),
                Kind.TRANSLATED_LINES, maximum=MAX_QUESTIONS),
        Setting("evaluation_report_author", gettext_lazy("Who writes the evaluation report"),
                Kind.CHOICE,
                choices=((ReportAuthor.FIRST_EVALUATOR, gettext_lazy("the 1st evaluator")),
                         (ReportAuthor.EMPLOYEE, gettext_lazy("the employee")))),
        Setting("second_signature_required",
                gettext_lazy("The 2nd evaluator signs before the report is delivered"),
                Kind.YES_NO),
        Setting("verdict_required",
                gettext_lazy("The report needs a verdict before it is signed"), Kind.YES_NO),
        Setting("manager_functioning_on_agenda",
                gettext_lazy("The employee may put their manager's functioning on the "
                             "agenda"), Kind.YES_NO),
        Setting("combined_planning_evaluation",
                gettext_lazy("The evaluation conversation may be combined with the planning "
                             "of the next period"), Kind.YES_NO),
        Setting("designated_conversation_holder",
                gettext_lazy("The manager may designate someone to hold a conversation"),
                Kind.YES_NO),
        Setting("formal_assessment",
                gettext_lazy("A formal assessment with objection can be held"), Kind.YES_NO),
        Setting("disagreement_mediation",
                gettext_lazy("In a disagreement the employee may ask for mediation"),
                Kind.YES_NO),
        Setting("retention_years",
                gettext_lazy("Personal data is kept after someone leaves, and after a "
                             "record ends (years)"),
                Kind.YEARS, optional=True, minimum=1, maximum=100),
        # Appeals and objections (consequences room).
        Setting("appeal_days",
                gettext_lazy("Days to appeal a verdict to the appeal board after delivery"),
                Kind.DAYS, optional=True, minimum=1, maximum=90),
        Setting("appeal_working_days",
                gettext_lazy("The days to appeal are working days (weekends and public "
                             "holidays not counted)"), Kind.YES_NO),
        Setting("appeal_contract_staff",
                gettext_lazy("Contract staff may appeal too, not only statutory staff"),
                Kind.YES_NO),
        Setting("appeal_commission_advises",
                gettext_lazy("An evaluation commission advises before the appeal is "
                             "decided"), Kind.YES_NO),
        Setting("unfitness_within_years",
                gettext_lazy("Two “onvoldoende” within this many years are flagged to HR "
                             "as possible professional unfitness"),
                Kind.YEARS, optional=True, minimum=1, maximum=10),
        Setting("unfitness_minimum_worked_days",
                gettext_lazy("… when at least this many days were actually worked in that "
                             "time"), Kind.DAYS, minimum=1, maximum=366),
        Setting("objection_days",
                gettext_lazy("Days to object to a step-0 salary decision"),
                Kind.DAYS, minimum=1, maximum=90),
        Setting("objection_committee",
                gettext_lazy("An advisory objection committee hears objections to an "
                             "assessment (the decision then takes twelve weeks, not six)"),
                Kind.YES_NO),
    )
}


# The edit page and the API list the settings in these groups, in this order.
GROUPS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (gettext_lazy("Period and evaluation window"),
     ("period_starts", "maximum_period_months", "evaluation_window_opens",
      "evaluation_window_closes", "late_evaluation_months")),
    (gettext_lazy("Signatures"),
     ("first_signature_by", "second_signature_by", "handover_without_self_evaluation_from",
      "employee_signature_days", "receipt_day_counts", "written_procedure_remark_days")),
    (gettext_lazy("Who is evaluated"),
     ("minimum_hours", "minimum_months", "exempt_when_absent_months",
      "probation_assessment_months_before_end", "probation_workdays_per_month",
      "probation_negative_contract_months", "evaluation_before_leaving")),
    (gettext_lazy("Federal stage"),
     ("stage_months", "stage_planning_months", "stage_development_objectives",
      "stage_functioning_conversations", "stage_absence_free_workdays",
      "stage_extension_max_months", "stage_dismissal_notice_months")),
    (gettext_lazy("After an insufficient evaluation"),
     ("advanced_evaluation_months", "advanced_evaluation_counting",
      "improvement_plan_follow_up_months", "improvement_plan_source")),
    (gettext_lazy("Conversations"),
     ("halfway_progress_conversation", "newcomer_planning_days", "newcomer_progress_days",
      "functioning_conversation_after_absence_days",
      "functioning_conversation_after_regime_change",
      "minimum_worked_days_between_conversations")),
    (gettext_lazy("Who reads reports"), ("director_reads_reports", "hr_content_access")),
    (gettext_lazy("Personal development plan (POP)"),
     ("pop_follow_up_months_min", "pop_follow_up_months_max", "pop_max_competencies",
      "pop_priority_one_warning_above")),
    (gettext_lazy("Reminders and escalation"),
     ("reminder_days_before", "escalate_to_second_evaluator_after_days",
      "escalate_to_hr_after_days")),
    (gettext_lazy("Work plan and guiding questions"),
     ("individual_work_plan", "guiding_questions_planning", "guiding_questions_follow_up",
      "guiding_questions_progress", "guiding_questions_functioning",
      "guiding_questions_evaluation", "guiding_questions_career", "guiding_questions_talent",
      "guiding_questions_remediation", "guiding_questions_pop_follow_up",
      "guiding_questions_formal_assessment", "manager_functioning_on_agenda",
      "combined_planning_evaluation", "designated_conversation_holder")),
    (gettext_lazy("The evaluation report"),
     ("self_evaluation_questions", "evaluation_report_author", "second_signature_required",
      "verdict_required", "formal_assessment", "disagreement_mediation")),
    (gettext_lazy("Personal data"), ("retention_years",)),
    (gettext_lazy("Appeals and objections"),
     ("appeal_days", "appeal_working_days", "appeal_contract_staff",
      "appeal_commission_advises", "unfitness_within_years",
      "unfitness_minimum_worked_days", "objection_days", "objection_committee")),
)



def unused_settings(policy: Policy) -> set[str]:
    """Settings this policy does not consult (shown, but marked as such)."""
    return {"minimum_months"} if policy.eligibility == Eligibility.HOURS else {"minimum_hours"}


def encode(value: Any) -> Any:
    """A setting's value as JSON."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, YearDay):
        return value.to_json()
    if isinstance(value, Translated):
        return value.as_dict()
    if isinstance(value, Decimal):
        # Normalised, so "479.0" and "4.79E+2" are stored (and compared) as "479".
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    raise TypeError(value)


def decode(setting: Setting, raw: Any) -> Any:
    if raw is None:
        return None
    decoders: dict[Kind, Callable[[Any], Any]] = {
        Kind.YEAR_DAY: YearDay.from_json,
        Kind.HOURS: Decimal,
        Kind.DAY_LIST: lambda value: tuple(int(v) for v in value),
        # Back to the preset's enum (the codes are StrEnum members), not a bare string.
        Kind.CHOICE: lambda value: type(setting.choices[0][0])(value),
        Kind.YES_NO: bool,
        # A list of source texts (as every policy stored them before questions had
        # languages) or of {language code: text}, or both.
        Kind.TRANSLATED_LINES: lambda value: tuple(from_json(v) for v in value),
    }
    return decoders.get(setting.kind, int)(raw)


_YES = {"1", "true", "yes", "y", "ja", "j", "on", "aan"}
_NO = {"0", "false", "no", "n", "nee", "off", "uit"}
# Month names in every language Koers speaks: HR types "15 maart".
_MONTH_NAMES = languages.month_numbers()
_YEAR_DAY = re.compile(
    r"(?:(?P<day>\d{1,2})\s*[-/.]\s*(?P<month>\d{1,2})"
    r"|(?P<named_day>\d{1,2})\s*(?P<month_name>[^\W\d_]+)\.?)"
    r"\s*(?P<offset>[+-]\s*\d+)?"
)
# A year day lies in the evaluation year, the one after it (signatures in March) or,
# for symmetry, the one before; more would be a typing error, not a policy.
YEAR_OFFSETS = (-1, 0, 1)


def parse(setting: Setting, text: str | Mapping[str, str]) -> Any:
    """A value typed by HR (Dutch or English conventions) → the setting's value.

    A setting of ``Kind.TRANSLATED_LINES`` also takes {language code: its lines}.
    Raises ``ValidationFailed`` with a message in the user's language.
    """
    if not isinstance(text, str):
        if setting.kind != Kind.TRANSLATED_LINES:
            raise _invalid(setting, _("Give this setting as one text."))
        return _parse_translated(setting, text)
    text = text.strip()
    if setting.kind == Kind.TRANSLATED_LINES:
        # As one text, guiding questions are the same in every language (shown through
        # gettext like the built-in ones): the form the API took before they had languages.
        return _parse_lines(setting, text)
    if not text:
        if setting.optional:
            return None
        raise _invalid(setting, _("This setting cannot be empty."))
    try:
        if setting.kind == Kind.YEAR_DAY:
            return _parse_year_day(setting, text)
        if setting.kind == Kind.YES_NO:
            if text.lower() in _YES:
                return True
            if text.lower() in _NO:
                return False
            raise _invalid(setting, _("Answer yes or no."))
        if setting.kind == Kind.CHOICE:
            for code, _label in setting.choices:
                if text == code:
                    return code
            raise _invalid(setting, _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(code for code, _label in setting.choices)})
        if setting.kind == Kind.HOURS:
            value: Any = Decimal(text.replace(",", "."))
            if not value.is_finite():  # NaN cannot be compared; Infinity is no number of hours
                raise ValueError(text)
            number = value
        elif setting.kind == Kind.DAY_LIST:
            value = tuple(sorted({int(part) for part in text.replace(";", ",").split(",")},
                                 reverse=True))
            number = min(value) if value else -1
            if value and max(value) > setting.maximum:
                number = max(value)
        else:
            value = number = int(text)
    except (ValueError, InvalidOperation):
        raise _invalid(setting, _("“%(value)s” is not a valid value.") % {"value": text}) \
            from None
    if not setting.minimum <= number <= setting.maximum:
        raise _invalid(setting, _("Choose a value from %(min)s to %(max)s.")
                       % {"min": setting.minimum, "max": setting.maximum})
    return value


def _parse_year_day(setting: Setting, text: str) -> YearDay:
    """``15-03``, ``15/03``, ``15.03`` or ``15 maart``; ``+1`` after it: the next year."""
    match = _YEAR_DAY.fullmatch(text.lower().replace("−", "-"))
    if match is None:
        raise ValueError(text)
    if match["month_name"]:
        month = _MONTH_NAMES.get(match["month_name"])
        if month is None:
            raise ValueError(text)
        day = int(match["named_day"])
    else:
        day, month = int(match["day"]), int(match["month"])
    offset = int(match["offset"].replace(" ", "")) if match["offset"] else 0
    if offset not in YEAR_OFFSETS:
        raise _invalid(setting, _("Write +1 after the day for the year after the evaluation "
                                  "year, or nothing for the evaluation year itself."))
    try:
        return YearDay(month, day, offset)
    except ValueError:
        raise _invalid(setting, _("“%(value)s” is not a day of the year (29 February is not "
                                  "in every year).") % {"value": text}) from None


def _parse_lines(setting: Setting, text: str) -> tuple[str, ...]:
    """One item a line; empty lines drop out, and no lines at all means none."""
    lines = tuple(line.strip() for line in text.splitlines() if line.strip())
    if len(lines) > setting.maximum:
        raise _invalid(setting, _("Give at most %(max)s lines.") % {"max": setting.maximum})
    if any(len(line) > MAX_QUESTION_LENGTH for line in lines):
        raise _invalid(setting, _("Keep each line under %(max)s characters.")
                       % {"max": MAX_QUESTION_LENGTH})
    return lines


def _parse_translated(setting: Setting,
                      texts: Mapping[str, str]) -> tuple[Translated, ...]:
    """{language code: one item a line} → the items, each with its text in every language
    filled in. Every language filled in has the same number of lines, in the same order;
    a language left empty has none (readers fall back, ``questions.question_text``)."""
    unknown = sorted(code for code in texts if code not in languages.CODES)
    if unknown:
        raise _invalid(setting, _("Unknown language: %(codes)s. Give one of: %(known)s.") % {
            "codes": ", ".join(unknown), "known": ", ".join(languages.CODES)})
    lines: dict[str, tuple[str, ...]] = {}
    for code in languages.CODES:
        try:
            given = _parse_lines(setting, str(texts.get(code) or "").strip())
        except ValidationFailed as error:
            raise _invalid(setting, _("%(language)s: %(message)s") % {
                "language": _language_name(code), "message": error.message}) from None
        if given:
            lines[code] = given
    if len({len(given) for given in lines.values()}) > 1:
        counts = ", ".join(f"{_language_name(code)} {len(given)}" for code, given in lines.items())
        raise _invalid(setting, _(
            "Give the same number of lines in every language you fill in, in the same order "
            "(now: %(counts)s); leave a language empty to show the organisation's language "
            "instead.") % {"counts": counts})
    count = max((len(given) for given in lines.values()), default=0)
    return tuple(Translated.of({code: given[i] for code, given in lines.items()})
                 for i in range(count))


def _language_name(code: str) -> str:
    return str(languages.DETAILS[languages.Language(code)].name)


def _invalid(setting: Setting, message: str) -> ValidationFailed:
    return ValidationFailed(message, {setting.name: [message]})


def hint(setting: Setting) -> str:
    """How to type a setting's value, for the form and the API description."""
    bounds = {"min": setting.minimum, "max": setting.maximum}
    hints = {
        Kind.YEAR_DAY: _("Day and month, e.g. 15-03 or 15 maart; add +1 for a day in the "
                         "year after the evaluation year."),
        Kind.DAYS: _("A whole number from %(min)s to %(max)s.") % bounds,
        Kind.MONTHS: _("A whole number from %(min)s to %(max)s.") % bounds,
        Kind.COUNT: _("A whole number from %(min)s to %(max)s.") % bounds,
        Kind.HOURS: _("Hours, e.g. 479 or 479,5 (from %(min)s to %(max)s).") % bounds,
        Kind.DAY_LIST: _("Whole numbers from %(min)s to %(max)s separated by commas, "
                         "e.g. 14, 3.") % bounds,
        Kind.TRANSLATED_LINES: _(
            "One question a line, at most %(max)s, in each language you fill in: the same "
            "number of lines in every language, in the same order. A language left empty "
            "shows the organisation's language; leave all empty for none.") % bounds,
        Kind.YEARS: _("A whole number of years from %(min)s to %(max)s.") % bounds,
    }
    text = hints.get(setting.kind, "")
    if setting.optional:
        switch_off = _("Leave empty to switch this off.")  # outside the f-string: makemessages
        text = f"{text} {switch_off}".strip()
    return text


def describe(setting: Setting, value: Any) -> str:
    """A setting's value for people to read, in their language ("15 maart, next year")."""
    if value is None:
        return _("not used")
    if setting.kind == Kind.TRANSLATED_LINES:
        return "\n".join(question_text(question) for question in value) or _("none")
    if isinstance(value, YearDay):
        day = formats.date_format(dt.date(2001, value.month, value.day), "j F")
        if value.year_offset > 0:
            return _("%(day)s of the next year") % {"day": day}
        if value.year_offset < 0:
            return _("%(day)s of the previous year") % {"day": day}
        return day
    if setting.kind == Kind.YES_NO:
        return _("yes") if value else _("no")
    if setting.kind == Kind.CHOICE:
        return str(dict(setting.choices).get(value, value))
    if setting.kind == Kind.DAYS:
        return ngettext("%(count)s day", "%(count)s days", value) % {"count": value}
    if setting.kind == Kind.MONTHS:
        return ngettext("%(count)s month", "%(count)s months", value) % {"count": value}
    if setting.kind == Kind.YEARS:
        return ngettext("%(count)s year", "%(count)s years", value) % {"count": value}
    if setting.kind == Kind.HOURS:
        return _("%(hours)s hours") % {"hours": formats.number_format(value)}
    if setting.kind == Kind.DAY_LIST:
        return _("%(days)s days before") % {"days": ", ".join(str(v) for v in value)}
    return str(value)


def check(policy: Policy) -> dict[str, list[str]]:
    """Errors of a whole policy, by setting: deadlines inside their window, and so on."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    sample_year = 2025  # not a leap year: every YearDay exists in it
    if policy.period_starts.year_offset != 0:
        refuse("period_starts", _("The period starts in its own year: leave out +1."))
    opens, closes = policy.evaluation_window_opens, policy.evaluation_window_closes
    if (opens is None) != (closes is None):
        refuse("evaluation_window_closes" if closes is None else "evaluation_window_opens",
               _("The evaluation window needs both an opening and a closing day."))
    window = None
    if opens and closes:
        window = (opens.in_year(sample_year), closes.in_year(sample_year))
        if window[0] >= window[1]:
            refuse("evaluation_window_closes",
                   _("The evaluation window must close after it opens (add +1 for a day in "
                     "the next year)."))
            window = None
        elif window[1] >= opens.in_year(sample_year + 1):
            refuse("evaluation_window_closes", _("The evaluation window is longer than a year."))
    for name in ("first_signature_by", "second_signature_by",
                 "handover_without_self_evaluation_from"):
        day: YearDay | None = getattr(policy, name)
        if day is not None and window is not None:
            moment = day.in_year(sample_year)
            if not window[0] <= moment <= window[1]:
                refuse(name, _("This day lies outside the evaluation window (%(opens)s – "
                               "%(closes)s).") % {"opens": _show(opens), "closes": _show(closes)})
    first, second = policy.first_signature_by, policy.second_signature_by
    if first and second and first.in_year(sample_year) > second.in_year(sample_year):
        refuse("second_signature_by",
               _("The 2nd evaluator cannot have to sign before the 1st evaluator."))
    if policy.pop_follow_up_months_min > policy.pop_follow_up_months_max:
        refuse("pop_follow_up_months_max",
               _("The latest follow-up cannot come before the earliest."))
    if policy.pop_priority_one_warning_above > policy.pop_max_competencies:
        refuse("pop_priority_one_warning_above",
               _("The warning cannot lie above the most competencies in a POP."))
    if policy.escalate_to_hr_after_days <= policy.escalate_to_second_evaluator_after_days:
        refuse("escalate_to_hr_after_days",
               _("HR is told after the 2nd evaluator, so choose more days."))
    return errors


def _show(day: YearDay | None) -> str:
    return "" if day is None else display(SETTINGS["evaluation_window_opens"], day)



def display(setting: Setting, value: Any) -> str:
    """A setting's value as HR types it back into the form (``parse`` reads it back)."""
    if value is None:
        return ""
    if isinstance(value, YearDay):
        return f"{value.day:02d}-{value.month:02d}" + (
            f" {value.year_offset:+d}" if value.year_offset else ""
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    if setting.kind == Kind.TRANSLATED_LINES:
        # Source texts as stored (``parse`` reads them back the same); HR's own in the
        # reader's language: every language of them travels as ``by_language``.
        return "\n".join(question if isinstance(question, str) else question_text(question)
                         for question in value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return str(encode(value))
    return str(value)

