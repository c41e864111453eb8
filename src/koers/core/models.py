from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.core import languages


class KoersUserManager(UserManager["User"]):
    """Accounts are identified by e-mail; the username mirrors it for Django's admin."""

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        email = self.normalize_email(email).lower()
        extra.setdefault("username", email)
        return super().create_superuser(email=email, password=password, **extra)


class User(AbstractUser):
    """A login. Employment facts live on ``organisation.Person``; a person may have one."""

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=languages.CHOICES, default=languages.DEFAULT
    )

    objects: ClassVar[KoersUserManager] = KoersUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["username"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Keep Django's unique username in step with the login e-mail.
        self.email = self.email.lower()
        self.username = self.email
        super().save(*args, **kwargs)


class CacheEntry(models.Model):
    """A row of Django's database cache (``CACHES`` in the settings), where allauth counts
    failed log-ins for every web process at once. The cache reads and writes the table
    with its own SQL, never through this model; the model is there so that the table is
    part of the schema: `koers migrate` creates it on a fresh machine and in every test
    database (SQLite and PostgreSQL, one per pytest-xdist worker), and `flush` empties it
    between tests. Its columns are those `koers createcachetable` would make."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "koers_cache"

    def __str__(self) -> str:
        return self.cache_key


class TaskLock(models.Model):
    """A periodic task being run, on a database without advisory locks (SQLite): the row
    is the lock (``core.locks``). PostgreSQL uses ``pg_try_advisory_lock`` instead and
    never writes here."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=64)
    # A holder that died leaves its row behind; after this moment another may take it.
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class Heartbeat(models.Model):
    """When a process last showed it works: ``worker`` is written by a task that every
    round of the scheduler enqueues, so it is recent only while a worker runs tasks
    (``core.health`` reads it for the readiness check)."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
