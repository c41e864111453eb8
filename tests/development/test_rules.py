"""The POP rules of the POP guide, pinned: a change of any of them must fail here."""

import dataclasses
import datetime as dt

import pytest
from django.utils import translation

from koers.development import rules
from koers.development.rules import Priority, SignerRole, Source
from koers.rulebook.presets import PRESETS


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_carries_the_guides_numbers(preset):
    policy = PRESETS[preset]
    # The POP guide: at most 5 competencies, 2–3 at priority 1, follow-up every 3 to 6 months.
    assert (policy.pop_max_competencies, policy.pop_priority_one_warning_above,
            policy.pop_follow_up_months_min, policy.pop_follow_up_months_max) == (5, 3, 3, 6)


def test_the_source_codes_are_the_six_of_footnote_5():
    with translation.override("en"):
        assert [(code.value, code.label) for code in Source] == [
            (1, "development circles (the conversations)"),
            (2, "competency measurements / certified training"),
            (3, "the employee's own wishes"),
            (4, "career perspectives"),
            (5, "360° feedback"),
            (6, "the organisation's development or training plan"),
        ]


def test_the_priorities_are_the_three_of_footnote_6():
    with translation.override("en"):
        assert [(code.value, code.label) for code in Priority] == [
            (1, "urgent and important: to develop within the year"),
            (2, "important: to develop in the medium term"),
            (3, "to develop in the longer term"),
        ]


def test_a_fifth_competency_fits_and_a_sixth_is_refused():
    policy = PRESETS["federal"]
    assert rules.competency_limit_error(competencies_now=4, policy=policy) is None
    with translation.override("en"):
        message = rules.competency_limit_error(competencies_now=5, policy=policy)
    assert message is not None
    assert message.startswith("A development plan holds at most 5 competencies.")


def test_the_limit_follows_the_organisations_setting():
    policy = dataclasses.replace(PRESETS["federal"], pop_max_competencies=3)
    assert rules.competency_limit_error(competencies_now=2, policy=policy) is None
    assert rules.competency_limit_error(competencies_now=3, policy=policy) is not None


def test_three_at_priority_one_is_fine_and_four_is_a_warning():
    policy = PRESETS["flemish"]
    assert rules.priority_one_warning(priority_one=3, policy=policy) is None
    with translation.override("en"):
        message = rules.priority_one_warning(priority_one=4, policy=policy)
    assert message == ("4 competencies have priority 1; the guide advises 3 at most. "
                       "Mind the workload: can one of them wait?")


def test_the_next_follow_up_falls_three_to_six_months_after_the_conversation():
    window = rules.follow_up_window(conversation_on=dt.date(2026, 4, 22),
                                    policy=PRESETS["federal"])
    assert window == rules.FollowUpWindow(earliest=dt.date(2026, 7, 22),
                                          due=dt.date(2026, 10, 22))


def test_a_follow_up_window_from_the_31st_ends_on_the_last_day_of_the_month():
    window = rules.follow_up_window(conversation_on=dt.date(2026, 8, 31),
                                    policy=PRESETS["federal"])
    assert window == rules.FollowUpWindow(earliest=dt.date(2026, 11, 30),
                                          due=dt.date(2027, 2, 28))


def test_an_early_follow_up_is_said_not_refused():
    window = rules.FollowUpWindow(earliest=dt.date(2026, 7, 22), due=dt.date(2026, 10, 22))
    assert rules.early_follow_up_warning(held_on=dt.date(2026, 7, 22), window=window) is None
    assert rules.early_follow_up_warning(held_on=dt.date(2026, 7, 21), window=window)


def test_the_employee_and_the_first_evaluator_sign():
    assert {SignerRole.EMPLOYEE, SignerRole.FIRST_EVALUATOR} == rules.REQUIRED_SIGNERS
