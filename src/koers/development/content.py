"""What a signature covers: the plan's content as plain JSON, the same way every time.

The POP guide's summary table with its columns (source, competency, priority, goals and
terms, means and their terms, HR actions, success indicators, realisation/follow-up),
the employee's remarks, and the round being signed (kind and conversation date). The
status of HR actions is left out on purpose: HR arranging a registration changes
nothing the two signed. Names are kept as they were (a renamed competency does not
change what was signed).
"""

import datetime as dt
from typing import Any

from koers.development.models import DevelopmentPlan, PlanItem, PlanRound
from koers.development.seals import seal
from koers.development.selectors import plan_with_rows
from koers.development.states import RoundStatus

CONTENT_VERSION = 1


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _item(item: PlanItem) -> dict[str, Any]:
    competency = item.competency
    return {
        "position": item.position,
        "source": item.source,
        "competency": {"code": competency.code, "name_nl": competency.name_nl,
                       "name_en": competency.name_en},
        "priority": item.priority,
        "goals": [
            {"text": goal.text, "term": _day(goal.term), "term_note": goal.term_note}
            for goal in item.goals.all()
        ],
        "means": [
            {"action": means.action.code if means.action else None,
             "action_name_nl": means.action.name_nl if means.action else None,
             "description": means.description, "term": _day(means.term),
             "term_note": means.term_note,
             "supporter": means.supporter.full_name if means.supporter else None}
            for means in item.means.all()
        ],
        "hr_actions": [
            {"action": hr.action.code if hr.action else None, "description": hr.description,
             "term": _day(hr.term)}
            for hr in item.hr_actions.all()
        ],
        "success_indicators": item.indicator_lines,
        "follow_ups": [
            {"round": entry.round.number, "written_on": _day(entry.written_on),
             "text": entry.text}
            for entry in item.follow_ups.all()
        ],
    }


def plan_content(plan: DevelopmentPlan, round: PlanRound) -> dict[str, Any]:
    """The content of ``plan`` as signed in ``round`` (``plan`` from ``plan_with_rows``)."""
    employee = plan.employee
    return {
        "version": CONTENT_VERSION,
        "plan": plan.pk,
        "employee": {"id": employee.pk, "name": employee.full_name,
                     "employee_number": employee.employee_number,
                     "unit": employee.unit.name, "job_title": employee.job_title},
        "period": {"start": _day(plan.period_start), "end": _day(plan.period_end)},
        "round": {"number": round.number, "kind": round.kind, "held_on": _day(round.held_on),
                  "conversation": round.conversation_id},
        "employee_remarks": plan.employee_remarks,
        "items": [_item(item) for item in plan.items.all()],
    }


def current_seal(plan: DevelopmentPlan, round: PlanRound) -> tuple[dict[str, Any], str]:
    """The content of the plan as it is now, for ``round``, with its seal (reads the rows)."""
    content = plan_content(plan_with_rows(plan.pk), round)
    return content, seal(content)


def unchanged_since_signed(plan: DevelopmentPlan) -> bool | None:
    """Whether the plan's rows still match its last sealed round (None: never signed).

    Between rounds nothing may change the rows (the services refuse), so False means
    the rows were changed outside the services.
    """
    last = plan.rounds.filter(status=RoundStatus.SIGNED).order_by("-number").first()
    if last is None:
        return None
    _content, now = current_seal(plan, last)
    return now == last.seal
