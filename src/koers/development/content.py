"""What a signature covers: the plan's content as plain JSON, the same way every time.

The POP guide's summary table with its columns (source, competency, priority, goals and
terms, means and their terms, HR actions, success indicators, realisation/follow-up),
the employee's remarks, and the round being signed (kind and conversation date). The
status of HR actions is left out on purpose: HR arranging a registration changes
nothing the two signed. Names are kept as they were (a renamed competency does not
change what was signed).

The catalogue's texts are sealed in one language, the language the plan is signed in:
the employee's (their account's choice, else their record's). The content says which
(``"language"``), and both signatures cover the same language whatever the 1st
evaluator reads. Version 1 (before the catalogue had a text per language) held the
Dutch and English names side by side and no language; rounds sealed then keep that
content, and ``content_for`` still gives it, so comparing them with the plan as it is
now (``unchanged_since_signed``) compares like with like. A seal is never recomputed
into a newer version: what was signed stays what was signed.
"""

import datetime as dt
from typing import Any

from koers.core import languages
from koers.development.models import DevelopmentPlan, PlanItem, PlanRound
from koers.development.seals import seal
from koers.development.selectors import plan_with_rows
from koers.development.states import RoundStatus

CONTENT_VERSION = 2
LEGACY_VERSION = 1  # the Dutch and English names side by side, no language


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _item(item: PlanItem, version: int, language: str) -> dict[str, Any]:
    competency = item.competency
    if version == LEGACY_VERSION:
        named: dict[str, Any] = {"code": competency.code,
                                 "name_nl": competency.names.get("nl", ""),
                                 "name_en": competency.names.get("en", "")}
    else:
        named = {"code": competency.code,
                 "name": languages.localized(competency.names, language)}
    return {
        "position": item.position,
        "source": item.source,
        "competency": named,
        "priority": item.priority,
        "goals": [
            {"text": goal.text, "term": _day(goal.term), "term_note": goal.term_note}
            for goal in item.goals.all()
        ],
        "means": [
            {"action": means.action.code if means.action else None,
             _ACTION_NAME[version]: _action_name(means.action, version, language),
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


_ACTION_NAME = {LEGACY_VERSION: "action_name_nl", CONTENT_VERSION: "action_name"}


def _action_name(action: Any, version: int, language: str) -> str | None:
    if action is None:
        return None
    if version == LEGACY_VERSION:
        return str(action.names.get("nl", ""))
    return languages.localized(action.names, language)


def signing_language(plan: DevelopmentPlan) -> str:
    """The language a plan is signed in: the employee's."""
    return plan.employee.reading_language


def signed_language(plan: DevelopmentPlan) -> str | None:
    """The language of the plan's latest signed round as sealed (``plan`` from
    ``plan_with_rows``: its rounds are loaded); None before the first signature or for a
    round sealed before rounds recorded their language."""
    signed = [r.content for r in plan.rounds.all()
              if r.status == RoundStatus.SIGNED and r.content is not None]
    return signed[-1].get("language") if signed else None


def plan_content(plan: DevelopmentPlan, round: PlanRound, *, version: int = CONTENT_VERSION,
                 language: str | None = None) -> dict[str, Any]:
    """The content of ``plan`` as signed in ``round`` (``plan`` from ``plan_with_rows``),
    in ``language`` (default: the signing language); ``version`` 1 only to compare with
    a round sealed in that version."""
    employee = plan.employee
    language = language or signing_language(plan)
    header: dict[str, Any] = {"version": version}
    if version != LEGACY_VERSION:
        header["language"] = language
    return {
        **header,
        "plan": plan.pk,
        "employee": {"id": employee.pk, "name": employee.full_name,
                     "employee_number": employee.employee_number,
                     "unit": employee.unit.name, "job_title": employee.job_title},
        "period": {"start": _day(plan.period_start), "end": _day(plan.period_end)},
        "round": {"number": round.number, "kind": round.kind, "held_on": _day(round.held_on),
                  "conversation": round.conversation_id},
        "employee_remarks": plan.employee_remarks,
        "items": [_item(item, version, language) for item in plan.items.all()],
    }


def current_seal(plan: DevelopmentPlan, round: PlanRound) -> tuple[dict[str, Any], str]:
    """The content of the plan as it is now, for ``round``, with its seal (reads the rows)."""
    content = plan_content(plan_with_rows(plan.pk), round)
    return content, seal(content)


def content_like(plan: DevelopmentPlan, round: PlanRound,
                 signed: dict[str, Any]) -> dict[str, Any]:
    """The plan as it is now (``plan`` from ``plan_with_rows``), in the version and
    language of ``signed``, content sealed earlier: what to compare it with."""
    version = signed.get("version", LEGACY_VERSION)
    return plan_content(plan, round, version=version,
                        language=signed.get("language") or languages.DEFAULT)


def unchanged_since_signed(plan: DevelopmentPlan) -> bool | None:
    """Whether the plan's rows still match its last sealed round (None: never signed).

    Between rounds nothing may change the rows (the services refuse), so False means
    the rows were changed outside the services.
    """
    last = plan.rounds.filter(status=RoundStatus.SIGNED).order_by("-number").first()
    if last is None:
        return None
    assert last.content is not None  # a signed round is sealed (a database constraint)
    now = content_like(plan_with_rows(plan.pk), last, last.content)
    return seal(now) == last.seal
