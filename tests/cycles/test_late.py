"""Who is late on a step (the people behind the dashboard's late counts) and HR's
reminder to whoever must act: at most once per person per day, audited, notified in
the recipient's language and e-mailed through the outbox."""

import datetime as dt

import pytest
from django.core import mail

from koers.access.policy import Viewer
from koers.audit.models import AuditEvent
from koers.core import clock
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.core.models import User
from koers.cycles.dashboard import cycle_dashboard
from koers.cycles.late import late_people, late_step
from koers.cycles.models import LateReminder
from koers.cycles.services import late_reminders_send
from koers.notify import services as notify_services
from koers.notify.models import Notification, OutgoingEmail
from koers.rulebook.deadlines import Due
from tests import factories, personas
from tests.factories import bulk_participations
from tests.factories import participations as cycles
from tests.notify.test_services import FAILING, LOCMEM

pytestmark = pytest.mark.django_db

AFTER_PLANNING = bulk_participations.AFTER_PLANNING
PLANNING = late_step(Due.PLANNING)


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def cycle(p):
    return bulk_participations.late_on_planning(p)


def hr(p) -> Viewer:
    return Viewer.of(p.hr.user)


def test_the_list_holds_the_people_the_dashboard_counts_late(p, cycle):
    assert PLANNING is not None
    with clock.frozen(AFTER_PLANNING):
        board = cycle_dashboard(cycle=cycle, unit=p.top)
        page = late_people(cycle=cycle, unit=p.top, step=PLANNING)

    assert page.total == board.total.overdue_by_step[Due.PLANNING] == 2
    assert sorted(row.person.full_name for row in page.people) == [
        "Marc Vandamme", "Peter Gordon"]
    row = page.people[0]
    assert (row.unit, row.due, row.line.first) == (p.team, row.participation.planning_due,
                                                    p.manager)
    assert row.days_late == (dt.date(2026, 5, 1) - row.due).days
    assert row.reminded_today is False


def test_the_list_of_a_unit_holds_its_subtree_only(p, cycle):
    assert PLANNING is not None
    with clock.frozen(AFTER_PLANNING):
        other = late_people(cycle=cycle, unit=p.other_team, step=PLANNING)

    assert (other.total, other.people) == (0, [])


def test_a_moment_cannot_be_late():
    assert late_step(Due.EVALUATION_WINDOW_OPENS) is None
    assert late_step("nonsense") is None


def test_the_list_is_paged(p, cycle):
    assert PLANNING is not None
    with clock.frozen(AFTER_PLANNING):
        first = late_people(cycle=cycle, unit=p.top, step=PLANNING, per_page=1)
        beyond = late_people(cycle=cycle, unit=p.top, step=PLANNING, per_page=1, page=9)

    assert (first.pages, len(first.people)) == (2, 1)
    assert beyond.page == 2
    assert beyond.people[0].person != first.people[0].person


@pytest.mark.parametrize("size", [5, 50])
def test_a_page_costs_four_queries_for_5_and_50_people(django_assert_num_queries, size):
    org = factories.organisation("Stad Telling")
    top = factories.unit(org, name="Stad")
    teams = [factories.unit(org, top, name=f"Team {i}") for i in range(3)]
    for team in teams:
        factories.person(team, manages=team)
    cycle = cycles.cycle(org, 2026)
    bulk_participations.participations(
        cycle, [factories.person(teams[i % 3]) for i in range(size)])
    assert PLANNING is not None

    # The count, the page with people and units, the evaluator lines, today's reminders.
    with clock.frozen(AFTER_PLANNING), django_assert_num_queries(4):
        page = late_people(cycle=cycle, unit=top, step=PLANNING)
        names = [(row.person.full_name, row.unit.name, row.line.first) for row in page.people]

    assert len(names) == size


def test_hr_reminds_the_first_evaluator_in_their_own_language(p, cycle, settings):
    settings.MAILERS = LOCMEM
    User.objects.filter(pk=p.manager.user_id).update(language="fr")
    with clock.frozen(AFTER_PLANNING):
        sent = late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                                   person_ids=[p.employee.pk], viewer=hr(p))
        notify_services.deliver_emails()

    assert (sent.reminded, sent.unreachable, sent.notifications) == ([p.employee], [], 1)
    notification = Notification.objects.get(kind="cycles.late_reminder")
    assert notification.recipient_id == p.manager.user_id
    assert notification.url == f"/people/{p.employee.pk}/timeline/"
    # The outbox e-mails it in French, the manager's language.
    assert [m.to for m in mail.outbox] == [[p.manager.user.email]]
    assert mail.outbox[0].subject == ("[Koers] Rappel des RH : Entretien de planification pour "
                                      "Marc Vandamme")
    reminder = LateReminder.objects.get()
    assert (reminder.person, reminder.step, reminder.sent_on, reminder.sent_by) == (
        p.employee, "planning", dt.date(2026, 5, 1), p.hr.user)
    event = AuditEvent.objects.get(action="participation.late_reminder")
    assert (event.actor_id, event.target_id) == (p.hr.user_id, str(reminder.participation_id))
    assert event.changes["step"] == "planning"


