"""A refusal about a development plan or a preparation names the 1st evaluator in the
words of the employee's regime (``rulebook.terms``): "leidinggevende" in a Dutch
municipality (Gemeente Heemstede, "Cyclus van jaargesprekken"), "evaluator" in the
federal administration (BOSA, "Evaluatie — betrokkenen"), "1ste evaluator" in Flanders
(PLOEG); the employee and the 1st evaluator agree the plan (POP guide)."""

import pytest

from koers.core.errors import ValidationFailed
from koers.development.models import DevelopmentPlan, ManagerPreparation
from koers.development.services import plans, preparations
from koers.development.states import PlanStatus
from koers.organisation.models import PolicyPreset
from tests import personas
from tests.factories import development as dev
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
    dev.seeded(organisation)
    return p


@FIRST
def test_the_second_evaluator_starts_no_plan_and_hears_who_does(preset, first):
    p = _people(preset)

    with pytest.raises(ValidationFailed) as refused:
        plans.plan_create(actor=viewer(p.department.manager), employee=p.employee)

    assert refused.value.message == f"Enkel de medewerker en de {first} beginnen een plan."
    assert not DevelopmentPlan.objects.exists()


@FIRST
def test_the_second_evaluator_changes_no_plan_and_hears_who_does(preset, first):
    p = _people(preset)
    plan = dev.draft(p.employee, p.manager)

    with pytest.raises(ValidationFailed) as refused:
        plans.plan_remarks_set(actor=viewer(p.department.manager), plan=plan,
                               remarks="Meer opleiding.")

    assert refused.value.message == f"Enkel de medewerker en de {first} wijzigen het plan."


@FIRST
def test_the_employee_closes_no_plan_and_hears_who_does(preset, first):
    p = _people(preset)
    plan = dev.signed(p.employee, p.manager)

    with pytest.raises(ValidationFailed) as refused:
        plans.plan_close(actor=viewer(p.employee), plan=plan)

    assert refused.value.message == f"De {first} sluit het plan af."
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED


@FIRST
def test_only_the_first_evaluator_prepares_the_conversation_in_the_regime_words(preset, first):
    p = _people(preset)

    with pytest.raises(ValidationFailed) as refused:
        preparations.manager_preparation_start(actor=viewer(p.department.manager),
                                               employee=p.employee)

    assert refused.value.message == (
        f"Enkel de {first} bereidt het gesprek over een medewerker voor.")
    assert not ManagerPreparation.objects.exists()
