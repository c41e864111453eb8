"""Evaluations built through the services, as the employee and the evaluators would.

``annual`` opens the annual evaluation of the personas' employee (Marc) in a running
cycle, with agreed goals; ``reach`` then walks it through the machine to any state, on
the days the policy allows each step. Everything goes through ``evaluations.services``,
so a test sees what users would create.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from koers.access.policy import Viewer
from koers.conversations import services as conversation_services
from koers.conversations.states import ConversationKind
from koers.core import clock
from koers.cycles.models import Participation
from koers.evaluations import rules, services
from koers.evaluations.models import Evaluation, FormalReason, Objection
from koers.evaluations.services import current_report
from koers.evaluations.states import EvaluationKind, EvaluationState, Role
from koers.organisation import evaluators
from koers.organisation.models import Person, PolicyPreset
from koers.rulebook.policy import policy_for
from tests.factories import goals
from tests.factories import participations as cycles
from tests.personas import Personas

S = EvaluationState
YEAR = 2025  # the evaluation year: the Flemish window runs 1 Dec 2025 – 31 Mar 2026


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    """Freeze the clock on ``day`` (10:00 UTC, the same day in Brussels and Amsterdam)."""
    with clock.frozen(moment(day)):
        yield


def viewer(person: Person) -> Viewer:
    assert person.user is not None
    return Viewer.of(person.user)


@dataclass
class Cast:
    """The people of one evaluation."""

    employee: Person
    first: Person
    second: Person | None
    hr: Person
    outsider: Person
    participation: Participation


def cast(p: Personas, *, preset: str = PolicyPreset.FLEMISH, year: int = YEAR,
         goal_count: int = 2) -> Cast:
    """Marc's participation in the cycle of ``year`` with ``goal_count`` agreed goals."""
    organisation = p.employee.organisation
    if organisation.policy_preset != preset:
        organisation.policy_preset = preset
        organisation.save(update_fields=["policy_preset"])
    for n in range(goal_count):
        goals.agreed(p.employee, p.manager, title=f"Goal {n + 1} of {p.employee.first_name}")
    participation = cycles.participation(cycles.cycle(organisation, year), p.employee)
    line = evaluators.evaluator_line(p.employee, on=dt.date(year, 12, 1))
    assert line.first == p.manager
    return Cast(p.employee, p.manager, line.second, p.hr, p.outsider, participation)


def annual(c: Cast, *, day: dt.date | None = None) -> Evaluation:
    """The annual evaluation, opened by the 1st evaluator."""
    with on(day or dt.date(c.participation.period_end.year, 11, 20)):
        return services.evaluation_open(actor=viewer(c.first), person=c.employee,
                                        participation=c.participation)


def write_report(c: Cast, evaluation: Evaluation, *, verdict: str = "voldoende",
                 advanced: dt.date | None = None, by: Person | None = None,
                 overall: str = "Marc did what was agreed.") -> None:
    report = current_report(evaluation)
    services.report_save(
        actor=viewer(by or c.first), evaluation=evaluation, overall=overall,
        items={item.position: f"On goal {item.position}: done." for item in report.items.all()},
        verdict=verdict, advanced_evaluation_on=advanced, expected_revision=report.revision,
    )


def write_self_evaluation(c: Cast, evaluation: Evaluation, *, submit: bool = True) -> None:
    evaluation.refresh_from_db()
    services.self_evaluation_save(
        actor=viewer(c.employee), evaluation=evaluation, overall="A good year.",
        items={item.position: "I did it." for item in evaluation.self_items.all()},
        expected_revision=evaluation.self_evaluation_revision,
    )
    if submit:
        services.self_evaluation_submit(actor=viewer(c.employee), evaluation=evaluation)


# The days each step is taken on, in the Flemish calendar of the evaluation year: the
# window opens on 1 December; without a self-evaluation the 2nd evaluator's task starts
# on 15 March. The employee signs 3 days after delivery; closing waits 20 days.
def days(year: int = YEAR, *, self_evaluation: bool = True) -> dict[str, dt.date]:
    second = dt.date(year, 12, 12) if self_evaluation else dt.date(year + 1, 3, 16)
    return {
        "open": dt.date(year, 11, 20),
        "self": dt.date(year, 12, 2),
        "draft": dt.date(year, 12, 2),
        "remarks": dt.date(year, 12, 3),
        "first": dt.date(year, 12, 10),
        "second": second,
        "employee": second + dt.timedelta(days=3),
        "closed": second + dt.timedelta(days=20),
    }


