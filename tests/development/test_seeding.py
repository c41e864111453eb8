"""Seeding an organisation's catalogue from the data files shipped with the package."""

import csv
import io
from importlib import resources

import pytest
from django.core.management import call_command
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.development.models import (
    Competency,
    CompetencyCluster,
    DevelopmentAction,
    Recommendation,
)
from koers.development.services.catalogue import catalogue_seed
from koers.development.sources import catalogue_source
from koers.development.states import RecommendationValue
from tests import factories

pytestmark = pytest.mark.django_db

CELL = {"1": RecommendationValue.RECOMMENDED, "0": RecommendationValue.NOT_RECOMMENDED,
        "": RecommendationValue.UNKNOWN}


def _csv_rows():
    text = (resources.files("koers.development") / "data" / "competency-action-matrix.csv"
            ).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_a_seeded_organisation_has_the_five_clusters_forty_competencies_fifteen_actions():
    org = factories.organisation()
    result = catalogue_seed(organisation=org)

    assert (result.clusters, result.competencies, result.actions, result.cells) == (
        5, 40, 15, 600)
    assert [cluster.names["nl"] for cluster in
            CompetencyCluster.objects.filter(organisation=org)] == [
        "Omgaan met informatie", "Omgaan met taken", "Leiding geven",
        "Interpersoonlijke relaties", "Persoonlijk functioneren"]
    per_cluster = [cluster.competencies.count()
                   for cluster in CompetencyCluster.objects.filter(organisation=org)]
    assert per_cluster == [8, 8, 8, 8, 8]
    assert DevelopmentAction.objects.filter(organisation=org).count() == 15


def test_every_matrix_cell_is_the_csvs_including_the_empty_ones():
    org = factories.organisation()
    catalogue_seed(organisation=org)
    rows = _csv_rows()
    actions = {a.names["nl"]: a.pk for a in DevelopmentAction.objects.filter(organisation=org)}
    names = {c.source_label: c.code for c in catalogue_source().competencies}
    competencies = {c.code: c.pk for c in Competency.objects.filter(organisation=org)}
    stored = {
        (competency_id, action_id): value
        for competency_id, action_id, value in Recommendation.objects.filter(
            competency__organisation=org).values_list("competency_id", "action_id", "value")
    }
    expected = {
        (competencies[names[row[1]]], actions[action_name]): CELL[cell]
        for row in rows[1:]
        for action_name, cell in zip(rows[0][2:], row[2:], strict=True)
    }
    assert stored == expected
    # The source is silent on 9 actions for the last 9 competencies: 81 unknown cells.
    assert sum(1 for v in stored.values() if v == RecommendationValue.UNKNOWN) == 81


FOUR = {"nl", "en", "fr", "de"}


def test_every_entry_is_seeded_in_dutch_english_french_and_german():
    org = factories.organisation()
    catalogue_seed(organisation=org)
    for cluster in CompetencyCluster.objects.filter(organisation=org):
        assert set(cluster.names) == FOUR
    for competency in Competency.objects.filter(organisation=org):
        assert set(competency.names) == set(competency.descriptions) == FOUR
        assert all(competency.names.values())
        assert all(competency.descriptions.values())
    for action in DevelopmentAction.objects.filter(organisation=org):
        assert set(action.names) == set(action.definitions) == FOUR
        # The same number of points in every language: a translation, point by point.
        for texts in (action.when_to_choose_texts, action.points_of_attention_texts):
            assert set(texts) == FOUR
            assert len({len(text.splitlines()) for text in texts.values()}) == 1
            assert len(texts["nl"].splitlines()) >= 1
    for code in FOUR:
        descriptions = [c.descriptions[code] for c in Competency.objects.filter(organisation=org)]
        names = [c.names[code] for c in Competency.objects.filter(organisation=org)]
        assert len(set(descriptions)) == len(set(names)) == 40


def test_the_languages_are_read_from_the_data_and_the_translations_are_marked():
    source = catalogue_source()

    # Beyond the languages the interface offers: the data runs ahead of it.
    assert source.languages == ("nl", "en", "fr", "de")
    assert "own translation" in source.translations["fr"]
    assert "own translation" in source.translations["de"]


def test_names_follow_the_active_language():
    org = factories.organisation()
    catalogue_seed(organisation=org)
    competency = Competency.objects.get(organisation=org, code="werk-structureren")
    with translation.override("en"):
        assert (competency.name, competency.cluster.name) == (
            "Structuring work", "Dealing with tasks")
    with translation.override("nl"):
        assert (competency.name, competency.cluster.name) == (
            "Werk structureren", "Omgaan met taken")
    # French and German render too, whether or not the interface offers them yet.
    with translation.override("fr"):
        assert (competency.name, competency.cluster.name) == (
            "Structurer le travail", "Gestion des tâches")
    with translation.override("de"):
        assert (competency.name, competency.cluster.name) == (
            "Arbeit strukturieren", "Umgang mit Aufgaben")


def test_seeding_again_creates_nothing_and_keeps_hrs_edits():
    org = factories.organisation()
    catalogue_seed(organisation=org)
    competency = Competency.objects.get(organisation=org, code="begrijpen")
    competency.descriptions = {**competency.descriptions, "nl": "Onze eigen omschrijving."}
    competency.save()
    cell = Recommendation.objects.filter(value=RecommendationValue.UNKNOWN,
                                         competency__organisation=org).first()
    cell.value = RecommendationValue.RECOMMENDED
    cell.save()
    events = AuditEvent.objects.count()

    result = catalogue_seed(organisation=org)

    assert not result.anything
    assert AuditEvent.objects.count() == events
    competency.refresh_from_db()
    cell.refresh_from_db()
    assert competency.descriptions["nl"] == "Onze eigen omschrijving."
    assert cell.value == RecommendationValue.RECOMMENDED
    assert Recommendation.objects.filter(competency__organisation=org).count() == 600


def test_seeding_completes_a_catalogue_that_lost_entries():
    org = factories.organisation()
    catalogue_seed(organisation=org)
    DevelopmentAction.objects.filter(organisation=org, code="e-learning").delete()

    result = catalogue_seed(organisation=org)

    assert (result.clusters, result.competencies, result.actions, result.cells) == (0, 0, 1, 40)


def test_a_name_hr_used_before_seeding_is_left_to_hr():
    org = factories.organisation()
    cluster = CompetencyCluster.objects.create(organisation=org, code="eigen",
                                               names={"nl": "Eigen"})
    Competency.objects.create(organisation=org, cluster=cluster, code="mijn-netwerken",
                              names={"nl": "netwerken"})

    result = catalogue_seed(organisation=org)

    assert result.competencies == 39
    assert Competency.objects.filter(organisation=org).count() == 40


def test_the_command_seeds_one_organisation_or_all():
    first, second = factories.organisation(), factories.organisation()
    out = io.StringIO()
    call_command("seed-catalogue", "--org", first.name, stdout=out)
    assert Competency.objects.filter(organisation=first).count() == 40
    assert Competency.objects.filter(organisation=second).count() == 0
    call_command("seed-catalogue", "--all", stdout=out)
    assert Competency.objects.filter(organisation=second).count() == 40
    assert f"{first.name}: clusters 0, competencies 0, actions 0, matrix cells 0" in \
        out.getvalue()


def test_the_data_files_agree_with_each_other():
    source = catalogue_source()
    assert (len(source.clusters), len(source.competencies), len(source.actions),
            len(source.matrix)) == (5, 40, 15, 600)
    assert len({c.code for c in source.competencies}) == 40
    assert len({a.code for a in source.actions}) == 15
