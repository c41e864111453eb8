"""Competency and development-action catalogues, preparations and the POP.

Catalogue texts are data, because HR edits them per organisation: each text is one
JSON column holding {language code: text} (``names``, ``descriptions``…), so a new
language is a new key, not a new column. ``core.languages.localized`` picks the active
language's text and falls back to the organisation's language where the entry's
organisation is loaded with it (``organisation_language``: the catalogue's selectors
load it without a query), then to the default language (Dutch), then any other. Every
entry is named in the default language (a database constraint). Labels of fields and
choices are ordinary translations.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from koers.conversations.models import Conversation
from koers.core import languages
from koers.cycles.models import Participation
from koers.development.rules import Priority, SignerRole, Source
from koers.development.states import (
    OPEN_GROUP,
    HrActionStatus,
    PlanStatus,
    RecommendationValue,
    RoundKind,
    RoundStatus,
)
from koers.organisation.models import Organisation, Person, Unit


def lines(text: str) -> list[str]:
    """A multi-line text field as its non-empty lines (lists are stored one per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def organisation_language(entry: models.Model, *path: str) -> str | None:
    """The language of the organisation reached from ``entry`` through ``path`` (default:
    its ``organisation``) where it is loaded with the entry, else None (the texts then
    fall back to the default language): reading a text never costs a query."""
    related: Any = entry
    for name in path or ("organisation",):
        if not getattr(type(related), name).is_cached(related):
            return None
        related = getattr(related, name)
    language: str = related.language
    return language


def texts_field(verbose_name: str | Any) -> models.JSONField:
    """One translatable text: {language code: text}, a language without text left out."""
    return models.JSONField(verbose_name, default=dict, blank=True)


def named_in_default_language(prefix: str) -> models.CheckConstraint:
    """The entry has a name in the default language: there, not empty, not null (what
    the old ``name_nl`` column's NOT NULL and its check said)."""
    key = f"names__{languages.DEFAULT}"
    return models.CheckConstraint(
        condition=Q(names__has_key=languages.DEFAULT) & ~Q(**{key: ""}) & ~Q(**{key: None}),
        name=f"{prefix}_named")


def name_unique(prefix: str) -> models.UniqueConstraint:
    """One entry of a name (in the default language, case ignored) per organisation."""
    return models.UniqueConstraint(Lower(KT(f"names__{languages.DEFAULT}")), "organisation",
                                   name=f"{prefix}_name_unique")


# Catalogues -------------------------------------------------------------------------


class CompetencyCluster(models.Model):
    """A group of competencies (the POP guide: five clusters; organisations may add theirs)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="competency_clusters")
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    names = texts_field(_("name"))
    from_source = models.BooleanField(_("from the sources"), default=False)

    class Meta:
        verbose_name = _("competency cluster")
        verbose_name_plural = _("competency clusters")
        ordering: ClassVar[list[str]] = ["position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "code"],
                                    name="competency_cluster_code_unique"),
            named_in_default_language("competency_cluster"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return languages.localized(self.names, fallback=organisation_language(self))


class Competency(models.Model):
    """A competency of the organisation's catalogue (the POP guide: 40, in four languages).

    Archived competencies (``active`` False) stay in the plans that use them but are no
    longer offered for new rows.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="competencies")
    cluster = models.ForeignKey(CompetencyCluster, on_delete=models.PROTECT,
                                related_name="competencies", verbose_name=_("cluster"))
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    names = texts_field(_("name"))
    descriptions = texts_field(_("description"))
    from_source = models.BooleanField(_("from the sources"), default=False)
    active = models.BooleanField(_("offered for new plans"), default=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering: ClassVar[list[str]] = ["cluster__position", "position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "code"],
                                    name="competency_code_unique"),
            name_unique("competency"),
            named_in_default_language("competency"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return languages.localized(self.names, fallback=self._organisation_language())

    @property
    def description(self) -> str:
        return languages.localized(self.descriptions, fallback=self._organisation_language())

    def _organisation_language(self) -> str | None:
        # Its own organisation, or its cluster's (the catalogue prefetches competencies
        # under their clusters).
        return (organisation_language(self)
                or organisation_language(self, "cluster", "organisation"))


class DevelopmentAction(models.Model):
    """A learning form (leervorm) of the POP guide, Bijlage 2: what it is, when to choose it
    and what to mind. ``when_to_choose_texts`` and ``points_of_attention_texts`` hold, per
    language, one point per line (``lines``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="development_actions")
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    names = texts_field(_("name"))
    definitions = texts_field(_("definition"))
    when_to_choose_texts = texts_field(_("when to choose it"))
    points_of_attention_texts = texts_field(_("points of attention"))
    from_source = models.BooleanField(_("from the sources"), default=False)
    active = models.BooleanField(_("offered for new plans"), default=True)

    class Meta:
        verbose_name = _("development action")
        verbose_name_plural = _("development actions")
        ordering: ClassVar[list[str]] = ["position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "code"],
                                    name="development_action_code_unique"),
            name_unique("development_action"),
            named_in_default_language("development_action"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return languages.localized(self.names, fallback=organisation_language(self))

    @property
    def definition(self) -> str:
        return languages.localized(self.definitions, fallback=organisation_language(self))

    @property
    def when_to_choose(self) -> list[str]:
        return lines(languages.localized(self.when_to_choose_texts,
                                         fallback=organisation_language(self)))

    @property
    def points_of_attention(self) -> list[str]:
        return lines(languages.localized(self.points_of_attention_texts,
                                         fallback=organisation_language(self)))


class Recommendation(models.Model):
    """One cell of the recommendation matrix: is this action advised for this competency?

    Every competency has a cell for every action of its organisation (created with it),
    so "no recommendation yet" is a stored value HR can see and fill in.
    """

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE,
                                   related_name="recommendations")
    action = models.ForeignKey(DevelopmentAction, on_delete=models.CASCADE,
                               related_name="recommendations")
    value = models.CharField(_("recommendation"), max_length=20,
                             choices=RecommendationValue.choices,
                             default=RecommendationValue.UNKNOWN)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["competency", "action"],
                                    name="recommendation_once_per_cell"),
            models.CheckConstraint(condition=Q(value__in=RecommendationValue.values),
                                   name="recommendation_value_known"),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}×{self.action_id}: {self.value}"


class CompetencyProfile(models.Model):
    """The competencies a job asks for, matched on ``Person.job_title`` (case ignored)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="competency_profiles")
    job_title = models.CharField(_("job title"), max_length=200)
    competencies = models.ManyToManyField(Competency, through="CompetencyProfileEntry",
                                          related_name="profiles",
                                          verbose_name=_("competencies"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("competency profile")
        verbose_name_plural = _("competency profiles")
        ordering: ClassVar[list[str]] = ["job_title"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(Lower("job_title"), "organisation",
                                    name="competency_profile_job_unique"),
            models.CheckConstraint(condition=~Q(job_title=""), name="competency_profile_job"),
        ]

    def __str__(self) -> str:
        return self.job_title


class CompetencyProfileEntry(models.Model):
    profile = models.ForeignKey(CompetencyProfile, on_delete=models.CASCADE,
                                related_name="entries")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["profile", "competency"],
                                    name="competency_profile_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.competency_id}"


class TrainingPlan(models.Model):
    """The organisation's training plan (opleidingsplan, globaal ontwikkelingsplan — GOP):
    the development objectives and actions decided for groups of staff over a period
    (the POP guide, Stap 1). The preparation forms show the plans in force beside them; a POP
    row that follows from it has source 6. HR keeps it; the whole organisation reads it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="training_plans")
    title = models.CharField(_("title"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    objectives = models.TextField(
        _("development objectives and actions"), blank=True,
        help_text=_("What the organisation plans for which groups of staff, e.g. every "
                    "administrative assistant learns the new office software."))
    competencies = models.ManyToManyField(Competency, blank=True, related_name="training_plans",
                                          verbose_name=_("competencies it targets"))
    document_url = models.URLField(_("link to the full document"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering: ClassVar[list[str]] = ["-valid_from", "title", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(title=""), name="training_plan_titled"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")),
                                   name="training_plan_period_ordered"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The plans in force on a day: an organisation's plans not ended before it.
            models.Index(fields=["organisation", "valid_until"],
                         name="training_plan_in_force"),
        ]

    def __str__(self) -> str:
        return self.title


# Preparation (POP opmaken, Bijlagen 1 and 2; the development scan of Heemstede) -----------


class SelfScan(models.Model):
    """The employee's short self-scan: who am I, what do I want, what can I do.

    Private to the employee; it pre-fills their preparation form.
    """

    employee = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="self_scan",
                                    verbose_name=_("employee"))
    who_am_i = models.TextField(_("Who am I? What am I good at?"), blank=True)
    energy = models.TextField(_("What gives me energy in my work?"), blank=True)
    what_do_i_want = models.TextField(_("What do I want? Where do I want to be in a few "
                                        "years?"), blank=True)
    what_can_i_do = models.TextField(_("What can I do? Which competencies can I develop "
                                       "further?"), blank=True)
    # POP opmaken's tip: look at competencies acquired elsewhere (EVC), build on talents.
    acquired_elsewhere = models.TextField(_("What did I learn outside this job (elsewhere "
                                            "acquired competencies)?"), blank=True)
    next_step = models.TextField(_("What will I do to develop, within or outside my "
                                   "current job?"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-scan")
        verbose_name_plural = _("self-scans")

    def __str__(self) -> str:
        return f"self-scan {self.employee_id}"


class EmployeePreparation(models.Model):
    """The employee's preparation of the POP conversation (POP opmaken, Bijlage 1).

    Private to the employee until shared; then the employee's evaluators read it.
    """

    employee = models.ForeignKey(Person, on_delete=models.CASCADE,
                                 related_name="pop_preparations", verbose_name=_("employee"))
    strengths = models.TextField(_("1. What are your strengths?"), blank=True)
    ambitions = models.TextField(_("2. What are your ambitions? What do you still want to "
                                   "achieve in this organisation?"), blank=True)
    ambitions_why = models.TextField(_("Why?"), blank=True)
    competencies_to_develop = models.TextField(
        _("3. Which competencies or qualities could you develop further?"), blank=True)
    preferred_functions = models.TextField(_("4. Which jobs or tasks do you prefer?"),
                                           blank=True)
    change_term = models.TextField(_("5. When would you like to change jobs or tasks?"),
                                   blank=True)
    desired_training = models.TextField(_("6. Would you like to take a training course? If "
                                          "so, which one?"), blank=True)
    desired_training_why = models.TextField(_("Why that course?"), blank=True)
    self_investment = models.TextField(_("7. What do you want to invest in yourself?"),
                                       blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="+",
                                          verbose_name=_("competencies from the catalogue"))
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    # Optimistic locking: every save counts one up, and a save names the revision it
    # started from (``services.preparations``), so two tabs never overwrite each other.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("employee preparation")
        verbose_name_plural = _("employee preparations")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [
            # A person's preparations, newest first.
            models.Index(fields=["employee", "-created_at"], name="emp_prep_employee"),
        ]

    def __str__(self) -> str:
        return f"preparation {self.employee_id} {self.created_at:%Y-%m-%d}"


class DepartmentPreparation(models.Model):
    """The manager's general preparation (POP opmaken, Bijlage 2): a picture of the unit's
    staffing and its strengths, weaknesses, opportunities and threats.

    Private to the manager until shared; then the manager's own evaluators read it.
    """

    author = models.ForeignKey(Person, on_delete=models.CASCADE,
                               related_name="department_preparations",
                               verbose_name=_("manager"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("unit"))
    staffing = models.TextField(_("Current staffing: numbers, age, seniority, training, "
                                  "experience"), blank=True)
    strengths = models.TextField(_("Strengths, and how to build on them"), blank=True)
    weaknesses = models.TextField(_("Weaknesses, and how to turn them into strengths"),
                                  blank=True)
    opportunities = models.TextField(_("Opportunities ahead"), blank=True)
    threats = models.TextField(_("Threats to the unit"), blank=True)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    # Optimistic locking: every save counts one up, and a save names the revision it
    # started from (``services.preparations``), so two tabs never overwrite each other.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("department preparation")
        verbose_name_plural = _("department preparations")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"department preparation {self.unit_id} {self.created_at:%Y-%m-%d}"


class ManagerPreparation(models.Model):
    """The 1st evaluator's preparation for one employee (POP opmaken, Bijlage 2, 7 questions).

    Private to its author until shared; then the employee and their evaluators read it.
    """

    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("manager"))
    employee = models.ForeignKey(Person, on_delete=models.CASCADE,
                                 related_name="pop_manager_preparations",
                                 verbose_name=_("employee"))
    department_view = models.ForeignKey(DepartmentPreparation, on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("department preparation"))
    overall_impression = models.TextField(
        _("1. What is your overall impression of the employee's level of development in "
          "the job?"), blank=True)
    investments_to_maintain = models.TextField(
        _("2. Which development investments are needed to keep the performance at its "
          "level?"), blank=True)
    growth_possibilities = models.TextField(
        _("3. Which development possibilities does the employee have to grow?"), blank=True)
    career_possibilities = models.TextField(
        _("4. Which career possibilities do you see for the employee in your unit?"),
        blank=True)
    change_term = models.TextField(_("5. When could the new or other job be realised?"),
                                   blank=True)
    change_term_reason = models.TextField(_("For what reason?"), blank=True)
    investments_for_target = models.TextField(
        _("6. Which development investments are needed to reach the desired level of "
          "competence?"), blank=True)
    other_remarks = models.TextField(_("7. Other remarks?"), blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="+",
                                          verbose_name=_("competencies from the catalogue"))
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    # Optimistic locking: every save counts one up, and a save names the revision it
    # started from (``services.preparations``), so two tabs never overwrite each other.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("manager preparation")
        verbose_name_plural = _("manager preparations")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(author=F("employee")),
                                   name="manager_preparation_not_self"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["employee", "-created_at"], name="mgr_prep_employee"),
        ]

    def __str__(self) -> str:
        return f"manager preparation {self.employee_id} {self.created_at:%Y-%m-%d}"


# The plan ------------------------------------------------------------------------------


class DevelopmentPlan(models.Model):
    """A personal development plan (POP) of one employee for one period.

    Its content lives in the rows below (items with their goals, means, HR actions and
    follow-up entries); what was signed lives, sealed, in its rounds.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="development_plans")
    employee = models.ForeignKey(Person, on_delete=models.CASCADE,
                                 related_name="development_plans", verbose_name=_("employee"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    participation = models.ForeignKey(Participation, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="development_plans",
                                      verbose_name=_("cycle participation"))
    planning_conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL,
                                              null=True, blank=True, related_name="+",
                                              verbose_name=_("planning conversation"))
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    # The POP guide's planning form: "Eventuele opmerkingen van de medewerker".
    employee_remarks = models.TextField(_("remarks of the employee"), blank=True)
    # From the last signed conversation round (rules.follow_up_window).
    follow_up_earliest = models.DateField(_("next follow-up from"), null=True, blank=True)
    follow_up_due = models.DateField(_("next follow-up by"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    # Optimistic locking of the plan's own text (the employee's remarks): a change
    # names the revision it started from (``services.plans.plan_remarks_set``); each row
    # carries its own revision.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering: ClassVar[list[str]] = ["-period_start", "-pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="development_plan_period_order"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values),
                                   name="development_plan_status_known"),
            models.UniqueConstraint(fields=["employee"],
                                    condition=Q(status__in=sorted(OPEN_GROUP)),
                                    name="development_plan_one_open"),
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True)
                | Q(follow_up_earliest__isnull=False,
                    follow_up_due__gte=F("follow_up_earliest")),
                name="development_plan_follow_up_window",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # A person's plans, newest first.
            models.Index(fields=["employee", "-period_start"], name="plan_employee"),
            # development.reminders: "which signed plans are due for follow-up on day X?"
            models.Index(fields=["follow_up_due"], condition=Q(status=PlanStatus.SIGNED),
                         name="plan_follow_up_due"),
        ]

    def __str__(self) -> str:
        return f"POP {self.employee_id} {self.period_start}–{self.period_end}"


class PlanRound(models.Model):
    """One round of agreement: built in a conversation, signed by both, then sealed.

    ``content`` is the canonical serialisation of the plan as signed (``content.py``)
    and ``seal`` its SHA-256 (``seals.py``); neither changes once the round is signed.
    """

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    kind = models.CharField(_("kind"), max_length=16, choices=RoundKind.choices)
    held_on = models.DateField(_("date of the conversation"))
    conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("conversation"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices,
                              default=RoundStatus.OPEN)
    content = models.JSONField(null=True, blank=True, editable=False)
    seal = models.CharField(_("seal (SHA-256)"), max_length=64, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan round")
        verbose_name_plural = _("plan rounds")
        ordering: ClassVar[list[str]] = ["plan", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_round_number_unique"),
            models.UniqueConstraint(fields=["plan"], condition=Q(status=RoundStatus.OPEN),
                                    name="plan_round_one_open"),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_round_number_positive"),
            models.CheckConstraint(condition=Q(kind__in=RoundKind.values),
                                   name="plan_round_kind_known"),
            # Signed means sealed: content, seal and day together, or none of them.
            models.CheckConstraint(
                condition=Q(status=RoundStatus.OPEN, seal="", signed_on__isnull=True,
                            content__isnull=True)
                | Q(status=RoundStatus.SIGNED, signed_on__isnull=False,
                    content__isnull=False) & ~Q(seal=""),
                name="plan_round_signed_is_sealed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} round {self.number}"


class PlanSignature(models.Model):
    """A signature under a round: name, role and date, with the seal of what was signed.

    A signature whose round changes before the other side signed is withdrawn (deleted,
    with an audit event): both always sign the same content.
    """

    round = models.ForeignKey(PlanRound, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("role"), max_length=20, choices=SignerRole.choices)
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
            models.UniqueConstraint(fields=["round", "role"], name="plan_signature_once_per_role"),
            models.CheckConstraint(condition=Q(role__in=SignerRole.values),
                                   name="plan_signature_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}) {self.signed_on}"


class PlanItem(models.Model):
    """One row of the POP table: a competency to develop, why (source) and how urgent."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    source = models.PositiveSmallIntegerField(_("source"), choices=Source.choices)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("competency"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    # One indicator per line: the visible sign that the competency was developed.
    success_indicators = models.TextField(_("success indicators"), blank=True)

    # Optimistic locking: every change counts one up, and a change names the revision it
    # started from (``services.plans``), so the employee and the evaluator never
    # overwrite each other's change unseen.
    revision = models.PositiveIntegerField(default=0)
    class Meta:
        verbose_name = _("plan row")
        verbose_name_plural = _("plan rows")
        ordering: ClassVar[list[str]] = ["plan", "position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["plan", "competency"],
                                    name="plan_item_competency_once"),
            models.CheckConstraint(condition=Q(source__in=Source.values),
                                   name="plan_item_source_known"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values),
                                   name="plan_item_priority_known"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.competency_id}"

    @property
    def indicator_lines(self) -> list[str]:
        return lines(self.success_indicators)


class PlanGoal(models.Model):
    """A SMART development goal of a row, with its term (ontwikkelingsdoelstelling)."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("development goal"))
    term = models.DateField(_("term"), null=True, blank=True)
    # The term as agreed in words ("three months after the course"), next to its date.
    term_note = models.CharField(_("term in words"), max_length=300, blank=True)

    # Optimistic locking: every change counts one up, and a change names the revision it
    # started from (``services.plans``), so the employee and the evaluator never
    # overwrite each other's change unseen.
    revision = models.PositiveIntegerField(default=0)
    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering: ClassVar[list[str]] = ["item", "position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(text=""), name="plan_goal_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUpEntry(models.Model):
    """Realisation / follow-up of a row, written in a follow-up round (the POP guide's last
    column, "Realisatie/opvolging (→ nieuwe acties)"); it may add means and HR actions."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="follow_ups")
    round = models.ForeignKey(PlanRound, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField(_("realisation / follow-up"))
    written_on = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")

    # Optimistic locking: every change counts one up, and a change names the revision it
    # started from (``services.plans``), so the employee and the evaluator never
    # overwrite each other's change unseen.
    revision = models.PositiveIntegerField(default=0)
    class Meta:
        verbose_name = _("follow-up entry")
        verbose_name_plural = _("follow-up entries")
        ordering: ClassVar[list[str]] = ["item", "written_on", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(text=""), name="follow_up_entry_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class PlanMeans(models.Model):
    """A means of a row (middel): a development action of the catalogue, or a support
    action in words (``action`` empty, e.g. "Ratana follows up every two weeks"), with
    its own term."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="means")
    position = models.PositiveSmallIntegerField(_("position"))
    action = models.ForeignKey(DevelopmentAction, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+",
                               verbose_name=_("development action"))
    description = models.TextField(_("description"), blank=True)
    term = models.DateField(_("term"), null=True, blank=True)
    term_note = models.CharField(_("term in words"), max_length=300, blank=True)
    # The coach, mentor or colleague who helps, when it is someone of the organisation.
    supporter = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("supported by"))
    follow_up = models.ForeignKey(FollowUpEntry, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="new_means",
                                  verbose_name=_("from the follow-up"))
    added_in_round = models.ForeignKey(PlanRound, on_delete=models.CASCADE, related_name="+")

    # Optimistic locking: every change counts one up, and a change names the revision it
    # started from (``services.plans``), so the employee and the evaluator never
    # overwrite each other's change unseen.
    revision = models.PositiveIntegerField(default=0)
    class Meta:
        verbose_name = _("means")
        verbose_name_plural = _("means")
        ordering: ClassVar[list[str]] = ["item", "position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(action__isnull=False) | ~Q(description=""),
                                   name="plan_means_says_something"),
        ]

    def __str__(self) -> str:
        return self.description[:60] or str(self.action_id)


class HrAction(models.Model):
    """An action asked of HR or the personnel service (Acties SD P&O / personeelsdienst),
    e.g. a registration for a course. Across plans these form the training demand.

    Its ``status`` is HR's to change and is not part of the signed content: arranging a
    registration does not make the plan to be signed again.
    """

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="hr_actions")
    position = models.PositiveSmallIntegerField(_("position"))
    description = models.TextField(_("what HR should do"))
    action = models.ForeignKey(DevelopmentAction, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+",
                               verbose_name=_("development action"))
    term = models.DateField(_("term"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=HrActionStatus.choices,
                              default=HrActionStatus.REQUESTED)
    arranged_on = models.DateField(_("arranged on"), null=True, blank=True)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    arranged_note = models.CharField(_("note by HR"), max_length=500, blank=True)
    follow_up = models.ForeignKey(FollowUpEntry, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="new_hr_actions",
                                  verbose_name=_("from the follow-up"))
    added_in_round = models.ForeignKey(PlanRound, on_delete=models.CASCADE, related_name="+")

    # Optimistic locking: every change counts one up, and a change names the revision it
    # started from (``services.plans``), so the employee and the evaluator never
    # overwrite each other's change unseen.
    revision = models.PositiveIntegerField(default=0)
    class Meta:
        verbose_name = _("HR action")
        verbose_name_plural = _("HR actions")
        ordering: ClassVar[list[str]] = ["item", "position", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=~Q(description=""), name="hr_action_not_empty"),
            models.CheckConstraint(condition=Q(status__in=HrActionStatus.values),
                                   name="hr_action_status_known"),
            models.CheckConstraint(
                condition=Q(status=HrActionStatus.ARRANGED, arranged_on__isnull=False)
                | Q(status=HrActionStatus.REQUESTED, arranged_on__isnull=True),
                name="hr_action_arranged_has_date",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The training demand lists an organisation's actions by status and term.
            models.Index(fields=["status", "term"], name="hr_action_status_term"),
        ]

    def __str__(self) -> str:
        return self.description[:60]
