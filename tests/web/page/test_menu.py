"""The main menu, built per viewer in one place (``web.page.menu``): each role is offered
its own pages, every entry opens for that viewer, and the menu costs no query."""

import re

import pytest
from django.urls import resolve, reverse

from koers.access.policy import Viewer
from koers.core.models import User
from koers.organisation.models import Role
from koers.web.page.menu import menu_for
from tests import factories, personas

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="koers-nav".*?</nav>', re.S)
ACCOUNT = re.compile(r'<nav class="koers-account__panel".*?</nav>', re.S)
LINK = re.compile(r'<a class="utrecht-link" href="([^"]+)"( aria-current="page")?>')


@pytest.fixture
def p():
    return personas.build()


def _links(client, url="/") -> tuple[list[str], list[str], list[str]]:
    """The main menu's and the account menu's addresses on ``url``, and the current ones."""
    page = client.get(url).content.decode()
    main = LINK.findall(MENU.search(page).group(0))
    account = LINK.findall(ACCOUNT.search(page).group(0))
    current = [href for href, mark in main + account if mark]
    return [href for href, _ in main], [href for href, _ in account], current


def _names(hrefs: list[str]) -> set[str]:
    return {resolve(href).url_name for href in hrefs}


EVERY_PERSON = {"home", "my_goals", "my_conversations", "my_evaluations",
                "my_development_plans", "my_data", "notifications"}


def test_an_employee_gets_their_own_pages_and_no_access_requests(client, p):
    client.force_login(p.employee.user)
    main, account, _ = _links(client)
    assert _names(main) == EVERY_PERSON
    assert _names(account) == {"my_reads", "mfa_index", "api_tokens"}


def test_a_manager_with_a_team_also_gets_the_team(client, p):
    client.force_login(p.manager.user)
    main, _, _ = _links(client)
    assert _names(main) == EVERY_PERSON | {"team_overview", "team_goals"}


def test_a_second_evaluator_gets_the_access_requests_to_decide(client, p):
    # Access requests about a person are decided by their 2nd evaluator (access.selectors).
    head = p.department.manager
    client.force_login(head.user)
    main, _, _ = _links(client)
    assert {"team_overview", "access_requests"} <= _names(main)


def test_hr_of_the_whole_organisation_gets_its_pages(client, p):
    client.force_login(p.hr.user)
    main, _, _ = _links(client)
    assert _names(main) == EVERY_PERSON | {
        "unit_tree", "cycle_list", "import_start", "policy_start", "access_requests",
        "undelivered_mail"}


def test_hr_of_one_team_gets_no_organisation_wide_pages(client, p):
    client.force_login(p.team_hr.user)
    main, _, _ = _links(client)
    assert _names(main) == EVERY_PERSON | {"unit_tree", "access_requests"}


def test_the_security_officer_and_a_body_member_get_their_pages(client, p):
    factories.grant(p.colleague, Role.SECURITY_OFFICER)
    factories.grant(p.unrelated_employee, Role.APPEAL_BOARD)
    client.force_login(p.colleague.user)
    assert "security_log" in _names(_links(client)[0])
    client.force_login(p.unrelated_employee.user)
    assert "consequences" in _names(_links(client)[0])


def _everyone(p) -> dict[str, User]:
    factories.grant(p.colleague, Role.SECURITY_OFFICER)
    factories.grant(p.unrelated_employee, Role.MANAGEMENT_BODY)
    factories.grant(p.outsider, Role.ADVISORY_BODY)
    people = {name: getattr(p, name).user for name in (
        "director", "manager", "employee", "colleague", "unrelated_manager",
        "unrelated_employee", "hr", "team_hr", "outsider")}
    people["second evaluator"] = p.department.manager.user
    people["superuser without a person"] = factories.superuser("root@example.org", "x")
    return people


def test_every_menu_entry_opens_for_every_persona(client, p):
    """A menu entry never leads to a 404 or 403 for the viewer it is shown to."""
    for name, user in _everyone(p).items():
        client.force_login(user)
        main, account, _ = _links(client)
        for href in main + account:
            response = client.get(href, follow=True)
            assert response.status_code == 200, (name, href)


def test_the_current_page_is_marked(client, p):
    client.force_login(p.hr.user)
    assert _links(client, reverse("my_goals"))[2] == [reverse("my_goals")]
    # "Policy" redirects to the organisation's policy: that page is the entry's own.
    policy_page = reverse("policy_detail", args=[p.hr.organisation_id])
    assert _links(client, policy_page)[2] == [reverse("policy_start")]
    assert _links(client, reverse("api_tokens"))[2] == [reverse("api_tokens")]


def test_the_menu_adds_no_query(p, django_assert_num_queries):
    """The menu reads only what ``Viewer.of`` loads: the person with whether they evaluate
    anyone (one query) and the role grants (one query)."""
    for person in (p.employee, p.manager, p.hr, p.team_hr):
        with django_assert_num_queries(2):
            viewer = Viewer.of(person.user)
        with django_assert_num_queries(0):
            menu_for(viewer, current="home")


def test_leading_a_team_is_read_with_the_person(p):
    assert Viewer.of(p.manager.user).leads_team is True
    assert Viewer.of(p.employee.user).leads_team is False
    assert Viewer.of(p.department.manager.user).evaluates_second_line is True
    assert Viewer.of(p.manager.user).evaluates_second_line is False
