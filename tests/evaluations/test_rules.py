"""The policy conditions of the machine, table by table and preset by preset.

Each table states the rule with its days; a change of the rule or of a preset's value
makes a row fail.
"""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import translation

from koers.evaluations import rules
from koers.evaluations.states import EvaluationKind, Role
from koers.organisation.models import EmploymentStatus, Person, SalarySystem
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH

D = dt.date
ANNUAL = EvaluationKind.ANNUAL


def person(status=EmploymentStatus.STATUTORY, system=SalarySystem.SENIORITY) -> Person:
    return Person(first_name="Marc", last_name="Vandamme", employment_status=status,
                  salary_system=system)


@pytest.mark.parametrize(("policy", "status", "system", "verdicts"), [
    (FLEMISH, EmploymentStatus.STATUTORY, SalarySystem.SENIORITY,
     ("voldoende", "onvoldoende", "loopbaanvertraging")),
    (FLEMISH, EmploymentStatus.STATUTORY, SalarySystem.EVALUATION, ("voldoende", "onvoldoende")),
    (FLEMISH, EmploymentStatus.CONTRACTUAL, SalarySystem.SENIORITY, ("voldoende", "onvoldoende")),
    (FEDERAL, EmploymentStatus.STATUTORY, SalarySystem.SENIORITY, ("onvoldoende",)),
    (DUTCH_MUNICIPAL, EmploymentStatus.STATUTORY, SalarySystem.SENIORITY, ()),
])
def test_verdicts_per_person(policy, status, system, verdicts):
    assert rules.verdicts_for(policy, person(status, system)) == verdicts


@pytest.mark.parametrize(("policy", "verdict", "refused"), [
    (FLEMISH, "", False),
    (FLEMISH, "voldoende", False),
    (FLEMISH, "loopbaanvertraging", True),  # contractual: not for them
    (FLEMISH, "uitzonderlijk", True),
    (FEDERAL, "voldoende", True),
    (DUTCH_MUNICIPAL, "voldoende", True),
    (DUTCH_MUNICIPAL, "", False),
])
def test_verdict_allowed(policy, verdict, refused):
    who = person(EmploymentStatus.CONTRACTUAL)
    assert (rules.verdict_error(policy, person=who, verdict=verdict) is not None) == refused


@pytest.mark.parametrize(("policy", "overall", "verdict", "refused"), [
    (FLEMISH, "Good year.", "voldoende", False),
    (FLEMISH, "Good year.", "", True),  # the Flemish policy requires a verdict to sign
    (FLEMISH, "  ", "voldoende", True),
    (FEDERAL, "Good year.", "", False),  # federal: onvoldoende only for underperformance
    (FEDERAL, "Good year.", "onvoldoende", False),
    (DUTCH_MUNICIPAL, "Good year.", "", False),  # no verdict in the Dutch policy
    (DUTCH_MUNICIPAL, "", "", True),
])
def test_complete_report(policy, overall, verdict, refused):
    error = rules.report_complete_error(policy, person=person(), overall=overall, verdict=verdict)
    assert (error is not None) == refused


@pytest.mark.parametrize(("policy", "kind", "author"), [
    (FLEMISH, ANNUAL, Role.FIRST_EVALUATOR),
    (FEDERAL, ANNUAL, Role.FIRST_EVALUATOR),
    (DUTCH_MUNICIPAL, ANNUAL, Role.EMPLOYEE),
    (DUTCH_MUNICIPAL, EvaluationKind.FORMAL_ASSESSMENT, Role.FIRST_EVALUATOR),
])
def test_report_author(policy, kind, author):
    assert rules.report_author(policy, kind=kind) == author
    assert rules.report_author_error(policy, kind=kind, roles={author}) is None
    other = Role.EMPLOYEE if author == Role.FIRST_EVALUATOR else Role.FIRST_EVALUATOR
    assert rules.report_author_error(policy, kind=kind, roles={other}) is not None


@pytest.mark.parametrize(("policy", "kind", "today", "refused"), [
    (FLEMISH, ANNUAL, D(2025, 11, 30), True),  # the window opens on 1 December
    (FLEMISH, ANNUAL, D(2025, 12, 1), False),
    (FLEMISH, ANNUAL, D(2026, 4, 20), False),  # late is shown overdue, never blocked
    (FLEMISH, EvaluationKind.ADVANCED, D(2025, 6, 1), False),  # outside the annual calendar
    (FEDERAL, ANNUAL, D(2025, 3, 1), False),  # no window
    (DUTCH_MUNICIPAL, ANNUAL, D(2025, 3, 1), False),
])
def test_window_opened(policy, kind, today, refused):
    error = rules.window_error(policy, kind=kind, year=2025, today=today)
    assert (error is not None) == refused


