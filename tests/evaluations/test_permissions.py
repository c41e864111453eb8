"""Who sees an evaluation and its content; the list half agrees with the object half;
the pages' reads answer from a bounded number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koers.access.models import AccessRequest, RequestStatus, Scope
from koers.evaluations import permissions, selectors, services, steps
from koers.evaluations.models import Evaluation
from koers.evaluations.states import Action, EvaluationState, Role
from koers.organisation.models import PolicyPreset
from koers.organisation.models import Role as GrantRole
from tests import factories, personas
from tests.factories import evaluations as factory
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db

S = EvaluationState


def everyone(p):
    return [p.director, p.manager, p.employee, p.colleague, p.unrelated_manager,
            p.unrelated_employee, p.hr, p.team_hr, p.outsider]


def test_the_list_half_agrees_with_the_object_half():
    p = personas.build()
    c = factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    factories.grant(p.director, GrantRole.DIRECTOR, p.top)
    drafts = factory.reach(c, S.DRAFT)
    done = factory.reach(factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL, year=2026),
                         S.COMPLETED, year=2026)
    assert (drafts.state, done.state) == (S.DRAFT, S.COMPLETED)
    for person in [*everyone(p), c.second]:
        who = viewer(person)
        listed = set(permissions.evaluations_visible_to(who).values_list("pk", flat=True))
        for evaluation in Evaluation.objects.select_related("person__unit",
                                                            "person__organisation"):
            assert (evaluation.pk in listed) == permissions.can_view(who, evaluation), (
                person, evaluation.state)
    # The director reads the delivered report (Dutch preset), not the draft.
    director = viewer(p.director)
    assert permissions.can_view_report(director, done)
    assert not permissions.can_view(director, drafts)


def test_the_employee_reads_the_report_once_delivered_hr_only_under_a_grant():
    p = personas.build()
    c = factory.cast(p)
    evaluation = factory.reach(c, S.FIRST_SIGNED)
    assert permissions.can_view(viewer(c.employee), evaluation)
    assert not permissions.can_view_report(viewer(c.employee), evaluation)
    assert permissions.can_view_report(viewer(c.second), evaluation)
    hr = viewer(c.hr)
    assert permissions.can_view(hr, evaluation)  # HR monitors the process
    assert not permissions.can_view_report(hr, evaluation)
    assert not permissions.can_view(viewer(p.colleague), evaluation)
    AccessRequest.objects.create(
        requester=c.hr, subject=c.employee, scope=Scope.EVALUATIONS, reason="Appeal file.",
        valid_from=dt.date(2000, 1, 1), valid_until=dt.date(2099, 1, 1),
        status=RequestStatus.GRANTED, created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    hr = viewer(c.hr)
    assert permissions.can_view_report(hr, evaluation)
    assert permissions.reads_under_grant(hr, evaluation)
    evaluation = factory._fresh(evaluation)
    with on(factory.days()["second"]):
        services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    assert permissions.can_view_report(viewer(c.employee), Evaluation.objects.get(pk=evaluation.pk))


def test_roles_of_each_persona():
    p = personas.build()
    c = factory.cast(p)
    evaluation = factory.reach(c, S.DRAFT)
    assert permissions.roles_of(viewer(c.employee), evaluation) == {Role.EMPLOYEE}
    assert permissions.roles_of(viewer(c.first), evaluation) == {Role.FIRST_EVALUATOR}
    assert permissions.roles_of(viewer(c.second), evaluation) == {Role.SECOND_EVALUATOR}
    assert permissions.roles_of(viewer(c.hr), evaluation) == {Role.HR}
    assert permissions.roles_of(viewer(p.colleague), evaluation) == set()
    assert permissions.evaluation_for(viewer(p.colleague), evaluation.pk) is None
    assert permissions.evaluation_for(viewer(c.first), evaluation.pk) == evaluation
    assert permissions.evaluation_for(viewer(c.first), 999999) is None


def test_available_actions_say_why_not_yet():
    p = personas.build()
    c = factory.cast(p)
    evaluation = factory.reach(c, S.FIRST_SIGNED, self_evaluation=False)
    with on(dt.date(2026, 1, 5)):
        offers = {o.action: o for o in selectors.available_actions(viewer(c.second), evaluation)}
        employee = [o.action for o in selectors.available_actions(viewer(c.employee),
                                                                   evaluation)]
    assert set(offers) == {Action.SIGN_SECOND, Action.CORRECT}
    assert "15 maart 2026" in offers[Action.SIGN_SECOND].reason
    assert offers[Action.CORRECT].available
    assert employee == [Action.SAVE_SELF_EVALUATION, Action.SUBMIT_SELF_EVALUATION]


def _queries(function):
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_the_page_reads_answer_from_a_bounded_number_of_queries():
    """The same page with 1 goal and 1 version, and with 4 goals and 2 versions."""
    p = personas.build()
    small = factory.reach(factory.cast(p, goal_count=1), S.DRAFT)
    large_cast = factory.cast(p, goal_count=3, year=2026)  # 4 goals in the 2026 period
    large = factory.reach(large_cast, S.DELIVERED, year=2026)
    with on(dt.date(2026, 12, 13)):
        services.evaluation_correct(actor=viewer(large_cast.first), evaluation=large,
                                    reason="Typo.")
    assert len(selectors.evaluation_page(large).versions) == 2
    assert len(selectors.evaluation_page(large).items) == 4
    counts = []
    for evaluation in (small, large):
        who = viewer(p.manager)
        who.team_ids  # noqa: B018 (loaded once per request)
        who.second_line_ids  # noqa: B018
        counts.append((
            _queries(lambda e=evaluation: selectors.evaluation_page(e)),
            _queries(lambda e=evaluation, w=who: selectors.available_actions(w, e)),
        ))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 8
    who = viewer(p.manager)
    who.team_ids  # noqa: B018
    who.second_line_ids  # noqa: B018
    assert _queries(lambda: list(selectors.evaluations_for_person(who, p.employee))) == 1


def test_the_task_list_of_each_role():
    p = personas.build()
    c = factory.cast(p)
    evaluation = factory.reach(c, S.FIRST_SIGNED)
    with on(factory.days()["second"]):
        tasks = {person: [(t.evaluation, t.action) for t in steps.evaluation_tasks(viewer(person))]
                 for person in (c.second, c.first, c.employee)}
    assert tasks == {c.second: [(evaluation, Action.SIGN_SECOND)], c.first: [], c.employee: []}


def test_hr_standing_access_covers_the_delivered_report_not_the_draft():
    """Heemstede, "Cyclus van jaargesprekken" (lokaleregelgeving.overheid.nl): the
    reports go to the personnel file once held and confirmed, so HR's standing access
    (the Dutch preset) does not reach a draft still being written."""
    p = personas.build()
    drafted = factory.reach(factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL), S.DRAFT)
    done = factory.reach(factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL, year=2026),
                         S.COMPLETED, year=2026)
    hr = viewer(p.hr)

    assert not permissions.can_view_report(hr, drafted)
    assert not permissions.can_view_self_evaluation(hr, drafted)
    assert permissions.can_view_report(hr, done)
