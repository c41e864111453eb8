"""Federal conversation rules (BOSA, "De evaluatiecyclus" [b1]; "Het
functioneringsgesprek" [b3]; docs/policies.md, Sources): 20 days actually worked
between two conversations, and a functioning conversation after an absence of more than
70 days or a change of work regime. Each test would fail if its rule changed."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from koers.conversations import rules, services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.organisation import importing
from koers.organisation.models import (
    Absence,
    AbsenceKind,
    ImportKind,
    Organisation,
    PolicyPreset,
    WorkingTimeChange,
)
from koers.organisation.rules import worked_days_between
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH
from koers.tasks.selectors import TaskKind, tasks_for
from tests import personas
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

D = dt.date


def test_worked_days_leave_out_weekends_public_holidays_and_absences():
    # April 2026: 22 weekdays, Easter Monday (6 April) a Belgian public holiday.
    april = {"first": D(2026, 4, 1), "last": D(2026, 4, 30), "preset": PolicyPreset.FEDERAL}
    assert worked_days_between(**april, absences=[]) == 21
    # Sick from Monday 13 to Friday 17 April: five working days less.
    assert worked_days_between(**april, absences=[(D(2026, 4, 13), D(2026, 4, 17))]) == 16


def test_twenty_worked_days_lie_between_two_federal_conversations():
    """[b1]: "minstens 20 effectief gewerkte dagen" between two conversations."""
    assert FEDERAL.minimum_worked_days_between_conversations == 20
    before = D(2026, 3, 2)  # a Monday
    # 2 March to 31 March: 21 weekdays in between (3–30 March), enough.
    assert rules.spacing_refusal(FEDERAL, day=D(2026, 3, 31), others=[before],
                                 absences=[]) is None
    # To 27 March: 18 worked days in between, too few.
    refusal = rules.spacing_refusal(FEDERAL, day=D(2026, 3, 27), others=[before], absences=[])
    assert refusal is not None
    assert "18" in refusal
    assert "20" in refusal
    # An absence in between leaves fewer worked days.
    assert rules.spacing_refusal(FEDERAL, day=D(2026, 3, 31), others=[before],
                                 absences=[(D(2026, 3, 9), D(2026, 3, 10))]) is not None
    assert rules.spacing_refusal(FLEMISH, day=D(2026, 3, 3), others=[before],
                                 absences=[]) is None


def _federal(p: personas.Personas) -> None:
    Organisation.objects.filter(pk=p.employee.organisation_id).update(
        policy_preset=PolicyPreset.FEDERAL)
    p.employee.organisation.refresh_from_db()


def _schedule(p, day: dt.date, **fields):
    starts = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    return services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=ConversationKind.FUNCTIONING,
        starts_at=starts, ends_at=starts + dt.timedelta(hours=1), location="Room 2",
        **fields)


def test_a_federal_conversation_too_soon_after_another_asks_to_confirm():
    p = personas.build()
    _federal(p)
    with clock.frozen(dt.datetime(2026, 2, 20, 9, tzinfo=dt.UTC)):
        _schedule(p, D(2026, 3, 2))
        with pytest.raises(ValidationFailed) as refused:
            _schedule(p, D(2026, 3, 20))
        assert list(refused.value.errors) == ["despite_spacing"]
        # The terms are indicative ([b11]): the evaluator may schedule it anyway.
        assert _schedule(p, D(2026, 3, 20), despite_spacing=True).pk


def test_the_schedule_page_offers_to_go_ahead_only_where_the_policy_asks_days():
    p = personas.build()
    client = Client()
    client.force_login(p.manager.user)
    url = f"/people/{p.employee.pk}/conversations/new/"
    assert 'name="despite_spacing"' not in client.get(url).content.decode()
    _federal(p)
    page = client.get(url + "?kind=functioning").content.decode()
    assert 'name="despite_spacing"' in page
    assert '<option value="functioning" selected>' in page


def test_after_more_than_70_days_absent_the_evaluator_is_asked_for_a_functioning_conversation():
    """[b3]: a functioning conversation is mandatory after a return from an absence of
    more than 70 days; the task goes once one is scheduled after the return."""
    p = personas.build()
    _federal(p)
    Absence.objects.create(person=p.employee, kind=AbsenceKind.SICKNESS,
                           start_date=D(2026, 1, 5), end_date=D(2026, 3, 20))  # 75 days
    Absence.objects.create(person=p.colleague, kind=AbsenceKind.SICKNESS,
                           start_date=D(2026, 1, 5), end_date=D(2026, 3, 15))  # 70 days
    with clock.frozen(dt.datetime(2026, 3, 25, 9, tzinfo=dt.UTC)):
        tasks = [t for t in tasks_for(viewer(p.manager))
                 if t.kind == TaskKind.NEW_CONVERSATION]
        assert [(t.person, t.record_id, t.due) for t in tasks] == [
            (p.employee, p.employee.pk, D(2026, 4, 19))]
        assert "75" in tasks[0].what
        _schedule(p, D(2026, 4, 1))
        assert not [t for t in tasks_for(viewer(p.manager))
                    if t.kind == TaskKind.NEW_CONVERSATION]


def test_the_flemish_policy_asks_no_functioning_conversation_after_an_absence():
    p = personas.build()
    Absence.objects.create(person=p.employee, kind=AbsenceKind.SICKNESS,
                           start_date=D(2026, 1, 5), end_date=D(2026, 3, 20))
    with clock.frozen(dt.datetime(2026, 3, 25, 9, tzinfo=dt.UTC)):
        assert not [t for t in tasks_for(viewer(p.manager))
                    if t.kind == TaskKind.NEW_CONVERSATION]


# A change of work regime ([b3]) ------------------------------------------------------


def _regime_tasks(person) -> list:
    return [t for t in tasks_for(viewer(person)) if t.kind == TaskKind.NEW_CONVERSATION]


def _change_fraction(client: Client, p, fraction: str):
    return client.patch(f"/api/v1/people/{p.employee.pk}",
                        json.dumps({"working_time_fraction": fraction}),
                        content_type="application/json")


def test_a_change_of_work_regime_asks_the_1st_evaluator_for_a_functioning_conversation():
    """[b3] (BOSA, "Evaluatie – contractuelen en statutairen",
    https://bosa.belgium.be/nl/themas/werken-bij-de-overheid/loopbaan-en-statuut/evaluatie/contractuelen-en-statutairen-2):
    a functioning conversation is mandatory after a change of work regime. HR changes the
    working-time fraction through the API; the 1st evaluator sees the task on Start and
    in ``GET /me/tasks`` until a functioning conversation is scheduled on or after the
    day of the change."""
    assert FEDERAL.functioning_conversation_after_regime_change
    p = personas.build()
    _federal(p)
    hr, manager = Client(), Client()
    hr.force_login(p.hr.user)
    manager.force_login(p.manager.user)
    changed_on = D(2026, 5, 4)
    with clock.frozen(dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)):
        _schedule(p, changed_on - dt.timedelta(days=2))  # before the change: it does not count
    with clock.frozen(dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)):
        assert _change_fraction(hr, p, "0.800").status_code == 200
        assert [t.due for t in _regime_tasks(p.manager)] == [changed_on + dt.timedelta(days=30)]
    with clock.frozen(dt.datetime(2026, 6, 8, 10, tzinfo=dt.UTC)):
        assert _change_fraction(hr, p, "0.500").status_code == 200  # the last change counts
        later = changed_on + dt.timedelta(days=35)
        with translation.override("en"):
            tasks = _regime_tasks(p.manager)
        assert [(t.person, t.record_id, t.due) for t in tasks] == [
            (p.employee, p.employee.pk, later + dt.timedelta(days=30))]
        assert tasks[0].what == (
            "Hold a functioning conversation: work regime changed from 80 % to 50 % on "
            f"{later.day} June 2026")
        assert not _regime_tasks(p.employee)  # the 1st evaluator's task, not the person's
        listed = [t for t in manager.get("/api/v1/me/tasks").json()["items"]
                  if t["kind"] == "new_conversation"]
        assert len(listed) == 1
        assert "80 %" in listed[0]["what"]
        assert "50 %" in listed[0]["what"]
        start = manager.get("/").content.decode()
        assert f"/people/{p.employee.pk}/conversations/new/?kind=functioning" in start
        _schedule(p, later + dt.timedelta(days=25))
        assert not _regime_tasks(p.manager)
        assert not [t for t in manager.get("/api/v1/me/tasks").json()["items"]
                    if t["kind"] == "new_conversation"]


def test_the_same_fraction_saved_again_is_no_change_of_work_regime():
    p = personas.build()
    _federal(p)
    hr = Client()
    hr.force_login(p.hr.user)
    with clock.frozen(dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)):
        assert _change_fraction(hr, p, str(p.employee.working_time_fraction)).status_code == 200
        assert not WorkingTimeChange.objects.exists()
        assert not _regime_tasks(p.manager)


def test_an_import_that_changes_the_fraction_asks_the_conversation_too():
    """[b3]: the import of people keeps the change as the person's page does."""
    p = personas.build()
    _federal(p)
    employee = p.employee
    header = ("employee_number;first_name;last_name;email;unit_code;start_date;"
              "working_time_fraction;employment_status")
    row = ";".join([employee.employee_number, employee.first_name, employee.last_name,
                    employee.email, employee.unit.code, employee.start_date.isoformat(),
                    "0,6", employee.employment_status])
    with clock.frozen(dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)):
        report = importing.apply(organisation=employee.organisation, kind=ImportKind.PEOPLE,
                                 content=f"{header}\r\n{row}".encode(), actor=p.hr.user)
        assert (report.errors, report.update) == ([], 1)
        change = WorkingTimeChange.objects.get(person=employee)
        assert (change.changed_on, change.fraction_before, change.fraction_after) == (
            D(2026, 5, 4), Decimal("1.000"), Decimal("0.600"))
        assert [t.person for t in _regime_tasks(p.manager)] == [employee]


def test_the_flemish_and_dutch_policies_ask_no_conversation_after_a_change_of_regime():
    assert not FLEMISH.functioning_conversation_after_regime_change
    assert not DUTCH_MUNICIPAL.functioning_conversation_after_regime_change
    p = personas.build()  # Flemish
    hr = Client()
    hr.force_login(p.hr.user)
    with clock.frozen(dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)):
        assert _change_fraction(hr, p, "0.800").status_code == 200
        assert WorkingTimeChange.objects.filter(person=p.employee).exists()  # kept anyway
        assert not _regime_tasks(p.manager)
        Organisation.objects.filter(pk=p.employee.organisation_id).update(
            policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
        assert not _regime_tasks(p.manager)
