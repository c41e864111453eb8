"""Who sees which case: the object half and the list half agree, for every persona."""

import datetime as dt

import pytest

from koers.consequences import permissions, services
from koers.consequences.models import Appeal, SalaryDecision, SalaryObjection
from koers.consequences.states import AppealOutcome
from koers.evaluations import permissions as evaluation_permissions
from koers.organisation import services as organisation_services
from tests import factories
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(p, bodies):
    """Marc's onvoldoende under appeal; Peter's step 0 with an objection filed."""
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    decision = cf.decide(bodies.management, {cf.delivered(p, p.colleague): 0})[0]
    objection = cf.objection(decision)
    return appeal, decision, objection


def _everyone(p, bodies):
    return {"employee": p.employee, "colleague": p.colleague, "manager": p.manager,
            "second": p.department.manager, "unrelated manager": p.unrelated_manager,
            "hr": p.hr, "team hr": p.team_hr, "outsider": p.outsider,
            "management body": bodies.management, "advisory body": bodies.advisory,
            "appeal board": bodies.board}


def test_the_object_and_list_halves_agree_for_everyone(p, bodies, cases) -> None:
    for name, person in _everyone(p, bodies).items():
        viewer = ev.viewer(person)
        for model, listed, can in (
            (Appeal, permissions.appeals_visible_to, permissions.can_view_appeal),
            (SalaryDecision, permissions.decisions_visible_to, permissions.can_view_decision),
            (SalaryObjection, permissions.objections_visible_to,
             permissions.can_view_objection),
        ):
            by_object = {obj.pk for obj in model.objects.all() if can(viewer, obj)}
            assert set(listed(viewer).values_list("pk", flat=True)) == by_object, (name, model)


def _who(p, bodies, question, obj) -> set[str]:
    return {name for name, person in _everyone(p, bodies).items()
            if question(ev.viewer(person), obj)}


def test_the_appeal_board_reads_the_file_only_while_the_appeal_is_before_it(p, bodies,
                                                                            cases) -> None:
    appeal, _decision, _objection = cases

    assert _who(p, bodies, permissions.can_view_appeal, appeal) == {
        "employee", "manager", "second", "hr", "appeal board"}
    assert _who(p, bodies, permissions.can_read_appeal_grounds, appeal) == {
        "employee", "manager", "second", "appeal board"}
    assert _who(p, bodies, permissions.can_read_appeal_file, appeal) == {"appeal board"}
    decided = cf.decide_appeal(p, appeal, outcome=AppealOutcome.KEPT)
    assert _who(p, bodies, permissions.can_read_appeal_file, decided) == set()
    assert "appeal board" not in _who(p, bodies, permissions.can_view_appeal, decided)


def test_the_advisory_body_then_the_management_body_read_the_objection(p, bodies,
                                                                      cases) -> None:
    _appeal, decision, objection = cases

    assert _who(p, bodies, permissions.can_view_decision, decision) == {
        "colleague", "hr", "management body"}
    assert _who(p, bodies, permissions.can_read_objection_file, objection) == {
        "colleague", "advisory body"}
    with ev.on(decision.decided_on + dt.timedelta(days=5)):
        advised = services.salary_objection_advise(
            actor=ev.viewer(bodies.advisory), objection=objection, advice="Follow the rule.")
    assert _who(p, bodies, permissions.can_read_objection_file, advised) == {
        "colleague", "management body"}
    assert _who(p, bodies, permissions.can_view_objection, advised) == {
        "colleague", "hr", "management body"}


def test_a_grant_that_ended_gives_no_access(p, bodies, cases) -> None:
    appeal, _decision, _objection = cases
    bodies.board.role_grants.update(valid_until=dt.date(2000, 12, 31))

    assert not permissions.can_view_appeal(ev.viewer(bodies.board), appeal)
    assert list(permissions.appeals_visible_to(ev.viewer(bodies.board))) == []


def test_the_evaluators_who_signed_stay_parties_after_leaving_the_line(p, bodies, cases) -> None:
    """The appeal contests what they signed: they stay parties to it (and read its
    grounds) when another manager takes over; the evaluation itself follows the line."""
    appeal, _decision, _objection = cases
    successor = factories.person(p.team, with_user=True, first_name="Nora")
    team = type(p.team).objects.get(pk=p.team.pk)
    organisation_services.unit_update(unit=team, code=team.code, name=team.name,
                                      parent=team.parent, manager=successor)

    assert _who(p, bodies, permissions.can_read_appeal_grounds, appeal) == {
        "employee", "manager", "second", "appeal board"}
    former = ev.viewer(p.manager)
    assert permissions.appeals_visible_to(former).filter(pk=appeal.pk).exists()
    assert not evaluation_permissions.can_view(former, appeal.evaluation)
    nora = ev.viewer(successor)
    assert not permissions.can_view_appeal(nora, appeal)
    assert evaluation_permissions.can_view(nora, appeal.evaluation)
