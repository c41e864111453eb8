"""The organisation's training demand: HR actions across plans, counted and arranged."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.development import exports, permissions, selectors
from koers.development.models import HrAction
from koers.development.services import demand, plans
from koers.development.states import HrActionStatus
from tests import personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)


@pytest.fixture
def p():
    with clock.frozen(NOON):
        yield personas.build()


def _plan_with_registration(employee, manager, *, term, code="werk-structureren",
                            action="klassieke-opleiding-volgen", sign=True,
                            description="Inschrijving voor de opleiding"):
    plan = dev.draft(employee, manager)
    row = dev.item(plan, manager, code)
    plans.plan_hr_action_add(actor=viewer(manager), item=row, description=description,
                             action=dev.action(plan.organisation, action), term=term)
    if sign:
        plans.plan_sign(actor=viewer(manager), plan=plan)
        plans.plan_sign(actor=viewer(employee), plan=plan)
    return plan


def test_the_demand_counts_per_action_and_competency_with_terms_and_status(p):
    _plan_with_registration(p.employee, p.manager, term=dt.date(2026, 5, 22))
    _plan_with_registration(p.colleague, p.manager, term=dt.date(2026, 6, 15))
    _plan_with_registration(p.unrelated_employee, p.unrelated_manager,
                            term=dt.date(2026, 7, 1), code="ondersteunen",
                            action="aan-intervisie-deelnemen")
    first = HrAction.objects.get(item__plan__employee=p.employee)
    demand.hr_action_arrange(actor=viewer(p.hr), hr_action=first, note="OFO, 12 mei")

    groups = selectors.training_demand(viewer(p.hr), p.top.organisation)

    assert [(g.action.code, g.competency.code, g.count, g.requested, g.arranged,
             g.first_term, g.last_term) for g in groups] == [
        ("aan-intervisie-deelnemen", "ondersteunen", 1, 1, 0,
         dt.date(2026, 7, 1), dt.date(2026, 7, 1)),
        ("klassieke-opleiding-volgen", "werk-structureren", 2, 1, 1,
         dt.date(2026, 5, 22), dt.date(2026, 6, 15)),
    ]
    requested = selectors.training_demand(viewer(p.hr), p.top.organisation,
                                          status=HrActionStatus.REQUESTED)
    assert sum(g.count for g in requested) == 2


def test_an_unsigned_plan_asks_nothing_of_hr_yet(p):
    _plan_with_registration(p.employee, p.manager, term=dt.date(2026, 5, 22), sign=False)
    assert selectors.training_demand(viewer(p.hr), p.top.organisation) == []


def test_hr_sees_the_demand_of_its_own_subtree_and_the_employee_none(p):
    _plan_with_registration(p.employee, p.manager, term=dt.date(2026, 5, 22))
    _plan_with_registration(p.unrelated_employee, p.unrelated_manager,
                            term=dt.date(2026, 7, 1))
    org = p.top.organisation

    team_hr = selectors.training_demand_rows(viewer(p.team_hr), org)
    assert [row.item.plan.employee for row in team_hr] == [p.unrelated_employee]
    assert list(selectors.training_demand_rows(viewer(p.employee), org)) == []
    assert permissions.can_view_training_demand(viewer(p.team_hr), org)
    assert not permissions.can_view_training_demand(viewer(p.manager), org)
    with pytest.raises(NotFoundOrForbidden):
        demand.hr_action_arrange(actor=viewer(p.team_hr),
                                 hr_action=HrAction.objects.get(item__plan__employee=p.employee))


def test_arranging_does_not_reopen_the_signed_plan(p):
    plan = _plan_with_registration(p.employee, p.manager, term=dt.date(2026, 5, 22))
    sealed = plan.rounds.get().seal
    hr_action = HrAction.objects.get()

    arranged = demand.hr_action_arrange(actor=viewer(p.hr), hr_action=hr_action)

    assert (arranged.status, arranged.arranged_on, arranged.arranged_by) == (
        HrActionStatus.ARRANGED, dt.date(2026, 4, 22), p.hr.user)
    plan.refresh_from_db()
    assert (plan.status, plan.rounds.get().seal) == ("signed", sealed)
    with pytest.raises(ValidationFailed):
        demand.hr_action_arrange(actor=viewer(p.hr), hr_action=hr_action)
    back = demand.hr_action_set_status(actor=viewer(p.hr), hr_action=hr_action,
                                       status=HrActionStatus.REQUESTED)
    assert (back.status, back.arranged_on, back.arranged_by) == (
        HrActionStatus.REQUESTED, None, None)


def test_an_arranged_action_is_not_removed_from_the_plan(p):
    plan = _plan_with_registration(p.employee, p.manager, term=dt.date(2026, 5, 22))
    demand.hr_action_arrange(actor=viewer(p.hr), hr_action=HrAction.objects.get())
    plans.plan_round_start(actor=viewer(p.manager), plan=plan)
    with pytest.raises(ValidationFailed):
        plans.plan_hr_action_remove(actor=viewer(p.manager), hr_action=HrAction.objects.get())


def test_the_export_rows_neutralise_what_a_spreadsheet_would_run(p):
    _plan_with_registration(p.employee, p.manager, term=dt.date(2026, 5, 22),
                            description="=HYPERLINK(\"http://x\")")
    groups = selectors.training_demand(viewer(p.hr), p.top.organisation)

    with translation.override("en"):
        summary_header, summary = exports.demand_summary_table(groups)
        detail_header, detail = exports.demand_detail_table(groups)

    assert summary_header[:3] == ["Development action", "Competency", "Number"]
    assert summary == [["Classroom training", "Structuring work", 1, 1, 0,
                        "2026-05-22", "2026-05-22"]]
    assert detail[0][2:8] == ["Marc Vandamme", p.employee.employee_number,
                              "Team Loonadministratie", "'=HYPERLINK(\"http://x\")",
                              "2026-05-22", "requested"]
    assert len(detail_header) == len(detail[0])


def test_the_demand_is_read_in_one_query_however_many_plans(p):
    hr = viewer(p.hr)
    _plan_with_registration(p.employee, p.manager, term=dt.date(2026, 5, 22))
    with CaptureQueriesContext(connection) as one:
        selectors.training_demand(hr, p.top.organisation)
    _plan_with_registration(p.colleague, p.manager, term=dt.date(2026, 6, 1),
                            code="ondersteunen")
    _plan_with_registration(p.unrelated_employee, p.unrelated_manager,
                            term=dt.date(2026, 7, 1))
    with CaptureQueriesContext(connection) as three:
        groups = selectors.training_demand(hr, p.top.organisation)
    assert sum(g.count for g in groups) == 3
    assert len(three) == len(one) == 1
