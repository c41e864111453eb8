"""The organisation's training plan (opleidingsplan, GOP): HR of the whole organisation
keeps it, everyone of the organisation reads it; the plans in force on a day are what
the preparation forms show beside them."""

import datetime as dt

import pytest
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.development import training_plans as reads
from koers.development.models import TrainingPlan
from koers.development.services import training_plans
from tests import personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

JAN_1, DEC_31 = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture
def p():
    built = personas.build()
    dev.seeded(built.employee.organisation)
    dev.seeded(built.outsider.organisation)
    return built


def _create(p, **fields):
    values = {"title": "Opleidingsplan 2026", "valid_from": JAN_1, "valid_until": DEC_31,
              "objectives": "Alle administratief assistenten: de nieuwe software leren."}
    values.update(fields)
    return training_plans.training_plan_create(actor=viewer(p.hr),
                                               organisation=p.employee.organisation, **values)


def _refusal(call, language):
    with translation.override(language), pytest.raises(ValidationFailed) as refused:
        call()
    return refused.value


# Writes -------------------------------------------------------------------------------


def test_hr_adds_a_training_plan_targeting_competencies_with_an_audit_event(p):
    org = p.employee.organisation
    structure = dev.competency(org, "werk-structureren")
    support = dev.competency(org, "ondersteunen")

    plan = _create(p, competencies=[support, structure, support],
                   document_url=" https://intranet.example/gop-2026.pdf ", title="  GOP 2026 ")

    assert (plan.title, plan.valid_from, plan.valid_until, plan.document_url) == (
        "GOP 2026", JAN_1, DEC_31, "https://intranet.example/gop-2026.pdf")
    assert sorted(c.code for c in plan.competencies.all()) == ["ondersteunen",
                                                                "werk-structureren"]
    event = AuditEvent.objects.get(action="training_plan.created")
    assert (event.actor_id, event.organisation_id) == (p.hr.user_id, org.pk)


def test_hr_changes_the_period_and_the_competencies_in_one_audited_change(p):
    org = p.employee.organisation
    plan = _create(p, competencies=[dev.competency(org, "werk-structureren")])

    training_plans.training_plan_change(
        actor=viewer(p.hr), plan=plan,
        changes={"valid_until": dt.date(2027, 6, 30),
                 "competencies": [dev.competency(org, "ondersteunen")]})

    plan.refresh_from_db()
    assert plan.valid_until == dt.date(2027, 6, 30)
    assert [c.code for c in plan.competencies.all()] == ["ondersteunen"]
    assert AuditEvent.objects.filter(action="training_plan.changed").count() == 1


def test_a_change_that_changes_nothing_is_refused(p):
    plan = _create(p)

    refusal = _refusal(lambda: training_plans.training_plan_change(
        actor=viewer(p.hr), plan=plan, changes={"title": " Opleidingsplan 2026 "}), "en")

    assert refusal.message == "Nothing was changed."
    assert AuditEvent.objects.filter(action="training_plan.changed").count() == 0


def test_hr_removes_a_training_plan_and_the_removal_is_audited(p):
    plan = _create(p)

    training_plans.training_plan_remove(actor=viewer(p.hr), plan=plan)

    assert TrainingPlan.objects.count() == 0
    event = AuditEvent.objects.get(action="training_plan.removed")
    assert event.actor_id == p.hr.user_id


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr", "director"])
def test_only_hr_of_the_whole_organisation_keeps_the_training_plan(p, who):
    plan = _create(p)
    actor = viewer(getattr(p, who))

    with pytest.raises(ValidationFailed):
        training_plans.training_plan_create(
            actor=actor, organisation=p.employee.organisation, title="Eigen plan",
            valid_from=JAN_1, valid_until=DEC_31)
    with pytest.raises(ValidationFailed):
        training_plans.training_plan_change(actor=actor, plan=plan, changes={"title": "Ander"})
    with pytest.raises(ValidationFailed):
        training_plans.training_plan_remove(actor=actor, plan=plan)

    assert list(TrainingPlan.objects.values_list("title", flat=True)) == [
        "Opleidingsplan 2026"]


