"""The evaluation's hand-overs as notifications (in the app and by e-mail, ``koers.notify``).

Each hand-over tells whoever acts next: the self-evaluation submitted → the 1st
evaluator; the 1st signature → the 2nd evaluator, once their task has started (when it
starts later — the Flemish hand-over day — the cycle's reminders of the 2nd signature
tell them); the report delivered → the employee, with the last day to sign; the draft of
the written procedure → the employee, with the last day for remarks, and their remarks →
the 1st evaluator; the employee's signature or the closing without it → the evaluators;
a correction → everyone who signed the corrected version.

A hand-over that asks the recipient to sign or to send remarks names that task
(``task``: "evaluation:<id>:<action>"); the service that takes the action resolves it
(``resolve``), so the notification is done the moment the task leaves the task list.
The 1st and 2nd signature of an annual evaluation are steps of the cycle too, which the
cycle's reminders name "participation:<id>:<step>" (``cycles.milestones.step_task``):
the hand-over names that same task, so the evaluator told that the report waits for
their signature and reminded of its due date has one notification, renewed by the
reminder and resolved when they sign.
The corrected report, told to the employee who signed it, says "your".

Parameters: ``person`` (the evaluated person's name), ``version`` and ``due`` (ISO date or
empty), ``preset`` (the regime of the person's organisation, the recipient's too: its
words name the evaluators when the text is shown, in the recipient's language; older
notifications without it read the default words). No content of the evaluation: the
link opens the page, which checks access. The services create the notifications inside
their transaction: the notification table is the outbox, so nothing is seen or e-mailed
unless the hand-over commits.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.cycles.milestones import step_task
from koers.cycles.notifications import Stage, present_step, register_reminders
from koers.evaluations.models import Evaluation
from koers.evaluations.states import Action, EvaluationKind
from koers.notify.kinds import MessageKind, Params, register
from koers.notify.services import notifications_resolve, notify
from koers.organisation.models import Person
from koers.rulebook.deadlines import Due
from koers.rulebook.stage import StageStep, StageStepKind
from koers.rulebook.terms import terms_for

SELF_EVALUATION_SUBMITTED = "evaluations.self_evaluation_submitted"
READY_FOR_SECOND = "evaluations.ready_for_second"
DELIVERED = "evaluations.delivered"
DRAFT_SENT = "evaluations.draft_sent"
DRAFT_REMARKS = "evaluations.draft_remarks"
EMPLOYEE_SIGNED = "evaluations.employee_signed"
CLOSED_UNSIGNED = "evaluations.closed_unsigned"
CORRECTED = "evaluations.corrected"
OBJECTION_DECIDED = "evaluations.objection_decided"


def _present(params: Params) -> dict[str, Any]:
    due = params.get("due") or ""
    return {
        "person": params["person"],
        "version": params.get("version", 1),
        "due": date_format(dt.date.fromisoformat(due), "j F Y") if due else "",
        "first": terms_for(params.get("preset")).first_evaluator,
        "second": terms_for(params.get("preset")).second_evaluator,
    }


for kind in (
    MessageKind(
        SELF_EVALUATION_SUBMITTED,
        gettext_lazy("%(person)s submitted the self-evaluation"),
        gettext_lazy("%(person)s submitted the self-evaluation. You find it beside the "
                     "report."),
        _present,
    ),
    MessageKind(
        READY_FOR_SECOND,
        gettext_lazy("The evaluation report of %(person)s awaits your signature"),
        gettext_lazy("The %(first)s signed the evaluation report of %(person)s. As "
                     "%(second)s you review and sign it; your signature delivers it to the "
                     "employee."),
        _present,
    ),
    MessageKind(
        DELIVERED,
        gettext_lazy("Your evaluation report is ready: sign it by %(due)s"),
        gettext_lazy("Your evaluation report was delivered to you. Read it and sign it by "
                     "%(due)s; you may add remarks when you sign."),
        _present,
    ),
    MessageKind(
        DRAFT_SENT,
        gettext_lazy("A draft evaluation report awaits your remarks (until %(due)s)"),
        gettext_lazy("Your evaluation is held in writing. Read the draft report and send "
                     "your remarks by %(due)s."),
        _present,
    ),
    MessageKind(
        DRAFT_REMARKS,
        gettext_lazy("%(person)s sent remarks on the draft report"),
        gettext_lazy("%(person)s sent remarks on the draft evaluation report. You may now "
                     "finish and sign it."),
        _present,
    ),
    MessageKind(
        EMPLOYEE_SIGNED,
        gettext_lazy("%(person)s signed the evaluation report"),
        gettext_lazy("%(person)s signed the evaluation report: the evaluation is complete."),
        _present,
    ),
    MessageKind(
        CLOSED_UNSIGNED,
        gettext_lazy("The evaluation of %(person)s was closed without their signature"),
        gettext_lazy("The term to sign has passed and the evaluation of %(person)s was "
                     "closed without the employee's signature."),
        _present,
    ),
    MessageKind(
        CORRECTED,
        gettext_lazy("The evaluation report of %(person)s was corrected"),
        gettext_lazy("The evaluation report of %(person)s you signed was corrected: version "
                     "%(version)s must be signed again."),
        _present,
        own_subject=gettext_lazy("Your evaluation report was corrected"),
        own_body=gettext_lazy("Your evaluation report, which you signed, was corrected: "
                              "version %(version)s must be signed again."),
    ),
    MessageKind(
        OBJECTION_DECIDED,
        gettext_lazy("The objection to the assessment of %(person)s is decided"),
        gettext_lazy("The decision on the objection to the assessment of %(person)s is "
                     "recorded. You find it with the assessment's procedure."),
        _present,
        own_subject=gettext_lazy("Your objection is decided"),
        own_body=gettext_lazy("The decision on your objection to the assessment is "
                              "recorded. You find it with the assessment's procedure."),
    ),
):
    register(kind)


# The reminders of a federal stage's steps ([b12]–[b14], ``evaluations.reminders``): its
# next conversation to the evaluator, the development objectives to the stagiair, how the
# stage goes on to HR. Parameters: ``person``, ``step`` (planning, functioning,
# final, objectives, outcome) and ``number`` (the functioning conversation's),
# ``due`` (ISO date), ``days``, ``role`` (who acts), ``responsible`` (their names) and
# ``preset`` (the regime, whose words name the roles).
STAGE_KIND = {stage: f"evaluations.stage_{stage.value}" for stage in Stage}


def stage_step_label(step: str, number: int = 1) -> str:
    """What a step of the stage is called, in the active language."""
    if step == "objectives":
        return _("Development objectives of the stage")
    if step == "outcome":
        return _("Decision on how the stage goes on")
    # The conversations are named as on the stage's page (``rulebook.stage``).
    return StageStep(StageStepKind(step), number, dt.date.min).what


def _present_stage(params: Params) -> dict[str, Any]:
    return present_step(params, stage_step_label(params["step"], int(params.get("number", 1))))


register_reminders(STAGE_KIND, _present_stage, gettext_lazy(
    "%(step)s for %(person)s was due on %(due)s and is not done yet "
    "(%(role)s: %(responsible)s). You receive this as HR, who follows up the stage."))


def evaluation_url(evaluation: Evaluation) -> str:
    """The evaluation's page; the person's timeline where the pages are not installed."""
    try:
        return reverse("evaluation_detail", kwargs={"pk": evaluation.pk})
    except NoReverseMatch:
        return reverse("person_timeline", kwargs={"pk": evaluation.person_id})


def tell(
    kind: str,
    *,
    evaluation: Evaluation,
    recipients: Iterable[Person | None],
    version: int,
    due: dt.date | None = None,
    step: str = "",
    task: Action | None = None,
) -> int:
    """Notify each recipient with a login once (by key); returns how many were new.

    ``step`` tells repeated hand-overs of the same kind apart in the key (e.g. the
    employee's remarks), so each is still created exactly once. ``task``: the action the
    notification asks for, resolved when it is taken (``resolve``).
    """
    created = 0
    seen: set[int] = set()
    for person in recipients:
        if person is None or person.user_id is None or person.user_id in seen:
            continue
        seen.add(person.user_id)
        created += notify(
            recipient=person.user,  # type: ignore[arg-type]  # user_id checked above
            key=f"evaluation:{evaluation.pk}:v{version}:{kind}{step}:{person.user_id}",
            kind=kind,
            params={"person": evaluation.person_name or evaluation.person.full_name,
                    "version": version, "due": due.isoformat() if due else "",
                    "preset": evaluation.person.organisation.policy_preset},
            url=evaluation_url(evaluation),
            task=task_of(evaluation, task) if task is not None else "",
            about_id=evaluation.person.user_id,
        )
    return created


# The signatures that are steps of the cycle: one task with the cycle's reminders.
CYCLE_STEP_OF = {Action.SIGN_FIRST: Due.FIRST_SIGNATURE, Action.SIGN_SECOND: Due.SECOND_SIGNATURE}


def task_of(evaluation: Evaluation, action: Action) -> str:
    """The task a hand-over asking for ``action`` names: the cycle's step for a signature
    of an annual evaluation (the task its reminders name), else the evaluation's own."""
    step = CYCLE_STEP_OF.get(action)
    if step is not None and evaluation.kind == EvaluationKind.ANNUAL \
            and evaluation.participation_id is not None:
        return step_task(evaluation.participation_id, step)
    return f"evaluation:{evaluation.pk}:{action.value}"


def resolve(evaluation: Evaluation, *actions: Action) -> None:
    """The actions are taken (or no longer possible): their notifications are done. No
    action: every task of the evaluation (it is cancelled), its signatures too."""
    if not actions:
        notifications_resolve(task=f"evaluation:{evaluation.pk}:")
        actions = tuple(CYCLE_STEP_OF)
    for action in actions:
        notifications_resolve(task=task_of(evaluation, action))
