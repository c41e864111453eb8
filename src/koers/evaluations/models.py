"""The evaluation: self-evaluation, the versioned report with its verdict, sealed signatures.

A report version (``EvaluationReport``) is editable while it has no signature; the first
signature freezes it. A correction opens the next version, which must be signed again;
the earlier versions and their signatures stay, so the history shows both. Each
``Signature`` stores the SHA-256 seal of the canonical serialisation of exactly what was
signed (``evaluations.seals``); ``koers verify-report`` recomputes them.
"""

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation
from koers.core import languages
from koers.cycles.models import Participation
from koers.evaluations.states import EvaluationKind, EvaluationState, ObjectionOutcome, Role
from koers.goals.models import Goal
from koers.organisation.models import Person
from koers.rulebook.probation import ProbationReason
from koers.rulebook.stage import StageOutcome
from koers.rulebook.terms import period_name


class FormalReason(models.TextChoices):
    """Why a Dutch formal assessment is held (Heemstede: only on request or for a decision)."""

    EMPLOYEE_REQUEST = "employee_request", _("at the employee's request")
    MANAGER_REQUEST = "manager_request", _("at the manager's request")
    NEGATIVE_DECISION = "negative_decision", _("to support a negative legal decision")


class Probation(models.Model):
    """A Flemish probation (proeftijd, [f21]): why, from when, how many months, the
    mentor, and the days that are no working days; the end is computed from them
    (``rulebook.probation.probation_end``, [f18]) and kept with them. Its evaluation is
    an ``Evaluation`` of kind probation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="probations",
                               verbose_name=_("employee"))
    reason = models.CharField(_("why"), max_length=32, choices=ProbationReason.choices)
    starts_on = models.DateField(_("starts on"))
    months = models.PositiveSmallIntegerField(_("months"))
    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("mentor"))
    # Days not worked that are no working days ([f18]: they move the end), as ISO dates;
    # the public holidays of the region are added when the end is computed.
    absences = models.JSONField(_("days not worked"), default=list, blank=True)
    ends_on = models.DateField(_("computed end"))
    # The federal stage ([b12][b13]): the commission's extension (months added to the
    # computed end, on the day it was recorded) and how the stage ended (appointment or
    # dismissal; for a dismissal, whether for a serious fault, without notice).
    extension_months = models.PositiveSmallIntegerField(_("extension (months)"), null=True,
                                                        blank=True)
    extended_on = models.DateField(_("extended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, blank=True,
                               choices=StageOutcome.choices)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    serious_fault = models.BooleanField(_("serious fault"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("probation")
        verbose_name_plural = _("probations")
        ordering: ClassVar[list[str]] = ["-starts_on", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="probation_period_order"),
            models.CheckConstraint(condition=Q(reason__in=ProbationReason.values),
                                   name="probation_reason_known"),
            models.UniqueConstraint(fields=["person", "starts_on"],
                                    name="one_probation_a_start"),
            # [b13]: a stage ends in an appointment or a dismissal (an extension is its
            # own fields), recorded with its day.
            models.CheckConstraint(
                condition=Q(outcome="", decided_on__isnull=True)
                | Q(outcome__in=[StageOutcome.APPOINT, StageOutcome.DISMISS],
                    decided_on__isnull=False),
                name="probation_outcome_with_its_day"),
            models.CheckConstraint(
                condition=Q(extension_months__isnull=True, extended_on__isnull=True)
                | Q(extension_months__gte=1, extended_on__isnull=False),
                name="probation_extension_with_its_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.starts_on}"

    @property
    def absence_days(self) -> list[dt.date]:
        return sorted(dt.date.fromisoformat(day) for day in self.absences)


class Evaluation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="evaluations",
                               verbose_name=_("employee"))
    participation = models.ForeignKey(
        Participation, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="evaluations",
    )
    # The name as it stood when the evaluation was opened (refreshed until the first
    # signature): it is part of what is signed, and names change.
    person_name = models.CharField(_("name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=EvaluationKind.choices,
                            default=EvaluationKind.ANNUAL)
    state = models.CharField(_("state"), max_length=24, choices=EvaluationState.choices,
                             default=EvaluationState.DRAFT)
    # The evaluators when the evaluation was opened, refreshed while it is a draft.
    first_evaluator = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("1st evaluator"),
    )
    second_evaluator = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("2nd evaluator"),
    )
    policy_version = models.CharField(max_length=64)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    # Held in writing because an oral conversation is impossible [f2].
    written_procedure = models.BooleanField(_("written procedure"), default=False)
    draft_sent_on = models.DateField(null=True, blank=True)
    draft_remarks = models.TextField(_("remarks on the draft"), blank=True)
    draft_remarks_on = models.DateField(null=True, blank=True)
    draft_verdict = models.CharField(max_length=32, blank=True)  # as it stood in the draft
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("evaluation conversation"),
    )
    # Self-evaluation: private to the employee until submitted, then part of the report.
    self_evaluation = models.TextField(_("self-evaluation"), blank=True)
    self_evaluation_submitted_at = models.DateTimeField(null=True, blank=True)
    self_evaluation_revision = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    employee_signature_due = models.DateField(null=True, blank=True)
    # Advanced evaluation after onvoldoende: the earliest day, fixed when the employee
    # takes note, and the evaluation it leads to / comes from.
    advanced_evaluation_earliest = models.DateField(null=True, blank=True)
    follows = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="followed_by")
    due_on = models.DateField(_("planned for"), null=True, blank=True)
    # Dutch formal assessment (004).
    formal_reason = models.CharField(_("reason"), max_length=24, choices=FormalReason.choices,
                                     blank=True)
    improvement_conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("progress conversation with improvement points"),
    )
    # The Flemish probation a probation evaluation closes (none for the Dutch probation
    # assessment, which hangs on the appointment's end).
    probation = models.ForeignKey(Probation, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="evaluations", verbose_name=_("probation"))
    closed_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering: ClassVar[list[str]] = ["-period_end", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(state__in=EvaluationState.values),
                                   name="evaluation_state_known"),
            models.CheckConstraint(condition=Q(kind__in=EvaluationKind.values),
                                   name="evaluation_kind_known"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="evaluation_period_order"),
            # One annual evaluation per participation that is not cancelled.
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(kind=EvaluationKind.ANNUAL) & ~Q(state=EvaluationState.CANCELLED),
                name="one_annual_evaluation_per_participation",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EvaluationKind.FORMAL_ASSESSMENT) | ~Q(formal_reason=""),
                name="formal_assessment_has_reason",
            ),
            # One probation evaluation per probation end that is not cancelled.
            models.UniqueConstraint(
                fields=["person", "period_end"],
                condition=Q(kind=EvaluationKind.PROBATION) & ~Q(state=EvaluationState.CANCELLED),
                name="one_probation_evaluation",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # "My evaluations" and a person's evaluations.
            models.Index(fields=["person", "period_end"], name="evaluation_person"),
            # The evaluators' task lists.
            models.Index(fields=["first_evaluator", "state"], name="evaluation_first"),
            models.Index(fields=["second_evaluator", "state"], name="evaluation_second"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_id} {self.period_end:%Y}"

    @property
    def period_name(self) -> str:
        """The name of the period evaluated: its cycle's (``Cycle.name``); an evaluation
        outside a cycle (a probation evaluation) by the year its period starts in, the
        same rule (``rulebook.terms.period_name``)."""
        participation = self.participation
        if participation is not None:
            return participation.cycle.name
        return period_name(self.person.organisation.policy_preset, self.period_start.year)


class SelfEvaluationItem(models.Model):
    """The employee's look back on one goal of the period."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="self_items")
    position = models.PositiveSmallIntegerField()
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    goal_title = models.CharField(_("goal"), max_length=500)  # as it stood: goals change
    text = models.TextField(_("self-evaluation"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["evaluation", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["evaluation", "position"],
                                    name="self_item_position_unique"),
        ]

    def __str__(self) -> str:
        return self.goal_title


class EvaluationReport(models.Model):
    """One version of the evaluators' report. Frozen once it carries a signature."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="reports")
    number = models.PositiveSmallIntegerField(_("version"))
    overall = models.TextField(_("evaluation"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=32, blank=True)  # legal terms, Dutch
    # After onvoldoende: the evaluators advance the next evaluation to this day (at the
    # earliest the policy's day after the employee took note; moved there if earlier).
    advanced_evaluation_on = models.DateField(_("advanced evaluation on"), null=True,
                                              blank=True)
    # Set once, in the transaction of the signature that delivers this version to the
    # employee: that signature and the employee's seal them with the notice below.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The earliest day of the advanced evaluation, fixed from the delivery day.
    advanced_evaluation_earliest = models.DateField(null=True, blank=True)
    # Optimistic locking: a save names the revision it started from.
    revision = models.PositiveIntegerField(default=0)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # The language the version is written in: the employee's (their record's language,
    # ``services._report_language``), fixed when the version opens and sealed with it.
    # Empty (NULL) only on versions opened before Koers recorded it; their seals hold
    # without it (``seals._data``).
    language = models.CharField(_("language of the report"), max_length=8,
                                choices=languages.CHOICES, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")
        ordering: ClassVar[list[str]] = ["evaluation", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["evaluation", "number"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} v{self.number}"

    @property
    def advanced_evaluation_day(self) -> dt.date | None:
        """The day of the advanced evaluation as delivered: the chosen day, moved to the
        earliest day the policy allows when it lay before it."""
        chosen, earliest = self.advanced_evaluation_on, self.advanced_evaluation_earliest
        if chosen is None or earliest is None:
            return chosen
        return max(chosen, earliest)


class ReportItem(models.Model):
    """The evaluators' evaluation of one goal, in one report version."""

    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    goal_title = models.CharField(_("goal"), max_length=500)
    text = models.TextField(_("evaluation"), blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["report", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "position"],
                                    name="report_item_position_unique"),
        ]

    def __str__(self) -> str:
        return self.goal_title


