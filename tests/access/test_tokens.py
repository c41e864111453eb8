"""Personal API tokens in the domain (access/tokens.py, docs/integrations.md): made by
their owner, stored as a digest, ended by expiry, revocation or deactivation, every use
counted and every refusal in the security log."""

import datetime as dt
import hashlib

import pytest

from koers.access import tokens
from koers.access.models import ApiToken, ApiTokenUse, Refusal, RefusalKind, TokenScope
from koers.audit.models import AuditEvent
from koers.core import clock
from koers.core.errors import ValidationFailed
from tests import personas

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, 0, 30, tzinfo=dt.UTC)
IP = "198.51.100.7"


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


def make(user, *, scope: str = TokenScope.WRITE, days: int = 30) -> tokens.MadeToken:
    return tokens.token_create(user=user, name="Loonsysteem", scope=scope,
                               expires_on=clock.today() + dt.timedelta(days=days))


def test_only_a_digest_of_the_token_is_stored_and_its_making_is_audited(p) -> None:
    with clock.frozen(NOON):
        made = make(p.hr.user)

    stored = ApiToken.objects.get()
    assert made.secret.startswith(f"koers_{stored.prefix}_")
    assert len(made.secret) == len("koers_") + 8 + 1 + 43
    assert stored.digest == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in str(list(ApiToken.objects.values()))
    event = AuditEvent.objects.get(action="api_token.created")
    assert (event.actor_id, event.target_id) == (p.hr.user.pk, str(stored.pk))
    assert made.secret not in str(event.changes)


@pytest.mark.parametrize(("name", "scope", "days", "field"), [
    ("", TokenScope.READ, 30, "name"),
    ("Script", "admin", 30, "scope"),
    ("Script", TokenScope.READ, 0, "expires_on"),  # must end after today
    ("Script", TokenScope.READ, 366, "expires_on"),  # beyond KOERS_API_TOKEN_MAX_DAYS
])
def test_a_token_needs_a_name_a_scope_and_an_expiry_within_the_maximum(
        p, name, scope, days, field) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tokens.token_create(user=p.hr.user, name=name, scope=scope,
                            expires_on=clock.today() + dt.timedelta(days=days))

    assert list(refused.value.errors) == [field]
    assert not ApiToken.objects.exists()


def test_the_maximum_lifetime_is_the_operators_setting(p, settings) -> None:
    settings.KOERS_API_TOKEN_MAX_DAYS = 7

    with pytest.raises(ValidationFailed):
        make(p.hr.user, days=8)
    assert make(p.hr.user, days=7).token.expires_on == clock.today() + dt.timedelta(days=7)


def test_a_token_cannot_make_a_token(p) -> None:
    made = make(p.hr.user)

    with pytest.raises(tokens.SessionRequired):
        tokens.token_create(user=p.hr.user, name="Nog een", scope=TokenScope.WRITE,
                            expires_on=clock.today() + dt.timedelta(days=1), through=made.token)
    assert ApiToken.objects.count() == 1


def test_a_valid_token_is_its_user_and_each_use_is_counted_per_minute(p) -> None:
    made = make(p.hr.user)

    with clock.frozen(NOON):
        first = tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")
        tokens.token_authenticate(presented=made.secret, ip=IP, method="POST")
    with clock.frozen(NOON + dt.timedelta(minutes=1)):
        tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")

    assert first.user == p.hr.user
    uses = list(ApiTokenUse.objects.order_by("minute").values_list("minute", "count", "writes"))
    assert uses == [(NOON.replace(second=0), 2, 1),
                    (NOON.replace(second=0) + dt.timedelta(minutes=1), 1, 0)]
    made.token.refresh_from_db()
    assert (made.token.last_used_at, made.token.last_used_ip) == (
        NOON + dt.timedelta(minutes=1), IP)


def _refusals() -> list[tuple[str, str, int | None]]:
    return list(Refusal.objects.filter(kind=RefusalKind.TOKEN)
                .values_list("action", "ip", "user_id"))


def test_an_unknown_or_altered_token_is_refused_and_logged(p) -> None:
    made = make(p.hr.user)
    altered = made.secret[:-1] + ("A" if made.secret[-1] != "A" else "B")

    for presented in (altered, "koers_0000_kort", "geheim"):
        with pytest.raises(tokens.TokenRefused):
            tokens.token_authenticate(presented=presented, ip=IP, method="GET")

    # One row per minute and IP: the three tries count in it.
    assert _refusals() == [("unknown", IP, None)]
    assert Refusal.objects.get().count == 3


def test_a_revoked_token_is_refused_from_the_next_request_on(p) -> None:
    made = make(p.hr.user)

    tokens.token_revoke(user=p.hr.user, token=made.token)

    with pytest.raises(tokens.TokenRefused):
        tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")
    assert _refusals() == [("revoked", IP, p.hr.user.pk)]
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_the_tokens_of_a_deactivated_user_end_with_the_user(p) -> None:
    """Deactivation ends every way in at once, the tokens too."""
    made = make(p.hr.user)
    p.hr.user.is_active = False
    p.hr.user.save(update_fields=["is_active"])

    with pytest.raises(tokens.TokenRefused):
        tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")
    assert _refusals() == [("user_inactive", IP, p.hr.user.pk)]
    assert tokens.is_active(ApiToken.objects.get()) is False


def test_a_token_works_through_its_expiry_day_and_not_after(p) -> None:
    with clock.frozen(NOON):
        made = make(p.hr.user, days=1)
    last_day = NOON + dt.timedelta(days=1)

    with clock.frozen(last_day):
        tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")
    with clock.frozen(last_day + dt.timedelta(days=1)), pytest.raises(tokens.TokenExpired):
        tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")


def test_a_read_only_token_reads_and_never_writes(p) -> None:
    made = make(p.hr.user, scope=TokenScope.READ)

    tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        with pytest.raises(tokens.TokenReadOnly):
            tokens.token_authenticate(presented=made.secret, ip=IP, method=method)

    assert _refusals() == [("read_only", IP, p.hr.user.pk)]


def test_a_token_over_its_rate_waits_for_the_next_minute(p, settings) -> None:
    settings.KOERS_API_TOKEN_RATE_PER_MINUTE = 2
    made = make(p.hr.user)

    with clock.frozen(NOON):
        for _ in range(2):
            tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")
        with pytest.raises(tokens.TokenRateLimited) as limited:
            tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")
    with clock.frozen(NOON + dt.timedelta(minutes=1)):
        tokens.token_authenticate(presented=made.secret, ip=IP, method="GET")

    assert limited.value.retry_after == 30  # NOON is half a minute in
    assert _refusals() == [("rate_limited", IP, p.hr.user.pk)]


def test_a_person_sees_and_revokes_only_their_own_tokens(p) -> None:
    mine, theirs = make(p.hr.user), make(p.employee.user)

    assert list(tokens.tokens_visible_to(p.hr.user)) == [mine.token]
    assert tokens.token_for(p.hr.user, theirs.token.pk) is None
