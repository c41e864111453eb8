"""Who may appeal a verdict to the appeal board, until when, and to whom: the rule in one
place, read by the consequences room (the appeal itself) and by the report that tells
the employee their next step (``evaluations/pdf.py``).

PLOEG, Prestatiemanagement ("Recht op tegenspraak") and the Flemish regulations
([f3][f4][f5]): statutory staff may appeal ``onvoldoende`` or ``loopbaanvertraging``
within ``policy.appeal_days`` calendar days after the report was delivered, the day of
delivery not counted (15 in Flanders), to ``policy.appeal_body``. Federal (BOSA,
"Beroep" [b6]): statutory and contract staff, within 20 working days.
"""

import datetime as dt

from koers.organisation.models import EmploymentStatus, Person
from koers.organisation.rules import public_holidays
from koers.rulebook.presets import Policy
from koers.rulebook.verdicts import NEGATIVE_VERDICTS

# PLOEG, Prestatiemanagement: the verdicts statutory staff may appeal.
APPEALABLE_VERDICTS = NEGATIVE_VERDICTS


def appeal_due(policy: Policy, delivered_on: dt.date) -> dt.date | None:
    """The last day to appeal: ``appeal_days`` days after delivery, the day of delivery
    not counted; calendar days, or working days where the policy counts those ([b6]: a
    Saturday, a Sunday or a public holiday of the regime's region is no working day).
    ``None`` where the policy has no appeal."""
    if policy.appeal_days is None:
        return None
    if not policy.appeal_working_days:
        return delivered_on + dt.timedelta(days=policy.appeal_days)
    day, counted = delivered_on, 0
    while counted < policy.appeal_days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in public_holidays(policy.preset, day.year):
            counted += 1
    return day


def appeal_open_to(person: Person, policy: Policy) -> bool:
    """Statutory staff may appeal; contract staff where the policy says so ([b6])."""
    return (person.employment_status == EmploymentStatus.STATUTORY
            or policy.appeal_contract_staff)


def may_appeal(person: Person, verdict: str, policy: Policy) -> bool:
    """Whether this person could appeal this verdict at all (term aside)."""
    return (policy.appeal_days is not None
            and appeal_open_to(person, policy)
            and verdict in APPEALABLE_VERDICTS)
