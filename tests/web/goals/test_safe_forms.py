"""Safe goal forms: no status is chosen for the user, and a required field looks neutral
until a submit is refused."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from koers.core.models import User
from koers.goals.models import GoalChange
from koers.goals.states import GoalStatus
from koers.organisation.models import Organisation
from tests import personas
from tests.factories import goals

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return personas.build()


def _status_select(page: str) -> str:
    found = re.search(r'<select name="status"[^>]*>(.*?)</select>', page, re.S)
    assert found is not None
    return found.group(1)


def test_a_proposed_goal_is_not_one_click_from_cancelled(client, p,
                                                         django_assert_max_num_queries):
    goal = goals.proposed(p.employee)
    client.force_login(p.employee.user)

    with django_assert_max_num_queries(30):
        page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()

    options = re.findall(r"<option[^>]*>", _status_select(page))
    # The empty choice comes first and is the one selected; "cancelled" is offered only.
    assert options[0] == '<option value="" selected>'
    assert '<option value="cancelled">' in options
    assert all("selected" not in option for option in options[1:])


def test_sending_the_status_form_untouched_changes_nothing(client, p):
    goal = goals.agreed(p.employee, p.manager)
    client.force_login(p.employee.user)

    client.post(reverse("goal_status", args=[goal.pk]), {"status": "", "reason": ""})

    goal.refresh_from_db()
    assert goal.status == GoalStatus.AGREED


def test_a_required_field_is_neutral_on_first_load_and_invalid_after_a_refused_submit(
        client, p):
    client.force_login(p.employee.user)
    url = reverse("goal_new", args=[p.employee.pk])

    first = client.get(url).content.decode()

    assert re.search(r'<input type="text" name="title"[^>]*\brequired\b', first)
    assert "aria-invalid" not in first
    assert "--invalid" not in first
    assert "utrecht-alert--error" not in first

    refused = client.post(url, {"kind": "performance", "title": "", "visibility": "private",
                                "milestones": "", "team_goal": ""}).content.decode()

    title = re.search(r'<input type="text" name="title"[^>]*>', refused)
    assert title is not None
    assert 'aria-invalid="true"' in title.group(0)
    assert 'aria-describedby="id_title_help id_title_error"' in title.group(0)
    assert 'id="id_title_error"' in refused
    assert "utrecht-form-field--invalid" in refused
    # Only the field that was wrong: the optional description stays neutral.
    description = re.search(r"<textarea[^>]*name=\"description\"[^>]*>", refused)
    assert description is not None
    assert "aria-invalid" not in description.group(0)


def test_the_history_tells_each_change_in_a_sentence(client, p):
    goal = goals.agreed(p.employee, p.manager)
    User.objects.filter(pk=p.employee.user_id).update(language="en")
    client.force_login(p.employee.user)

    page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()

    assert "Status changed from proposed to agreed." in page
    assert "status: proposed" not in page
    assert "→" not in page


def test_times_are_shown_in_the_organisations_time_zone(client, p):
    goal = goals.proposed(p.employee)
    GoalChange.objects.filter(goal=goal).update(
        at=dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC))
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        time_zone="Europe/Lisbon")  # UTC+0 in winter, an hour behind the server's zone
    client.force_login(p.employee.user)

    page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()

    assert "02-03-2026 12:00" in page
    assert "02-03-2026 13:00" not in page
    # Each request reads the zone again: a change shows on the next page.
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        time_zone="Europe/Brussels")
    page = client.get(reverse("goal_detail", args=[goal.pk])).content.decode()
    assert "02-03-2026 13:00" in page
