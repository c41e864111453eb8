"""The pages: the management body's worklist, the appeal board's file, the reads log."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from koers.consequences.models import CaseFileRead, SalaryDecision
from tests import factories
from tests.factories import consequences as cf
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

SECRET = "Marc kwam zijn afspraken niet na."


def _worklist_queries(client, member) -> tuple[int, str]:
    client.force_login(member.user)
    with ev.on(cf.AFTER_TERM), CaptureQueriesContext(connection) as queries:
        response = client.get("/salary-decisions/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_worklist_costs_the_same_for_one_or_three_and_shows_no_report(client, p,
                                                                          bodies) -> None:
    cf.delivered(p, p.employee, verdict="voldoende", overall=SECRET)
    one, body = _worklist_queries(client, bodies.management)
    for n in range(2):
        person = cf.evaluation_based(factories.person(p.team, with_user=True,
                                                      first_name=f"Extra{n}"))
        cf.delivered(p, person)
    three, _body = _worklist_queries(client, bodies.management)

    assert three == one
    assert "Marc Vandamme" in body
    assert SECRET not in body


def test_the_management_body_decides_several_at_once_on_the_page(client, p, bodies) -> None:
    marc = cf.delivered(p, p.employee)
    peter = cf.delivered(p, p.colleague, verdict="onvoldoende")
    client.force_login(bodies.management.user)

    with ev.on(cf.AFTER_TERM):
        response = client.post("/salary-decisions/", {
            f"step_{marc.pk}": "2", f"step_{peter.pk}": "0",
            "organisation": str(p.employee.organisation_id)})

    assert response.status_code == 302
    assert sorted(SalaryDecision.objects.values_list("person__first_name", "step")) == [
        ("Marc", 2), ("Peter", 0)]


def test_the_worklist_is_not_for_others(client, p, bodies) -> None:
    client.force_login(p.hr.user)

    assert client.get("/salary-decisions/").status_code == 404


def test_a_board_member_reads_the_file_and_the_employee_sees_it(client, p, bodies) -> None:
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende", overall=SECRET))
    client.force_login(bodies.board.user)

    page = client.get(f"/appeals/{appeal.pk}/file/").content.decode()

    assert SECRET in page
    assert list(CaseFileRead.objects.values_list("reader__first_name", "role")) == [
        ("Bert", "appeal_board")]
    client.force_login(p.employee.user)
    own = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "Bert Orgaan" in own
    assert CaseFileRead.objects.count() == 1  # the employee's own read is not logged
    # "Who looked at my data" lists it beside the reads under HR's access requests.
    reads = client.get("/access/reads/").content.decode()
    assert "Bert Orgaan" in reads
    assert "No body read a case file about you." not in reads


def test_who_looked_answers_in_the_same_queries_whatever_the_number_of_reads(
        client, p, bodies) -> None:
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    client.force_login(p.employee.user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/access/reads/").status_code == 200
        return len(captured)

    client_board = Client()
    client_board.force_login(bodies.board.user)
    client_board.get(f"/appeals/{appeal.pk}/file/")
    one = queries()
    for _ in range(4):
        client_board.get(f"/appeals/{appeal.pk}/file/")
    assert CaseFileRead.objects.count() == 5
    assert queries() == one


def test_hr_sees_the_appeal_without_its_grounds_or_the_file(client, p, bodies) -> None:
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    client.force_login(p.hr.user)

    page = client.get(f"/appeals/{appeal.pk}/").content.decode()

    assert "Marc Vandamme" in page
    assert cf.GROUNDS not in page
    assert client.get(f"/appeals/{appeal.pk}/file/").status_code == 404


def test_the_employee_files_an_appeal_on_the_page(client, p) -> None:
    marc = cf.delivered(p, p.employee, verdict="onvoldoende")
    client.force_login(p.employee.user)

    with ev.on(cf.IN_TERM):
        # The evaluation page leads there while the term runs, and says until when.
        page = client.get(f"/evaluations/{marc.pk}/").content.decode()
        response = client.post(f"/evaluations/{marc.pk}/appeal/", {"grounds": cf.GROUNDS})
        after = client.get(f"/evaluations/{marc.pk}/").content.decode()

    assert f'href="/evaluations/{marc.pk}/appeal/"' in page
    assert "27 december 2025" in page  # delivered 12 December, 15 days to appeal
    assert response.status_code == 302
    appeal = marc.appeals.get()
    assert appeal.grounds == cf.GROUNDS
    assert f'href="/appeals/{appeal.pk}/"' in after


@pytest.mark.parametrize(("verdict", "day"), [("voldoende", cf.IN_TERM),
                                               ("onvoldoende", cf.AFTER_TERM)])
def test_no_appeal_is_offered_for_a_voldoende_or_after_the_term(client, p, verdict, day) -> None:
    marc = cf.delivered(p, p.employee, verdict=verdict)
    client.force_login(p.employee.user)

    with ev.on(day):
        page = client.get(f"/evaluations/{marc.pk}/").content.decode()

    assert "Marc" in page
    assert "/appeal/" not in page


@pytest.mark.parametrize("asked", ["²", "٣", "1" * 40, "-1"])
def test_an_organisation_that_is_no_whole_number_reads_as_none_chosen(client, p, bodies,
                                                                      asked) -> None:
    """Characters that pass ``isdigit`` but are no ASCII digits (a superscript two, an
    Arabic-Indic three) or a number past any id used to answer 500."""
    client.force_login(bodies.management.user)
    with ev.on(cf.AFTER_TERM):
        response = client.get("/salary-decisions/", {"organisation": asked})
    assert response.status_code in (200, 404)


def test_the_outcome_radios_start_unchosen_each_with_its_label_and_record_the_choice(
        client, p, bodies) -> None:
    appeal = cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    client.force_login(p.hr.user)
    day = dt.date(cf.YEAR + 1, 1, 20)

    with ev.on(day):
        page = client.get(f"/appeals/{appeal.pk}/outcome/").content.decode()
        radios = re.findall(r'<input[^>]*type="radio" name="outcome"[^>]*>', page)
        ids = [re.search(r'id="([^"]+)"', radio).group(1) for radio in radios]
        refused = client.post(f"/appeals/{appeal.pk}/outcome/",
                              {"decided_on": day.isoformat(), "remarks": ""})
        appeal.refresh_from_db()
        assert appeal.outcome == ""  # nothing chosen, nothing decided
        response = client.post(f"/appeals/{appeal.pk}/outcome/", {
            "outcome": "changed", "decided_on": day.isoformat(), "remarks": ""})

    assert len(radios) == 2
    assert len(set(ids)) == 2  # each radio its own id ...
    for radio_id in ids:  # ... and its own label
        assert page.count(f'for="{radio_id}"') == 1
    assert not any("checked" in radio for radio in radios)  # no outcome chosen for HR
    assert "aria-invalid" not in page
    assert refused.status_code == 200
    assert 'aria-invalid="true"' in refused.content.decode()
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.outcome == "changed"
