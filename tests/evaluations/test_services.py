"""The evaluation's services: opening, the self-evaluation, the report, the signing chain,
the written procedure, corrections, the advanced evaluation and the formal assessment."""

import datetime as dt

import pytest
from django.core import mail

from koers.audit.models import AuditEvent
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.cycles.models import Participation
from koers.evaluations import permissions, seals, services
from koers.evaluations.models import Evaluation, FormalReason, Signature
from koers.evaluations.services import current_report
from koers.evaluations.states import EvaluationKind, EvaluationState, Refused, Role, WrongRole
from koers.notify.models import Notification
from koers.notify.services import deliver_emails
from koers.organisation.models import EmploymentStatus, PolicyPreset
from tests import personas
from tests.factories import evaluations as factory
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db

S = EvaluationState
D = dt.date


@pytest.fixture
def p():
    return personas.build()


@pytest.fixture
def c(p):
    return factory.cast(p)


def kinds_for(person):
    """The evaluation's notifications of ``person`` (the fixture's goals notify too)."""
    mine = Notification.objects.filter(recipient=person.user, kind__startswith="evaluations.")
    return sorted(mine.values_list("kind", flat=True))


def actions():
    return list(AuditEvent.objects.filter(action__startswith="evaluation.")
                .order_by("pk").values_list("action", flat=True))


# Opening ----------------------------------------------------------------------------------


def test_opening_copies_the_agreed_goals_and_the_evaluator_line(c):
    evaluation = factory.annual(c)

    assert (evaluation.state, evaluation.first_evaluator, evaluation.second_evaluator) == (
        S.DRAFT, c.first, c.second)
    assert evaluation.person_name == "Marc Vandamme"
    assert (evaluation.period_start, evaluation.period_end) == (D(2025, 1, 1), D(2025, 12, 31))
    report = current_report(evaluation)
    assert [i.goal_title for i in report.items.all()] == ["Goal 1 of Marc", "Goal 2 of Marc"]
    assert [i.goal_title for i in evaluation.self_items.all()] == ["Goal 1 of Marc",
                                                                   "Goal 2 of Marc"]
    assert actions() == ["evaluation.opened"]


def test_one_annual_evaluation_per_participation(c):
    first = factory.annual(c)
    with on(D(2025, 11, 21)), pytest.raises(ValidationFailed):
        services.evaluation_open(actor=viewer(c.employee), person=c.employee,
                                 participation=c.participation)
    with on(D(2025, 11, 21)):
        again = services.evaluation_for_participation(actor=viewer(c.employee),
                                                      participation=c.participation)
    assert again.pk == first.pk


def test_opening_from_the_participation_opens_the_evaluation_once(c):
    from koers.evaluations import selectors

    with on(D(2025, 11, 20)):
        before = selectors.participation_evaluation(c.participation)
        evaluation = services.evaluation_for_participation(actor=viewer(c.employee),
                                                           participation=c.participation)
    assert before is None  # reading opens nothing
    assert not selectors.goals_to_add(evaluation)
    assert evaluation.kind == EvaluationKind.ANNUAL
    assert evaluation.participation == c.participation
    assert selectors.participation_evaluation(c.participation) == evaluation


def test_a_colleague_cannot_open_someone_elses_evaluation(p, c):
    with on(D(2025, 11, 20)), pytest.raises(NotFoundOrForbidden):
        services.evaluation_open(actor=viewer(p.colleague), person=c.employee,
                                 participation=c.participation)


# The self-evaluation ------------------------------------------------------------------------


