"""The database guards of improvement migration 0002: what both signed in an improvement
plan never changes, in SQL either; what comes after the signatures (an extension by
agreement, the decision) is still written, and a decision stays once taken. On
PostgreSQL a signed plan is deleted only by the retention run, as signed reports are.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)": the plan is agreed
and signed by both; our house rule: signed records never change."""

import datetime as dt
import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from koers.core import clock
from koers.improvement.models import ImprovementGoal, ImprovementPlan, ImprovementSignature
from tests import personas
from tests.factories import improvement as plans

pytestmark = pytest.mark.django_db

guards = importlib.import_module("koers.improvement.migrations.0002_signed_plans_are_immutable")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="deletes: PostgreSQL only")


@pytest.fixture
def p():
    with clock.frozen(plans.moment(dt.date(2026, 1, 5))):
        yield personas.build()


@pytest.fixture
def plan(p) -> ImprovementPlan:
    return plans.running(p.employee, p.manager)


def _raw(sql: str, params: tuple[object, ...] = ()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_column_of_a_signed_plan_is_kept_or_free_for_a_reason():
    columns = {field.column for field in ImprovementPlan._meta.concrete_fields}
    assert columns == set(guards.SIGNED) | set(guards.MAY_CHANGE)
    assert not set(guards.SIGNED) & set(guards.MAY_CHANGE)
    assert {f.column for f in ImprovementGoal._meta.concrete_fields} == set(guards.GOAL_COLUMNS)


@pytest.mark.parametrize("sql", [
    "UPDATE improvement_improvementplan SET grounds = 'Other grounds' WHERE id = %s",
    "UPDATE improvement_improvementplan SET seal = 'f00' WHERE id = %s",
    "UPDATE improvement_improvementplan SET employee_remarks = 'Changed' WHERE id = %s",
    "UPDATE improvement_improvementplan SET period_start = '2001-01-01' WHERE id = %s",
])
def test_a_signed_plan_cannot_be_changed_in_sql(plan, sql):
    with pytest.raises(IntegrityError, match="signed improvement plan never changes"):
        _raw(sql, (plan.pk,))


def test_its_goals_and_signatures_cannot_be_changed_in_sql(plan):
    with pytest.raises(IntegrityError, match="expected improvements of a signed"):
        _raw("UPDATE improvement_improvementgoal SET expected = 'Less' WHERE plan_id = %s",
             (plan.pk,))
    with pytest.raises(IntegrityError, match="signature under an improvement plan"):
        _raw("UPDATE improvement_improvementsignature SET name = 'Someone Else' "
             "WHERE plan_id = %s", (plan.pk,))


def test_a_draft_is_still_changed_and_a_decision_stays_once_taken(p, plan):
    draft = plans.draft(p.colleague, p.manager)
    _raw("UPDATE improvement_improvementplan SET grounds = 'Clearer' WHERE id = %s",
         (draft.pk,))
    _raw("UPDATE improvement_improvementplan SET status = 'met', decided_on = '2026-04-04', "
         "decided_by_id = %s, motivation = 'Reached' WHERE id = %s", (p.manager.pk, plan.pk))

    with pytest.raises(IntegrityError, match="signed improvement plan never changes"):
        _raw("UPDATE improvement_improvementplan SET status = 'not_met' WHERE id = %s",
             (plan.pk,))
    assert ImprovementPlan.objects.get(pk=draft.pk).grounds == "Clearer"
    assert ImprovementPlan.objects.get(pk=plan.pk).status == "met"


@postgresql_only
@pytest.mark.parametrize("sql", [
    "DELETE FROM improvement_improvementsignature WHERE plan_id = %s",
    "DELETE FROM improvement_improvementgoal WHERE plan_id = %s",
    "DELETE FROM improvement_improvementplan WHERE id = %s",
])
def test_postgresql_refuses_deleting_what_was_signed_outside_the_eraser(plan, sql):
    with pytest.raises(IntegrityError, match="improvement plan never change"):
        _raw(sql, (plan.pk,))
    assert ImprovementSignature.objects.filter(plan=plan).count() == 2


@postgresql_only
def test_postgresql_lets_the_eraser_delete_a_signed_plan(plan):
    from koers.core.erasure import signed_rows_erasable

    with signed_rows_erasable():
        ImprovementPlan.objects.filter(pk=plan.pk).delete()
    assert not ImprovementGoal.objects.filter(plan_id=plan.pk).exists()
