"""Writes to evaluations. The web pages and the API both call these.

Every service follows one checklist, in one transaction:

1. the actor may see the evaluation (else ``NotFoundOrForbidden``, as for a missing one);
2. lock the evaluation row (``select_for_update``): every write to an evaluation, its
   versions, items and signatures goes through this lock, so they happen one by one;
3. while it is a draft, store today's evaluators (``_refresh``);
4. the table: ``states.check`` refuses an action the state does not allow
   (``WrongState``) or the actor's roles do not (``WrongRole``);
5. the policy: ``rules.refusal`` (``Refused``, with the rule in words);
6. optimistic locking for edits: the save names the revision it started from, else
   ``EditConflict`` with what is saved now;
7. save with ``update_fields``, the participation's milestones in the same transaction,
   ``audit.record("evaluation.<action>")``, and the notification of whoever acts next
   (the notification table is the outbox: it is e-mailed after the commit).

A signed version is never changed: the table allows edits only in states whose current
version is unsigned, every edit checks it again, and the database refuses it too
(migration 0003). An edit refused by the state of a signed or closed evaluation, and a
refused signature, go to the security log (``access.security.records_refusal``).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from koers.access import security
from koers.access.models import RefusalKind
from koers.access.policy import Viewer, can_change_person, can_view_person
from koers.audit import services as audit
from koers.conversations.models import Conversation
from koers.core import clock, languages
from koers.core.clock import today_for
from koers.core.errors import EditConflict, NotFoundOrForbidden, RecordClosed, ValidationFailed
from koers.core.models import User
from koers.cycles.milestones import step_task, steps_done
from koers.cycles.models import CycleState, Participation
from koers.evaluations import notifications, permissions, rules, seals, selectors
from koers.evaluations.models import (
    Evaluation,
    EvaluationReport,
    FormalReason,
    Objection,
    Probation,
    ReportItem,
    SelfEvaluationItem,
    Signature,
)
from koers.evaluations.states import (
    OPEN_GROUP,
    Action,
    EvaluationKind,
    EvaluationState,
    ObjectionOutcome,
    Refused,
    Role,
    WrongRole,
    WrongState,
    check,
    states_of,
)
from koers.notify.services import notifications_resolve
from koers.organisation import evaluators, records
from koers.organisation.models import Person
from koers.rulebook import deadlines
from koers.rulebook.deadlines import Due
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.terms import terms_for

__all__ = [
    "EditConflict",
    "Refused",
    "WrongRole",
    "WrongState",
    "draft_remarks_add",
    "evaluation_cancel",
    "evaluation_close_unsigned",
    "evaluation_correct",
    "evaluation_for_participation",
    "evaluation_open",
    "evaluation_refusal_record",
    "evaluation_send_draft",
    "evaluation_set_written_procedure",
    "evaluation_sign",
    "objection_record",
    "report_save",
    "self_evaluation_save",
    "self_evaluation_submit",
]

S = EvaluationState
MAX_REASON = 5000

# Which signature an actor gives, by role.
SIGN_ACTION = {
    Role.FIRST_EVALUATOR: Action.SIGN_FIRST,
    Role.SECOND_EVALUATOR: Action.SIGN_SECOND,
    Role.EMPLOYEE: Action.SIGN_EMPLOYEE,
}
# Which signature the state awaits.
SIGN_IN_STATE = {
    S.DRAFT: Action.SIGN_FIRST,
    S.DRAFT_SENT: Action.SIGN_FIRST,
    S.FIRST_SIGNED: Action.SIGN_SECOND,
    S.DELIVERED: Action.SIGN_EMPLOYEE,
}
ROLE_OF_SIGN = {action: role for role, action in SIGN_ACTION.items()}


# The security log: the services record their own refusals (``records_refusal``); a face
# that refuses from the offers before calling them records through this one.
REFUSED_EDIT = {Action.SAVE_REPORT: "report_save",
                Action.SAVE_SELF_EVALUATION: "self_evaluation_save"}


def evaluation_refusal_record(*, actor: Viewer, evaluation: Evaluation, action: Action) -> None:
    """A posted ``action`` the face refused from the offers: a signature is a refused
    sign; an edit counts when the state refuses it (the record is signed or closed), not
    when the policy or a role does, as in the services."""
    if action in ROLE_OF_SIGN:
        security.refusal_record(viewer=actor, kind=RefusalKind.SIGN, target=evaluation,
                                action="sign")
    elif action in REFUSED_EDIT and evaluation.state not in states_of(action):
        security.refusal_record(viewer=actor, kind=RefusalKind.CLOSED_WRITE,
                                target=evaluation, action=REFUSED_EDIT[action])


# Loading, locking, facts --------------------------------------------------------------


def _visible(actor: Viewer, evaluation: Evaluation) -> None:
    if not permissions.can_view(actor, evaluation):
        raise NotFoundOrForbidden(_("This evaluation does not exist or is not yours to see."))


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("person__unit", "person__organisation", "person__user",
                        "first_evaluator__user", "second_evaluator__user")
        .get(pk=evaluation.pk)
    )


def current_report(evaluation: Evaluation) -> EvaluationReport:
    report = evaluation.reports.order_by("-number").first()
    assert report is not None, "an evaluation always has a version"
    report.evaluation = evaluation
    return report


def _facts(evaluation: Evaluation, report: EvaluationReport, policy: Policy) -> rules.Facts:
    first = (
        report.signatures.filter(role=Role.FIRST_EVALUATOR).values_list("signed_at", flat=True)
        .first()
    )
    time_zone = evaluation.person.organisation.time_zone
    return rules.Facts(
        evaluation=evaluation, report=report, policy=policy,
        today=today_for(evaluation.person.organisation),
        first_signed_on=rules.local_day(first, time_zone) if first else None,
        signed=Signature.objects.filter(report__evaluation=evaluation).exists(),
    )


def _take(actor: Viewer, evaluation: Evaluation, action: Action, facts: rules.Facts) -> set[Role]:
    """The table, then the policy; returns the actor's roles."""
    roles = permissions.roles_of(actor, evaluation)
    check(evaluation.state, action, roles)
    refused = rules.refusal(action, facts, roles=roles)
    if refused:
        raise Refused(refused)
    return roles


