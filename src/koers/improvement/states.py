"""The states of a personal improvement plan (persoonlijk verbeterplan) and who signs it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("being agreed")  # in opmaak
    RUNNING = "running", _("running")  # loopt
    MET = "met", _("met")  # doelen bereikt
    NOT_MET = "not_met", _("not met")  # doelen niet bereikt
    CANCELLED = "cancelled", _("cancelled")  # geannuleerd


S = PlanStatus

# The transitions the services make, and nothing else (tests/improvement/test_states.py).
ALLOWED: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.RUNNING, S.CANCELLED}),
    S.RUNNING: frozenset({S.MET, S.NOT_MET}),
    S.MET: frozenset(),
    S.NOT_MET: frozenset(),
    S.CANCELLED: frozenset(),
}

# At most one plan of a person in these states (improvement_plan_one_open).
OPEN_GROUP = frozenset({S.DRAFT, S.RUNNING})
# Signed by both and sealed: the content never changes.
SEALED_GROUP = frozenset({S.RUNNING, S.MET, S.NOT_MET})
# Decided at the end: met or not met, with the motivation.
DECIDED_GROUP = frozenset({S.MET, S.NOT_MET})


class SignerRole(models.TextChoices):
    EMPLOYEE = "employee", _("employee")
    EVALUATOR = "evaluator", _("evaluator")
