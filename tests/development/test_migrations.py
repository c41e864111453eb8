"""The catalogue's texts move from a column per language to one JSON column of
{language code: text} (development migrations 0006–0008), and back."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("development", "0005_signed_rounds_are_immutable")]
AFTER = [("development", "0008_catalogue_texts_constraints")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_the_latest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_texts_move_forwards_and_back(at_the_latest_afterwards):
    old = _migrate(BEFORE)
    organisation = old.get_model("organisation", "Organisation").objects.create(
        name="Stad", slug="stad", policy_preset="flemish")
    cluster = old.get_model("development", "CompetencyCluster").objects.create(
        organisation=organisation, code="tasks", name_nl="Omgaan met taken",
        name_en="Dealing with tasks")
    competency = old.get_model("development", "Competency").objects.create(
        organisation=organisation, cluster=cluster, code="plannen", name_nl="Plannen",
        name_en="", description_nl="Het werk plannen.", description_en="Planning the work.")
    action = old.get_model("development", "DevelopmentAction").objects.create(
        organisation=organisation, code="zelfstudie", name_nl="Zelfstudie",
        name_en="Self-study", when_to_choose_nl="Eén.\nTwee.", points_of_attention_en="Mind.")

    new = _migrate(AFTER)
    Competency = new.get_model("development", "Competency")
    moved = Competency.objects.get(pk=competency.pk)
    moved_action = new.get_model("development", "DevelopmentAction").objects.get(pk=action.pk)

    assert new.get_model("development", "CompetencyCluster").objects.get(
        pk=cluster.pk).names == {"nl": "Omgaan met taken", "en": "Dealing with tasks"}
    assert moved.names == {"nl": "Plannen"}  # an empty text is left out
    assert moved.descriptions == {"nl": "Het werk plannen.", "en": "Planning the work."}
    assert (moved_action.names, moved_action.definitions) == (
        {"nl": "Zelfstudie", "en": "Self-study"}, {})
    assert moved_action.when_to_choose_texts == {"nl": "Eén.\nTwee."}
    assert moved_action.points_of_attention_texts == {"en": "Mind."}
    # The constraints hold on the new columns: a Dutch name, unique per organisation.
    with pytest.raises(IntegrityError), transaction.atomic():
        Competency.objects.create(organisation_id=organisation.pk, cluster_id=cluster.pk,
                                  code="x", names={"nl": "PLANNEN"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Competency.objects.create(organisation_id=organisation.pk, cluster_id=cluster.pk,
                                  code="y", names={"fr": "Planifier"})
    # A text in a language the old columns do not have is lost going back.
    Competency.objects.filter(pk=competency.pk).update(
        names={"nl": "Plannen", "en": "Planning", "fr": "Planifier"})

    back = _migrate(BEFORE)
    returned = back.get_model("development", "Competency").objects.get(pk=competency.pk)
    returned_action = back.get_model("development", "DevelopmentAction").objects.get(
        pk=action.pk)

    assert (returned.name_nl, returned.name_en) == ("Plannen", "Planning")
    assert (returned.description_nl, returned.description_en) == (
        "Het werk plannen.", "Planning the work.")
    assert (returned_action.when_to_choose_nl, returned_action.when_to_choose_en,
            returned_action.points_of_attention_en) == ("Eén.\nTwee.", "", "Mind.")
    assert back.get_model("development", "CompetencyCluster").objects.get(
        pk=cluster.pk).name_en == "Dealing with tasks"
