"""The federal late evaluation, recorded: whose evaluation lapsed, for every running cycle.

[b2] (``rulebook.lapse``): a federal employee not evaluated 3 months after the end of
their period, and not absent, is not evaluated for it; the next cycle is activated
without a mention. Each day the worker (``tasks.record_lapses_task``), or ``koers
lapse-evaluations`` by hand, brings every participation of the running cycles in line
with the rule:

- a participation whose lapse day has come, with no evaluation held or signed and no
  absence in the closing months, gets ``lapsed_on`` (the lapse day). Its evaluation
  steps are no task any more (``milestones.applies``): the timeline, the reminders, the
  list of late people and the dashboard count it as lapsed, not overdue, and the open
  reminders of those steps are resolved. An evaluation in preparation stays readable,
  but can no longer be written or signed (``evaluations.rules.lapse_error``);
- a lapse the rule no longer gives (an absence recorded afterwards, an evaluation
  conversation recorded late) is lifted: the steps are due again.

The next cycle: a federal cycle groups the periods that start in its year, so the
person's next period is in the cycle of the next year. Where that cycle is open the
person takes part in it already (opening and ``participation_sync`` include everyone
employed); where it is not opened yet, nothing is opened here: the person's next
period starts when HR opens that cycle, and the run counts them (``without_next``).

Idempotent: a second run the same day changes nothing. Bulk: per running federal cycle
a fixed number of queries per thousand candidates (the participations, their
absences, the next cycle's participations, the updates and the resolved reminders), and
one audit event per cycle that changed, with the counts.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from koers.audit import services as audit
from koers.core.clock import today_for
from koers.cycles.milestones import EVALUATION_STEPS, step_task
from koers.cycles.models import Cycle, CycleState, Participation
from koers.notify.services import notifications_resolve_many
from koers.organisation.models import Absence
from koers.rulebook.lapse import evaluation_lapse
from koers.rulebook.policy import policy_for
from koers.rulebook.presets import Policy

CHUNK = 1000
# No period lapses sooner than this many days after it ended (3 months: at least 89).
_EARLIEST = dt.timedelta(days=28 * 3)


@dataclass
class LapseRun:
    cycles: int = 0  # running federal cycles looked at
    lapsed: int = 0  # participations that lapsed in this run
    lifted: int = 0  # lapses lifted in this run (absence recorded since, or evaluated)
    without_next: int = 0  # of those that lapsed: no participation in a next cycle yet

    def as_json(self) -> dict[str, int]:
        return {"cycles": self.cycles, "lapsed": self.lapsed, "lifted": self.lifted,
                "without_next": self.without_next}


def lapses_record(*, today_by_org: Mapping[int, dt.date] | None = None) -> LapseRun:
    """Record today's lapsed evaluations in every running cycle of a regime that has a
    late evaluation (``late_evaluation_months``); lift those that no longer lapse.

    ``today_by_org`` (organisation id → date) replaces the clock, for replays and tests.
    """
    run = LapseRun()
    cycles = (Cycle.objects.filter(state=CycleState.OPEN).select_related("organisation")
              .order_by("organisation_id", "year"))
    policies: dict[int, Policy] = {}
    for cycle in cycles:
        organisation = cycle.organisation
        if organisation.pk not in policies:
            policies[organisation.pk] = policy_for(organisation)
        policy = policies[organisation.pk]
        if not policy.late_evaluation_months:
            continue  # Flemish and Dutch: nothing lapses
        today = (today_by_org or {}).get(organisation.pk) or today_for(organisation)
        run.cycles += 1
        _record_cycle(cycle, policy, today, run)
    return run


def _record_cycle(cycle: Cycle, policy: Policy, today: dt.date, run: LapseRun) -> None:
    candidates = (
        Participation.objects.filter(
            Q(lapsed_on__isnull=False)
            | Q(evaluation_required=True, evaluation_held_on__isnull=True,
                first_signed_on__isnull=True),
            cycle=cycle, closed_on__isnull=True, period_end__lte=today - _EARLIEST)
        .only("pk", "person_id", "period_end", "evaluation_required", "evaluation_held_on",
              "first_signed_on", "lapsed_on")
        .order_by("pk"))
    lapsed = lifted = without_next = 0
    last = 0
    while chunk := list(candidates.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1].pk
        absences: dict[int, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
        earliest = min(p.period_end for p in chunk)
        for person_id, kind, start, end in Absence.objects.filter(
                person_id__in=[p.person_id for p in chunk], end_date__gt=earliest,
                start_date__lte=today).values_list("person_id", "kind", "start_date",
                                                    "end_date"):
            absences[person_id].append((kind, start, end))
        to_lapse: dict[dt.date, list[Participation]] = defaultdict(list)
        to_lift: list[int] = []
        for participation in chunk:
            lapse = evaluation_lapse(
                policy, period_end=participation.period_end, today=today,
                evaluated=(participation.evaluation_held_on is not None
                           or participation.first_signed_on is not None),
                absences=absences.get(participation.person_id, ()))
            lapses = lapse.lapses and participation.evaluation_required
            if lapses and participation.lapsed_on != lapse.day:
                assert lapse.day is not None
                to_lapse[lapse.day].append(participation)
            elif not lapses and participation.lapsed_on is not None:
                to_lift.append(participation.pk)
        newly = [p for group in to_lapse.values() for p in group]
        with transaction.atomic():
            for day, group in to_lapse.items():
                Participation.objects.filter(pk__in=[p.pk for p in group]).update(lapsed_on=day)
            if to_lift:
                Participation.objects.filter(pk__in=to_lift).update(lapsed_on=None)
            # The evaluation steps are no task any more: their reminders are settled.
            notifications_resolve_many(tasks=[
                step_task(p.pk, due) for p in newly for due in sorted(EVALUATION_STEPS)])
        if newly:
            following = set(Participation.objects.filter(
                person_id__in=[p.person_id for p in newly], cycle__year__gt=cycle.year,
                cycle__organisation_id=cycle.organisation_id, closed_on__isnull=True,
            ).values_list("person_id", flat=True))
            without_next += sum(1 for p in newly if p.person_id not in following)
        lapsed += len(newly)
        lifted += len(to_lift)
    if lapsed or lifted:
        audit.record(actor=None, action="cycle.evaluations_lapsed", target=cycle,
                     organisation_id=cycle.organisation_id,
                     changes={"lapsed": lapsed, "lifted": lifted, "without_next": without_next,
                              "today": today.isoformat()})
    run.lapsed += lapsed
    run.lifted += lifted
    run.without_next += without_next