class Signature(models.Model):
    """Who signed which report version, in which role, when, and the seal of what they saw."""

    report = models.ForeignKey(EvaluationReport, on_delete=models.PROTECT,
                               related_name="signatures")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("name"), max_length=300)  # as it was when signing
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    signed_at = models.DateTimeField(_("signed at"))
    remarks = models.TextField(_("remarks"), blank=True)  # the employee's, at signing
    # Whether the submitted self-evaluation was part of what was signed (it may be
    # submitted after the 1st signature, before the hand-over to the 2nd [f7]).
    with_self_evaluation = models.BooleanField(default=False)
    seal = models.CharField(max_length=64)  # SHA-256 hex of the canonical serialisation

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering: ClassVar[list[str]] = ["report", "signed_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["report", "role"], name="one_signature_per_role"),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role if r != Role.HR]),
                                   name="signature_role_signs"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.signer_name}"


class Objection(models.Model):
    """The employee's objection to a Dutch formal or probation assessment (004), and the
    decision on it (beslissing op bezwaar), which HR records for the body that decides."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT,
                                   related_name="objections")
    filed_on = models.DateField(_("filed on"))
    text = models.TextField(_("objection"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("decision on the objection"), max_length=16,
                               choices=ObjectionOutcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by_body = models.CharField(_("decided by"), max_length=200, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering: ClassVar[list[str]] = ["evaluation", "filed_on", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(text=""), name="objection_not_empty"),
            # Decided: with its day, the body, a motivation and who recorded it; else none.
            models.CheckConstraint(
                condition=(Q(outcome="", decided_on__isnull=True, decision_recorded_by__isnull=True)
                           | (~Q(outcome="") & Q(decided_on__isnull=False,
                                                 decision_recorded_by__isnull=False)
                              & ~Q(decided_by_body="") & ~Q(motivation=""))),
                name="objection_decided_in_full"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.filed_on}"

    @property
    def decided(self) -> bool:
        return bool(self.outcome)