def _begin(actor: Viewer, evaluation: Evaluation, action: Action | None) -> rules.Facts:
    """Inside a service's transaction: the evaluation locked and brought up to date
    (``_refresh``), its current version, its policy, and ``action`` checked against the
    table and the policy (the caller checks it itself when ``None``). The facts carry
    the locked evaluation, the version and the policy."""
    evaluation = _locked(evaluation)
    _refresh(evaluation, actor=actor)
    report = current_report(evaluation)
    facts = _facts(evaluation, report, policy_for(evaluation.person.organisation))
    if action is not None:
        _take(actor, evaluation, action, facts)
    return facts


def _record(evaluation: Evaluation, *, actor: Viewer | None, action: str,
            changes: Mapping[str, Any] | None = None) -> None:
    audit.record(actor=actor.user if actor is not None else None,
                 action=f"evaluation.{action}", target=evaluation, changes=changes or {},
                 organisation_id=evaluation.person.organisation_id)


def _participation(evaluation: Evaluation) -> Participation | None:
    """The annual evaluation's participation, locked, for its milestones."""
    if evaluation.kind != EvaluationKind.ANNUAL or evaluation.participation_id is None:
        return None
    return Participation.objects.select_for_update().get(pk=evaluation.participation_id)


def _probation_assessed(evaluation: Evaluation, day: dt.date | None) -> None:
    """A probation evaluation delivered (``day``) or corrected (``None``) settles, or
    reopens, the probation assessment step of the person's open participations that
    carry one (Heemstede: "3 maanden voor het einde"; ``cycles.milestones``): the
    timeline, the reminders and the dashboard read it there."""
    if evaluation.kind != EvaluationKind.PROBATION:
        return
    open_ones = Participation.objects.filter(
        person_id=evaluation.person_id, closed_on__isnull=True,
        probation_assessment_due__isnull=False)
    if day is not None:
        settled = list(open_ones.filter(probation_assessed_on__isnull=True)
                       .values_list("pk", flat=True))
        Participation.objects.filter(pk__in=settled).update(probation_assessed_on=day)
        # Done: its reminders and escalations leave the new notifications with it.
        for participation_id in settled:
            notifications_resolve(task=step_task(participation_id, Due.PROBATION_ASSESSMENT))
    else:
        open_ones.update(probation_assessed_on=None)


def _milestones(evaluation: Evaluation, **values: dt.date | None) -> None:
    participation = _participation(evaluation)
    if participation is None:
        return
    fields = []
    for name, value in values.items():
        if getattr(participation, name) != value:
            setattr(participation, name, value)
            fields.append(name)
    if fields:
        participation.save(update_fields=fields)
        steps_done(participation, fields)


def _sync_items(evaluation: Evaluation, report: EvaluationReport) -> None:
    """Add an item for each agreed goal of the period not in the evaluation yet: to the
    unsigned current version, and to the self-evaluation until it is submitted."""
    cycle_id = evaluation.participation.cycle_id if evaluation.participation else None
    goals = selectors.period_goals(evaluation.person, start=evaluation.period_start,
                          end=evaluation.period_end, cycle_id=cycle_id)
    report_items = list(report.items.all())
    known = {item.goal_id for item in report_items}
    new = [goal for goal in goals if goal.pk not in known]
    if not new or report.signatures.exists():
        return
    position = max((item.position for item in report_items), default=0)
    self_positions = set(evaluation.self_items.values_list("position", flat=True))
    added_report, added_self = [], []
    for goal in new:
        position += 1
        added_report.append(ReportItem(report=report, position=position, goal=goal,
                                       goal_title=goal.title))
        if evaluation.self_evaluation_submitted_at is None and position not in self_positions:
            added_self.append(SelfEvaluationItem(evaluation=evaluation, position=position,
                                                 goal=goal, goal_title=goal.title))
    ReportItem.objects.bulk_create(added_report)
    SelfEvaluationItem.objects.bulk_create(added_self)


EVALUATOR_FIELDS = ("first_evaluator", "second_evaluator")


def _follow_line(evaluation: Evaluation, line: evaluators.EvaluatorLine) -> dict[str, list[Any]]:
    """Point the open ``evaluation``'s evaluators at ``line`` (in memory); the changes.

    The stored evaluators of an open evaluation are whoever holds the role today: the
    step of an evaluator who left the line passes to their successor (who signed stays
    on the signature). Once the evaluation is final they are the record and never move.
    """
    changes: dict[str, list[Any]] = {}
    if evaluation.state not in OPEN_GROUP:
        return changes
    for name, person in zip(EVALUATOR_FIELDS, (line.first, line.second), strict=True):
        stored, current = getattr(evaluation, f"{name}_id"), person.pk if person else None
        if stored != current:
            changes[name] = [stored, current]
            setattr(evaluation, name, person)
    return changes


def evaluators_follow_line(*, people: QuerySet[Person], actor: User | None,
                           batch: int = 500) -> int:
    """Re-point the open evaluations of ``people`` at their evaluator line of today; the
    number of evaluations changed.

    Called in the transaction of every change of a line (``organisation.changes
    .lines_changed``: a move, a new manager, an override started or ended) and daily
    for the overrides whose dates start or end a line on their own
    (``tasks.evaluators_follow_lines_task``). Per batch: the evaluations (locked), the
    lines (two queries), one bulk update and one audit event per evaluation changed.
    """
    open_ones = (Evaluation.objects.filter(person__in=people, state__in=sorted(OPEN_GROUP))
                 .order_by("pk"))
    changed, last = 0, 0
    while True:
        with transaction.atomic():
            moved = _follow_lines_batch(open_ones.filter(pk__gt=last), actor=actor,
                                        batch=batch)
        if moved is None:
            return changed
        last, count = moved
        changed += count


