"""The other side hears in the app when a goal waits for their confirmation."""

import pytest

from koers.goals import services
from koers.notify.models import Notification
from tests import personas
from tests.factories import goals
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_a_goal_the_employee_proposes_waits_for_the_first_evaluator(
        p, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        goal = goals.proposed(p.employee)

    (notification,) = Notification.objects.all()
    assert (notification.recipient, notification.kind, notification.url) == (
        p.manager.user, "goals.awaiting_confirmation", f"/goals/{goal.pk}/")
    assert notification.params == {"person": p.employee.full_name,
                                   "actor": p.employee.full_name}


def test_a_change_before_agreement_asks_the_other_side_again_and_agreement_asks_nobody(
        p, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        goal = goals.proposed(p.employee, by=p.manager)
        services.goal_adjust(actor=viewer(p.employee), goal=goal,
                             changes={"title": "Answer within 3 days"})
        services.goal_confirm(actor=viewer(p.manager), goal=goal)

    assert list(Notification.objects.order_by("pk").values_list("recipient", flat=True)) == [
        p.employee.user.pk, p.manager.user.pk]
