"""An organisation's choices on top of its preset, and the record of every change."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.organisation.models import Organisation


class PolicyOverride(models.Model):
    """One field of the preset an organisation set differently (HR only)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="policy_overrides"
    )
    field = models.CharField(_("setting"), max_length=64)
    # NULL: the organisation switched off a setting the preset uses (an optional one).
    value = models.JSONField(_("value"), null=True)

    class Meta:
        verbose_name = _("policy setting")
        verbose_name_plural = _("policy settings")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["organisation", "field"], name="override_once"),
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class PolicyChange(models.Model):
    """Who changed which policy setting when, from what to what (never edited)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="policy_changes"
    )
    field = models.CharField(_("setting"), max_length=64)
    old_value = models.JSONField(_("before"), null=True)
    new_value = models.JSONField(_("after"), null=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("policy change")
        verbose_name_plural = _("policy changes")
        ordering: ClassVar[list[str]] = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"
