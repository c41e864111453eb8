"""Personal API tokens: how a script calls the API as a person (docs/integrations.md).

A token acts as its user, with exactly that user's rights, asked of the same policy as
every request; its scope can only narrow them (``read``: no request but GET, HEAD and
OPTIONS). The person makes and revokes their tokens themselves, on the tokens page or
through the API, from a signed-in session: for an account with two-factor sign-in, a
session that passed the second factor. A token cannot make another token, so a leaked
one cannot outlive its own expiry.

**Stored hashed.** A token is ``koers_<prefix>_<secret>``: 8 hexadecimal characters
that find the row (and name the token in lists and the security log) and 43 characters
of ``secrets.token_urlsafe`` (256 bits). The row keeps the SHA-256 of the whole token;
a salt or a slow hash would add nothing to a secret that long, and the comparison is
constant-time. The token is shown once, in the answer that made it.

**Ends.** Every token has an expiry day, at most ``KOERS_API_TOKEN_MAX_DAYS`` ahead;
it is refused from the day after, when it is revoked, and as soon as its user is
deactivated (by HR, an administrator, or retention, which also deletes it).

**Every use accounted for.** A use moves the token's last use (time and IP address)
and counts in its row of the minute (``ApiTokenUse``, bounded as the security log is);
a refused token (unknown, revoked, expired, of a deactivated user, a read-only one
that tried to write, or one over its rate limit) is a ``RefusalKind.TOKEN`` row of the
security log. Making and revoking a token are audit events of the token's chain.

**Rate limit.** ``KOERS_API_TOKEN_RATE_PER_MINUTE`` requests per token per minute, from
whatever addresses, refused with the seconds left in the minute. The count is the rows
of uses of the minute (every request the token authenticated, refused by the limit or
not), read back after the UPDATE that counted the request: exact in every process, and
one query, where the default database cache would cost about ten per request.
"""

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext as _

from koers.access.models import ApiToken, ApiTokenUse, RefusalKind, TokenScope
from koers.access.security import refusal_record
from koers.audit import services as audit
from koers.core import clock
from koers.core.errors import DomainError, NotFoundOrForbidden, ValidationFailed
from koers.core.models import User

PREFIX = "koers_"
_FORMAT = re.compile(r"^koers_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NAME_MAX = 100


class TokenRefused(DomainError):
    """A token that does not authenticate: unknown, revoked, or of a deactivated user
    (one answer for all three, so a token found in a log tells nothing more)."""

    code = "token_invalid"


class TokenExpired(TokenRefused):
    code = "token_expired"


class TokenReadOnly(DomainError):
    """A read-only token asked to change something."""

    code = "token_read_only"


class SessionRequired(DomainError):
    """A token asked to make a token: only a signed-in session makes them."""

    code = "session_required"


class TokenRateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class MadeToken:
    """A new token and, once only, its secret."""

    token: ApiToken
    secret: str


def max_days() -> int:
    return int(settings.KOERS_API_TOKEN_MAX_DAYS)


def rate_per_minute() -> int:
    return int(settings.KOERS_API_TOKEN_RATE_PER_MINUTE)


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_visible_to(user: User) -> QuerySet[ApiToken]:
    """The list half of the policy: a person sees their own tokens, and nobody else's."""
    return (ApiToken.objects.filter(user=user).select_related("user")
            .order_by("-created_at", "-pk"))


def token_for(user: User, token_id: int) -> ApiToken | None:
    return tokens_visible_to(user).filter(pk=token_id).first()


def is_active(token: ApiToken, *, today: dt.date | None = None) -> bool:
    today = today or clock.today()
    return token.revoked_at is None and token.expires_on >= today and token.user.is_active


def token_create(*, user: User, name: str, scope: str, expires_on: dt.date,
                 through: ApiToken | None = None) -> MadeToken:
    """Make a token for ``user`` (who asks for it, for themselves, signed in: ``through``
    is the token of a request that came with one, and is refused).

    Checklist: asked through the session; the user is active; a name; a scope of
    ``TokenScope``; an expiry from tomorrow up to ``KOERS_API_TOKEN_MAX_DAYS`` ahead; a
    fresh prefix (drawn again on the rare collision); store the digest, never the
    secret; audit in the same transaction."""
    if through is not None:
        raise SessionRequired(_("A token cannot make tokens: make one signed in, on the "
                                "API tokens page or through the API with your session."))
    today = clock.today()
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Give the token a name, to recognise it later.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("At most %(limit)s characters.") % {"limit": NAME_MAX}]
    if scope not in TokenScope.values:
        errors["scope"] = [_("Choose read only, or read and write.")]
    latest = today + dt.timedelta(days=max_days())
    if not today < expires_on <= latest:
        errors["expires_on"] = [
            _("Choose a day after today and at most %(days)s days ahead (%(latest)s).")
            % {"days": max_days(), "latest": latest.isoformat()}]
    if not user.is_active:
        raise NotFoundOrForbidden(_("This account is deactivated."))
    if errors:
        raise ValidationFailed(_("The token was not made."), errors)
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user, name=name, prefix=prefix, digest=digest_of(secret),
                    scope=scope, created_at=clock.now(), expires_on=expires_on)
                audit.record(actor=user, action="api_token.created", target=token,
                             changes={"name": [None, name], "scope": [None, scope],
                                      "expires_on": [None, expires_on.isoformat()]})
        except IntegrityError:  # the prefix was taken: draw another
            continue
        return MadeToken(token=token, secret=secret)
    raise RuntimeError("no free token prefix after five draws")


