"""A federal stage is recorded through the probation pages, in the federal words: the
"stage" of the stagiair, never the Flemish "proeftijd", and no mentor, which the federal
sources do not name. A Flemish probation keeps its words and its mentor (meter of peter).

Sources: BOSA, "Evaluatieperiode stagiair" (bosa.belgium.be/nl/themas/werken-bij-de-
overheid/loopbaan-en-statuut/evaluatie/stagiairs/evaluatieperiode-stagiair) and Fedweb,
"Stagiairs — Gesprekken" (fedweb.belgium.be/nl/evaluatie/evaluatiecyclus_voor_
personeelsleden/stagiairs/gesprekken): the stage, its conversations with the evaluator, no
mentor; Vlaams personeelsstatuut: the probationer's mentor besides the evaluators.
"""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from koers.evaluations.models import Probation
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

D = dt.date
FLEMISH_WORDS = ("proeftijd", "begeleider", "meter of peter")


def text_of(response) -> str:
    assert response.status_code == 200
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def flemish_words_in(text: str) -> list[str]:
    return [word for word in FLEMISH_WORDS if word in text.lower()]


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def _cast(p: personas.Personas, preset: str):
    p.employee.start_date = D(2026, 1, 1)
    p.employee.save(update_fields=["start_date"])
    return ev.cast(p, preset=preset, goal_count=0)


@pytest.fixture
def federal(p):
    return _cast(p, PolicyPreset.FEDERAL)


@pytest.fixture
def flemish(p):
    return _cast(p, PolicyPreset.FLEMISH)


def _record(client, cast, **extra: str) -> tuple[Probation, str]:
    client.force_login(cast.hr.user)
    with ev.on(D(2026, 1, 1)):
        response = client.post(reverse("probation_new", args=[cast.employee.pk]), {
            "reason": "recruitment", "starts_on": "2026-01-01", "months": "12",
            "absences": "", **extra}, follow=True)
    return Probation.objects.get(person=cast.employee), text_of(response)


def test_the_stage_is_recorded_in_the_federal_words_without_a_mentor(client, federal):
    name = federal.employee.full_name
    client.force_login(federal.hr.user)
    with ev.on(D(2026, 1, 1)):
        response = client.get(reverse("probation_new", args=[federal.employee.pk]))
    form = text_of(response)

    assert f"Leg een stage van {name} vast" in form
    assert f"Stage van {name}" in form  # the way back
    assert "Waarom loopt de medewerker een stage?" in form
    assert "Stage begint op" in form
    assert "Leg de stage vast" in form  # the button
    # [b12]: the stage's own rule for its end, not the Flemish months × 21 working days.
    assert "minstens twaalf" in form
    assert "21 werkdagen" not in form
    assert 'name="mentor"' not in response.content.decode()
    assert flemish_words_in(form) == []

    stage, page = _record(client, federal)
    assert stage.mentor is None
    assert "De stage is vastgelegd." in page
    assert f"Stage van {name}" in page
    assert "Evaluatie van de stage" in page
    assert flemish_words_in(page) == []


def test_a_mentor_sent_for_a_stage_is_not_recorded(client, federal, p):
    stage, _ = _record(client, federal, mentor=str(p.colleague.pk))
    assert stage.mentor is None


def test_the_person_and_opening_pages_of_a_stage_say_stage(client, federal):
    _record(client, federal)
    name = federal.employee.full_name
    with ev.on(D(2026, 1, 2)):
        person = text_of(client.get(reverse("person_probation", args=[federal.employee.pk])))
        opening = text_of(client.get(reverse("probation_evaluation_new",
                                             args=[federal.employee.pk])))

    assert f"Stage van {name}" in person
    assert "Open de evaluatie van de stage" in person
    assert f"Evaluatie van de stage van {name}" in opening
    assert "Open de evaluatie van de stage" in opening
    assert flemish_words_in(person) == []
    assert flemish_words_in(opening) == []


def test_a_flemish_probation_keeps_its_words_and_its_mentor(client, flemish, p):
    name = flemish.employee.full_name
    client.force_login(flemish.hr.user)
    with ev.on(D(2026, 1, 1)):
        response = client.get(reverse("probation_new", args=[flemish.employee.pk]))
    form = text_of(response)
    assert f"Proeftijd van {name}" in form
    assert "Begeleider (meter of peter)" in form
    assert "21 werkdagen" in form  # [f18]: months × 21 working days
    assert 'name="mentor"' in response.content.decode()

    probation, page = _record(client, flemish, months="6",
                              mentor=str(p.colleague.pk))
    assert probation.mentor == p.colleague
    assert f"Proeftijd van {name}" in page
    assert "Begeleider (meter of peter)" in page
    assert "stage" not in page.lower()


def test_the_opening_page_names_the_evaluators_of_the_records_regime(client, federal):
    """Fedweb, "Stagiairs — Gesprekken": the evaluator holds the final conversation and
    writes its report; no Flemish "1ste evaluator"."""
    _record(client, federal)
    with ev.on(D(2026, 1, 2)):
        opening = text_of(client.get(reverse("probation_evaluation_new",
                                             args=[federal.employee.pk])))
    assert ("Het eindgesprek sluit de stage af: de evaluator schrijft het verslag, met de "
            "vermelding onvoldoende") in opening
    assert "1ste evaluator" not in opening
    assert "1e evaluator" not in opening


def test_a_flemish_opening_page_keeps_its_words(client, flemish):
    _record(client, flemish, months="6")
    with ev.on(D(2026, 1, 2)):
        opening = text_of(client.get(reverse("probation_evaluation_new",
                                             args=[flemish.employee.pk])))
    assert ("De 1ste evaluator schrijft het verslag met de einduitspraak voldoende of "
            "onvoldoende; de 2de evaluator ondertekent het en het gaat naar de medewerker. "
            "Tijdig ondertekend eindigt de proeftijd de dag erna.") in opening


@pytest.mark.parametrize(("preset", "label"), [
    (PolicyPreset.FEDERAL, "Einde stage"), (PolicyPreset.FLEMISH, "Einde proeftijd")])
def test_the_persons_facts_name_the_end_of_the_stage(client, p, preset, label):
    cast = _cast(p, preset)
    _record(client, cast)
    with ev.on(D(2026, 1, 2)):
        page = text_of(client.get(reverse("person_detail", args=[cast.employee.pk])))
    # The facts: the label, then the day (the end the regime's rule computed).
    assert re.search(rf"{label} \d+ \w+ 202[67]", page)


def test_a_stage_refused_says_stage(client, federal):
    """A stage before the person's start, or a second one on the same day, is refused in
    the federal words; nothing more is recorded."""
    _record(client, federal)
    with ev.on(D(2026, 1, 1)):
        early = text_of(client.post(reverse("probation_new", args=[federal.employee.pk]), {
            "reason": "recruitment", "starts_on": "2025-12-01", "months": "12",
            "absences": ""}))
        again = text_of(client.post(reverse("probation_new", args=[federal.employee.pk]), {
            "reason": "recruitment", "starts_on": "2026-01-01", "months": "12",
            "absences": ""}))
    assert "De stage begint op of na de datum van indiensttreding." in early
    assert "Er is al een stage vastgelegd die op die dag begint." in again
    assert Probation.objects.count() == 1
    assert flemish_words_in(early + again) == []