def test_another_organisation_is_told_the_plan_does_not_exist(p):
    plan = _create(p)

    with pytest.raises(NotFoundOrForbidden):
        training_plans.training_plan_remove(actor=viewer(p.outsider), plan=plan)

    assert TrainingPlan.objects.filter(pk=plan.pk).exists()


# Validation, in Dutch and in English ----------------------------------------------------


@pytest.mark.parametrize(("language", "message"), [
    ("en", "The plan cannot end before it starts: choose an end date on or after its start "
           "date."),
    ("nl", "Het plan kan niet eindigen voor het begint: kies een einddatum op of na de "
           "begindatum."),
])
def test_a_period_that_ends_before_it_starts_is_refused(p, language, message):
    refusal = _refusal(lambda: _create(p, valid_from=DEC_31, valid_until=JAN_1), language)

    assert refusal.errors == {"valid_until": [message]}
    assert TrainingPlan.objects.count() == 0


def test_a_one_day_period_is_allowed(p):
    plan = _create(p, valid_from=JAN_1, valid_until=JAN_1)

    assert reads.training_plans_in_force(p.employee.organisation, on=JAN_1) == [plan]


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Give the training plan a title."),
    ("nl", "Geef het opleidingsplan een titel."),
])
def test_a_plan_without_a_title_is_refused(p, language, message):
    refusal = _refusal(lambda: _create(p, title="   "), language)

    assert refusal.errors == {"title": [message]}


@pytest.mark.parametrize(("language", "message"), [
    ("en", "Choose competencies of this organisation."),
    ("nl", "Kies competenties van deze organisatie."),
])
def test_a_competency_of_another_organisation_is_refused(p, language, message):
    elsewhere = dev.competency(p.outsider.organisation, "werk-structureren")

    refusal = _refusal(lambda: _create(p, competencies=[elsewhere]), language)

    assert refusal.errors == {"competencies": [message]}
    assert TrainingPlan.objects.count() == 0


def test_a_change_to_an_end_before_the_start_is_refused_and_nothing_changes(p):
    plan = _create(p)

    refusal = _refusal(lambda: training_plans.training_plan_change(
        actor=viewer(p.hr), plan=plan, changes={"valid_until": dt.date(2025, 12, 31)}), "en")

    assert list(refusal.errors) == ["valid_until"]
    plan.refresh_from_db()
    assert plan.valid_until == DEC_31


def test_a_link_that_is_no_web_address_is_refused(p):
    refusal = _refusal(lambda: _create(p, document_url="gop op de gedeelde schijf"), "en")

    assert list(refusal.errors) == ["document_url"]


# Reads --------------------------------------------------------------------------------


def test_the_plans_in_force_on_a_day_include_both_ends_of_their_period(p):
    org = p.employee.organisation
    current = _create(p, title="Huidig")
    _create(p, title="Vorig", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31))
    _create(p, title="Volgend", valid_from=dt.date(2027, 1, 1), valid_until=dt.date(2027, 12, 31))

    assert reads.training_plans_in_force(org, on=JAN_1) == [current]
    assert reads.training_plans_in_force(org, on=DEC_31) == [current]
    assert [plan.title for plan in reads.training_plans_in_force(
        org, on=dt.date(2025, 12, 31))] == ["Vorig"]
    assert [plan.title for plan in reads.training_plans_of(org)] == [
        "Volgend", "Huidig", "Vorig"]


def test_the_plans_of_another_organisation_are_not_in_force_here(p):
    _create(p)

    assert reads.training_plans_in_force(p.outsider.organisation, on=JAN_1) == []


def test_the_plans_in_force_read_in_two_queries_however_many(p, django_assert_num_queries):
    org = p.employee.organisation
    for n in range(3):
        _create(p, title=f"Plan {n}", competencies=[dev.competency(org, "ondersteunen")])

    with django_assert_num_queries(2):
        plans = reads.training_plans_in_force(org, on=JAN_1)
        names = [c.names["nl"] for plan in plans for c in plan.competencies.all()]

    assert names == ["Ondersteunen"] * 3


# The demo ---------------------------------------------------------------------------