def test_a_person_is_reminded_at_most_once_a_day(p, cycle):
    with clock.frozen(AFTER_PLANNING):
        late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                            person_ids=[p.employee.pk], viewer=hr(p))
        with pytest.raises(ValidationFailed, match="Vandaag al herinnerd: Marc Vandamme"):
            late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                                person_ids=[p.employee.pk, p.colleague.pk], viewer=hr(p))
        page = late_people(cycle=cycle, unit=p.top, step=PLANNING)

    # Nothing changed: the colleague, chosen with him, was not reminded either.
    assert list(LateReminder.objects.values_list("person", flat=True)) == [p.employee.pk]
    assert Notification.objects.filter(kind="cycles.late_reminder").count() == 1
    assert {row.person.pk: row.reminded_today for row in page.people} == {
        p.employee.pk: True, p.colleague.pk: False}
    # The next day he may be reminded again.
    with clock.frozen(AFTER_PLANNING + dt.timedelta(days=1)):
        again = late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                                    person_ids=[p.employee.pk], viewer=hr(p))
    assert again.reminded == [p.employee]


def test_the_reminder_is_kept_while_the_mail_server_is_down(p, cycle, settings):
    settings.MAILERS = FAILING
    with clock.frozen(AFTER_PLANNING):
        late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                            person_ids=[p.employee.pk], viewer=hr(p))
        assert notify_services.deliver_emails().failed == 1
    email = OutgoingEmail.objects.get()
    assert (email.sent_at, email.attempts) == (None, 1)

    settings.MAILERS = LOCMEM
    with clock.frozen(email.next_attempt_at):
        assert notify_services.deliver_emails().emails == 1
    assert [m.to for m in mail.outbox] == [[p.manager.user.email]]


def test_someone_not_late_or_outside_the_unit_is_refused_and_nothing_changes(p, cycle):
    with clock.frozen(AFTER_PLANNING):
        for people in ([p.unrelated_employee.pk], [p.employee.pk, p.hr.pk], []):
            with pytest.raises(ValidationFailed):
                late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                                    person_ids=people, viewer=hr(p))
        with pytest.raises(ValidationFailed):
            late_reminders_send(cycle=cycle, unit=p.top, step="evaluation_window_opens",
                                person_ids=[p.employee.pk], viewer=hr(p))
        with pytest.raises(ValidationFailed, match="hoogstens 50"):
            late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                                person_ids=range(1, 52), viewer=hr(p))

    assert (LateReminder.objects.count(), Notification.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(action="participation.late_reminder").exists()


@pytest.mark.parametrize("who", ["manager", "employee", "team_hr"])
def test_only_hr_of_the_unit_may_remind(p, cycle, who):
    viewer = Viewer.of(getattr(p, who).user)
    with clock.frozen(AFTER_PLANNING), pytest.raises(NotFoundOrForbidden):
        late_reminders_send(cycle=cycle, unit=p.team, step="planning",
                            person_ids=[p.employee.pk], viewer=viewer)
    assert LateReminder.objects.count() == 0


def test_the_employee_is_addressed_about_their_own_step(p, cycle):
    cycle_2 = cycles.cycle(p.top.organisation, 2025)
    (participation,) = bulk_participations.participations(cycle_2, [p.employee])
    after_self_evaluation = dt.datetime.combine(
        participation.self_evaluation_due + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    with clock.frozen(after_self_evaluation):
        late_reminders_send(cycle=cycle_2, unit=p.top, step="self_evaluation",
                            person_ids=[p.employee.pk], viewer=hr(p))

    notification = Notification.objects.get()
    assert (notification.recipient_id, notification.kind) == (
        p.employee.user_id, "cycles.late_reminder_own")


def test_someone_whose_evaluator_cannot_sign_in_is_named_and_not_recorded(p, cycle):
    unit = factories.unit(p.top.organisation, p.top, name="Buitendienst")
    factories.person(unit, manages=unit)  # no login
    loner = factories.person(unit)
    bulk_participations.participations(cycle, [loner])
    with clock.frozen(AFTER_PLANNING):
        sent = late_reminders_send(cycle=cycle, unit=p.top, step="planning",
                                   person_ids=[loner.pk, p.employee.pk], viewer=hr(p))

    assert (sent.reminded, sent.unreachable) == ([p.employee], [loner])
    assert list(LateReminder.objects.values_list("person", flat=True)) == [p.employee.pk]
