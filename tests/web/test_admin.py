"""Django admin saves people through the organisation services, so the cycles follow."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory

from koers.audit.models import AuditEvent
from koers.core.models import User
from koers.cycles import services
from koers.cycles.models import Participation
from koers.organisation.models import Person, SalarySystem
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_leaver_saved_in_the_admin_is_closed_in_the_running_cycle_and_audited():
    org = factories.organisation()
    top = factories.unit(org)
    employee = factories.person(top)
    cycle = services.cycle_open(organisation=org, year=2026, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    superuser = User.objects.create_superuser(email="root@example.test", password="x")
    request = RequestFactory().post("/admin/")
    request.user = superuser
    employee.end_date = dt.date(2026, 9, 30)

    admin.site._registry[Person].save_model(request, employee, form=None, change=True)

    participation = Participation.objects.get(cycle=cycle, person=employee)
    assert participation.closed_on == dt.date(2026, 9, 30)
    event = AuditEvent.objects.filter(action="person.changed").get()
    assert event.actor_id == superuser.pk


def test_without_the_tick_the_admin_follows_the_salary_rule():
    org = factories.organisation()
    employee = factories.person(factories.unit(org), start_date=dt.date(2025, 1, 6))
    request = RequestFactory().post("/admin/")
    request.user = User.objects.create_superuser(email="root@example.test", password="x")
    employee.salary_system, employee.salary_system_overridden = SalarySystem.SENIORITY, False

    admin.site._registry[Person].save_model(request, employee, form=None, change=True)

    employee.refresh_from_db()
    assert employee.salary_system == SalarySystem.EVALUATION
