"""HR's requests to read a person's content, and the log of every read under a grant."""

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koers.organisation.models import Person


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


class AccessRead(models.Model):
    """One read of a record by HR under a granted request: the employee sees these."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="reads",
                                verbose_name=_("request"))
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

    def __str__(self) -> str:
        return f"{self.reader} → {self.record_label}"


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
