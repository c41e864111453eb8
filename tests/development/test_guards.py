"""The database guards of development migration 0005: a signed round of a POP and its
signatures never change, in SQL either; on PostgreSQL they are deleted only by a member
of ``koers_erasure`` with the switch set (the retention run), as signed reports are."""

import datetime as dt
import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from koers.core import clock
from koers.development.models import DevelopmentPlan, PlanRound, PlanSignature
from tests import personas
from tests.factories import development as dev

pytestmark = pytest.mark.django_db

guards = importlib.import_module("koers.development.migrations.0005_signed_rounds_are_immutable")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="deletes: PostgreSQL only")


@pytest.fixture
def plan() -> DevelopmentPlan:
    with clock.frozen(dt.datetime(2026, 4, 22, 12, tzinfo=dt.UTC)):
        p = personas.build()
        return dev.signed(p.employee, p.manager, "werk-structureren")


def _raw(sql: str, params: tuple[object, ...] = ()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_column_of_a_signed_round_is_kept_or_free_for_a_reason():
    columns = {field.column for field in PlanRound._meta.concrete_fields}
    assert columns == set(guards.ROUND_KEPT) | set(guards.MAY_CHANGE)


@pytest.mark.parametrize("sql", [
    "UPDATE development_planround SET seal = 'f00' WHERE plan_id = %s",
    "UPDATE development_planround SET content = '{}' WHERE plan_id = %s",
    "UPDATE development_planround SET status = 'open' WHERE plan_id = %s",
    "UPDATE development_planround SET signed_on = '2001-01-01' WHERE plan_id = %s",
])
def test_a_signed_round_cannot_be_changed_in_sql(plan, sql):
    with pytest.raises(IntegrityError, match="signed round of a development plan"):
        _raw(sql, (plan.pk,))


def test_a_signature_cannot_be_changed_in_sql(plan):
    with pytest.raises(IntegrityError, match="signature under a development plan"):
        _raw("UPDATE development_plansignature SET name = 'Someone Else' WHERE round_id IN "
             "(SELECT id FROM development_planround WHERE plan_id = %s)", (plan.pk,))


def test_the_link_to_an_erased_conversation_may_still_be_emptied(plan):
    _raw("UPDATE development_planround SET conversation_id = NULL WHERE plan_id = %s",
         (plan.pk,))
    assert not PlanRound.objects.filter(plan=plan, conversation__isnull=False).exists()


@postgresql_only
@pytest.mark.parametrize("sql", [
    "DELETE FROM development_plansignature WHERE round_id IN "
    "(SELECT id FROM development_planround WHERE plan_id = %s)",
    "DELETE FROM development_planround WHERE plan_id = %s",
])
def test_postgresql_refuses_deleting_what_was_signed_outside_the_eraser(plan, sql):
    """Without the eraser's switch (and its role: evaluations' guard tests), refused."""
    with pytest.raises(IntegrityError, match="development plan never changes"):
        _raw(sql, (plan.pk,))
    assert PlanSignature.objects.filter(round__plan=plan).count() == 2


@postgresql_only
def test_postgresql_lets_the_eraser_delete_a_signed_plan(plan):
    from koers.core.erasure import signed_rows_erasable

    with signed_rows_erasable():
        DevelopmentPlan.objects.filter(pk=plan.pk).delete()
    assert not PlanRound.objects.filter(plan_id=plan.pk).exists()