def test_the_self_evaluation_is_private_until_submitted(c):
    evaluation = factory.annual(c)
    with on(D(2025, 12, 2)):
        factory.write_self_evaluation(c, evaluation, submit=False)
        evaluation.refresh_from_db()
        assert permissions.can_view_self_evaluation(viewer(c.employee), evaluation)
        assert not permissions.can_view_self_evaluation(viewer(c.first), evaluation)
        services.self_evaluation_submit(actor=viewer(c.employee), evaluation=evaluation)
    evaluation.refresh_from_db()
    assert permissions.can_view_self_evaluation(viewer(c.first), evaluation)
    assert Participation.objects.get(pk=c.participation.pk).self_evaluation_submitted_on == \
        D(2025, 12, 2)
    assert kinds_for(c.first) == ["evaluations.self_evaluation_submitted"]
    with on(D(2025, 12, 3)), pytest.raises(Refused):
        services.self_evaluation_save(actor=viewer(c.employee), evaluation=evaluation,
                                      overall="Changed my mind.", items={},
                                      expected_revision=evaluation.self_evaluation_revision)


def test_an_empty_self_evaluation_is_not_submitted(c):
    evaluation = factory.annual(c)
    with on(D(2025, 12, 2)), pytest.raises(Refused):
        services.self_evaluation_submit(actor=viewer(c.employee), evaluation=evaluation)


def test_the_evaluator_does_not_write_the_self_evaluation(c):
    evaluation = factory.annual(c)
    with on(D(2025, 12, 2)), pytest.raises(WrongRole):
        services.self_evaluation_save(actor=viewer(c.first), evaluation=evaluation,
                                      overall="x", items={}, expected_revision=0)


# The report -------------------------------------------------------------------------------


def test_loopbaanvertraging_only_for_statutory_staff_in_the_seniority_system(p, c):
    c.employee.employment_status = EmploymentStatus.CONTRACTUAL
    c.employee.save(update_fields=["employment_status"])
    evaluation = factory.annual(c)
    with on(D(2025, 11, 20)), pytest.raises(ValidationFailed) as refused:
        factory.write_report(c, evaluation, verdict="loopbaanvertraging")
    assert "verdict" in refused.value.errors


def test_advanced_evaluation_only_after_onvoldoende_and_from_the_sixth_month(c):
    evaluation = factory.annual(c)
    with on(D(2025, 12, 5)):
        with pytest.raises(ValidationFailed) as refused:
            factory.write_report(c, evaluation, verdict="voldoende", advanced=D(2026, 9, 1))
        assert "advanced_evaluation_on" in refused.value.errors
        # Acknowledged in December: from the 6th month after it, 1 June 2026.
        with pytest.raises(ValidationFailed):
            factory.write_report(c, evaluation, verdict="onvoldoende", advanced=D(2026, 5, 31))
        factory.write_report(c, evaluation, verdict="onvoldoende", advanced=D(2026, 6, 1))
    assert current_report(evaluation).advanced_evaluation_on == D(2026, 6, 1)


# The signing chain --------------------------------------------------------------------------


def test_the_flemish_chain_seals_every_signature_and_moves_the_milestones(c):
    evaluation = factory.reach(c, S.COMPLETED)
    participation = Participation.objects.get(pk=c.participation.pk)
    when = factory.days()
    assert (participation.first_signed_on, participation.second_signed_on,
            participation.delivered_on, participation.employee_signed_on) == (
        when["first"], when["second"], when["second"], when["employee"])
    signatures = list(Signature.objects.filter(report__evaluation=evaluation).order_by("pk"))
    assert [(s.role, s.signer) for s in signatures] == [
        (Role.FIRST_EVALUATOR, c.first), (Role.SECOND_EVALUATOR, c.second),
        (Role.EMPLOYEE, c.employee)]
    assert signatures[2].remarks == "Seen."
    assert all(len(s.seal) == 64 for s in signatures)
    assert evaluation.employee_signature_due == when["second"] + dt.timedelta(days=15)
    assert seals.verify(evaluation) == []
    assert actions()[-3:] == ["evaluation.sign_first", "evaluation.sign_second",
                              "evaluation.sign_employee"]
    assert kinds_for(c.second) == ["evaluations.employee_signed", "evaluations.ready_for_second"]
    assert kinds_for(c.employee) == ["evaluations.delivered"]