@pytest.mark.parametrize(("policy", "self_on", "first_on", "today", "starts", "refused"), [
    # Both in: the later of the two [f7].
    (FLEMISH, D(2025, 12, 5), D(2025, 12, 10), D(2025, 12, 10), D(2025, 12, 10), False),
    (FLEMISH, D(2026, 1, 5), D(2025, 12, 10), D(2026, 1, 4), D(2026, 1, 5), True),
    # Without a self-evaluation: from 15 March.
    (FLEMISH, None, D(2025, 12, 10), D(2026, 3, 14), D(2026, 3, 15), True),
    (FLEMISH, None, D(2025, 12, 10), D(2026, 3, 15), D(2026, 3, 15), False),
    (FLEMISH, None, D(2026, 3, 20), D(2026, 3, 20), D(2026, 3, 20), False),
    (FLEMISH, None, None, D(2026, 3, 20), None, True),  # no 1st signature, no task
    # No hand-over day in the policy: only with the self-evaluation.
    (FEDERAL, None, D(2025, 12, 10), D(2026, 12, 1), None, True),
    (FEDERAL, D(2025, 12, 11), D(2025, 12, 10), D(2025, 12, 11), D(2025, 12, 11), False),
])
def test_handover(policy, self_on, first_on, today, starts, refused):
    assert rules.second_task_starts(policy, kind=ANNUAL, year=2025, self_submitted_on=self_on,
                                    first_signed_on=first_on) == starts
    error = rules.handover_error(policy, kind=ANNUAL, year=2025, self_submitted_on=self_on,
                                 first_signed_on=first_on, today=today)
    assert (error is not None) == refused


def test_handover_of_an_advanced_evaluation_is_the_first_signature():
    assert rules.second_task_starts(FLEMISH, kind=EvaluationKind.ADVANCED, year=2025,
                                    self_submitted_on=None,
                                    first_signed_on=D(2026, 7, 1)) == D(2026, 7, 1)


@pytest.mark.parametrize(("policy", "required", "has_second", "refused"), [
    (FLEMISH, True, False, True),
    (FLEMISH, True, True, False),
    (DUTCH_MUNICIPAL, False, False, False),
])
def test_second_evaluator_needed(policy, required, has_second, refused):
    assert policy.second_signature_required == required
    error = rules.second_evaluator_error(policy, has_second_evaluator=has_second)
    assert (error is not None) == refused


@pytest.mark.parametrize(("policy", "received", "last_day"), [
    (FLEMISH, D(2026, 3, 31), D(2026, 4, 15)),  # 15 calendar days, receipt day not counted
    (FEDERAL, D(2026, 3, 31), D(2026, 4, 15)),
    (DUTCH_MUNICIPAL, D(2026, 3, 31), D(2026, 4, 14)),  # 2 weeks [n8]
])
def test_employee_term(policy, received, last_day):
    from koers.rulebook.deadlines import employee_signature_due

    due = employee_signature_due(policy, received_on=received)
    assert due == last_day
    assert rules.employee_term_error(due=due, today=last_day) is None
    assert rules.employee_term_error(due=due, today=last_day + dt.timedelta(1)) is not None
    # Closing without the signature: only after the last day.
    assert rules.close_unsigned_error(due=due, today=last_day) is not None
    assert rules.close_unsigned_error(due=due, today=last_day + dt.timedelta(1)) is None


@pytest.mark.parametrize(("written", "sent_on", "refused"), [
    (False, None, True),
    (True, None, False),
    (True, D(2026, 2, 1), True),  # sent once
])
def test_send_draft(written, sent_on, refused):
    error = rules.send_draft_error(written_procedure=written, draft_sent_on=sent_on)
    assert (error is not None) == refused


@pytest.mark.parametrize(("policy", "remarks_on", "today", "refused"), [
    (FLEMISH, None, D(2026, 2, 16), False),  # 15 days after 1 February
    (FLEMISH, None, D(2026, 2, 17), True),
    (FLEMISH, D(2026, 2, 3), D(2026, 2, 4), True),  # once
    (DUTCH_MUNICIPAL, None, D(2026, 2, 15), False),
    (DUTCH_MUNICIPAL, None, D(2026, 2, 16), True),
])
def test_remarks_term(policy, remarks_on, today, refused):
    error = rules.remarks_error(policy, draft_sent_on=D(2026, 2, 1), remarks_on=remarks_on,
                                today=today)
    assert (error is not None) == refused


