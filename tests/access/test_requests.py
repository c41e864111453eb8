"""HR access requests: asked by HR, decided by the 2nd evaluator, ended by their period."""

import datetime as dt

import pytest

from koers.access import policy, services
from koers.access.models import AccessRead, RequestStatus, Scope
from koers.audit.models import AuditEvent
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden
from koers.goals import permissions
from tests import personas
from tests.factories import goals as goal_factories

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


def test_hr_reads_goals_under_a_granted_request_until_it_expires() -> None:
    p = personas.build()
    second = p.department.manager
    assert second is not None
    goal = goal_factories.proposed(p.employee, title="GEHEIM-doel")
    with clock.frozen(NOON):
        hr = goal_factories.viewer(p.hr)
        assert permissions.goal_for(hr, goal.pk) is None
        request = services.access_request_create(
            actor=hr, subject=p.employee, scope=Scope.GOALS, reason="Klacht onderzoeken",
            valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2026, 3, 31))
        services.access_request_decide(actor=goal_factories.viewer(second), request=request,
                                       grant=True)
        hr = goal_factories.viewer(p.hr)

        assert permissions.goal_for(hr, goal.pk) == goal
        assert list(permissions.goals_visible_to(hr)) == [goal]
        read = services.access_read_log(viewer=hr, subject=p.employee, scope=Scope.GOALS,
                                        record=goal, label=goal.title)
        assert read is not None
    assert list(AccessRead.objects.filter(subject=p.employee)) == [read]
    assert list(AuditEvent.objects.filter(action__startswith="access_request.")
                .order_by("created_at", "seq").values_list("action", flat=True)) == [
        "access_request.created", "access_request.granted", "access_request.read"]

    with clock.frozen(NOON + dt.timedelta(days=30)):
        hr = goal_factories.viewer(p.hr)
        request.refresh_from_db()
        assert permissions.goal_for(hr, goal.pk) is None
        assert services.shown_status(request, on=clock.today()) == RequestStatus.EXPIRED
        assert not policy.hr_may_read_content(hr, p.employee, Scope.GOALS)


def test_only_the_second_evaluator_decides() -> None:
    p = personas.build()
    with clock.frozen(NOON):
        request = services.access_request_create(
            actor=goal_factories.viewer(p.hr), subject=p.employee, scope=Scope.ALL,
            reason="Dossier", valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2026, 3, 31))

        with pytest.raises(NotFoundOrForbidden):
            services.access_request_decide(actor=goal_factories.viewer(p.manager),
                                           request=request, grant=True)


def test_hr_of_another_subtree_cannot_ask() -> None:
    p = personas.build()
    with clock.frozen(NOON), pytest.raises(NotFoundOrForbidden):
        services.access_request_create(
            actor=goal_factories.viewer(p.team_hr), subject=p.employee, scope=Scope.GOALS,
            reason="Dossier", valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2026, 3, 31))
