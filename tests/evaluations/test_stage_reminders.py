"""The steps of a federal stage are reminded like every other step: on the policy's
reminder days before the due date, on the day and the day after, then escalated; once
each, never after the step is done, by e-mail through the outbox, in the reader's
language and the regime's words.

Sources (docs/policies.md, Sources): BOSA, "Evaluatieperiode stagiair" [b12]
(bosa.belgium.be/nl/themas/werken-bij-de-overheid/loopbaan-en-statuut/evaluatie/stagiairs/
evaluatieperiode-stagiair); BOSA, "Vermeldingen" [b13] (…/evaluatie/stagiairs/vermeldingen);
Fedweb, "Stagiairs — Gesprekken" [b14] (fedweb.belgium.be/nl/evaluatie/
evaluatiecyclus_voor_personeelsleden/stagiairs/gesprekken). The Flemish probation:
"Interpretatie VPS: berekening eind proeftijd" [f18]
(overheid.vlaanderen.be/Int_proeftijd_berekening_eind).
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from koers.cycles.notifications import KIND_OF_STAGE, Stage
from koers.cycles.reminders import send_reminders, triggers
from koers.evaluations import probation
from koers.evaluations.notifications import STAGE_KIND
from koers.evaluations.reminders import send_stage_reminders
from koers.notify import services as notify
from koers.notify.kinds import render
from koers.notify.models import Notification, OutgoingEmail
from koers.organisation.models import PolicyPreset
from koers.rulebook import stage as rules
from koers.rulebook.policy import policy_for
from koers.rulebook.probation import ProbationReason
from koers.rulebook.terms import terms_for
from tests import factories, personas
from tests.evaluations.test_stage import START, _hold, _record
from tests.factories import evaluations as factory
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db

D = dt.date
ConversationKind = probation.ConversationKind


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def federal(p):
    p.employee.start_date = START
    p.employee.save(update_fields=["start_date"])
    return factory.cast(p, preset=PolicyPreset.FEDERAL, goal_count=0)


def _policy(c):
    return policy_for(c.employee.organisation)


def _steps(c, record):
    return rules.stage_steps(_policy(c), starts_on=record.starts_on, ends_on=record.ends_on)


def _run(day):
    """The reminders of ``day``: (recipient's person, kind, step) of the new ones (a
    later reminder of a task renews the recipient's notification of it: a new key)."""
    before = set(Notification.objects.values_list("key", flat=True))
    with on(day):
        send_stage_reminders()
    return {(n.recipient.person.pk, n.kind, n.params["step"])
            for n in Notification.objects.exclude(key__in=before).select_related(
                "recipient__person")}


def _day_of(trigger, due):
    return due - dt.timedelta(days=trigger.offset)


def test_the_planning_conversation_is_reminded_on_each_stage_then_escalated(federal):
    # [b14]: the planning conversation in the first month; the 1st evaluator holds it.
    # Each stage of the policy fires on its own day, to whoever it goes to.
    record = _record(federal)
    planning = _steps(federal, record)[0]
    c = federal
    expected_to = {Stage.DUE_SOON: c.first, Stage.DUE_TODAY: c.first, Stage.OVERDUE: c.first,
                   Stage.ESCALATED_SECOND: c.second, Stage.ESCALATED_HR: c.hr}
    for trigger in triggers(_policy(c)):
        sent = _run(_day_of(trigger, planning.due))
        assert (expected_to[trigger.stage].pk, STAGE_KIND[trigger.stage], "planning") in sent
        # Nobody else hears of the planning conversation that day.
        assert {who for who, _kind, step in sent if step == "planning"} == {
            expected_to[trigger.stage].pk}


def test_the_stagiair_is_reminded_of_the_development_objectives_but_not_escalated(federal):
    # [b14]: at least 2 development objectives fixed in the planning conversation.
    record = _record(federal)
    planning = _steps(federal, record)[0]
    for trigger in triggers(_policy(federal)):
        sent = _run(_day_of(trigger, planning.due))
        mine = {(kind, step) for who, kind, step in sent if who == federal.employee.pk}
        if trigger.stage in (Stage.DUE_SOON, Stage.DUE_TODAY, Stage.OVERDUE):
            assert mine == {(STAGE_KIND[trigger.stage], "objectives")}
        else:
            assert mine == set()
            assert not any(step == "objectives" for _who, _kind, step in sent)


def test_no_reminder_on_a_day_that_is_no_trigger_day(federal):
    record = _record(federal)
    planning = _steps(federal, record)[0]
    earliest = max(_policy(federal).reminder_days_before)
    assert _run(planning.due - dt.timedelta(days=earliest + 1)) == set()


def test_a_step_is_reminded_once_and_a_second_run_sends_nothing(federal):
    record = _record(federal)
    first = triggers(_policy(federal))[0]
    day = _day_of(first, _steps(federal, record)[0].due)
    assert _run(day)
    count = Notification.objects.count()
    with on(day):
        assert send_stage_reminders().notifications == 0
    assert Notification.objects.count() == count


def test_a_held_conversation_is_not_reminded_again_and_its_reminder_is_resolved(federal):
    record = _record(federal)
    planning, functioning = _steps(federal, record)[:2]
    soon = triggers(_policy(federal))[0]
    assert (federal.first.pk, STAGE_KIND[Stage.DUE_SOON], "planning") in _run(
        _day_of(soon, planning.due))
    _hold(federal, ConversationKind.PLANNING, _day_of(soon, planning.due))
    reminder = Notification.objects.get(recipient=federal.first.user, params__step="planning")
    assert reminder.resolved_at is not None
    # Nothing more of the planning, on any later day it would have fired.
    for trigger in triggers(_policy(federal))[1:]:
        assert not any(step == "planning" for _who, _kind, step in _run(
            _day_of(trigger, planning.due)))
    # The next conversation is: the first functioning conversation.
    sent = _run(_day_of(soon, functioning.due))
    assert (federal.first.pk, STAGE_KIND[Stage.DUE_SOON], "functioning") in sent


def test_hr_is_reminded_of_the_outcome_from_the_day_the_task_appears(federal):
    # [b13]: HR records how the stage goes on at its end; the task appears on
    # ``outcome_task_from``, the first reminder day, and is due on the stage's last day.
    record = _record(federal)
    policy = _policy(federal)
    opens = rules.outcome_task_from(policy, ends_on=record.ends_on)
    assert not any(step == "outcome" for _w, _k, step in _run(opens - dt.timedelta(days=1)))
    assert (federal.hr.pk, STAGE_KIND[Stage.DUE_SOON], "outcome") in _run(opens)
    today = next(t for t in triggers(policy) if t.stage == Stage.DUE_TODAY)
    assert (federal.hr.pk, STAGE_KIND[Stage.DUE_TODAY], "outcome") in _run(
        _day_of(today, record.ends_on))


def test_nothing_is_sent_once_the_stage_ended_and_its_reminders_are_resolved(federal):
    record = _record(federal)
    policy = _policy(federal)
    opens = rules.outcome_task_from(policy, ends_on=record.ends_on)
    _run(opens)
    with on(opens):
        probation.stage_outcome_record(actor=viewer(federal.hr), probation=record,
                                       outcome=rules.StageOutcome.DISMISS)
    assert not Notification.objects.filter(task__contains="outcome",
                                           resolved_at__isnull=True).exists()
    assert not Notification.objects.filter(task__startswith="stage:",
                                           resolved_at__isnull=True).exists()
    for trigger in triggers(policy):
        assert _run(_day_of(trigger, record.ends_on)) == set()


def test_an_extension_is_reminded_afresh_by_its_new_end(federal):
    # [b12]: the commission extends the stage by at most 4 months; its end asks again.
    record = _record(federal)
    policy = _policy(federal)
    with on(record.ends_on):
        extended = probation.stage_outcome_record(
            actor=viewer(federal.hr), probation=record, outcome=rules.StageOutcome.EXTEND,
            extension_months=policy.stage_extension_max_months)
    assert not Notification.objects.filter(task__endswith=":outcome",
                                           resolved_at__isnull=True).exists()
    opens = rules.outcome_task_from(policy, ends_on=extended.ends_on)
    assert (federal.hr.pk, STAGE_KIND[Stage.DUE_SOON], "outcome") in _run(opens)


def test_the_mail_is_in_the_readers_language_and_the_regimes_words(federal, settings):
    # The federal regime calls the 1st evaluator "evaluator" (rulebook.terms); each
    # reader gets the mail in their own language.
    record = _record(federal)
    planning = _steps(federal, record)[0]
    federal.first.user.language = "fr"
    federal.first.user.save(update_fields=["language"])
    _run(_day_of(triggers(_policy(federal))[0], planning.due))
    assert not mail.outbox  # nothing leaves inside the run: the outbox holds it
    notify.deliver_emails()
    (email,) = OutgoingEmail.objects.filter(recipient=federal.first.user)
    with translation.override("fr"):
        role = str(terms_for(PolicyPreset.FEDERAL).first_evaluator)
        flemish = str(terms_for(PolicyPreset.FLEMISH).first_evaluator)
        step = str(rules.StageStep(rules.StageStepKind.PLANNING, 1, planning.due).what)
    assert step in email.subject
    assert role in email.body
    assert flemish not in email.body
    assert federal.employee.full_name in email.subject


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_each_stage_reads_in_each_language(federal, language):
    # Every kind, to the evaluator, to the stagiair (in the second person) and to HR, is
    # translated and names the evaluator in the federal regime's word.
    record = _record(federal)
    _run(_day_of(triggers(_policy(federal))[0], _steps(federal, record)[0].due))
    _run(rules.outcome_task_from(_policy(federal), ends_on=record.ends_on))
    rows = {n.params["step"]: n for n in Notification.objects.all()}
    assert set(rows) == {"planning", "objectives", "outcome"}
    for n in rows.values():
        for kind in STAGE_KIND.values():
            with translation.override(language):
                text = render(kind, n.params)
                role = str(terms_for(PolicyPreset.FEDERAL).first_evaluator)
            with translation.override("en"):
                english = render(kind, n.params)
            assert text.subject
            assert text.body
            assert "%(" not in text.subject + text.body
            assert (text.subject, text.body) != (english.subject, english.body)
            if n.params["role"] == "first_evaluator" and kind != STAGE_KIND[Stage.ESCALATED_HR]:
                assert role in text.body


def test_a_relay_that_is_down_loses_no_reminder(federal, settings):
    from tests.notify.test_services import FAILING

    record = _record(federal)
    day = _day_of(triggers(_policy(federal))[0], _steps(federal, record)[0].due)
    _run(day)
    working = settings.MAILERS
    settings.MAILERS = FAILING
    with on(day):
        assert notify.deliver_emails().failed == 1
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() >= 1
    settings.MAILERS = working
    with on(day + dt.timedelta(days=1)):
        notify.deliver_emails()
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()
    assert {m.to[0] for m in mail.outbox} >= {federal.first.email, federal.employee.email}


def test_the_run_stays_within_a_fixed_number_of_queries(federal, p, django_assert_max_num_queries):
    # One stagiair or four: the same bounded run (bulk reads and inserts).
    record = _record(federal)
    day = _day_of(triggers(_policy(federal))[0], _steps(federal, record)[0].due)
    with on(day), django_assert_max_num_queries(30) as one:
        send_stage_reminders()
    Notification.objects.all().delete()
    for n in range(3):
        person = factories.person(federal.employee.unit, with_user=True, start_date=START)
        with on(START):
            probation.probation_record(actor=viewer(federal.hr), person=person,
                                       reason=ProbationReason.RECRUITMENT, starts_on=START,
                                       months=12, mentor=None)
        assert person.pk != n  # a new person each time
    with on(day), django_assert_max_num_queries(len(one.captured_queries)) as four:
        run = send_stage_reminders()
    assert run.stages == 4
    assert len(four.captured_queries) <= len(one.captured_queries)


def test_a_flemish_probation_is_reminded_by_the_cycle_not_by_the_stage_run(p):
    # [f18]/[f19]: the Flemish probation evaluation is due by the computed end; it is the
    # participation's probation assessment step, reminded by the cycle's reminders.
    p.employee.start_date = START
    p.employee.save(update_fields=["start_date"])
    c = factory.cast(p, preset=PolicyPreset.FLEMISH, year=2026, goal_count=0)
    with on(START):
        record = probation.probation_record(
            actor=viewer(c.hr), person=c.employee, reason=ProbationReason.RECRUITMENT,
            starts_on=START, months=6, mentor=None)
    c.participation.refresh_from_db()
    assert c.participation.probation_assessment_due == record.ends_on
    soon = triggers(_policy(c))[0]
    with on(_day_of(soon, record.ends_on)):
        send_reminders()
        assert send_stage_reminders().notifications == 0  # not twice, by another run
    reminder = Notification.objects.get(kind=KIND_OF_STAGE[Stage.DUE_SOON],
                                        params__step="probation_assessment")
    assert reminder.recipient_id == c.first.user_id
