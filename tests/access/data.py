"""An employee with something in every room: goals with notes, conversations with an
agenda, a participation, hours and absences, an access request with a read, a
notification. The personal-data export and the retention tests share it."""

import datetime as dt
from decimal import Decimal

from koers.access import services as access_services
from koers.access.models import Scope
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.cycles.models import Cycle
from koers.goals import services as goal_services
from koers.organisation.models import Absence, AbsenceKind, EffectiveWork, Person, WorkSource
from tests import personas
from tests.factories import goals as goal_factories
from tests.factories import participations

GOAL_TITLE = "Loonvragen binnen twee dagen"
NOTE = "Goed op weg, nog twee dossiers"
AGENDA = "Werkdruk bespreken"
REASON = "Klacht van een collega onderzoeken"


def fill(p: personas.Personas, person: Person, *, goals: int = 1, year: int = 2026) -> Cycle:
    """Give ``person`` data in every room (``goals`` goals and as many conversations)."""
    second = p.department.manager
    assert second is not None
    me = goal_factories.viewer(person)
    for n in range(goals):
        goal = goal_factories.proposed(person, title=f"{GOAL_TITLE} {n}")
        goal_services.goal_comment(actor=me, goal=goal, text=f"{NOTE} {n}")
        starts = dt.datetime(2099, 3, 2 + n, 10, tzinfo=dt.UTC)
        conversation_services.conversation_schedule(
            actor=me, employee=person, kind=ConversationKind.FOLLOW_UP, starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1), location="Lokaal 1",
            agenda=[f"{AGENDA} {n}"])
    cycle = Cycle.objects.filter(organisation=person.organisation, year=year).first() \
        or participations.cycle(person.organisation, year)
    participations.participation(cycle, person)
    EffectiveWork.objects.create(person=person, year=year - 1, hours_worked=Decimal("1200"),
                                 source=WorkSource.IMPORTED)
    Absence.objects.create(person=person, kind=AbsenceKind.SICKNESS,
                           start_date=dt.date(year - 1, 2, 1), end_date=dt.date(year - 1, 2, 5))
    hr = goal_factories.viewer(p.hr)
    request = access_services.access_request_create(
        actor=hr, subject=person, scope=Scope.GOALS, reason=REASON, valid_from=hr.on,
        valid_until=hr.on + dt.timedelta(days=30))
    access_services.access_request_decide(actor=goal_factories.viewer(second),
                                          request=request, grant=True)
    goal = person.goals.order_by("pk").first()
    assert goal is not None
    access_services.access_read_log(viewer=goal_factories.viewer(p.hr), subject=person,
                                    scope=Scope.GOALS, record=goal, label=goal.title)
    return cycle
