"""Who may appeal a verdict to the appeal board, until when, and to whom: the rule in one
place, read by the consequences room (the appeal itself) and by the report that tells
the employee their next step (``evaluations/pdf.py``).

PLOEG, Prestatiemanagement ("Recht op tegenspraak") and the Flemish regulations
([f3][f4][f5]): statutory staff may appeal ``onvoldoende`` or ``loopbaanvertraging``
within ``policy.appeal_days`` calendar days after the report was delivered, the day of
delivery not counted (15 in Flanders), to ``policy.appeal_body``.
"""

import datetime as dt

from koers.organisation.models import EmploymentStatus, Person
from koers.rulebook.presets import Policy
from koers.rulebook.verdicts import NEGATIVE_VERDICTS

# PLOEG, Prestatiemanagement: the verdicts statutory staff may appeal.
APPEALABLE_VERDICTS = NEGATIVE_VERDICTS


def appeal_due(policy: Policy, delivered_on: dt.date) -> dt.date | None:
    """The last day to appeal: ``appeal_days`` calendar days after delivery, the day of
    delivery not counted; ``None`` where the policy has no appeal board."""
    if policy.appeal_days is None:
        return None
    return delivered_on + dt.timedelta(days=policy.appeal_days)


def may_appeal(person: Person, verdict: str, policy: Policy) -> bool:
    """Whether this person could appeal this verdict at all (term aside)."""
    return (policy.appeal_days is not None
            and person.employment_status == EmploymentStatus.STATUTORY
            and verdict in APPEALABLE_VERDICTS)
