"""The audit trail: append-only events, hash-chained per record (see docs/audit.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.core.models import User

# The ``prev_hash`` of the first event of every chain.
GENESIS = "0" * 64


class ActorKind(models.TextChoices):
    USER = "user", _("user")
    SYSTEM = "system", _("system")


class AuditEvent(models.Model):
    """Who changed what, when, with the before and after of each changed field.

    ``chain`` is the record the event is about ("organisation.person:42"); ``seq``
    counts from 1 within it and ``prev_hash`` is the ``hash`` of the event before.

    The personal parts, who (``actor_label``) and what (``changes``), enter the hash
    through a salted digest each, so retention can erase either and leave a chain that
    still verifies: erasure empties the part and its salt, keeps its digest, and names
    the erasure run in ``*_redacted_in`` (docs/audit.md). Nothing else is ever updated,
    and the application never deletes an event.
    """

    chain = models.CharField(max_length=160)
    seq = models.PositiveBigIntegerField()
    # PROTECT: an event names its actor for as long as it is kept.
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_kind = models.CharField(max_length=8, choices=ActorKind.choices)
    actor_label = models.CharField(max_length=254)
    organisation_id = models.IntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict)
    # A random salt per part: without it, the digest of an erased part could be confirmed
    # by guessing (an e-mail address, a name). Emptied with its part.
    actor_salt = models.CharField(max_length=32, blank=True)
    actor_digest = models.CharField(max_length=64)
    changes_salt = models.CharField(max_length=32, blank=True)
    changes_digest = models.CharField(max_length=64)
    # The erasure run that emptied the part ("" while it is whole); the run's own
    # "audit.redacted" event counts the parts it emptied.
    actor_redacted_in = models.CharField(max_length=32, blank=True)
    changes_redacted_in = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    # The key whose HMAC ``hash`` is (audit/keys.py); "" for an event hashed before the
    # trail had a key (plain SHA-256). The hash covers it.
    key_id = models.CharField(max_length=16, blank=True, default="")
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            # Two writers appending to the same chain cannot both take the same seq:
            # one fails and retries instead of forking the chain. The index also serves
            # a record's history (chain=…, ordered by seq) and the verifier's one pass.
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq"),
        ]
        indexes = [
            # Listing and retention by organisation, newest first.
            models.Index(fields=["organisation_id", "created_at"], name="audit_event_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """The last event of each chain, written in the same transaction as the event.

    It is the row a writer locks to append, and the anchor that shows a deleted last
    event (the chain itself cannot: its tail just looks shorter).
    """

    chain = models.CharField(max_length=160, primary_key=True)
    last_seq = models.PositiveBigIntegerField()
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.chain}#{self.last_seq}"
