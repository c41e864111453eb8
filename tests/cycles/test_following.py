"""The running cycles follow the services that change what they are computed from.

The organisation and rulebook services announce each change (``organisation/changes.py``,
``rulebook/changes.py``) and ``CyclesConfig.ready`` subscribes the cycles; the faces never
call the recomputation themselves.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import koers
from koers.cycles import services
from koers.cycles.models import Participation
from koers.organisation import importing
from koers.organisation import services as organisation_services
from koers.organisation.models import ImportKind, Role, WorkSource
from koers.rulebook.services import parse_settings, policy_setting_reset, policy_settings_change
from tests import factories

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
RECOMPUTE_NAMES = {"participation_sync", "participations_sync_for_organisation",
                   "recompute_participations_later"}


def _opened_flemish_cycle():
    org = factories.organisation()
    top = factories.unit(org)
    hr = factories.person(top, with_user=True)
    factories.grant(hr, Role.HR, top)
    employee = factories.person(top)
    cycle = services.cycle_open(organisation=org, year=2026, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    return org, top, hr, employee, cycle


def test_a_person_saved_through_the_service_joins_the_running_cycle():
    org, top, hr, _employee, cycle = _opened_flemish_cycle()

    joiner = organisation_services.person_save(
        organisation=org, actor=hr.user, employee_number="N1", first_name="Nina",
        last_name="Nieuw", email="nina@example.test", language="nl", unit=top,
        job_title="Adviser", grade="A1", rank="", start_date=dt.date(2026, 3, 2),
        end_date=None, working_time_fraction=Decimal("1.000"), employment_status="statutory",
        probation_end_date=None,
    )

    participation = Participation.objects.get(cycle=cycle, person=joiner)
    assert participation.period_start == dt.date(2026, 1, 1)


def test_a_leaver_saved_through_the_service_is_closed_in_the_running_cycle():
    org, _top, hr, employee, cycle = _opened_flemish_cycle()
    fields = {name: getattr(employee, name) for name in organisation_services.PERSON_FIELDS}

    organisation_services.person_save(organisation=org, person=employee, actor=hr.user,
                                      **{**fields, "end_date": dt.date(2026, 9, 30)})

    participation = Participation.objects.get(cycle=cycle, person=employee)
    assert participation.closed_on == dt.date(2026, 9, 30)


def test_hours_corrected_through_the_service_decide_the_flemish_rule():
    _org, _top, hr, employee, cycle = _opened_flemish_cycle()

    organisation_services.effective_work_record(
        person=employee, year=2026, hours_worked=Decimal(120), source=WorkSource.CORRECTED,
        note="Loopbaanonderbreking", updated_by=hr.user,
    )

    participation = Participation.objects.get(cycle=cycle, person=employee)
    assert (participation.evaluation_required, participation.exemption) == (
        False, "too_few_hours")


def test_an_import_applied_through_the_service_adds_people_to_the_running_cycle():
    org, top, hr, _employee, cycle = _opened_flemish_cycle()
    content = ("employee_number;first_name;last_name;email;unit_code;start_date;"
               f"employment_status\r\nI1;Ines;Import;ines@example.test;{top.code};"
               "01/05/2026;statutory\r\n").encode()
    batch = importing.import_batch_upload(organisation=org, kind=ImportKind.PEOPLE,
                                          file_name="people.csv", content=content,
                                          uploaded_by=hr.user)

    importing.import_batch_apply_request(batch=batch, actor=hr.user)
    report = importing.import_batch_run(batch.pk)

    assert report is not None
    assert report.ok
    participation = Participation.objects.get(cycle=cycle, person__employee_number="I1")
    assert participation.period_start == dt.date(2026, 1, 1)


def test_a_policy_change_through_the_service_queues_the_recompute_after_commit(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    org, _top, hr, employee, cycle = _opened_flemish_cycle()
    values = parse_settings(organisation=org, texts={"first_signature_by": "10-03 +1"})

    with django_capture_on_commit_callbacks() as callbacks:
        policy_settings_change(organisation=org, values=values, actor=hr.user)
    participation = Participation.objects.get(cycle=cycle, person=employee)
    assert participation.first_signature_due == dt.date(2027, 3, 15)  # not before commit
    assert len(callbacks) == 1
    callbacks[0]()

    participation.refresh_from_db()
    cycle.refresh_from_db()
    assert participation.first_signature_due == dt.date(2027, 3, 10)
    assert cycle.policy_version.endswith("+local")


def test_a_policy_reset_through_the_service_recomputes_the_running_cycle(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    org, _top, hr, employee, cycle = _opened_flemish_cycle()
    values = parse_settings(organisation=org, texts={"first_signature_by": "10-03 +1"})
    with django_capture_on_commit_callbacks(execute=True):
        policy_settings_change(organisation=org, values=values, actor=hr.user)

    with django_capture_on_commit_callbacks(execute=True):
        policy_setting_reset(organisation=org, name="first_signature_by", actor=hr.user)

    participation = Participation.objects.get(cycle=cycle, person=employee)
    assert participation.first_signature_due == dt.date(2027, 3, 15)


def test_no_face_calls_the_recompute_itself():
    root = Path(koers.__file__).parent
    callers = [
        f"{path.relative_to(root)}: {name}"
        for face in ("web", "api")
        for path in sorted((root / face).rglob("*.py"))
        for name in sorted(RECOMPUTE_NAMES)
        if name in path.read_text(encoding="utf-8")
    ]
    assert callers == []
