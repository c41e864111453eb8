"""What each regime calls its roles, its evaluation and its bodies (``rulebook.terms``), in
Dutch, with the public source of each word."""

import pytest
from django.utils import translation

from koers.organisation.models import PolicyPreset
from koers.rulebook.presets import PRESETS
from koers.rulebook.terms import DUTCH_MUNICIPAL, FEDERAL, FLEMISH, TERMS, Terms, terms_for
from koers.rulebook.verdicts import NO_VERDICT, Verdict


def dutch(terms: Terms) -> dict[str, str | None]:
    with translation.override("nl"):
        return {
            "first_evaluator": str(terms.first_evaluator),
            "second_evaluator": str(terms.second_evaluator),
            "evaluators": str(terms.evaluators),
            "annual_evaluation": str(terms.annual_evaluation),
            "appeal_body": None if terms.appeal_body is None else str(terms.appeal_body),
            "management_body": (None if terms.management_body is None
                                else str(terms.management_body)),
            "advisory_body": None if terms.advisory_body is None else str(terms.advisory_body),
        }


def test_flemish_words():
    """Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" and "Prestatiemanagement:
    informatie voor HR": the 1st and 2nd evaluator, the annual evaluation, the
    managementorgaan that decides salary steps and the adviesorgaan that advises on an
    objection; Vlaams personeelsstatuut, part IV: the appeal to the Raad van beroep.
    Statutory and contract staff, each in a salary system on the basis of seniority or
    of evaluation (Prestatiemanagement)."""
    assert dutch(FLEMISH) == {
        "first_evaluator": "1ste evaluator", "second_evaluator": "2de evaluator",
        "evaluators": "evaluatoren", "annual_evaluation": "jaarlijkse evaluatie",
        "appeal_body": "Raad van beroep", "management_body": "managementorgaan",
        "advisory_body": "adviesorgaan",
    }
    assert (FLEMISH.employment_status, FLEMISH.salary_system) == (True, True)


def test_federal_words():
    """BOSA, "Evaluatie — betrokkenen": the evaluator is the hierarchical superior
    (hiërarchische meerdere); "Evaluatie — contractuelen en statutairen": the evaluation
    cycle of 12 months per person, for statutory and contract staff; "Evaluatie —
    beroep": the appeal goes to the leidend ambtenaar, advised by the evaluation
    commission. No body decides salary steps, and there is no salary system to choose."""
    assert dutch(FEDERAL) == {
        "first_evaluator": "evaluator", "second_evaluator": "hiërarchische meerdere",
        "evaluators": "evaluatoren", "annual_evaluation": "evaluatiecyclus",
        "appeal_body": "leidend ambtenaar", "management_body": None, "advisory_body": None,
    }
    assert (FEDERAL.employment_status, FEDERAL.salary_system) == (True, False)


def test_dutch_municipal_words():
    """Gemeente Heemstede, regeling "Cyclus van jaargesprekken": the conversations are held
    with the direct leidinggevende, a disagreement goes to the naast-hogere
    leidinggevende, and the cycle closes with the evaluatiegesprek. Since the Wet
    normalisering rechtspositie ambtenaren (1 January 2020) municipal staff are employed
    under civil law: no statutory staff, no appeal board, no salary steps decided by a
    body."""
    assert dutch(DUTCH_MUNICIPAL) == {
        "first_evaluator": "leidinggevende", "second_evaluator": "naast-hogere leidinggevende",
        "evaluators": "leidinggevenden", "annual_evaluation": "evaluatiegesprek",
        "appeal_body": None, "management_body": None, "advisory_body": None,
    }
    assert (DUTCH_MUNICIPAL.employment_status, DUTCH_MUNICIPAL.salary_system) == (False, False)


@pytest.mark.parametrize("word", ["first_evaluator", "second_evaluator", "annual_evaluation"])
def test_the_three_regimes_name_each_role_and_the_evaluation_differently(word):
    for language in ("nl", "en", "fr", "de"):
        with translation.override(language):
            names = {str(getattr(terms, word)) for terms in TERMS.values()}
        assert len(names) == 3, (language, names)


