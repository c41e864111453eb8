"""Federal conversation rules (BOSA, "De evaluatiecyclus" [b1]; "Het
functioneringsgesprek" [b3]; docs/policies.md, Sources): 20 days actually worked
between two conversations, and a functioning conversation after an absence of more than
70 days. Each test would fail if its rule changed."""

import datetime as dt

import pytest
from django.test import Client

from koers.conversations import rules, services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.organisation.models import Absence, AbsenceKind, Organisation, PolicyPreset
from koers.organisation.rules import worked_days_between
from koers.rulebook.presets import FEDERAL, FLEMISH
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
