"""What an evaluation's rules refuse names the roles in the words of the record's regime
(``rulebook.terms``): "leidinggevende" and "naast-hogere leidinggevende" in a Dutch
municipality (Gemeente Heemstede, "Cyclus van jaargesprekken"), "evaluator" and
"hiërarchische meerdere" in the federal administration (BOSA, "Evaluatie —
betrokkenen"), "1ste evaluator" and "2de evaluator" in Flanders (PLOEG)."""

import datetime as dt
from dataclasses import replace

import pytest

from koers.evaluations import rules, services
from koers.evaluations.states import EvaluationKind, EvaluationState, Role, WrongRole
from koers.organisation.models import PolicyPreset
from koers.rulebook.presets import DUTCH_MUNICIPAL, FEDERAL, FLEMISH
from tests import personas
from tests.factories import evaluations as ev
from tests.factories.evaluations import viewer

pytestmark = pytest.mark.django_db

D = dt.date
S = EvaluationState


@pytest.mark.parametrize(("policy", "second"), [
    (FLEMISH, "2de evaluator"), (FEDERAL, "hiërarchische meerdere")])
def test_the_hand_over_names_the_second_signer_in_the_regime_words(policy, second):
    waiting = rules.handover_error(policy, kind=EvaluationKind.ANNUAL, year=2025,
                                   self_submitted_on=D(2025, 12, 11),
                                   first_signed_on=D(2025, 12, 10), today=D(2025, 12, 10))
    none_yet = rules.handover_error(replace(policy, handover_without_self_evaluation_from=None),
                                    kind=EvaluationKind.ANNUAL, year=2025,
                                    self_submitted_on=None, first_signed_on=D(2025, 12, 10),
                                    today=D(2025, 12, 10))

    assert waiting is not None
    assert waiting.startswith(f"De taak van de {second} start op ")
    assert none_yet == (f"De taak van de {second} start wanneer de zelfevaluatie "
                        "ingediend is.")


@pytest.mark.parametrize(("policy", "second"), [
    (FLEMISH, "2de evaluator"), (FEDERAL, "hiërarchische meerdere"),
    (replace(DUTCH_MUNICIPAL, second_signature_required=True), "naast-hogere leidinggevende"),
])
def test_no_second_signer_is_named_in_the_regime_words(policy, second):
    assert rules.second_evaluator_error(policy, has_second_evaluator=False) == (
        f"Deze medewerker heeft geen {second} om het verslag aan door te geven: HR stelt er "
        "eerst een in.")


@pytest.mark.parametrize(("policy", "first"), [
    (FLEMISH, "1ste evaluator"), (FEDERAL, "evaluator")])
def test_who_writes_the_report_is_named_in_the_regime_words(policy, first):
    error = rules.report_author_error(policy, kind=EvaluationKind.ANNUAL, roles={Role.EMPLOYEE})
    assert error == f"De {first} schrijft het verslag."


def test_a_dutch_employee_hears_the_manager_opens_the_probation_assessment():
    p = personas.build()
    p.employee.probation_end_date = D(2025, 12, 31)
    p.employee.save(update_fields=["probation_end_date"])
    c = ev.cast(p, preset=PolicyPreset.DUTCH_MUNICIPAL)

    with ev.on(D(2025, 9, 1)), pytest.raises(WrongRole) as refused:
        services.evaluation_open(actor=viewer(c.employee), person=c.employee,
                                 kind=EvaluationKind.PROBATION)

    assert refused.value.message == (
        "Alleen de leidinggevende of HR opent een evaluatie van de proeftijd.")
