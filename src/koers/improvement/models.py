"""The personal improvement plan (persoonlijk verbeterplan), its goals, signatures and
follow-up conversations.

The plan's agreed content (grounds, goals with indicators, support, period and the
employee's remarks) is sealed when both have signed (``content.py``): ``content`` and
``seal`` then never change. Follow-ups and the decision come after, each with its own
audit event on the plan's chain.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation
from koers.improvement.rules import EXTENSIONS_ALLOWED
from koers.improvement.states import (
    DECIDED_GROUP,
    OPEN_GROUP,
    SEALED_GROUP,
    PlanStatus,
    SignerRole,
)
from koers.organisation.models import Organisation, Person


class ImprovementPlan(models.Model):
    """One improvement plan of one employee, started by their 1st or 2nd evaluator."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="improvement_plans")
    employee = models.ForeignKey(Person, on_delete=models.CASCADE,
                                 related_name="improvement_plans", verbose_name=_("employee"))
    started_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("started by"))
    # Why: the evaluation and the conversations that ground the plan (by reference: the
    # evaluations room sits above this one and reads the plan, not the other way round).
    evaluation = models.ForeignKey("evaluations.Evaluation", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("evaluation"))
    conversations = models.ManyToManyField(Conversation, blank=True, related_name="+",
                                           verbose_name=_("conversations"))
    grounds = models.TextField(_("why"))
    support = models.TextField(_("support offered"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    # Read from the policy when the plan starts (improvement_plan_follow_up_months).
    follow_up_months = models.PositiveSmallIntegerField(_("follow-up every (months)"))
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    employee_remarks = models.TextField(_("remarks of the employee"), blank=True)
    # What both signed, sealed (content.py): set once, when the second signature comes.
    content = models.JSONField(null=True, blank=True, editable=False)
    seal = models.CharField(_("seal (SHA-256)"), max_length=64, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Extension by agreement: proposed by the evaluator, agreed by the employee, once.
    extension_until = models.DateField(_("extension proposed until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    motivation = models.TextField(_("motivation"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering: ClassVar[list[str]] = ["-period_start", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")),
                                   name="improvement_plan_period_order"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values),
                                   name="improvement_plan_status_known"),
            models.UniqueConstraint(fields=["employee"],
                                    condition=Q(status__in=sorted(OPEN_GROUP)),
                                    name="improvement_plan_one_open"),
            models.CheckConstraint(condition=Q(extensions__lte=EXTENSIONS_ALLOWED),
                                   name="improvement_plan_extended_once"),
            models.CheckConstraint(condition=Q(follow_up_months__gte=1),
                                   name="improvement_plan_follow_up_months_positive"),
            # Signed means sealed: content, seal and day together.
            models.CheckConstraint(
                condition=~Q(status__in=sorted(SEALED_GROUP))
                | Q(content__isnull=False, signed_on__isnull=False) & ~Q(seal=""),
                name="improvement_plan_signed_is_sealed",
            ),
            # Decided means with its day, decider and motivation.
            models.CheckConstraint(
                condition=~Q(status__in=sorted(DECIDED_GROUP))
                | Q(decided_on__isnull=False, decided_by__isnull=False) & ~Q(motivation=""),
                name="improvement_plan_decided_is_motivated",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # A person's plans, newest first (their page, the evaluation form).
            models.Index(fields=["employee", "-period_start"], name="improvement_employee"),
            # The HR dashboard: running plans per organisation.
            models.Index(fields=["organisation", "status"], name="improvement_org_status"),
        ]

    def __str__(self) -> str:
        return f"improvement plan {self.employee_id} {self.period_start}–{self.period_end}"

    @property
    def held_follow_ups(self) -> int:
        """Follow-ups held (prefetch ``follow_ups`` to read it without a query each)."""
        return sum(1 for follow_up in self.follow_ups.all() if follow_up.held_on is not None)


class ImprovementGoal(models.Model):
    """An expected improvement with the indicators that show it (verwachte verbetering)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(_("position"))
    expected = models.TextField(_("expected improvement"))
    indicators = models.TextField(_("indicators"))

    class Meta:
        verbose_name = _("expected improvement")
        verbose_name_plural = _("expected improvements")
        ordering: ClassVar[list[str]] = ["plan", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["plan", "position"],
                                    name="improvement_goal_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} goal {self.position}"


class ImprovementSignature(models.Model):
    """A signature under the plan: name, role and date, with the seal of what was signed.
    A change of the plan before both signed withdraws it: both sign the same content."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE,
                             related_name="signatures")
    role = models.CharField(_("role"), max_length=12, choices=SignerRole.choices)
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("signed by"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    name = models.CharField(_("name"), max_length=210)
    signed_on = models.DateField(_("date"))
    signed_at = models.DateTimeField()
    seal = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering: ClassVar[list[str]] = ["signed_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["plan", "role"],
                                    name="improvement_signature_once_per_role"),
            models.CheckConstraint(condition=Q(role__in=SignerRole.values),
                                   name="improvement_signature_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}) {self.signed_on}"


class FollowUp(models.Model):
    """One follow-up conversation of a running plan: due by a computed day, scheduled as a
    conversation (with its invitation), then recorded with the progress per goal and the
    actions agreed (opvolgingsgesprek)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE,
                             related_name="follow_ups")
    number = models.PositiveSmallIntegerField(_("follow-up"))
    due_on = models.DateField(_("due by"))
    conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("conversation"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    actions = models.TextField(_("actions agreed"), blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("follow-up conversation")
        verbose_name_plural = _("follow-up conversations")
        ordering: ClassVar[list[str]] = ["plan", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["plan", "number"],
                                    name="improvement_follow_up_number_unique"),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True, recorded_by__isnull=True)
                | Q(held_on__isnull=False, recorded_by__isnull=False),
                name="improvement_follow_up_held_is_recorded",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # improvement.reminders: "which follow-ups not held yet are due on day X?"
            models.Index(fields=["due_on"], condition=Q(held_on__isnull=True),
                         name="improvement_follow_up_due"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} follow-up {self.number}"


class GoalProgress(models.Model):
    """The progress on one goal, as recorded in one follow-up conversation."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(ImprovementGoal, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("progress"))

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering: ClassVar[list[str]] = ["follow_up", "goal__position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["follow_up", "goal"],
                                    name="improvement_progress_once_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.follow_up_id} goal {self.goal_id}"
