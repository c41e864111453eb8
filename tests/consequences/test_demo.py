"""`koers demo` seats the bodies and leaves an appeal and an objection (Flemish agency)."""

import io

import pytest
from django.core.management import call_command

from koers.consequences.models import Appeal, SalaryObjection
from koers.consequences.states import AppealState, ObjectionState
from koers.organisation import demo
from koers.organisation.models import Role, RoleGrant

pytestmark = pytest.mark.django_db


def test_the_demo_has_bodies_an_appeal_and_an_objection(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)

    seats = {(grant.organisation.name, grant.role) for grant in
             RoleGrant.objects.filter(role__in=[Role.MANAGEMENT_BODY, Role.ADVISORY_BODY,
                                                Role.APPEAL_BOARD]).select_related(
                 "organisation", "person__user")}
    # A Dutch municipality has none of the bodies (rulebook.terms).
    assert seats == {(org.name, role) for org in (demo.FEDERAL, demo.FLEMISH)
                     for role in (Role.MANAGEMENT_BODY, Role.ADVISORY_BODY, Role.APPEAL_BOARD)}
    appeal = Appeal.objects.select_related("organisation").get()
    objection = SalaryObjection.objects.select_related("organisation", "decision").get()
    assert (appeal.organisation.name, appeal.state, appeal.verdict) == (
        demo.FLEMISH.name, AppealState.FILED, "onvoldoende")
    assert (objection.organisation.name, objection.state, objection.decision.step) == (
        demo.FLEMISH.name, ObjectionState.FILED, 0)
    assert "before the appeal board" in out.getvalue()

    again = io.StringIO()
    call_command("demo-consequences", stdout=again)
    assert Appeal.objects.count() == 1
    assert "left as they are" in again.getvalue()
