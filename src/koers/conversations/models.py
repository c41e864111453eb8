"""Conversations between an employee and their evaluator, their agenda and calendar feeds."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.conversations.states import (
    ConversationKind,
    ConversationStatus,
    MediationOutcome,
    MediationStatus,
    MediatorKind,
    WorkPlanStatus,
)
from koers.core import languages
from koers.goals.models import Goal
from koers.organisation.models import Person
from koers.rulebook.questions import Translated, question_text


class Conversation(models.Model):
    """One conversation in the calendar, from scheduling to its confirmed report.

    ``ical_uid`` never changes, ``ical_sequence`` goes up with every update sent, so a
    calendar replaces the earlier invitation instead of adding a second one.
    """

    employee = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="conversations",
        verbose_name=_("employee"),
    )
    organiser = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"),
    )
    # The other side, invited by e-mail: the employee, or their 1st evaluator when the
    # employee organises.
    invitee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("invitee"),
    )
    kind = models.CharField(_("kind of conversation"), max_length=24,
                            choices=ConversationKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    in_writing = models.BooleanField(
        _("held in writing"), default=False,
        help_text=_("Only when an oral conversation is impossible."),
    )
    status = models.CharField(_("status"), max_length=16, choices=ConversationStatus.choices,
                              default=ConversationStatus.SCHEDULED)
    ical_uid = models.CharField(max_length=200, unique=True)
    ical_sequence = models.PositiveIntegerField(default=0)
    notes = models.TextField(_("notes"), blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="conversations",
                                   verbose_name=_("goals discussed"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    # Counts every save of the report: a change or a confirmation names the revision it
    # read, so nobody overwrites or confirms a text they did not see (optimistic locking).
    report_revision = models.PositiveIntegerField(default=0)
    # Recorded by the evaluator when holding the conversation; a Dutch formal assessment
    # checks that improvement points were raised in a held progress conversation.
    improvement_points = models.TextField(_("improvement points"), blank=True)
    # Scheduled as the follow-up of a personal improvement plan: it is held by recording
    # that follow-up (``improvement.services.follow_up_record``), whose progress per
    # expected improvement and actions agreed are its report, so it is recorded once.
    improvement_follow_up = models.BooleanField(default=False)
    # Dutch policy (``rulebook.holding``): an evaluation conversation combined with the
    # planning of the next period. Held, it settles both steps; its report has two
    # parts, looking back (``report``) and the agreements for the next period.
    combined_with_planning = models.BooleanField(
        _("combined with the planning of the next period"), default=False)
    agreements = models.TextField(_("agreements for the next period"), blank=True)
    # Dutch policy: the person the 1st evaluator designated to hold this conversation
    # (``rulebook.holding``), who then holds it and writes its report as the manager would.
    holder = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("held by"),
    )
    holder_designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    holder_designated_at = models.DateTimeField(null=True, blank=True)
    employee_confirmed_at = models.DateTimeField(null=True, blank=True)
    evaluator_confirmed_at = models.DateTimeField(null=True, blank=True)
    evaluator_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering: ClassVar[list[str]] = ["starts_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="conversation_ends_after_start"),
            models.CheckConstraint(condition=~Q(organiser=F("invitee")),
                                   name="conversation_invitee_not_organiser"),
            models.CheckConstraint(condition=Q(status__in=ConversationStatus.values),
                                   name="conversation_status_known"),
            models.CheckConstraint(condition=Q(kind__in=ConversationKind.values),
                                   name="conversation_kind_known"),
            # Held means a day it was held on; only then is there a report to confirm.
            models.CheckConstraint(
                condition=Q(status=ConversationStatus.HELD, held_on__isnull=False)
                | ~Q(status=ConversationStatus.HELD) & Q(held_on__isnull=True),
                name="conversation_held_on_when_held",
            ),
            # Only an evaluation conversation plans the next period too.
            models.CheckConstraint(
                condition=Q(combined_with_planning=False, agreements="")
                | Q(combined_with_planning=True, kind=ConversationKind.EVALUATION),
                name="conversation_combined_is_evaluation",
            ),
            models.CheckConstraint(condition=~Q(holder=F("employee")),
                                   name="conversation_holder_not_employee"),
            models.CheckConstraint(
                condition=Q(employee_confirmed_at__isnull=True,
                            evaluator_confirmed_at__isnull=True)
                | Q(status=ConversationStatus.HELD) & ~Q(report=""),
                name="conversation_confirms_a_held_report",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # "My conversations" and a person's conversations, by time.
            models.Index(fields=["employee", "starts_at"], name="conversation_employee_start"),
            # The organiser's calendar feed.
            models.Index(fields=["organiser", "starts_at"], name="conversation_organiser_start"),
            models.Index(fields=["invitee", "starts_at"], name="conversation_invitee_start"),
            # "Conversations I was designated to hold."
            models.Index(fields=["holder", "starts_at"], name="conversation_holder_start",
                         condition=Q(holder__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    @property
    def report_locked(self) -> bool:
        """Both sides confirmed the report: it is read-only from now on."""
        return self.employee_confirmed_at is not None and self.evaluator_confirmed_at is not None


class AgendaItem(models.Model):
    """One point of a conversation's agenda, a guiding question or a free item.

    ``text`` is the item as written into the agenda: a free item as typed, a guiding
    question in the employee's language on the day it was scheduled. An item made from a
    built-in text keeps that text's English source (``source``, translated when read),
    one made from HR's own question keeps its text in every language HR gave
    (``texts``), so each reader reads it in their own language (``shown``). Items from
    before they kept their origin have neither and show ``text``.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="agenda")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("agenda item"), max_length=500)
    guiding = models.BooleanField(default=False)
    source = models.CharField(max_length=500, blank=True)
    texts = models.JSONField(default=dict, blank=True)  # {language code: text}

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering: ClassVar[list[str]] = ["conversation", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["conversation", "position"],
                                    name="agenda_item_position_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="agenda_item_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def shown(self) -> str:
        """The item in the active language, the reader's. HR's question without a text in
        it falls back to the organisation's language, then to any text it has."""
        if self.source:
            return question_text(self.source)
        if self.texts:
            # The organisation is read only when the reader's language has no text.
            return self.texts.get(languages.active().value) or question_text(
                Translated.of(self.texts),
                fallback=self.conversation.employee.organisation.language)
        return self.text


class CalendarFeed(models.Model):
    """A user's private calendar feed; a new token revokes the old link at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class WorkPlan(models.Model):
    """The Dutch individual work plan (individueel werkplan) of one employee (Heemstede).

    The employee drafts it, the 1st evaluator adds comments, both confirm: then it is
    fixed for its period (twelve months, from the policy: never typed in) and read-only.
    Agreements changed later are amendments recorded in a held progress conversation.
    """

    employee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="work_plans",
                                 verbose_name=_("employee"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    # What the employee writes (the form "Individueel werkplan").
    expected_performance = models.TextField(_("expected performance"), blank=True)
    competencies = models.TextField(_("competencies to work on"), blank=True)
    development_wishes = models.TextField(_("development wishes"), blank=True)
    support = models.TextField(_("support needed"), blank=True)
    # What the 1st evaluator adds.
    manager_comments = models.TextField(_("comments of the manager"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=WorkPlanStatus.choices,
                              default=WorkPlanStatus.DRAFT)
    commented_at = models.DateTimeField(null=True, blank=True)
    commented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    employee_confirmed_at = models.DateTimeField(null=True, blank=True)
    evaluator_confirmed_at = models.DateTimeField(null=True, blank=True)
    evaluator_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    # Optimistic locking: every change of the plan (text, comments, a confirmation) counts
    # one up, and a change of text names the revision it started from
    # (``services.work_plan_write``, ``work_plan_comment``), so the employee and the
    # evaluator never overwrite each other unseen.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("individual work plan")
        verbose_name_plural = _("individual work plans")
        ordering: ClassVar[list[str]] = ["-period_start", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One plan for each period of an employee ("my plan of this year").
            models.UniqueConstraint(fields=["employee", "period_start"],
                                    name="work_plan_one_a_period"),
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")),
                                   name="work_plan_period_order"),
            models.CheckConstraint(condition=Q(status__in=WorkPlanStatus.values),
                                   name="work_plan_status_known"),
            # Past the draft, the manager has commented.
            models.CheckConstraint(
                condition=Q(status=WorkPlanStatus.DRAFT)
                | Q(commented_at__isnull=False) & ~Q(manager_comments=""),
                name="work_plan_commented_after_draft",
            ),
            # Fixed exactly when both sides confirmed it.
            models.CheckConstraint(
                condition=Q(status=WorkPlanStatus.FIXED, fixed_at__isnull=False,
                            employee_confirmed_at__isnull=False,
                            evaluator_confirmed_at__isnull=False)
                | ~Q(status=WorkPlanStatus.FIXED) & Q(fixed_at__isnull=True),
                name="work_plan_fixed_by_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.period_start:%Y-%m-%d}"

    @property
    def is_fixed(self) -> bool:
        return self.status == WorkPlanStatus.FIXED


class WorkPlanAmendment(models.Model):
    """A changed agreement of a fixed work plan, recorded in a held progress conversation
    ("De gewijzigde afspraken worden vastgelegd in het formulier Voortgangsgesprek",
    Heemstede). Append-only."""

    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="amendments")
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT,
                                     related_name="work_plan_amendments",
                                     verbose_name=_("progress conversation"))
    change = models.TextField(_("what changed"))
    reason = models.TextField(_("why"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("work plan amendment")
        verbose_name_plural = _("work plan amendments")
        ordering: ClassVar[list[str]] = ["recorded_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(change="") & ~Q(reason=""),
                                   name="work_plan_amendment_says_what_and_why"),
        ]

    def __str__(self) -> str:
        return f"{self.work_plan_id}: {self.change[:40]}"


class Mediation(models.Model):
    """The employee asks a mediator when they and their manager disagree about a
    conversation (its report, the annual conversation) or the work plan (Heemstede,
    question 6, ``rulebook.mediation``).

    The mediator (the next-higher manager or HR's adviser) records the outcome once:
    agreed or not, in writing. Then it is closed and read-only; without agreement the
    formal assessment is the last resort.
    """

    employee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mediations",
                                 verbose_name=_("employee"))
    # What it is about: exactly one of the two. It goes with its subject.
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="mediations",
                                     verbose_name=_("conversation"))
    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="mediations",
                                  verbose_name=_("individual work plan"))
    account = models.TextField(_("what you disagree about"))
    mediator_kind = models.CharField(_("mediator"), max_length=16,
                                     choices=MediatorKind.choices)
    mediator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("mediator"))
    status = models.CharField(_("status"), max_length=16, choices=MediationStatus.choices,
                              default=MediationStatus.REQUESTED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=MediationOutcome.choices,
                               blank=True)
    outcome_text = models.TextField(_("written outcome"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering: ClassVar[list[str]] = ["-requested_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(conversation__isnull=False, work_plan__isnull=True)
                | Q(conversation__isnull=True, work_plan__isnull=False),
                name="mediation_about_one_subject",
            ),
            models.CheckConstraint(condition=~Q(account=""), name="mediation_has_account"),
            models.CheckConstraint(condition=Q(status__in=MediationStatus.values),
                                   name="mediation_status_known"),
            models.CheckConstraint(condition=Q(mediator_kind__in=MediatorKind.values),
                                   name="mediation_mediator_kind_known"),
            models.CheckConstraint(condition=~Q(mediator=F("employee")),
                                   name="mediation_mediator_not_employee"),
            # Closed exactly when its outcome is recorded, in writing.
            models.CheckConstraint(
                condition=Q(status=MediationStatus.CLOSED,
                            outcome__in=MediationOutcome.values, recorded_at__isnull=False)
                & ~Q(outcome_text="")
                | Q(status=MediationStatus.REQUESTED, outcome="", outcome_text="",
                    recorded_at__isnull=True),
                name="mediation_closed_with_outcome",
            ),
            # One open request about a subject at a time.
            models.UniqueConstraint(fields=["conversation"],
                                    condition=Q(status=MediationStatus.REQUESTED),
                                    name="mediation_one_open_a_conversation"),
            models.UniqueConstraint(fields=["work_plan"],
                                    condition=Q(status=MediationStatus.REQUESTED),
                                    name="mediation_one_open_a_work_plan"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["employee", "requested_at"], name="mediation_employee"),
            models.Index(fields=["mediator", "status"], name="mediation_mediator"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.get_mediator_kind_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == MediationStatus.CLOSED
