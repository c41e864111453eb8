"""Home pages made for each role, in Dutch and English, from a bounded number of queries."""

import re

import pytest
from django.urls import reverse

from koers.organisation.models import Role
from tests import factories, personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_employee_home_shows_own_profile_and_evaluators(client, p):
    client.force_login(p.employee.user)
    page = client.get(reverse("home")).content.decode()
    assert "Mijn profiel" in page
    assert p.employee.employee_number in page
    assert "Ratana Than" in page  # 1st evaluator
    assert p.department.manager.full_name in page  # 2nd evaluator
    assert "Mijn team" not in page
    assert p.colleague.full_name not in page


def test_manager_home_lists_the_team_with_their_facts(client, p):
    client.force_login(p.manager.user)
    page = client.get(reverse("home")).content.decode()
    assert "Mijn team" in page
    assert "Marc Vandamme" in page
    assert "Peter Gordon" in page
    assert p.unrelated_employee.full_name not in page


def test_hr_home_shows_the_unit_tree_with_head_counts(client, p):
    client.force_login(p.hr.user)
    page = client.get(reverse("home")).content.decode()
    assert "Organisatie" in page
    assert "Stadsbestuur" in page
    assert "Dienst Personeel" in page
    compact = re.sub(r"\s+", " ", page)
    assert "9 medewerkers in dienst" in compact  # the whole organisation
    # Everyone but the director works in the department's subtree.
    assert re.search(r"Dienst Personeel</a></th> <td[^>]*>[^<]*</td> <td[^>]*>8</td>", compact)


def test_home_speaks_english_after_the_switch_and_remembers_it(client, p):
    client.force_login(p.employee.user)
    response = client.post(reverse("language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    p.employee.user.refresh_from_db()
    assert p.employee.user.language == "en"
    client.cookies.clear()
    client.force_login(p.employee.user)
    page = client.get(reverse("home")).content.decode()
    assert "My profile" in page
    assert '<html lang="en"' in page


def test_the_language_switch_refuses_an_unknown_language_and_foreign_redirects(client, p):
    client.force_login(p.employee.user)
    response = client.post(reverse("language"), {"language": "xx", "next": "https://evil.test/"})
    assert response.url == reverse("home")
    p.employee.user.refresh_from_db()
    assert p.employee.user.language == "nl"


def _manager_with_team(size: int):
    org = factories.organisation()
    top = factories.unit(org)
    team = factories.unit(org, top)
    boss = factories.person(top, manages=top)
    manager = factories.person(team, manages=team, with_user=True)
    for _ in range(size):
        factories.person(team)
    factories.grant(manager, Role.HR, team)  # every home section at once
    assert boss
    return manager


@pytest.mark.parametrize("size", [10, 100])
def test_home_needs_the_same_number_of_queries_for_10_and_100_team_members(
    client, django_assert_num_queries, size
):
    manager = _manager_with_team(size)
    client.force_login(manager.user)
    client.get(reverse("home"))  # warm the session
    with django_assert_num_queries(HOME_QUERIES):
        page = client.get(reverse("home")).content.decode()
    assert page.count('scope="row"') >= size


# session + user, viewer (person, grants), team (1 + 1 to load), second line (1),
# evaluator lines (1: all three from the read model of the lines), HR section (3 per
# root unit), the open cycles' dashboards (1),
# the unread notifications in the header (1), the policy (1: are the work plan and
# mediation offered),
# the task list (13 with nothing waiting: evaluations, goals, reports, work plans,
# improvement plans, the team's absences and changes of working time, HR's delivered
# onvoldoende, development plans, the two kinds of POP preparation, the running federal
# stages and the Flemish plannings to sign; the access requests read the lines already loaded).
HOME_QUERIES = 26
