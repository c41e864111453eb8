"""The manager's team view: each member's goals, conversations and what is due."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.conversations import services
from koers.conversations.states import ConversationKind
from koers.conversations.team import TeamFilters, team_overview
from koers.core import clock
from koers.cycles.labels import step_label
from koers.cycles.models import Cycle, Participation
from koers.goals import services as goal_services
from koers.goals.states import GoalStatus
from koers.rulebook.deadlines import Due
from tests import factories, personas
from tests.factories import goals
from tests.factories import participations as cycles
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2099, 3, 10, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def p():
    people = personas.build()
    with clock.frozen(NOW):
        yield people


def conversation(p, person, *, days, kind=ConversationKind.FOLLOW_UP, hold=False):
    starts = NOW + dt.timedelta(days=days)
    held = services.conversation_schedule(
        actor=viewer(p.manager), employee=person, kind=kind, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1), location="Room 2")
    if hold:
        held = services.conversation_hold(actor=viewer(p.manager), conversation=held)
    return held


def members(p, count):
    """The manager's team grown to ``count`` people (the employee and colleague first),
    each with goals, a held and a scheduled conversation, and a participation."""
    cycle = (Cycle.objects.filter(organisation=p.employee.organisation, year=2099).first()
             or cycles.cycle(p.employee.organisation, 2099))
    people = [person for person in (p.employee, p.colleague)
              if not Participation.objects.filter(person=person).exists()]
    size = Participation.objects.filter(cycle=cycle).count() + len(people)
    people += [factories.person(p.team, with_user=True) for _ in range(count - size)]
    for person in people:
        goals.agreed(person, p.manager)
        goals.proposed(person, deadline=dt.date(2099, 1, 31))  # open and overdue
        conversation(p, person, days=-7, hold=True)
        conversation(p, person, days=7)
        cycles.participation(cycle, person)
    return people


def test_each_member_with_goal_counts_conversations_and_what_is_due(p):
    cycle = cycles.cycle(p.employee.organisation, 2099)
    participation = cycles.participation(cycle, p.employee)
    Participation.objects.filter(pk=participation.pk).update(
        planning_due=dt.date(2099, 2, 28), halfway_progress_due=dt.date(2099, 6, 30))
    agreed = goals.agreed(p.employee, p.manager, deadline=dt.date(2099, 12, 31))
    proposed = goals.proposed(p.employee, deadline=dt.date(2099, 11, 30),
                              milestones=[{"date": "2099-04-15", "text": "Draft ready"}])
    goal_services.goal_set_status(actor=viewer(p.manager), goal=agreed,
                                  status=GoalStatus.IN_PROGRESS)
    held = conversation(p, p.employee, days=-20, kind=ConversationKind.CAREER, hold=True)
    upcoming = conversation(p, p.employee, days=5)

    overview = team_overview(viewer(p.manager), today=TODAY, now=NOW)

    assert [row.person for row in overview.rows] == [p.colleague, p.employee]  # by last name
    row = overview.rows[1]
    assert row.goal_counts == {"proposed": 1, "in_progress": 1}
    assert (row.last_conversation.pk, row.next_conversation.pk) == (held.pk, upcoming.pk)
    assert [(item.label, item.due) for item in row.overdue] == [
        (step_label(Due.PLANNING), dt.date(2099, 2, 28))]
    assert (row.next_due.goal_id, row.next_due.due) == (proposed.pk, dt.date(2099, 4, 15))
    dates = [item.due for item in row.due]
    assert dates == sorted(dates)
    assert {dt.date(2099, 6, 30), dt.date(2099, 11, 30), dt.date(2099, 12, 31)} <= set(dates)
    assert overview.total == 2


def test_each_overdue_step_shows_once_named_by_its_cycle_when_two_cycles_are_open(client, p):
    for year in (2098, 2099):  # last year's cycle left open beside this year's
        participation = cycles.participation(cycles.cycle(p.employee.organisation, year),
                                             p.employee)
        Participation.objects.filter(pk=participation.pk).update(
            planning_due=dt.date(year, 2, 28))
    goals.proposed(p.employee, deadline=dt.date(2099, 12, 31), milestones=[
        {"date": "2099-04-15", "text": "Draft"}, {"date": "2099-04-15", "text": "Review"}])

    row = next(row for row in team_overview(viewer(p.manager), today=TODAY, now=NOW).rows
               if row.person == p.employee)
    client.force_login(p.manager.user)
    page = client.get(reverse("team_overview")).content.decode()
    data = client.get("/api/v1/me/team/overview").json()

    planning = step_label(Due.PLANNING)
    assert [(item.label, item.cycle_year) for item in row.overdue
            if item.label == planning] == [(planning, 2098), (planning, 2099)]
    assert page.count(f"{planning} (evaluatieperiode 2098)</strong>") == 1
    assert page.count(f"{planning} (evaluatieperiode 2099)</strong>") == 1
    assert f"{planning}</strong>" not in page  # never the same words twice
    assert [item.due for item in row.due].count(dt.date(2099, 4, 15)) == 1  # one milestone day
    member = next(m for m in data["members"] if m["person_id"] == p.employee.pk)
    assert sorted(item["cycle_year"] for item in member["overdue"]
                  if item["label"] == planning) == [2098, 2099]
    assert sorted(item["period"] for item in member["overdue"]
                  if item["label"] == planning) == ["evaluatieperiode 2098",
                                                    "evaluatieperiode 2099"]


def test_the_filters_keep_only_matching_members(p):
    goals.agreed(p.employee, p.manager)
    goals.proposed(p.colleague, deadline=dt.date(2099, 1, 31))  # overdue
    elsewhere = factories.unit(p.employee.organisation, p.team, name="Cel Lonen")
    p.colleague.unit = elsewhere
    p.colleague.save(update_fields=["unit"])
    me = viewer(p.manager)

    def names(**filters):
        rows = team_overview(me, today=TODAY, now=NOW, filters=TeamFilters(**filters)).rows
        return [row.person.pk for row in rows]

    assert names(status="agreed") == [p.employee.pk]
    assert names(overdue_only=True) == [p.colleague.pk]
    assert names(unit_id=elsewhere.pk) == [p.colleague.pk]
    assert names(status="achieved") == []


def _count(client, url):
    client.get(url)  # warm the session and the caches of the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


URLS = ["/team/", "/team/?status=agreed&overdue=on", "/api/v1/me/team/overview"]


def test_the_same_number_of_queries_for_5_and_50_members(client, p):
    client.force_login(p.manager.user)
    members(p, 5)
    small = [_count(client, url)[0] for url in URLS]
    members(p, 50)
    counted = [_count(client, url) for url in URLS]

    assert small == [queries for queries, _response in counted]
    assert len(counted[0][1].context["overview"].rows) == 50
    assert len(counted[2][1].json()["members"]) == 50


def test_the_page_and_the_api_show_the_team(client, p):
    members(p, 3)
    client.force_login(p.manager.user)
    page = client.get(reverse("team_overview")).content.decode()
    assert p.employee.full_name in page
    assert page.count(reverse("conversation_new", args=[p.employee.pk])) == 0  # one is planned
    home = client.get(reverse("home")).content.decode()
    assert reverse("team_overview") in home

    data = client.get("/api/v1/me/team/overview?overdue=true").json()
    assert data["total"] == 3
    assert {m["person_id"] for m in data["members"]} >= {p.employee.pk, p.colleague.pk}
    assert all(m["overdue"] for m in data["members"])
    assert all(m["goal_counts"] == {"agreed": 1, "proposed": 1} for m in data["members"])

    client.force_login(p.employee.user)
    assert client.get("/api/v1/me/team/overview").json() == {"total": 0, "members": []}
    assert client.get(reverse("team_overview")).context["overview"].total == 0
