"""The security log: who was refused what, so a security officer sees probing.

These kinds of refusal are recorded (``RefusalKind``), each decided here or in the
domain service that refuses, once for both faces:

- a **read** of a record that exists but is not the viewer's to see: the lookups that
  answer "missing or forbidden" with the same 404 (``policy.person_for``,
  ``policy.unit_for`` and each room's ``<thing>_for``) call ``refusal_record`` when
  they found the record. A missing id records nothing: it names no record of anyone,
  and counting typos and stale links would bury the probing in noise;
- a **change to a signed or closed record** and a **refused signature**: the services
  carry ``@records_refusal`` and record the state errors they raise;
- a **login lockout**: allauth's rate limit refused a login (``lockout_record``);
- a **refused sign-in**: through the employer's identity provider, or with a password
  the organisation no longer allows (``access.sign_in``).

**Bounded.** A row is a counter per user (or, before login, per e-mail address tried),
IP address, kind, kind of record and minute: a repeat within the minute moves
``count`` with one UPDATE and remembers the last record tried, so a loop of a thousand
refusals writes one row, and a day of probing at most 1,440 per kind of record.

**Its own transaction.** A refused write raises out of the service's transaction, which
rolls back; the decorator records after that, so the row is committed on its own
(autocommit) and survives. ``transaction.on_commit`` would be wrong: the refused
transaction never commits. Inside a caller's outer transaction the row shares its fate;
no face opens one (``ATOMIC_REQUESTS`` is off).

The IP is the client's address (``client_ip``) that the faces put on the ``Viewer``:
the peer's, or behind trusted reverse proxies the one they forwarded; allauth's log-in
rate limits key on the same address.
"""

import datetime as dt
import functools
import ipaddress
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.access.models import Refusal, RefusalKind
from koers.core import clock
from koers.core.errors import RecordClosed
from koers.core.models import User
from koers.core.tables import Cell
from koers.organisation.models import Person, Role

if TYPE_CHECKING:
    from koers.access.policy import Viewer

P = ParamSpec("P")
R = TypeVar("R")


def client_ip(meta: Mapping[str, object]) -> str:
    """The address a request came from, given its ``META``: the one rule for the security
    log (``Viewer.ip``, the lockouts) and allauth's log-in rate limits.

    Without trusted proxies (``KOERS_TRUSTED_PROXY_COUNT`` 0) it is the peer's address,
    ``REMOTE_ADDR``, and ``X-Forwarded-For`` is ignored: a client writes what it likes
    there. Behind N proxies of one's own, each appends the address it got the request
    from, so the client is the N-th entry from the right; entries further left were
    written before the request reached them and prove nothing. A header with fewer
    entries did not come through all N, and an entry that is not an IP address is no
    client: in both cases the peer's address stands."""
    peer = str(meta.get("REMOTE_ADDR") or "")
    proxies: int = settings.KOERS_TRUSTED_PROXY_COUNT
    entries = str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if proxies <= 0 or len(entries) < proxies:
        return peer
    return _ip_address(entries[-proxies]) or peer


