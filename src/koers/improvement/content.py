"""The plan as both sign it, and its seal: SHA-256 of a canonical serialisation.

Anyone can recompute the seal from the stored content (``verify``). The serialisation is
ours and versioned (``FORMAT``), on purpose not the audit trail's, as the development
plan's is (``development/seals.py``): a change in how audit events are hashed must never
make an old signature fail to verify.
"""

import hashlib
import hmac
import json
from typing import Any

from koers.improvement.models import ImprovementPlan

FORMAT = "koers-improvement-seal-1"


def canonical(content: Any) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False).encode("utf-8")


def seal(content: Any) -> str:
    return hashlib.sha256(FORMAT.encode("ascii") + b"\n" + canonical(content)).hexdigest()


def verify(content: Any, expected: str) -> bool:
    return hmac.compare_digest(seal(content), expected)


def plan_content(plan: ImprovementPlan) -> dict[str, Any]:
    """What both sign: who, why, what is expected and how it shows, the support, the
    period, how often it is followed up, and the employee's remarks."""
    return {
        "format": FORMAT,
        "plan": plan.pk,
        "employee": {"id": plan.employee_id, "name": plan.employee.full_name},
        "started_by": {"id": plan.started_by_id, "name": plan.started_by.full_name},
        "evaluation": plan.evaluation_id,
        "conversations": sorted(c.pk for c in plan.conversations.all()),
        "grounds": plan.grounds,
        "goals": [{"position": g.position, "expected": g.expected, "indicators": g.indicators}
                  for g in plan.goals.order_by("position")],
        "support": plan.support,
        "period": [plan.period_start.isoformat(), plan.period_end.isoformat()],
        "follow_up_months": plan.follow_up_months,
        "employee_remarks": plan.employee_remarks,
    }


def current_seal(plan: ImprovementPlan) -> tuple[dict[str, Any], str]:
    content = plan_content(plan)
    return content, seal(content)