def test_the_first_evaluator_signs_only_once_the_window_opened(c):
    evaluation = factory.annual(c)
    with on(D(2025, 11, 25)):
        factory.write_report(c, evaluation)
        with pytest.raises(Refused) as refused:
            services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)
    assert "1 december 2025" in refused.value.message


def test_the_second_evaluator_waits_for_the_self_evaluation_or_15_march(c):
    evaluation = factory.reach(c, S.FIRST_SIGNED, self_evaluation=False)
    with on(D(2026, 3, 14)), pytest.raises(Refused) as refused:
        services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    assert "15 maart 2026" in refused.value.message
    assert kinds_for(c.second) == []
    # The self-evaluation comes after the 1st signature: the hand-over happens then.
    with on(D(2026, 2, 1)):
        factory.write_self_evaluation(c, evaluation)
    assert kinds_for(c.second) == ["evaluations.ready_for_second"]
    with on(D(2026, 2, 1)):
        services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).state == S.DELIVERED


def test_the_second_evaluator_signs_from_15_march_without_a_self_evaluation(c):
    evaluation = factory.reach(c, S.FIRST_SIGNED, self_evaluation=False)
    with on(D(2026, 3, 15)):
        services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).state == S.DELIVERED


def test_the_employee_cannot_sign_after_the_term_then_it_is_closed(c):
    evaluation = factory.reach(c, S.DELIVERED)
    due = evaluation.employee_signature_due
    with on(due), pytest.raises(Refused):
        services.evaluation_close_unsigned(actor=viewer(c.first), evaluation=evaluation)
    with on(due + dt.timedelta(days=1)):
        with pytest.raises(Refused):
            services.evaluation_sign(actor=viewer(c.employee), evaluation=evaluation)
        services.evaluation_close_unsigned(actor=viewer(c.hr), evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).state == S.CLOSED_UNSIGNED
    assert "evaluations.closed_unsigned" in kinds_for(c.first)


def test_only_the_employee_adds_remarks(c):
    evaluation = factory.annual(c)
    with on(D(2025, 12, 10)):
        factory.write_report(c, evaluation)
        with pytest.raises(ValidationFailed):
            services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation,
                                     remarks="Well done.")


def test_signing_requires_a_complete_report(c):
    evaluation = factory.annual(c)
    with on(D(2025, 12, 10)), pytest.raises(Refused):
        services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)


def test_a_signed_version_is_not_edited(c):
    evaluation = factory.reach(c, S.FIRST_SIGNED)
    report = current_report(evaluation)
    with on(D(2025, 12, 11)), pytest.raises(Refused):
        services.report_save(actor=viewer(c.first), evaluation=evaluation, overall="Other.",
                             items={}, verdict="voldoende", advanced_evaluation_on=None,
                             expected_revision=report.revision)


# The written procedure ----------------------------------------------------------------------


def test_the_written_procedure_sends_a_draft_and_waits_for_the_remarks(c):
    evaluation = factory.reach(c, S.DRAFT_SENT, written=True, verdict="onvoldoende")
    assert kinds_for(c.employee) == ["evaluations.draft_sent"]
    assert evaluation.draft_verdict == "onvoldoende"
    assert permissions.can_view_report(viewer(c.employee), evaluation)
    with on(D(2025, 12, 10)), pytest.raises(Refused) as refused:
        services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)
    assert "17 december 2025" in refused.value.message
    with on(D(2025, 12, 4)):
        services.draft_remarks_add(actor=viewer(c.employee), evaluation=evaluation,
                                   remarks="I was ill in May.")
        with pytest.raises(Refused):  # once
            services.draft_remarks_add(actor=viewer(c.employee), evaluation=evaluation,
                                       remarks="And in June.")
    assert "evaluations.draft_remarks" in kinds_for(c.first)
    with on(D(2025, 12, 10)):
        services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)
    assert Participation.objects.get(pk=c.participation.pk).evaluation_held_on == D(2025, 12, 10)


