"""The cycle pages: HR of the whole organisation opens a cycle and follows its progress."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from koers.audit.models import AuditEvent
from koers.core.models import User
from koers.cycles import services
from koers.cycles.models import Cycle, CycleState, Participation
from koers.organisation.models import ImportBatch, Role
from tests import factories, personas
from tests.web.organisation.test_structure import _person_form

pytestmark = pytest.mark.django_db

YEAR = 2026
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def p():
    return personas.build()


def signed_in(client, person):
    # English, so the pages read the same whichever translations exist.
    User.objects.filter(pk=person.user_id).update(language="en")
    client.force_login(person.user)
    return person


def open_through_the_page(client, year=YEAR):
    """Both steps: the form, then the confirmation that names how many people it touches."""
    return client.post(reverse("cycle_list"), {"year": year, "confirmed": "yes"})


def test_opening_asks_to_confirm_for_how_many_people_and_changes_nothing_before(
        client, p, settings, django_assert_max_num_queries):
    settings.TASKS = IMMEDIATE
    signed_in(client, p.hr)
    people = p.hr.organisation.people.count()

    with django_assert_max_num_queries(25):
        response = client.post(reverse("cycle_list"), {"year": YEAR})

    assert response.status_code == 200
    page = response.content.decode()
    assert f"This opens the cycle of {YEAR} of {p.hr.organisation.name} for {people} people" in page
    assert f"Yes, open the cycle for {people} people" in page
    assert '<input type="hidden" name="confirmed" value="yes">' in page
    assert not Cycle.objects.exists()
    assert not Participation.objects.exists()

    response = open_through_the_page(client)

    assert response.status_code == 302
    assert Participation.objects.count() == people


def test_hr_opens_a_cycle_and_sees_the_counts(client, p, settings):
    settings.TASKS = IMMEDIATE
    signed_in(client, p.hr)

    response = open_through_the_page(client)

    cycle = Cycle.objects.get(organisation=p.hr.organisation, year=YEAR)
    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[cycle.pk])
    assert cycle.state == CycleState.OPEN
    assert cycle.opened_by == p.hr.user
    page = client.get(response.url).content.decode()
    people = p.hr.organisation.people.count()
    assert re.search(rf'data-count="participations">{people}<', page)
    assert re.search(rf'data-count="mandatory">{people}<', page)
    assert re.search(r'data-count="exempt">0<', page)
    assert 'value="100"' in page
    assert "hx-trigger" not in page  # nothing left to follow


def test_opening_waits_for_the_worker_and_the_partial_follows_it(client, p, settings):
    settings.TASKS = DATABASE
    signed_in(client, p.hr)

    response = open_through_the_page(client)

    cycle = Cycle.objects.get(organisation=p.hr.organisation, year=YEAR)
    assert cycle.state == CycleState.OPENING
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [cycle.pk], "kwargs": {}}
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="cycle-progress"')
    assert "<html" not in partial
    assert 'hx-trigger="every 1s"' in partial
    assert 'value="0"' in partial
    assert "Waiting for the task worker" in partial

    services.cycle_fill(cycle=cycle)  # what the worker does

    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial
    assert 'value="100"' in partial
    assert 'data-count="participations"' in partial


def test_an_interrupted_opening_can_be_continued(client, p, settings):
    settings.TASKS = IMMEDIATE
    signed_in(client, p.hr)
    cycle = services.cycle_open(organisation=p.hr.organisation, year=YEAR, actor=None,
                                background=False)
    services.cycle_fill(cycle=cycle, batch_size=2, batch_limit=1)

    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Continue the opening" in page
    client.post(reverse("cycle_resume", args=[cycle.pk]))

    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN
    assert Participation.objects.filter(cycle=cycle).count() == p.hr.organisation.people.count()
    # Who asked for the second run is on the trail, with how far the first one came.
    resumed = AuditEvent.objects.get(action="cycle.resumed")
    assert resumed.actor_id == p.hr.user.pk
    assert resumed.changes["done"] == 2


def test_an_open_year_is_refused_with_a_clear_message(client, p, settings):
    settings.TASKS = IMMEDIATE
    signed_in(client, p.hr)
    open_through_the_page(client)

    response = open_through_the_page(client)
    # The first step already says so, rather than asking to confirm what cannot be.
    asked = client.post(reverse("cycle_list"), {"year": YEAR}).content.decode()

    assert response.status_code == 200
    assert "The cycle of 2026 has already been opened." in response.content.decode()
    assert "The cycle of 2026 has already been opened." in asked
    assert 'name="confirmed"' not in asked
    assert Cycle.objects.count() == 1


def test_the_form_proposes_the_current_year_and_the_list_shows_the_cycles(client, p, settings):
    settings.TASKS = IMMEDIATE
    signed_in(client, p.hr)
    open_through_the_page(client, year=2025)

    page = client.get(reverse("cycle_list")).content.decode()

    assert re.search(r'name="year" value="20\d\d"', page)
    assert "Evaluation period 2025" in page
    assert "Open" in page


@pytest.mark.parametrize("who", ["manager", "employee", "team_hr", "outsider"])
def test_only_hr_of_the_whole_organisation_sees_the_cycles(client, p, settings, who):
    settings.TASKS = IMMEDIATE
    cycle = services.cycle_open(organisation=p.hr.organisation, year=YEAR, actor=None)
    client.force_login(getattr(p, who).user)

    assert client.get(reverse("cycle_list")).status_code == 404
    assert client.get(reverse("cycle_detail", args=[cycle.pk])).status_code == 404
    assert open_through_the_page(client, year=2025).status_code == 404
    assert client.post(reverse("cycle_resume", args=[cycle.pk])).status_code == 404
    assert Cycle.objects.count() == 1


def test_the_menu_shows_cycles_to_hr_of_the_whole_organisation_only(client, p):
    signed_in(client, p.hr)
    assert reverse("cycle_list") in client.get(reverse("home")).content.decode()
    signed_in(client, p.team_hr)
    assert reverse("cycle_list") not in client.get(reverse("home")).content.decode()


def _organisation_with(people):
    org = factories.organisation()
    top = factories.unit(org)
    hr = factories.person(top, with_user=True)
    factories.grant(hr, Role.HR, top)
    for n in range(people - 1):
        # Every other person joins late in the year: the evaluation is not mandatory.
        start = dt.date(YEAR, 12, 1) if n % 2 else dt.date(2019, 3, 4)
        factories.person(top, start_date=start)
    cycle = services.cycle_open(organisation=org, year=YEAR, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    return hr, cycle


# session, user, cycle, viewer (person, grants), counts, policy overrides,
# participations to check (count, page), unread notifications in the menu.
CYCLE_PAGE_QUERIES = 10


@pytest.mark.parametrize("people", [10, 100])
def test_the_cycle_page_needs_the_same_number_of_queries_whatever_its_size(
    client, django_assert_num_queries, people
):
    hr, cycle = _organisation_with(people)
    signed_in(client, hr)
    url = reverse("cycle_detail", args=[cycle.pk])
    client.get(url)  # warm the session

    with django_assert_num_queries(CYCLE_PAGE_QUERIES):
        page = client.get(url).content.decode()

    assert re.search(rf'data-count="participations">{people}<', page)
    assert page.count("not mandatory: fewer than 479 hours") == min((people - 1) // 2, 50)


def test_people_saved_on_the_web_pages_follow_in_the_running_cycle(client, p, settings):
    """Joining, leaving and corrected hours go through the pages HR uses every day."""
    settings.TASKS = IMMEDIATE
    cycle = services.cycle_open(organisation=p.hr.organisation, year=YEAR, actor=None)
    signed_in(client, p.hr)

    client.post(reverse("person_create", args=[p.team.pk]), _person_form(
        p.employee, employee_number="N1", email="n1@example.test", start_date="2026-03-02"))
    client.post(reverse("person_edit", args=[p.employee.pk]),
                _person_form(p.employee, end_date="2026-09-30"))
    client.post(reverse("effective_work_edit", args=[p.colleague.pk]),
                {"year": YEAR, "hours_worked": "120", "note": "Loopbaanonderbreking"})

    joiner = Participation.objects.get(cycle=cycle, person__employee_number="N1")
    assert joiner.period_start == dt.date(YEAR, 1, 1)
    assert Participation.objects.get(cycle=cycle, person=p.employee).closed_on == \
        dt.date(YEAR, 9, 30)
    colleague = Participation.objects.get(cycle=cycle, person=p.colleague)
    assert (colleague.evaluation_required, colleague.exemption) == (False, "too_few_hours")


def test_an_applied_import_of_people_adds_them_to_the_running_cycle(client, p, settings):
    settings.TASKS = IMMEDIATE
    cycle = services.cycle_open(organisation=p.hr.organisation, year=YEAR, actor=None)
    signed_in(client, p.hr)
    content = ("employee_number;first_name;last_name;email;unit_code;start_date;"
               f"employment_status\r\nI1;Ines;Import;ines@example.test;{p.team.code};"
               "01/05/2026;statutory\r\n").encode()
    client.post(reverse("import_start"), {"kind": "people", "file": SimpleUploadedFile(
        "people.csv", content, content_type="text/csv")})

    client.post(reverse("import_apply", args=[ImportBatch.objects.get().pk]))

    assert Participation.objects.filter(cycle=cycle, person__employee_number="I1").exists()