def test_every_preset_has_its_words_and_a_regime_without_appeal_names_no_appeal_body():
    assert set(TERMS) == set(PRESETS) == set(PolicyPreset.values)
    for preset, terms in TERMS.items():
        assert terms.preset == preset
        # The appeal body exists exactly where the preset has an appeal.
        assert (terms.appeal_body is not None) == (PRESETS[preset].appeal_days is not None)
        # The management body exists exactly where the preset has salary steps.
        assert (terms.management_body is not None) == bool(PRESETS[preset].salary_steps)


def test_a_municipality_names_the_conclusion_a_beoordeling_and_the_federal_cycle_once():
    """Heemstede, "Cyclus van jaargesprekken": the evaluation conversation has no verdict,
    a formal assessment concludes with a beoordeling, never the Flemish einduitspraak.
    BOSA, "Evaluatie — contractuelen en statutairen": the evaluatiecyclus is the period
    and its evaluation at once; the Flemish and Dutch periods name only the period."""
    with translation.override("nl"):
        assert [str(t.verdict_name) for t in (FLEMISH, FEDERAL, DUTCH_MUNICIPAL)] == [
            "Einduitspraak", "Einduitspraak", "Beoordeling"]
        assert "einduitspraak" not in str(DUTCH_MUNICIPAL.without_verdict).lower()
    assert [t.period_names_evaluation for t in (FLEMISH, FEDERAL, DUTCH_MUNICIPAL)] == [
        False, True, False]


def test_the_verdicts_are_named_by_the_verdicts_module():
    with translation.override("nl"):
        assert FLEMISH.verdict(Verdict.LOOPBAANVERTRAGING) == "loopbaanvertraging"
        assert FEDERAL.verdict(NO_VERDICT) == "geen vermelding"
        assert DUTCH_MUNICIPAL.verdict(NO_VERDICT) == "geen beoordeling"


def test_no_organisation_gets_the_default_words():
    assert terms_for(None) is FLEMISH
    assert terms_for(PolicyPreset.DUTCH_MUNICIPAL) is DUTCH_MUNICIPAL


def test_the_stage_is_named_a_stage_in_its_step_its_end_and_its_refusals():
    """BOSA, "Evaluatieperiode stagiair": the federal stagiair does a stage, where Flanders
    and a Dutch municipality speak of a proeftijd; each phrase is whole in each language."""
    phrases = ("probation_assessment", "probation_end", "probation_reason_missing",
               "probation_starts_too_early", "probation_recorded_already",
               "probation_absence_before", "probation_no_mentor")
    with translation.override("nl"):
        federal = [str(getattr(FEDERAL, name)) for name in phrases]
        flemish = [str(getattr(FLEMISH, name)) for name in phrases]
        assert federal == [
            "Beoordeling van de stage", "Einde stage",
            "Kies waarom de medewerker een stage doet.",
            "De stage begint op of na de datum van indiensttreding.",
            "Er is al een stage vastgelegd die op die dag begint.",
            "Een niet-gewerkte dag valt binnen de stage.",
            "Dit stelsel kent geen begeleider voor een stage: laat die leeg."]
        assert flemish == [str(getattr(DUTCH_MUNICIPAL, name)) for name in phrases]
        assert flemish[:2] == ["Beoordeling van de proeftijd", "Einde proeftijd"]
        assert str(FEDERAL.probation_not_recorded) % {"name": "Marc"} == (
            "Voor Marc is geen stage vastgelegd: HR legt ze eerst vast.")
        assert str(FLEMISH.probation_not_recorded) % {"name": "Marc"} == (
            "Voor Marc is geen proeftijd vastgelegd: HR legt ze eerst vast.")
    with translation.override("de"):
        assert str(FEDERAL.probation_end) == "Ende des Praktikums"
