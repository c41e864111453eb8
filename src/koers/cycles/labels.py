"""What the steps of the cycle and the roles that act on them are called in the UI."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.rulebook.deadlines import Due
from koers.rulebook.terms import Terms, terms_for

STEP_LABELS: dict[Due, Promise] = {
    Due.PLANNING: _("Planning conversation"),
    Due.HALFWAY_PROGRESS: _("Progress conversation halfway"),
    Due.EVALUATION_WINDOW_OPENS: _("Evaluation period opens"),
    Due.SELF_EVALUATION: _("Self-evaluation"),
    Due.EVALUATION: _("Evaluation conversation"),
    Due.FIRST_SIGNATURE: _("Signature of the 1st evaluator"),
    Due.SECOND_SIGNATURE: _("Signature of the 2nd evaluator"),
    Due.EVALUATION_LAPSES: _("Evaluation lapses"),
    Due.PROBATION_ASSESSMENT: _("Probation assessment"),
}

ROLE_LABELS: dict[str, Promise] = {
    "employee": _("employee"),
    "hr": _("HR"),
}
# The evaluators' roles are named by the regime (``rulebook.terms``).
REGIME_ROLES = {"first_evaluator": "first_evaluator", "second_evaluator": "second_evaluator"}


# The signature steps name the signer: in the words of the regime (``rulebook.terms``).
# So does the probation's assessment: a federal stage's is the assessment of the stage.
REGIME_STEPS = {Due.FIRST_SIGNATURE: "first_signature", Due.SECOND_SIGNATURE: "second_signature",
                Due.PROBATION_ASSESSMENT: "probation_assessment"}


def step_label(code: str, preset: str | None = None) -> str:
    """What the step ``code`` is called, in the words of the regime ``preset`` names."""
    try:
        due = Due(code)
    except ValueError:
        return code
    if due in REGIME_STEPS:
        return str(getattr(terms_for(preset), REGIME_STEPS[due]))
    return str(STEP_LABELS[due])


def step_labels(preset: str | None) -> dict[Due, str]:
    """Every step's label in the words of the regime ``preset`` names."""
    return {due: step_label(due, preset) for due in STEP_LABELS}


def role_label(code: str, preset: str | None = None) -> str:
    """What the role ``code`` is called, in the words of the regime ``preset`` names."""
    if code in REGIME_ROLES:
        terms: Terms = terms_for(preset)
        return str(getattr(terms, REGIME_ROLES[code]))
    label = ROLE_LABELS.get(code)
    return code if label is None else str(label)
