"""A refusal about a person's goal names their 1st evaluator in the words of the owner's
regime (``rulebook.terms``): "leidinggevende" in a Dutch municipality (Gemeente
Heemstede, "Cyclus van jaargesprekken"), "evaluator" in the federal administration
(BOSA, "Evaluatie — betrokkenen"), "1ste evaluator" in Flanders (PLOEG)."""

import pytest

from koers.core.errors import ValidationFailed
from koers.goals import services
from koers.goals.states import GoalStatus
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import goals
from tests.factories.goals import viewer

pytestmark = pytest.mark.django_db

FIRST = pytest.mark.parametrize(("preset", "first"), [
    (PolicyPreset.FLEMISH, "1ste evaluator"),
    (PolicyPreset.FEDERAL, "evaluator"),
    (PolicyPreset.DUTCH_MUNICIPAL, "leidinggevende"),
])


def _people(preset: str) -> personas.Personas:
    p = personas.build()
    organisation = p.employee.organisation
    organisation.policy_preset = preset
    organisation.save(update_fields=["policy_preset"])
    return p


@FIRST
def test_a_change_by_the_second_evaluator_is_refused_in_the_regime_words(preset, first):
    p = _people(preset)
    goal = goals.agreed(p.employee, p.manager)

    with pytest.raises(ValidationFailed) as refused:
        services.goal_set_status(actor=viewer(p.department.manager), goal=goal,
                                 status=GoalStatus.CANCELLED, reason="Not needed.")

    assert refused.value.message == (
        f"Alleen de medewerker en de {first} wijzigen deze doelstelling.")


@FIRST
def test_a_proposal_by_someone_else_is_refused_in_the_regime_words(preset, first):
    p = _people(preset)

    with pytest.raises(ValidationFailed) as refused:
        goals.proposed(p.employee, by=p.colleague)

    assert refused.value.message == (
        f"Alleen de medewerker en de {first} stellen doelstellingen voor.")


@FIRST
def test_the_employee_hears_who_judges_the_result_in_the_regime_words(preset, first):
    p = _people(preset)
    goal = goals.agreed(p.employee, p.manager)

    with pytest.raises(ValidationFailed) as refused:
        services.goal_set_status(actor=viewer(p.employee), goal=goal,
                                 status=GoalStatus.ACHIEVED)

    assert refused.value.message == f"Je {first} beslist dit; vraag het hem of haar."
    assert goal.status == GoalStatus.AGREED
