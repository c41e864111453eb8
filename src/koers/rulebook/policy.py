"""An organisation's policy: its preset with the settings HR changed, validated.

``policy_for`` is what every rule asks; ``policy_setting_change`` is the one way to
change a setting (validated against the whole policy, recorded with who and when).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.core.models import User
from koers.organisation.models import Organisation
from koers.rulebook.calendar import YearDay
from koers.rulebook.models import PolicyChange, PolicyOverride
from koers.rulebook.presets import PRESETS, AdvancedCounting, HrContentAccess, Policy


class Kind(StrEnum):
    YEAR_DAY = "year_day"
    DAYS = "days"
    MONTHS = "months"
    COUNT = "count"
    HOURS = "hours"
    YES_NO = "yes_no"
    CHOICE = "choice"
    DAY_LIST = "day_list"


@dataclass(frozen=True)
class Setting:
    name: str
    label: Promise
    kind: Kind
    optional: bool = False  # may be switched off (None)
    minimum: int = 0
    maximum: int = 366
    choices: tuple[tuple[str, Promise], ...] = ()


L = gettext_lazy
SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("period_starts", L("Organisation-wide period starts on"), Kind.YEAR_DAY),
        Setting("evaluation_window_opens", L("Evaluation window opens"), Kind.YEAR_DAY,
                optional=True),
        Setting("evaluation_window_closes", L("Evaluation window closes"), Kind.YEAR_DAY,
                optional=True),
        Setting("first_signature_by", L("1st evaluator signs by"), Kind.YEAR_DAY, optional=True),
        Setting("second_signature_by", L("2nd evaluator signs and delivers by"), Kind.YEAR_DAY,
                optional=True),
        Setting("handover_without_self_evaluation_from",
                L("From this day the 2nd evaluator's task starts without a self-evaluation"),
                Kind.YEAR_DAY, optional=True),
        Setting("employee_signature_days", L("Days for the employee to sign after receipt"),
                Kind.DAYS, minimum=1, maximum=60),
        Setting("receipt_day_counts", L("The day of receipt counts as the first day"),
                Kind.YES_NO),
        Setting("written_procedure_remark_days",
                L("Days for remarks on a draft report (written procedure)"), Kind.DAYS,
                minimum=1, maximum=60),
        Setting("minimum_hours", L("Hours effectively worked for a mandatory evaluation"),
                Kind.HOURS, minimum=0, maximum=2000),
        Setting("minimum_months", L("Months employed for a mandatory evaluation"), Kind.MONTHS,
                minimum=0, maximum=12),
        Setting("exempt_when_absent_months",
                L("Not evaluated after more months than this without working"), Kind.MONTHS,
                optional=True, minimum=1, maximum=12),
        Setting("maximum_period_months", L("Longest period by agreement (months)"),
                Kind.MONTHS, minimum=12, maximum=24),
        Setting("advanced_evaluation_months",
                L("Advanced evaluation after 'onvoldoende' from the Nth month"), Kind.MONTHS,
                minimum=1, maximum=24),
        Setting("advanced_evaluation_counting", L("How those months are counted"), Kind.CHOICE,
                choices=((AdvancedCounting.CALENDAR_MONTHS, L("calendar months after the month "
                                                              "of acknowledgement")),
                         (AdvancedCounting.DATE_TO_DATE, L("from date to date")))),
        Setting("probation_assessment_months_before_end",
                L("Probation assessment, months before the probation ends"), Kind.MONTHS,
                optional=True, minimum=1, maximum=12),
        Setting("halfway_progress_conversation", L("A progress conversation halfway is required"),
                Kind.YES_NO),
        Setting("late_evaluation_months",
                L("The evaluation lapses this many months after the period"), Kind.MONTHS,
                optional=True, minimum=1, maximum=12),
        Setting("director_reads_reports", L("The director reads the reports"), Kind.YES_NO),
        Setting("hr_content_access", L("HR reads goals and evaluations"), Kind.CHOICE,
                choices=((HrContentAccess.ON_GRANTED_REQUEST, L("only on a granted request")),
                         (HrContentAccess.STANDING, L("always")))),
        Setting("improvement_plan_follow_up_months",
                L("Improvement plan followed up every N months"), Kind.MONTHS, minimum=1,
                maximum=6),
        Setting("pop_follow_up_months_min", L("POP follow-up at the earliest after (months)"),
                Kind.MONTHS, minimum=1, maximum=12),
        Setting("pop_follow_up_months_max", L("POP follow-up at the latest after (months)"),
                Kind.MONTHS, minimum=1, maximum=12),
        Setting("pop_max_competencies", L("Most competencies in a POP"), Kind.COUNT,
                minimum=1, maximum=10),
        Setting("pop_priority_one_warning_above",
                L("Warn when more competencies than this have priority 1"), Kind.COUNT,
                minimum=1, maximum=10),
        Setting("reminder_days_before", L("Reminders this many days before a due date"),
                Kind.DAY_LIST, minimum=1, maximum=90),
        Setting("escalate_to_second_evaluator_after_days",
                L("Overdue: tell the 2nd evaluator after (days)"), Kind.DAYS, minimum=1,
                maximum=90),
        Setting("escalate_to_hr_after_days", L("Overdue: tell HR after (days)"), Kind.DAYS,
                minimum=1, maximum=180),
    )
}


def preset_of(organisation: Organisation) -> Policy:
    return PRESETS[organisation.policy_preset]


def policy_for(organisation: Organisation) -> Policy:
    """The policy in force: the preset with the organisation's settings applied."""
    overrides = {
        o.field: o.value
        for o in PolicyOverride.objects.filter(organisation=organisation)
        if o.field in SETTINGS
    }
    return _apply(preset_of(organisation), overrides)


