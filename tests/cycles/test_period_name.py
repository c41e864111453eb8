"""A period has one name, derived in one place (``rulebook.terms.period_name``, read by
``Cycle.name`` and ``Evaluation.period_name``): the timeline, the evaluation pages, the
API and the evaluation report's PDF all call the same period the same, in the words of
the organisation's regime and by the year the period runs in.

Sources of the words, by public title: Vlaamse overheid, "Planning, opvolging en
evaluatie (PLOEG)" (the evaluatieperiode); BOSA, "Evaluatie — contractuelen en
statutairen" (the evaluatiecyclus of 12 months per person); Gemeente Heemstede,
"Cyclus van jaargesprekken" (the gesprekscyclus)."""

import datetime as dt
import html
import io
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from koers.core import clock
from koers.evaluations import services
from koers.evaluations.pdf import report_pdf
from koers.organisation.models import PolicyPreset
from koers.rulebook.terms import period_name
from tests import personas
from tests.factories import participations
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("preset", "dutch", "english"), [
    (PolicyPreset.FLEMISH, "evaluatieperiode 2026", "evaluation period 2026"),
    (PolicyPreset.FEDERAL, "evaluatiecyclus 2026", "evaluation cycle 2026"),
    (PolicyPreset.DUTCH_MUNICIPAL, "gesprekscyclus 2026", "conversation cycle 2026"),
])
def test_each_regime_names_its_period_in_its_own_words(preset, dutch, english):
    with translation.override("nl"):
        assert period_name(preset, 2026) == dutch
    with translation.override("en"):
        assert period_name(preset, 2026) == english


def _text(content: bytes) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize(("preset", "name"), [
    (PolicyPreset.FLEMISH, "Evaluatieperiode 2025"),
    # A federal period of 12 months from the person's day in 2025 ends in 2026: it is
    # still the period of 2025, the year it runs in, not of the year it is evaluated in.
    (PolicyPreset.FEDERAL, "Evaluatiecyclus 2025"),
])
def test_the_timeline_the_evaluation_pages_the_api_and_the_pdf_name_a_period_alike(
        client, preset, name):
    p = personas.build()
    organisation = p.employee.organisation
    organisation.policy_preset = preset
    organisation.save(update_fields=["policy_preset"])
    cycle = participations.cycle(organisation, 2025)
    participation = participations.participation(cycle, p.employee)
    client.force_login(p.manager.user)
    lower = name[:1].lower() + name[1:]
    with clock.frozen(dt.datetime(2025, 12, 2, 10, tzinfo=dt.UTC)):
        # Before it is opened, the page offers to open the evaluation of the period.
        opening = _text(client.get(reverse(
            "participation_evaluation", args=[p.employee.pk, participation.pk])).content)
        evaluation = services.evaluation_for_participation(actor=viewer(p.manager),
                                                           participation=participation)

    with clock.frozen(dt.datetime(2025, 12, 3, 10, tzinfo=dt.UTC)):
        timeline = _text(client.get(reverse("person_timeline", args=[p.employee.pk])).content)
        detail = _text(client.get(reverse("evaluation_detail", args=[evaluation.pk])).content)
        overview = _text(client.get(reverse("person_evaluations",
                                            args=[p.employee.pk])).content)
        (api_timeline,) = client.get(f"/api/v1/people/{p.employee.pk}/timeline").json()["items"]
    pdf = _pdf_text(report_pdf(evaluation, language="nl"))

    assert participation.period_start.year == 2025
    assert participation.period_end.year == (2026 if preset == PolicyPreset.FEDERAL else 2025)
    assert name in timeline
    assert lower in opening
    # The page's title starts with it: a federal period names its evaluation at once.
    assert lower in detail.lower()
    assert name in overview
    assert api_timeline["name"] == lower
    assert name in pdf
    other = lower.replace("2025", "2026")  # the year it would be evaluated in
    for text in (timeline, opening, detail, overview, pdf):
        assert other not in text.lower()
