"""Every action of the machine as a call of its service, for the table and machine tests."""

import datetime as dt

from koers.access.policy import Viewer
from koers.evaluations import services
from koers.evaluations.models import Evaluation
from koers.evaluations.services import ROLE_OF_SIGN, current_report
from koers.evaluations.states import Action


def perform(action: Action, evaluation: Evaluation, actor: Viewer, *, verdict: str | None = None,
            text: str = "Changed.", today: dt.date | None = None) -> None:
    """Take ``action`` on ``evaluation`` as ``actor``, with valid input; the service may
    refuse it (a ``DomainError``)."""
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    report = current_report(evaluation)
    if action in ROLE_OF_SIGN:
        services.evaluation_sign(actor=actor, evaluation=evaluation, role=ROLE_OF_SIGN[action],
                                 remarks=text if action == Action.SIGN_EMPLOYEE else "")
    elif action == Action.SEND_DRAFT:
        services.evaluation_send_draft(actor=actor, evaluation=evaluation)
    elif action == Action.CORRECT:
        services.evaluation_correct(actor=actor, evaluation=evaluation, reason=text)
    elif action == Action.CLOSE_UNSIGNED:
        services.evaluation_close_unsigned(actor=actor, evaluation=evaluation)
    elif action == Action.CANCEL:
        services.evaluation_cancel(actor=actor, evaluation=evaluation, reason=text)
    elif action == Action.SAVE_SELF_EVALUATION:
        services.self_evaluation_save(
            actor=actor, evaluation=evaluation, overall=text,
            items={item.position: text for item in evaluation.self_items.all()},
            expected_revision=evaluation.self_evaluation_revision)
    elif action == Action.SUBMIT_SELF_EVALUATION:
        services.self_evaluation_submit(actor=actor, evaluation=evaluation)
    elif action == Action.SAVE_REPORT:
        services.report_save(
            actor=actor, evaluation=evaluation, overall=text,
            items={item.position: text for item in report.items.all()},
            verdict=report.verdict if verdict is None else verdict,
            advanced_evaluation_on=None, expected_revision=report.revision)
    elif action == Action.SET_WRITTEN_PROCEDURE:
        services.evaluation_set_written_procedure(
            actor=actor, evaluation=evaluation, written=not evaluation.written_procedure)
    elif action == Action.ADD_DRAFT_REMARKS:
        services.draft_remarks_add(actor=actor, evaluation=evaluation, remarks=text)
    elif action == Action.RECORD_OBJECTION:
        services.objection_record(actor=actor, evaluation=evaluation,
                                  filed_on=today or dt.date.today(), text=text)
    else:  # pragma: no cover
        raise AssertionError(action)
