"""Who acts next and by when (``evaluations.steps``): the steps of every state of the
machine, the hand-over to the 2nd evaluator in the task list and in signing alike, the
task list's queries, and the page and the API showing the same steps."""

import datetime as dt
import html
import json

import pytest
from django.test import Client
from django.urls import reverse

from koers.evaluations import services, steps
from koers.evaluations.models import Evaluation
from koers.evaluations.selectors import evaluation_page
from koers.evaluations.states import Action, EvaluationState, Refused, Role
from tests import factories, personas
from tests.factories import evaluations as factory
from tests.factories import participations
from tests.factories.evaluations import on, viewer

pytestmark = pytest.mark.django_db

S = EvaluationState
DAYS = factory.days()  # the Flemish calendar of the evaluation year 2025
NOV_20, DEC_2, DEC_12 = dt.date(2025, 11, 20), dt.date(2025, 12, 2), dt.date(2025, 12, 12)
MARCH_10, MARCH_15, MARCH_31 = dt.date(2026, 3, 10), dt.date(2026, 3, 15), dt.date(2026, 3, 31)

E, FIRST, SECOND = Role.EMPLOYEE, Role.FIRST_EVALUATOR, Role.SECOND_EVALUATOR

# (state, how ``factory.reach`` gets there, the day asked, the steps expected as
# (role, action, a task today, due date)); the due dates are the Flemish ones: the
# window closes on 31 March, the 1st evaluator signs by 15 March, the 2nd by 31 March;
# remarks within 15 days of the draft (2 December), the employee signs within 15 days
# of delivery (12 December).
TABLE = [
    ("draft before the window", S.DRAFT, {"self_evaluation": False}, NOV_20, [
        (E, Action.SUBMIT_SELF_EVALUATION, True, MARCH_15),
        (FIRST, Action.SAVE_REPORT, True, MARCH_31),
        (FIRST, Action.SIGN_FIRST, False, MARCH_15)]),
    ("draft in the window", S.DRAFT, {}, DAYS["first"], [
        (FIRST, Action.SAVE_REPORT, True, MARCH_31),
        (FIRST, Action.SIGN_FIRST, True, MARCH_15)]),
    ("written, draft not sent", S.DRAFT, {"written": True}, DEC_2, [
        (FIRST, Action.SEND_DRAFT, True, None)]),
    ("draft sent, remarks awaited", S.DRAFT_SENT, {"written": True}, DEC_2, [
        (E, Action.ADD_DRAFT_REMARKS, True, dt.date(2025, 12, 17)),
        (FIRST, Action.SIGN_FIRST, False, MARCH_15)]),
    ("draft sent, term for remarks over", S.DRAFT_SENT, {"written": True},
     dt.date(2025, 12, 18), [(FIRST, Action.SIGN_FIRST, True, MARCH_15)]),
    ("1st signed with the self-evaluation", S.FIRST_SIGNED, {}, DEC_12, [
        (SECOND, Action.SIGN_SECOND, True, MARCH_31)]),
    ("1st signed, self-evaluation awaited", S.FIRST_SIGNED, {"self_evaluation": False},
     MARCH_10, [(E, Action.SUBMIT_SELF_EVALUATION, True, MARCH_15),
                (SECOND, Action.SIGN_SECOND, False, MARCH_31)]),
    ("delivered", S.DELIVERED, {}, DEC_12, [
        (E, Action.SIGN_EMPLOYEE, True, dt.date(2025, 12, 27))]),
    ("delivered, term to sign over", S.DELIVERED, {}, dt.date(2025, 12, 28), [
        (FIRST, Action.CLOSE_UNSIGNED, True, None)]),
    ("completed", S.COMPLETED, {}, DAYS["closed"], []),
    ("closed unsigned", S.CLOSED_UNSIGNED, {}, DAYS["closed"], []),
    ("cancelled", S.CANCELLED, {}, DAYS["closed"], []),
]


