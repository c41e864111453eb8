"""The cycle endpoints: open a cycle, follow its opening, read its counts; HR's cycle
dashboard; a person's timeline; a participation's agreed period. The same services and
access rules as the web pages."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from koers.core import clock
from koers.cycles import services as cycle_services
from koers.cycles.dashboard import count_cycles
from koers.cycles.models import Cycle, CycleState, Participation
from tests import factories, personas
from tests.api.problems import said
from tests.factories import bulk_participations, participations

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def p():
    return personas.build()


def post_cycle(client, body):
    return client.post("/api/v1/cycles", json.dumps(body), content_type="application/json")


def test_hr_opens_a_cycle_and_reads_its_counts(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)

    response = post_cycle(client, {"year": 2026})

    assert response.status_code == 202
    data = response.json()
    people = p.hr.organisation.people.count()
    assert (data["year"], data["state"], data["percent_done"]) == (2026, "open", 100)
    assert data["counts"] == {
        "participations": people, "mandatory": people, "exempt": 0,
        "exempt_by_reason": {"not_employed": 0, "too_few_hours": 0, "too_few_months": 0,
                             "absent_too_long": 0, "leaves_before_evaluation": 0,
                             "top_manager": 0, "mandate_holder": 0},
        "on_probation": 0, "closed": 0,
    }
    assert client.get(f"/api/v1/cycles/{data['id']}").json() == data
    assert client.get("/api/v1/cycles").json()["items"] == [data]


def test_a_cycle_opened_in_the_background_reports_its_progress(client, p, settings):
    settings.TASKS = DATABASE
    client.force_login(p.hr.user)

    data = post_cycle(client, {"year": 2026, "organisation_id": p.hr.organisation_id}).json()

    assert (data["state"], data["people_done"], data["percent_done"]) == (
        CycleState.OPENING, 0, 0)


def test_an_open_year_is_refused(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)
    post_cycle(client, {"year": 2026})

    response = post_cycle(client, {"year": 2026})

    assert response.status_code == 422
    assert response.json()["errors"] == {"year": ["De cyclus van 2026 is al geopend."]}


def test_only_hr_of_the_whole_organisation_opens_and_reads_cycles(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)
    cycle_id = post_cycle(client, {"year": 2026}).json()["id"]

    for who in (p.team_hr, p.manager, p.outsider):
        client.force_login(who.user)
        assert client.get(f"/api/v1/cycles/{cycle_id}").status_code == 404
        assert client.get("/api/v1/cycles").json()["items"] == []
        response = post_cycle(client, {"year": 2025, "organisation_id": p.hr.organisation_id})
        assert response.status_code == 422
    assert Cycle.objects.count() == 1


def test_a_leaver_saved_through_the_api_is_closed_in_the_running_cycle(client, p, settings):
    settings.TASKS = IMMEDIATE
    client.force_login(p.hr.user)
    cycle_id = post_cycle(client, {"year": 2026}).json()["id"]

    client.patch(f"/api/v1/people/{p.employee.pk}", json.dumps({"end_date": "2026-10-31"}),
                 content_type="application/json")

    participation = Participation.objects.get(cycle_id=cycle_id, person=p.employee)
    assert participation.closed_on == dt.date(2026, 10, 31)
    assert client.get(f"/api/v1/cycles/{cycle_id}").json()["counts"]["closed"] == 1


def _cycle_with_everybody(p):
    cycle = participations.cycle(p.top.organisation, 2026)
    bulk_participations.participations(cycle, list(p.top.organisation.people.all()))
    return cycle


def test_hr_reads_the_cycle_dashboard_through_the_api(client, p):
    cycle = _cycle_with_everybody(p)
    client.force_login(p.hr.user)

    data = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard").json()

    assert (data["year"], data["unit"]["name"]) == (2026, "Stadsbestuur")
    assert data["total"]["participations"] == 9
    assert [(row["unit"]["name"], row["progress"]["participations"])
            for row in data["children"]] == [("Dienst Personeel", 8)]
    assert data["direct"]["participations"] == 1
    assert data["total"]["tasks_by_step"]["planning"] == 9
    assert set(data["total"]["overdue_by_step"]) == {
        "planning", "halfway_progress", "self_evaluation", "evaluation", "first_signature",
        "second_signature", "probation_assessment",
    }
    below = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard",
                       {"unit_id": p.department.pk}).json()
    assert [row["unit"]["name"] for row in below["children"]] == [
        "Team Loonadministratie", "Team Rekrutering"]
    assert data["counted_at"] is None  # a small cycle is counted for each answer


def test_the_dashboard_api_says_when_a_large_cycle_was_counted(client, p):
    cycle = _cycle_with_everybody(p)
    client.force_login(p.hr.user)
    with clock.frozen(dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)):
        live = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard").json()
        count_cycles(limit=1)

    counted = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard").json()  # days later

    assert counted["counted_at"] == "2026-05-01T10:00:00Z"
    assert counted["total"] == live["total"]
    assert counted["children"] == live["children"]


def test_the_dashboard_api_refuses_what_the_page_refuses(client, p):
    cycle = _cycle_with_everybody(p)
    url = f"/api/v1/cycles/{cycle.pk}/dashboard"
    client.force_login(p.employee.user)
    assert client.get(url).status_code == 404
    assert client.get(url, {"unit_id": p.team.pk}).status_code == 404
    client.force_login(p.team_hr.user)
    assert client.get(url, {"unit_id": p.top.pk}).status_code == 404
    assert client.get(url).json()["unit"]["id"] == p.other_team.pk
    assert client.get(f"/api/v1/cycles/{cycle.pk + 1000}/dashboard").status_code == 404

APRIL_5 = dt.datetime(2026, 4, 5, 10, tzinfo=ZoneInfo("Europe/Brussels"))


def _get(client, person_id):
    with clock.frozen(APRIL_5):
        return client.get(f"/api/v1/people/{person_id}/timeline")


def test_the_timeline_lists_each_due_date_with_who_acts_and_its_state(client, p):
    cycle = participations.cycle(p.top.organisation, 2026)
    participations.participation(cycle, p.employee)
    client.force_login(p.manager.user)
    (data,) = _get(client, p.employee.pk).json()["items"]
    assert (data["year"], data["period_start"], data["evaluation_required"]) == (
        2026, "2026-01-01", True)
    steps = {step["step"]: step for step in data["steps"]}
    assert list(steps) == [
        "planning", "evaluation_window_opens", "self_evaluation", "first_signature",
        "evaluation", "second_signature",
    ]
    assert steps["planning"] == {
        "step": "planning", "label": "Planningsgesprek", "due": "2026-03-31",
        "responsible_role": "first_evaluator",
        "responsible": [{"id": p.manager.pk, "name": "Ratana Than"}],
        "done_on": None, "state": "overdue", "overdue": True,
    }
    assert steps["evaluation_window_opens"]["state"] == "upcoming"
    assert steps["self_evaluation"]["responsible"] == [
        {"id": p.employee.pk, "name": "Marc Vandamme"}]


def test_a_person_without_an_open_cycle_has_an_empty_timeline(client, p):
    client.force_login(p.employee.user)
    assert _get(client, p.employee.pk).json()["items"] == []


@pytest.mark.parametrize("who", ["colleague", "unrelated_manager", "outsider"])
def test_others_get_a_404(client, p, who):
    participations.participation(participations.cycle(p.top.organisation, 2026), p.employee)
    client.force_login(getattr(p, who).user)
    assert _get(client, p.employee.pk).status_code == 404
    assert _get(client, 999_999).status_code == 404

JANUARY_12 = dt.datetime(2026, 1, 12, 10, tzinfo=ZoneInfo("Europe/Brussels"))
NOTE = "Agreed with Marc and Ratana on 12 January."


@pytest.fixture
def row(p):
    return participations.participation(participations.cycle(p.top.organisation, 2026),
                                        p.employee)


def _put(client, participation_id, **data):
    with clock.frozen(JANUARY_12):
        return client.put(f"/api/v1/participations/{participation_id}/agreed-period",
                          json.dumps(data), content_type="application/json")


def test_hr_records_the_agreed_period_and_the_due_dates_follow(client, p, row):
    client.force_login(p.hr.user)

    response = _put(client, row.pk, start="2025-10-15", end="2026-12-31", note=NOTE)

    assert response.status_code == 200
    data = response.json()
    assert {key: data[key] for key in (
        "participation_id", "year", "person_id", "period_start", "period_end", "agreed",
        "note", "agreed_by", "evaluation_required")} == {
        "participation_id": row.pk, "year": 2026, "person_id": p.employee.pk,
        "period_start": "2025-10-15", "period_end": "2026-12-31", "agreed": True,
        "note": NOTE, "agreed_by": p.hr.user.email, "evaluation_required": True,
    }
    assert data["agreed_at"].startswith("2026-01-12T")
    assert data["due_dates"]["planning"] == "2026-01-14"
    assert data["due_dates"]["evaluation"] == "2027-03-31"  # the window stays with 2026
    client.force_login(p.employee.user)
    with clock.frozen(JANUARY_12):
        (timeline,) = client.get(f"/api/v1/people/{p.employee.pk}/timeline").json()["items"]
    assert (timeline["participation_id"], timeline["period_start"], timeline["period_agreed"]) \
        == (row.pk, "2025-10-15", True)


def test_nulls_go_back_to_the_normal_period(client, p, row):
    client.force_login(p.hr.user)
    _put(client, row.pk, start="2025-10-15", end="2026-12-31", note=NOTE)

    data = _put(client, row.pk, start=None, end=None).json()

    assert (data["period_start"], data["agreed"], data["note"], data["agreed_by"]) == (
        "2026-01-01", False, "", None)
    assert data["due_dates"]["planning"] == "2026-03-31"


def test_a_refused_period_is_a_422_in_the_users_language_and_changes_nothing(client, p, row):
    client.force_login(p.hr.user)

    response = _put(client, row.pk, start="2026-01-01", end="2027-03-31", note=NOTE)

    assert response.status_code == 422
    assert said(response) == {
        "detail": "De evaluatieperiode is niet gewijzigd.",
        "errors": {"period": [
            "Onder dit beleid eindigt de periode altijd op 31-12-2026; alleen het begin kan "
            "vroeger vallen."]},
    }
    row.refresh_from_db()
    assert (row.period_end, row.agreed_period_end) == (dt.date(2026, 12, 31), None)


def test_half_a_period_is_refused(client, p, row):
    client.force_login(p.hr.user)

    response = _put(client, row.pk, start="2025-10-15", end=None, note=NOTE)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["end"]


@pytest.mark.parametrize("who", ["employee", "manager", "team_hr", "outsider"])
def test_others_get_the_same_404_as_for_a_missing_participation(client, p, row, who):
    client.force_login(getattr(p, who).user)

    assert _put(client, row.pk, start="2025-10-15", end="2026-12-31", note=NOTE
                ).status_code == 404
    assert _put(client, 999_999, start="2025-10-15", end="2026-12-31", note=NOTE
                ).status_code == 404
    row.refresh_from_db()
    assert row.agreed_period_start is None


def test_a_newcomers_timeline_has_no_due_date_before_the_start(client, p):
    # PLOEG-gesprekken, https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken:
    # the planning within the first 90 days — counted from the newcomer's start.
    newcomer = factories.person(p.team, start_date=dt.date(2026, 9, 19))
    participations.participation(participations.cycle(p.top.organisation, 2026), newcomer)
    client.force_login(p.manager.user)
    with clock.frozen(dt.datetime(2026, 10, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))):
        (data,) = client.get(f"/api/v1/people/{newcomer.pk}/timeline").json()["items"]
    steps = {step["step"]: step for step in data["steps"]}
    assert (steps["planning"]["due"], steps["planning"]["state"]) == ("2026-12-17", "open")
    assert min(step["due"] for step in data["steps"]) >= "2026-09-19"


# Someone leaving ([f1]) — Vlaams personeelsstatuut, Deel IV, hoofdstukken 1–2,
# https://overheid.vlaanderen.be/BVR_Deel04-h1-h2: staff who leave voluntarily or retire
# may, with their agreement, be evaluated before they leave.


@pytest.fixture
def leaving_row(p):
    from koers.cycles import services
    from koers.organisation import services as organisation_services

    cycle = services.cycle_open(organisation=p.top.organisation, year=2026, actor=None,
                                background=False)
    services.cycle_fill(cycle=cycle)
    organisation_services.person_save(organisation=p.top.organisation, person=p.employee,
                                      actor=p.hr.user, end_date=dt.date(2026, 9, 30))
    return Participation.objects.get(cycle=cycle, person=p.employee)


def _put_leaving(client, row, body):
    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))):
        return client.put(f"/api/v1/participations/{row.pk}/leaving", json.dumps(body),
                          content_type="application/json")


def test_hr_records_an_agreed_evaluation_before_leaving_and_the_timeline_says_so(
        client, p, leaving_row):
    client.force_login(p.hr.user)

    response = _put_leaving(client, leaving_row, {
        "reason": "retirement", "last_working_day": "2026-09-30",
        "evaluated_before_leaving": True})

    assert response.status_code == 200
    data = response.json()
    assert (data["reason"], data["evaluated_before_leaving"], data["recorded_by"],
            data["evaluation_required"], data["closed_on"]) == (
        "retirement", True, p.hr.user.email, True, None)
    assert data["due_dates"]["evaluation"] == "2026-09-30"
    assert data["due_dates"]["evaluation_window_opens"] == "2026-01-01"
    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))):
        (timeline,) = client.get(f"/api/v1/people/{p.employee.pk}/timeline").json()["items"]
    assert timeline["leaving"]["state"] == "evaluated_before_leaving"
    assert timeline["leaving"]["last_day"] == "2026-09-30"


def test_without_agreement_the_timeline_and_dashboard_say_leaves_before_the_evaluation(
        client, p, leaving_row):
    client.force_login(p.manager.user)
    assert _put_leaving(client, leaving_row, {
        "reason": "voluntary", "last_working_day": "2026-09-30"}).status_code == 200
    with clock.frozen(dt.datetime(2026, 9, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))):
        (timeline,) = client.get(f"/api/v1/people/{p.employee.pk}/timeline").json()["items"]
    assert (timeline["evaluation_required"], timeline["leaving"]["state"]) == (
        False, "leaves_before_evaluation")
    assert "niet akkoord" in timeline["leaving"]["reason"]
    client.force_login(p.hr.user)
    board = client.get(f"/api/v1/cycles/{leaving_row.cycle_id}/dashboard").json()
    assert board["total"]["leaves_before_evaluation"] == 1
    assert board["total"]["leaves_before_evaluation_by_reason"]["voluntary"] == 1


def test_a_refused_record_of_leaving_says_why_and_changes_nothing(client, p, leaving_row):
    client.force_login(p.hr.user)

    response = _put_leaving(client, leaving_row, {
        "reason": "other", "last_working_day": "2026-09-30", "evaluated_before_leaving": True})

    assert response.status_code == 422
    assert said(response)["errors"] == {"agreed": [
        "Alleen wie vrijwillig vertrekt of met pensioen gaat, kan vóór het vertrek "
        "geëvalueerd worden."]}
    leaving_row.refresh_from_db()
    assert leaving_row.leaving_reason == ""


@pytest.mark.parametrize("who", ["employee", "colleague", "team_hr"])
def test_others_cannot_record_that_someone_leaves(client, p, leaving_row, who):
    client.force_login(getattr(p, who).user)
    response = _put_leaving(client, leaving_row, {
        "reason": "retirement", "last_working_day": "2026-09-30"})
    assert response.status_code == 404


# Resuming an opening that stopped -----------------------------------------------------------


def _interrupted(p):
    """A cycle whose opening stopped after one batch of two people (a killed worker)."""
    cycle = cycle_services.cycle_open(organisation=p.hr.organisation, year=2026, actor=None,
                                      background=False)
    cycle_services.cycle_fill(cycle=cycle, batch_size=2, batch_limit=1)
    return cycle


def test_hr_resumes_an_opening_that_stopped_and_it_finishes(client, p, settings):
    settings.TASKS = IMMEDIATE
    cycle = _interrupted(p)
    client.force_login(p.hr.user)
    assert client.get(f"/api/v1/cycles/{cycle.pk}").json()["state"] == CycleState.OPENING

    response = client.post(f"/api/v1/cycles/{cycle.pk}/resume")

    assert response.status_code == 202
    people = p.hr.organisation.people.count()
    data = response.json()
    assert (data["id"], data["state"], data["people_done"], data["percent_done"]) == (
        cycle.pk, CycleState.OPEN, people, 100)
    assert data == client.get(f"/api/v1/cycles/{cycle.pk}").json()
    assert Participation.objects.filter(cycle=cycle).count() == people


def test_resuming_queues_the_opening_again_for_the_worker(client, p, settings):
    settings.TASKS = DATABASE
    cycle = _interrupted(p)
    client.force_login(p.hr.user)

    response = client.post(f"/api/v1/cycles/{cycle.pk}/resume")

    assert response.status_code == 202
    assert (response.json()["state"], response.json()["people_done"]) == (
        CycleState.OPENING, 2)
    assert DBTaskResult.objects.filter(args_kwargs={"args": [cycle.pk], "kwargs": {}}
                                       ).count() == 1


def test_resuming_a_cycle_that_is_open_is_refused_in_the_callers_language(client, p, settings):
    settings.TASKS = IMMEDIATE
    cycle = cycle_services.cycle_open(organisation=p.hr.organisation, year=2026, actor=None)
    client.force_login(p.hr.user)
    before = Participation.objects.filter(cycle=cycle).count()

    response = client.post(f"/api/v1/cycles/{cycle.pk}/resume")

    assert response.status_code == 422
    assert response.json()["code"] == "refused"
    assert said(response) == {"detail": "Deze cyclus is al open.", "errors": {}}
    assert Participation.objects.filter(cycle=cycle).count() == before
    page = client.post(reverse("cycle_resume", args=[cycle.pk]), follow=True)
    assert "Deze cyclus is al open." in page.content.decode()  # the page says the same


@pytest.mark.parametrize("who", ["team_hr", "manager", "employee", "outsider"])
def test_only_hr_of_the_whole_organisation_resumes_others_get_a_404(client, p, settings, who):
    settings.TASKS = IMMEDIATE
    cycle = _interrupted(p)
    client.force_login(getattr(p, who).user)

    response = client.post(f"/api/v1/cycles/{cycle.pk}/resume")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Participation.objects.filter(cycle=cycle).count() == 2
    assert client.post("/api/v1/cycles/999999/resume").status_code == 404


def test_a_lapsed_federal_evaluation_in_the_timeline_the_dashboard_and_the_refusal(client, p):
    """[b2] BOSA, "Evaluatie – contractuelen en statutairen",
    https://bosa.belgium.be/nl/themas/werken-bij-de-overheid/loopbaan-en-statuut/evaluatie/contractuelen-en-statutairen-3:
    not evaluated 3 months after the cycle, the next cycle starts without a mention."""
    from koers.cycles.lapse import lapses_record

    organisation = p.top.organisation
    organisation.policy_preset = "federal"
    organisation.save(update_fields=["policy_preset"])
    cycle = participations.cycle(organisation, 2025)
    lapsing = participations.participation(cycle, p.employee)
    day = lapsing.evaluation_lapses
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Europe/Brussels"))
    client.force_login(p.hr.user)
    with clock.frozen(moment):
        lapses_record()
        (data,) = client.get(f"/api/v1/people/{p.employee.pk}/timeline").json()["items"]
        board = client.get(f"/api/v1/cycles/{cycle.pk}/dashboard").json()
        refused = client.post(f"/api/v1/participations/{lapsing.pk}/evaluation",
                              content_type="application/json")
    assert data["lapsed_on"] == day.isoformat()
    assert data["lapsed"].startswith(f"Vervallen op {day:%d-%m-%Y}")
    steps = {step["step"]: step for step in data["steps"]}
    assert (steps["evaluation"]["state"], steps["evaluation"]["overdue"]) == ("lapsed", False)
    assert (board["total"]["lapsed"], board["total"]["overdue"]) == (1, 0)
    assert refused.status_code == 422, refused.content
    assert "is vervallen op" in refused.json()["detail"]
