"""Organisation settings on top of a preset: parsing, validation, the change log."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from koers.core import clock
from koers.core.errors import PreconditionFailed, ValidationFailed
from koers.core.models import User
from koers.organisation.models import PolicyPreset
from koers.rulebook.calendar import YearDay
from koers.rulebook.models import PolicyChange, PolicyOverride
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import (
    FEDERAL,
    FLEMISH,
    PRESETS,
    AdvancedCounting,
    HrContentAccess,
    Policy,
)
from koers.rulebook.questions import Translated
from koers.rulebook.registry import (
    GROUPS,
    SETTINGS,
    check,
    decode,
    describe,
    display,
    encode,
    parse,
)
from koers.rulebook.services import (
    parse_settings,
    policy_revision,
    policy_setting_change,
    policy_setting_reset,
    policy_settings_change,
)
from tests import factories

MOMENT = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def hr(db):
    return User.objects.create_user(email="hr@example.test", password="secret-pass")


@pytest.fixture
def flemish(db):
    return factories.organisation()


@pytest.fixture
def federal(db):
    return factories.organisation(preset=PolicyPreset.FEDERAL)


def change(organisation, actor, **texts):
    """What HR typed, through the same two steps as the web page and the API."""
    values = parse_settings(organisation=organisation, texts=texts)
    return policy_settings_change(organisation=organisation, values=values, actor=actor)


# Parsing what HR types ---------------------------------------------------------------------

@pytest.mark.parametrize(("name", "text", "expected"), [
    ("first_signature_by", "15-03 +1", YearDay(3, 15, 1)),
    ("first_signature_by", "15/03 +1", YearDay(3, 15, 1)),
    ("first_signature_by", "15.03+1", YearDay(3, 15, 1)),
    ("first_signature_by", "15 maart +1", YearDay(3, 15, 1)),  # Dutch month name
    ("first_signature_by", "15 March +1", YearDay(3, 15, 1)),  # English
    ("first_signature_by", "15 mrt. +1", YearDay(3, 15, 1)),
    ("first_signature_by", " 5-3 ", YearDay(3, 5)),
    ("first_signature_by", "1 december", YearDay(12, 1)),
    ("first_signature_by", "01-12 −1", YearDay(12, 1, -1)),  # a typographic minus
    ("first_signature_by", "", None),  # optional: switched off
    ("receipt_day_counts", "ja", True),
    ("receipt_day_counts", "Nee", False),
    ("receipt_day_counts", "yes", True),
    ("receipt_day_counts", "no", False),
    ("minimum_hours", "479,5", Decimal("479.5")),  # decimal comma
    ("minimum_hours", "479.5", Decimal("479.5")),
    ("minimum_hours", "400", Decimal(400)),
    ("employee_signature_days", "10", 10),
    ("reminder_days_before", "14, 3", (14, 3)),
    ("reminder_days_before", "3;14;14", (14, 3)),  # sorted, without doubles
    ("advanced_evaluation_counting", "date_to_date", AdvancedCounting.DATE_TO_DATE),
    ("hr_content_access", "standing", HrContentAccess.STANDING),
])
def test_parse(name, text, expected):
    value = parse(SETTINGS[name], text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(("name", "text", "message"), [
    ("first_signature_by", "31-02", "“31-02” is not a day of the year"),
    ("first_signature_by", "29-02", "“29-02” is not a day of the year"),
    ("first_signature_by", "15-13", "“15-13” is not a day of the year"),
    ("first_signature_by", "15-03 +2", "Write +1 after the day"),
    ("first_signature_by", "15-03-2026", "Write +1 after the day"),
    ("first_signature_by", "15 marsch", "“15 marsch” is not a valid value."),
    ("period_starts", "", "This setting cannot be empty."),
    ("minimum_hours", "NaN", "“NaN” is not a valid value."),
    ("minimum_hours", "Infinity", "“Infinity” is not a valid value."),
    ("minimum_hours", "2000,5", "Choose a value from 0 to 2000."),
    ("minimum_hours", "veel", "“veel” is not a valid value."),
    ("employee_signature_days", "0", "Choose a value from 1 to 60."),
    ("employee_signature_days", "15.5", "“15.5” is not a valid value."),
    ("reminder_days_before", "14,,3", "“14,,3” is not a valid value."),
    ("reminder_days_before", "120, 3", "Choose a value from 1 to 90."),
    ("receipt_day_counts", "misschien", "Answer yes or no."),
    ("advanced_evaluation_counting", "weekly",
     "Choose one of: calendar_months, date_to_date."),
])
def test_parse_refuses_with_a_message_for_the_setting(name, text, message):
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        parse(SETTINGS[name], text)
    assert refused.value.errors[name][0].startswith(message)


def test_parse_messages_are_in_the_users_language():
    with translation.override("nl"), pytest.raises(ValidationFailed) as refused:
        parse(SETTINGS["employee_signature_days"], "0")
    assert refused.value.message == "Kies een waarde van 1 tot 60."


@pytest.mark.parametrize("preset", PRESETS.values(), ids=str)
def test_every_preset_value_reads_back_from_its_display_and_its_json(preset: Policy):
    for name, setting in SETTINGS.items():
        value = getattr(preset, name)
        assert parse(setting, display(setting, value)) == value, name
        assert decode(setting, encode(value)) == value, name


@given(month=st.integers(1, 12), day=st.integers(1, 28), offset=st.integers(-1, 1))
def test_any_year_day_reads_back_from_its_display(month, day, offset):
    setting = SETTINGS["first_signature_by"]
    assert parse(setting, display(setting, YearDay(month, day, offset))) \
        == YearDay(month, day, offset)


@given(hours=st.decimals(0, 2000, allow_nan=False, places=3))
def test_any_number_of_hours_reads_back_and_equal_numbers_encode_alike(hours):
    setting = SETTINGS["minimum_hours"]
    assert parse(setting, display(setting, hours)) == hours
    assert encode(hours) == encode(hours.quantize(Decimal("0.000001")))


@pytest.mark.parametrize(("name", "value", "english", "dutch"), [
    ("first_signature_by", YearDay(3, 15, 1), "15 March of the next year",
     "15 maart van het volgende jaar"),
    ("evaluation_window_opens", YearDay(12, 1), "1 December", "1 december"),
    ("evaluation_window_opens", None, "not used", "niet gebruikt"),
    ("employee_signature_days", 15, "15 days", "15 dagen"),
    ("employee_signature_days", 1, "1 day", "1 dag"),
    ("advanced_evaluation_months", 6, "6 months", "6 maanden"),
    ("minimum_hours", Decimal("479.5"), "479.5 hours", "479,5 uur"),
    ("receipt_day_counts", False, "no", "nee"),
    ("reminder_days_before", (14, 3), "14, 3 days before", "14, 3 dagen vooraf"),
])
def test_describe_for_people(name, value, english, dutch):
    with translation.override("en"):
        assert describe(SETTINGS[name], value) == english
    with translation.override("nl"):
        assert describe(SETTINGS[name], value) == dutch


def test_every_setting_is_a_policy_field_in_exactly_one_group():
    grouped = [name for _label, names in GROUPS for name in names]
    assert sorted(grouped) == sorted(SETTINGS)
    assert set(SETTINGS) <= set(Policy.__dataclass_fields__)


# Checks across settings ----------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"first_signature_by": YearDay(11, 15)}, "first_signature_by",
     "This day lies outside the evaluation window (01-12 – 31-03 +1)."),
    ({"first_signature_by": YearDay(3, 15)}, "first_signature_by",  # +1 forgotten
     "This day lies outside the evaluation window (01-12 – 31-03 +1)."),
    ({"handover_without_self_evaluation_from": YearDay(11, 30)},
     "handover_without_self_evaluation_from", "This day lies outside the evaluation window"),
    ({"first_signature_by": YearDay(3, 31, 1), "second_signature_by": YearDay(3, 20, 1)},
     "second_signature_by", "The 2nd evaluator cannot have to sign before the 1st"),
    ({"evaluation_window_closes": YearDay(3, 31)}, "evaluation_window_closes",
     "The evaluation window must close after it opens"),
    ({"evaluation_window_closes": YearDay(12, 1, 1)}, "evaluation_window_closes",
     "The evaluation window is longer than a year."),
    ({"evaluation_window_closes": None}, "evaluation_window_closes",
     "The evaluation window needs both an opening and a closing day."),
    ({"period_starts": YearDay(1, 1, 1)}, "period_starts", "The period starts in its own year"),
    ({"pop_follow_up_months_min": 7}, "pop_follow_up_months_max",
     "The latest follow-up cannot come before the earliest."),
    ({"pop_priority_one_warning_above": 6}, "pop_priority_one_warning_above",
     "The warning cannot lie above the most competencies in a POP."),
    ({"escalate_to_hr_after_days": 7}, "escalate_to_hr_after_days",
     "HR is told after the 2nd evaluator"),
])
def test_check_refuses_inconsistent_policies(changes, field, message):
    import dataclasses

    with translation.override("en"):
        errors = check(dataclasses.replace(FLEMISH, **changes))
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)


# Changing settings ---------------------------------------------------------------------------

def test_without_settings_the_policy_is_the_preset(flemish):
    assert policy_for(flemish) is FLEMISH


def test_policy_for_merges_the_organisations_settings(flemish, hr):
    change(flemish, hr, first_signature_by="10-03 +1", employee_signature_days="20")

    policy = policy_for(flemish)

    assert (policy.first_signature_by, policy.employee_signature_days, policy.version) \
        == (YearDay(3, 10, 1), 20, "flemish-2024.1+local")
    assert policy.second_signature_by == FLEMISH.second_signature_by
    assert policy.verdicts == FLEMISH.verdicts
    assert set(PolicyOverride.objects.values_list("field", flat=True)) \
        == {"first_signature_by", "employee_signature_days"}


def test_every_change_is_recorded_with_who_and_when(flemish, hr):
    with clock.frozen(MOMENT):
        change(flemish, hr, employee_signature_days="20")
        change(flemish, hr, employee_signature_days="25")

    assert list(PolicyChange.objects.values_list(
        "field", "old_value", "new_value", "changed_by", "changed_at")) == [
        ("employee_signature_days", 20, 25, hr.pk, MOMENT),
        ("employee_signature_days", 15, 20, hr.pk, MOMENT),
    ]


def test_a_revision_read_before_another_save_is_refused_under_the_lock(flemish, hr):
    """Optimistic locking (RFC 9110, 13.1.1 "If-Match"): the revision the caller read is
    compared once the organisation's row is locked, so of two callers who read the same
    revision, the second finds the first one's change and changes nothing."""
    read = policy_revision(flemish)
    change(flemish, hr, minimum_hours="400")  # the other caller, who read it too
    after = list(PolicyChange.objects.values_list("pk", "field", "new_value"))

    for setting_change in (
        lambda: policy_setting_change(organisation=flemish, name="minimum_hours",
                                      value=Decimal(300), actor=hr, if_revision_in={read}),
        lambda: policy_settings_change(organisation=flemish, actor=hr,
                                       values={"employee_signature_days": 20},
                                       if_revision_in={read}),
    ):
        with pytest.raises(PreconditionFailed) as refused:
            setting_change()
        assert refused.value.revision == policy_revision(flemish) != read

    assert list(PolicyChange.objects.values_list("pk", "field", "new_value")) == after
    assert policy_for(flemish).minimum_hours == Decimal(400)
    policy = policy_setting_change(organisation=flemish, name="minimum_hours",
                                   value=Decimal(300), actor=hr,
                                   if_revision_in={read, policy_revision(flemish)})
    assert policy.minimum_hours == Decimal(300)
    assert policy_setting_change(organisation=flemish, name="minimum_hours",
                                 value=Decimal(350), actor=hr,
                                 if_revision_in=None).minimum_hours == Decimal(350)


