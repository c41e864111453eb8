"""Mediation when the employee and their manager disagree (Dutch municipalities).

Gemeente Heemstede, regeling "Cyclus van jaargesprekken", question 6 ("Wat moet je doen
als er een verschil van mening is en blijft tijdens één van de gesprekken?"): "Mocht je
er toch niet met elkaar uitkomen, dan kan altijd de naast-hogere leidinggevende of een
onafhankelijk iemand als de P&O-adviseur worden ingeschakeld. Mocht er dan nog geen
oplossing zijn, dan kan er desgewenst worden teruggevallen op het houden van een
beoordelingsgesprek waarbij een formeel bezwaar mogelijk is."

So: the employee asks one of two mediators, the outcome is recorded, and when they still
do not agree the formal assessment (with its objection, ``rulebook.appeals``) is the last
resort. Koers reads the next-higher manager as the employee's 2nd evaluator (the 1st
evaluator's own manager, ``organisation.evaluators``) and the P&O adviser as HR of the
nearest unit up the tree (``cycles.responsible.nearest_hr``). The policy's
``disagreement_mediation`` turns the route on (the Dutch preset does).
"""

from koers.rulebook.appeals import Source
from koers.rulebook.presets import Policy

MEDIATION_SOURCE = Source(
    'Gemeente Heemstede, regeling "Cyclus van jaargesprekken", vraag 6',
    "https://lokaleregelgeving.overheid.nl/",
)

# The two mediators the regulation names, in its order (values of
# ``conversations.states.MediatorKind``).
MEDIATORS = ("next_manager", "hr_adviser")


def mediation_offered(policy: Policy) -> bool:
    """The employee may ask for mediation in a disagreement."""
    return policy.disagreement_mediation


def last_resort_offered(policy: Policy) -> bool:
    """After a mediation without agreement, the formal assessment is the last resort."""
    return policy.disagreement_mediation and policy.formal_assessment
