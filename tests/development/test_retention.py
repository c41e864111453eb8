"""Retention of development data: a leaver's plans, preparations and self-scan go, with
the plans' rows, rounds, signatures and training demand; everyone's plans that closed or
ended and preparations untouched since before the cutoff go; the rest stays."""

import datetime as dt

import pytest

from koers.audit import services as audit
from koers.audit.models import AuditEvent
from koers.core import clock
from koers.development.models import (
    Competency,
    DepartmentPreparation,
    DevelopmentPlan,
    EmployeePreparation,
    HrAction,
    ManagerPreparation,
    PlanItem,
    PlanRound,
    PlanSignature,
    SelfScan,
)
from koers.development.services import plans, preparations
from koers.development.states import PlanStatus
from koers.organisation.models import Person
from tests import personas
from tests.access import erasure
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

THEN = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)  # when the data is made
NOW = dt.datetime(2033, 3, 2, 12, tzinfo=dt.UTC)  # retention keeps five years: 2 March 2028
RECENT = dt.datetime(2032, 5, 1, 12, tzinfo=dt.UTC)  # last changed within the period
MODELS = (DevelopmentPlan, ManagerPreparation, DepartmentPreparation, EmployeePreparation,
          SelfScan)


@pytest.fixture
def p() -> personas.Personas:
    with clock.frozen(THEN):
        return personas.build()


def _signed_with_demand(employee: Person, manager: Person, **period: dt.date) -> DevelopmentPlan:
    """A signed plan with a row, a goal and a registration HR must arrange."""
    plan = dev.draft(employee, manager, **period)
    row = dev.item(plan, manager, "werk-structureren")
    plans.plan_hr_action_add(actor=viewer(manager), item=row,
                             description="Inschrijving voor de opleiding",
                             action=dev.action(plan.organisation, "klassieke-opleiding-volgen"))
    plans.plan_sign(actor=viewer(manager), plan=plan)
    plans.plan_sign(actor=viewer(employee), plan=plan)
    return plan


def _prepared(employee: Person, manager: Person) -> None:
    """A self-scan, the employee's preparation and the manager's about them."""
    preparations.self_scan_save(actor=viewer(employee), changes={"who_am_i": "Nauwkeurig."})
    preparations.employee_preparation_start(actor=viewer(employee))
    preparations.manager_preparation_start(actor=viewer(manager), employee=employee)


def _last_changed(moment: dt.datetime, person: Person | None = None) -> None:
    """Every plan and preparation (about ``person``) was last changed at ``moment``
    (auto_now ignores the frozen clock)."""
    for model in MODELS:
        records = model.objects.all()
        if person is not None:
            records = records.filter(**{
                "author" if model is DepartmentPreparation else "employee": person})
        records.update(updated_at=moment)


def _of(person: Person) -> dict[str, int]:
    return {
        "plans": DevelopmentPlan.objects.filter(employee=person).count(),
        "rows": PlanItem.objects.filter(plan__employee=person).count(),
        "rounds": PlanRound.objects.filter(plan__employee=person).count(),
        "signatures": PlanSignature.objects.filter(round__plan__employee=person).count(),
        "demand": HrAction.objects.filter(item__plan__employee=person).count(),
        "self_scans": SelfScan.objects.filter(employee=person).count(),
        "employee_preparations": EmployeePreparation.objects.filter(employee=person).count(),
        "manager_preparations": ManagerPreparation.objects.filter(employee=person).count(),
    }


NOTHING = dict.fromkeys(("plans", "rows", "rounds", "signatures", "demand", "self_scans",
                         "employee_preparations", "manager_preparations"), 0)


@pytest.fixture
def marc_left(p: personas.Personas) -> personas.Personas:
    """Marc has a signed plan, preparations and a self-scan, all changed recently, and
    left in 2027; Ratana prepared her team's conversations."""
    with clock.frozen(THEN):
        _signed_with_demand(p.employee, p.manager)
        _prepared(p.employee, p.manager)
        preparations.department_preparation_start(actor=viewer(p.manager), unit=p.team)
    _last_changed(RECENT)
    erasure.leave(p.employee, p.hr, on=dt.date(2027, 6, 30))
    erasure.keep_for(p.hr, 5, on=NOW)
    return p