def test_a_deadline_outside_its_window_is_refused_and_nothing_changes(flemish, hr):
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        # 15 March without +1: of the evaluation year, months before the window opens.
        change(flemish, hr, first_signature_by="15-03", employee_signature_days="20")

    assert refused.value.message == "The policy was not changed."
    assert refused.value.errors == {"first_signature_by": [
        "This day lies outside the evaluation window (01-12 – 31-03 +1)."]}
    assert (PolicyOverride.objects.count(), PolicyChange.objects.count()) == (0, 0)
    assert policy_for(flemish) is FLEMISH


def test_a_bad_text_among_good_ones_changes_nothing(flemish, hr):
    with pytest.raises(ValidationFailed) as refused:
        change(flemish, hr, employee_signature_days="20", minimum_hours="veel")

    assert list(refused.value.errors) == ["minimum_hours"]
    assert PolicyOverride.objects.count() == 0


def test_reset_to_the_preset_removes_the_override_and_is_recorded(flemish, hr):
    change(flemish, hr, minimum_hours="400")

    policy = policy_setting_reset(organisation=flemish, name="minimum_hours", actor=hr)

    assert policy.minimum_hours == Decimal(479)
    assert not PolicyOverride.objects.exists()
    assert PolicyChange.objects.first().new_value == "479"


