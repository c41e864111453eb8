"""The rules of Prestatiemanagement and the Flemish regulations, each pinned by a test."""

import dataclasses
import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from koers.consequences import rules
from koers.consequences.states import AppealOutcome, AppealState
from koers.evaluations.states import EvaluationKind, EvaluationState
from koers.organisation.models import EmploymentStatus, PolicyPreset, SalarySystem
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH

DELIVERED = dt.date(2025, 12, 12)


def person(**fields: Any) -> Any:
    values = {"employment_status": EmploymentStatus.STATUTORY,
              "salary_system": SalarySystem.EVALUATION} | fields
    return SimpleNamespace(**values)


def evaluation(**fields: Any) -> Any:
    values = {"person": person(), "kind": EvaluationKind.ANNUAL,
              "state": EvaluationState.COMPLETED} | fields
    return SimpleNamespace(**values)


def appeal(verdict: str = "onvoldoende", state: str = AppealState.DECIDED,
           outcome: str = AppealOutcome.KEPT) -> Any:
    return SimpleNamespace(verdict=verdict, state=state, outcome=outcome)


def test_the_flemish_policy_decides_steps_0_1_and_2_and_the_others_none() -> None:
    assert FLEMISH.salary_steps == (0, 1, 2)
    assert rules.salary_steps_apply(FLEMISH)
    assert not rules.salary_steps_apply(FEDERAL)
    assert not rules.salary_steps_apply(DUTCH_MUNICIPAL)


def test_voldoende_allows_every_step_including_step_0() -> None:
    assert rules.allowed_steps(FLEMISH, "voldoende") == (0, 1, 2)
    assert rules.step_refusal(FLEMISH, "voldoende", 0) is None


@pytest.mark.parametrize("step", [1, 2])
def test_onvoldoende_always_gives_step_0(step: int) -> None:
    assert rules.allowed_steps(FLEMISH, "onvoldoende") == (0,)
    assert rules.step_refusal(FLEMISH, "onvoldoende", 0) is None
    assert rules.step_refusal(FLEMISH, "onvoldoende", step) == \
        "Een “onvoldoende” geeft altijd trap 0."


def test_a_step_the_policy_does_not_know_is_refused() -> None:
    assert rules.step_refusal(FLEMISH, "voldoende", 3) == \
        "Kies een van de salaristrappen van het beleid: 0, 1, 2."


def test_only_people_in_the_evaluation_based_salary_system_get_a_step() -> None:
    seniority = evaluation(person=person(salary_system=SalarySystem.SENIORITY))
    refused = rules.decision_refusal(policy=FLEMISH, evaluation=seniority, verdict="voldoende",
                                     appeal=None, delivered_on=DELIVERED,
                                     today=DELIVERED + dt.timedelta(days=30))
    allowed = rules.decision_refusal(policy=FLEMISH, evaluation=evaluation(),
                                     verdict="voldoende", appeal=None, delivered_on=DELIVERED,
                                     today=DELIVERED)

    assert refused == "Alleen wie in het salarissysteem op basis van evaluatie zit, krijgt " \
                      "een salaristrap."
    assert allowed is None


def test_the_decision_waits_while_the_verdict_may_still_be_appealed() -> None:
    last_day = rules.appeal_due(FLEMISH, DELIVERED)
    kwargs: dict[str, Any] = {"policy": FLEMISH, "evaluation": evaluation(),
                              "verdict": "onvoldoende", "delivered_on": DELIVERED}

    assert last_day == dt.date(2025, 12, 27)
    assert rules.decision_refusal(appeal=None, today=last_day, **kwargs) is not None
    assert rules.decision_refusal(appeal=None, today=last_day + dt.timedelta(days=1),
                                  **kwargs) is None
    pending = appeal(state=AppealState.FILED, outcome="")
    assert rules.decision_refusal(appeal=pending, today=dt.date(2026, 6, 1), **kwargs) == \
        "Er loopt een beroep tegen de einduitspraak: de beslissing wacht op de uitkomst."