def _ip_address(text: str) -> str | None:
    """``text`` as an IP address (a port some proxies add dropped), or None."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.9:443
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def refusal_record(*, viewer: "Viewer | None", kind: RefusalKind, target: Model | None = None,
                   action: str = "read", ip: str | None = None, user: User | None = None,
                   login: str = "", organisation_id: int | None = None) -> None:
    """Count one refusal in the row of its minute (see the module's docstring).
    ``organisation_id`` places a refusal of nobody known (an employer sign-in that matched
    no person) in the log of the organisation it was for."""
    if viewer is not None:
        user, person = viewer.user, viewer.person
        ip = viewer.ip if ip is None else ip
    else:
        person = (Person.objects.filter(user=user).only("pk", "organisation_id").first()
                  if user is not None else None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    now = clock.now()
    key = {"user_id": user_id, "login": "" if user_id else login[:254], "ip": ip or "",
           "kind": kind, "target_type": target._meta.label_lower if target else "",
           "minute": now.replace(second=0, microsecond=0)}
    target_id = target.pk if target is not None else None
    with transaction.atomic():
        if _count(key, now, target_id):
            return
        try:
            with transaction.atomic():
                Refusal.objects.create(
                    **key, organisation_id=person.organisation_id if person
                    else organisation_id,
                    person_id=person.pk if person else None, action=action[:40],
                    target_id=target_id, last_target_id=target_id, last_at=now)
        except IntegrityError:  # a parallel request wrote the minute's row first
            _count(key, now, target_id)


def _count(key: dict[str, Any], now: dt.datetime, target_id: int | None) -> bool:
    return bool(Refusal.objects.filter(**key).update(
        count=F("count") + 1, last_at=now, last_target_id=target_id))


def records_refusal(kind: RefusalKind, action: str, *refused: type[Exception],
                    viewer: str = "actor", target: str = "evaluation",
                    ) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record the refusals ``refused`` of a keyword-only service, after its transaction
    rolled back; ``viewer`` and ``target`` name the keyword arguments to log."""
    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except refused:
                refusal_record(viewer=kwargs[viewer], kind=kind,  # type: ignore[arg-type]
                               target=kwargs[target], action=action)  # type: ignore[arg-type]
                raise
        return wrapper
    return decorate


def records_closed_writes[**Q, T](service: Callable[Q, T]) -> Callable[Q, T]:
    """Record the ``RecordClosed`` refusals of a service whose viewer is ``actor`` (by
    keyword, or its first argument), after its transaction rolled back; the action is
    the service's name."""
    @functools.wraps(service)
    def wrapper(*args: Q.args, **kwargs: Q.kwargs) -> T:
        try:
            return service(*args, **kwargs)
        except RecordClosed as refused:
            actor = kwargs.get("actor", args[0] if args else None)
            record = refused.record if isinstance(refused.record, Model) else None
            refusal_record(viewer=actor, kind=RefusalKind.CLOSED_WRITE,  # type: ignore[arg-type]
                           target=record, action=service.__name__.strip("_"))
            raise
    return wrapper


def lockout_record(*, login: str, ip: str) -> None:
    """allauth's rate limit refused a login for ``login`` from ``ip``."""
    user = User.objects.filter(email__iexact=login).first() if login else None
    refusal_record(viewer=None, kind=RefusalKind.LOCKOUT, action="login", ip=ip, user=user,
                   login=login)


# Reading the log -------------------------------------------------------------------------


def can_read_security_log(viewer: "Viewer") -> bool:
    """A security officer of an organisation, or a superuser; HR does not."""
    return viewer.is_superuser or viewer.has_role(Role.SECURITY_OFFICER)


def refusals_visible_to(viewer: "Viewer") -> QuerySet[Refusal]:
    """The list half: an officer sees their organisations' rows; lockouts of addresses
    that match no login belong to no organisation and only superusers see them."""
    if viewer.is_superuser:
        return Refusal.objects.all()
    organisations = {g.organisation_id for g in viewer.grants
                     if g.role == Role.SECURITY_OFFICER}
    return Refusal.objects.filter(organisation_id__in=organisations)


@dataclass(frozen=True)
class RefusalFilter:
    kind: str = ""
    user: str = ""  # part of the e-mail address (of the login, or the one tried)
    since: dt.date | None = None
    until: dt.date | None = None


    def as_parameters(self) -> dict[str, str]:
        """The filters as text (a rendering keeps them to make its table later)."""
        return {"kind": self.kind, "user": self.user,
                "since": self.since.isoformat() if self.since else "",
                "until": self.until.isoformat() if self.until else ""}

    @classmethod
    def of(cls, parameters: Mapping[str, str]) -> "RefusalFilter":
        """The filters ``as_parameters`` wrote; what does not parse is no filter."""
        kind = parameters.get("kind", "")
        return cls(kind=kind if kind in RefusalKind.values else "",
                   user=str(parameters.get("user", ""))[:254].strip(),
                   since=_day(parameters.get("since", "")),
                   until=_day(parameters.get("until", "")))


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def refusal_table(viewer: "Viewer", filters: RefusalFilter
                  ) -> tuple[list[str], Iterator[list[Cell]]]:
    """The filtered log as a table, one line per row (a minute's count): its headings and
    its rows, read in chunks (the log of a long period is long), times in local time."""
    header = [_("First at"), _("Last at"), _("User"), _("Person"), _("Kind"), _("Action"),
              _("Record type"), _("Record"), _("Last record"), _("IP address"), _("Count")]

    def local(moment: dt.datetime) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")

    rows = (
        [local(r.minute), local(r.last_at), r.user.email if r.user else r.login,
         r.person.full_name if r.person else "", r.get_kind_display(), r.action,
         r.target_type, r.target_id or "", r.last_target_id or "", r.ip, r.count]
        for r in refusal_log(viewer, filters).iterator(chunk_size=2000))
    return header, rows


def refusal_log(viewer: "Viewer", filters: RefusalFilter) -> QuerySet[Refusal]:
    """The log as the viewer may read it, filtered, newest first."""
    rows = refusals_visible_to(viewer).select_related("user", "person")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.user:
        rows = rows.filter(Q(user__email__icontains=filters.user)
                           | Q(login__icontains=filters.user))
    if filters.since:
        rows = rows.filter(minute__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(minute__date__lte=filters.until)
    return rows.order_by("-minute", "-pk")


@dataclass(frozen=True)
class Rate:
    user: str  # the login's e-mail address, or the address tried
    last_hour: int
    last_day: int


def refusal_rates(viewer: "Viewer", filters: RefusalFilter) -> list[Rate]:
    """Refusals per user in the last hour and day, the most first: probing stands out."""
    now = clock.now()
    rows = (refusal_log(viewer, RefusalFilter(kind=filters.kind, user=filters.user))
            .filter(minute__gte=now - dt.timedelta(days=1)).order_by()
            .values("user__email", "login")
            .annotate(day=Sum("count"), hour=Coalesce(
                Sum("count", filter=Q(minute__gte=now - dt.timedelta(hours=1))), 0))
            .order_by("-hour", "-day", "user__email", "login"))
    return [Rate(row["user__email"] or row["login"], row["hour"], row["day"])
            for row in rows]