def test_null_text_resets_too(flemish, hr):
    change(flemish, hr, minimum_hours="400")
    change(flemish, hr, minimum_hours=None)
    assert policy_for(flemish) is FLEMISH


def test_typing_the_preset_value_is_no_override(flemish, hr):
    change(flemish, hr, minimum_hours="479,0")
    assert (PolicyOverride.objects.count(), PolicyChange.objects.count()) == (0, 0)


def test_an_unchanged_value_records_nothing(flemish, hr):
    change(flemish, hr, minimum_hours="400")
    change(flemish, hr, minimum_hours="400.00")
    assert PolicyChange.objects.count() == 1


def test_an_optional_setting_can_be_switched_off(federal, hr):
    change(federal, hr, late_evaluation_months="")

    assert policy_for(federal).late_evaluation_months is None
    assert PolicyChange.objects.get().new_value is None


def test_an_evaluation_window_is_added_with_both_days_at_once(federal, hr):
    with pytest.raises(ValidationFailed) as refused:
        change(federal, hr, evaluation_window_opens="01-09")
    assert list(refused.value.errors) == ["evaluation_window_closes"]

    change(federal, hr, evaluation_window_opens="01-09", evaluation_window_closes="30-11")

    policy = policy_for(federal)
    assert (policy.evaluation_window_opens, policy.evaluation_window_closes) \
        == (YearDay(9, 1), YearDay(11, 30))
    assert PolicyChange.objects.count() == 2


