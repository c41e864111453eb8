"""Annual cycles and each person's participation, with every due date computed."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koers.organisation.models import Organisation, Person, Unit
from koers.rulebook.terms import period_name


class CycleState(models.TextChoices):
    OPENING = "opening", _("opening")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class LeavingReason(models.TextChoices):
    # The codes of rulebook.leavers.LeavingReason.
    VOLUNTARY = "voluntary", _("leaves voluntarily")
    RETIREMENT = "retirement", _("retires")
    OTHER = "other", _("leaves for another reason")


class Cycle(models.Model):
    """The cycle of one year for one organisation.

    Flemish and Dutch cycles cover one organisation-wide period; a federal cycle groups
    the per-person 12-month periods that start in its year.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(
        _("state"), max_length=16, choices=CycleState.choices, default=CycleState.OPENING
    )
    policy_version = models.CharField(_("policy version"), max_length=64)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"))
    # Progress of the opening task, for the progress bar.
    people_total = models.PositiveIntegerField(default=0)
    people_done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering: ClassVar[list[str]] = ["-year"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_cycle_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def name(self) -> str:
        """The period's one name on every page, in the API and in the documents
        ("evaluatieperiode 2026"): ``rulebook.terms.period_name`` with the organisation's
        regime and the cycle's year, the year the period runs in (read with the
        organisation)."""
        return period_name(self.organisation.policy_preset, self.year)


class Participation(models.Model):
    """One person in one cycle: the period, whether the evaluation is mandatory, and why."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    evaluation_required = models.BooleanField(_("evaluation mandatory"))
    # rulebook.eligibility.Exemption, empty when the evaluation is mandatory.
    exemption = models.CharField(_("exemption"), max_length=32, blank=True)
    hours_worked = models.DecimalField(_("hours worked"), max_digits=7, decimal_places=2,
                                       null=True)
    hours_source = models.CharField(max_length=16, blank=True)
    months_employed = models.PositiveSmallIntegerField(default=0)
    on_probation = models.BooleanField(_("on probation"), default=False)
    # Due dates from rulebook.deadlines (NULL where the policy has none).
    planning_due = models.DateField(null=True)
    halfway_progress_due = models.DateField(null=True)
    evaluation_window_opens = models.DateField(null=True)
    self_evaluation_due = models.DateField(null=True)
    evaluation_due = models.DateField(null=True)
    first_signature_due = models.DateField(null=True)
    second_signature_due = models.DateField(null=True)
    evaluation_lapses = models.DateField(null=True)
    probation_assessment_due = models.DateField(null=True)
    # Milestones, set by the services of conversations and evaluations as they happen.
    planning_done_on = models.DateField(null=True, blank=True)
    follow_ups_held = models.PositiveSmallIntegerField(default=0)
    last_follow_up_on = models.DateField(null=True, blank=True)
    halfway_progress_done_on = models.DateField(null=True, blank=True)
    evaluation_held_on = models.DateField(null=True, blank=True)
    self_evaluation_submitted_on = models.DateField(null=True, blank=True)
    first_signed_on = models.DateField(null=True, blank=True)
    second_signed_on = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    employee_signed_on = models.DateField(null=True, blank=True)
    probation_assessed_on = models.DateField(null=True, blank=True)
    # Federal late evaluation (rulebook.lapse, [b2]): the day the evaluation lapsed, not
    # held 3 months after the period; the next cycle started without a mention. Set and
    # lifted by cycles.lapse; its evaluation steps are no longer tasks.
    lapsed_on = models.DateField(_("evaluation lapsed on"), null=True, blank=True)
    # Closed when the person leaves during the cycle (the same code path as joining).
    closed_on = models.DateField(null=True, blank=True)
    # The period employee and evaluator agreed on, recorded by HR ([f1]: "by mutual
    # agreement up to 15 months"); NULL: the policy's normal period. When set, the
    # computation (cycles.services) takes period_start/period_end from it.
    agreed_period_start = models.DateField(_("agreed period from"), null=True, blank=True)
    agreed_period_end = models.DateField(_("agreed period until"), null=True, blank=True)
    period_agreement_note = models.TextField(_("what was agreed"), blank=True)
    period_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    period_agreed_at = models.DateTimeField(null=True, blank=True)
    # Someone leaving during the cycle, recorded by HR or the 1st evaluator
    # (rulebook.leavers): why, the last working day, and whether they agreed to be
    # evaluated before leaving ([f1]). The computation (cycles.services) reads them.
    leaving_reason = models.CharField(
        _("why the person leaves"), max_length=16, choices=LeavingReason.choices, blank=True)
    last_working_day = models.DateField(_("last working day"), null=True, blank=True)
    evaluated_before_leaving = models.BooleanField(
        _("agreed to be evaluated before leaving"), default=False)
    leaving_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    leaving_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes: ClassVar[list[models.Index]] = [
            # The dashboard and the reminders scan a cycle's open participations.
            models.Index(fields=["cycle", "closed_on"], name="participation_open"),
            # cycles.reminders: "whose <step> is due on one of these days and not done?",
            # one equality lookup per step; each index shrinks as the step gets done.
            *(
                models.Index(
                    fields=[due_field], condition=Q(**{f"{done_field}__isnull": True}),
                    name=name,
                )
                for due_field, done_field, name in (
                    ("planning_due", "planning_done_on", "part_planning_due_open"),
                    ("halfway_progress_due", "halfway_progress_done_on",
                     "part_halfway_due_open"),
                    ("self_evaluation_due", "self_evaluation_submitted_on",
                     "part_self_eval_due_open"),
                    ("evaluation_due", "evaluation_held_on", "part_evaluation_due_open"),
                    ("first_signature_due", "first_signed_on", "part_first_sign_due_open"),
                    ("second_signature_due", "second_signed_on", "part_second_sign_due_open"),
                    ("probation_assessment_due", "probation_assessed_on",
                     "part_probation_due_open"),
                )
            ),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # Opening is idempotent and resumable because of this constraint.
            models.UniqueConstraint(fields=["cycle", "person"], name="one_participation"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="participation_period_order",
            ),
            # An agreed period has both ends, in order, or none at all.
            models.CheckConstraint(
                condition=Q(agreed_period_start__isnull=True, agreed_period_end__isnull=True)
                | Q(agreed_period_start__isnull=False, agreed_period_end__isnull=False,
                    agreed_period_end__gte=models.F("agreed_period_start")),
                name="participation_agreed_period_whole",
            ),
            # A record of leaving has its reason and last day, or is empty; only someone
            # who leaves voluntarily or retires agrees to an evaluation before ([f1]).
            models.CheckConstraint(
                condition=Q(leaving_reason="", last_working_day__isnull=True,
                            evaluated_before_leaving=False)
                | (~Q(leaving_reason="") & Q(last_working_day__isnull=False)
                   & (Q(evaluated_before_leaving=False)
                      | Q(leaving_reason__in=["voluntary", "retirement"]))),
                name="participation_leaving_whole",
            ),
            models.CheckConstraint(
                condition=Q(evaluation_required=True, exemption="")
                | Q(evaluation_required=False) & ~Q(exemption=""),
                name="participation_exemption_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cycle_id}"

    @property
    def period_agreed(self) -> bool:
        return self.agreed_period_start is not None

    @property
    def leaving_recorded(self) -> bool:
        return self.last_working_day is not None


class UnitProgress(models.Model):
    """The dashboard's counts of a large cycle for one unit, as counted at ``counted_at``.

    A rollup, written by ``dashboard.count_cycles`` each round of the scheduler for a
    cycle with more open participations than ``dashboard.LIVE_LIMIT``: ``direct`` holds
    the counts of the people working in the unit itself, ``subtree`` those of the unit
    and every unit below it (both as ``Progress.as_json``); overdue was measured
    against ``today``. A unit nobody below takes part in has no row.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    counted_at = models.DateTimeField()
    today = models.DateField()
    direct = models.JSONField()
    subtree = models.JSONField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="unit_progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.unit_id} {self.counted_at:%Y-%m-%d %H:%M}"


class LateReminder(models.Model):
    """HR reminded whoever must act that a person is late on a step of the cycle.

    At most one per person per day (in the organisation's calendar), whatever the step:
    the database refuses a second, so two HR officers clicking at once remind once.
    """

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE,
                                      related_name="late_reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=32)  # a ``Due`` code
    due = models.DateField()  # the due date that was passed
    sent_on = models.DateField()  # in the organisation's time zone
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["person", "sent_on"],
                                    name="late_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.step} {self.sent_on}"