@pytest.mark.parametrize(("state", "reach", "day", "expected"),
                         [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_the_open_steps_of_each_state(state, reach, day, expected):
    c = factory.cast(personas.build())
    evaluation = factory.reach(c, state, **reach)
    with on(day):
        found = steps.evaluation_steps(evaluation_page(evaluation))

    people = {E: c.employee, FIRST: c.first, SECOND: c.second}
    assert [(s.role, s.action, s.actionable, s.due) for s in found] == expected
    assert [s.person for s in found] == [people[role] for role, *_ in expected]
    assert all(s.note for s in found if not s.actionable)  # it says from when


def test_the_2nd_evaluator_signs_and_sees_the_task_from_the_hand_over_day():
    """Vlaamse overheid, "Start jaarlijkse evaluatie in PLOEG: enkele zaken op een rijtje"
    (vlaanderen.be, news for managers): the report goes to the 2nd evaluator once the
    employee's self-evaluation and the 1st evaluator's report are in, and from 15 March
    the 1st evaluator's report alone is enough. (Vlaamse overheid, "Prestatiemanagement:
    informatie voor HR": the 1st evaluator signs by 15 March, the 2nd by 31 March.)

    On 10 March, without a self-evaluation, the task list does not offer the signature
    and signing is refused; on 15 March both allow it.
    """
    c = factory.cast(personas.build())
    evaluation = factory.reach(c, S.FIRST_SIGNED, self_evaluation=False)
    second = viewer(c.second)

    with on(MARCH_10):
        tasks_before = steps.evaluation_tasks(second)
        [step_before] = [s for s in steps.evaluation_steps(evaluation_page(evaluation))
                         if s.role == SECOND]
        with pytest.raises(Refused) as refused:
            services.evaluation_sign(actor=second, evaluation=evaluation)
    with on(MARCH_15):
        tasks_on = [(t.evaluation, t.action, t.due) for t in steps.evaluation_tasks(second)]
        services.evaluation_sign(actor=second, evaluation=evaluation)

    assert tasks_before == []
    assert (step_before.action, step_before.actionable) == (Action.SIGN_SECOND, False)
    assert "15 maart 2026" in step_before.note
    assert step_before.note == refused.value.message
    assert tasks_on == [(evaluation, Action.SIGN_SECOND, MARCH_31)]
    assert Evaluation.objects.get(pk=evaluation.pk).state == S.DELIVERED


def test_the_task_list_answers_in_the_same_queries_with_1_and_5_tasks(
        django_assert_num_queries):
    p = personas.build()
    c = factory.cast(p)
    factory.reach(c, S.FIRST_SIGNED)
    second = viewer(c.second)
    # Loaded with the request: the viewer and their evaluator line of the day, which
    # every permission of the request reads.
    second.team_ids, second.second_line_ids  # noqa: B018
    with on(DAYS["second"]), django_assert_num_queries(3):
        assert len(steps.evaluation_tasks(second)) == 1
    cycle = c.participation.cycle
    for n in range(4):
        member = factories.person(p.team, first_name=f"Lid{n}", with_user=True)
        participation = participations.participation(cycle, member)
        with on(DAYS["open"]):
            other = services.evaluation_open(actor=viewer(p.manager), person=member,
                                             participation=participation)
            factory.write_report(c, other)
        with on(DAYS["first"]):
            services.self_evaluation_save(actor=viewer(member), evaluation=other,
                                          overall="Goed.", items={}, expected_revision=0)
            services.self_evaluation_submit(actor=viewer(member), evaluation=other)
            services.evaluation_sign(actor=viewer(p.manager), evaluation=other)
    second = viewer(c.second)  # the next request
    second.team_ids, second.second_line_ids  # noqa: B018
    with on(DAYS["second"]), django_assert_num_queries(3):
        assert len(steps.evaluation_tasks(second)) == 5


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_page_and_the_api_show_the_same_steps_and_tasks():
    c = factory.cast(personas.build())
    evaluation = factory.reach(c, S.FIRST_SIGNED, self_evaluation=False)
    client = Client()
    client.force_login(c.second.user)

    with on(MARCH_10):
        page = _page(client, reverse("evaluation_detail", args=[evaluation.pk]))
        api = json.loads(client.get(f"/api/v1/evaluations/{evaluation.pk}").content)
        domain = steps.evaluation_steps(evaluation_page(evaluation))
    with on(MARCH_15):
        mine = _page(client, reverse("my_evaluations"))
        tasks = json.loads(client.get("/api/v1/me/evaluation-tasks").content)["items"]

    assert [(s["role"], s["action"], s["due"], s["actionable"], s["label"], s["note"])
            for s in api["next_steps"]] == [
        (s.role, s.action, s.due.isoformat() if s.due else None, s.actionable, s.what, s.note)
        for s in domain]
    assert len(api["next_steps"]) == 2
    for step in api["next_steps"]:
        assert step["label"] in page
        assert step["note"] in page
    [task] = tasks
    assert (task["evaluation"]["id"], task["action"], task["due"], task["actionable"]) == (
        evaluation.pk, Action.SIGN_SECOND, "2026-03-31", True)
    assert task["label"] in mine
    assert "31-03-2026" in mine


def test_the_task_list_shows_each_evaluation_once_with_the_step_due_first():
    c = factory.cast(personas.build())
    evaluation = factory.reach(c, S.DRAFT)
    first = viewer(c.first)

    with on(NOV_20):
        before = [(t.evaluation, t.action, t.due) for t in steps.evaluation_tasks(first)]
    with on(DAYS["first"]):
        during = [(t.evaluation, t.action, t.due) for t in steps.evaluation_tasks(first)]

    assert before == [(evaluation, Action.SAVE_REPORT, MARCH_31)]  # signing waits for 1 Dec
    assert during == [(evaluation, Action.SIGN_FIRST, MARCH_15)]
