"""Consequences of a delivered evaluation: salary-step decisions, appeals, objections.

- ``SalaryDecision``: the management body's step 0, 1 or 2 for a person in the
  evaluation-based salary system, one per annual evaluation (Prestatiemanagement). Decisions taken
  together share a ``SalaryDecisionBatch``, which carries the one audit event that lists
  them all (docs/consequences.md).
- ``Appeal`` (beroep): a statutory employee's appeal against ``onvoldoende`` or
  ``loopbaanvertraging`` to the appeal board; HR records the hearing and the outcome.
  The signed report is never changed: the outcome says whether the verdict now counts
  as ``voldoende`` (``rules.effective_verdict``).
- ``SalaryObjection`` (tegenspraak): the employee's objection to a step-0 decision; the
  advisory body's non-binding advice and the management body's final decision.
- ``CaseFileRead``: every read of a case file by a member of a body, which the employee
  sees, like HR's reads under a granted request.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koers.consequences.states import AppealOutcome, AppealState, ObjectionState
from koers.evaluations.models import Evaluation, EvaluationReport
from koers.organisation.models import Organisation, Person
from koers.organisation.models import Role as GrantRole
from koers.rulebook.verdicts import Verdict

STEPS = (0, 1, 2)  # salaristrap 0 (onder), 1 (conform), 2 (boven verwachtingen)


class SalaryDecisionBatch(models.Model):
    """Decisions the management body took in one go (one audit event for all of them)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("salary decisions taken together")
        verbose_name_plural = _("salary decisions taken together")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.decided_at:%Y-%m-%d} ({self.count})"


