"""Goals (doelstellingen) of a person or a unit, their history and follow-up notes."""

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.cycles.models import Cycle, Participation
from koers.goals.states import AGREED_GROUP, GoalStatus
from koers.organisation.models import Person, Unit
from koers.rulebook.terms import Terms


class GoalKind(models.TextChoices):
    PERFORMANCE = "performance", _("performance goal")  # prestatiedoelstelling
    PROCESS = "process", _("process goal")  # procesdoelstelling
    LEARNING = "learning", _("learning goal")  # leerdoelstelling
    CAREER = "career", _("career goal")  # loopbaandoelstelling


class Visibility(models.TextChoices):
    PRIVATE = "private", _("the employee and their evaluators")
    SHARED = "shared", _("also colleagues of the unit")


def visibility_choices(terms: Terms) -> list[tuple[str, str]]:
    """The choices of ``Visibility`` in the words of a regime (``rulebook.terms``)."""
    return [(Visibility.PRIVATE, visibility_label(Visibility.PRIVATE, terms)),
            (Visibility.SHARED, visibility_label(Visibility.SHARED, terms))]


def visibility_label(value: str, terms: Terms) -> str:
    """What a goal's visibility is called in the words of a regime."""
    if value == Visibility.PRIVATE:
        return _("the employee and their %(evaluators)s") % {"evaluators": terms.evaluators}
    return str(Visibility(value).label) if value in Visibility.values else value


class Goal(models.Model):
    """A person's goal (``owner``) or a team goal (``unit``), never both.

    ``milestones`` is a list of ``{"date": "YYYY-MM-DD", "text": "..."}``, the
    intermediate steps of the time-bound in SMART.
    """

    owner = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="goals",
        verbose_name=_("employee"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="team_goals",
        verbose_name=_("unit"),
    )
    team_goal = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="linked_goals",
        verbose_name=_("team goal"),
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals",
        verbose_name=_("cycle"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=GoalKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    measure = models.TextField(_("measure / success indicators"), blank=True)  # succesindicator
    means = models.TextField(_("means"), blank=True)  # middelen
    start_date = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    milestones = models.JSONField(_("milestones"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.PROPOSED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    visibility = models.CharField(
        _("visible to"), max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    employee_confirmed_at = models.DateTimeField(null=True, blank=True)
    evaluator_confirmed_at = models.DateTimeField(null=True, blank=True)
    evaluator_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # Optimistic locking: every change of the goal counts one up, and a change names the
    # revision it started from (``services.goal_adjust``), so two editors never
    # overwrite each other unseen.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering: ClassVar[list[str]] = ["deadline", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, unit__isnull=True)
                | Q(owner__isnull=True, unit__isnull=False),
                name="goal_of_a_person_or_a_unit",
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(team_goal__isnull=True),
                name="team_goal_links_to_nothing",
            ),
            models.CheckConstraint(condition=~Q(team_goal=F("id")), name="goal_not_own_team_goal"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100), name="goal_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(deadline__isnull=True)
                | Q(deadline__gte=F("start_date")),
                name="goal_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values), name="goal_status_known"
            ),
            # A person's goal is agreed only when both sides confirmed it.
            models.CheckConstraint(
                condition=Q(owner__isnull=True)
                | ~Q(status__in=sorted(AGREED_GROUP))
                | Q(employee_confirmed_at__isnull=False, evaluator_confirmed_at__isnull=False),
                name="goal_agreed_needs_both_confirmations",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # "My goals" and a team member's goals: one person's goals by deadline.
            models.Index(fields=["owner", "deadline"], name="goal_owner_deadline"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_team_goal(self) -> bool:
        return self.unit_id is not None


class ChangeKind(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    ADJUSTED = "adjusted", _("adjusted")
    STATUS = "status", _("status changed")


class GoalChange(models.Model):
    """One line of a goal's history: who changed what, when and why. Append-only."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=16, choices=ChangeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    # {field: [before, after]} with values as JSON (dates as ISO strings).
    fields = models.JSONField(default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("goal change")
        verbose_name_plural = _("goal changes")
        ordering: ClassVar[list[str]] = ["at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~Q(kind="adjusted") | ~Q(fields={}), name="goal_adjustment_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.kind}"


class GoalComment(models.Model):
    """A follow-up note on a goal (opvolging)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering: ClassVar[list[str]] = ["at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(text=""), name="goal_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.text[:40]}"


class PlanningRole(models.TextChoices):
    # The codes of rulebook.planning.PlanningSigner.
    EMPLOYEE = "employee", _("employee")
    FIRST_EVALUATOR = "first_evaluator", _("1st evaluator")
    SECOND_EVALUATOR = "second_evaluator", _("2nd evaluator")


class PlanningSignature(models.Model):
    """A signature "voor akkoord" under a person's planning of one evaluation period
    (Flemish regime, ``rulebook.planning``): who signed, in which role, when, and the
    agreed goals it covered (``content``) with their seal (``goals.planning``).

    Written once, never changed: when a goal of the period is added or changed after,
    the planning has a new seal and is signed again; the older signatures stay as its
    history. One signature per role per sealed planning.
    """

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE,
                                      related_name="planning_signatures")
    role = models.CharField(_("role"), max_length=24, choices=PlanningRole.choices)
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("name"), max_length=300)  # as it was when signing
    signed_at = models.DateTimeField(_("signed at"))
    content = models.JSONField(_("signed planning"))
    seal = models.CharField(_("seal (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("planning signature")
        verbose_name_plural = _("planning signatures")
        ordering: ClassVar[list[str]] = ["signed_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["participation", "seal", "role"],
                                    name="planning_signature_once_per_role"),
            models.CheckConstraint(condition=Q(role__in=PlanningRole.values),
                                   name="planning_signature_role_known"),
            models.CheckConstraint(condition=~Q(seal=""), name="planning_signature_sealed"),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id} {self.role} {self.signer_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a planning signature is written once and never changed")
        super().save(*args, **kwargs)