def test_a_leavers_plan_preparations_and_self_scan_go_with_the_training_demand(marc_left):
    p = marc_left
    assert _of(p.employee) == {"plans": 1, "rows": 1, "rounds": 1, "signatures": 2,
                               "demand": 1, "self_scans": 1, "employee_preparations": 1,
                               "manager_preparations": 1}

    report = erasure.run(p.employee, on=NOW)

    assert _of(p.employee) == NOTHING
    assert DepartmentPreparation.objects.filter(author=p.manager).count() == 1  # recent
    assert Competency.objects.filter(code="werk-structureren").exists()  # the catalogue
    assert {key: report.counts[key] for key in (
        "development_plans", "self_scans", "employee_preparations", "manager_preparations",
        "department_preparations")} == {
        "development_plans": 1, "self_scans": 1, "employee_preparations": 1,
        "manager_preparations": 1, "department_preparations": 0}


def test_closed_and_ended_plans_and_old_preparations_go_and_the_rest_stays(p):
    with clock.frozen(THEN):
        closed = _signed_with_demand(p.colleague, p.manager)
        plans.plan_close(actor=viewer(p.manager), plan=closed)
        ended = _signed_with_demand(p.employee, p.manager)  # 2026–2027, never closed
        _prepared(p.colleague, p.manager)
        old_view = preparations.department_preparation_start(actor=viewer(p.manager),
                                                             unit=p.team)
        running = _signed_with_demand(p.colleague, p.manager,
                                      period_start=dt.date(2028, 1, 1),
                                      period_end=dt.date(2028, 12, 31))
        _prepared(p.employee, p.manager)
    _last_changed(dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    _last_changed(RECENT, p.employee)  # Marc's preparations and plan: recent
    DevelopmentPlan.objects.filter(pk=ended.pk).update(updated_at=THEN)
    erasure.keep_for(p.hr, 5, on=NOW)

    erasure.run(p.employee, on=NOW)

    # Peter's closed plan and old preparations go; his running plan stays, untouched since
    # 2026 but its period still runs after the cutoff.
    assert list(DevelopmentPlan.objects.values_list("pk", flat=True)) == [running.pk]
    assert DevelopmentPlan.objects.get(pk=running.pk).status == PlanStatus.SIGNED
    assert HrAction.objects.filter(item__plan=running).count() == 1
    assert not DepartmentPreparation.objects.filter(pk=old_view.pk).exists()
    colleague = _of(p.colleague)
    assert (colleague["self_scans"], colleague["employee_preparations"],
            colleague["manager_preparations"]) == (0, 0, 0)
    assert _of(p.employee) == {**NOTHING, "self_scans": 1, "employee_preparations": 1,
                               "manager_preparations": 1}


def test_a_dry_run_counts_and_changes_nothing(marc_left):
    p = marc_left
    before = _of(p.employee)
    events = AuditEvent.objects.count()

    dry = erasure.run(p.employee, on=NOW, dry_run=True)

    assert _of(p.employee) == before
    assert AuditEvent.objects.count() == events
    real = erasure.run(p.employee, on=NOW)
    assert dry.counts == real.counts
    assert dry.counts["development_plans"] == 1


def test_the_audit_trail_verifies_after_the_development_data_went(marc_left):
    p = marc_left
    plan = DevelopmentPlan.objects.get(employee=p.employee)
    chains = [audit.chain_of(plan), audit.chain_of(SelfScan.objects.get(employee=p.employee))]

    erasure.run(p.employee, on=NOW)

    assert erasure.audit_verifies()
    events = AuditEvent.objects.filter(chain__in=chains)
    assert events.count() > 2
    assert list(events.values_list("changes", flat=True)) == [{}] * events.count()
