"""The Dutch individual work plan built through the services: the personas in a Dutch
municipality (the preset with the work plan) on a fixed day, a drafted and a fixed plan,
and a held progress conversation that may record changed agreements."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from koers.conversations import services
from koers.conversations.models import Conversation, WorkPlan
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.organisation.models import Organisation, PolicyPreset
from tests import personas
from tests.factories.goals import viewer

TODAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@contextmanager
def dutch_personas() -> Iterator[personas.Personas]:
    """The personas in a Dutch municipality, with the clock on ``TODAY``."""
    people = personas.build()
    Organisation.objects.filter(pk=people.employee.organisation_id).update(
        policy_preset=PolicyPreset.DUTCH_MUNICIPAL)
    for person in (people.employee, people.manager, people.colleague, people.hr):
        person.organisation.refresh_from_db()
    with clock.frozen(TODAY):
        yield people


def draft(p: personas.Personas, **texts: str) -> WorkPlan:
    texts = texts or {"expected_performance": "Answer 90 % of pay questions within 2 days",
                      "competencies": "Customer focus", "development_wishes": "Excel course",
                      "support": "Time for the course"}
    return services.work_plan_draft(actor=viewer(p.employee), **texts)


def fixed(p: personas.Personas) -> WorkPlan:
    plan = draft(p)
    services.work_plan_comment(actor=viewer(p.manager), work_plan=plan,
                               comments="Add the new payroll system.")
    services.work_plan_confirm(actor=viewer(p.employee), work_plan=plan)
    return services.work_plan_confirm(actor=viewer(p.manager), work_plan=plan)


def held_progress(p: personas.Personas, *,
                  kind: str = ConversationKind.PROGRESS) -> Conversation:
    starts = TODAY + dt.timedelta(days=1)
    conversation = services.conversation_schedule(
        actor=viewer(p.manager), employee=p.employee, kind=kind, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1), location="Room 2")
    return services.conversation_hold(actor=viewer(p.manager), conversation=conversation,
                                      report="We adjusted the plan.")
