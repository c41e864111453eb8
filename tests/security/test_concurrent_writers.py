"""Probe: two people save the same record at the same moment, each from the revision
they opened; on PostgreSQL the threads really race. For every kind of editable record
the row lock serialises them, exactly one save wins and the other gets the conflict
with the winner's text: 0 lost updates. (The work plan's race is with its own tests and
records its figures in the same section.)"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from koers.core.errors import EditConflict
from koers.development.models import PlanGoal
from koers.development.services import plans, preparations
from koers.goals import services as goal_services
from koers.goals.models import Goal
from koers.rulebook.models import PolicyChange
from koers.rulebook.policy import policy_for
from koers.rulebook.services import policy_settings_change
from tests import factories, personas
from tests.concurrency import race, real_concurrency, record_race
from tests.factories import development as dev
from tests.factories import goals
from tests.factories.goals import viewer

pytestmark = [real_concurrency, pytest.mark.django_db(transaction=True)]


@dataclass
class Editing:
    """Two saves of one record from one revision, and how to read what is saved."""

    saves: tuple[Callable[[], Any], Callable[[], Any]]
    written: tuple[Any, Any]
    saved: Callable[[], Any]
    current: Callable[[EditConflict], Any]


def _goal(p: personas.Personas) -> Editing:
    goal = goals.agreed(p.employee, p.manager, title="Loonvragen binnen twee dagen")
    opened = goal.revision
    titles = ("Loonvragen binnen één dag", "Loonvragen dezelfde dag")

    def save(who: Any, title: str) -> Callable[[], Any]:
        return lambda: goal_services.goal_adjust(
            actor=viewer(who), goal=goal, changes={"title": title}, reason="Sneller",
            expected_revision=opened)

    return Editing((save(p.employee, titles[0]), save(p.manager, titles[1])), titles,
                   lambda: Goal.objects.get(pk=goal.pk).title,
                   lambda conflict: conflict.current["title"])


def _plan_goal(p: personas.Personas) -> Editing:
    plan = dev.draft(p.employee, p.manager)
    dev.item(plan, p.manager, "werk-structureren")
    goal = dev.goals_of(plan)[0]
    opened = goal.revision
    texts = ("Ratana's goal", "Marc's goal")

    def save(who: Any, text: str) -> Callable[[], Any]:
        return lambda: plans.plan_goal_change(actor=viewer(who), goal=goal,
                                              changes={"text": text}, expected_revision=opened)

    return Editing((save(p.manager, texts[0]), save(p.employee, texts[1])), texts,
                   lambda: PlanGoal.objects.get(pk=goal.pk).text,
                   lambda conflict: conflict.current["text"])


def _preparation(p: personas.Personas) -> Editing:
    author = viewer(p.employee)
    preparation = preparations.employee_preparation_start(actor=author, from_self_scan=False)
    opened = preparation.revision
    texts = ("From the laptop.", "From the phone.")

    def save(text: str) -> Callable[[], Any]:
        return lambda: preparations.employee_preparation_save(
            actor=author, preparation=preparation, changes={"strengths": text},
            expected_revision=opened)

    return Editing((save(texts[0]), save(texts[1])), texts,
                   lambda: type(preparation).objects.get(pk=preparation.pk).strengths,
                   lambda conflict: conflict.current["strengths"])


def _policy(p: personas.Personas) -> Editing:
    colleague = factories.person(p.top, with_user=True)
    factories.grant(colleague, "hr", p.top)
    organisation = p.top.organisation
    days = (20, 25)

    def save(who: Any, value: int) -> Callable[[], Any]:
        return lambda: policy_settings_change(
            organisation=organisation, values={"employee_signature_days": value},
            actor=who.user, expected_revision=0)

    return Editing((save(p.hr, days[0]), save(colleague, days[1])), days,
                   lambda: policy_for(organisation).employee_signature_days,
                   lambda conflict: int(conflict.current["employee_signature_days"]))


@pytest.mark.parametrize("record", [_goal, _plan_goal, _preparation, _policy],
                         ids=["goal", "development plan", "preparation", "policy"])
def test_two_concurrent_editors_exactly_one_wins_and_nothing_is_lost(record):
    editing = record(personas.build())

    outcomes = race(*editing.saves)

    conflicts = [outcome for outcome in outcomes if isinstance(outcome, EditConflict)]
    winners = [index for index, outcome in enumerate(outcomes)
               if not isinstance(outcome, BaseException)]
    saved = editing.saved()
    lost = int(not winners or saved != editing.written[winners[0]])
    record_race(writers=len(outcomes), conflicts=len(conflicts), lost=lost)
    assert (len(winners), len(conflicts)) == (1, 1), outcomes
    winner = editing.written[winners[0]]
    assert saved == winner
    assert editing.current(conflicts[0]) == winner  # the loser sees what won


def test_the_policy_race_records_one_change():
    """The loser's change is not recorded either: the history holds what is in force."""
    editing = _policy(personas.build())
    race(*editing.saves)
    assert PolicyChange.objects.count() == 1
