"""Top managers and mandate holders, recorded by HR on the person, are not in the annual
evaluation of a Flemish cycle: the participation is exempt with the function as its
reason, without steps, tasks, reminders or overdue counts; clearing the record makes the
evaluation mandatory again. Audited in the person's history; refused in the other
regimes.

Source: Vlaamse overheid, "Planning, opvolging en evaluatie (PLOEG)"
(overheid.vlaanderen.be): "Voor topkaderfuncties bestaan andere evaluatievormen."
"""

import datetime as dt

import pytest
from django.utils import translation

from koers.audit.models import AuditEvent
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles import selectors, services
from koers.cycles.dashboard import cycle_dashboard
from koers.cycles.models import Participation
from koers.cycles.other_evaluation import person_other_evaluation_record
from koers.cycles.reminders import send_reminders
from koers.notify.models import Notification
from koers.organisation.models import Person, PolicyPreset
from koers.rulebook.deadlines import Due
from koers.rulebook.eligibility import Exemption
from koers.rulebook.policy import policy_for
from tests import personas
from tests.factories import evaluations as ev

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 5, 4)
FROM = D(2026, 3, 1)
REASON = "Leidend ambtenaar (N) sinds de aanstelling van maart 2026"


@pytest.fixture
def p():
    return personas.build()


def _open(org, year=2026):
    cycle = services.cycle_open(organisation=org, year=year, actor=None, background=False)
    services.cycle_fill(cycle=cycle)
    return cycle


def _record(p, person, *, by=None, function="top_manager", reason=REASON, valid_from=FROM):
    with ev.on(TODAY):
        return person_other_evaluation_record(
            person=person, function=function, reason=reason, valid_from=valid_from,
            viewer=ev.viewer(by or p.hr))


def _row(cycle, person):
    return Participation.objects.get(cycle=cycle, person=person)


def test_a_recorded_top_manager_is_exempt_with_the_reason_and_nothing_is_due(p):
    cycle = _open(p.top.organisation)
    assert _row(cycle, p.manager).evaluation_required

    _record(p, p.manager)

    row = _row(cycle, p.manager)
    assert (row.evaluation_required, row.exemption, row.closed_on) == (
        False, Exemption.TOP_MANAGER, None)
    assert (row.planning_due, row.evaluation_due, row.first_signature_due,
            row.second_signature_due) == (None, None, None, None)
    counts = dict(selectors.cycle_counts(cycle).exempt_by_reason)
    assert (counts[Exemption.TOP_MANAGER], counts[Exemption.MANDATE_HOLDER]) == (1, 0)
    with translation.override("en"):
        reasons = selectors.exemption_reasons(policy_for(cycle.organisation))
    assert reasons[Exemption.TOP_MANAGER] == "top manager, evaluated in another form"


def test_nobody_is_reminded_or_overdue_for_them(p):
    cycle = _open(p.top.organisation)
    _record(p, p.employee, function="mandate_holder")

    send_reminders(today_by_org={p.top.organisation_id: D(2027, 3, 1)})
    assert not [n for n in Notification.objects.all()
                if n.params.get("person") == p.employee.full_name]
    board = cycle_dashboard(cycle=cycle, unit=p.team, today=D(2027, 4, 15))
    # The team's 1st evaluator and colleague still have every step; the employee none.
    assert board.total.tasks_by_step[Due.EVALUATION] == 2
    assert board.total.tasks_by_step[Due.PLANNING] == 2
    assert board.total.exempt == 1


def test_the_record_is_audited_in_the_person_s_history(p):
    _open(p.top.organisation)
    _record(p, p.manager)

    event = AuditEvent.objects.get(action="person.other_evaluation_recorded")
    assert event.actor == p.hr.user
    assert event.changes["other_evaluation"] == ["", "top_manager"]
    assert event.changes["other_evaluation_reason"] == ["", REASON]
    synced = AuditEvent.objects.filter(action="participation.synced",
                                       target_id=str(p.manager.pk))
    assert synced.count() == 1
    stored = Person.objects.get(pk=p.manager.pk)
    assert (stored.other_evaluation, stored.other_evaluation_from) == ("top_manager", FROM)


def test_the_same_record_again_records_nothing(p):
    _record(p, p.manager)
    _record(p, p.manager)
    assert AuditEvent.objects.filter(action="person.other_evaluation_recorded").count() == 1


def test_clearing_makes_the_evaluation_mandatory_again(p):
    cycle = _open(p.top.organisation)
    _record(p, p.manager)

    _record(p, p.manager, function="", reason="", valid_from=None)

    row = _row(cycle, p.manager)
    assert (row.evaluation_required, row.exemption) == (True, "")
    assert row.evaluation_due is not None
    assert AuditEvent.objects.filter(action="person.other_evaluation_cleared").count() == 1
    assert Person.objects.get(pk=p.manager.pk).other_evaluation_reason == ""


def test_a_cycle_opened_later_reads_the_record(p):
    _record(p, p.manager)
    cycle = _open(p.top.organisation)
    assert _row(cycle, p.manager).exemption == Exemption.TOP_MANAGER


def test_a_function_from_next_year_leaves_this_cycle_mandatory(p):
    cycle = _open(p.top.organisation)
    _record(p, p.manager, valid_from=D(2027, 1, 1))
    assert _row(cycle, p.manager).evaluation_required


@pytest.mark.parametrize("preset", [PolicyPreset.FEDERAL, PolicyPreset.DUTCH_MUNICIPAL])
def test_the_other_regimes_refuse_it_and_nothing_changes(p, preset):
    org = p.top.organisation
    org.policy_preset = preset
    org.save(update_fields=["policy_preset"])

    with pytest.raises(ValidationFailed) as refused:
        _record(p, p.manager)

    assert "Vlaamse overheid" in refused.value.message  # the service speaks Dutch here
    assert Person.objects.get(pk=p.manager.pk).other_evaluation == ""
    assert not AuditEvent.objects.filter(action__startswith="person.other_evaluation")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"function": "middle_manager"}, "function"),
    ({"reason": "  "}, "reason"),
    ({"reason": "x" * 501}, "reason"),
    ({"valid_from": None}, "valid_from"),
    ({"function": ""}, "function"),
])
def test_an_incomplete_record_is_refused_and_nothing_changes(p, kwargs, field):
    with pytest.raises(ValidationFailed) as refused:
        _record(p, p.manager, **kwargs)
    assert field in refused.value.errors
    assert Person.objects.get(pk=p.manager.pk).other_evaluation == ""


def test_a_day_before_the_start_date_is_refused(p):
    with pytest.raises(ValidationFailed) as refused:
        _record(p, p.manager, valid_from=p.manager.start_date - dt.timedelta(days=1))
    assert "valid_from" in refused.value.errors


@pytest.mark.parametrize("who", ["employee", "manager", "director", "team_hr", "outsider"])
def test_only_hr_of_the_person_s_unit_records_it(p, who):
    with pytest.raises(NotFoundOrForbidden):
        _record(p, p.employee, by=getattr(p, who))
    assert Person.objects.get(pk=p.employee.pk).other_evaluation == ""
