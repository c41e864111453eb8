"""The evaluation's state machine: every state, every transition, who may take it, and when.

One table (``TRANSITIONS``) is the whole machine. ``evaluations.services`` takes a
transition only through ``check``, which refuses anything not listed here with a clear
message; the policy conditions named in ``Transition.condition`` are checked by
``evaluations.rules``. A test walks the table exhaustively and a hypothesis state machine
drives random sequences of actions by every role against it.

    DRAFT ──send_draft──▶ DRAFT_SENT   (written procedure only)
    DRAFT, DRAFT_SENT ──sign_first──▶ FIRST_SIGNED   (no 2nd signature: ▶ DELIVERED)
    FIRST_SIGNED ──sign_second──▶ DELIVERED
    DELIVERED ──sign_employee──▶ COMPLETED
    DELIVERED ──close_unsigned──▶ CLOSED_UNSIGNED   (the term to sign has passed)
    FIRST_SIGNED / DELIVERED ──correct──▶ DRAFT (a new report version, signed again)
    DRAFT / DRAFT_SENT ──cancel──▶ CANCELLED

Besides the moves, ``EDITS`` lists the actions that keep the state (writing and
submitting the self-evaluation, writing the report, remarks on a draft, ...) with the
same columns, so that "who may do what, when" is one table for everything.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.core.errors import ValidationFailed
from koers.rulebook.terms import Terms


class ObjectionOutcome(models.TextChoices):
    """The decision on an objection to a formal or probation assessment, in the words of
    the Algemene wet bestuursrecht: inadmissible (art. 6:6), or admissible and then
    well-founded, partly well-founded or unfounded (art. 7:11: a well-founded objection
    revokes the assessment as far as it goes)."""

    UPHELD = "upheld", _("upheld (well-founded)")  # gegrond
    PARTLY_UPHELD = "partly_upheld", _("partly upheld")  # gedeeltelijk gegrond
    REJECTED = "rejected", _("rejected (unfounded)")  # ongegrond
    INADMISSIBLE = "inadmissible", _("inadmissible")  # niet-ontvankelijk


class EvaluationKind(models.TextChoices):
    ANNUAL = "annual", _("annual evaluation")  # evaluatie (000, 001)
    ADVANCED = "advanced", _("advanced evaluation")  # vervroegde evaluatie na onvoldoende
    FORMAL_ASSESSMENT = "formal_assessment", _("formal assessment")  # beoordelingsgesprek (004)
    # proeftijdevaluatie (Flanders [f21]), proeftijdbeoordeling (Heemstede, 004)
    PROBATION = "probation", _("probation evaluation")


def role_label(role: str, terms: Terms) -> str:
    """What a role on an evaluation is called in a regime's words (``rulebook.terms``)."""
    if role == Role.FIRST_EVALUATOR:
        return str(terms.first_evaluator)
    if role == Role.SECOND_EVALUATOR:
        return str(terms.second_evaluator)
    return str(Role(role).label) if role in Role.values else role


def action_label(action: "Action", terms: Terms) -> str:
    """What an action is called in a regime's words: signing names the signer's role."""
    if action == Action.SIGN_FIRST:
        return gettext("sign as %(role)s") % {"role": terms.first_evaluator}
    if action == Action.SIGN_SECOND:
        return gettext("sign as %(role)s") % {"role": terms.second_evaluator}
    return str(action.label)


def kind_label(kind: str, terms: Terms) -> str:
    """What an evaluation of ``kind`` is called in a regime's words: the annual one and
    the probation one (the federal stage's) are the regime's own (``rulebook.terms``),
    the others keep their names."""
    if kind == EvaluationKind.ANNUAL:
        return str(terms.annual_evaluation)
    if kind == EvaluationKind.PROBATION:
        return str(terms.probation_evaluation)
    return str(EvaluationKind(kind).label) if kind in EvaluationKind.values else kind


def state_label(state: str, terms: Terms) -> str:
    """What an evaluation's state is called in a regime's words: the 1st signature names
    the signer (``rulebook.terms``); the code stays the same in every regime."""
    if state == EvaluationState.FIRST_SIGNED:
        return str(terms.signed_by_first)
    return str(EvaluationState(state).label) if state in EvaluationState.values else state


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("in preparation")  # self-evaluation and report being written
    DRAFT_SENT = "draft_sent", _("draft sent for remarks")  # written procedure [f2]
    FIRST_SIGNED = "first_signed", _("signed by the 1st evaluator")
    DELIVERED = "delivered", _("delivered to the employee")
    COMPLETED = "completed", _("signed by the employee")
    CLOSED_UNSIGNED = "closed_unsigned", _("closed without the employee's signature")
    CANCELLED = "cancelled", _("cancelled")


