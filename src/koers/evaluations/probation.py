"""The probation record, Flemish (proeftijd) or federal (stage): HR records it, its end
is computed, and the person's ``probation_end_date`` follows (so the running cycles know
they are on probation). Its evaluation is an ``Evaluation`` of kind probation
(``services.evaluation_open``); the Flemish outcome and what follows a negative one are
the consequences room's (``consequences.probation``). The federal stage's conversations
are computed steps, done by the held conversations and the agreed development
objectives; HR records how it ends (extension, appointment or dismissal).

The rules are ``rulebook.probation`` ([f18]–[f21]) and ``rulebook.stage``
([b12]–[b14]); this module only writes and reads.
"""

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.access.policy import (
    Viewer,
    can_change_person,
    can_view_person,
    hr_scope,
    is_hr_for,
    people_visible_to,
)
from koers.audit import services as audit
from koers.conversations.milestones import stage_step_task
from koers.conversations.models import Conversation
from koers.conversations.states import ConversationKind, ConversationStatus
from koers.core.clock import today_for
from koers.core.errors import NotFoundOrForbidden, ValidationFailed
from koers.evaluations.models import Evaluation, Probation
from koers.evaluations.states import EvaluationKind, EvaluationState
from koers.goals.models import Goal, GoalKind
from koers.goals.states import AGREED_GROUP
from koers.notify.services import notifications_resolve
from koers.organisation.models import Person
from koers.organisation.rules import public_holidays
from koers.organisation.services import person_save
from koers.rulebook import probation as rules
from koers.rulebook import stage
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy
from koers.rulebook.terms import terms_for

MAX_ABSENCES = 400


def days_off(person: Person, absences: Collection[dt.date], starts_on: dt.date,
             ) -> frozenset[dt.date]:
    """The public holidays of the person's region and their recorded absences."""
    preset = person.organisation.policy_preset
    return rules.days_off_between(starts_on, absences=absences,
                                  public_holidays=lambda year: public_holidays(preset, year))


def computed_end(person: Person, *, starts_on: dt.date, months: int,
                 absences: Collection[dt.date], extension_months: int | None = None,
                 ) -> dt.date:
    """The Flemish probation's end ([f18]), or the federal stage's ([b12]: a year and
    the absence beyond 30 working days, then the commission's extension)."""
    policy = policy_for(person.organisation)
    if stage.stage_applies(policy):
        end = stage.stage_end(policy, starts_on=starts_on, months=months, absences=absences,
                              public_holidays=days_off(person, (), starts_on))
        return (stage.extended_end(ends_on=end, extension_months=extension_months)
                if extension_months else end)
    return rules.probation_end(policy, starts_on=starts_on, months=months,
                               days_off=days_off(person, absences, starts_on))


