"""The HR cycle dashboard in the browser: who sees it, drilling down, and the downloads."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from koers.core import clock
from koers.cycles.dashboard import count_cycles
from koers.cycles.models import CycleState
from koers.web.page.exports import neutralise
from tests import factories, personas
from tests.factories import bulk_participations
from tests.factories import participations as cycles

pytestmark = pytest.mark.django_db

AFTER_PLANNING = dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def cycle(p):
    """Everybody in the cycle; the employee and the colleague have not planned yet."""
    cycle = cycles.cycle(p.top.organisation, 2026)
    late = {p.employee.pk, p.colleague.pk}
    people = list(p.top.organisation.people.all())
    bulk_participations.participations(
        cycle, [person for person in people if person.pk in late]
    )
    bulk_participations.participations(
        cycle, [person for person in people if person.pk not in late],
        planning_done_on=dt.date(2026, 2, 1),
    )
    return cycle


def _page(client, cycle, unit):
    with clock.frozen(AFTER_PLANNING):
        response = client.get(reverse("cycle_dashboard_unit", args=[cycle.pk, unit.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_hr_sees_the_subtree_with_a_row_per_child_unit(client, p, cycle):
    client.force_login(p.hr.user)

    page = _page(client, cycle, p.top)

    assert "Evaluatieperiode 2026: Stadsbestuur" in page
    assert '<caption class="utrecht-table__caption">' in page
    link = reverse("cycle_dashboard_unit", args=[cycle.pk, p.department.pk])
    assert f'<a class="utrecht-link" href="{link}">Dienst Personeel</a>' in page
    # 9 people in the organisation, 8 of them in the department's subtree.
    assert re.search(r'Dienst Personeel</a></th> <td class="[^"]*numeric-column[^"]*">8</td>',
                     page)
    # Overdue counts say so in words, not only in colour.
    assert "2 te laat" in page


def test_the_cycle_link_starts_at_the_top_of_the_hr_subtree(client, p, cycle):
    client.force_login(p.team_hr.user)

    response = client.get(reverse("cycle_dashboard", args=[cycle.pk]))

    assert response.url == reverse("cycle_dashboard_unit", args=[cycle.pk, p.other_team.pk])


def test_drilling_down_shows_the_ancestors_as_a_breadcrumb(client, p, cycle):
    client.force_login(p.hr.user)

    page = _page(client, cycle, p.team)

    top_link = reverse("cycle_dashboard_unit", args=[cycle.pk, p.top.pk])
    department_link = reverse("cycle_dashboard_unit", args=[cycle.pk, p.department.pk])
    assert f'href="{top_link}">Stadsbestuur</a>' in page
    assert f'href="{department_link}">Dienst Personeel</a>' in page
    assert '<span aria-current="page">Team Loonadministratie</span>' in page


def test_hr_of_a_team_sees_the_ancestors_named_but_not_linked(client, p, cycle):
    client.force_login(p.team_hr.user)

    page = _page(client, cycle, p.other_team)

    top_link = reverse("cycle_dashboard_unit", args=[cycle.pk, p.top.pk])
    assert "Stadsbestuur" in page
    assert top_link not in page


@pytest.mark.parametrize("who", ["employee", "manager", "director", "outsider"])
def test_people_without_an_hr_grant_get_a_404(client, p, cycle, who):
    client.force_login(getattr(p, who).user)

    assert client.get(reverse("cycle_dashboard", args=[cycle.pk])).status_code == 404
    for unit in (p.top, p.team):
        url = reverse("cycle_dashboard_unit", args=[cycle.pk, unit.pk])
        assert client.get(url).status_code == 404


def test_hr_of_another_subtree_gets_a_404(client, p, cycle):
    client.force_login(p.team_hr.user)

    for unit in (p.top, p.department, p.team):
        url = reverse("cycle_dashboard_unit", args=[cycle.pk, unit.pk])
        assert client.get(url).status_code == 404
        export = reverse("cycle_dashboard_export", args=[cycle.pk, unit.pk, "csv"])
        assert client.get(export).status_code == 404


def test_a_unit_of_another_organisation_gets_a_404(client, p, cycle):
    other_org = p.outsider.organisation
    factories.grant(p.outsider, personas.Role.HR, p.outsider.unit)
    client.force_login(p.outsider.user)

    url = reverse("cycle_dashboard_unit", args=[cycle.pk, p.outsider.unit.pk])

    assert client.get(url).status_code == 404
    assert other_org != cycle.organisation


def _export(client, cycle, unit, file_format):
    with clock.frozen(AFTER_PLANNING):
        response = client.get(
            reverse("cycle_dashboard_export", args=[cycle.pk, unit.pk, file_format])
        )
    assert response.status_code == 200
    return response


def test_the_csv_download_holds_the_table_with_dutch_headings(client, p, cycle):
    client.force_login(p.hr.user)

    response = _export(client, cycle, p.top, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="koers-2026-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Eenheid", "Deelnemers", "Vrijgesteld"]
    # The unit, progress, overdue for each step of the Flemish policy (planning,
    # self-evaluation, evaluation, 1st and 2nd signature) and the people who leave.
    assert len(rows[0]) == 1 + 10 + 5 + 6
    assert rows[0][10] == "Te laat op een of meer stappen"
    assert rows[0][11].startswith("Te laat: ")
    blank = rows.index([])
    assert [row[0] for row in rows[1:blank]] == [
        "Dienst Personeel", "Rechtstreeks in Stadsbestuur", "Stadsbestuur, met de eenheden eronder",
    ]
    assert [row[1] for row in rows[1:blank]] == ["8", "1", "9"]
    # Then the people behind the late counts: the two who have not planned yet.
    assert rows[blank + 1] == ["Naam", "Eenheid", "Te laat voor", "Uiterste datum",
                               "Dagen te laat", "1ste evaluator", "2de evaluator"]
    assert sorted(row[0] for row in rows[blank + 2:]) == sorted(
        [p.employee.full_name, p.colleague.full_name])
    assert {row[2] for row in rows[blank + 2:]} == {"Planningsgesprek"}


def test_the_xlsx_download_holds_the_same_table(client, p, cycle):
    client.force_login(p.hr.user)

    response = _export(client, cycle, p.department, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Eenheid", "Deelnemers"]
    assert rows[1][:2] == ["Team Loonadministratie", 3]  # manager, employee, colleague
    blank = next(i for i, row in enumerate(rows) if not any(row))
    assert rows[blank - 1][:2] == ["Dienst Personeel, met de eenheden eronder", 8]
    assert rows[blank + 1][:3] == ["Naam", "Eenheid", "Te laat voor"]
    # Then the employee and the colleague, late on the planning.
    assert len(rows) == blank + 2 + 2


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_unit_name_that_looks_like_a_formula_is_written_as_text(client, p, cycle, file_format):
    p.team.name = '=HYPERLINK("https://evil.example","klik")'
    p.team.save(update_fields=["name"])
    client.force_login(p.hr.user)

    response = _export(client, cycle, p.department, file_format)

    if file_format == "csv":
        text = response.content.decode("utf-8").lstrip("\ufeff")
        first_cells = [row[0] for row in csv.reader(io.StringIO(text), delimiter=";") if row]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        first_cells = [row[0].value for row in sheet.iter_rows()]
        assert {row[0].data_type for row in sheet.iter_rows() if row[0].value} == {"s"}
    assert first_cells[1] == '\'=HYPERLINK("https://evil.example","klik")'


@pytest.mark.parametrize("value", ["=1+1", "+31 6", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_trigger_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Team Noord", "", "1e lijn", 12, -3])
def test_plain_text_and_numbers_are_left_alone(value):
    assert neutralise(value) == value


def test_an_unknown_download_format_is_a_404(client, p, cycle):
    client.force_login(p.hr.user)

    url = reverse("cycle_dashboard_export", args=[cycle.pk, p.top.pk, "pdf"])

    assert client.get(url).status_code == 404


def test_hr_home_links_to_the_dashboard_of_each_open_cycle(client, p, cycle):
    cycles.cycle(p.top.organisation, 2025, state=CycleState.CLOSED)
    client.force_login(p.hr.user)

    page = client.get(reverse("home")).content.decode()

    assert reverse("cycle_dashboard_unit", args=[cycle.pk, p.top.pk]) in page
    assert page.count("/dashboard/") == 1


def _organisation_with(size):
    org = factories.organisation()
    top = factories.unit(org)
    teams = [factories.unit(org, top) for _ in range(4)]
    hr = factories.person(top, with_user=True)
    factories.grant(hr, personas.Role.HR, top)
    people = [hr, *(factories.person(teams[i % 4]) for i in range(size - 1))]
    cycle = cycles.cycle(org, 2026)
    bulk_participations.participations(cycle, people)
    return hr, cycle, top


@pytest.mark.parametrize("size", [10, 100])
def test_the_page_needs_the_same_number_of_queries_for_10_and_100_people(
    client, django_assert_num_queries, size
):
    hr, cycle, top = _organisation_with(size)
    client.force_login(hr.user)
    url = reverse("cycle_dashboard_unit", args=[cycle.pk, top.pk])
    client.get(url)  # warm the session

    with clock.frozen(AFTER_PLANNING), django_assert_num_queries(DASHBOARD_QUERIES):
        page = client.get(url).content.decode()

    assert f"<strong>{size}</strong>" in page  # the participants of the subtree


# session + user, cycle with its organisation, unit, viewer (person, grants), children,
# the rollup (none: counted live), the counts, the running improvement plans per unit,
# the unread notifications in the header (the top unit has no ancestors). From the rollup
# of a large cycle: one less.
DASHBOARD_QUERIES = 11


@pytest.mark.parametrize("size", [10, 100])
def test_a_large_cycle_answers_from_its_count_in_as_many_queries_for_10_and_100_people(
    client, django_assert_num_queries, size
):
    hr, cycle, top = _organisation_with(size)
    with clock.frozen(AFTER_PLANNING):
        count_cycles(limit=1)
    client.force_login(hr.user)
    url = reverse("cycle_dashboard_unit", args=[cycle.pk, top.pk])
    client.get(url)  # warm the session

    with clock.frozen(AFTER_PLANNING + dt.timedelta(hours=2)), django_assert_num_queries(
            DASHBOARD_QUERIES - 1):
        page = client.get(url).content.decode()

    assert f"<strong>{size}</strong>" in page
    # The page says when it was counted (Europe/Brussels: 12:00).
    assert "01-05-2026 om 12:00" in page  # the HR user reads Dutch
