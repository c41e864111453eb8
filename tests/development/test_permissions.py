"""Who sees a development plan: the object question and the list question agree."""

import datetime as dt

import pytest

from koers.access import services as access_services
from koers.access.models import Scope
from koers.core import clock
from koers.development import permissions
from koers.organisation.models import PolicyPreset
from tests import factories, personas
from tests.factories import development as dev
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 4, 22, 10, tzinfo=dt.UTC)


@pytest.fixture
def p():
    with clock.frozen(NOON):
        yield personas.build()


def _everyone(p):
    return {
        "employee": p.employee, "manager": p.manager, "second": p.department.manager,
        "director": p.director, "colleague": p.colleague, "hr": p.hr, "team_hr": p.team_hr,
        "unrelated_manager": p.unrelated_manager, "outsider": p.outsider,
    }


def test_the_employee_and_their_evaluators_see_the_plan_and_nobody_else(p):
    plan = dev.draft(p.employee, p.manager)
    seen = {name for name, person in _everyone(p).items()
            if permissions.can_view_plan(viewer(person), plan)}
    # The director is the 2nd evaluator's manager: not in Marc's line.
    assert seen == {"employee", "manager", "second"}


def test_the_object_and_list_questions_agree(p):
    plans = [dev.draft(p.employee, p.manager), dev.draft(p.colleague, p.manager),
             dev.draft(p.unrelated_employee, p.unrelated_manager)]
    for person in _everyone(p).values():
        who = viewer(person)
        assert set(permissions.plans_visible_to(who)) == {
            plan for plan in plans if permissions.can_view_plan(who, plan)}


def test_only_the_employee_and_the_first_evaluator_build_and_sign(p):
    plan = dev.draft(p.employee, p.manager)
    roles = {name: permissions.signer_role(viewer(person), plan)
             for name, person in _everyone(p).items()}
    assert {name: role for name, role in roles.items() if role} == {
        "employee": "employee", "manager": "first_evaluator"}
    assert {name for name, person in _everyone(p).items()
            if permissions.can_edit_plan(viewer(person), plan)} == {"employee", "manager"}


def test_hr_reads_a_plan_only_under_a_granted_request_and_that_read_is_to_be_logged(p):
    plan = dev.draft(p.employee, p.manager)
    hr = viewer(p.hr)
    assert permissions.plan_for(hr, plan.pk) is None
    request = access_services.access_request_create(
        actor=hr, subject=p.employee, scope=Scope.GOALS, reason="Klacht over de begeleiding",
        valid_from=dt.date(2026, 4, 1), valid_until=dt.date(2026, 4, 30))
    access_services.access_request_decide(actor=viewer(p.department.manager),
                                          request=request, grant=True)

    hr = viewer(p.hr)
    assert permissions.plan_for(hr, plan.pk) == plan
    assert list(permissions.plans_visible_to(hr)) == [plan]
    assert permissions.read_under_grant(hr, plan)
    assert not permissions.read_under_grant(viewer(p.manager), plan)
    assert not permissions.can_edit_plan(hr, plan)


def test_hr_reads_plans_where_the_policy_gives_it_standing_access():
    org = factories.organisation(preset=PolicyPreset.DUTCH_MUNICIPAL)
    top = factories.unit(org)
    manager = factories.person(top, manages=top, with_user=True)
    employee = factories.person(top, with_user=True)
    hr = factories.person(top, with_user=True)
    factories.grant(hr, "hr", top)
    plan = dev.draft(employee, manager)

    assert permissions.can_view_plan(viewer(hr), plan)
    assert not permissions.read_under_grant(viewer(hr), plan)


def test_a_missing_plan_and_a_forbidden_one_look_the_same(p):
    plan = dev.draft(p.employee, p.manager)
    assert permissions.plan_for(viewer(p.colleague), plan.pk) is None
    assert permissions.plan_for(viewer(p.colleague), plan.pk + 1000) is None