def probation_record(*, actor: Viewer, person: Person, reason: str, starts_on: dt.date,
                     months: int, mentor: Person | None,
                     absences: Collection[dt.date] = ()) -> Probation:
    """HR records a probation of ``person`` ([f21]): why, from when, how many months, the
    mentor; the end is computed ([f18]) and becomes the person's end of probation."""
    if not can_change_person(actor, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    policy = policy_for(person.organisation)
    terms = terms_for(policy.preset)  # the refusals name the regime's probation or stage
    errors: dict[str, list[str]] = {}
    if not stage.probation_recorded(policy):
        raise ValidationFailed(_("This policy has no probation evaluation."))
    if reason not in rules.ProbationReason.values:
        errors["reason"] = [str(terms.probation_reason_missing)]
    if message := (stage.stage_months_error(policy, months) if stage.stage_applies(policy)
                   else rules.months_error(months)):
        errors["months"] = [message]
    if mentor is not None and terms.mentor is None:
        # The federal stage's sources ([b12]-[b14]) and the Dutch regulation name no mentor.
        errors["mentor"] = [str(terms.probation_no_mentor)]
    elif mentor is not None and (mentor.pk == person.pk
                                 or mentor.organisation_id != person.organisation_id):
        errors["mentor"] = [_("Choose a colleague of the same organisation as mentor.")]
    if starts_on < person.start_date:
        errors["starts_on"] = [str(terms.probation_starts_too_early)]
    if len(absences) > MAX_ABSENCES:
        errors["absences"] = [_("At most %(count)d days not worked.") % {"count": MAX_ABSENCES}]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    ends_on = computed_end(person, starts_on=starts_on, months=months, absences=absences)
    with transaction.atomic():
        if Probation.objects.filter(person=person, starts_on=starts_on).exists():
            message = str(terms.probation_recorded_already)
            raise ValidationFailed(message, {"starts_on": [message]})
        probation = Probation.objects.create(
            person=person, reason=reason, starts_on=starts_on, months=months, mentor=mentor,
            absences=sorted({day.isoformat() for day in absences}), ends_on=ends_on,
            created_by=actor.user)
        audit.record(actor=actor.user, action="probation.recorded", target=probation,
                     changes={"reason": [None, reason], "starts_on": [None, starts_on],
                              "months": [None, months], "ends_on": [None, ends_on],
                              "mentor": [None, mentor.pk if mentor else None]},
                     organisation_id=person.organisation_id)
        person_save(organisation=person.organisation, person=person, actor=actor.user,
                    probation_end_date=ends_on)
    return probation


def probation_absences_set(*, actor: Viewer, probation: Probation,
                           absences: Collection[dt.date]) -> Probation:
    """HR records the days not worked; the end moves with them ([f18])."""
    person = probation.person
    if not can_change_person(actor, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    if any(day < probation.starts_on for day in absences):
        # In the words of the person's regime: within the probation, or the stage.
        message = str(terms_for(person.organisation.policy_preset).probation_absence_before)
        raise ValidationFailed(message, {"absences": [message]})
    if len(absences) > MAX_ABSENCES:
        message = _("At most %(count)d days not worked.") % {"count": MAX_ABSENCES}
        raise ValidationFailed(message, {"absences": [message]})
    with transaction.atomic():
        probation = Probation.objects.select_for_update().select_related(
            "person__organisation").get(pk=probation.pk)
        before = probation.ends_on
        probation.absences = sorted({day.isoformat() for day in absences})
        probation.ends_on = computed_end(person, starts_on=probation.starts_on,
                                         months=probation.months, absences=absences,
                                         extension_months=probation.extension_months)
        probation.save(update_fields=["absences", "ends_on"])
        audit.record(actor=actor.user, action="probation.absences_set", target=probation,
                     changes={"ends_on": [before, probation.ends_on],
                              "absences": len(probation.absences)},
                     organisation_id=person.organisation_id)
        if before != probation.ends_on:
            person_save(organisation=person.organisation, person=person, actor=actor.user,
                        probation_end_date=probation.ends_on)
    return probation


def stage_outcome_record(*, actor: Viewer, probation: Probation, outcome: str,
                         extension_months: int | None = None,
                         serious_fault: bool = False) -> Probation:
    """HR records how a federal stage goes on or ends ([b12][b13]), on today's date:

    - an extension by at most ``stage_extension_max_months``, once, from the stage's end:
      the end moves on by those months;
    - an appointment, from the stage's (or the extension's) end;
    - a dismissal at any time (an ``onvoldoende`` during the stage may lead to one), with
      the policy's months of notice, none for a serious fault.

    Recorded once: an appointment or a dismissal closes the stage."""
    person = probation.person
    if not can_change_person(actor, person):
        raise NotFoundOrForbidden(_("This person does not exist or is not yours to see."))
    policy = policy_for(person.organisation)
    if not stage.stage_applies(policy):
        raise ValidationFailed(_("This policy has no federal stage."))
    today = today_for(person.organisation)
    with transaction.atomic():
        probation = Probation.objects.select_for_update().select_related(
            "person__organisation").get(pk=probation.pk)
        if probation.outcome:
            raise ValidationFailed(_("How the stage ended is recorded already."))
        extended = probation.extension_months is not None
        errors = stage.outcome_error(policy, outcome=outcome, extended=extended,
                                     extension_months=extension_months)
        if errors:
            raise ValidationFailed(_("Please correct the errors below."), errors)
        if outcome != stage.StageOutcome.DISMISS and today < probation.ends_on:
            message = _("The stage runs until %(day)s: only a dismissal is recorded before "
                        "its end.") % {"day": probation.ends_on.strftime("%d-%m-%Y")}
            raise ValidationFailed(message, {"outcome": [message]})
        before = probation.ends_on
        if outcome == stage.StageOutcome.EXTEND:
            assert extension_months is not None  # outcome_error checked it
            probation.extension_months = extension_months
            probation.extended_on = today
            probation.ends_on = stage.extended_end(ends_on=probation.ends_on,
                                                   extension_months=extension_months)
            probation.save(update_fields=["extension_months", "extended_on", "ends_on"])
            audit.record(actor=actor.user, action="stage.extended", target=probation,
                         changes={"extension_months": [None, extension_months],
                                  "ends_on": [before, probation.ends_on]},
                         organisation_id=person.organisation_id)
            person_save(organisation=person.organisation, person=person, actor=actor.user,
                        probation_end_date=probation.ends_on)
            # Recorded for now: the extension's end asks for the decision again.
            notifications_resolve(task=stage_outcome_task(probation.pk))
            return probation
        probation.outcome = outcome
        probation.decided_on = today
        probation.serious_fault = outcome == stage.StageOutcome.DISMISS and serious_fault
        probation.save(update_fields=["outcome", "decided_on", "serious_fault"])
        audit.record(actor=actor.user, action="stage.ended", target=probation,
                     changes={"outcome": [None, outcome], "decided_on": [None, today],
                              "serious_fault": [None, probation.serious_fault]},
                     organisation_id=person.organisation_id)
        # The stage ended: nothing of it is asked any more, of HR or of the evaluator.
        notifications_resolve(task=stage_outcome_task(probation.pk))
        notifications_resolve(task=stage_step_task(person.pk, ""))
    return probation


def stage_outcome_task(probation_id: int) -> str:
    """The task HR's reminders of a stage's outcome name (``evaluations.reminders``):
    resolved when HR records how the stage goes on."""
    return f"probation:{probation_id}:outcome"


# Reads ---------------------------------------------------------------------------------


def probations_visible_to(viewer: Viewer) -> QuerySet[Probation]:
    """The probations of the people the viewer may see (the person, their evaluators,
    their HR): the list half of ``can_view_probation``."""
    return Probation.objects.filter(person__in=people_visible_to(viewer))


def can_view_probation(viewer: Viewer, probation: Probation) -> bool:
    return can_view_person(viewer, probation.person)


def probation_for(viewer: Viewer, pk: int) -> Probation | None:
    """A probation the viewer may see, else ``None`` (missing and forbidden alike)."""
    probation = (Probation.objects.select_related("person__organisation", "person__unit",
                                                  "mentor").filter(pk=pk).first())
    if probation is None or not can_view_probation(viewer, probation):
        return None
    return probation


def probation_evaluation(probation: Probation) -> Evaluation | None:
    """The probation's evaluation that is not cancelled, if opened."""
    return (probation.evaluations.exclude(state="cancelled")
            .select_related("person", "first_evaluator", "second_evaluator")
            .order_by("-pk").first())


@dataclass(frozen=True)
class StageStepDone:
    """One conversation of the stage, when it is due and when it was held ([b14])."""

    step: stage.StageStep
    held_on: dt.date | None  # the conversation that counts for it
    today: dt.date

    @property
    def done(self) -> bool:
        return self.held_on is not None

    @property
    def overdue(self) -> bool:
        return self.held_on is None and self.today > self.step.due


@dataclass(frozen=True)
class StageProgress:
    """A federal stage on ``today``: its steps, its development objectives and how it
    ends ([b12]–[b14])."""

    steps: list[StageStepDone]
    objectives: int  # agreed development (learning) goals since the start
    objectives_needed: int  # [b14]: at least 2
    outcomes: tuple[str, ...]  # what HR may record today; empty once it ended
    notice_ends: dt.date | None  # a dismissal's last day of notice ([b13])
    today: dt.date

    @property
    def next_step(self) -> StageStepDone | None:
        return next((step for step in self.steps if not step.done), None)


def _stage_steps_done(policy: Policy, probation: Probation, held: list[tuple[str, dt.date]],
                      today: dt.date) -> list[StageStepDone]:
    """Match the held conversations (kind, day, by day) to the stage's steps: the first
    planning conversation from the start, the functioning conversations in their order,
    and an evaluation conversation for the final one."""
    by_kind: dict[str, list[dt.date]] = {}
    for kind, day in held:
        if day >= probation.starts_on:
            by_kind.setdefault(kind, []).append(day)
    kinds = {stage.StageStepKind.PLANNING: ConversationKind.PLANNING,
             stage.StageStepKind.FUNCTIONING: ConversationKind.FUNCTIONING,
             stage.StageStepKind.FINAL: ConversationKind.EVALUATION}
    done = []
    for step in stage.stage_steps(policy, starts_on=probation.starts_on,
                                  ends_on=probation.ends_on):
        days = by_kind.get(kinds[step.kind], [])
        done.append(StageStepDone(step, days[step.number - 1]
                                  if len(days) >= step.number else None, today))
    return done


def stage_progress(probation: Probation) -> StageProgress | None:
    """The stage's progress, ``None`` where the policy has no federal stage: two queries
    (the held conversations, the agreed development objectives)."""
    person = probation.person
    policy = policy_for(person.organisation)
    if not stage.stage_applies(policy):
        return None
    today = today_for(person.organisation)
    held = [(kind, day) for kind, day in Conversation.objects.filter(
        employee=person, status=ConversationStatus.HELD, held_on__isnull=False,
        kind__in=(ConversationKind.PLANNING, ConversationKind.FUNCTIONING,
                  ConversationKind.EVALUATION))
        .order_by("held_on", "pk").values_list("kind", "held_on") if day is not None]
    objectives = _agreed_objectives({person.pk}, probation.starts_on).get(person.pk, 0)
    return _progress(policy, probation, held, objectives, today)


def stages_progress(probations: list[Probation], *, policies: Mapping[int, Policy],
                    today: Mapping[int, dt.date]) -> dict[int, StageProgress]:
    """The progress of many running federal stages (probation id → progress), for the
    task lists and the reminders alike: two queries whatever their number (the held
    conversations, the agreed development objectives). ``policies`` and ``today`` are
    per organisation id; every probation's policy has the stage."""
    if not probations:
        return {}
    held: dict[int, list[tuple[str, dt.date]]] = {}
    for employee_id, kind, day in Conversation.objects.filter(
            employee_id__in={p.person_id for p in probations}, status=ConversationStatus.HELD,
            held_on__isnull=False,
            kind__in=(ConversationKind.PLANNING, ConversationKind.FUNCTIONING,
                      ConversationKind.EVALUATION)).order_by("held_on", "pk").values_list(
            "employee_id", "kind", "held_on"):
        if day is not None:
            held.setdefault(employee_id, []).append((kind, day))
    since = min(p.starts_on for p in probations)
    objectives = _agreed_objectives({p.person_id for p in probations}, since)
    progress = {}
    for probation in probations:
        organisation_id = probation.person.organisation_id
        progress[probation.pk] = _progress(
            policies[organisation_id], probation, held.get(probation.person_id, []),
            objectives.get(probation.person_id, 0), today[organisation_id])
    return progress


def _progress(policy: Policy, probation: Probation, held: list[tuple[str, dt.date]],
              objectives: int, today: dt.date) -> StageProgress:
    ended = bool(probation.outcome)
    outcomes: tuple[str, ...] = ()
    if not ended:
        outcomes = stage.outcomes_allowed(extended=probation.extension_months is not None) \
            if today >= probation.ends_on else (stage.StageOutcome.DISMISS,)
    notice = (stage.dismissal_notice_ends(policy, decided_on=probation.decided_on,
                                          serious_fault=probation.serious_fault)
              if probation.outcome == stage.StageOutcome.DISMISS
              and probation.decided_on is not None else None)
    return StageProgress(
        steps=_stage_steps_done(policy, probation, held, today), objectives=objectives,
        objectives_needed=policy.stage_development_objectives, outcomes=outcomes,
        notice_ends=notice, today=today)


def _agreed_objectives(person_ids: Collection[int], since: dt.date) -> dict[int, int]:
    """[b14]: the development objectives fixed with the stagiair: their agreed learning
    goals (``GoalKind.LEARNING``) made since the stage started, per person."""
    counts: dict[int, int] = {}
    for owner_id, created_at in Goal.objects.filter(
            owner_id__in=person_ids, kind=GoalKind.LEARNING,
            status__in=AGREED_GROUP).values_list("owner_id", "created_at"):
        if created_at.date() >= since:
            counts[owner_id] = counts.get(owner_id, 0) + 1
    return counts


@dataclass(frozen=True)
class StageTask:
    """What a running federal stage asks of the viewer: the stagiair's development
    objectives to agree, or the evaluator's next conversation ([b14])."""

    probation: Probation
    what: str
    due: dt.date
    step: str  # objectives, planning, functioning_<n>, final


def stage_tasks(viewer: Viewer) -> list[StageTask]:
    """The running federal stages of the viewer (as stagiair), of the people they
    evaluate first and, for HR, of the people of their units: the evaluator holds the
    next conversation of the stage; the stagiair agrees their development objectives
    until there are enough; HR records how the stage goes on from the policy's first
    reminder before its end ([b13]). Three queries, plus one per organisation for its
    policy."""
    ids = set(viewer.team_ids)
    me = viewer.person.pk if viewer.person is not None else None
    if me is not None:
        ids.add(me)
    hr = hr_scope(viewer, prefix="person__unit__")
    if not ids and hr is None:
        return []
    mine = Q(person_id__in=ids)
    probations = list(Probation.objects.filter(mine | hr if hr is not None else mine,
                                               outcome="")
                      .select_related("person__organisation", "person__unit")
                      .order_by("starts_on", "pk"))
    policies: dict[int, Policy] = {}
    running = []
    for probation in probations:
        organisation = probation.person.organisation
        if organisation.pk not in policies:
            policies[organisation.pk] = policy_for(organisation)
        if stage.stage_applies(policies[organisation.pk]):
            running.append(probation)
    if not running:
        return []
    progresses = stages_progress(running, policies=policies, today={
        p.person.organisation_id: today_for(p.person.organisation) for p in running})
    tasks = []
    for probation in running:
        person = probation.person
        policy = policies[person.organisation_id]
        progress = progresses[probation.pk]
        following = progress.next_step
        if person.pk == me and progress.objectives < progress.objectives_needed:
            tasks.append(StageTask(probation, ngettext(
                "Agree at least %(count)d development objective (learning goal) for your "
                "stage", "Agree at least %(count)d development objectives (learning goals) "
                "for your stage", progress.objectives_needed)
                % {"count": progress.objectives_needed},
                progress.steps[0].step.due, "objectives"))
        if person.pk in viewer.team_ids and following is not None:
            step = following.step
            name = step.kind.value if step.kind != stage.StageStepKind.FUNCTIONING \
                else f"functioning_{step.number}"
            tasks.append(StageTask(probation, step.task(person.full_name), step.due, name))
        if (hr is not None and is_hr_for(viewer, person)
                and progress.today >= stage.outcome_task_from(policy, ends_on=probation.ends_on)):
            tasks.append(StageTask(probation, _(
                "Record how the stage of %(name)s goes on: appointment, extension or "
                "dismissal") % {"name": person.full_name}, probation.ends_on, "outcome"))
    return tasks


@dataclass(frozen=True)
class PersonProbation:
    """What the person's probation page shows: the Flemish probations, or the Dutch
    assessment of the appointment's probation, and what the viewer may do."""

    person: Person
    flemish: bool  # Flemish probations are recorded ([f18])
    stage: bool  # federal stages are recorded ([b12])
    dutch_due: dt.date | None  # the Dutch assessment's due date (Heemstede)
    probations: list[Probation]
    evaluations: list[Evaluation]  # the person's probation evaluations, latest first
    may_record: bool  # HR, where the policy has probations
    may_open: bool  # the 1st evaluator or HR, while the evaluation is not opened yet


def may_open_probation_evaluation(viewer: Viewer, person: Person) -> bool:
    """The 1st evaluator or HR (``services.evaluation_open`` checks it again)."""
    return person.pk in viewer.team_ids or can_change_person(viewer, person)


def person_probation(viewer: Viewer, person: Person) -> PersonProbation:
    """The person's probation page (the caller checked the viewer sees the person): three
    queries."""
    policy = policy_for(person.organisation)
    flemish = rules.probation_evaluation_applies(policy)
    federal = stage.stage_applies(policy)
    recorded = flemish or federal
    end = person.probation_end_date
    dutch_due = rules.assessment_due(policy, probation_end=end, employed_from=person.start_date) \
        if end is not None and not recorded else None
    probations = list(person.probations.select_related("mentor")) if recorded else []
    evaluations = list(Evaluation.objects.filter(person=person, kind=EvaluationKind.PROBATION)
                       .select_related("first_evaluator", "second_evaluator",
                                       "person__organisation",
                                       "participation__cycle__organisation")
                       .order_by("-period_end", "-pk"))
    kept = [e for e in evaluations if e.state != EvaluationState.CANCELLED]
    # Still to open: the latest recorded probation's evaluation, or the Dutch assessment
    # of the appointment's probation.
    if recorded:
        pending = bool(probations) and not any(e.probation_id == probations[0].pk for e in kept)
    else:
        pending = dutch_due is not None and not any(e.period_end == end for e in kept)
    return PersonProbation(
        person=person, flemish=flemish, stage=federal, dutch_due=dutch_due,
        probations=probations, evaluations=evaluations,
        may_record=recorded and can_change_person(viewer, person),
        may_open=pending and may_open_probation_evaluation(viewer, person),
    )