def token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of ``user``'s own tokens; it is refused from the next request on.
    Revoking a revoked token changes nothing and records nothing."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().filter(pk=token.pk, user=user).first()
        if locked is None:
            raise NotFoundOrForbidden(_("Not found."))
        if locked.revoked_at is None:
            locked.revoked_at = clock.now()
            locked.save(update_fields=["revoked_at"])
            audit.record(actor=user, action="api_token.revoked", target=locked,
                         changes={"revoked_at": [None, locked.revoked_at.isoformat()]})
    return locked


def token_authenticate(*, presented: str, ip: str, method: str) -> ApiToken:
    """The token a request presented, checked and counted; raises ``TokenRefused``
    (or ``TokenExpired``), ``TokenRateLimited`` or ``TokenReadOnly``, each recorded in
    the security log. On success the token's user is ``token.user``."""
    match = _FORMAT.match(presented.strip())
    token = (ApiToken.objects.select_related("user").filter(prefix=match.group(1)).first()
             if match else None)
    if token is None or not hmac.compare_digest(token.digest, digest_of(presented.strip())):
        _refused(None, ip, "unknown")
        raise TokenRefused(_("This API token is not valid."))
    if token.revoked_at is not None or not token.user.is_active:
        _refused(token, ip, "revoked" if token.revoked_at else "user_inactive")
        raise TokenRefused(_("This API token is not valid."))
    if token.expires_on < clock.today():
        _refused(token, ip, "expired")
        raise TokenExpired(_("This API token expired on %(day)s; make a new one.")
                           % {"day": token.expires_on.isoformat()})
    write = method.upper() not in SAFE_METHODS
    if write and token.scope != TokenScope.WRITE:
        _refused(token, ip, "read_only")
        raise TokenReadOnly(_("This API token may only read."))
    now = clock.now()
    used = _count_use(token, ip, now, write=write)
    if used > rate_per_minute():
        waited = 60 - now.second
        _refused(token, ip, "rate_limited")
        raise TokenRateLimited(
            _("Too many requests with this token: at most %(rate)s a minute. "
              "Try again in %(seconds)s seconds.")
            % {"rate": rate_per_minute(), "seconds": waited}, retry_after=waited)
    return token


def _refused(token: ApiToken | None, ip: str, action: str) -> None:
    refusal_record(viewer=None, kind=RefusalKind.TOKEN, target=token, action=action, ip=ip,
                   user=token.user if token is not None else None)


def _count_use(token: ApiToken, ip: str, now: dt.datetime, *, write: bool) -> int:
    """Count the use in the minute's row (one UPDATE; an INSERT for the first use of the
    minute) and return the token's uses this minute, from every address: the rate. The
    token's last use moves when the minute or the address changed."""
    minute = now.replace(second=0, microsecond=0)
    writes = 1 if write else 0
    key = {"token_id": token.pk, "ip": ip[:45], "minute": minute}
    counted = ApiTokenUse.objects.filter(**key).update(
        count=F("count") + 1, writes=F("writes") + writes, last_at=now)
    if not counted:
        try:
            with transaction.atomic():
                ApiTokenUse.objects.create(**key, last_at=now, writes=writes)
        except IntegrityError:  # a parallel request wrote the minute's row first
            ApiTokenUse.objects.filter(**key).update(
                count=F("count") + 1, writes=F("writes") + writes, last_at=now)
    if (token.last_used_at is None or token.last_used_at < minute
            or token.last_used_ip != ip[:45]):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip[:45])
        token.last_used_at, token.last_used_ip = now, ip[:45]
    return int(ApiTokenUse.objects.filter(token_id=token.pk, minute=minute)
               .aggregate(n=Sum("count"))["n"] or 0)
