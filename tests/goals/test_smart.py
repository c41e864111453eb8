"""The SMART check on real Dutch and English goals; it advises, it never blocks."""

import datetime as dt

import pytest

from koers.goals.smart import Draft, Flag, check, vague_words

TODAY = dt.date(2026, 3, 1)
LATER = dt.date(2026, 12, 31)


def flags(draft: Draft) -> list[Flag]:
    return [advice.flag for advice in check(draft, today=TODAY)]


@pytest.mark.parametrize(
    "title",
    [
        "De klantentevredenheid verbeteren",
        "Beter communiceren met het team",
        "Proberen de doorlooptijd van dossiers te verkorten",
        "Het aanvraagproces optimaliseren",
        "Meer aandacht voor onthaal van nieuwe collega's",
        "Collega's ondersteunen bij de overstap naar het nieuwe systeem",
        "Improve customer satisfaction",
        "Communicate better with the team",
        "Try to shorten the processing time",
        "Optimise the application process",
        "Support colleagues during the migration",
        "Spend more time on onboarding",
    ],
)
def test_a_vague_verb_without_a_number_is_flagged(title):
    assert flags(Draft(title=title, measure="Survey", deadline=LATER)) == [Flag.VAGUE]


@pytest.mark.parametrize(
    ("title", "measure"),
    [
        ("De klantentevredenheid verbeteren", "Score van minstens 8 op 10 in de enquête"),
        ("Tegen 30 juni 20 % meer aanvragen digitaal behandelen", "Aandeel digitale aanvragen"),
        ("Improve customer satisfaction", "At least 8 out of 10 in the yearly survey"),
        ("Support 3 colleagues in the new payroll system", "Each works on their own"),
    ],
)
def test_a_number_makes_a_vague_verb_measurable(title, measure):
    assert flags(Draft(title=title, measure=measure, deadline=LATER)) == []


def test_a_specific_dutch_goal_gets_no_advice():
    draft = Draft(
        title="Alle loonbrieven van 2026 foutloos en op tijd versturen",
        description="Elke maand vóór de 25e, gecontroleerd door een collega.",
        measure="Nul correcties in het loonsysteem",
        deadline=LATER,
    )
    assert check(draft, today=TODAY) == []


def test_a_missing_measure_and_deadline_are_flagged():
    assert flags(Draft(title="Het opleidingsplan afwerken")) == [
        Flag.NO_MEASURE, Flag.NO_DEADLINE,
    ]


def test_a_past_deadline_is_flagged():
    draft = Draft(title="Finish the training plan", measure="Plan approved",
                  deadline=dt.date(2026, 2, 28))
    assert flags(draft) == [Flag.PAST_DEADLINE]


def test_a_goal_without_owner_is_flagged_first():
    draft = Draft(title="Finish the training plan", measure="Plan approved", deadline=LATER,
                  has_owner=False)
    assert flags(draft)[0] == Flag.NO_OWNER


def test_words_inside_other_words_are_not_vague():
    # "meer" and "more" count as whole words only.
    assert vague_words("Meerdere dossiers; moreover the trying part") == ["trying"]


def test_the_advice_names_the_vague_words_in_dutch(settings):
    from django.utils import translation

    with translation.override("nl"):
        [advice] = check(Draft(title="Verbeteren en optimaliseren", measure="x",
                               deadline=LATER), today=TODAY)
    assert "verbeteren, optimaliseren" in advice.message
