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
from dataclasses import dataclass

from koers.organisation.models import EmploymentStatus, Person
from koers.organisation.rules import public_holidays
from koers.rulebook.presets import Policy
from koers.rulebook.verdicts import NEGATIVE_VERDICTS

# PLOEG, Prestatiemanagement: the verdicts statutory staff may appeal.
APPEALABLE_VERDICTS = NEGATIVE_VERDICTS


# The terms of the procedure after the appeal, with their public sources. Flanders:
# Vlaams personeelsstatuut, Deel IV, hoofdstuk 3-4 and "Raad van beroep"
# (https://overheid.vlaanderen.be/BVR_Deel04-h3-h4,
# https://overheid.vlaanderen.be/raadvanberoep): the appeal board gives its advice within
# 30 calendar days of the appeal. Federal: fedweb, "Beroepen"
# (https://fedweb.belgium.be/nl/evaluatie/evaluatiecyclus_voor_personeelsleden/beroepen):
# the leidend ambtenaar informs the evaluatee of the decision within 20 working days of
# the evaluation commission's advice; like every term of the royal decree but the
# appeal's own, an indicative one. The hearing, and the commission's advice, have no term
# in these sources: they show their day once it is known.
@dataclass(frozen=True)
class Source:
    """A public source of a term: its public title, and its address. The pages link the
    title to the address; the API and the files give both as one text (``str``)."""

    title: str
    url: str

    def __str__(self) -> str:
        return f"{self.title} ({self.url})"


BOARD_DECISION_DAYS = 30
BOARD_DECISION_SOURCE = Source("Vlaams personeelsstatuut, Deel IV; Raad van beroep",
                               "https://overheid.vlaanderen.be/raadvanberoep")
COMMISSION_DECISION_WORKING_DAYS = 20
COMMISSION_DECISION_SOURCE = Source(
    "FOD BOSA, Beroep; fedweb, Beroepen",
    "https://fedweb.belgium.be/nl/evaluatie/evaluatiecyclus_voor_personeelsleden/beroepen")
APPEAL_SOURCE_FLEMISH = Source("Vlaams personeelsstatuut, Deel IV",
                               "https://overheid.vlaanderen.be/BVR_Deel04-h3-h4")
APPEAL_SOURCE_FEDERAL = Source(
    "FOD BOSA, Beroep",
    "https://bosa.belgium.be/nl/themas/werken-bij-de-overheid/loopbaan-en-statuut/"
    "evaluatie/contractuelen-en-statutairen/beroep")

def _working_days_after(preset: str, start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start``, ``start`` not counted ([b6]: a Saturday, a
    Sunday or a public holiday of the regime's region is no working day)."""
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in public_holidays(preset, day.year):
            counted += 1
    return day


def appeal_due(policy: Policy, delivered_on: dt.date) -> dt.date | None:
    """The last day to appeal: ``appeal_days`` days after delivery, the day of delivery
    not counted; calendar days, or working days where the policy counts those ([b6]).
    ``None`` where the policy has no appeal."""
    if policy.appeal_days is None:
        return None
    if not policy.appeal_working_days:
        return delivered_on + dt.timedelta(days=policy.appeal_days)
    return _working_days_after(policy.preset, delivered_on, policy.appeal_days)


def appeal_source(policy: Policy) -> Source:
    """The public source of the term to appeal under this policy."""
    return APPEAL_SOURCE_FEDERAL if policy.appeal_working_days else APPEAL_SOURCE_FLEMISH


def decision_due(policy: Policy, *, filed_on: dt.date,
                 advised_on: dt.date | None) -> tuple[dt.date | None, Source | None]:
    """The term of the decision on an appeal and its source. Where the appeal board
    decides (Flanders): 30 calendar days after the appeal. Where an evaluation commission
    advises first (federal): 20 working days after its advice, unknown before it.
    ``(None, None)`` where no term is known yet."""
    if policy.appeal_days is None:
        return None, None
    if not policy.appeal_commission_advises:
        return filed_on + dt.timedelta(days=BOARD_DECISION_DAYS), BOARD_DECISION_SOURCE
    if advised_on is None:
        return None, None
    return (_working_days_after(policy.preset, advised_on, COMMISSION_DECISION_WORKING_DAYS),
            COMMISSION_DECISION_SOURCE)


def appeal_open_to(person: Person, policy: Policy) -> bool:
    """Statutory staff may appeal; contract staff where the policy says so ([b6])."""
    return (person.employment_status == EmploymentStatus.STATUTORY
            or policy.appeal_contract_staff)


def may_appeal(person: Person, verdict: str, policy: Policy) -> bool:
    """Whether this person could appeal this verdict at all (term aside)."""
    return (policy.appeal_days is not None
            and appeal_open_to(person, policy)
            and verdict in APPEALABLE_VERDICTS)


# The objection to a Dutch formal or probation assessment (Heemstede, "Cyclus van
# jaargesprekken": "bezwaar is mogelijk") follows the Algemene wet bestuursrecht
# (https://wetten.overheid.nl/BWBR0005537): the term to object is six weeks (art. 6:7),
# starting the day after the assessment was handed to the employee (art. 6:8; the signed
# assessment, Rechtbank Amsterdam 18 February 2022, ECLI:NL:RBAMS:2022:678), and the body
# decides within six weeks after that term ended, or twelve when an advisory objection
# committee (art. 7:13) hears it first (art. 7:10 lid 1: the policy's
# ``objection_committee``); it may postpone once by six weeks, which Koers does not know.
OBJECTION_WEEKS = 6
OBJECTION_SOURCE = Source("Algemene wet bestuursrecht, art. 6:7 en 6:8",
                          "https://wetten.overheid.nl/BWBR0005537")
OBJECTION_DECISION_WEEKS = 6
OBJECTION_COMMITTEE_DECISION_WEEKS = 12
OBJECTION_DECISION_SOURCE = Source("Algemene wet bestuursrecht, art. 7:10",
                                   "https://wetten.overheid.nl/BWBR0005537")


# An objection filed after the term is still received: it is not inadmissible when the
# delay cannot reasonably be held against the objector (art. 6:11), which the body that
# decides judges. Koers records it and says that it came late.
LATE_OBJECTION_SOURCE = "Algemene wet bestuursrecht, art. 6:11"


def assessment_objection_due(delivered_on: dt.date) -> dt.date:
    """The last day to object to an assessment handed over on ``delivered_on``."""
    return delivered_on + dt.timedelta(weeks=OBJECTION_WEEKS)


def assessment_objection_late(delivered_on: dt.date, filed_on: dt.date) -> bool:
    """Whether an objection filed on ``filed_on`` came after the term to object."""
    return filed_on > assessment_objection_due(delivered_on)


def assessment_objection_decision_due(delivered_on: dt.date, *, committee: bool) -> dt.date:
    """The last day of the decision on an objection to an assessment handed over on
    ``delivered_on``: six weeks after the term to object ended, twelve when an advisory
    objection committee hears it."""
    weeks = OBJECTION_COMMITTEE_DECISION_WEEKS if committee else OBJECTION_DECISION_WEEKS
    return assessment_objection_due(delivered_on) + dt.timedelta(weeks=weeks)