def test_a_negative_verdict_must_already_be_in_the_draft(c):
    evaluation = factory.reach(c, S.DRAFT_SENT, written=True, verdict="voldoende")
    report = current_report(evaluation)
    with on(D(2025, 12, 3)), pytest.raises(ValidationFailed) as refused:
        services.report_save(actor=viewer(c.first), evaluation=evaluation, overall="Worse.",
                             items={}, verdict="onvoldoende", advanced_evaluation_on=None,
                             expected_revision=report.revision)
    assert "verdict" in refused.value.errors


def test_the_procedure_cannot_change_once_the_draft_was_sent(c):
    evaluation = factory.reach(c, S.DRAFT_SENT, written=True)
    with on(D(2025, 12, 3)), pytest.raises(Exception):  # noqa: B017, PT011 (WrongState)
        services.evaluation_set_written_procedure(actor=viewer(c.first), evaluation=evaluation,
                                                  written=False)


# Corrections ------------------------------------------------------------------------------


def test_a_correction_keeps_the_signed_version_and_opens_a_new_one(c):
    evaluation = factory.reach(c, S.DELIVERED)
    signed = current_report(evaluation)
    first = signed.signatures.get(role=Role.FIRST_EVALUATOR)
    before = seals.canonical(signed, role=first.role, signer=c.first,
                             signed_at=first.signed_at, earlier=[], delivered=False,
                             with_self_evaluation=True)
    assert first.seal == seals.seal(signed, role=first.role, signer=c.first,
                                    signed_at=first.signed_at, earlier=[], delivered=False,
                                    with_self_evaluation=True)
    with on(D(2025, 12, 13)):
        new = services.evaluation_correct(actor=viewer(c.first), evaluation=evaluation,
                                          reason="The date of goal 2 was wrong.")
    evaluation.refresh_from_db()
    assert (evaluation.state, new.number, new.overall) == (S.DRAFT, 2, signed.overall)
    assert [i.text for i in new.items.all()] == [i.text for i in signed.items.all()]
    assert seals.canonical(signed, role=first.role, signer=c.first, signed_at=first.signed_at,
                           earlier=[], delivered=False, with_self_evaluation=True) == before
    assert seals.verify(evaluation) == []
    participation = Participation.objects.get(pk=c.participation.pk)
    assert (participation.first_signed_on, participation.delivered_on) == (None, None)
    # Everyone who signed hears of it, except the one who corrected.
    assert "evaluations.corrected" in kinds_for(c.second)
    assert "evaluations.corrected" not in kinds_for(c.first)
    # The new version is signed again.
    with on(D(2025, 12, 14)):
        factory.write_report(c, evaluation, overall="Marc did what was agreed, on time.")
        services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)
        services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    assert seals.verify(evaluation) == []
    assert Signature.objects.filter(report__evaluation=evaluation).count() == 4


def test_hr_cancels_a_draft_with_a_reason(c):
    evaluation = factory.annual(c)
    with on(D(2025, 11, 21)):
        with pytest.raises(ValidationFailed):
            services.evaluation_cancel(actor=viewer(c.hr), evaluation=evaluation, reason=" ")
        services.evaluation_cancel(actor=viewer(c.hr), evaluation=evaluation,
                                   reason="Left on 30 November.")
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.closed_reason) == (S.CANCELLED, "Left on 30 November.")


# The advanced evaluation ------------------------------------------------------------------


