"""HR's requests to read a person's content, and the log of every read under a grant."""

from typing import ClassVar

from django.apps import apps
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.core.models import User
from koers.organisation.models import Organisation, Person


class Scope(models.TextChoices):
    GOALS = "goals", _("goals")
    CONVERSATIONS = "conversations", _("conversations")
    EVALUATIONS = "evaluations", _("evaluations")
    ALL = "all", _("all content")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    # Not stored: a granted request past its period shows as expired (see ``shown_status``).
    EXPIRED = "expired", _("expired")


class AccessRequest(models.Model):
    """HR asks to read a person's content for a reason and a period; the approver decides."""

    requester = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("requested by"))
    subject = models.ForeignKey(Person, on_delete=models.CASCADE,
                                related_name="access_requests", verbose_name=_("about"))
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    reason = models.TextField(_("reason"))
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.REQUESTED)
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"))

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")),
                                   name="access_request_period_in_order"),
            models.CheckConstraint(
                condition=~Q(status="expired"), name="access_request_expiry_is_computed"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # hr_may_read_content: the granted requests about one person.
            models.Index(fields=["subject", "status"], name="access_request_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.subject} ({self.scope})"


class ReadBasis(models.TextChoices):
    REQUEST = "request", _("granted request")
    # The Dutch municipal regulation lets the director read the department's reports.
    DIRECTOR = "director", _("director of the department")


class AccessRead(models.Model):
    """One read of a record by HR under a granted request, or by a director of the
    department where the policy lets directors read reports: the employee sees these."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="reads",
                                null=True, blank=True, verbose_name=_("request"))
    basis = models.CharField(_("on the basis of"), max_length=20, choices=ReadBasis.choices,
                             default=ReadBasis.REQUEST)
    reader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("read by"))
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="content_reads",
                                verbose_name=_("about"))
    record_type = models.CharField(_("record type"), max_length=100)
    record_id = models.CharField(_("record"), max_length=40)
    record_label = models.CharField(_("what"), max_length=300)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("content read")
        verbose_name_plural = _("content reads")
        indexes: ClassVar[list[models.Index]] = [
            # "Who looked at my data": a person's reads, newest first.
            models.Index(fields=["subject", "-read_at"], name="access_read_subject"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(basis="request", request__isnull=False)
                | Q(basis="director", request__isnull=True),
                name="access_read_basis_matches_request"),
        ]

    def __str__(self) -> str:
        return f"{self.reader} → {self.record_label}"

    @property
    def why(self) -> str:
        """The request's reason, or the director's standing right to read."""
        return self.request.reason if self.request is not None else str(self.get_basis_display())


class Pseudonymisation(models.Model):
    """A person whose data retention erased: their name, contact details and login were
    replaced, their content deleted (access/retention.py). Holds nothing personal; a
    run skips the people recorded here."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+",
                                  primary_key=True, verbose_name=_("person"))
    at = models.DateTimeField(_("pseudonymised at"))

    class Meta:
        verbose_name = _("pseudonymisation")
        verbose_name_plural = _("pseudonymisations")

    def __str__(self) -> str:
        return f"{self.person_id} {self.at:%Y-%m-%d}"


class RefusalKind(models.TextChoices):
    READ = "read", _("read of a record not theirs")
    CLOSED_WRITE = "closed_write", _("change to a signed or closed record")
    SIGN = "sign", _("refused signature")
    LOCKOUT = "lockout", _("login lockout")
    # An API token refused: unknown, revoked, expired, of a deactivated user, a
    # read-only token that tried to write, or one over its rate limit (access/tokens.py).
    TOKEN = "token", _("refused API token")
    # A sign-in refused: through the employer's identity provider (nobody matched, an
    # unverified e-mail, a person already linked to another identity) or with a password
    # the organisation no longer allows (access/sign_in.py).
    SIGN_IN = "sign_in", _("refused sign-in")


class Refusal(models.Model):
    """Refused requests for the security log (access/security.py), counted per minute:
    one row per user (or, before login, per address), IP, kind, kind of record and
    minute, whose ``count`` grows with each repeat. It names the first and the last
    record tried by type and id, never their content."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("organisation"))
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("user"))
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("person"))
    # What the lockout was for when nobody signed in (the e-mail address tried).
    login = models.CharField(_("login"), max_length=254, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RefusalKind.choices)
    action = models.CharField(_("action"), max_length=40)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.BigIntegerField(_("record"), null=True, blank=True)
    last_target_id = models.BigIntegerField(_("last record"), null=True, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    minute = models.DateTimeField(_("minute"))
    last_at = models.DateTimeField(_("last at"))
    count = models.PositiveIntegerField(_("count"), default=1)

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # The bound on a storm: a repeat within the minute updates this row.
            models.UniqueConstraint(
                fields=["user", "login", "ip", "kind", "target_type", "minute"],
                name="refusal_one_row_per_minute"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # The security log of an organisation, newest first.
            models.Index(fields=["organisation", "-minute"], name="refusal_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type}:{self.target_id} x{self.count}"

    @property
    def target_label(self) -> str:
        """The kind of record in the reader's language ("evaluation"); the stored type
        ("evaluations.evaluation") if its model is gone."""
        if not self.target_type:
            return ""
        try:
            model = apps.get_model(self.target_type)
        except (LookupError, ValueError):
            return self.target_type
        return str(model._meta.verbose_name)


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


class ApiToken(models.Model):
    """A personal API token (access/tokens.py): a script calls the API as the token's
    user, with that user's rights, or only reads. The token itself is shown once, when
    it is made; only its SHA-256 is stored, found through its first characters
    (``prefix``, which are not secret and name the token in lists and the log)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices)
    created_at = models.DateTimeField(_("created at"))
    # Valid through this day (the server's time zone); always set: no token lives forever.
    expires_on = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.CharField(_("last used from"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes: ClassVar[list[models.Index]] = [
            # A person's tokens, newest first (the tokens page and GET /me/api-tokens).
            models.Index(fields=["user", "-created_at"], name="api_token_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class ApiTokenUse(models.Model):
    """The uses of a token, counted per minute and IP address like the refusals of the
    security log: a script calling a thousand times a minute writes one row. ``writes``
    counts the requests that may change something (any method but GET, HEAD, OPTIONS)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses",
                              verbose_name=_("API token"))
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    minute = models.DateTimeField(_("minute"))
    last_at = models.DateTimeField(_("last at"))
    count = models.PositiveIntegerField(_("count"), default=1)
    writes = models.PositiveIntegerField(_("writes"), default=0)

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["token", "ip", "minute"],
                                    name="api_token_use_one_row_per_minute"),
        ]

    def __str__(self) -> str:
        return f"{self.token_id} {self.minute:%Y-%m-%d %H:%M} x{self.count}"


class RenderingState(models.TextChoices):
    QUEUED = "queued", _("waiting for a task worker")
    RENDERING = "rendering", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")
    OVER_BUDGET = "over_budget", _("too large or too slow")


class Rendering(models.Model):
    """A file someone asked for, made by a task worker (``access/renderings.py``): a PDF
    laid out from HTML, or a table (CSV, XLSX) made from its parameters.

    A copy of what the requester could read when they asked: only they download it, only
    while they may still read its subject, and only until it expires. The HTML is kept
    until the worker has laid it out; the file until the rendering expires.
    """

    requester = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # a registered kind (``renderings.KINDS``)
    subject_id = models.PositiveBigIntegerField()
    # A digest of the HTML and its stylesheet: the same digest is the same document.
    revision = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    state = models.CharField(max_length=12, choices=RenderingState.choices,
                             default=RenderingState.QUEUED)
    reason = models.CharField(max_length=12, blank=True)  # ``renderings.Reason``
    file_name = models.CharField(max_length=200)
    html = models.TextField(blank=True)
    stylesheet = models.TextField(blank=True)
    # What a table is made of (its filters, its format): the worker reads it again.
    parameters = models.JSONField(default=dict, blank=True)
    content = models.BinaryField(null=True, editable=False)
    content_type = models.CharField(max_length=100, default="application/pdf")
    pages = models.PositiveIntegerField(null=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # One rendering of a document at a time per requester: a second request while
            # it waits or is laid out finds it (``renderings.rendering_request``).
            models.UniqueConstraint(
                fields=["requester", "kind", "subject_id", "revision", "language"],
                condition=Q(state__in=["queued", "rendering"]),
                name="rendering_one_under_way"),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "rendering", "ready", "failed",
                                       "over_budget"]),
                name="rendering_state_known"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["requester", "kind", "subject_id"],
                         name="rendering_of_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} ({self.state})"


class SubjectClaim(models.TextChoices):
    SUB = "sub", _("sub (the standard subject identifier)")
    OID = "oid", _("oid (Microsoft Entra ID object id)")


class EmployerSignIn(models.Model):
    """An organisation's sign-in through its employer's identity provider (OpenID
    Connect): what HR of the whole organisation sets on the page (access/sign_in.py).
    The client secret is never stored: ``secret_variable`` names the environment
    variable (or, with ``_FILE``, the file) the operator put it in."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                        related_name="employer_sign_in",
                                        verbose_name=_("organisation"))
    # The provider's id in the sign-in and redirect URLs (/accounts/oidc/<id>/login/).
    provider_id = models.SlugField(_("provider id"), max_length=60, unique=True)
    name = models.CharField(_("button label"), max_length=100)
    server_url = models.URLField(_("issuer or metadata URL"), max_length=500)
    client_id = models.CharField(_("client id"), max_length=200)
    secret_variable = models.CharField(_("environment variable of the client secret"),
                                       max_length=100)
    subject_claim = models.CharField(_("stable identifier claim"), max_length=8,
                                     choices=SubjectClaim.choices, default=SubjectClaim.SUB)
    employee_number_claim = models.CharField(_("employee number claim"), max_length=100,
                                             blank=True)
    email_domains = models.CharField(_("authoritative e-mail domains"), max_length=500,
                                     blank=True)
    passwords_allowed = models.BooleanField(_("local passwords allowed"), default=True)
    second_factor = models.BooleanField(_("the provider asks for a second factor"),
                                        default=False)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("changed at"))
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("changed by"))

    class Meta:
        verbose_name = _("employer sign-in")
        verbose_name_plural = _("employer sign-ins")

    def __str__(self) -> str:
        return self.provider_id
