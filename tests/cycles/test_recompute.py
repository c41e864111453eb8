"""A policy change after opening: the running cycle's due dates follow (in a worker)."""

import datetime as dt

import pytest
from django.urls import reverse

from koers.cycles import services
from koers.cycles.models import Participation
from koers.cycles.tasks import recompute_participations_task
from koers.organisation.models import Role
from koers.rulebook.services import parse_settings, policy_settings_change
from tests import factories

pytestmark = pytest.mark.django_db


def _opened_flemish_cycle():
    org = factories.organisation()
    top = factories.unit(org)
    hr = factories.person(top, with_user=True)
    factories.grant(hr, Role.HR, top)
    employee = factories.person(top)
    cycle = services.cycle_open(organisation=org, year=2026, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    return org, hr, employee, cycle


def test_the_recompute_task_moves_due_dates_to_the_new_setting():
    org, hr, employee, cycle = _opened_flemish_cycle()
    participation = Participation.objects.get(cycle=cycle, person=employee)
    assert participation.first_signature_due == dt.date(2027, 3, 15)
    values = parse_settings(organisation=org, texts={"first_signature_by": "10-03 +1"})
    policy_settings_change(organisation=org, values=values, actor=hr.user)

    assert recompute_participations_task.call(org.pk) == 1

    participation.refresh_from_db()
    cycle.refresh_from_db()
    assert participation.first_signature_due == dt.date(2027, 3, 10)
    assert participation.self_evaluation_due == dt.date(2027, 3, 10)
    assert cycle.policy_version.endswith("+local")


def test_changing_the_policy_in_the_ui_recomputes_the_running_cycle(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    org, hr, employee, cycle = _opened_flemish_cycle()
    client.force_login(hr.user)
    page = client.get(reverse("policy_edit", args=[org.pk]))
    form = page.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value()
            for name in form.fields}
    data["first_signature_by"] = "10-03 +1"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("policy_edit", args=[org.pk]), data)
    assert response.status_code == 302
    participation = Participation.objects.get(cycle=cycle, person=employee)
    assert participation.first_signature_due == dt.date(2027, 3, 10)