def test_a_choice_comes_back_as_its_enum(flemish, hr):
    change(flemish, hr, advanced_evaluation_counting="date_to_date")
    assert policy_for(flemish).advanced_evaluation_counting is AdvancedCounting.DATE_TO_DATE


def test_unknown_settings_are_refused(flemish, hr):
    with pytest.raises(ValidationFailed):
        change(flemish, hr, verdicts="")
    with pytest.raises(ValidationFailed):
        policy_setting_change(organisation=flemish, name="verdicts", value=(), actor=hr)
    with pytest.raises(ValidationFailed):
        policy_setting_reset(organisation=flemish, name="salary_steps", actor=hr)


def test_an_override_of_a_retired_setting_is_ignored(flemish):
    PolicyOverride.objects.create(organisation=flemish, field="retired_setting", value=3)
    assert policy_for(flemish) is FLEMISH


def test_settings_of_one_organisation_leave_another_alone(flemish, hr):
    other = factories.organisation()
    change(flemish, hr, employee_signature_days="20")
    assert policy_for(other) is FLEMISH


def test_the_single_setting_service_is_the_same_path(flemish, hr):
    policy = policy_setting_change(organisation=flemish, name="employee_signature_days",
                                   value=30, actor=hr)
    assert policy.employee_signature_days == policy_for(flemish).employee_signature_days == 30
    assert FEDERAL.employee_signature_days == 15  # the presets themselves never change


def test_guiding_questions_in_each_language_keep_their_order_and_count():
    setting = SETTINGS["guiding_questions_career"]
    assert parse(setting, {"nl": "Waar naartoe?\n\nWaarom?", "fr": "Où ?\nPourquoi ?",
                           "en": "", "de": "  "}) == (
        Translated((("nl", "Waar naartoe?"), ("fr", "Où ?"))),
        Translated((("nl", "Waarom?"), ("fr", "Pourquoi ?"))))
    assert parse(setting, {"nl": "", "fr": ""}) == ()
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as unequal:
            parse(setting, {"nl": "Waar naartoe?\nWaarom?", "fr": "Où ?"})
        assert "(now: Dutch 2, French 1)" in unequal.value.message
        with pytest.raises(ValidationFailed) as too_long:
            parse(setting, {"nl": "Waar naartoe?", "fr": "x" * 501})
        assert too_long.value.message == "French: Keep each line under 500 characters."
        with pytest.raises(ValidationFailed) as unknown:
            parse(setting, {"nl": "Waar naartoe?", "xx": "?"})
        assert unknown.value.errors == {"guiding_questions_career": [
            "Unknown language: xx. Give one of: nl, en, fr, de."]}
