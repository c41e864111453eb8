"""The director's department view, the page and the API operation: both call
``conversations.selectors.department_reports``."""

import pytest

from koers.conversations.states import ConversationKind
from koers.organisation.models import Role
from tests import factories, personas
from tests.conversations.test_department_reports import dutch, held

pytestmark = pytest.mark.django_db

PAGE = "/conversations/department/"
API = "/api/v1/department/conversation-reports"


@pytest.fixture
def p():
    return dutch(personas.build())


def test_director_lists_both_reports_opens_one_and_the_employee_sees_the_read(client, p):
    first = held(p, p.employee, report="Marc werkt aan de planning.")
    held(p, p.colleague, report="Peter haalt zijn doelen.")
    client.force_login(p.director.user)

    page = client.get(PAGE)
    listed = client.get(API).json()["items"]
    detail = client.get(f"/conversations/{first.pk}/")

    assert page.status_code == 200
    assert "Marc werkt aan de planning." in page.content.decode()
    assert "Peter haalt zijn doelen." in page.content.decode()
    assert sorted(r["employee"]["name"] for r in listed) == sorted(
        [p.employee.full_name, p.colleague.full_name])
    assert detail.status_code == 200
    client.force_login(p.employee.user)
    reads = client.get("/access/reads/").content.decode()
    assert p.director.full_name in reads
    assert reads.count(p.director.full_name) == 3  # the page, the API and the detail


def test_the_filters_reach_the_page_and_the_api(client, p):
    held(p, p.employee)
    held(p, p.colleague, kind=ConversationKind.PLANNING)
    client.force_login(p.director.user)

    api = client.get(API, {"kind": "planning"}).json()["items"]
    page = client.get(PAGE, {"kind": "planning", "name": "Gordon"})

    assert [r["employee"]["name"] for r in api] == [p.colleague.full_name]
    assert p.colleague.full_name in page.content.decode()
    assert p.employee.full_name not in page.content.decode()


def test_a_director_under_the_flemish_policy_gets_404(client):
    p = personas.build()
    factories.grant(p.director, Role.DIRECTOR, p.department)
    held(p, p.employee)
    client.force_login(p.director.user)
    assert (client.get(PAGE).status_code, client.get(API).status_code) == (404, 404)


def test_an_unrelated_manager_gets_404(client, p):
    held(p, p.employee)
    client.force_login(p.unrelated_manager.user)
    assert (client.get(PAGE).status_code, client.get(API).status_code) == (404, 404)


def test_the_start_page_leads_the_reading_director_to_the_department_reports(client, p):
    client.force_login(p.director.user)
    director_home = client.get("/").content.decode()
    client.force_login(p.manager.user)
    manager_home = client.get("/").content.decode()

    assert PAGE in director_home
    assert PAGE not in manager_home