def test_statutory_staff_appeal_onvoldoende_or_loopbaanvertraging_within_15_days() -> None:
    def refusal(**fields: Any) -> str | None:
        values: dict[str, Any] = {"policy": FLEMISH, "evaluation": evaluation(),
                                  "verdict": "onvoldoende", "delivered_on": DELIVERED,
                                  "today": DELIVERED + dt.timedelta(days=15), "existing": None}
        return rules.appeal_refusal(**(values | fields))

    assert FLEMISH.appeal_days == 15
    assert refusal() is None
    assert refusal(verdict="loopbaanvertraging") is None
    assert refusal(verdict="voldoende") is not None
    assert refusal(evaluation=evaluation(person=person(
        employment_status=EmploymentStatus.CONTRACTUAL))) == \
        "Alleen statutaire personeelsleden kunnen in beroep gaan bij de raad van beroep."
    assert refusal(today=DELIVERED + dt.timedelta(days=16)) == \
        "De termijn om in beroep te gaan liep af op 27 december 2025."
    assert refusal(evaluation=evaluation(state=EvaluationState.FIRST_SIGNED)) is not None
    assert refusal(existing=appeal(state=AppealState.FILED, outcome="")) is not None
    assert refusal(policy=DUTCH_MUNICIPAL) == \
        "Dit beleid kent geen beroep bij een raad van beroep."


def test_an_appeal_that_changed_the_verdict_makes_it_voldoende() -> None:
    assert rules.effective_verdict("onvoldoende", appeal(outcome=AppealOutcome.CHANGED)) == \
        "voldoende"
    assert rules.effective_verdict("onvoldoende", appeal(outcome=AppealOutcome.KEPT)) == \
        "onvoldoende"
    assert rules.effective_verdict("onvoldoende", appeal(state=AppealState.HEARD,
                                                         outcome="")) == "onvoldoende"


@pytest.mark.parametrize(("who", "appealed", "barred"), [
    (person(), appeal(), True),
    (person(), appeal(outcome=AppealOutcome.CHANGED), False),
    (person(), appeal(verdict="loopbaanvertraging"), False),
    (person(), None, False),
    (person(employment_status=EmploymentStatus.CONTRACTUAL), appeal(), False),
])
def test_an_onvoldoende_appealed_in_vain_bars_the_objection(who: Any, appealed: Any,
                                                            barred: bool) -> None:
    assert rules.barred_by_appeal(who, appealed) is barred


def test_objections_only_against_step_0_within_the_term() -> None:
    decided = dt.date(2026, 1, 5)

    def refusal(**fields: Any) -> str | None:
        values: dict[str, Any] = {"policy": FLEMISH, "person": person(), "step": 0,
                                  "decided_on": decided, "appeal": None, "already": False,
                                  "today": decided + dt.timedelta(days=15)}
        return rules.objection_refusal(**(values | fields))

    assert FLEMISH.objection_days == 15
    assert refusal() is None
    assert refusal(step=1) == "Alleen tegen een beslissing trap 0 kan tegenspraak worden " \
                              "ingediend."
    assert refusal(today=decided + dt.timedelta(days=16)) == \
        "De termijn voor tegenspraak liep af op 20 januari 2026."
    assert refusal(appeal=appeal()) == (
        "Je ging in beroep tegen de einduitspraak “onvoldoende” en die werd niet omgezet "
        "naar “voldoende”: je kunt geen tegenspraak meer indienen tegen de beslissing trap 0.")
    assert refusal(already=True) is not None


def test_the_presets_say_where_the_appeal_board_exists() -> None:
    by_preset = {p.preset: p.appeal_days for p in (FLEMISH, FEDERAL, DUTCH_MUNICIPAL)}

    assert by_preset == {PolicyPreset.FLEMISH: 15, PolicyPreset.FEDERAL: 20,
                         PolicyPreset.DUTCH_MUNICIPAL: None}


# The federal appeal: BOSA, "Beroep" (bosa.belgium.be, evaluatie, contractuelen en
# statutairen, beroep) and fedweb, "Beroepen" ([b6][b7], docs/policies.md, Sources).


