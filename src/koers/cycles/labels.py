"""What the steps of the cycle and the roles that act on them are called in the UI."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.rulebook.deadlines import Due

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
    "first_evaluator": _("1st evaluator"),
    "second_evaluator": _("2nd evaluator"),
    "hr": _("HR"),
}


def step_label(code: str) -> str:
    try:
        return str(STEP_LABELS[Due(code)])
    except ValueError:
        return code


def role_label(code: str) -> str:
    label = ROLE_LABELS.get(code)
    return code if label is None else str(label)