@pytest.mark.parametrize(("written", "sent_on", "remarks_on", "today", "refused"), [
    (False, None, None, D(2026, 2, 1), False),
    (True, None, None, D(2026, 2, 1), True),  # the draft goes first
    (True, D(2026, 2, 1), None, D(2026, 2, 16), True),  # the employee may still react
    (True, D(2026, 2, 1), None, D(2026, 2, 17), False),  # the term has passed
    (True, D(2026, 2, 1), D(2026, 2, 3), D(2026, 2, 3), False),  # the remarks are in
])
def test_written_first_signature(written, sent_on, remarks_on, today, refused):
    error = rules.written_first_signature_error(FLEMISH, written_procedure=written,
                                                draft_sent_on=sent_on, remarks_on=remarks_on,
                                                today=today)
    assert (error is not None) == refused


@pytest.mark.parametrize(("written", "draft", "final", "refused"), [
    (True, "onvoldoende", "onvoldoende", False),
    (True, "voldoende", "onvoldoende", True),
    (True, "voldoende", "loopbaanvertraging", True),
    (True, "onvoldoende", "loopbaanvertraging", True),
    (True, "loopbaanvertraging", "onvoldoende", True),
    (True, "onvoldoende", "voldoende", False),  # better than the draft: allowed
    (False, "", "onvoldoende", False),  # oral procedure: no draft
])
def test_draft_verdict(written, draft, final, refused):
    error = rules.draft_verdict_error(written_procedure=written, draft_verdict=draft,
                                      verdict=final)
    assert (error is not None) == refused


@pytest.mark.parametrize(("verdict", "chosen", "today", "refused"), [
    ("onvoldoende", None, D(2026, 3, 20), False),
    ("voldoende", D(2026, 12, 1), D(2026, 3, 20), True),  # only after onvoldoende
    # "vanaf de 6de maand die volgt op de datum van kennisname": 1 September for March.
    ("onvoldoende", D(2026, 8, 31), D(2026, 3, 20), True),
    ("onvoldoende", D(2026, 9, 1), D(2026, 3, 20), False),
])
def test_advanced_date(verdict, chosen, today, refused):
    error = rules.advanced_date_error(FLEMISH, verdict=verdict, chosen=chosen, today=today)
    assert (error is not None) == refused


def test_a_saved_advanced_day_stays_valid_while_the_verdict_is_onvoldoende():
    saved = D(2026, 8, 31)  # allowed when it was saved in February

    kept = rules.advanced_date_error(FLEMISH, verdict="onvoldoende", chosen=saved,
                                     saved=saved, today=D(2026, 3, 20))
    verdict_changed = rules.advanced_date_error(FLEMISH, verdict="voldoende", chosen=saved,
                                                saved=saved, today=D(2026, 3, 20))

    assert kept is None
    assert verdict_changed is not None


def test_the_advanced_date_refusal_names_the_policys_months():
    policy = replace(FLEMISH, advanced_evaluation_months=3)

    with translation.override("en"):
        error = rules.advanced_date_error(policy, verdict="onvoldoende", chosen=D(2026, 5, 31),
                                          today=D(2026, 3, 20))

    assert error == ("Choose 1 June 2026 or later: the advanced evaluation is held at the "
                     "earliest from month 3 after the employee took note.")


def test_advanced_day_is_fixed_from_the_delivery():
    assert rules.advanced_on_delivery(FLEMISH, chosen=None, delivered_on=D(2026, 3, 31)) is None
    assert rules.advanced_on_delivery(FLEMISH, chosen=D(2026, 9, 1),
                                      delivered_on=D(2026, 4, 2)) == D(2026, 10, 1)


@pytest.mark.parametrize(("policy", "count", "first"), [
    (FLEMISH, 6, "What did you achieve over the past year?"),
    (FEDERAL, 6, "What did you achieve over the past year?"),
    (DUTCH_MUNICIPAL, 3, "Were the agreements on performance and development realised?"),
])
def test_self_evaluation_questions(policy, count, first):
    with translation.override("en"):
        questions = rules.self_evaluation_questions(policy)
    assert (len(questions), questions[0]) == (count, first)


def test_self_evaluation_questions_in_dutch():
    with translation.override("nl"):
        assert rules.self_evaluation_questions(FLEMISH)[0] == \
            "Wat heb je het voorbije jaar gerealiseerd?"
