"""Organisations, the unit tree, people, effective work, evaluator overrides and role grants."""

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.core import languages


class PolicyPreset(models.TextChoices):
    FLEMISH = "flemish", _("Flemish government (PLOEG)")
    FEDERAL = "federal", _("Belgian federal administration")
    DUTCH_MUNICIPAL = "dutch_municipal", _("Dutch municipality")


class Organisation(models.Model):
    """A tenant: one administration with one policy preset."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    policy_preset = models.CharField(
        _("policy preset"), max_length=32, choices=PolicyPreset.choices
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    # The language the organisation writes in: its own texts (HR's guiding questions)
    # fall back to it where a reader's language has none.
    language = models.CharField(
        _("language"), max_length=8, choices=languages.CHOICES, default=languages.DEFAULT,
        # Also the database's default: rows written by code that predates the column
        # (an older migration's data step) get it too.
        db_default=languages.DEFAULT,
    )
    # The organisation's own look (organisation/look.py): its primary colour ("" for
    # Koers's), the media type of its logo ("" for none; the image is an OrganisationLogo)
    # and a number that changes with every change, so the pages may link both under an
    # address that browsers keep. Read with the viewer's person: no query of their own.
    primary_colour = models.CharField(_("primary colour"), max_length=7, blank=True,
                                      default="", db_default="")
    logo_type = models.CharField(_("logo type"), max_length=20, blank=True, default="",
                                 db_default="")
    look_version = models.PositiveIntegerField(default=0, db_default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationLogo(models.Model):
    """The organisation's logo as it was uploaded (PNG, JPEG or WebP, checked by
    organisation/look.py), in a table of its own so that loading an organisation never
    loads the image. There is no media storage: the image lives in the database."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                        primary_key=True, related_name="logo")
    image = models.BinaryField()

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logos")

    def __str__(self) -> str:
        return f"{self.organisation_id}"


class Unit(models.Model):
    """A node of the organisation's tree (department, service, team).

    ``path`` is a materialised path of unit ids, ``/12/45/789/``: a subtree is one
    indexed prefix scan (``path__startswith``) and the ancestors are read off the
    path without a query, which keeps tree questions fast at 100,000 people.
    """

    PATH_SEPARATOR = "/"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    manager = models.ForeignKey(
        "Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_units",
        verbose_name=_("manager"),
    )
    # Serves subtree scans; on PostgreSQL Django adds a varchar_pattern_ops twin for LIKE.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering: ClassVar[list[str]] = ["path"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unit_code_unique"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read off the path."""
        return path_ids(self.path)[:-1]


def path_ids(path: str) -> list[int]:
    return [
        int(part) for part in path.strip(Unit.PATH_SEPARATOR).split(Unit.PATH_SEPARATOR) if part
    ]


class EmploymentStatus(models.TextChoices):
    STATUTORY = "statutory", _("statutory")  # statutair
    CONTRACTUAL = "contractual", _("contractual")  # contractueel


class SalarySystem(models.TextChoices):
    SENIORITY = "seniority", _("seniority-based")  # op basis van anciënniteit
    EVALUATION = "evaluation", _("evaluation-based")  # op basis van evaluatie


class OtherEvaluation(models.TextChoices):
    """A function evaluated in other forms than the annual evaluation (PLOEG: "Voor
    topkaderfuncties bestaan andere evaluatievormen"), recorded by HR on the person; the
    cycle computation reads it (``rulebook.eligibility``)."""

    TOP_MANAGER = "top_manager", _("top manager")  # topkader
    MANDATE_HOLDER = "mandate_holder", _("mandate holder")  # mandaathouder