def test_a_chosen_day_before_the_earliest_moves_on_delivery_and_is_opened_at_the_end(c):
    # Chosen on 20 November 2025 (earliest then: 1 May 2026); delivered on 16 March 2026:
    # from the delivery, the earliest day is 1 September 2026.
    evaluation = factory.reach(c, S.DELIVERED, verdict="onvoldoende", self_evaluation=False,
                               advanced=D(2026, 5, 1))
    report = current_report(evaluation)
    assert (report.advanced_evaluation_on, report.advanced_evaluation_earliest,
            report.advanced_evaluation_day) == (D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 1))
    assert evaluation.advanced_evaluation_earliest == D(2026, 9, 1)
    assert "evaluation.advanced_evaluation_moved" in actions()
    with on(D(2026, 3, 18)):
        services.evaluation_sign(actor=viewer(c.employee), evaluation=evaluation)
    advanced = Evaluation.objects.get(follows=evaluation)
    assert (advanced.kind, advanced.due_on, advanced.state) == (
        EvaluationKind.ADVANCED, D(2026, 9, 1), S.DRAFT)
    assert seals.verify(evaluation) == []


# The Dutch preset ---------------------------------------------------------------------------


def test_dutch_the_employee_writes_and_the_first_signature_delivers(p):
    c = factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    evaluation = factory.annual(c)
    with on(D(2025, 12, 1)):
        with pytest.raises(Refused):
            factory.write_report(c, evaluation, verdict="", by=c.first)
        with pytest.raises(ValidationFailed):
            factory.write_report(c, evaluation, verdict="voldoende", by=c.employee)
        factory.write_report(c, evaluation, verdict="", by=c.employee)
        services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.state == S.DELIVERED
    assert evaluation.employee_signature_due == D(2025, 12, 15)
    with on(D(2025, 12, 2)):
        services.evaluation_sign(actor=viewer(c.employee), evaluation=evaluation)
    roles = list(Signature.objects.filter(report__evaluation=evaluation).order_by("pk")
                 .values_list("role", flat=True))
    assert roles == [Role.FIRST_EVALUATOR, Role.EMPLOYEE]
    assert seals.verify(evaluation) == []


def _held_progress_conversation(c, *, points: str, day: dt.date = D(2025, 6, 2)):  # noqa: B008
    start = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
    with on(day - dt.timedelta(days=7)):
        conversation = conversation_services.conversation_schedule(
            actor=viewer(c.first), employee=c.employee, kind=ConversationKind.PROGRESS,
            starts_at=start, ends_at=start + dt.timedelta(hours=1), location="Room 2")
    with on(day):
        return conversation_services.conversation_hold(
            actor=viewer(c.first), conversation=conversation, improvement_points=points)


def test_dutch_formal_assessment_needs_improvement_points_in_a_progress_conversation(p):
    c = factory.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)
    without = _held_progress_conversation(c, points="")
    with on(D(2025, 7, 1)), pytest.raises(ValidationFailed) as refused:
        services.evaluation_open(actor=viewer(c.first), person=c.employee,
                                 kind=EvaluationKind.FORMAL_ASSESSMENT,
                                 formal_reason=FormalReason.NEGATIVE_DECISION,
                                 improvement_conversation=without)
    assert "improvement_conversation" in refused.value.errors
    raised = _held_progress_conversation(c, points="Answer mails within 2 days.",
                                         day=D(2025, 6, 9))
    with on(D(2025, 7, 1)):
        assessment = services.evaluation_open(
            actor=viewer(c.first), person=c.employee, kind=EvaluationKind.FORMAL_ASSESSMENT,
            formal_reason=FormalReason.NEGATIVE_DECISION, improvement_conversation=raised)
        # Written by the 1st evaluator ("eenzijdig vastgesteld"), even in the Dutch preset.
        factory.write_report(c, assessment, verdict="", by=c.first)
        services.evaluation_sign(actor=viewer(c.first), evaluation=assessment)
        objection = services.objection_record(actor=viewer(c.employee), evaluation=assessment,
                                              filed_on=D(2025, 7, 1), text="I disagree.")
    assert objection.evaluation == assessment
    assert "evaluation.objection_recorded" in actions()


