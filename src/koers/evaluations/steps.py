"""Who acts next on an evaluation, and by when: one answer for the evaluation's page, the
task lists ("what waits for me") and the API.

``next_steps`` lists the open steps of one evaluation: who (role and person), what, the
due date and whether it is a task to do today, with a note when it is not (yet). Nothing
here types a day: the due dates are the participation's (``cycles.milestones``, the
deadline engine's days, the same the reminders read) or the evaluation's own terms, and
whether a step is open today is ``rules.timing_error`` — the very function the services
ask before signing, so a task list never offers what signing would refuse (the 2nd
evaluator's task before the hand-over day, the 1st signature before the window opens).
``evaluation_tasks`` is the viewer's task list, built from ``next_steps``.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from koers.access.policy import Viewer
from koers.core.clock import today_for
from koers.core.due import DueBy
from koers.cycles.milestones import STEP_BY_DUE
from koers.cycles.models import Participation
from koers.evaluations import permissions, rules
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.selectors import EvaluationPage
from koers.evaluations.states import (
    OPEN_GROUP,
    SELF_EVALUATION_GROUP,
    Action,
    EvaluationKind,
    EvaluationState,
    Role,
    role_label,
)
from koers.organisation.models import Person
from koers.rulebook import deadlines
from koers.rulebook.deadlines import Due
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.terms import terms_for

S = EvaluationState


@dataclass(frozen=True)
class Step(DueBy):
    """One thing someone must do next on ``evaluation``: who, what, by when, and how that
    stands ``today``. ``actionable`` is false while the policy does not allow it yet;
    ``note`` then says from when (else it may add what follows the day)."""

    evaluation: Evaluation
    role: Role
    person: Person | None
    action: Action  # the machine's action that settles the step
    what: str  # in the active language
    due: dt.date | None
    today: dt.date
    actionable: bool = True
    note: str = ""
    # The policy's preset: the regime whose words name the role (``rulebook.terms``).
    preset: str = ""

    @property
    def who(self) -> str:
        """The role and, where known, the person: "2nd evaluator: Ratana Than"."""
        label = role_label(self.role, terms_for(self.preset))
        label = label[:1].upper() + label[1:]
        return f"{label}: {self.person.full_name}" if self.person is not None else label


def _person(evaluation: Evaluation, role: Role) -> Person | None:
    if role == Role.EMPLOYEE:
        return evaluation.person
    if role == Role.FIRST_EVALUATOR:
        return evaluation.first_evaluator
    if role == Role.SECOND_EVALUATOR:
        return evaluation.second_evaluator
    return None


def next_steps(evaluation: Evaluation, *, participation: Participation | None, policy: Policy,
               today: dt.date, first_signed_on: dt.date | None) -> list[Step]:
    """The open steps of ``evaluation`` on ``today``, in the order they are taken.

    ``participation`` is the annual evaluation's (its due dates; ignored for the other
    kinds, which are held on their own day, ``Evaluation.due_on``); ``first_signed_on``
    the day of the current version's 1st signature (the hand-over counts from it). A
    step that can no longer be taken (the term for remarks or for the employee's
    signature has passed) is not open: the next one is.
    """
    ev = evaluation
    part = participation if ev.kind == EvaluationKind.ANNUAL else None
    state = EvaluationState(ev.state)
    steps: list[Step] = []

    # The participation's steps name who acts and by when, for the reminders too.
    def actor(which: Due) -> Role:
        return Role(STEP_BY_DUE[which].responsible)

    def due(which: Due, otherwise: dt.date | None = None) -> dt.date | None:
        return STEP_BY_DUE[which].due_on(part) if part is not None else otherwise

    def refusal(action: Action) -> str | None:
        return rules.timing_error(action, evaluation=ev, policy=policy, today=today,
                                  first_signed_on=first_signed_on)

    def add(role: Role, action: Action, what: str, on: dt.date | None, note: str = "") -> None:
        refused = refusal(action)
        steps.append(Step(ev, role, _person(ev, role), action, what, on, today,
                          actionable=refused is None, note=refused or note,
                          preset=policy.preset))

    if state in SELF_EVALUATION_GROUP and ev.self_evaluation_submitted_at is None:
        add(actor(Due.SELF_EVALUATION), Action.SUBMIT_SELF_EVALUATION,
            _("Write and submit the self-evaluation"), due(Due.SELF_EVALUATION))
    if state == S.DRAFT:
        if ev.written_procedure:
            add(Role.FIRST_EVALUATOR, Action.SEND_DRAFT,
                _("Write the draft report and send it to the employee"), None)
        else:
            author = rules.report_author(policy, kind=ev.kind)
            what = (_("Write the record of the evaluation conversation")
                    if author == Role.EMPLOYEE
                    else _("Hold the evaluation conversation and write the report"))
            add(author, Action.SAVE_REPORT, what, due(Due.EVALUATION, ev.due_on))
            add(actor(Due.FIRST_SIGNATURE), Action.SIGN_FIRST, _("Sign the report"),
                due(Due.FIRST_SIGNATURE, ev.due_on))
    elif state == S.DRAFT_SENT:
        assert ev.draft_sent_on is not None
        if refusal(Action.ADD_DRAFT_REMARKS) is None:
            add(Role.EMPLOYEE, Action.ADD_DRAFT_REMARKS,
                _("Send remarks on the draft (optional)"),
                deadlines.written_remarks_due(policy, draft_sent_on=ev.draft_sent_on))
        add(actor(Due.FIRST_SIGNATURE), Action.SIGN_FIRST, _("Finish and sign the report"),
            due(Due.FIRST_SIGNATURE, ev.due_on))
    elif state == S.FIRST_SIGNED:
        add(actor(Due.SECOND_SIGNATURE), Action.SIGN_SECOND,
            _("Review and sign the report; it then goes to the employee"),
            due(Due.SECOND_SIGNATURE))
    elif state == S.DELIVERED:
        if refusal(Action.SIGN_EMPLOYEE) is None:
            add(Role.EMPLOYEE, Action.SIGN_EMPLOYEE,
                _("Sign the report, with remarks if you wish"), ev.employee_signature_due,
                _("After that day the %(first)s or HR closes it without the signature.")
                % {"first": terms_for(policy.preset).first_evaluator})
        else:
            label = str(Action.CLOSE_UNSIGNED.label)
            add(Role.FIRST_EVALUATOR, Action.CLOSE_UNSIGNED, label[:1].upper() + label[1:],
                None)
    return steps


def evaluation_steps(page: EvaluationPage, *, today: dt.date | None = None) -> list[Step]:
    """The open steps of the evaluation on its page (and in the API's evaluation): read
    from the loaded page, no query of its own."""
    ev = page.evaluation
    return next_steps(
        ev, participation=ev.participation if ev.participation_id else None,
        policy=page.policy, today=today or today_for(ev.person.organisation),
        first_signed_on=page.first_signed_on)


def evaluation_tasks(viewer: Viewer) -> list[Step]:
    """What waits for the viewer: in each open evaluation they act in, their step that is
    a task to do today (the one due first), the earliest period first.

    Three queries whatever the number of tasks (the evaluations with their people and
    participations, the days of their 1st signatures, and the policy of each
    organisation involved); the steps are ``next_steps``, so the task list and the
    evaluation's page never disagree.
    """
    me = viewer.person
    if me is None:
        return []
    # The evaluator line of today decides who acts, as in ``permissions.roles_of``.
    evaluations = list(
        Evaluation.objects.filter(
            Q(person=me) | Q(person__in=viewer.team_ids | viewer.second_line_ids),
            state__in=OPEN_GROUP)
        .select_related("person__organisation", "first_evaluator", "second_evaluator",
                        "participation__cycle__organisation")
        .order_by("period_end", "pk")
    )
    if not evaluations:
        return []
    # The latest 1st signature of an evaluation is its current version's: a correction
    # opens a new version after it.
    first_signed = dict(
        Signature.objects.filter(report__evaluation__in=evaluations, role=Role.FIRST_EVALUATOR)
        .values("report__evaluation").annotate(last=Max("signed_at"))
        .values_list("report__evaluation", "last")
    )
    organisations = {ev.person.organisation_id: ev.person.organisation for ev in evaluations}
    policies = {pk: policy_for(organisation) for pk, organisation in organisations.items()}
    days = {pk: today_for(organisation) for pk, organisation in organisations.items()}
    tasks = []
    for ev in evaluations:
        organisation = ev.person.organisation
        signed_at = first_signed.get(ev.pk)
        steps = next_steps(
            ev, participation=ev.participation, policy=policies[organisation.pk],
            today=days[organisation.pk],
            first_signed_on=rules.local_day(signed_at, organisation.time_zone)
            if signed_at else None)
        roles = permissions.personal_roles(viewer, ev)
        mine = [step for step in steps if step.actionable and step.role in roles]
        if mine:
            # One row per evaluation: the step due first ("sign by 15 March" before
            # "hold the conversation by 31 March"); the page lists them all.
            tasks.append(min(mine, key=lambda step: step.due or dt.date.max))
    return tasks