class Role(models.TextChoices):
    """Who acts on an evaluation, relative to the evaluated person."""

    EMPLOYEE = "employee", _("employee")
    FIRST_EVALUATOR = "first_evaluator", _("1st evaluator")
    SECOND_EVALUATOR = "second_evaluator", _("2nd evaluator")
    HR = "hr", _("HR")


class Action(models.TextChoices):
    SEND_DRAFT = "send_draft", _("send the draft report")
    SIGN_FIRST = "sign_first", _("sign as 1st evaluator")
    SIGN_SECOND = "sign_second", _("sign as 2nd evaluator")
    CORRECT = "correct", _("correct the report")
    SIGN_EMPLOYEE = "sign_employee", _("sign for receipt")
    CLOSE_UNSIGNED = "close_unsigned", _("close without signature")
    CANCEL = "cancel", _("cancel the evaluation")
    # Edits: the state stays.
    SAVE_SELF_EVALUATION = "save_self_evaluation", _("write the self-evaluation")
    SUBMIT_SELF_EVALUATION = "submit_self_evaluation", _("submit the self-evaluation")
    SAVE_REPORT = "save_report", _("write the report")
    SET_WRITTEN_PROCEDURE = "set_written_procedure", _("choose the written procedure")
    ADD_DRAFT_REMARKS = "add_draft_remarks", _("send remarks on the draft")
    RECORD_OBJECTION = "record_objection", _("record an objection")


S = EvaluationState


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[EvaluationState]
    target: EvaluationState
    roles: frozenset[Role]
    # The policy conditions ``evaluations.rules`` checks before the move, in words.
    condition: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Action.SEND_DRAFT, frozenset({S.DRAFT}), S.DRAFT_SENT, frozenset({Role.FIRST_EVALUATOR}),
        "written procedure; the report is complete, an intended onvoldoende or "
        "loopbaanvertraging is already in it [f2]",
    ),
    Transition(
        Action.SIGN_FIRST, frozenset({S.DRAFT, S.DRAFT_SENT}), S.FIRST_SIGNED,
        frozenset({Role.FIRST_EVALUATOR}),
        "the evaluation window has opened; the report is complete with a verdict the "
        "policy allows for this person; in the written procedure the remarks are in or "
        "their term has passed. Without a 2nd signature in the policy: straight to DELIVERED",
    ),
    Transition(
        Action.SIGN_SECOND, frozenset({S.FIRST_SIGNED}), S.DELIVERED,
        frozenset({Role.SECOND_EVALUATOR}),
        "the 2nd evaluator's task has started (the policy's hand-over rule [f7]); "
        "signing delivers the report to the employee",
    ),
    Transition(
        Action.CORRECT, frozenset({S.FIRST_SIGNED, S.DELIVERED}), S.DRAFT,
        frozenset({Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR}),
        "a reason is given; the signed version stays as it is and a new version is "
        "opened that must be signed again",
    ),
    Transition(
        Action.SIGN_EMPLOYEE, frozenset({S.DELIVERED}), S.COMPLETED, frozenset({Role.EMPLOYEE}),
        "within the policy's term after receipt (15 calendar days in Flanders)",
    ),
    Transition(
        Action.CLOSE_UNSIGNED, frozenset({S.DELIVERED}), S.CLOSED_UNSIGNED,
        frozenset({Role.FIRST_EVALUATOR, Role.HR}),
        "the employee's term to sign has passed",
    ),
    Transition(
        Action.CANCEL, frozenset({S.DRAFT, S.DRAFT_SENT}), S.CANCELLED,
        frozenset({Role.HR}),
        "a reason is given (the person left, or the evaluation is not required)",
    ),
)
TRANSITION_OF = {transition.action: transition for transition in TRANSITIONS}


def moves() -> frozenset[tuple[EvaluationState, EvaluationState]]:
    """Every (from, to) change of state the machine allows, the 1st signature straight to
    DELIVERED (no 2nd signature in the policy) included. The database refuses any other
    change of the state column (migration 0005 holds a copy; a test keeps the two equal)."""
    pairs = {(source, transition.target)
             for transition in TRANSITIONS for source in transition.sources}
    pairs |= {(source, S.DELIVERED) for source in TRANSITION_OF[Action.SIGN_FIRST].sources}
    return frozenset(pairs)


@dataclass(frozen=True)
class Edit:
    action: Action
    states: frozenset[EvaluationState]
    roles: frozenset[Role]
    condition: str


