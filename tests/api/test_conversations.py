"""The conversation endpoints call the same services as the pages."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from koers.access import tokens
from koers.access.models import TokenScope
from koers.audit.models import AuditEvent
from koers.conversations import services
from koers.conversations.models import CalendarFeed, Conversation
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.rulebook import holding
from koers.rulebook.presets import FLEMISH
from tests import personas
from tests.factories import goals
from tests.factories.work_plans import dutch_personas, held_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_schedule_move_hold_and_confirm_through_the_api(client, p):
    goal = goals.agreed(p.employee, p.manager)
    client.force_login(p.manager.user)
    created = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "follow_up", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "location": "Room 2.14",
    }, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    moved = client.post(f"/api/v1/conversations/{pk}/reschedule", {
        "starts_at": "2099-03-03T09:00:00Z", "ends_at": "2099-03-03T10:00:00Z",
    }, content_type="application/json").json()
    assert moved["ical_sequence"] == 1
    held = client.post(f"/api/v1/conversations/{pk}/hold", {
        "notes": "Fine", "goal_ids": [goal.pk], "report": "Agreed on a course.",
        "improvement_points": " Plan the filing earlier. ",
    }, content_type="application/json").json()
    assert (held["status"], held["goal_ids"]) == ("held", [goal.pk])
    assert held["improvement_points"] == "Plan the filing earlier."
    read = {"expected_revision": held["report_revision"]}
    assert client.post(f"/api/v1/conversations/{pk}/confirm", read,
                       content_type="application/json").json()["evaluator_confirmed_at"]

    client.force_login(p.employee.user)
    listed = client.get(f"/api/v1/people/{p.employee.pk}/conversations").json()["items"]
    assert [c["id"] for c in listed] == [pk]
    client.post(f"/api/v1/conversations/{pk}/confirm", read, content_type="application/json")
    assert Conversation.objects.get().report_locked


def test_hr_gets_not_found_and_an_ended_conversation_is_refused(client, p):
    client.force_login(p.manager.user)
    pk = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "career", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "in_writing": True,
    }, content_type="application/json").json()["id"]
    assert client.post(f"/api/v1/conversations/{pk}/cancel").status_code == 200
    assert client.post(f"/api/v1/conversations/{pk}/cancel").status_code == 422
    client.force_login(p.hr.user)
    assert client.post(f"/api/v1/conversations/{pk}/confirm", {"expected_revision": 0},
                       content_type="application/json").status_code == 404
    assert client.get(f"/api/v1/people/{p.employee.pk}/conversations").json()["items"] == []


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hoi",
                                  "http://meet.example/abc", "https://" + "a" * 200])
def test_a_meeting_link_is_an_https_address_or_nothing_is_scheduled(client, p, link):
    client.force_login(p.manager.user)

    response = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "follow_up", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "online_link": link,
    }, content_type="application/json")

    assert response.status_code == 422
    assert "https://" in response.json()["errors"]["online_link"][0]
    assert client.get(f"/api/v1/people/{p.employee.pk}/conversations").json()["items"] == []


def test_an_https_meeting_link_is_kept(client, p):
    client.force_login(p.manager.user)

    response = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "follow_up", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "online_link": "https://meet.example/abc",
    }, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["online_link"] == "https://meet.example/abc"


@pytest.fixture
def dutch():
    with dutch_personas() as people:
        yield people


def test_the_api_drafts_comments_confirms_and_amends_a_work_plan(client, dutch):
    p = dutch
    client.force_login(p.employee.user)
    created = client.post("/api/v1/work-plans", {"expected_performance": "Pay on time"},
                          content_type="application/json")
    assert created.status_code == 201
    plan = created.json()
    assert (plan["period_start"], plan["status"]) == ("2026-01-01", "draft")
    patched = client.patch(f"/api/v1/work-plans/{plan['id']}",
                           {"support": "A mentor", "expected_revision": plan["revision"]},
                           content_type="application/json").json()
    assert (patched["support"], patched["expected_performance"]) == ("A mentor", "Pay on time")

    client.force_login(p.manager.user)
    assert client.post(f"/api/v1/work-plans/{plan['id']}/comments",
                       {"comments": "Fine", "expected_revision": patched["revision"]},
                       content_type="application/json").json()["status"] == "commented"
    client.post(f"/api/v1/work-plans/{plan['id']}/confirm")
    client.force_login(p.employee.user)
    assert client.post(f"/api/v1/work-plans/{plan['id']}/confirm").json()["status"] == "fixed"
    fixed_plan = client.get(f"/api/v1/work-plans/{plan['id']}").json()
    assert client.patch(f"/api/v1/work-plans/{plan['id']}",
                        {"support": "x", "expected_revision": fixed_plan["revision"]},
                        content_type="application/json").status_code == 422

    conversation = held_progress(p)
    client.force_login(p.manager.user)
    amended = client.post(f"/api/v1/conversations/{conversation.pk}/amendments",
                          {"change": "Later", "reason": "Supplier"},
                          content_type="application/json")
    assert amended.status_code == 201
    detail = client.get(f"/api/v1/work-plans/{plan['id']}").json()
    assert [a["change"] for a in detail["amendments"]] == ["Later"]
    listed = client.get(f"/api/v1/people/{p.employee.pk}/work-plans").json()["items"]
    assert [item["id"] for item in listed] == [plan["id"]]
    client.force_login(p.colleague.user)
    assert client.get(f"/api/v1/work-plans/{plan['id']}").status_code == 404


def test_a_work_plan_change_from_an_old_revision_answers_409_with_what_is_saved_now(
        client, dutch):
    p = dutch
    client.force_login(p.employee.user)
    plan = client.post("/api/v1/work-plans", {"expected_performance": "Pay on time"},
                       content_type="application/json").json()
    url = f"/api/v1/work-plans/{plan['id']}"
    first = client.patch(url, {"support": "A mentor", "expected_revision": plan["revision"]},
                         content_type="application/json")
    assert first.status_code == 200

    second = client.patch(url, {"support": "A course", "expected_revision": plan["revision"]},
                          content_type="application/json")

    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "edit_conflict"
    assert (body["revision"], body["current"]["support"]) == (first.json()["revision"],
                                                              "A mentor")
    assert client.get(url).json()["support"] == "A mentor"
    client.force_login(p.manager.user)
    stale = client.post(f"{url}/comments", {"comments": "Fine",
                                            "expected_revision": plan["revision"]},
                        content_type="application/json")
    assert stale.status_code == 409
    assert client.post(f"{url}/comments", {"comments": "Fine"},
                       content_type="application/json").status_code == 422  # required
    assert client.get(url).json()["manager_comments"] == ""


def test_the_report_is_changed_and_confirmed_only_from_the_text_read(client, p):
    """The evaluator rewrites the report from revision 1 while the employee still reads
    revision 1: the employee's confirmation is refused with the new text (nothing is
    confirmed unseen); a second rewrite from revision 1 is refused with 409 too."""
    client.force_login(p.manager.user)
    pk = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "career", "starts_at": "2026-03-02T09:00:00Z",
        "ends_at": "2026-03-02T10:00:00Z", "in_writing": True,
    }, content_type="application/json").json()["id"]
    held = client.post(f"/api/v1/conversations/{pk}/hold", {"report": "First text."},
                       content_type="application/json").json()
    url = f"/api/v1/conversations/{pk}/report"
    rewritten = client.put(url, {"report": "Second text.", "expected_revision": 1},
                           content_type="application/json")
    again = client.put(url, {"report": "Third text.", "expected_revision": 1},
                       content_type="application/json")
    client.force_login(p.employee.user)
    stale = client.post(f"/api/v1/conversations/{pk}/confirm", {"expected_revision": 1},
                        content_type="application/json")

    assert held["report_revision"] == 1
    assert (rewritten.status_code, rewritten.json()["report_revision"]) == (200, 2)
    assert again.status_code == 409
    assert (again.json()["current"], again.json()["revision"]) == (
        {"report": "Second text.", "agreements": ""}, 2)
    assert stale.status_code == 409
    assert stale.json()["current"] == {"report": "Second text.", "agreements": ""}
    conversation = Conversation.objects.get()
    assert (conversation.report, conversation.employee_confirmed_at) == ("Second text.", None)


def test_one_conversation_reads_as_in_the_list_and_on_its_page(client, p):
    client.force_login(p.manager.user)
    pk = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "follow_up", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "location": "Lokaal 2.14",
        "agenda": ["Opleidingsbudget bespreken"],
    }, content_type="application/json").json()["id"]

    client.force_login(p.employee.user)
    read = client.get(f"/api/v1/conversations/{pk}")
    listed = client.get(f"/api/v1/people/{p.employee.pk}/conversations").json()["items"]
    page = client.get(f"/conversations/{pk}/").content.decode()

    assert read.status_code == 200
    assert read.json() == listed[0]
    assert "Opleidingsbudget bespreken" in read.json()["agenda"]
    assert "Opleidingsbudget bespreken" in page
    assert "Lokaal 2.14" in page


def test_a_conversation_not_mine_to_see_is_not_found(client, p):
    client.force_login(p.manager.user)
    pk = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "career", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "in_writing": True,
    }, content_type="application/json").json()["id"]

    for outsider in (p.hr, p.colleague):
        client.force_login(outsider.user)
        assert client.get(f"/api/v1/conversations/{pk}").status_code == 404
        assert client.get(f"/conversations/{pk}/").status_code == 404
    assert client.get("/api/v1/conversations/999999").status_code == 404


# My calendar link ---------------------------------------------------------------------


def _calendar_scheduled(p):
    start = dt.datetime(2099, 3, 2, 9, tzinfo=dt.UTC)
    return services.conversation_schedule(
        actor=goals.viewer(p.manager), employee=p.employee, kind=ConversationKind.FOLLOW_UP,
        starts_at=start, ends_at=start + dt.timedelta(hours=1), location="Room 2.14")


def test_reading_my_calendar_link_before_i_made_one_is_404_and_makes_none(client, p):
    """A GET changes nothing: the link is made by POST, not on first read."""
    client.force_login(p.employee.user)

    response = client.get("/api/v1/me/calendar")

    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
    assert response.json()["code"] == "not_found"
    # In the caller's language (Dutch here), saying how to make one.
    assert response.json()["detail"] == ("Je hebt nog geen agendalink: maak er een met "
                                         "POST /api/v1/me/calendar.")
    assert not CalendarFeed.objects.filter(user=p.employee.user).exists()
    assert not AuditEvent.objects.filter(action="calendar_feed.renewed").exists()


def test_my_calendar_link_is_made_by_post_then_read_and_serves_my_conversations(client, p):
    conversation = _calendar_scheduled(p)
    client.force_login(p.employee.user)

    made = client.post("/api/v1/me/calendar")
    again = client.post("/api/v1/me/calendar")
    read = client.get("/api/v1/me/calendar")

    assert (made.status_code, again.status_code, read.status_code) == (201, 200, 200)
    url = made.json()["url"]
    token = p.employee.user.calendar_feed.token
    assert url == f"http://testserver{reverse('calendar_feed', args=[token])}"
    assert again.json() == read.json() == made.json()  # made once, then kept
    assert AuditEvent.objects.filter(action="calendar_feed.renewed",
                                     actor=p.employee.user).count() == 1
    assert f'value="{url}"' in client.get(reverse("calendar_settings")).content.decode()
    client.logout()
    (event,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert str(event["UID"]) == conversation.ical_uid


def test_the_api_reads_the_calendar_link_the_page_made(client, p):
    client.force_login(p.employee.user)
    client.post(reverse("calendar_make"))

    read = client.get("/api/v1/me/calendar")

    assert read.status_code == 200
    assert p.employee.user.calendar_feed.token in read.json()["url"]


def test_renewing_my_calendar_link_stops_the_old_one(client, p):
    _calendar_scheduled(p)
    client.force_login(p.employee.user)
    old = client.post("/api/v1/me/calendar").json()["url"]

    response = client.post("/api/v1/me/calendar/renew")

    assert response.status_code == 200
    new = response.json()["url"]
    assert new != old
    assert client.get("/api/v1/me/calendar").json()["url"] == new
    assert AuditEvent.objects.filter(action="calendar_feed.renewed",
                                     actor=p.employee.user).count() == 2
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_page_and_the_api_renew_the_same_calendar_link(client, p):
    client.force_login(p.employee.user)
    by_api = client.post("/api/v1/me/calendar/renew").json()["url"]

    client.post(reverse("calendar_renew"))

    by_page = client.get("/api/v1/me/calendar").json()["url"]
    assert by_page != by_api
    client.logout()
    assert client.get(by_api).status_code == 404
    assert client.get(by_page).status_code == 200


def test_each_caller_gets_their_own_calendar_link(client, p):
    client.force_login(p.manager.user)
    managers = client.post("/api/v1/me/calendar").json()["url"]
    client.force_login(p.employee.user)

    employees = client.post("/api/v1/me/calendar").json()["url"]

    assert employees != managers
    assert p.employee.user.calendar_feed.token in employees


def test_a_read_only_token_reads_the_calendar_link_but_neither_makes_nor_renews_it(p):
    made = tokens.token_create(user=p.employee.user, name="Script", scope=TokenScope.READ,
                               expires_on=clock.today() + dt.timedelta(days=1))
    script = Client(HTTP_AUTHORIZATION=f"Bearer {made.secret}")

    refused_make = script.post("/api/v1/me/calendar")
    link = services.calendar_feed_make(user=p.employee.user)[0]
    read = script.get("/api/v1/me/calendar").json()["url"]
    response = script.post("/api/v1/me/calendar/renew")

    assert (refused_make.status_code, refused_make.json()["code"]) == (403, "token_read_only")
    assert (response.status_code, response.json()["code"]) == (403, "token_read_only")
    assert link.token in read
    assert script.get("/api/v1/me/calendar").json()["url"] == read
    assert Client().post("/api/v1/me/calendar").status_code == 401
    assert Client().post("/api/v1/me/calendar/renew").status_code == 401


def test_ask_read_and_record_a_mediation_through_the_api(client):
    """Mediation (Dutch policy): the employee asks, the mediator records the outcome."""
    with dutch_personas() as p:
        conversation = held_progress(p)
        client.force_login(p.employee.user)
        created = client.post("/api/v1/mediations", {
            "conversation_id": conversation.pk, "mediator_kind": "hr_adviser",
            "account": "The report leaves out the payroll system."},
            content_type="application/json")
        assert created.status_code == 201
        mediation = created.json()
        assert (mediation["mediator"]["id"], mediation["status"]) == (p.hr.pk, "requested")

        refused = client.post(f"/api/v1/mediations/{mediation['id']}/outcome",
                              {"outcome": "agreed", "text": "Fine."},
                              content_type="application/json")
        assert refused.status_code == 422

        client.force_login(p.hr.user)
        listed = client.get("/api/v1/mediations").json()
        assert [m["id"] for m in listed["items"]] == [mediation["id"]]
        recorded = client.post(f"/api/v1/mediations/{mediation['id']}/outcome",
                               {"outcome": "agreed", "text": "The report gets a line."},
                               content_type="application/json")
        assert recorded.status_code == 200
        assert (recorded.json()["status"], recorded.json()["outcome"]) == ("closed", "agreed")
        assert client.get(f"/api/v1/mediations/{mediation['id']}").json()["outcome_text"] \
            == "The report gets a line."

        client.force_login(p.colleague.user)
        assert client.get(f"/api/v1/mediations/{mediation['id']}").status_code == 404
        assert AuditEvent.objects.filter(action__startswith="mediation.").count() == 2


def test_a_mediation_is_refused_with_a_reason_outside_the_dutch_policy(client, p):
    conversation = services.conversation_schedule(
        actor=goals.viewer(p.manager), employee=p.employee, kind=ConversationKind.FOLLOW_UP,
        starts_at=dt.datetime(2099, 3, 2, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2099, 3, 2, 10, tzinfo=dt.UTC), location="Room 1")
    services.conversation_hold(actor=goals.viewer(p.manager), conversation=conversation,
                               report="Report")
    client.force_login(p.employee.user)

    refused = client.post("/api/v1/mediations", {
        "conversation_id": conversation.pk, "mediator_kind": "hr_adviser", "account": "Why"},
        content_type="application/json")

    assert refused.status_code == 422
    assert refused.json()["detail"]
    assert not AuditEvent.objects.filter(action__startswith="mediation.").exists()


def test_the_api_combines_planning_and_evaluation_and_designates_a_holder(client, dutch):
    """Heemstede, "Cyclus van jaargesprekken": planning and evaluation in one conversation,
    and a conversation held by a person the manager designates."""
    p = dutch
    client.force_login(p.manager.user)
    starts = clock.now() + dt.timedelta(days=1)
    created = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "evaluation", "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=1)).isoformat(), "location": "Room 2",
        "combined_with_planning": True,
    }, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["combined_with_planning"] is True
    pk = created.json()["id"]
    designated = client.put(f"/api/v1/conversations/{pk}/holder",
                            {"holder_id": p.colleague.pk}, content_type="application/json")
    assert designated.status_code == 200
    assert designated.json()["holder_name"] == p.colleague.full_name
    refused = client.put(f"/api/v1/conversations/{pk}/holder",
                         {"holder_id": p.outsider.pk}, content_type="application/json")
    assert refused.status_code == 422

    client.force_login(p.employee.user)
    seen = client.get(f"/api/v1/conversations/{pk}").json()
    assert (seen["holder_id"], seen["holder_name"]) == (p.colleague.pk, p.colleague.full_name)
    client.force_login(p.colleague.user)
    held = client.post(f"/api/v1/conversations/{pk}/hold", {
        "report": "Looking back.", "agreements": "Ahead.",
    }, content_type="application/json")
    assert held.status_code == 200
    assert (held.json()["report"], held.json()["agreements"]) == ("Looking back.", "Ahead.")
    written = client.put(f"/api/v1/conversations/{pk}/report", {
        "report": "Looking back.", "agreements": "Ahead, in writing.",
        "expected_revision": held.json()["report_revision"],
    }, content_type="application/json")
    assert written.json()["agreements"] == "Ahead, in writing."


def test_combining_and_designating_are_refused_with_a_reason_elsewhere(client, p):
    client.force_login(p.manager.user)
    response = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "evaluation", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "location": "Room 2",
        "combined_with_planning": True,
    }, content_type="application/json")
    assert response.status_code == 422
    with translation.override(p.manager.reading_language):
        assert response.json()["detail"] == holding.combined_refusal(FLEMISH, "evaluation")
    created = client.post("/api/v1/conversations", {
        "employee_id": p.employee.pk, "kind": "planning", "starts_at": "2099-03-02T09:00:00Z",
        "ends_at": "2099-03-02T10:00:00Z", "location": "Room 2",
    }, content_type="application/json").json()
    refused = client.put(f"/api/v1/conversations/{created['id']}/holder",
                         {"holder_id": p.colleague.pk}, content_type="application/json")
    assert refused.status_code == 422
    with translation.override(p.manager.reading_language):
        assert refused.json()["detail"] == holding.designation_refusal(FLEMISH, "planning")
