"""The cache every web process shares: Django's database cache, whose table is part of
the schema (``core.CacheEntry``), where allauth counts the failed log-ins."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from koers.core.models import CacheEntry
from tests import personas


def test_the_default_cache_is_the_database_table_the_migrations_create():
    """`koers migrate` makes the table the cache uses, with nothing else to run."""
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()

    assert isinstance(caches["default"], DatabaseCache)
    assert (state.models["core", "cacheentry"].options["db_table"]
            == settings.CACHES["default"]["LOCATION"] == CacheEntry._meta.db_table)


def _fail_logins(client, count: int) -> None:
    for n in range(count):  # another address each time: only the per-IP limit counts
        client.post(reverse("account_login"), {"login": f"guess{n}@example.org",
                                               "password": "wrong"})


@pytest.mark.django_db
def test_the_log_in_rate_limit_is_counted_in_the_shared_table_and_nowhere_else(client):
    """What one process counted, another reads from the database: emptying the table
    (as a fresh process would find it otherwise) lifts the limit."""
    p = personas.build()
    _fail_logins(client, 10)  # the per-IP limit: 10 failures a minute
    assert CacheEntry.objects.filter(cache_key__contains="login_failed").exists()

    locked = client.post(reverse("account_login"), {"login": p.employee.user.email,
                                                    "password": "demo"})
    CacheEntry.objects.all().delete()
    allowed = client.post(reverse("account_login"), {"login": p.employee.user.email,
                                                     "password": "demo"})

    assert locked.status_code == 200  # refused: the form again
    assert allowed.status_code == 302
