"""The federal late evaluation, recorded each day (``cycles.lapse``).

Source [b2]: BOSA, "Evaluatie – contractuelen en statutairen",
https://bosa.belgium.be/nl/themas/werken-bij-de-overheid/loopbaan-en-statuut/evaluatie/contractuelen-en-statutairen-3
— a federal employee not evaluated 3 months after the end of the cycle, and not absent,
goes to the next cycle without a mention.
"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from koers.access.policy import Viewer
from koers.audit.models import AuditEvent
from koers.core import clock
from koers.core.errors import ValidationFailed
from koers.cycles import milestones
from koers.cycles.dashboard import cycle_dashboard
from koers.cycles.lapse import lapses_record
from koers.cycles.late import late_on
from koers.cycles.models import Participation
from koers.cycles.timeline import EntryState, person_timeline
from koers.evaluations import services as evaluation_services
from koers.evaluations.states import Refused
from koers.notify.models import Notification
from koers.organisation.models import Absence, AbsenceKind
from koers.rulebook.deadlines import Due
from koers.rulebook.lapse import lapse_day
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import PolicyPreset
from tests import factories, personas
from tests.factories import participations as cycles

pytestmark = pytest.mark.django_db

YEAR = 2025
DAY = dt.timedelta(days=1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture
def p():
    people = personas.build()
    organisation = people.employee.organisation
    organisation.policy_preset = PolicyPreset.FEDERAL
    organisation.save(update_fields=["policy_preset"])
    return people


@pytest.fixture
def federal(p):
    """Last year's federal cycle, Marc not evaluated, and this year's cycle."""
    cycle = cycles.cycle(p.employee.organisation, YEAR)
    participation = cycles.participation(cycle, p.employee)
    cycles.participation(cycles.cycle(p.employee.organisation, YEAR + 1), p.employee)
    return participation


def _lapses(participation: Participation) -> dt.date:
    day = lapse_day(policy_for(participation.cycle.organisation),
                    period_end=participation.period_end)
    assert day is not None
    return day


def _run(day: dt.date) -> object:
    with clock.frozen(_at(day)):
        return lapses_record()


def test_not_evaluated_three_months_after_the_period_lapses_once(p, federal):
    day = _lapses(federal)
    assert day == federal.evaluation_lapses  # the due date the timeline has shown all along

    before = _run(day - DAY)
    federal.refresh_from_db()
    assert (before.lapsed, federal.lapsed_on) == (0, None)

    run = _run(day)
    federal.refresh_from_db()
    assert (run.lapsed, run.without_next, federal.lapsed_on) == (1, 0, day)
    again = _run(day + DAY)  # idempotent: nothing changes, no second event
    assert (again.lapsed, again.lifted) == (0, 0)
    assert AuditEvent.objects.filter(action="cycle.evaluations_lapsed").count() == 1


def test_a_lapsed_person_is_counted_lapsed_never_overdue(p, federal):
    day = _lapses(federal)
    Notification.objects.create(recipient=p.manager.user, key="k", kind="cycles.overdue",
                                task=milestones.step_task(federal.pk, Due.EVALUATION),
                                created_at=clock.now())
    with clock.frozen(_at(day)):
        overdue_before = cycle_dashboard(cycle=federal.cycle, unit=p.top).total.overdue
        lapses_record()
        board = cycle_dashboard(cycle=federal.cycle, unit=p.top)
        late = late_on(cycle=federal.cycle, unit=p.top,
                       step=milestones.STEP_BY_DUE[Due.EVALUATION], today=day)
        timeline = person_timeline(p.employee, today=day)

    assert overdue_before == 1
    assert (board.total.overdue, board.total.lapsed) == (0, 1)
    assert board.total.overdue_by_step[Due.EVALUATION] == 0
    assert not late.exists()
    # Its reminders are settled with it.
    assert not Notification.objects.filter(resolved_at__isnull=True).exists()
    lapsed = next(t for t in timeline if t.participation.pk == federal.pk)
    evaluation = next(e for e in lapsed.entries if e.step.due == Due.EVALUATION)
    assert evaluation.state == EntryState.LAPSED
    with translation.override("nl"):
        assert lapsed.lapsed.startswith(f"Vervallen op {day:%d-%m-%Y}")
        assert "zonder vermelding" in lapsed.lapsed


@pytest.mark.parametrize(("kind", "lapses"), [
    (AbsenceKind.SICKNESS, False),
    (AbsenceKind.CAREER_BREAK, False),
    (AbsenceKind.ANNUAL_LEAVE, True),  # annual leave does not stop the work
])
def test_someone_absent_in_the_closing_months_does_not_lapse(p, federal, kind, lapses):
    # [b2]: only someone "not absent" lapses.
    start = federal.period_end + 10 * DAY
    Absence.objects.create(person=p.employee, kind=kind, start_date=start,
                           end_date=start + 5 * DAY)
    _run(_lapses(federal))
    federal.refresh_from_db()
    assert (federal.lapsed_on is not None) is lapses


def test_an_absence_recorded_afterwards_lifts_the_lapse(p, federal):
    day = _lapses(federal)
    _run(day)
    Absence.objects.create(person=p.employee, kind=AbsenceKind.SICKNESS, start_date=day,
                           end_date=day + DAY)
    run = _run(day + DAY)
    federal.refresh_from_db()
    assert (run.lifted, federal.lapsed_on) == (1, None)


def test_an_evaluated_person_does_not_lapse(p, federal):
    # [b2]: only someone "not evaluated" lapses; the evaluator signed the report.
    federal.first_signed_on = federal.evaluation_lapses - 10 * DAY
    federal.save(update_fields=["first_signed_on"])
    run = _run(federal.evaluation_lapses + 30 * DAY)
    federal.refresh_from_db()
    assert (run.lapsed, federal.lapsed_on) == (0, None)


def test_without_the_next_cycle_the_run_says_so(p):
    cycle = cycles.cycle(p.employee.organisation, YEAR)
    participation = cycles.participation(cycle, p.employee)
    run = _run(_lapses(participation))
    assert (run.lapsed, run.without_next) == (1, 1)


@pytest.mark.parametrize("preset", [PolicyPreset.FLEMISH, PolicyPreset.DUTCH_MUNICIPAL])
def test_nothing_lapses_in_the_flemish_or_dutch_regime(preset):
    # The late evaluation is federal [b2]: late_evaluation_months is none elsewhere.
    organisation = factories.organisation(preset=preset)
    person = factories.person(factories.unit(organisation))
    participation = cycles.participation(cycles.cycle(organisation, YEAR), person)
    run = _run(participation.period_end + 400 * DAY)
    participation.refresh_from_db()
    assert (run.cycles, run.lapsed, participation.lapsed_on) == (0, 0, None)


def test_the_run_is_bulk_its_queries_do_not_grow_with_the_people(p):
    cycle = cycles.cycle(p.employee.organisation, YEAR)
    few = [cycles.participation(cycle, p.employee), cycles.participation(cycle, p.colleague)]
    day = _lapses(few[0])

    def queries() -> int:
        Participation.objects.filter(cycle=cycle).update(lapsed_on=None)
        with CaptureQueriesContext(connection) as captured, clock.frozen(_at(day)):
            run = lapses_record()
        assert run.lapsed == Participation.objects.filter(cycle=cycle).count()
        return len(captured)

    small = queries()
    for _ in range(20):
        cycles.participation(cycle, factories.person(p.team))
    assert queries() == small


def test_a_lapsed_evaluation_is_refused_in_every_language(p, federal):
    day = _lapses(federal)
    with clock.frozen(_at(day - 5 * DAY)):
        evaluation = evaluation_services.evaluation_open(
            actor=Viewer.of(p.manager.user), person=p.employee, participation=federal)
    _run(day)
    federal.refresh_from_db()
    messages = {"nl": "vervallen", "fr": "caduque", "de": "verfallen",
                "en": "lapsed"}
    for language, word in messages.items():
        with translation.override(language), clock.frozen(_at(day + DAY)):
            with pytest.raises(Refused, match=word):
                evaluation_services.self_evaluation_save(
                    actor=Viewer.of(p.employee.user), evaluation=evaluation, overall="x",
                    items={}, expected_revision=0)
            evaluation.refresh_from_db()
            assert evaluation.self_evaluation == ""  # nothing changed
            with pytest.raises(ValidationFailed, match=word):
                evaluation_services.evaluation_open(
                    actor=Viewer.of(p.manager.user), person=p.employee,
                    participation=federal)


def test_the_command_records_the_lapses(p, federal):
    out = io.StringIO()
    with clock.frozen(_at(_lapses(federal))):
        call_command("lapse-evaluations", stdout=out)
    assert "lapsed 1" in out.getvalue()