def _apply(preset: Policy, overrides: dict[str, Any]) -> Policy:
    values = {name: decode(SETTINGS[name], raw) for name, raw in overrides.items()}
    if not values:
        return preset
    return dataclasses.replace(preset, version=f"{preset.version}+local", **values)


def encode(value: Any) -> Any:
    """A setting's value as JSON."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, YearDay):
        return value.to_json()
    if isinstance(value, Decimal):
        return str(value)
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
        Kind.CHOICE: str,
        Kind.YES_NO: bool,
    }
    return decoders.get(setting.kind, int)(raw)


def parse(setting: Setting, text: str) -> Any:
    """A value typed by HR (Dutch or English conventions) → the setting's value.

    Raises ``ValidationFailed`` with a message in the user's language.
    """
    text = text.strip()
    if not text:
        if setting.optional:
            return None
        raise _invalid(setting, _("This setting cannot be empty."))
    try:
        if setting.kind == Kind.YEAR_DAY:
            return _parse_year_day(text)
        if setting.kind == Kind.YES_NO:
            if text.lower() in {"1", "true", "yes", "ja", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "nee", "off"}:
                return False
            raise ValueError(text)
        if setting.kind == Kind.CHOICE:
            if text not in {code for code, _label in setting.choices}:
                raise ValueError(text)
            return text
        if setting.kind == Kind.HOURS:
            value: Any = Decimal(text.replace(",", "."))
            number = value
        elif setting.kind == Kind.DAY_LIST:
            value = tuple(sorted({int(part) for part in text.replace(";", ",").split(",")},
                                 reverse=True))
            number = min(value) if value else -1
            if value and max(value) > setting.maximum:
                number = max(value)
        else:
            value = number = int(text)
    except (ValueError, InvalidOperation, KeyError):
        raise _invalid(setting, _("“%(value)s” is not a valid value.") % {"value": text}) \
            from None
    if not setting.minimum <= number <= setting.maximum:
        raise _invalid(setting, _("Choose a value from %(min)s to %(max)s.")
                       % {"min": setting.minimum, "max": setting.maximum})
    return value


def _parse_year_day(text: str) -> YearDay:
    """``15-03`` or ``15/03`` (day-month); ``+1`` after a space: in the next year."""
    date_part, _space, offset = text.partition(" ")
    day, month = (int(part) for part in date_part.replace("/", "-").split("-")[:2])
    return YearDay(month, day, int(offset or 0))


def _invalid(setting: Setting, message: str) -> ValidationFailed:
    return ValidationFailed(message, {setting.name: [message]})


def check(policy: Policy) -> dict[str, list[str]]:
    """Errors of a whole policy, by setting: deadlines inside their window, and so on."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    sample_year = 2025  # not a leap year: every YearDay exists in it
    opens, closes = policy.evaluation_window_opens, policy.evaluation_window_closes
    if (opens is None) != (closes is None):
        refuse("evaluation_window_closes",
               _("The evaluation window needs both an opening and a closing day."))
    window = None
    if opens and closes:
        window = (opens.in_year(sample_year), closes.in_year(sample_year))
        if window[0] >= window[1]:
            refuse("evaluation_window_closes",
                   _("The evaluation window must close after it opens."))
            window = None
        elif (window[1] - window[0]).days > 366:
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
    return "" if day is None else f"{day.day:02d}-{day.month:02d}"


def policy_setting_change(
    *, organisation: Organisation, name: str, value: Any, actor: User
) -> Policy:
    """Set one setting (``value`` as returned by ``parse``), or reset it to the preset.

    The whole resulting policy is checked first; a refused change changes nothing.
    Every change is recorded in ``PolicyChange`` with who and when.
    """
    setting = SETTINGS.get(name)
    if setting is None:
        raise ValidationFailed(_("Unknown setting."))
    preset = preset_of(organisation)
    with transaction.atomic():
        current = {
            o.field: o.value
            for o in PolicyOverride.objects.select_for_update().filter(organisation=organisation)
        }
        old_value = current.get(name, encode(getattr(preset, name)))
        new_value = encode(value)
        if new_value == encode(getattr(preset, name)):
            current.pop(name, None)
        else:
            current[name] = new_value
        candidate = _apply(preset, current)
        errors = check(candidate)
        if errors:
            raise ValidationFailed(_("This setting was not changed."), errors)
        if old_value == new_value:
            return candidate
        if name in current:
            PolicyOverride.objects.update_or_create(
                organisation=organisation, field=name, defaults={"value": new_value}
            )
        else:
            PolicyOverride.objects.filter(organisation=organisation, field=name).delete()
        PolicyChange.objects.create(
            organisation=organisation, field=name, old_value=old_value, new_value=new_value,
            changed_by=actor, changed_at=clock.now(),
        )
    return candidate


def display(setting: Setting, value: Any) -> str:
    """A setting's value as HR types it back into the form."""
    if value is None:
        return ""
    if isinstance(value, YearDay):
        return f"{value.day:02d}-{value.month:02d}" + (
            f" {value.year_offset:+d}" if value.year_offset else ""
        )
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def today_for(organisation: Organisation) -> dt.date:
    """Today in the organisation's own time zone (Brussels or Amsterdam)."""
    return clock.today_in(organisation.time_zone)