EDITS: tuple[Edit, ...] = (
    Edit(
        Action.SAVE_SELF_EVALUATION, frozenset({S.DRAFT, S.DRAFT_SENT, S.FIRST_SIGNED}),
        frozenset({Role.EMPLOYEE}),
        "not yet submitted; the text saved names the revision it started from",
    ),
    Edit(
        Action.SUBMIT_SELF_EVALUATION, frozenset({S.DRAFT, S.DRAFT_SENT, S.FIRST_SIGNED}),
        frozenset({Role.EMPLOYEE}),
        "not yet submitted. Also after the 1st signature: the Flemish hand-over rule [f7] "
        "waits for it until 15 March",
    ),
    Edit(
        Action.SAVE_REPORT, frozenset({S.DRAFT, S.DRAFT_SENT}),
        frozenset({Role.FIRST_EVALUATOR, Role.EMPLOYEE}),
        "the policy's report author (the 1st evaluator; the employee in the Dutch preset; "
        "always the 1st evaluator for a formal assessment); a verdict the policy allows",
    ),
    Edit(
        Action.SET_WRITTEN_PROCEDURE, frozenset({S.DRAFT}), frozenset({Role.FIRST_EVALUATOR}),
        "before the draft is sent and before anything is signed",
    ),
    Edit(
        Action.ADD_DRAFT_REMARKS, frozenset({S.DRAFT_SENT}), frozenset({Role.EMPLOYEE}),
        "once, within the policy's term for remarks [f2]",
    ),
    Edit(
        Action.RECORD_OBJECTION,
        frozenset({S.DELIVERED, S.COMPLETED, S.CLOSED_UNSIGNED}),
        frozenset({Role.EMPLOYEE, Role.HR}),
        "a formal assessment (Heemstede), or a probation evaluation where the policy "
        "assesses probation before it ends (Heemstede)",
    ),
)
EDIT_OF = {edit.action: edit for edit in EDITS}


def states_of(action: Action) -> frozenset[EvaluationState]:
    """The states in which ``action`` may be taken (by someone)."""
    if action in TRANSITION_OF:
        return TRANSITION_OF[action].sources
    return EDIT_OF[action].states


def roles_for(action: Action) -> frozenset[Role]:
    if action in TRANSITION_OF:
        return TRANSITION_OF[action].roles
    return EDIT_OF[action].roles


def target_of(action: Action, state: str, *,
              second_signature_required: bool = True) -> EvaluationState:
    """The state after ``action``: a transition's target, or the same state for an edit.

    Where the policy has no 2nd signature, the 1st delivers the report at once.
    """
    if action == Action.SIGN_FIRST and not second_signature_required:
        return S.DELIVERED
    if action in TRANSITION_OF:
        return TRANSITION_OF[action].target
    return EvaluationState(state)


# Refusals. A wrong state and a wrong role are distinct errors, and neither is
# "not found": the caller may see the evaluation, it is just not theirs to do now.


class Refused(ValidationFailed):
    """The machine or a policy condition refuses the action; nothing was changed."""


class WrongState(Refused):
    pass


class WrongRole(Refused):
    pass


def check(state: str, action: Action, roles: Iterable[Role]) -> None:
    """Refuse ``action`` unless the table lists it for ``state`` and one of ``roles``."""
    current = EvaluationState(state)
    if current not in states_of(action):
        raise WrongState(
            gettext("This evaluation is %(state)s: “%(action)s” is not possible now.")
            % {"state": current.label, "action": action.label}
        )
    allowed = roles_for(action)
    if not allowed & set(roles):
        raise WrongRole(
            gettext("“%(action)s” is up to: %(roles)s.")
            % {"roles": ", ".join(str(Role(r).label) for r in sorted(allowed)),
               "action": action.label}
        )

# Named groups.
OPEN_GROUP = frozenset({S.DRAFT, S.DRAFT_SENT, S.FIRST_SIGNED, S.DELIVERED})
FINAL_GROUP = frozenset({S.COMPLETED, S.CLOSED_UNSIGNED, S.CANCELLED})
# The report text and verdict may be edited (in the current, unsigned version); in the
# written procedure also after the draft was sent, to take the remarks into account.
EDITABLE_GROUP = frozenset({S.DRAFT, S.DRAFT_SENT})
# The employee writes and submits the self-evaluation until the report is delivered:
# the Flemish hand-over rule [f7] waits for it after the 1st evaluator signed.
SELF_EVALUATION_GROUP = frozenset({S.DRAFT, S.DRAFT_SENT, S.FIRST_SIGNED})
# The employee sees the evaluators' report (the draft in the written procedure).
SHOWN_TO_EMPLOYEE_GROUP = frozenset({S.DRAFT_SENT, S.DELIVERED, S.COMPLETED, S.CLOSED_UNSIGNED})
# A delivered report: the PDF is final, appeals and objections may follow.
DELIVERED_GROUP = frozenset({S.DELIVERED, S.COMPLETED, S.CLOSED_UNSIGNED})


def allowed_actions(state: str) -> list[Action]:
    return [t.action for t in TRANSITIONS if EvaluationState(state) in t.sources]