def _follow_lines_batch(evaluations: QuerySet[Evaluation], *, actor: User | None,
                        batch: int) -> tuple[int, int] | None:
    """One batch of ``evaluators_follow_line``: the last pk seen and the number changed."""
    chunk = list(evaluations.select_for_update(of=("self",))
                 .select_related("person__unit", "person__organisation")[:batch])
    if not chunk:
        return None
    by_day: dict[dt.date, list[Person]] = {}
    for evaluation in chunk:
        by_day.setdefault(today_for(evaluation.person.organisation), []).append(
            evaluation.person)
    lines: dict[int, evaluators.EvaluatorLine] = {}
    for day, persons in by_day.items():
        lines.update(evaluators.evaluator_lines(persons, on=day))
    moved = []
    for evaluation in chunk:
        changes = _follow_line(evaluation, lines[evaluation.person_id])
        if changes:
            evaluation.updated_at = clock.now()
            moved.append(evaluation)
            audit.record(actor=actor, action="evaluation.evaluators_changed",
                         target=evaluation, changes=changes,
                         organisation_id=evaluation.person.organisation_id)
    Evaluation.objects.bulk_update(moved, [*EVALUATOR_FIELDS, "updated_at"])
    return chunk[-1].pk, len(moved)


def _refresh(evaluation: Evaluation, *, actor: Viewer | None) -> None:
    """While open: today's evaluator line (``_follow_line``); until the first signature
    also the name and the participation's period (both may have changed since the
    opening)."""
    if evaluation.state not in OPEN_GROUP:
        return
    today = today_for(evaluation.person.organisation)
    changes = _follow_line(evaluation, evaluators.evaluator_line(evaluation.person, on=today))
    fields: list[str] = list(changes)
    if evaluation.state == S.DRAFT and not Signature.objects.filter(
            report__evaluation=evaluation).exists():
        values: dict[str, Any] = {"person_name": evaluation.person.full_name}
        if evaluation.participation_id is not None and evaluation.participation is not None:
            values["period_start"] = evaluation.participation.period_start
            values["period_end"] = evaluation.participation.period_end
        for name, value in values.items():
            if getattr(evaluation, name) != value:
                setattr(evaluation, name, value)
                fields.append(name)
    if fields:
        evaluation.save(update_fields=[*fields, "updated_at"])
    if changes:
        _record(evaluation, actor=actor, action="evaluators_changed", changes=changes)


def _relation(actor: Viewer, person: Person) -> set[Role]:
    """The actor's roles towards a person (before any evaluation exists)."""
    roles: set[Role] = set()
    me = actor.person
    if me is not None:
        if person.pk == me.pk:
            roles.add(Role.EMPLOYEE)
        if person.pk in actor.team_ids:
            roles.add(Role.FIRST_EVALUATOR)
        if person.pk in actor.second_line_ids:
            roles.add(Role.SECOND_EVALUATOR)
    if can_change_person(actor, person):
        roles.add(Role.HR)
    return roles


def running_participation(person: Person, *, on: dt.date) -> Participation | None:
    """The person's open participation in a running cycle whose period holds ``on``, else
    their latest open one in a running cycle."""
    running = Participation.objects.filter(
        person=person, closed_on__isnull=True,
        cycle__state__in=[CycleState.OPEN, CycleState.OPENING],
    ).select_related("cycle__organisation")
    return (
        running.filter(period_start__lte=on, period_end__gte=on).order_by("-period_start").first()
        or running.order_by("-period_start").first()
    )


# Opening --------------------------------------------------------------------------------


def report_language(person: Person) -> str:
    """The language a new version of ``person``'s evaluation report is written in: the
    employee's, as their record states it (``Person.language``, which HR keeps and
    imports), not their account's choice of interface.

    The laws on the use of languages in administrative matters (coordinated on 18 July
    1966) have a central service treat an affair concerning a staff member in the
    language of their admission exam, their language role (art. 39, par. 1, referring to
    art. 17, par. 1, B; the roles: art. 43), so the evaluation is drawn up in the
    employee's language. That language is a fact of the employment HR records;
    the interface language is a preference anyone changes with one click, and a report
    does not change language because its reader did. A correction keeps the language of
    the version it corrects.
    """
    return languages.supported(person.language).value



def _create(
    *,
    actor: Viewer | None,
    created_by: Any,
    person: Person,
    participation: Participation | None,
    kind: str,
    period: tuple[dt.date, dt.date],
    written_procedure: bool = False,
    formal_reason: str = "",
    improvement_conversation: Conversation | None = None,
    follows: Evaluation | None = None,
    due_on: dt.date | None = None,
    probation: Probation | None = None,
) -> Evaluation:
    policy = policy_for(person.organisation)
    today = today_for(person.organisation)
    line = evaluators.evaluator_line(person, on=today)
    evaluation = Evaluation.objects.create(
        person=person, person_name=person.full_name, participation=participation, kind=kind,
        first_evaluator=line.first, second_evaluator=line.second,
        policy_version=policy.version, period_start=period[0], period_end=period[1],
        written_procedure=written_procedure, formal_reason=formal_reason,
        improvement_conversation=improvement_conversation, follows=follows, due_on=due_on,
        probation=probation, created_by=created_by,
    )
    report = EvaluationReport.objects.create(evaluation=evaluation, number=1,
                                             language=report_language(person),
                                             created_by=created_by)
    report.evaluation = evaluation
    _sync_items(evaluation, report)
    _record(evaluation, actor=actor, action="opened", changes={
        "kind": [None, kind], "state": [None, S.DRAFT],
        "participation": [None, participation.pk if participation else None],
        "follows": [None, follows.pk if follows else None]})
    return evaluation


