"""HR edits the catalogues; the matrix proposes development actions per competency."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.development import selectors
from koers.development.models import (
    Competency,
    CompetencyCluster,
    DevelopmentAction,
    Recommendation,
)
from koers.development.services import catalogue
from koers.development.states import RecommendationValue
from tests import factories, personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    built = personas.build()
    dev.seeded(built.employee.organisation)
    return built


def _codes(actions):
    return [action.code for action in actions]


def test_the_matrix_proposes_what_the_guide_proposes_for_structuring_work(p):
    # The POP guide, Stap 2.4: "deelnemen aan een project, documenten creëren, coaching
    # krijgen, hulp krijgen, een klassieke opleiding krijgen en mentoring krijgen".
    competency = dev.competency(p.top.organisation, "werk-structureren")
    assert _codes(selectors.recommended_actions(competency)) == [
        "aan-een-project-deelnemen", "documenten-opstellen", "coaching-krijgen",
        "onderlinge-hulp-krijgen", "klassieke-opleiding-volgen", "mentoring-krijgen"]


def test_the_matrix_proposes_what_the_guide_proposes_for_supporting(p):
    # The POP guide, Stap 2.4, for "ondersteunen": trainer or coach, workplace learning, a
    # project, intervision, a network, coaching, help, classroom training, mentoring.
    competency = dev.competency(p.top.organisation, "ondersteunen")
    assert _codes(selectors.recommended_actions(competency)) == [
        "opleider-of-coach-zijn", "werkplekleren", "aan-een-project-deelnemen",
        "aan-intervisie-deelnemen", "netwerken", "coaching-krijgen",
        "onderlinge-hulp-krijgen", "klassieke-opleiding-volgen", "mentoring-krijgen"]


def test_the_advice_names_unknown_cells_as_no_recommendation_yet(p):
    competency = dev.competency(p.top.organisation, "stressbestendigheid-tonen")
    advice = selectors.advice_for(competency)
    assert [a.value for a in advice] == [RecommendationValue.NOT_RECOMMENDED] * 6 + \
        [RecommendationValue.UNKNOWN] * 9
    assert selectors.recommended_actions(competency) == []


def test_hr_fills_in_an_unknown_cell(p):
    org = p.top.organisation
    competency = dev.competency(org, "stressbestendigheid-tonen")
    coaching = dev.action(org, "coaching-krijgen")

    cell = catalogue.recommendation_set(actor=viewer(p.hr), competency=competency,
                                        action=coaching, value="recommended")

    assert (cell.value, cell.changed_by) == (RecommendationValue.RECOMMENDED, p.hr.user)
    assert _codes(selectors.recommended_actions(competency)) == ["coaching-krijgen"]
    assert AuditEvent.objects.filter(action="recommendation.changed").count() == 1
    assert selectors.matrix(org).unknown_count == 80


def test_only_hr_of_the_whole_organisation_edits_the_catalogue(p):
    org = p.top.organisation
    competency = dev.competency(org, "begrijpen")
    for person in (p.employee, p.manager, p.team_hr):
        with pytest.raises(ValidationFailed):
            catalogue.competency_change(actor=viewer(person), competency=competency,
                                        changes={"descriptions": {"nl": "Anders."}})
    with pytest.raises(NotFoundOrForbidden):
        catalogue.competency_change(actor=viewer(p.outsider), competency=competency,
                                    changes={"descriptions": {"nl": "Anders."}})


def test_an_own_competency_gets_a_cell_for_every_action_without_recommendation(p):
    org = p.top.organisation
    cluster = catalogue.cluster_create(actor=viewer(p.hr), organisation=org,
                                       names={"nl": "Technische competenties",
                                              "en": "Technical competencies"})
    competency = catalogue.competency_create(
        actor=viewer(p.hr), organisation=org, cluster=cluster,
        names={"nl": "Brieven en verslagen opmaken", "en": "Writing letters and reports"})

    values = list(Recommendation.objects.filter(competency=competency)
                  .values_list("value", flat=True))
    assert values == [RecommendationValue.UNKNOWN] * 15
    assert competency.code == "brieven-en-verslagen-opmaken"
    assert [c.names["nl"] for c in selectors.clusters_with_competencies(org)[-1].competencies.all()
            ] == ["Brieven en verslagen opmaken"]


def test_an_own_action_gets_a_cell_for_every_competency(p):
    org = p.top.organisation
    action = catalogue.development_action_create(
        actor=viewer(p.hr), organisation=org, names={"nl": "Jobrotatie", "en": "Job rotation"},
        when_to_choose_texts={"nl": "De medewerker wil de organisatie breder leren kennen."})
    assert Recommendation.objects.filter(action=action).count() == 40
    assert action.when_to_choose == ["De medewerker wil de organisatie breder leren kennen."]


def test_a_name_is_used_once(p):
    org = p.top.organisation
    cluster = selectors.clusters_with_competencies(org)[0]
    with pytest.raises(ValidationFailed, match=r"already|al een"):
        catalogue.competency_create(actor=viewer(p.hr), organisation=org, cluster=cluster,
                                    names={"nl": "werk structureren"})


def test_a_change_replaces_the_languages_given_and_keeps_the_others(p):
    org = p.top.organisation
    competency = dev.competency(org, "begrijpen")
    french = competency.names["fr"]  # seeded; the interface need not offer French yet

    catalogue.competency_change(actor=viewer(p.hr), competency=competency,
                                changes={"names": {"en": " Grasping "}})
    competency.refresh_from_db()

    assert competency.names == {"nl": "Begrijpen", "en": "Grasping", "fr": french,
                                "de": competency.names["de"]}
    event = AuditEvent.objects.filter(action="competency.changed").latest("pk")
    assert event.changes["names"][1]["en"] == "Grasping"
    # An empty text removes the language's: the reader gets the default language's.
    catalogue.competency_change(actor=viewer(p.hr), competency=competency,
                                changes={"descriptions": {"en": ""}})
    competency.refresh_from_db()
    assert "en" not in competency.descriptions
    with translation.override("en"):
        assert competency.description == competency.descriptions["nl"]


def test_without_the_readers_language_the_catalogue_reads_the_organisations_first(
        p, django_assert_max_num_queries):
    org = p.top.organisation
    org.language = "fr"
    org.save(update_fields=["language"])
    actor = viewer(p.hr)
    cluster = catalogue.cluster_create(actor=actor, organisation=org, names={
        "nl": "Technische competenties", "fr": "Compétences techniques"})
    competency = catalogue.competency_create(
        actor=actor, organisation=org, cluster=cluster,
        names={"nl": "Brieven opmaken", "fr": "Rédiger des lettres"},
        descriptions={"nl": "Helder schrijven.", "fr": "Écrire clairement."})
    catalogue.development_action_create(
        actor=actor, organisation=org, names={"nl": "Jobrotatie", "fr": "Rotation"},
        definitions={"nl": "Een tijd een andere job doen.", "fr": "Un autre poste un temps."},
        when_to_choose_texts={"fr": "Pour connaître l'organisation."},
        points_of_attention_texts={"nl": "Plan het samen.", "fr": "Planifiez-le ensemble."})

    # Read through the organisation, the entries carry it: no query more for the fallback.
    with translation.override("de"):
        with django_assert_max_num_queries(2):
            last = selectors.clusters_with_competencies(org)[-1]
            assert last.name == "Compétences techniques"
            assert [(c.name, c.description) for c in last.competencies.all()] == [
                ("Rédiger des lettres", "Écrire clairement.")]
        with django_assert_max_num_queries(1):
            assert list(selectors.competencies_for(org))[-1].name == "Rédiger des lettres"
        with django_assert_max_num_queries(1):
            action = list(selectors.development_actions(org))[-1]
            assert (action.name, action.definition, action.when_to_choose,
                    action.points_of_attention) == (
                "Rotation", "Un autre poste un temps.", ["Pour connaître l'organisation."],
                ["Planifiez-le ensemble."])
        # Read without its organisation (e.g. a plan's row): the default language's, as
        # before, rather than a query more.
        alone = Competency.objects.get(pk=competency.pk)
        with django_assert_max_num_queries(0):
            assert alone.name == "Brieven opmaken"
    # The reader's language first, whatever the organisation's.
    with translation.override("nl"):
        assert list(selectors.competencies_for(org))[-1].name == "Brieven opmaken"


def test_a_name_in_the_default_language_is_required_and_bounded(p):
    org = p.top.organisation
    cluster = selectors.clusters_with_competencies(org)[0]
    competency = dev.competency(org, "begrijpen")
    before = Competency.objects.count()

    with pytest.raises(ValidationFailed) as empty:
        catalogue.competency_create(actor=viewer(p.hr), organisation=org, cluster=cluster,
                                    names={"en": "Only English"})
    with pytest.raises(ValidationFailed) as removed:
        catalogue.competency_change(actor=viewer(p.hr), competency=competency,
                                    changes={"names": {"nl": "  "}})
    with pytest.raises(ValidationFailed) as long:
        catalogue.cluster_create(actor=viewer(p.hr), organisation=org,
                                 names={"nl": "x" * 201})
    with pytest.raises(ValidationFailed) as unknown:
        catalogue.development_action_create(actor=viewer(p.hr), organisation=org,
                                            names={"nl": "Jobrotatie", "xx": "?"})

    assert list(empty.value.errors) == list(removed.value.errors) == ["names.nl"]
    assert list(long.value.errors) == ["names.nl"]
    assert list(unknown.value.errors) == ["names"]
    assert Competency.objects.count() == before
    competency.refresh_from_db()
    assert competency.names["nl"] == "Begrijpen"


def test_the_database_keeps_a_name_in_the_default_language_and_unique(p):
    org = p.top.organisation
    cluster = selectors.clusters_with_competencies(org)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Competency.objects.create(organisation=org, cluster=cluster, code="x",
                                  names={"en": "Nameless in Dutch"})
    for nameless in ({"nl": ""}, {"nl": None}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Competency.objects.create(organisation=org, cluster=cluster, code="y",
                                      names=nameless)
    with pytest.raises(IntegrityError), transaction.atomic():
        Competency.objects.create(organisation=org, cluster=cluster, code="z",
                                  names={"nl": "BEGRIJPEN"})
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentAction.objects.create(organisation=org, code="w", names={"nl": "E-LEARNING"})
    # Another organisation may use the name.
    other = factories.organisation()
    own = CompetencyCluster.objects.create(organisation=other, code="c", names={"nl": "C"})
    Competency.objects.create(organisation=other, cluster=own, code="z",
                              names={"nl": "Begrijpen"})


def test_an_archived_competency_is_no_longer_offered(p):
    org = p.top.organisation
    competency = dev.competency(org, "inspireren")
    catalogue.competency_change(actor=viewer(p.hr), competency=competency,
                                changes={"active": False})
    assert competency not in selectors.competencies_for(org)
    assert selectors.competencies_for(org).count() == 39


def test_the_profile_of_a_job_title_lists_its_competencies_in_order(p):
    org = p.top.organisation
    chosen = [dev.competency(org, code) for code in (
        "informatie-verwerken", "werk-structureren", "problemen-oplossen")]
    catalogue.competency_profile_save(actor=viewer(p.hr), organisation=org,
                                      job_title="Administratief assistent", competencies=chosen)
    p.employee.job_title = "administratief ASSISTENT"
    p.employee.save()

    profile = selectors.profile_for(p.employee)
    assert selectors.profile_competencies(profile) == chosen
    assert selectors.profile_for(p.colleague) is None

    catalogue.competency_profile_save(actor=viewer(p.hr), organisation=org,
                                      job_title="Administratief Assistent",
                                      competencies=chosen[:1])
    assert selectors.profile_competencies(selectors.profile_for(p.employee)) == chosen[:1]


def test_a_profile_takes_only_the_organisations_competencies(p):
    other = factories.organisation()
    dev.seeded(other)
    with pytest.raises(ValidationFailed):
        catalogue.competency_profile_save(
            actor=viewer(p.hr), organisation=p.top.organisation, job_title="Adviseur",
            competencies=[dev.competency(other, "begrijpen")])