class SalaryDecision(models.Model):
    """The management body's salary step for one annual evaluation (salaristrap)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT,
                                      related_name="salary_decision")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="salary_decisions",
                               verbose_name=_("employee"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The verdict the decision rests on: the report's, or ``voldoende`` after an appeal
    # that changed it.
    verdict = models.CharField(_("verdict"), max_length=32)
    step = models.PositiveSmallIntegerField(_("salary step"))
    batch = models.ForeignKey(SalaryDecisionBatch, on_delete=models.PROTECT,
                              related_name="decisions")
    decided_on = models.DateField(_("decided on"))  # in the organisation's time zone
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("salary decision")
        verbose_name_plural = _("salary decisions")
        ordering: ClassVar[list[str]] = ["-decided_on", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(step__in=STEPS), name="salary_step_known"),
            # Prestatiemanagement: an onvoldoende always gives step 0.
            models.CheckConstraint(condition=~Q(verdict=Verdict.ONVOLDOENDE) | Q(step=0),
                                   name="salary_onvoldoende_is_step_0"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The management body's decided list, newest first, per organisation.
            models.Index(fields=["organisation", "-decided_on"], name="salary_decision_org"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.step}"


class Appeal(models.Model):
    """A statutory employee's appeal against a verdict, to the appeal board (beroep)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="appeals")
    report = models.ForeignKey(EvaluationReport, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appeals",
                               verbose_name=_("employee"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict appealed"), max_length=32)
    grounds = models.TextField(_("grounds"))  # the appeal must be reasoned [f3]
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=AppealState.choices,
                             default=AppealState.FILED)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    hearing_notes = models.TextField(_("notes of the hearing"), blank=True)
    # The evaluation commission's advice, where the policy has one ([b6][b7]).
    advice = models.CharField(_("advice"), max_length=16, choices=AppealOutcome.choices,
                              blank=True)
    advised_on = models.DateField(_("advised on"), null=True, blank=True)
    advice_remarks = models.TextField(_("remarks on the advice"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AppealOutcome.choices,
                               blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_remarks = models.TextField(_("remarks on the decision"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering: ClassVar[list[str]] = ["-filed_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["evaluation"], name="one_appeal_per_evaluation"),
            models.CheckConstraint(condition=Q(state__in=AppealState.values),
                                   name="appeal_state_known"),
            models.CheckConstraint(condition=~Q(grounds=""), name="appeal_has_grounds"),
            models.CheckConstraint(
                condition=Q(verdict__in=[Verdict.ONVOLDOENDE, Verdict.LOOPBAANVERTRAGING]),
                name="appeal_against_a_negative_verdict"),
            # Decided exactly when an outcome and its day are recorded.
            models.CheckConstraint(
                condition=(Q(state=AppealState.DECIDED) & ~Q(outcome="")
                           & Q(decided_on__isnull=False))
                | (~Q(state=AppealState.DECIDED) & Q(outcome="") & Q(decided_on__isnull=True)),
                name="appeal_decided_has_outcome"),
            models.CheckConstraint(
                condition=~Q(state=AppealState.HEARD) | Q(hearing_on__isnull=False),
                name="appeal_heard_has_day"),
            # An advice is recorded with its day, and only after a hearing.
            models.CheckConstraint(
                condition=(Q(advice="") & Q(advised_on__isnull=True))
                | (~Q(advice="") & Q(advised_on__isnull=False)
                   & Q(hearing_on__isnull=False)),
                name="appeal_advice_has_day"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The appeal board's list: the organisation's appeals before it.
            models.Index(fields=["organisation", "state"], name="appeal_org_state"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.verdict} ({self.state})"


class SalaryObjection(models.Model):
    """The employee's objection to a step-0 salary decision (tegenspraak, Prestatiemanagement)."""

    decision = models.ForeignKey(SalaryDecision, on_delete=models.PROTECT,
                                 related_name="objections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="salary_objections",
                               verbose_name=_("employee"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    grounds = models.TextField(_("grounds"))
    filed_at = models.DateTimeField(_("filed at"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=ObjectionState.choices,
                             default=ObjectionState.FILED)
    # The advisory body's advice: non-binding, recorded as given.
    advice = models.TextField(_("advice"), blank=True)
    advised_step = models.PositiveSmallIntegerField(_("advised step"), null=True, blank=True)
    advised_on = models.DateField(_("advised on"), null=True, blank=True)
    advised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    # The management body's final decision.
    final_step = models.PositiveSmallIntegerField(_("final salary step"), null=True, blank=True)
    final_remarks = models.TextField(_("reasons of the final decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("objection to a salary decision")
        verbose_name_plural = _("objections to salary decisions")
        ordering: ClassVar[list[str]] = ["-filed_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["decision"], name="one_objection_per_decision"),
            models.CheckConstraint(condition=Q(state__in=ObjectionState.values),
                                   name="objection_state_known"),
            models.CheckConstraint(condition=~Q(grounds=""), name="salary_objection_has_grounds"),
            models.CheckConstraint(
                condition=Q(advised_step__isnull=True) | Q(advised_step__in=STEPS),
                name="objection_advised_step_known"),
            models.CheckConstraint(
                condition=Q(final_step__isnull=True) | Q(final_step__in=STEPS),
                name="objection_final_step_known"),
            # Advised and decided carry what was advised and decided.
            models.CheckConstraint(
                condition=Q(state=ObjectionState.FILED)
                | (~Q(advice="") & Q(advised_on__isnull=False)),
                name="objection_advice_recorded"),
            models.CheckConstraint(
                condition=(Q(state=ObjectionState.DECIDED) & Q(final_step__isnull=False)
                           & Q(decided_on__isnull=False))
                | (~Q(state=ObjectionState.DECIDED) & Q(final_step__isnull=True)),
                name="objection_decided_has_step"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The advisory and management bodies' lists.
            models.Index(fields=["organisation", "state"], name="objection_org_state"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.state})"


class CaseFileRead(models.Model):
    """One read of a case file by a member of a body; the employee sees these."""

    reader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("read by"))
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_file_reads",
                                verbose_name=_("about"))
    role = models.CharField(_("as"), max_length=20, choices=GrantRole.choices)
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="reads")
    objection = models.ForeignKey(SalaryObjection, on_delete=models.CASCADE, null=True,
                                  blank=True, related_name="reads")
    record_label = models.CharField(_("what"), max_length=300)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("case file read")
        verbose_name_plural = _("case file reads")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(appeal__isnull=True, objection__isnull=False)
                | Q(appeal__isnull=False, objection__isnull=True),
                name="case_file_read_names_one_case"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # "Who read my file": a person's reads, newest first.
            models.Index(fields=["subject", "-read_at"], name="case_file_read_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} → {self.record_label}"


class UnfitnessDecision(models.TextChoices):
    START = "start", _("the procedure for professional unfitness starts")
    NOT_NOW = "not_now", _("no procedure now")


class UnfitnessReview(models.Model):
    """HR's answer to the flag of two ``onvoldoende`` within the policy's years (federal,
    [b2][b8]): the decision stays a person's, Koers records it and the flag goes."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT,
                                      related_name="unfitness_review")  # the second one
    earlier = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    worked_days = models.PositiveIntegerField(_("days actually worked in between"))
    decision = models.CharField(_("decision"), max_length=16,
                                choices=UnfitnessDecision.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("review of possible professional unfitness")
        verbose_name_plural = _("reviews of possible professional unfitness")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(decision__in=UnfitnessDecision.values),
                                   name="unfitness_decision_known"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.decision}"
