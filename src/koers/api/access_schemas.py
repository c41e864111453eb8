"""Shapes of the access-request endpoints (docs/access.md)."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from koers.access import tokens
from koers.access.models import (
    AccessRead,
    AccessRequest,
    ApiToken,
    Scope,
    SubjectClaim,
    TokenScope,
)
from koers.access.services import shown_status
from koers.access.sign_in import SCOPES, SignInStatus
from koers.access.tokens import NAME_MAX
from koers.api.common_schemas import Input, PersonRef
from koers.api.pagination import PageOut
from koers.notify.models import OutgoingEmail


class AccessRequestIn(Input):
    scope: Scope
    reason: str
    valid_from: dt.date
    valid_until: dt.date


class DecisionIn(Input):
    grant: bool


class AccessRequestOut(Schema):
    """``status``: requested, granted, refused, or expired (granted, period over)."""

    id: int
    requester: PersonRef
    subject: PersonRef
    scope: str
    reason: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    decided_by: PersonRef | None
    decided_at: dt.datetime | None

    @classmethod
    def of(cls, request: AccessRequest, *, on: dt.date) -> "AccessRequestOut":
        requester, subject = PersonRef.of(request.requester), PersonRef.of(request.subject)
        assert requester is not None
        assert subject is not None
        return cls(
            id=request.pk, requester=requester, subject=subject, scope=request.scope,
            reason=request.reason, valid_from=request.valid_from,
            valid_until=request.valid_until, status=shown_status(request, on=on),
            decided_by=PersonRef.of(request.decided_by), decided_at=request.decided_at,
        )


class AccessRequestsOut(Schema):
    mine: list[AccessRequestOut]
    to_decide: list[AccessRequestOut]


class AccessReadOut(Schema):
    reader: PersonRef
    what: str
    reason: str
    read_at: dt.datetime

    @classmethod
    def of(cls, read: AccessRead) -> "AccessReadOut":
        reader = PersonRef.of(read.reader)
        assert reader is not None
        return cls(reader=reader, what=read.record_label, reason=read.why,
                   read_at=read.read_at)


class PersonalDataOut(Schema):
    """Everything Koers holds about the caller: one list of records per section, each
    record its fields (codes, ISO dates) with nested lists (docs/access.md)."""

    format: str
    generated_at: str
    person: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]]


class ApiTokenIn(Input):
    """``expires_on``: the last day the token works, at most ``KOERS_API_TOKEN_MAX_DAYS``
    (365 unless the operator changed it) ahead."""

    name: str = Field(max_length=NAME_MAX)
    scope: TokenScope
    expires_on: dt.date


class ApiTokenOut(Schema):
    """One of my tokens, never its secret: ``prefix`` names it (``koers_<prefix>_…``);
    ``active`` is false once it is revoked or past ``expires_on``."""

    id: int
    name: str
    prefix: str
    scope: str
    created_at: dt.datetime
    expires_on: dt.date
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    last_used_ip: str
    active: bool

    @classmethod
    def of(cls, token: ApiToken) -> "ApiTokenOut":
        return cls(id=token.pk, name=token.name, prefix=token.prefix, scope=token.scope,
                   created_at=token.created_at, expires_on=token.expires_on,
                   revoked_at=token.revoked_at, last_used_at=token.last_used_at,
                   last_used_ip=token.last_used_ip, active=tokens.is_active(token))


class ApiTokenMadeOut(ApiTokenOut):
    """A new token with its secret, ``token``: shown in this answer only, never again."""

    token: str

    @classmethod
    def made(cls, made: tokens.MadeToken) -> "ApiTokenMadeOut":
        return cls(**ApiTokenOut.of(made.token).dict(), token=made.secret)


class UndeliveredEmailOut(Schema):
    """An e-mail the mail relay has not accepted yet: still tried from
    ``next_attempt_at``, or given up at ``given_up_at``."""

    id: int
    kind: str
    to: list[str]
    subject: str
    created_at: dt.datetime
    attempts: int
    next_attempt_at: dt.datetime | None
    given_up_at: dt.datetime | None
    last_error: str

    @classmethod
    def of(cls, email: OutgoingEmail) -> "UndeliveredEmailOut":
        return cls(id=email.pk, kind=email.kind, to=list(email.to), subject=email.subject,
                   created_at=email.created_at, attempts=email.attempts,
                   next_attempt_at=None if email.gave_up_at else email.next_attempt_at,
                   given_up_at=email.gave_up_at, last_error=email.last_error)


class RenderingIn(Input):
    """Ask for a file: its kind (PDFs: ``evaluations.report``, ``development.plan``,
    ``access.personal_data``; tables: ``access.security_log``, ``cycles.dashboard``,
    ``development.training_demand``), the id of its subject (the evaluation, the plan,
    one's own person; 0 for the security log, which is the caller's reading of it; the
    unit of a dashboard; the organisation of a training demand), optionally its language
    (else the kind's own choice), and a table's parameters: ``format`` ``csv`` or
    ``xlsx``, and for the security log the filters ``kind``, ``user``, ``since``,
    ``until`` of ``GET /security/refusals``; for a dashboard its ``cycle`` (an id); for
    the training demand ``table`` (``summary`` or ``detail``) and ``status``
    (``requested`` or ``arranged``)."""

    kind: str = Field(max_length=40)
    subject_id: int = Field(ge=0)
    language: str | None = Field(default=None, max_length=8)
    parameters: dict[str, Annotated[str, Field(max_length=254)]] = Field(
        default_factory=dict, max_length=10)


class EmployerSignInIn(Input):
    """The organisation's employer sign-in (OpenID Connect). ``secret_variable`` names the
    environment variable (``KOERS_OIDC_SECRET_…``) that holds the client secret: the
    secret itself never passes through the API."""

    provider_id: str
    name: str
    server_url: str
    client_id: str
    secret_variable: str
    subject_claim: SubjectClaim = SubjectClaim.SUB
    employee_number_claim: str = ""
    email_domains: str = ""
    passwords_allowed: bool = True
    second_factor: bool = False
    active: bool = True


class EmployerSignInOut(Schema):
    """The settings (``configured`` false and the rest empty before the first save),
    whether the operator has set the secret, and the redirect URI to register at the
    provider (the address this request came to, https behind a proxy that says so)."""

    configured: bool
    provider_id: str
    name: str
    server_url: str
    client_id: str
    secret_variable: str
    secret_set: bool
    subject_claim: str
    employee_number_claim: str
    email_domains: str
    passwords_allowed: bool
    second_factor: bool
    active: bool
    redirect_uri: str
    scopes: list[str]

    @classmethod
    def of(cls, status: SignInStatus, *, redirect_uri: str) -> "EmployerSignInOut":
        config = status.config
        return cls(
            configured=config is not None, provider_id=status.provider_id,
            name=config.name if config else "", server_url=config.server_url if config else "",
            client_id=config.client_id if config else "",
            secret_variable=config.secret_variable if config else "",
            secret_set=status.secret_set,
            subject_claim=config.subject_claim if config else SubjectClaim.SUB,
            employee_number_claim=config.employee_number_claim if config else "",
            email_domains=config.email_domains if config else "",
            passwords_allowed=config.passwords_allowed if config else True,
            second_factor=config.second_factor if config else False,
            active=config.active if config else False,
            redirect_uri=redirect_uri, scopes=list(SCOPES))


class AccessReadPageOut(PageOut):
    items: list[AccessReadOut]


class ApiTokenPageOut(PageOut):
    items: list[ApiTokenOut]


class UndeliveredEmailPageOut(PageOut):
    items: list[UndeliveredEmailOut]
