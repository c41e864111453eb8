"""The pages around signing, the written procedure, the probation, the development plan
and access requests name the roles in the record's regime (``rulebook.terms``): a Dutch
municipality's staff read "leidinggevende" and "naast-hogere leidinggevende" (Gemeente
Heemstede, "Cyclus van jaargesprekken"), a federal one "evaluator" and "hiërarchische
meerdere" (BOSA, "Evaluatie — betrokkenen"), never the Flemish "1ste evaluator"."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import development
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

DAYS = ev.days()
FLEMISH_ROLES = ("1ste evaluator", "2de evaluator", "evaluatoren")


def text_of(response) -> str:
    assert response.status_code == 200
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def verdict_of(preset: str) -> str:
    """A federal report without "onvoldoende" carries no mention."""
    return "" if preset == PolicyPreset.FEDERAL else "voldoende"


def flemish_roles_in(text: str) -> list[str]:
    return [word for word in FLEMISH_ROLES if word in text]


@pytest.mark.parametrize(("preset", "signs_as", "next_signer"), [
    (PolicyPreset.FEDERAL, "als evaluator", "gaat het verslag naar de hiërarchische meerdere"),
    (PolicyPreset.DUTCH_MUNICIPAL, "als leidinggevende", None),  # no 2nd signature
])
def test_the_signing_page_names_the_signer_in_the_regime_words(
        client, preset, signs_as, next_signer):
    cast = ev.cast(personas.build(), preset=preset)
    evaluation = ev.reach(cast, ev.S.DRAFT, verdict=verdict_of(preset))
    client.force_login(cast.first.user)
    with ev.on(DAYS["first"]):
        page = text_of(client.get(reverse("evaluation_sign", args=[evaluation.pk])))

    assert f"versie 1 van dit verslag {signs_as}" in page
    if next_signer is not None:
        assert next_signer in page
    assert flemish_roles_in(page) == []


@pytest.mark.parametrize(("preset", "first"), [
    (PolicyPreset.FLEMISH, "de 1ste evaluator stuurt een ontwerpverslag"),
    (PolicyPreset.FEDERAL, "de evaluator stuurt een ontwerpverslag"),
])
def test_the_written_procedure_names_the_first_evaluator_in_the_regime_words(
        client, preset, first):
    cast = ev.cast(personas.build(), preset=preset)
    evaluation = ev.reach(cast, ev.S.DRAFT, written=True, verdict=verdict_of(preset))
    client.force_login(cast.employee.user)
    with ev.on(DAYS["self"]):
        page = text_of(client.get(reverse("evaluation_detail", args=[evaluation.pk])))

    assert f"schriftelijk: {first}" in page


def test_a_dutch_probation_assessment_is_opened_in_the_municipal_words(client):
    p = personas.build()
    p.employee.probation_end_date = dt.date(2025, 12, 31)
    p.employee.save(update_fields=["probation_end_date"])
    cast = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    client.force_login(cast.first.user)
    with ev.on(dt.date(2025, 9, 1)):
        page = text_of(client.get(reverse("probation_evaluation_new", args=[cast.employee.pk])))

    assert "De leidinggevende schrijft en ondertekent de proeftijdbeoordeling" in page
    assert flemish_roles_in(page) == []


def test_a_dutch_development_plan_is_signed_by_the_manager(client):
    p = personas.build()
    ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL, goal_count=0)
    plan = development.draft(p.employee, p.manager)
    development.item(plan, p.manager, "werk-structureren")
    client.force_login(p.manager.user)
    page = text_of(client.get(reverse("development_plan", args=[plan.pk])))

    assert "Ondertekenen als leidinggevende" in page
    assert "Leidinggevende" in page  # the row of the signature table
    assert flemish_roles_in(page) == []


@pytest.mark.parametrize(("preset", "second"), [
    (PolicyPreset.FEDERAL, "De hiërarchische meerdere beslist over je verzoek"),
    (PolicyPreset.DUTCH_MUNICIPAL, "De naast-hogere leidinggevende beslist over je verzoek"),
])
def test_an_access_request_names_who_decides_in_the_regime_words(client, preset, second):
    p = personas.build()
    ev.cast(p, preset=preset, goal_count=0)
    client.force_login(p.hr.user)
    page = text_of(client.get(reverse("access_request_new", args=[p.employee.pk])))

    assert second in page
    assert flemish_roles_in(page) == []


def test_a_dutch_employee_is_not_offered_an_appeal_the_municipality_lacks(client):
    """No appeal board in a municipality: the appeal's page answers as for a stranger."""
    cast = ev.cast(personas.build(), preset=PolicyPreset.DUTCH_MUNICIPAL, goal_count=0)
    evaluation = ev.annual(cast)
    client.force_login(cast.employee.user)

    assert client.get(reverse("appeal_new", args=[evaluation.pk])).status_code == 404
