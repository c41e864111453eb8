"""The scheduler's list comes from the rooms' registrations (core/schedule.py)."""

import pytest
from django.tasks import task

from koers.core.schedule import Every, periodic, periodic_tasks


def test_each_room_registers_its_periodic_tasks_in_order():
    assert [p.name for p in periodic_tasks(Every.ROUND)] == [
        "worker heartbeat", "reminders", "dashboard counts of large cycles", "expired renderings",
        "e-mail delivery"]
    assert [p.name for p in periodic_tasks(Every.DAY)] == [
        "late evaluations lapse", "evaluators follow their lines", "Improvement plan reminders",
        "POP follow-up reminders", "Stage reminders", "audit anchor",
        "finished task results pruned",
        "retention"]


@task()
def other() -> None:
    """Not the retention."""


def test_a_second_task_under_a_taken_name_is_refused():
    assert "retention" in [p.name for p in periodic_tasks(Every.DAY)]  # the rooms' are loaded
    with pytest.raises(ValueError, match="registered twice"):
        periodic("retention", every=Every.DAY)(other)
