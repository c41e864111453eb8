"""Retention: after the period, leavers are pseudonymised and old records erased, and the
audit trail still verifies."""

import datetime as dt
import io
import logging

import pytest
from django.core.management import call_command
from django.db.models import Q

from koers.access import retention
from koers.access.models import AccessRead, AccessRequest, Pseudonymisation
from koers.access.personal_data import deletable
from koers.access.tasks import retention_task
from koers.audit import services as audit
from koers.audit.models import AuditEvent
from koers.conversations.models import Conversation
from koers.core import clock
from koers.core.models import User
from koers.cycles.models import Participation
from koers.goals.models import Goal
from koers.notify.models import Notification
from koers.organisation import services as organisation_services
from koers.organisation.models import Absence, EffectiveWork, Person
from koers.rulebook.services import policy_settings_change
from tests import personas
from tests.access import data
from tests.factories import goals as goal_factories

pytestmark = pytest.mark.django_db

THEN = dt.datetime(2020, 3, 2, 12, tzinfo=dt.UTC)  # when the data was made
NOW = dt.datetime(2027, 3, 2, 12, tzinfo=dt.UTC)  # when retention runs: 7 years later


@pytest.fixture
def p() -> personas.Personas:
    """Marc left in 2020 with data in every room; Peter still works here, with data of
    2020 and a goal of today."""
    with clock.frozen(THEN):
        world = personas.build()
        data.fill(world, world.employee, year=2020)
        data.fill(world, world.colleague, year=2020)
        organisation_services.person_save(
            organisation=world.employee.organisation, person=world.employee,
            end_date=dt.date(2020, 6, 30), actor=world.hr.user)
    Goal.objects.update(updated_at=THEN)  # auto_now ignores the frozen clock
    Conversation.objects.update(updated_at=THEN, starts_at=THEN - dt.timedelta(hours=1),
                                ends_at=THEN)
    with clock.frozen(NOW):
        goal_factories.proposed(world.colleague, title="Nieuw doel van dit jaar")
    return world


def _keep_for(p: personas.Personas, years: int | None) -> None:
    with clock.frozen(NOW):
        policy_settings_change(organisation=p.employee.organisation,
                               values={"retention_years": years}, actor=p.hr.user)


def _run(p: personas.Personas, **options) -> retention.RetentionReport:
    with clock.frozen(NOW):
        return retention.retention_run(organisation=p.employee.organisation, **options)


def _audit_text() -> str:
    return " ".join(f"{label} {changes}" for label, changes in
                    AuditEvent.objects.values_list("actor_label", "changes"))


def test_without_a_period_nothing_is_erased(p):
    report = _run(p)

    assert report.years is None
    assert report.line().endswith("no retention period set, nothing erased")
    assert Goal.objects.filter(owner=p.employee).count() == 1
    assert not AuditEvent.objects.filter(action="retention.applied").exists()


def test_a_leaver_is_pseudonymised_and_their_content_erased(p):
    _keep_for(p, 5)
    employee_user_id = p.employee.user_id

    report = _run(p)

    marc = Person.objects.get(pk=p.employee.pk)
    assert marc.full_name == f"Pseudonym #{marc.pk}"
    assert marc.email == f"person-{marc.pk}@invalid.invalid"
    assert (marc.job_title, marc.grade) == ("", "")
    assert (marc.start_date, marc.end_date) == (dt.date(2020, 1, 6), dt.date(2020, 6, 30))
    login = User.objects.get(pk=employee_user_id)
    assert (login.email, login.is_active, login.has_usable_password()) == (
        f"user-{login.pk}@invalid.invalid", False, False)
    assert Pseudonymisation.objects.filter(person=marc).exists()
    for model, field in ((Goal, "owner"), (Conversation, "employee"),
                         (Participation, "person"), (EffectiveWork, "person"),
                         (Absence, "person"), (AccessRequest, "subject"),
                         (AccessRead, "subject")):
        assert not model.objects.filter(**{field: marc}).exists(), model
    assert not Notification.objects.filter(recipient_id=employee_user_id).exists()
    assert report.people == 1
    assert "Vandamme" not in _audit_text()
    assert data.REASON not in _audit_text()  # Peter's request of 2020 went too


def test_old_records_of_people_still_employed_go_and_new_ones_stay(p):
    _keep_for(p, 5)

    _run(p)

    assert list(Goal.objects.filter(owner=p.colleague).values_list("title", flat=True)) == [
        "Nieuw doel van dit jaar"]
    assert not Conversation.objects.filter(employee=p.colleague).exists()
    assert not Participation.objects.filter(person=p.colleague).exists()
    assert Person.objects.get(pk=p.colleague.pk).full_name == "Peter Gordon"


def test_the_audit_trail_still_verifies_after_retention(p):
    _keep_for(p, 5)

    report = _run(p)
    out = io.StringIO()
    call_command("verify-audit", stdout=out)

    assert audit.verify().breaks == []
    assert out.getvalue().startswith("ok: ")
    emptied_changes = AuditEvent.objects.exclude(changes_redacted_in="")
    emptied_actors = AuditEvent.objects.exclude(actor_redacted_in="")
    assert emptied_changes.count() + emptied_actors.count() == report.audit_events > 0
    assert {(str(changes), salt) for changes, salt in
            emptied_changes.values_list("changes", "changes_salt")} == {("{}", "")}
    assert set(emptied_actors.values_list("actor_label", "actor_salt")) == {("", "")}
    summary = AuditEvent.objects.get(action="retention.applied")
    assert summary.changes["people"] == 1
    assert summary.changes["audit_parts"] == report.audit_events