def evaluation_open(
    *,
    actor: Viewer,
    person: Person,
    participation: Participation | None = None,
    kind: str = EvaluationKind.ANNUAL,
    written_procedure: bool = False,
    formal_reason: str = "",
    improvement_conversation: Conversation | None = None,
    follows: Evaluation | None = None,
    due_on: dt.date | None = None,
    probation: Probation | None = None,
) -> Evaluation:
    """Open an evaluation of ``person``.

    - annual: by the person, their evaluators or their HR, for a participation of the
      person (default: the one running today); one per participation that is not
      cancelled (the database refuses a second);
    - formal assessment (Heemstede): where the policy has it, by the 1st evaluator or HR
      (the employee too, at their own request), with a reason and the progress
      conversation in which improvement points were raised (``rules``);
    - advanced: by the evaluators or HR, after ``follows``, planned for ``due_on``
      (normally opened by the system when the evaluation it follows ends);
    - probation: by the 1st evaluator or HR, for someone on probation
      (``rules.probation_open``): the Flemish one closes ``probation`` (default: the
      person's latest), the Dutch assessment the appointment's probation.
    """
    if not permissions.can_open_for(actor, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    roles = _relation(actor, person)
    today = today_for(person.organisation)
    if kind == EvaluationKind.ANNUAL:
        if not roles and not actor.is_superuser:
            raise WrongRole(_("Only the employee, their evaluators and HR open an evaluation."))
        participation = participation or running_participation(person, on=today)
        if participation is None or participation.person_id != person.pk:
            raise ValidationFailed(_("%(name)s takes part in no running cycle.")
                                   % {"name": person.full_name})
        if error := rules.lapse_error(participation):
            raise ValidationFailed(error)
        period = (participation.period_start, participation.period_end)
    elif kind == EvaluationKind.FORMAL_ASSESSMENT:
        if formal_reason not in FormalReason.values:
            message = _("Choose why the formal assessment is held.")
            raise ValidationFailed(message, {"formal_reason": [message]})
        may = {Role.FIRST_EVALUATOR, Role.HR}
        if formal_reason == FormalReason.EMPLOYEE_REQUEST:
            may.add(Role.EMPLOYEE)
        if not roles & may:
            raise WrongRole(_("Only the %(first)s or HR opens a formal assessment.") % {
                "first": terms_for(person.organisation.policy_preset).first_evaluator})
        errors = rules.formal_assessment_errors(
            person=person, improvement_conversation=improvement_conversation)
        if errors:
            raise ValidationFailed(errors[0], {"improvement_conversation": errors})
        participation = participation or running_participation(person, on=today)
        assert improvement_conversation is not None
        assert improvement_conversation.held_on is not None
        start = participation.period_start if participation else improvement_conversation.held_on
        period = (min(start, today), today)
        participation = None  # the participation's annual evaluation is another one
    elif kind == EvaluationKind.PROBATION:
        if not roles & {Role.FIRST_EVALUATOR, Role.HR}:
            raise WrongRole(_("Only the %(first)s or HR opens a probation evaluation.") % {
                "first": terms_for(person.organisation.policy_preset).first_evaluator})
        opening = rules.probation_open(person=person, probation=probation, today=today)
        if opening.error:
            raise ValidationFailed(opening.error)
        period, due_on, probation = opening.period, opening.due_on, opening.probation
        participation = None  # the participation's milestone is set on delivery
    elif kind == EvaluationKind.ADVANCED:
        if not roles & {Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR, Role.HR}:
            raise WrongRole(_("Only the evaluators or HR open an advanced evaluation."))
        if due_on is None:
            message = _("Give the day of the advanced evaluation.")
            raise ValidationFailed(message, {"due_on": [message]})
        period = (today, max(today, due_on))
        participation = None
    else:
        raise ValidationFailed(_("Unknown kind of evaluation."))
    try:
        with transaction.atomic():
            return _create(
                actor=actor, created_by=actor.user, person=person, participation=participation,
                kind=kind, period=period, written_procedure=written_procedure,
                formal_reason=formal_reason if kind == EvaluationKind.FORMAL_ASSESSMENT else "",
                improvement_conversation=improvement_conversation, follows=follows,
                due_on=due_on, probation=probation,
            )
    except IntegrityError:
        if kind == EvaluationKind.PROBATION:
            raise ValidationFailed(_("%(name)s already has a probation evaluation for this "
                                     "probation.") % {"name": person.full_name}) from None
        raise ValidationFailed(_("%(name)s already has an evaluation in this cycle.")
                               % {"name": person.full_name}) from None


def evaluation_for_participation(*, actor: Viewer, participation: Participation) -> Evaluation:
    """Open the participation's annual evaluation, or bring it up to date: a write, taken
    on a POST only (a page or an answer that merely shows it reads
    ``selectors.participation_evaluation``).

    The existing one is ``selectors.participation_evaluation`` (opening a new one after
    a cancellation is ``evaluation_open``'s). While it is a draft its evaluators, name,
    period and goals are brought up to date (``selectors.goals_to_add``).
    """
    person = participation.person
    if not can_view_person(actor, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    existing = selectors.participation_evaluation(participation)
    if existing is None:
        try:
            return evaluation_open(actor=actor, person=person, participation=participation)
        except ValidationFailed:
            # Opened by someone else at the same moment: theirs is the one.
            existing = selectors.participation_evaluation(participation)
            if existing is None or existing.state == S.CANCELLED:
                raise
    if existing.state == S.DRAFT:
        with transaction.atomic():
            existing = _locked(existing)
            _refresh(existing, actor=actor)
            _sync_items(existing, current_report(existing))
    return existing


# The self-evaluation --------------------------------------------------------------------


def _self_current(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "overall": evaluation.self_evaluation,
        "items": {item.position: item.text for item in evaluation.self_items.all()},
    }


def _write_items(model: type[ReportItem] | type[SelfEvaluationItem], rows: list[Any],
                 texts: Mapping[int, str]) -> None:
    by_position = {row.position: row for row in rows}
    unknown = sorted(set(texts) - set(by_position))
    if unknown:
        message = _("These items are not part of the evaluation: %(positions)s.") % {
            "positions": ", ".join(str(p) for p in unknown)}
        raise ValidationFailed(message, {"items": [message]})
    changed = []
    for position, text in texts.items():
        row = by_position[position]
        if row.text != text.strip():
            row.text = text.strip()
            changed.append(row)
    if changed:
        model.objects.bulk_update(changed, ["text"])


@security.records_refusal(RefusalKind.CLOSED_WRITE, REFUSED_EDIT[Action.SAVE_SELF_EVALUATION],
                          WrongState)
def self_evaluation_save(
    *,
    actor: Viewer,
    evaluation: Evaluation,
    overall: str,
    items: Mapping[int, str],
    expected_revision: int,
) -> Evaluation:
    """Save the employee's self-evaluation (private until submitted)."""
    _visible(actor, evaluation)
    with transaction.atomic():
        evaluation = _begin(actor, evaluation, Action.SAVE_SELF_EVALUATION).evaluation
        if evaluation.self_evaluation_revision != expected_revision:
            raise EditConflict(
                _("Your self-evaluation was saved elsewhere in the meantime: compare the "
                  "saved text with yours and save again."),
                current=_self_current(evaluation), revision=evaluation.self_evaluation_revision)
        _write_items(SelfEvaluationItem, list(evaluation.self_items.all()), items)
        before = evaluation.self_evaluation_revision
        evaluation.self_evaluation = overall.strip()
        evaluation.self_evaluation_revision = before + 1
        evaluation.save(update_fields=["self_evaluation", "self_evaluation_revision",
                                       "updated_at"])
        _record(evaluation, actor=actor, action="self_evaluation_saved",
                changes={"revision": [before, before + 1]})
    return evaluation


def self_evaluation_submit(*, actor: Viewer, evaluation: Evaluation) -> Evaluation:
    """Submit the self-evaluation: read-only from now on, and visible to the evaluators."""
    _visible(actor, evaluation)
    with transaction.atomic():
        facts = _begin(actor, evaluation, Action.SUBMIT_SELF_EVALUATION)
        evaluation, report, policy = facts.evaluation, facts.report, facts.policy
        texts = [evaluation.self_evaluation, *(i.text for i in evaluation.self_items.all())]
        if not any(text.strip() for text in texts):
            raise Refused(_("Write your self-evaluation before you submit it."))
        evaluation.self_evaluation_submitted_at = clock.now()
        evaluation.save(update_fields=["self_evaluation_submitted_at", "updated_at"])
        _milestones(evaluation, self_evaluation_submitted_on=facts.today)
        _record(evaluation, actor=actor, action="self_evaluation_submitted")
        notifications.tell(notifications.SELF_EVALUATION_SUBMITTED, evaluation=evaluation,
                           recipients=[evaluation.first_evaluator], version=report.number)
        if evaluation.state == S.FIRST_SIGNED:
            # The hand-over may have waited for it [f7].
            _tell_second_if_started(evaluation, report, policy, _facts(evaluation, report,
                                                                        policy))
    return evaluation


# The report -----------------------------------------------------------------------------


def _report_current(report: EvaluationReport) -> dict[str, Any]:
    return {
        "overall": report.overall,
        "verdict": report.verdict,
        "advanced_evaluation_on": report.advanced_evaluation_on,
        "items": {item.position: item.text for item in report.items.all()},
    }


@security.records_refusal(RefusalKind.CLOSED_WRITE, REFUSED_EDIT[Action.SAVE_REPORT], WrongState)
def report_save(
    *,
    actor: Viewer,
    evaluation: Evaluation,
    overall: str,
    items: Mapping[int, str],
    verdict: str,
    advanced_evaluation_on: dt.date | None,
    expected_revision: int,
) -> EvaluationReport:
    """Save the current (unsigned) version of the report: texts, verdict and the day of
    an advanced evaluation after onvoldoende."""
    _visible(actor, evaluation)
    verdict = (verdict or "").strip()
    with transaction.atomic():
        facts = _begin(actor, evaluation, Action.SAVE_REPORT)
        evaluation, report, policy = facts.evaluation, facts.report, facts.policy
        if report.signatures.exists():  # the table says it cannot be; the seal says why
            raise Refused(_("This version is signed: it can no longer change."))
        if report.revision != expected_revision:
            raise EditConflict(
                _("The report was saved by someone else in the meantime: compare the saved "
                  "text with yours and save again."),
                current=_report_current(report), revision=report.revision)
        errors: dict[str, list[str]] = {}
        refused = rules.verdict_error(policy, person=evaluation.person, verdict=verdict,
                                     kind=evaluation.kind) or (
            rules.draft_verdict_error(written_procedure=True,
                                      draft_verdict=evaluation.draft_verdict, verdict=verdict)
            if evaluation.state == S.DRAFT_SENT else None)
        if refused:
            errors["verdict"] = [refused]
        if refused := rules.probation_advanced_error(
                kind=evaluation.kind, chosen=advanced_evaluation_on) or \
                rules.advanced_date_error(policy, verdict=verdict,
                                          chosen=advanced_evaluation_on,
                                          saved=report.advanced_evaluation_on,
                                          today=facts.today):
            errors["advanced_evaluation_on"] = [refused]
        if errors:
            raise ValidationFailed(_("Please correct the errors below."), errors)
        _write_items(ReportItem, list(report.items.all()), items)
        before = report.revision
        report.overall = overall.strip()
        report.verdict = verdict
        report.advanced_evaluation_on = advanced_evaluation_on
        report.revision = before + 1
        report.save(update_fields=["overall", "verdict", "advanced_evaluation_on", "revision",
                                   "updated_at"])
        _record(evaluation, actor=actor, action="report_saved",
                changes={"version": report.number, "revision": [before, before + 1]})
    return report


def evaluation_set_written_procedure(*, actor: Viewer, evaluation: Evaluation,
                                     written: bool) -> Evaluation:
    """Hold the evaluation in writing when an oral conversation is impossible [f2]."""
    _visible(actor, evaluation)
    with transaction.atomic():
        evaluation = _begin(actor, evaluation, Action.SET_WRITTEN_PROCEDURE).evaluation
        if evaluation.written_procedure != written:
            evaluation.written_procedure = written
            evaluation.save(update_fields=["written_procedure", "updated_at"])
            _record(evaluation, actor=actor, action="written_procedure_set",
                    changes={"written_procedure": [not written, written]})
    return evaluation


def evaluation_send_draft(*, actor: Viewer, evaluation: Evaluation) -> Evaluation:
    """Written procedure: send the draft report to the employee for remarks [f2]."""
    _visible(actor, evaluation)
    with transaction.atomic():
        facts = _begin(actor, evaluation, Action.SEND_DRAFT)
        evaluation, report, policy = facts.evaluation, facts.report, facts.policy
        evaluation.draft_sent_on = facts.today
        evaluation.draft_verdict = report.verdict
        evaluation.state = S.DRAFT_SENT
        evaluation.save(update_fields=["draft_sent_on", "draft_verdict", "state", "updated_at"])
        _record(evaluation, actor=actor, action="draft_sent",
                changes={"state": [S.DRAFT, S.DRAFT_SENT], "version": report.number})
        notifications.tell(
            notifications.DRAFT_SENT, evaluation=evaluation, recipients=[evaluation.person],
            version=report.number, task=Action.ADD_DRAFT_REMARKS,
            due=deadlines.written_remarks_due(policy, draft_sent_on=facts.today))
    return evaluation


def draft_remarks_add(*, actor: Viewer, evaluation: Evaluation, remarks: str) -> Evaluation:
    """The employee's remarks on the draft report, once, within the term [f2]."""
    _visible(actor, evaluation)
    remarks = remarks.strip()
    if not remarks:
        message = _("Write your remarks.")
        raise ValidationFailed(message, {"remarks": [message]})
    with transaction.atomic():
        facts = _begin(actor, evaluation, Action.ADD_DRAFT_REMARKS)
        evaluation, report = facts.evaluation, facts.report
        evaluation.draft_remarks = remarks
        evaluation.draft_remarks_on = facts.today
        evaluation.save(update_fields=["draft_remarks", "draft_remarks_on", "updated_at"])
        _record(evaluation, actor=actor, action="draft_remarks_added")
        notifications.resolve(evaluation, Action.ADD_DRAFT_REMARKS)
        notifications.tell(notifications.DRAFT_REMARKS, evaluation=evaluation,
                           recipients=[evaluation.first_evaluator], version=report.number,
                           task=Action.SIGN_FIRST)
    return evaluation


# Signing --------------------------------------------------------------------------------


def _tell_second_if_started(evaluation: Evaluation, report: EvaluationReport, policy: Policy,
                            facts: rules.Facts) -> None:
    # The same rule as the signature and the task list: told once they may act.
    if rules.timing_error(Action.SIGN_SECOND, evaluation=evaluation, policy=policy,
                          today=facts.today, first_signed_on=facts.first_signed_on) is None:
        notifications.tell(notifications.READY_FOR_SECOND, evaluation=evaluation,
                           recipients=[evaluation.second_evaluator], version=report.number,
                           task=Action.SIGN_SECOND)


def _deliver(actor: Viewer, evaluation: Evaluation, report: EvaluationReport, policy: Policy,
             *, now: dt.datetime, today: dt.date) -> None:
    """The version reaches the employee: the term to sign starts, the advanced evaluation's
    earliest day is fixed (a chosen day before it moves to it)."""
    report.delivered_at = now
    report.advanced_evaluation_earliest = rules.advanced_on_delivery(
        policy, chosen=report.advanced_evaluation_on, delivered_on=today)
    report.save(update_fields=["delivered_at", "advanced_evaluation_earliest", "updated_at"])
    evaluation.delivered_at = now
    evaluation.employee_signature_due = deadlines.employee_signature_due(policy, received_on=today)
    evaluation.advanced_evaluation_earliest = report.advanced_evaluation_earliest
    if report.advanced_evaluation_day != report.advanced_evaluation_on:
        _record(evaluation, actor=actor, action="advanced_evaluation_moved", changes={
            "advanced_evaluation_on": [report.advanced_evaluation_on,
                                       report.advanced_evaluation_day]})
    _milestones(evaluation, delivered_on=today)
    _probation_assessed(evaluation, today)
    notifications.tell(notifications.DELIVERED, evaluation=evaluation,
                       recipients=[evaluation.person], version=report.number,
                       due=evaluation.employee_signature_due, task=Action.SIGN_EMPLOYEE)


@security.records_refusal(RefusalKind.SIGN, "sign", WrongState, WrongRole)
def evaluation_sign(
    *, actor: Viewer, evaluation: Evaluation, remarks: str = "", role: Role | str | None = None,
    expected_version: int | None = None, expected_revision: int | None = None,
) -> Signature:
    """Sign the current version; the seal stores exactly what was signed.

    ``expected_version`` and ``expected_revision`` name the text the signer read: if the
    report was corrected or saved since, nothing is signed (``EditConflict``).

    The signature follows from the state (and ``role``, when the actor holds several):
    the 1st evaluator's in a draft, the 2nd evaluator's once the 1st signed, the
    employee's once delivered. The 1st signature hands over to the 2nd evaluator, or
    delivers the report where the policy has no 2nd signature; the 2nd delivers it; the
    employee's completes the evaluation. Only the employee adds remarks. A ``role`` that
    is not one of the three signers' is refused in the record's regime words.
    """
    _visible(actor, evaluation)
    if role is not None and role not in SIGN_ACTION:
        terms = terms_for(evaluation.person.organisation.policy_preset)
        message = _("Sign as the %(first)s, the %(second)s or the employee.") % {
            "first": terms.first_evaluator, "second": terms.second_evaluator}
        raise ValidationFailed(message, {"role": [message]})
    remarks = remarks.strip()
    with transaction.atomic():
        facts = _begin(actor, evaluation, None)
        evaluation, report, policy = facts.evaluation, facts.report, facts.policy
        if role is not None:
            action = SIGN_ACTION[Role(role)]
        else:
            awaited = SIGN_IN_STATE.get(EvaluationState(evaluation.state))
            if awaited is None:
                raise WrongState(_("This evaluation is %(state)s: nothing is left to sign.")
                                 % {"state": evaluation.get_state_display()})
            action = awaited
        if (expected_version is not None and expected_version != report.number) or \
                (expected_revision is not None and expected_revision != report.revision):
            raise EditConflict(
                _("The report changed since you opened it: read this version before you "
                  "sign."), current=_report_current(report), revision=report.revision)
        _take(actor, evaluation, action, facts)
        if remarks and action != Action.SIGN_EMPLOYEE:
            message = _("Only the employee adds remarks when signing.")
            raise ValidationFailed(message, {"remarks": [message]})
        assert actor.person is not None  # holds a role
        now, today, before = clock.now(), facts.today, evaluation.state
        if action == Action.SIGN_FIRST:
            milestones: dict[str, dt.date | None] = {"first_signed_on": today}
            if evaluation.written_procedure:
                # No conversation is held in the written procedure: signing closes it.
                participation = _participation(evaluation)
                if participation is not None and participation.evaluation_held_on is None:
                    milestones["evaluation_held_on"] = today
            _milestones(evaluation, **milestones)
            if policy.second_signature_required:
                evaluation.state = S.FIRST_SIGNED
            else:
                evaluation.state = S.DELIVERED
                _deliver(actor, evaluation, report, policy, now=now, today=today)
        elif action == Action.SIGN_SECOND:
            _milestones(evaluation, second_signed_on=today)
            evaluation.state = S.DELIVERED
            _deliver(actor, evaluation, report, policy, now=now, today=today)
        else:
            _milestones(evaluation, employee_signed_on=today)
            evaluation.state = S.COMPLETED
        with_self = evaluation.self_evaluation_submitted_at is not None
        signature = Signature.objects.create(
            report=report, role=ROLE_OF_SIGN[action], signer=actor.person,
            signer_name=actor.person.full_name, user=actor.user, signed_at=now, remarks=remarks,
            with_self_evaluation=with_self,
            seal=seals.seal(report, role=ROLE_OF_SIGN[action], signer=actor.person,
                            signed_at=now, remarks=remarks, with_self_evaluation=with_self,
                            delivered=report.delivered_at is not None),
        )
        evaluation.save(update_fields=["state", "delivered_at", "employee_signature_due",
                                       "advanced_evaluation_earliest", "updated_at"])
        if action == Action.SIGN_FIRST:
            # The signed report's reference number, given once: a corrected version
            # keeps it (records.reference_allocate).
            records.reference_allocate(organisation=evaluation.person.organisation,
                                       record=evaluation, on=today)
        _record(evaluation, actor=actor, action=action.value, changes={
            "state": [before, evaluation.state], "version": report.number,
            "seal": signature.seal})
        # The signature is the step the notification asked for; the 1st signature also
        # ends the employee's term for remarks on the draft.
        notifications.resolve(evaluation, action, *(
            [Action.ADD_DRAFT_REMARKS] if action == Action.SIGN_FIRST else []))
        if action == Action.SIGN_FIRST and evaluation.state == S.FIRST_SIGNED:
            _tell_second_if_started(evaluation, report, policy,
                                    _facts(evaluation, report, policy))
        elif action == Action.SIGN_EMPLOYEE:
            notifications.tell(notifications.EMPLOYEE_SIGNED, evaluation=evaluation,
                               recipients=[evaluation.first_evaluator,
                                           evaluation.second_evaluator],
                               version=report.number)
            _open_advanced(evaluation, report)
    return signature


def _open_advanced(evaluation: Evaluation, report: EvaluationReport) -> None:
    """The evaluation ended with an advanced evaluation chosen: open it, once."""
    day = report.advanced_evaluation_day
    if day is None or report.verdict != rules.ADVANCING_VERDICT:
        return
    if Evaluation.objects.filter(follows=evaluation, kind=EvaluationKind.ADVANCED).exists():
        return
    delivered = report.delivered_at
    assert delivered is not None
    start = rules.local_day(delivered, evaluation.person.organisation.time_zone)
    _create(actor=None, created_by=evaluation.created_by, person=evaluation.person,
            participation=None, kind=EvaluationKind.ADVANCED, period=(start, max(start, day)),
            follows=evaluation, due_on=day)


# Corrections and endings -----------------------------------------------------------------


def evaluation_correct(*, actor: Viewer, evaluation: Evaluation, reason: str) -> EvaluationReport:
    """Correct a signed report: the signed version stays as it is, a new version (a copy)
    opens as a draft and is signed again; the earlier signers are told."""
    _visible(actor, evaluation)
    reason = reason.strip()[:MAX_REASON]
    if not reason:
        message = _("Give the reason for the correction.")
        raise ValidationFailed(message, {"reason": [message]})
    with transaction.atomic():
        facts = _begin(actor, evaluation, Action.CORRECT)
        evaluation, report = facts.evaluation, facts.report
        signers = [s.signer for s in report.signatures.select_related("signer__user")]
        new = EvaluationReport.objects.create(
            evaluation=evaluation, number=report.number + 1, overall=report.overall,
            verdict=report.verdict, advanced_evaluation_on=report.advanced_evaluation_on,
            correction_reason=reason, created_by=actor.user,
            language=report.language or report_language(evaluation.person),
        )
        ReportItem.objects.bulk_create([
            ReportItem(report=new, position=item.position, goal_id=item.goal_id,
                       goal_title=item.goal_title, text=item.text)
            for item in report.items.all()
        ])
        before = evaluation.state
        evaluation.state = S.DRAFT
        evaluation.delivered_at = None
        evaluation.employee_signature_due = None
        evaluation.advanced_evaluation_earliest = None
        evaluation.save(update_fields=["state", "delivered_at", "employee_signature_due",
                                       "advanced_evaluation_earliest", "updated_at"])
        _milestones(evaluation, first_signed_on=None, second_signed_on=None, delivered_on=None)
        _probation_assessed(evaluation, None)
        _record(evaluation, actor=actor, action="corrected", changes={
            "state": [before, S.DRAFT], "version": [report.number, new.number]})
        me = actor.person.pk if actor.person else None
        notifications.tell(notifications.CORRECTED, evaluation=evaluation,
                           recipients=[s for s in signers if s.pk != me], version=new.number)
        new.evaluation = evaluation
    return new


def evaluation_close_unsigned(*, actor: Viewer, evaluation: Evaluation) -> Evaluation:
    """Close a delivered evaluation the employee did not sign within the term."""
    _visible(actor, evaluation)
    with transaction.atomic():
        facts = _begin(actor, evaluation, Action.CLOSE_UNSIGNED)
        evaluation, report = facts.evaluation, facts.report
        evaluation.state = S.CLOSED_UNSIGNED
        evaluation.save(update_fields=["state", "updated_at"])
        _record(evaluation, actor=actor, action="closed_unsigned",
                changes={"state": [S.DELIVERED, S.CLOSED_UNSIGNED]})
        notifications.resolve(evaluation, Action.SIGN_EMPLOYEE)
        notifications.tell(notifications.CLOSED_UNSIGNED, evaluation=evaluation,
                           recipients=[evaluation.first_evaluator, evaluation.second_evaluator],
                           version=report.number)
        _open_advanced(evaluation, report)
    return evaluation


def evaluation_cancel(*, actor: Viewer, evaluation: Evaluation, reason: str) -> Evaluation:
    """HR cancels an evaluation that is not signed yet (the person left, or it is not
    required); the reason is kept."""
    _visible(actor, evaluation)
    reason = reason.strip()[:MAX_REASON]
    if not reason:
        message = _("Give the reason for cancelling.")
        raise ValidationFailed(message, {"reason": [message]})
    with transaction.atomic():
        evaluation = _begin(actor, evaluation, Action.CANCEL).evaluation
        before = evaluation.state
        evaluation.state = S.CANCELLED
        evaluation.closed_reason = reason
        evaluation.save(update_fields=["state", "closed_reason", "updated_at"])
        _record(evaluation, actor=actor, action="cancelled",
                changes={"state": [before, S.CANCELLED]})
        notifications.resolve(evaluation)
    return evaluation


def objection_record(*, actor: Viewer, evaluation: Evaluation, filed_on: dt.date,
                     text: str) -> Objection:
    """Record the employee's objection to a delivered formal assessment (Heemstede); the
    objection procedure itself belongs to appeals."""
    _visible(actor, evaluation)
    text = text.strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Write the objection.")]
    with transaction.atomic():
        facts = _begin(actor, evaluation, Action.RECORD_OBJECTION)
        evaluation, report = facts.evaluation, facts.report
        delivered = report.delivered_at
        first_day = (rules.local_day(delivered, evaluation.person.organisation.time_zone)
                     if delivered else facts.today)
        if not first_day <= filed_on <= facts.today:
            errors["filed_on"] = [_("The objection is filed between the delivery (%(day)s) "
                                    "and today.") % {"day": rules.day(first_day)}]
        if errors:
            raise ValidationFailed(_("Please correct the errors below."), errors)
        objection = Objection.objects.create(evaluation=evaluation, filed_on=filed_on,
                                             text=text, recorded_by=actor.user)
        _record(evaluation, actor=actor, action="objection_recorded",
                changes={"filed_on": filed_on})
    return objection


@security.records_closed_writes
def objection_decide(*, actor: Viewer, objection: Objection, outcome: str, decided_on: dt.date,
                     body: str, motivation: str) -> Objection:
    """Record the decision on an objection (beslissing op bezwaar), as HR of the person's
    unit does for the body that decides: upheld, partly upheld, rejected or inadmissible
    (Algemene wet bestuursrecht, art. 6:6 and 7:11), with its day and its motivation.
    The assessment stays as it was signed; a decision, once recorded, stays.

    Checklist: the actor sees the evaluation and is its HR; lock the evaluation and the
    objection; not decided yet; an outcome, the body and a motivation; decided between the
    filing and today; save; audit on the evaluation's chain; the employee is told.
    """
    evaluation = objection.evaluation
    _visible(actor, evaluation)
    if not permissions.decides_objections(actor, evaluation):
        raise WrongRole(_("Only HR records the decision on an objection."))
    errors: dict[str, list[str]] = {}
    if outcome not in ObjectionOutcome.values:
        errors["outcome"] = [_("Choose the decision on the objection.")]
    body, motivation = body.strip(), motivation.strip()
    if not body:
        errors["body"] = [_("Say which body decided.")]
    if not motivation:
        errors["motivation"] = [_("Write the motivation of the decision.")]
    with transaction.atomic():
        evaluation = _locked(evaluation)
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.decided:
            raise RecordClosed(_("The decision on this objection is recorded: it no longer "
                                 "changes."), record=objection)
        today = today_for(evaluation.person.organisation)
        if not objection.filed_on <= decided_on <= today:
            errors["decided_on"] = [_("The decision falls between the filing (%(day)s) and "
                                      "today.") % {"day": rules.day(objection.filed_on)}]
        if errors:
            raise ValidationFailed(_("Please correct the errors below."), errors)
        objection.outcome, objection.decided_on = outcome, decided_on
        objection.decided_by_body, objection.motivation = body, motivation
        objection.decision_recorded_by = actor.user
        objection.save(update_fields=["outcome", "decided_on", "decided_by_body",
                                      "motivation", "decision_recorded_by"])
        _record(evaluation, actor=actor, action="objection_decided", changes={
            "objection": objection.pk, "outcome": [None, outcome],
            "decided_on": decided_on})
        notifications.tell(notifications.OBJECTION_DECIDED, evaluation=evaluation,
                           recipients=[evaluation.person, evaluation.first_evaluator],
                           version=current_report(evaluation).number,
                           step=f":{objection.pk}")
    return objection
