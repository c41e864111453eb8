"""Guessing passwords on the log-in page: how many wrong passwords an attacker gets
before the lock (``ACCOUNT_RATE_LIMITS`` in config/settings.py: 5 failures per account in
5 minutes, 10 per address a minute), that the right password is then refused as well,
and that the lock stops the attacker, not everyone else. The security log's lockout row
and the limit behind a reverse proxy: tests/access/test_security.py."""

import pytest
from django.db.models import Sum
from django.urls import reverse

from koers.access.models import Refusal, RefusalKind
from tests import personas
from tests.security import figures

pytestmark = pytest.mark.django_db

REPORT = "Brute force"
ATTACKER = "198.51.100.66"
BYSTANDER = "192.0.2.10"
PASSWORD = "demo"  # every persona's (tests/factories)
BOUND = 50  # an attack the limit does not stop within this many fails the test


def _try(client, email: str, password: str, ip: str) -> bool:
    """One attempt; True when it signed in."""
    client.post(reverse("account_login"), {"login": email, "password": password},
                REMOTE_ADDR=ip)
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return signed_in


def _lockouts() -> int:
    """Log-ins refused for the limit so far (the security log counts each)."""
    return Refusal.objects.filter(kind=RefusalKind.LOCKOUT).aggregate(n=Sum("count"))["n"] or 0


def _guess_until_locked(client, emails: list[str], ips: list[str]) -> int:
    """Wrong passwords (for ``emails`` from ``ips``, in turn) until one is refused for
    the limit; how many were judged before that one."""
    for attempt in range(BOUND):
        before = _lockouts()
        _try(client, emails[attempt % len(emails)], f"guess-{attempt}", ips[attempt % len(ips)])
        if _lockouts() > before:
            return attempt
    pytest.fail(f"{BOUND} wrong passwords and no lock")


def test_one_account_is_locked_after_five_wrong_passwords_from_any_address(client):
    p = personas.build()
    victim = p.employee.user.email
    addresses = [f"203.0.113.{n}" for n in range(1, 60)]  # a new address for every guess

    judged = _guess_until_locked(client, [victim], addresses)
    right_password_refused = not _try(client, victim, PASSWORD, ATTACKER)
    bystander_signs_in = _try(client, p.colleague.user.email, PASSWORD, BYSTANDER)

    figures.record(REPORT, "wrong passwords judged for one account before its lock", judged)
    figures.record(REPORT, "log-ins with the right password refused on the locked account",
                   int(right_password_refused))
    figures.record(REPORT, "log-ins of another user from another address refused",
                   int(not bystander_signs_in))
    assert judged == 5
    assert right_password_refused
    assert bystander_signs_in


def test_one_address_is_locked_after_ten_wrong_passwords_for_any_accounts(client):
    p = personas.build()
    accounts = [f"guess{n}@example.org" for n in range(60)]  # a new account for every guess

    judged = _guess_until_locked(client, accounts, [ATTACKER])
    right_password_refused = not _try(client, p.employee.user.email, PASSWORD, ATTACKER)
    bystander_signs_in = _try(client, p.colleague.user.email, PASSWORD, BYSTANDER)

    figures.record(REPORT, "wrong passwords judged from one address before its lock", judged)
    figures.record(REPORT, "log-ins with the right password refused from the locked address",
                   int(right_password_refused))
    figures.record(REPORT, "log-ins of another user from another address refused",
                   int(not bystander_signs_in))
    assert judged == 10
    assert right_password_refused
    assert bystander_signs_in