class Person(models.Model):
    """Anyone employed by an organisation; managers are persons too."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    employee_number = models.CharField(_("employee number"), max_length=40)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=8, choices=languages.CHOICES, default=languages.DEFAULT
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="members", verbose_name=_("unit")
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    grade = models.CharField(_("grade / level"), max_length=20, blank=True)  # niveau
    rank = models.CharField(_("rank"), max_length=40, blank=True)  # rang
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    working_time_fraction = models.DecimalField(
        _("working-time fraction"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    employment_status = models.CharField(
        _("employment status"), max_length=16, choices=EmploymentStatus.choices
    )
    salary_system = models.CharField(
        _("salary system"), max_length=16, choices=SalarySystem.choices
    )
    # False: salary_system follows the 1 June 2024 rule from the start date;
    # True: HR set it by hand (voluntary switch, promotion).
    salary_system_overridden = models.BooleanField(_("salary system set by hand"), default=False)
    probation_end_date = models.DateField(_("end of probation"), null=True, blank=True)
    # Top manager or mandate holder, evaluated in other forms than the annual evaluation:
    # which one, why (HR's words) and from which day; all three or none
    # (``cycles.other_evaluation``).
    other_evaluation = models.CharField(
        _("other evaluation form"), max_length=20, choices=OtherEvaluation.choices,
        blank=True, default="")
    other_evaluation_reason = models.CharField(
        _("why evaluated in another form"), max_length=500, blank=True, default="")
    other_evaluation_from = models.DateField(
        _("evaluated in another form from"), null=True, blank=True)
    # When the record last changed, for integrations that read what changed since their
    # last run (``GET /api/v1/people?updated_since=``): the wall clock, set on every
    # save; the bulk writes (the import, retention's pseudonymisation) set it themselves.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering: ClassVar[list[str]] = ["last_name", "first_name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="person_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="person_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(working_time_fraction__gt=0) & Q(working_time_fraction__lte=1),
                name="person_fraction_in_range",
            ),
            models.CheckConstraint(
                condition=Q(other_evaluation="", other_evaluation_reason="",
                            other_evaluation_from__isnull=True)
                | (~Q(other_evaluation="") & ~Q(other_evaluation_reason="")
                   & Q(other_evaluation_from__isnull=False)),
                name="person_other_evaluation_whole",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # Team pages and the unit tree list a unit's members by name.
            models.Index(fields=["unit", "last_name", "first_name"], name="person_unit_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def reading_language(self) -> str:
        """The language this person reads Koers in (e-mail, PDFs): their account's
        choice, else their record's."""
        chosen = self.user.language if self.user is not None else ""
        return languages.supported(chosen or self.language).value


class WorkSource(models.TextChoices):
    IMPORTED = "imported", _("imported")
    ESTIMATED = "estimated", _("estimated")
    CORRECTED = "corrected", _("corrected by HR")


class EffectiveWork(models.Model):
    """Hours a person effectively worked in a calendar year (the Flemish 479-hour rule)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="effective_work", verbose_name=_("person")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours_worked = models.DecimalField(
        _("hours effectively worked"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(8784))],
    )
    source = models.CharField(_("source"), max_length=16, choices=WorkSource.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("effective work")
        verbose_name_plural = _("effective work")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["person", "year"], name="effective_work_once_a_year"),
            models.CheckConstraint(
                condition=Q(hours_worked__gte=0) & Q(hours_worked__lte=8784),
                name="effective_work_hours_in_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.year}: {self.hours_worked} h"

class AbsenceKind(models.TextChoices):
    ANNUAL_LEAVE = "annual_leave", _("annual leave")
    SICKNESS = "sickness", _("sickness")
    CAREER_BREAK = "career_break", _("career break")
    PARENTAL_LEAVE = "parental_leave", _("parental leave")
    OTHER = "other", _("other absence")


class Absence(models.Model):
    """A period without effective work; it does not count towards the hours worked."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="absences", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AbsenceKind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering: ClassVar[list[str]] = ["start_date"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="absence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start_date}–{self.end_date}"