def test_federal_staff_appeal_within_20_working_days_without_weekends_or_holidays() -> None:
    # Delivered Friday 24 April 2026: 1 May (Labour Day), 14 May (Ascension) and
    # 25 May (Whit Monday) are Belgian public holidays, the weekends no working days.
    delivered = dt.date(2026, 4, 24)
    assert FEDERAL.appeal_working_days is True
    # 27 April – 27 May holds 20 working days: 4 in April, 16 in May.
    assert rules.appeal_due(FEDERAL, delivered) == dt.date(2026, 5, 27)
    # Counted as calendar days, the Flemish term would end 20 days later, on 14 May.
    calendar = dataclasses.replace(FEDERAL, appeal_working_days=False)
    assert rules.appeal_due(calendar, delivered) == dt.date(2026, 5, 14)


def test_federal_contract_staff_may_appeal_too_and_the_term_is_kept() -> None:
    delivered = dt.date(2026, 4, 24)
    contract = evaluation(person=person(employment_status=EmploymentStatus.CONTRACTUAL))

    def refusal(**fields: Any) -> str | None:
        values: dict[str, Any] = {"policy": FEDERAL, "evaluation": contract,
                                  "verdict": "onvoldoende", "delivered_on": delivered,
                                  "today": dt.date(2026, 5, 27), "existing": None}
        return rules.appeal_refusal(**(values | fields))

    assert refusal() is None
    assert refusal(today=dt.date(2026, 5, 28)) == \
        "De termijn om in beroep te gaan liep af op 27 mei 2026."
    assert rules.may_appeal(contract.person, "onvoldoende", FEDERAL)
    assert not rules.may_appeal(contract.person, "onvoldoende", FLEMISH)


def test_the_commission_advises_after_the_hearing_and_the_decision_follows_the_advice(
) -> None:
    heard = SimpleNamespace(state=AppealState.HEARD)
    advised = SimpleNamespace(state=AppealState.ADVISED)
    filed = SimpleNamespace(state=AppealState.FILED)

    assert rules.advice_refusal(FEDERAL, heard) is None
    assert rules.advice_refusal(FEDERAL, filed) is not None  # both sides heard first
    assert rules.advice_refusal(FLEMISH, heard) is not None  # the board decides itself
    assert rules.outcome_refusal(FEDERAL, heard) is not None
    assert rules.outcome_refusal(FEDERAL, advised) is None
    assert rules.outcome_refusal(FLEMISH, filed) is None  # decided on the file


def test_a_better_federal_mention_lifts_the_onvoldoende() -> None:
    assert rules.better_verdict(FEDERAL) == ""
    assert rules.better_verdict(FLEMISH) == "voldoende"
    assert rules.outcome_label(FEDERAL, AppealOutcome.CHANGED) == \
        "vermelding vervalt: geen vermelding"
    assert rules.outcome_label(FLEMISH, AppealOutcome.CHANGED) == \
        "einduitspraak omgezet naar voldoende"


# Possible professional unfitness: BOSA, "Evaluatie — vermeldingen" [b2]: two
# "onvoldoende", consecutive or not, within four years with at least 240 days actually
# worked, can lead to dismissal for professional unfitness.


def every_weekday(first: dt.date, last: dt.date) -> int:
    return sum(1 for n in range((last - first).days + 1)
               if (first + dt.timedelta(days=n)).weekday() < 5)


def test_two_federal_onvoldoende_within_four_years_are_flagged() -> None:
    first, second = (dt.date(2023, 3, 10), 11), (dt.date(2026, 5, 4), 12)

    assert FEDERAL.unfitness_within_years == 4
    assert rules.unfitness_pair(FEDERAL, [second, first], every_weekday) == (
        11, 12, every_weekday(first[0], second[0]))
    # Four years and a day apart: no longer together.
    late = (dt.date(2027, 3, 11), 12)
    assert rules.unfitness_pair(FEDERAL, [first, late], every_weekday) is None
    # Fewer than 240 days actually worked between them: not counted.
    assert rules.unfitness_pair(FEDERAL, [first, second], lambda a, b: 239) is None
    assert rules.unfitness_pair(FEDERAL, [first, second], lambda a, b: 240) is not None
    # One alone, or a policy without the rule.
    assert rules.unfitness_pair(FEDERAL, [first], every_weekday) is None
    assert rules.unfitness_pair(FLEMISH, [first, second], every_weekday) is None


def test_four_years_from_29_february_end_on_28_february() -> None:
    assert rules.add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert rules.add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
