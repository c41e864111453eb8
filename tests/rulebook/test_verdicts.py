"""What each preset calls a verdict (einduitspraak, vermelding), in Dutch and English.

The verdicts themselves are legal terms and read the same in both languages."""

import pytest
from django.utils import translation

from koers.organisation.models import PolicyPreset
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH, PRESETS
from koers.rulebook.verdicts import NO_VERDICT, Verdict, verdict_criteria, verdict_label


@pytest.mark.parametrize(("verdict", "dutch", "english"), [
    (Verdict.VOLDOENDE, "voldoende", "voldoende"),
    (Verdict.ONVOLDOENDE, "onvoldoende", "onvoldoende"),
    (Verdict.LOOPBAANVERTRAGING, "loopbaanvertraging", "loopbaanvertraging"),
    (NO_VERDICT, "nog niet beslist", "not decided yet"),
])
def test_flemish_labels(verdict, dutch, english):
    """Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)" and "Prestatiemanagement:
    informatie voor HR": the final verdict is voldoende, onvoldoende or loopbaanvertraging,
    and a report is signed only with one, so a report without one is not decided yet."""
    assert labels(FLEMISH, verdict) == (dutch, english)


@pytest.mark.parametrize(("verdict", "dutch", "english"), [
    (Verdict.ONVOLDOENDE, "onvoldoende", "onvoldoende"),
    (NO_VERDICT, "geen vermelding", "no mention"),
])
def test_federal_labels(verdict, dutch, english):
    """Koninklijk besluit van 24 september 2013 betreffende de evaluatie in het federaal
    openbaar ambt, as amended (BOSA, "Evaluatie: contractuelen en statutairen"): the only
    mention is "onvoldoende"; a cycle without it closes with no mention."""
    assert labels(FEDERAL, verdict) == (dutch, english)


def test_dutch_municipal_labels():
    """Gemeente Heemstede, regeling "Cyclus van jaargesprekken": the evaluation
    conversation has no verdict, and a municipality speaks of a beoordeling (the formal
    assessment's), never of the Flemish einduitspraak."""
    assert labels(DUTCH_MUNICIPAL, NO_VERDICT) == ("geen beoordeling", "no assessment")


@pytest.mark.parametrize("preset", list(PRESETS))
def test_a_preset_is_named_by_its_code_as_by_its_policy(preset):
    policy = PRESETS[preset]
    for verdict in (NO_VERDICT, *Verdict.values):
        assert verdict_label(preset, verdict) == verdict_label(policy, verdict)


def test_every_preset_offers_only_known_verdicts():
    offered = {option.code for policy in PRESETS.values() for option in policy.verdicts}
    assert offered <= set(Verdict.values)
    assert PRESETS[PolicyPreset.FEDERAL].verdicts_for(statutory=True, seniority=True) \
        == (Verdict.ONVOLDOENDE,)


def test_an_unknown_stored_value_is_shown_as_stored():
    assert verdict_label(FLEMISH, "zeer goed") == "zeer goed"


def labels(policy, verdict):
    with translation.override("nl"):
        dutch = verdict_label(policy, verdict)
    with translation.override("en"):
        english = verdict_label(policy, verdict)
    return dutch, english


def test_the_federal_onvoldoende_states_its_criteria():
    """BOSA, "Evaluatie: contractuelen en statutairen — vermeldingen" [b2]: "onvoldoende"
    when fewer than half of the performance objectives are met, or the required
    competencies were not developed. The other regimes state no criteria."""
    with translation.override("nl"):
        federal = verdict_criteria(FEDERAL, Verdict.ONVOLDOENDE)
    with translation.override("en"):
        english = verdict_criteria(FEDERAL, Verdict.ONVOLDOENDE)

    assert federal == ("Minder dan de helft van de prestatiedoelstellingen gehaald, of de "
                       "competenties die de functie vraagt niet ontwikkeld.")
    assert english.startswith("Fewer than half of the performance objectives met")
    assert verdict_criteria(FLEMISH, Verdict.ONVOLDOENDE) == ""
    assert verdict_criteria(FEDERAL, NO_VERDICT) == ""