class WorkingTimeChange(models.Model):
    """A change of a person's working-time fraction (their work regime), kept so that
    the federal rule "a functioning conversation after a change of work regime" ([b3],
    ``conversations.rules``) can be followed. Written by ``person_save`` and the import
    of people, on the organisation's day of the change (docs/conversations.md)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="working_time_changes",
        verbose_name=_("person"),
    )
    changed_on = models.DateField(_("changed on"))
    fraction_before = models.DecimalField(_("fraction before"), max_digits=4,
                                          decimal_places=3)
    fraction_after = models.DecimalField(_("fraction after"), max_digits=4, decimal_places=3)

    class Meta:
        verbose_name = _("change of working time")
        verbose_name_plural = _("changes of working time")
        ordering: ClassVar[list[str]] = ["changed_on", "pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["person", "changed_on"], name="working_time_change_day"),
        ]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.fraction_before}→{self.fraction_after}"


class EvaluatorOverride(models.Model):
    """An explicit 1st and/or 2nd evaluator for a person during a period.

    Used where the tree gives the wrong answer, e.g. a team without a manager
    in which a team member acts as 1st evaluator.
    """

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="evaluator_overrides",
        verbose_name=_("person"),
    )
    first_evaluator = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("1st evaluator"),
    )
    second_evaluator = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("2nd evaluator"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("evaluator override")
        verbose_name_plural = _("evaluator overrides")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="override_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(first_evaluator__isnull=False) | Q(second_evaluator__isnull=False),
                name="override_names_an_evaluator",
            ),
            models.CheckConstraint(
                condition=~Q(first_evaluator=F("person")) & ~Q(second_evaluator=F("person")),
                name="override_not_self",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # "Whom do I evaluate by override?" on the manager's home page.
            models.Index(fields=["first_evaluator", "valid_from"], name="override_first"),
            models.Index(fields=["second_evaluator", "valid_from"], name="override_second"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.valid_from}–{self.valid_until or ''}"


class EvaluatorLinePeriod(models.Model):
    """A read model: a person's 1st and 2nd evaluator during a period of days.

    Written only by ``evaluators.refresh_lines``, which the services that change a
    fact of the line call in their own transaction (a person who moves or joins, a
    unit that gets another manager or moves, an override that starts or ends, an
    applied import, a generated organisation). The periods of one person cover every
    day once, from ``EVER`` to ``NEVER``, and break where an override starts or ends:
    on any day they say what ``evaluators.derived_lines`` derives from the tree and
    the overrides as they stand, so "whom do I evaluate?" is one indexed lookup
    whatever the size of the organisation. ``koers evaluator-lines --check`` compares
    both; ``--rebuild`` writes them again.
    """

    EVER = dt.date(1, 1, 1)
    NEVER = dt.date(9999, 12, 31)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    first_evaluator = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, related_name="+")
    second_evaluator = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, related_name="+")
    first_is_override = models.BooleanField(default=False)
    second_is_override = models.BooleanField(default=False)
    valid_from = models.DateField()
    valid_until = models.DateField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="line_period_ends_after_start"
            ),
            models.UniqueConstraint(fields=["person", "valid_from"], name="line_period_once"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["first_evaluator", "valid_from"], name="line_first"),
            models.Index(fields=["second_evaluator", "valid_from"], name="line_second"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.valid_from}–{self.valid_until}"

class Role(models.TextChoices):
    HR = "hr", _("HR")
    DIRECTOR = "director", _("director")
    MANAGEMENT_BODY = "management_body", _("management body")
    ADVISORY_BODY = "advisory_body", _("advisory body")
    APPEAL_BOARD = "appeal_board", _("appeal board")
    # Reads the security log of refused requests (access.security); organisation-wide.
    SECURITY_OFFICER = "security_officer", _("security officer")


class RoleGrant(models.Model):
    """A role a person holds: HR for a unit subtree, director of a unit, member of a body."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_grants"
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # HR and director grants are scoped to a unit subtree; bodies are organisation-wide.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        verbose_name=_("unit (with its subtree)"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="grant_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["hr", "director"]) | Q(unit__isnull=False),
                name="grant_unit_scoped_roles_have_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.person_id})"

class ImportKind(models.TextChoices):
    UNITS = "units", _("units")
    PEOPLE = "people", _("people")
    EFFECTIVE_WORK = "effective_work", _("hours effectively worked")
    ABSENCES = "absences", _("absences")


class ImportPhase(models.TextChoices):
    """Where the application of an import stands: it runs in a task worker."""

    NONE = "", _("not under way")
    QUEUED = "queued", _("waiting its turn")
    WRITING = "writing", _("writing the rows")
    FOLLOWING = "following", _("updating the running cycles")
    FAILED = "failed", _("stopped by an error")


class ImportBatch(models.Model):
    """An uploaded import file, kept between its dry run and its application.

    HR checks the dry-run report, then applies the very same bytes: nobody uploads twice,
    and what is applied is what was checked (validated again against the current data).
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="import_batches",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    # Emptied once applied: the data then lives in its tables, and a second copy of
    # personal data serves nobody.
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    dry_run_report = models.JSONField(_("dry-run report"), default=dict)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )

    # Applying runs in a task worker (``importing.import_batch_run``): who asked, when, and
    # how far it got.
    apply_phase = models.CharField(_("application"), max_length=10, choices=ImportPhase.choices,
                                   blank=True, default=ImportPhase.NONE)
    apply_requested_at = models.DateTimeField(_("application asked for at"), null=True,
                                              blank=True)
    apply_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application asked for by"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(applied_by__isnull=True) | Q(applied_at__isnull=False),
                name="import_applied_by_needs_applied_at",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # "Recent imports" on the import page, newest first per organisation.
            models.Index(fields=["organisation", "-created_at"], name="import_recent"),
        ]

    def __str__(self) -> str:
        return self.file_name


class ReferenceCounter(models.Model):
    """The last reference number an organisation gave out in a year (``records.py``).

    One row per organisation and year, only ever counted up, in the transaction that
    allocates the number with the row locked: two signatures at the same moment get two
    numbers, and a number is never given twice, not even after its record is erased."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "year"],
                                    name="reference_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}: {self.last}"


class RecordReference(models.Model):
    """The reference number of a signed record (an evaluation report, a development
    plan's signed round): organisation, year and sequence, given once at its first
    signature. The row names the record by type and id, without a foreign key, so it
    outlives the record: a number stays taken after retention erased what it named."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    record_type = models.CharField(max_length=64)  # the model's label, "evaluations.evaluation"
    record_id = models.PositiveBigIntegerField()
    allocated_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "year", "sequence"],
                                    name="record_reference_unique"),
            # One number per record; this index also serves "the number of this record".
            models.UniqueConstraint(fields=["record_type", "record_id"],
                                    name="record_reference_one_per_record"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}-{self.year}-{self.sequence}"
