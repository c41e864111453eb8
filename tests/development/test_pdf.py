"""The PDF of the POP summary table, laid out like the POP guide's Bijlage 3: its text, read
back with pypdf, holds the worked example of Bijlage 4 as the demo builds it."""

import datetime as dt
import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from koers.development.demo import build_development_demo
from koers.development.models import DevelopmentPlan, PlanGoal
from koers.development.pdf import pop_pdf
from koers.development.summary import GoalTerm, goal_terms
from koers.organisation import demo as organisation_demo
from koers.organisation import records

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks and repeated spaces folded to one space."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


@pytest.fixture
def marcs_plan(settings) -> DevelopmentPlan:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organisation_demo.build_demo()
    build_development_demo()
    return DevelopmentPlan.objects.get(employee__email=organisation_demo.MARC.email)


def test_the_pdf_holds_the_worked_example_of_the_pop_guide_in_dutch_and_in_english(marcs_plan):
    dutch = _text(pop_pdf(marcs_plan, language="nl"))
    english = _text(pop_pdf(marcs_plan, language="en"))

    # Bijlage 3's heading, identification and columns.
    assert "Persoonlijk ontwikkelingsplan" in dutch
    assert "Naam, voornaam: Vandamme Marc" in dutch
    assert "Stafdienst P&O" in dutch
    for column in ("Bronnen", "Competenties", "Prioriteiten", "Ontwikkelingsdoelstellingen",
                   "Succesindicatoren", "Realisatie/opvolging"):
        assert column in dutch
    # Bijlage 4's four competencies with their source and priority, in that order.
    rows = re.findall(r"(\d) (Werk structureren|Ondersteunen|De nieuwe bureauticasoftware "
                      r"beheersen|Brieven en verslagen opmaken) (\d)", dutch)
    assert rows == [("1", "Werk structureren", "1"), ("1", "Ondersteunen", "1"),
                    ("6", "De nieuwe bureauticasoftware beheersen", "1"),
                    ("1", "Brieven en verslagen opmaken", "2")]
    assert "Omgaan met taken en informatie" in dutch
    # The follow-up six months later: coaching by a colleague, Mr Gordon.
    assert "→ Coaching krijgen: Marc laat zich zes maanden coachen door een collega, de " \
           "heer Gordon." in dutch
    assert "(met Peter Gordon)" in dutch
    # Both signed after the planning conversation and after the follow-up.
    assert "Datum van het gesprek:" in dutch
    assert "Datum van het gesprek (opvolging):" in dutch
    assert dutch.count("Ondertekend op") == 4
    # Signed in Dutch, printed in Dutch: no mark of a translation.
    assert "Taal van het ondertekende plan: Nederlands" in dutch
    assert "Vertaling" not in dutch

    assert "Personal development plan" in english
    # Printed in English, it is a marked translation of the plan signed in Dutch.
    assert "Language of the signed plan: Nederlands" in english
    assert "Translation: this copy is printed in another language than the plan was " \
           "signed in" in english
    assert "Name, first name: Vandamme Marc" in english
    assert "Structuring work" in english
    assert "Receiving coaching: Marc laat zich zes maanden coachen" in english
    assert "Date of the conversation (follow-up):" in english
    assert english.count("Signed on") == 4


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_worked_example_fits_two_landscape_pages_with_each_term_once_per_competency(
        marcs_plan, language):
    """The POP guide prints Bijlage 4 on two landscape pages, with one term beside all
    goals of a competency ("Einde van het jaar" beside the three goals of
    "ondersteunen"); so does the PDF, in the plan's language and as a translation."""
    pdf = pop_pdf(marcs_plan, language=language)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 2
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    text = _text(pdf)
    # Each competency's goals share one term, written once (the words people wrote stay
    # in Dutch in a translation too).
    assert text.count("Einde van het jaar") == 1
    assert text.count("Drie maanden na de opleiding waarvoor Marc zich binnen de maand "
                      "inschrijft") == 1
    assert text.count("Binnen de maand na de opleiding") == 1
    # All nine columns are there, wrapped rather than cut: the last column's texts too.
    assert "Marc wenst meer oefeningen te doen." in text
    assert "Marc voelt zich zekerder van zijn capaciteiten als mentor." in text


def test_goals_with_different_terms_each_name_the_goals_their_term_is_for():
    end = dt.date(2026, 12, 31)
    goals = [PlanGoal(text="A", term=end, term_note="Einde van het jaar"),
             PlanGoal(text="B", term=dt.date(2026, 6, 30)),
             PlanGoal(text="C", term=end, term_note="Einde van het jaar")]

    assert goal_terms(goals) == [GoalTerm(end, "Einde van het jaar", [1, 3]),
                                 GoalTerm(dt.date(2026, 6, 30), "", [2])]
    assert goal_terms(goals[:1] + goals[2:]) == [GoalTerm(end, "Einde van het jaar", [1, 2])]


def test_the_signed_plan_carries_its_reference_number_under_the_letterhead(
        marcs_plan, settings, tmp_path):
    logo = tmp_path / marcs_plan.organisation.slug / "logo.png"
    logo.parent.mkdir(parents=True)
    Image.new("RGB", (40, 20), (0, 70, 140)).save(logo)
    settings.KOERS_ORGANISATIONS_DIR = str(tmp_path)

    pdf = pop_pdf(marcs_plan, language="nl")

    reference = records.reference_of(marcs_plan)
    year = marcs_plan.rounds.order_by("number").first().signed_on.year
    assert reference == f"{marcs_plan.organisation.slug.upper()}-{year}-000001"
    assert f"Kenmerk: {reference}" in _text(pdf)
    assert marcs_plan.organisation.name in _text(pdf)
    assert any(page.images for page in PdfReader(io.BytesIO(pdf)).pages)  # the logo
