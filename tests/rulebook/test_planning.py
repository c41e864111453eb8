"""Who signs the year's planning, and in which order (``rulebook.planning``).

Vlaamse overheid, "PLOEG-gesprekken"
(https://overheid.vlaanderen.be/personeel/loopbaan/ploeg-gesprekken): the planning is
signed "voor akkoord" by the employee and the 1st evaluator, and the 2nd evaluator
signs it too. The order between the employee and the 1st evaluator is open (our choice:
either), the 2nd signs after both and completes it."""

import pytest

from koers.organisation.models import PolicyPreset
from koers.rulebook.planning import PlanningSigner, planning_signing

E, F, S = (PlanningSigner.EMPLOYEE, PlanningSigner.FIRST_EVALUATOR,
           PlanningSigner.SECOND_EVALUATOR)


def test_flemish_planning_is_signed_by_the_employee_the_first_and_the_second_evaluator():
    """PLOEG-gesprekken: employee + 1st evaluator "voor akkoord", the 2nd signs too."""
    signing = planning_signing(PolicyPreset.FLEMISH)

    assert signing is not None
    assert set(signing.signers) == {E, F, S}
    assert signing.last == S


@pytest.mark.parametrize(("signed", "next_signers"), [
    (set(), (E, F)),  # either may start
    ({E}, (F,)),
    ({F}, (E,)),
    ({E, F}, (S,)),  # the 2nd evaluator signs once both have
    ({E, F, S}, ()),
])
def test_the_employee_and_the_first_evaluator_sign_in_either_order_then_the_second(
        signed, next_signers):
    signing = planning_signing(PolicyPreset.FLEMISH)
    assert signing is not None

    assert signing.next_signers(signed) == next_signers
    assert signing.complete(signed) == (signed == {E, F, S})


def test_the_second_evaluators_signature_alone_completes_nothing():
    signing = planning_signing(PolicyPreset.FLEMISH)
    assert signing is not None

    assert not signing.complete({S})
    assert not signing.complete({E, F})


@pytest.mark.parametrize("preset", [PolicyPreset.FEDERAL, PolicyPreset.DUTCH_MUNICIPAL, None])
def test_other_regimes_sign_no_planning(preset):
    """Federal and Dutch goals are agreed one by one; no planning signature exists there."""
    assert planning_signing(preset) is None
