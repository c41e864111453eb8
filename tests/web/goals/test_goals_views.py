"""The goal pages: propose, confirm, adjust, the team cascade, and bounded queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.core.limits import TEXT_MAX
from koers.goals.models import Goal, Visibility
from koers.goals.states import GoalStatus
from tests import personas
from tests.factories import goals

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_the_employee_proposes_a_goal_and_gets_smart_advice(client, p):
    client.force_login(p.employee.user)

    response = client.post(reverse("goal_new", args=[p.employee.pk]), {
        "kind": "performance", "title": "De dienstverlening verbeteren", "description": "",
        "measure": "", "means": "", "start_date": "", "deadline": "",
        "milestones": "31-03-2099 Plan klaar\n2099-06-30 Pilot", "visibility": "private",
        "team_goal": "",
    }, follow=True)

    goal = Goal.objects.get()
    assert (goal.owner, goal.status) == (p.employee, GoalStatus.PROPOSED)
    assert goal.milestones == [{"date": "2099-03-31", "text": "Plan klaar"},
                               {"date": "2099-06-30", "text": "Pilot"}]
    page = response.content.decode()
    assert "verbeteren" in page  # the vague-verb advice names the word
    assert response.redirect_chain[-1][0] == reverse("goal_detail", args=[goal.pk])


def test_the_manager_confirms_and_the_goal_is_agreed(client, p):
    goal = goals.proposed(p.employee)
    client.force_login(p.manager.user)
    assert "goal_confirm" not in client.get(reverse("goal_detail", args=[goal.pk])).content.decode()

    client.post(reverse("goal_confirm", args=[goal.pk]))

    goal.refresh_from_db()
    assert goal.status == GoalStatus.AGREED


def test_hr_gets_a_404_and_sees_no_goals_of_a_person(client, p):
    goal = goals.proposed(p.employee)
    client.force_login(p.hr.user)

    assert client.get(reverse("goal_detail", args=[goal.pk])).status_code == 404
    page = client.get(reverse("person_goals", args=[p.employee.pk])).content.decode()
    assert goal.title not in page


def test_a_colleague_opens_a_shared_goal_only(client, p):
    private = goals.proposed(p.employee)
    shared = goals.proposed(p.employee, title="Gedeeld doel", visibility=Visibility.SHARED)
    client.force_login(p.colleague.user)

    assert client.get(reverse("goal_detail", args=[private.pk])).status_code == 404
    assert client.get(reverse("goal_detail", args=[shared.pk])).status_code == 200


def test_an_agreed_goal_is_not_changed_without_a_reason(client, p):
    goal = goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)
    data = {
        "kind": "performance", "title": goal.title, "description": "", "measure": "Andere maat",
        "means": "", "start_date": "", "deadline": "2099-12-31", "milestones": "",
        "visibility": "private", "team_goal": "", "progress": "10", "reason": "",
        "revision": str(goal.revision),
    }

    response = client.post(reverse("goal_edit", args=[goal.pk]), data)
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.measure != "Andere maat"

    client.post(reverse("goal_edit", args=[goal.pk]), {**data, "reason": "Nieuw systeem"})
    goal.refresh_from_db()
    assert (goal.measure, goal.status) == ("Andere maat", GoalStatus.AGREED)
    page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "Nieuw systeem" in page


def test_the_team_goals_page_shows_the_cascade(client, p):
    team_goal = goals.team_goal(p.team, p.manager)
    goals.proposed(p.employee, title="Mijn bijdrage", team_goal=team_goal)
    client.force_login(p.manager.user)

    page = client.get(reverse("team_goals")).content.decode()

    assert team_goal.title in page
    assert "Mijn bijdrage" in page


def _queries(client, url):
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _more_goals(p, count, team_goal):
    for n in range(count):
        goals.proposed(p.employee, title=f"Doel {n}", team_goal=team_goal,
                       deadline=dt.date(2099, 1, 1) + dt.timedelta(days=n))


def test_goal_pages_need_the_same_number_of_queries_for_5_and_50_goals(client, p):
    team_goal = goals.team_goal(p.team, p.manager)
    _more_goals(p, 5, team_goal)
    pages = [reverse("my_goals"), reverse("person_goals", args=[p.employee.pk]),
             reverse("team_goals")]
    client.force_login(p.manager.user)
    for_manager = [_queries(client, url) for url in pages[1:]]
    client.force_login(p.employee.user)
    for_employee = _queries(client, pages[0])

    _more_goals(p, 45, team_goal)

    assert _queries(client, pages[0]) == for_employee
    client.force_login(p.manager.user)
    assert [_queries(client, url) for url in pages[1:]] == for_manager
    assert Goal.objects.filter(owner=p.employee).count() == 50


def test_a_change_that_met_a_newer_save_keeps_the_users_text_and_shows_both(client, p):
    """Marc and Ratana open the goal; Ratana saves first; Marc's save is refused, his text
    stays in the form beside what Ratana saved, and saving again goes through."""
    goal = goals.agreed(p.employee, p.manager, title="Loonvragen binnen twee dagen")
    opened = str(goal.revision)
    data = {
        "kind": "performance", "title": goal.title, "description": "", "measure": "Marc's maat",
        "means": "", "start_date": "", "deadline": "2099-12-31", "milestones": "",
        "visibility": "private", "team_goal": "", "progress": "10",
        "reason": "Beter meetbaar", "revision": opened,
    }
    client.force_login(p.manager.user)
    client.post(reverse("goal_edit", args=[goal.pk]),
                {**data, "measure": "Ratana's maat", "reason": "Eerst"})
    client.force_login(p.employee.user)

    response = client.post(reverse("goal_edit", args=[goal.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ratana&#x27;s maat" in page or "Ratana's maat" in page
    assert "Marc&#x27;s maat" in page or "Marc's maat" in page
    goal.refresh_from_db()
    assert goal.measure == "Ratana's maat"
    assert f'name="revision" value="{goal.revision}"' in page
    client.post(reverse("goal_edit", args=[goal.pk]), {**data, "revision": str(goal.revision)})
    goal.refresh_from_db()
    assert goal.measure == "Marc's maat"


def test_a_text_longer_than_the_bound_is_refused_on_the_form_and_nothing_is_saved(client, p):
    goal = goals.proposed(p.employee, title="Excel")
    client.force_login(p.employee.user)
    form = client.get(reverse("goal_edit", args=[goal.pk])).content.decode()
    assert f'maxlength="{TEXT_MAX}"' in form  # the browser says it before sending

    response = client.post(reverse("goal_edit", args=[goal.pk]), {
        "kind": "learning", "title": "Excel", "description": "x" * (TEXT_MAX + 1),
        "measure": "", "means": "", "start_date": "", "deadline": "", "milestones": "",
        "visibility": "private", "team_goal": "", "progress": "0", "reason": "",
        "revision": str(goal.revision)})

    assert response.status_code == 200
    assert "10000" in response.content.decode().replace(".", "").replace(" ", "")
    goal.refresh_from_db()
    assert goal.description == ""
