"""Reminders of a federal stage's steps, with escalation, each sent exactly once.

The steps are those of the task lists (``probation.stage_tasks``), on the due dates the
stage's page shows (``rulebook.stage``, [b12]–[b14]), computed from the policy, never
stored:

- the stage's next conversation not held yet (planning, functioning 1…n, final), to
  the stagiair's 1st evaluator, who holds it: on each of the policy's
  ``reminder_days_before`` days, on the day and the day after; then escalated to the
  2nd evaluator after ``escalate_to_second_evaluator_after_days`` and to the nearest HR
  after ``escalate_to_hr_after_days`` overdue days (``cycles.reminders.triggers``, the
  same stages as every step of the cycle and of an improvement plan);
- the development objectives to agree, to the stagiair, by the planning conversation's
  due date, while fewer than ``stage_development_objectives`` are agreed;
- how the stage goes on (appointment, extension or dismissal, [b13]), to HR, by the
  stage's last day: the first reminder is the day the task appears
  (``stage.outcome_task_from``).

The stagiair's and HR's own steps are not escalated: no one above them follows them up.
A step done (its conversation held, the objectives agreed, the outcome recorded) is not
reminded again; the services that settle it resolve its notifications in their
transaction, and each run resolves those of steps found done another way (an objective
agreed in the goals room). The Flemish probation evaluation and the Dutch probation
assessment are steps of the cycle (``Due.PROBATION_ASSESSMENT``): ``cycles.reminders``
reminds them.

The key names the probation, the step, its due date, the stage and the recipient: a
second run on the same day creates nothing, and a stage extended (its end, and so its
steps, moved) is reminded afresh. The notifications are the outbox: an e-mail is
composed and sent by the workers (``notify.services.deliver_emails``), so a worker or a
mail relay that is down loses nothing. ``koers stage-reminders`` or the daily task runs it.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.tasks import task
from django.urls import reverse

from koers.conversations.milestones import stage_step_task
from koers.conversations.states import ConversationKind
from koers.core.clock import today_for
from koers.core.schedule import Every, periodic
from koers.cycles.notifications import Stage
from koers.cycles.reminders import ACTING_STAGES, Trigger, triggers
from koers.cycles.responsible import Responsibles, responsibles
from koers.evaluations.models import Probation
from koers.evaluations.notifications import STAGE_KIND
from koers.evaluations.probation import StageProgress, stage_outcome_task, stages_progress
from koers.notify.models import Notification
from koers.notify.services import NewNotification, notifications_resolve, notify_many
from koers.organisation.models import Organisation, Person
from koers.rulebook import stage as rules
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy

CONVERSATION_OF = {rules.StageStepKind.PLANNING: ConversationKind.PLANNING,
                   rules.StageStepKind.FUNCTIONING: ConversationKind.FUNCTIONING,
                   rules.StageStepKind.FINAL: ConversationKind.EVALUATION}
OBJECTIVES = "objectives"
OUTCOME = "outcome"


@dataclass
class StageReminderRun:
    organisations: int = 0  # organisations with the federal stage and running stages
    stages: int = 0  # running stages with a step due on a trigger day
    notifications: int = 0  # new ones (a second run of the day adds none)
    unreachable: int = 0  # reminders without anyone with a login to receive them


@dataclass(frozen=True)
class _Step:
    """One step of a stage to remind: what, by when, who acts, under which task."""

    name: str  # planning, functioning, final, objectives, outcome
    number: int
    due: dt.date
    role: str  # first_evaluator, employee, hr
    task: str
    escalated: bool  # the evaluator's conversations; not the stagiair's or HR's own step


def _steps(probation: Probation, progress: StageProgress, policy: Policy) -> list[_Step]:
    """The stage's open steps on the progress's day, as the task lists show them."""
    person_id = probation.person_id
    steps = []
    following = progress.next_step
    if following is not None:
        step = following.step
        steps.append(_Step(step.kind.value, step.number, step.due, "first_evaluator",
                           stage_step_task(person_id, CONVERSATION_OF[step.kind]), True))
    if progress.objectives < progress.objectives_needed:
        steps.append(_Step(OBJECTIVES, 1, progress.steps[0].step.due, "employee",
                           stage_step_task(person_id, OBJECTIVES), False))
    if progress.today >= rules.outcome_task_from(policy, ends_on=probation.ends_on):
        steps.append(_Step(OUTCOME, 1, probation.ends_on, "hr",
                           stage_outcome_task(probation.pk), False))
    return steps


def _recipients(trigger: Trigger, step: _Step, who: Responsibles) -> tuple[Person, ...]:
    acting = who.for_role(step.role)
    if trigger.stage in ACTING_STAGES:
        return acting
    if not step.escalated:
        return ()
    if trigger.stage == Stage.ESCALATED_SECOND:
        acting_ids = {p.pk for p in acting}
        return tuple(p for p in who.for_role("second_evaluator") if p.pk not in acting_ids)
    return who.for_role("hr")


def _notifications(probation: Probation, steps: list[_Step],
                   by_day: Mapping[dt.date, list[Trigger]], who: Responsibles,
                   policy: Policy, run: StageReminderRun) -> Iterator[NewNotification]:
    person = probation.person
    url = reverse("probation_detail", kwargs={"pk": probation.pk})
    for step in steps:
        acting = who.for_role(step.role)
        params: dict[str, Any] = {
            "person": person.full_name, "step": step.name, "number": step.number,
            "due": step.due.isoformat(), "role": step.role, "preset": policy.preset,
            "responsible": ", ".join(p.full_name for p in acting)}
        for trigger in by_day.get(step.due, []):
            recipients = [p for p in _recipients(trigger, step, who) if p.user_id is not None]
            if not recipients and (trigger.stage in ACTING_STAGES or step.escalated):
                run.unreachable += 1
            for recipient in recipients:
                assert recipient.user_id is not None
                yield NewNotification(
                    recipient_id=recipient.user_id,
                    key=(f"stage:{probation.pk}:{step.name}{step.number}:"
                         f"{step.due.isoformat()}:{trigger.code}:{recipient.user_id}"),
                    kind=STAGE_KIND[trigger.stage], params={**params, "days": trigger.days},
                    url=url, task=step.task, about_id=person.user_id)


def _resolve_done(probations: list[Probation], open_tasks: set[str]) -> None:
    """Resolve the open notifications of the stages' steps that are no longer open (an
    objective agreed in the goals room says nothing to the reminders): one query, none
    when nothing is stale."""
    prefixes = Q()
    for probation in probations:
        prefixes |= Q(task__startswith=stage_step_task(probation.person_id, ""))
        prefixes |= Q(task=stage_outcome_task(probation.pk))
    stale = set(Notification.objects.filter(prefixes, resolved_at__isnull=True)
                .values_list("task", flat=True).distinct()) - open_tasks
    for task_name in sorted(stale):
        notifications_resolve(task=task_name)


def send_stage_reminders(
    *, today_by_org: Mapping[int, dt.date] | None = None
) -> StageReminderRun:
    """Today's reminders and escalations of every running federal stage: per
    organisation one query for its running stages, two for their progress (held
    conversations, agreed objectives), three for the people who act (``responsibles``),
    one for stale notifications and at most four to insert the new ones."""
    run = StageReminderRun()
    organisations = Organisation.objects.filter(
        pk__in=Probation.objects.filter(outcome="").values("person__organisation_id"),
    ).order_by("pk")
    for organisation in organisations:
        policy = policy_for(organisation)
        if not rules.stage_applies(policy):
            continue  # a Flemish probation: the cycle reminds its evaluation
        run.organisations += 1
        today = (today_by_org or {}).get(organisation.pk) or today_for(organisation)
        fired = triggers(policy)
        by_day: dict[dt.date, list[Trigger]] = {}
        for trigger in fired:
            by_day.setdefault(today + dt.timedelta(days=trigger.offset), []).append(trigger)
        # A step is due between the stage's start and its end: only the stages whose
        # span meets a trigger day can have one.
        probations = list(Probation.objects.filter(
            person__organisation=organisation, outcome="", starts_on__lte=max(by_day),
            ends_on__gte=min(by_day)).select_related("person__organisation", "person__unit")
            .order_by("pk"))
        if not probations:
            continue
        progress = stages_progress(probations, policies={organisation.pk: policy},
                                   today={organisation.pk: today})
        steps = {p.pk: _steps(p, progress[p.pk], policy) for p in probations}
        _resolve_done(probations, {s.task for found in steps.values() for s in found})
        due = [p for p in probations if any(s.due in by_day for s in steps[p.pk])]
        run.stages += len(due)
        roles = responsibles([p.person for p in due], on=today)
        run.notifications += notify_many(
            n for p in due
            for n in _notifications(p, steps[p.pk], by_day, roles[p.person_id], policy, run))
    return run


@periodic("Stage reminders", every=Every.DAY)
@task()
def send_stage_reminders_task() -> dict[str, int]:
    """Today's reminders of the federal stages (safe to run again: nothing is sent
    twice)."""
    run = send_stage_reminders()
    return {"organisations": run.organisations, "stages": run.stages,
            "notifications": run.notifications, "unreachable": run.unreachable}
