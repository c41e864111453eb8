"""Background tasks of the cycles room (``django.tasks``; ``koers db_worker`` runs them)."""

from typing import Any

from django.db import transaction
from django.tasks import task

from koers.core.schedule import Every, periodic
from koers.cycles import dashboard, lapse, services
from koers.cycles.models import Cycle, CycleState
from koers.organisation.models import Organisation
from koers.rulebook.policy import policy_for


@task
def open_cycle_task(cycle_id: int) -> dict[str, Any]:
    """Fill a cycle opened by ``services.cycle_open``; the cycle page follows its progress.

    Returns the counts (stored with the task result by the database backend).
    """
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:  # deleted while the task waited
        return {}
    return services.cycle_fill(cycle=cycle).as_json()


@task
def recompute_participations_task(organisation_id: int) -> int:
    """After a policy change: every running cycle's due dates and eligibility again.

    Returns the number of cycles recomputed.
    """
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    services.participations_sync_for_organisation(organisation)
    return Cycle.objects.filter(organisation=organisation).exclude(
        state=CycleState.CLOSED
    ).update(policy_version=policy_for(organisation).version)


def recompute_participations_later(organisation: Organisation) -> None:
    """Queue the recomputation once the policy change is committed (it may take a while
    at 100,000 people, so it runs in a worker, not in the request).

    Follows every ``rulebook.services.policy_settings_change`` (``rulebook/changes.py``,
    subscribed in ``CyclesConfig.ready``)."""
    transaction.on_commit(lambda: recompute_participations_task.enqueue(organisation.pk))


@periodic("dashboard counts of large cycles", every=Every.ROUND, order=60)
@task()
def count_cycles_task() -> dict[str, int]:
    """Count each large open cycle for its dashboard (``dashboard.count_cycles``).

    Idempotent: a second run writes the same counts again. Returns cycle id → units
    counted."""
    return {str(pk): rows for pk, rows in dashboard.count_cycles().items()}


@periodic("late evaluations lapse", every=Every.DAY, order=5)
@task()
def record_lapses_task() -> dict[str, int]:
    """Today's lapsed federal evaluations (``lapse.lapses_record``): idempotent, a second
    run the same day changes nothing. Returns the counts."""
    return lapse.lapses_record().as_json()