def reach(c: Cast, state: str, *, verdict: str = "voldoende", written: bool = False,
          self_evaluation: bool = True, remarks: bool = True, advanced: dt.date | None = None,
          year: int = YEAR) -> Evaluation:
    """A new annual evaluation of ``c`` in ``state``, taken there step by step on the
    days of ``days`` (where the policy has no 2nd signature, the 1st delivers on the
    day of the 2nd)."""
    when = days(year, self_evaluation=self_evaluation)
    evaluation = annual(c, day=when["open"])
    policy = policy_for(c.employee.organisation)
    if not rules.verdicts_for(policy, c.employee):
        verdict = ""
    author = c.employee if rules.report_author(policy, kind=evaluation.kind) == Role.EMPLOYEE \
        else c.first
    with on(when["open"]):
        if written:
            services.evaluation_set_written_procedure(actor=viewer(c.first),
                                                      evaluation=evaluation, written=True)
        write_report(c, evaluation, verdict=verdict, by=author, advanced=advanced)
    if state == S.CANCELLED:
        with on(when["open"]):
            services.evaluation_cancel(actor=viewer(c.hr), evaluation=evaluation,
                                       reason="Not required.")
        return _fresh(evaluation)
    if self_evaluation:
        with on(when["self"]):
            write_self_evaluation(c, evaluation)
    if state == S.DRAFT:
        return _fresh(evaluation)
    if written:
        with on(when["draft"]):
            services.evaluation_send_draft(actor=viewer(c.first), evaluation=evaluation)
        if state == S.DRAFT_SENT:
            return _fresh(evaluation)
        if remarks:
            with on(when["remarks"]):
                services.draft_remarks_add(actor=viewer(c.employee), evaluation=evaluation,
                                           remarks="I was on leave in May.")
    elif state == S.DRAFT_SENT:
        raise ValueError("DRAFT_SENT needs the written procedure")
    delivers_at_once = not policy.second_signature_required
    first_day = when["second"] if delivers_at_once else when["first"]
    if written and not remarks:
        first_day = max(first_day, when["draft"] + dt.timedelta(days=20))
    with on(first_day):
        services.evaluation_sign(actor=viewer(c.first), evaluation=evaluation)
    if _fresh(evaluation).state == state:
        return _fresh(evaluation)
    if not delivers_at_once:
        assert c.second is not None
        with on(when["second"]):
            services.evaluation_sign(actor=viewer(c.second), evaluation=evaluation)
    if state == S.DELIVERED:
        return _fresh(evaluation)
    if state == S.COMPLETED:
        with on(when["employee"]):
            services.evaluation_sign(actor=viewer(c.employee), evaluation=evaluation,
                                     remarks="Seen.")
    elif state == S.CLOSED_UNSIGNED:
        with on(when["closed"]):
            services.evaluation_close_unsigned(actor=viewer(c.first), evaluation=evaluation)
    result = _fresh(evaluation)
    assert result.state == state, (result.state, state)
    return result


def _fresh(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_related("person__unit", "person__organisation").get(
        pk=evaluation.pk)


def objected_assessment(c: Cast, *, filed_on: dt.date = dt.date(2025, 7, 10)) -> Objection:
    """A formal assessment delivered on 1 July 2025, objected to on ``filed_on`` (10 July)."""
    start = dt.datetime(2025, 6, 9, 9, tzinfo=dt.UTC)
    with on(dt.date(2025, 6, 2)):
        conversation = conversation_services.conversation_schedule(
            actor=viewer(c.first), employee=c.employee, kind=ConversationKind.PROGRESS,
            starts_at=start, ends_at=start + dt.timedelta(hours=1), location="Room 2")
    with on(dt.date(2025, 6, 9)):
        conversation = conversation_services.conversation_hold(
            actor=viewer(c.first), conversation=conversation,
            improvement_points="Answer mails within 2 days.")
    with on(dt.date(2025, 7, 1)):
        assessment = services.evaluation_open(
            actor=viewer(c.first), person=c.employee, kind=EvaluationKind.FORMAL_ASSESSMENT,
            formal_reason=FormalReason.NEGATIVE_DECISION, improvement_conversation=conversation)
        write_report(c, assessment, verdict="", by=c.first)
        services.evaluation_sign(actor=viewer(c.first), evaluation=assessment)
    with on(filed_on):
        return services.objection_record(actor=viewer(c.employee), evaluation=assessment,
                                          filed_on=filed_on, text="I disagree.")
