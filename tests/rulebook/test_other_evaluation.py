"""Top managers and mandate holders are not in the annual evaluation (Flanders only).

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)"
(overheid.vlaanderen.be): "Voor topkaderfuncties bestaan andere evaluatievormen" and
"Voor het middenkader is er naast PLOEG ook nog een mandaatevaluatie om de 6 jaar" (a
middle manager stays in the annual evaluation). Our reading (``rulebook.eligibility``):
the function exempts a period that ends on or after the day HR recorded it from.
"""

import datetime as dt
from decimal import Decimal

import pytest

from koers.rulebook.deadlines import period_for
from koers.rulebook.eligibility import (
    Exemption,
    evaluation_requirement,
    other_evaluation_exemption,
)
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH

D = dt.date
YEAR = period_for(FLEMISH, year=2026)  # 1 January – 31 December 2026


@pytest.mark.parametrize(("function", "valid_from", "expected"), [
    ("top_manager", D(2020, 1, 1), Exemption.TOP_MANAGER),
    ("mandate_holder", D(2026, 3, 1), Exemption.MANDATE_HOLDER),
    # Holding the function on the period's last day suffices.
    ("top_manager", D(2026, 12, 31), Exemption.TOP_MANAGER),
    # From the next period only: this one stays in the annual evaluation.
    ("top_manager", D(2027, 1, 1), None),
    # Nothing recorded.
    ("", None, None),
])
def test_the_flemish_policy_exempts_top_managers_and_mandate_holders(
        function, valid_from, expected):
    assert other_evaluation_exemption(FLEMISH, function=function, valid_from=valid_from,
                                      period_end=YEAR.end) == expected


@pytest.mark.parametrize("policy", [FEDERAL, DUTCH_MUNICIPAL])
def test_the_other_policies_evaluate_everyone_in_the_cycle(policy):
    assert not policy.other_evaluation_forms
    assert other_evaluation_exemption(policy, function="top_manager",
                                      valid_from=D(2020, 1, 1), period_end=YEAR.end) is None


def test_the_function_is_the_reason_even_with_enough_hours_worked():
    result = evaluation_requirement(
        FLEMISH, period_start=YEAR.start, period_end=YEAR.end, employed_from=D(2010, 1, 1),
        employed_until=None, hours_worked=Decimal(1600), absent_days=0,
        other_evaluation="mandate_holder", other_evaluation_from=D(2026, 6, 1))
    assert (result.required, result.exemption) == (False, Exemption.MANDATE_HOLDER)


def test_someone_not_employed_in_the_period_stays_not_employed():
    result = evaluation_requirement(
        FLEMISH, period_start=YEAR.start, period_end=YEAR.end, employed_from=D(2027, 2, 1),
        employed_until=None, hours_worked=Decimal(0), absent_days=0,
        other_evaluation="top_manager", other_evaluation_from=D(2027, 2, 1))
    assert result.exemption == Exemption.NOT_EMPLOYED