def test_no_formal_assessment_in_the_flemish_preset(c):
    raised = _held_progress_conversation(c, points="Answer mails within 2 days.")
    with on(D(2025, 7, 1)), pytest.raises(ValidationFailed):
        services.evaluation_open(actor=viewer(c.first), person=c.employee,
                                 kind=EvaluationKind.FORMAL_ASSESSMENT,
                                 formal_reason=FormalReason.MANAGER_REQUEST,
                                 improvement_conversation=raised)


# Notifications ----------------------------------------------------------------------------


def open_tasks(person):
    """The tasks ``person``'s evaluation notifications still ask for."""
    mine = Notification.objects.filter(recipient=person.user, resolved_at__isnull=True)
    return sorted(mine.exclude(task="").values_list("task", flat=True))


def test_each_signature_resolves_the_notification_that_asked_for_it(c):
    evaluation = factory.reach(c, S.FIRST_SIGNED)
    when = factory.days()
    assert c.second is not None
    # The signature is the cycle's step: the task its reminders name too.
    assert open_tasks(c.second) == [f"participation:{c.participation.pk}:second_signature"]

    with on(when["second"]):
        services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    assert open_tasks(c.second) == []
    assert open_tasks(c.employee) == [f"evaluation:{evaluation.pk}:sign_employee"]
    with on(when["employee"]):
        services.evaluation_sign(actor=viewer(c.employee), evaluation=evaluation)

    assert open_tasks(c.employee) == []
    assert Notification.objects.filter(
        recipient=c.employee.user, kind="evaluations.delivered",
        resolved_at__isnull=False).count() == 1


def test_the_draft_remarks_and_a_cancelled_evaluation_resolve_theirs(c):
    evaluation = factory.reach(c, S.DRAFT_SENT, written=True)
    assert open_tasks(c.employee) == [f"evaluation:{evaluation.pk}:add_draft_remarks"]
    with on(D(2025, 12, 3)):
        services.draft_remarks_add(actor=viewer(c.employee), evaluation=evaluation,
                                   remarks="I was on leave in May.")
    assert open_tasks(c.employee) == []
    assert open_tasks(c.first) == [f"participation:{c.participation.pk}:first_signature"]

    with on(D(2025, 12, 5)):
        services.evaluation_cancel(actor=viewer(c.hr), evaluation=evaluation,
                                   reason="Not required.")

    assert open_tasks(c.first) == []


def test_the_e_mails_name_no_content(c):
    evaluation = factory.reach(c, S.COMPLETED)
    deliver_emails()
    assert mail.outbox
    report = current_report(evaluation)
    for message in mail.outbox:
        assert report.overall not in message.body
        assert "voldoende" not in message.body
        assert "Seen." not in message.body
        assert f"/{evaluation.pk}" in message.body or "/people/" in message.body


def test_each_recipient_reads_the_evaluations_emails_in_their_own_language(c):
    """Marc reads Koers in French, Ratana in Dutch, the 2nd evaluator in German: each
    e-mail of the evaluation is in its recipient's language, dates included (one e-mail
    or a digest of its lines per recipient)."""
    assert c.second is not None
    for person, language in ((c.employee, "fr"), (c.first, "nl"), (c.second, "de")):
        person.user.language = language
        person.user.save(update_fields=["language"])
    factory.reach(c, S.COMPLETED)
    deliver_emails()
    read: dict[str, str] = {}
    for message in mail.outbox:
        read[message.to[0]] = read.get(message.to[0], "") + message.subject + message.body
    assert "Votre rapport d'évaluation est prêt\xa0: signez-le au plus tard le " \
        "27 décembre 2025" in read[c.employee.email]
    assert "Bonjour," in read[c.employee.email]
    assert "Marc Vandamme heeft de zelfevaluatie ingediend" in read[c.first.email]
    assert "Marc Vandamme heeft het evaluatieverslag ondertekend" in read[c.first.email]
    assert "Der Bewertungsbericht von Marc Vandamme wartet auf Ihre Unterschrift" \
        in read[c.second.email]
    assert "Marc Vandamme hat den Bewertungsbericht unterzeichnet" in read[c.second.email]