def test_what_a_leaver_did_to_others_records_no_longer_says_who(p):
    """Marc changed a goal of Peter's before he left: the goal stays, his name goes."""
    with clock.frozen(THEN):
        goal = goal_factories.proposed(p.colleague, by=p.manager, title="Samen opgesteld")
    marc_user = p.employee.user
    with clock.frozen(THEN):
        audit.record(actor=marc_user, action="goal.adjusted", target=goal,
                     changes={"progress": [0, 10]}, organisation_id=goal.owner.organisation_id)
    Goal.objects.filter(pk=goal.pk).update(updated_at=NOW)
    _keep_for(p, 5)

    _run(p)

    event = AuditEvent.objects.get(chain=audit.chain_of(goal), action="goal.adjusted")
    assert (event.actor_label, event.changes) == ("", {"progress": [0, 10]})
    assert event.actor_id == marc_user.pk
    assert audit.verify().breaks == []


def test_a_dry_run_counts_what_a_run_erases_and_changes_nothing(p):
    _keep_for(p, 5)
    events_before = AuditEvent.objects.count()

    dry = _run(p, dry_run=True)

    assert AuditEvent.objects.count() == events_before
    assert Person.objects.get(pk=p.employee.pk).last_name == "Vandamme"
    real = _run(p)
    assert (dry.people, dry.counts, dry.audit_events) == (
        real.people, real.counts, real.audit_events)
    assert dry.line().startswith(f"{p.employee.organisation.name}: cutoff 2022-03-02, "
                                 "would erase: people: 1, ")


def test_a_second_run_finds_nothing_new(p):
    _keep_for(p, 5)
    _run(p)
    events = AuditEvent.objects.count()

    again = _run(p)

    assert (again.people, again.audit_events) == (0, 0)
    assert set(again.counts.values()) <= {0}
    assert AuditEvent.objects.count() == events


def test_people_go_in_batches_with_one_summary_each(p):
    with clock.frozen(THEN):
        organisation_services.person_save(
            organisation=p.colleague.organisation, person=p.colleague,
            end_date=dt.date(2020, 6, 30), actor=p.hr.user)
    _keep_for(p, 5)

    report = _run(p, batch_size=1)

    assert report.people == 2
    assert AuditEvent.objects.filter(action="retention.applied").count() == 2
    assert audit.verify().breaks == []


def test_a_longer_period_keeps_everything(p):
    _keep_for(p, 10)

    report = _run(p)

    assert report.people == 0
    assert Goal.objects.filter(owner=p.employee).exists()


def test_the_command_and_the_task(p):
    _keep_for(p, 5)
    out = io.StringIO()
    with clock.frozen(NOW):
        call_command("retention", "--dry-run", "--org", p.employee.organisation.slug,
                     stdout=out)
        lines = retention_task.call()

    assert "would erase: people: 1" in out.getvalue()
    assert any("erased: people: 1" in line for line in lines)


def test_records_another_record_protects_are_left_for_later(p):
    # An access request's requester is protected (on_delete=PROTECT): HR stays.
    protected = Person.objects.filter(
        pk__in=AccessRequest.objects.values("requester_id"))

    assert protected.exists()
    assert not deletable(Person.objects.filter(Q(pk__in=protected))).exists()
    assert deletable(Person.objects.filter(pk=p.outsider.pk)).exists()


def test_the_cutoff_of_a_leap_day():
    assert retention.cutoff_for(5, dt.date(2028, 2, 29)) == dt.date(2023, 2, 28)
    assert retention.cutoff_for(4, dt.date(2028, 2, 29)) == dt.date(2024, 2, 29)


def test_the_scheduler_runs_retention_once_a_day(p, settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _keep_for(p, 5)
    out = io.StringIO()

    with clock.frozen(NOW), caplog.at_level(logging.INFO):
        call_command("scheduler", "--rounds", "3", "--every", "0.0001", stdout=out)

    assert out.getvalue().count(
        "enqueued worker heartbeat, reminders, dashboard counts of large cycles, "
        "expired renderings and e-mail delivery") == 3
    assert caplog.text.count("enqueued retention") == 1
    assert AuditEvent.objects.filter(action="retention.applied").count() == 1
    assert Person.objects.get(pk=p.employee.pk).first_name == retention.PSEUDONYM


def test_hr_sets_the_period_through_the_api_in_years(p):
    from django.test import Client
    from django.utils import translation

    from koers.rulebook.policy import policy_for
    from koers.rulebook.registry import SETTINGS, describe

    client = Client()
    client.force_login(p.hr.user)
    url = f"/api/v1/organisations/{p.employee.organisation_id}/policy/retention_years"

    read = client.get(url.removesuffix("/retention_years")).json()["revision"]
    response = client.put(url, {"value": "10", "expected_revision": read},
                          content_type="application/json")
    refused = client.put(url, {"value": "0", "expected_revision": response.json()["revision"]},
                         content_type="application/json")

    assert response.status_code == 200
    assert (response.json()["minimum"], response.json()["maximum"]) == (1, 100)
    assert policy_for(p.employee.organisation).retention_years == 10
    assert refused.status_code == 422
    with translation.override("nl"):
        assert describe(SETTINGS["retention_years"], 10) == "10 jaar"
    with translation.override("en"):
        assert describe(SETTINGS["retention_years"], 1) == "1 year"
