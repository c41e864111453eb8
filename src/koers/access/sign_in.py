"""Sign-in through the employer's identity provider (OpenID Connect): its settings per
organisation, who a sign-in is linked to, and whether a password still opens the door
(docs/operations.md, "Employer sign-in"; docs/integrations.md for the provider's side).

**Who may change it.** HR of the whole organisation and superusers
(``policy.can_manage_organisation``), on the page and through the API, both calling
``employer_sign_in_save``. Every change is an event of the organisation's audit trail.

**The client secret is never stored.** ``secret_variable`` names an environment
variable (``KOERS_OIDC_SECRET_…``) that the operator sets, or ``<name>_FILE`` naming a
file that holds it, as every secret of the settings. The prefix is required: HR chooses
the provider's address, and Koers sends the secret there; a free name would let it send
any secret of the process (the database password, the secret key) to a server of its
choosing.

**Linking** (``person_for_claims``): a sign-in is linked to an existing person's login,
never to a new account, and the login's password is never touched. In this order:

1. the identity is already linked (allauth's social account of this provider with the
   same stable claim, ``sub`` or Entra's ``oid``): that login;
2. the employee number claim, if the organisation names one and the provider sent it:
   the person of the organisation with that employee number;
3. the e-mail address, only for a domain the organisation declares its provider
   authoritative for, and only when the provider says it verified the address
   (``email_verified``, or Entra's ``xms_edov``, "e-mail domain owner verified"):
   the person of the organisation whose login has that address.

The person found must have an active login and must not be linked to another identity
of the same provider. Anything else refuses the sign-in with a message that says what
to do and a ``sign_in`` row in the security log.
"""

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from koers.access.models import EmployerSignIn, RefusalKind, SubjectClaim
from koers.access.security import refusal_record
from koers.audit import services as audit
from koers.core import clock
from koers.core.errors import DomainError, ValidationFailed
from koers.core.models import User
from koers.organisation.models import Organisation, Person

# allauth's provider for OpenID Connect: the first part of every sign-in URL.
PROVIDER = "openid_connect"
SECRET_PREFIX = "KOERS_OIDC_SECRET_"  # noqa: S105 (the start of a variable name)
SECRET_NAME = re.compile(rf"^{SECRET_PREFIX}[A-Z0-9_]{{1,80}}$")
PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
CLAIM = re.compile(r"^[A-Za-z0-9_.:/-]{1,100}$")
# The scopes Koers asks for: the ID token, the name and the e-mail address.
SCOPES = ("openid", "profile", "email")


class SignInRefused(DomainError):
    """The provider signed someone in whom Koers cannot link to a person; ``reason`` is
    the security log's action."""

    code = "sign_in_refused"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# Reading the settings ---------------------------------------------------------------


def employer_sign_in_of(organisation: Organisation) -> EmployerSignIn | None:
    return EmployerSignIn.objects.filter(organisation=organisation).first()


@dataclass(frozen=True)
class SignInStatus:
    """What the settings page and the API show: the settings (None before the first
    save), whether the operator has set the secret, and the id the redirect URI uses."""

    config: EmployerSignIn | None
    secret_set: bool
    provider_id: str


def sign_in_status(organisation: Organisation) -> SignInStatus:
    config = employer_sign_in_of(organisation)
    return SignInStatus(config=config, secret_set=bool(config and secret_of(config)),
                        provider_id=config.provider_id if config else organisation.slug)


def for_provider(provider_id: str) -> EmployerSignIn | None:
    """The active sign-in whose id is in the URL (the allauth adapter asks it)."""
    return (EmployerSignIn.objects.select_related("organisation")
            .filter(provider_id=provider_id, active=True).first())


def secret_of(config: EmployerSignIn) -> str:
    """The client secret from the environment, or from the file ``<name>_FILE`` names;
    "" when the operator has not set it (the sign-in is then not offered)."""
    name = config.secret_variable
    if not SECRET_NAME.match(name):
        return ""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError:
            return ""
    return os.environ.get(name, "").strip()


@dataclass(frozen=True)
class ProviderApp:
    """What allauth needs to run one sign-in: the adapter turns it into its ``SocialApp``."""

    provider_id: str
    name: str
    client_id: str
    secret: str
    settings: dict[str, Any]


def provider_apps(provider_id: str | None = None) -> list[ProviderApp]:
    """The sign-ins that can be offered: active and with their secret set."""
    configs = EmployerSignIn.objects.filter(active=True).order_by("name")
    if provider_id:
        configs = configs.filter(provider_id=provider_id)
    apps = []
    for config in configs:
        secret = secret_of(config)
        if secret:
            apps.append(ProviderApp(
                provider_id=config.provider_id, name=config.name, client_id=config.client_id,
                secret=secret, settings={
                    "server_url": config.server_url, "uid_field": config.subject_claim,
                    "oauth_pkce_enabled": True}))
    return apps


def provider_origins() -> list[str]:
    """The origins of the offered providers' addresses. The log-in page's buttons post to
    Koers, which redirects the browser to the provider: browsers hold a form's redirects
    to the page's ``form-action``, so the log-in pages allow these (the providers serve
    their authorization endpoint at their issuer's origin: Entra ID, ACM/IDM, Keycloak)."""
    origins = []
    for app in provider_apps():
        parts = urlsplit(str(app.settings["server_url"]))
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


def email_domains(config: EmployerSignIn) -> list[str]:
    return [d for d in (part.strip().lower() for part in config.email_domains.split(","))
            if d]


# Changing the settings --------------------------------------------------------------


@dataclass(frozen=True)
class SignInValues:
    provider_id: str
    name: str
    server_url: str
    client_id: str
    secret_variable: str
    subject_claim: str = SubjectClaim.SUB
    employee_number_claim: str = ""
    email_domains: str = ""
    passwords_allowed: bool = True
    second_factor: bool = False
    active: bool = True


def _checked(organisation: Organisation, values: SignInValues) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    provider_id = values.provider_id.strip().lower()
    if not PROVIDER_ID.match(provider_id):
        errors["provider_id"] = [_("Use 3 to 60 lower-case letters, digits and hyphens, "
                                   "starting and ending with a letter or digit.")]
    elif EmployerSignIn.objects.filter(provider_id=provider_id).exclude(
            organisation=organisation).exists():
        errors["provider_id"] = [_("Another organisation uses this id already.")]
    url = values.server_url.strip()
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.KOERS_OIDC_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.hostname or parts.query or parts.fragment:
        errors["server_url"] = [_("Give the provider's https address: its issuer, or its "
                                  "metadata URL ending in /.well-known/openid-configuration.")]
    secret_variable = values.secret_variable.strip()
    if not SECRET_NAME.match(secret_variable):
        errors["secret_variable"] = [_(
            "The name of an environment variable that starts with %(prefix)s, in capitals, "
            "digits and underscores.") % {"prefix": SECRET_PREFIX}]
    if values.subject_claim not in SubjectClaim.values:
        errors["subject_claim"] = [_("Choose sub or oid.")]
    claim = values.employee_number_claim.strip()
    if claim and not CLAIM.match(claim):
        errors["employee_number_claim"] = [_("A claim name has letters, digits and . _ : / - "
                                             "only.")]
    domains = [d.strip().lower() for d in values.email_domains.split(",") if d.strip()]
    wrong = [d for d in domains if not DOMAIN.match(d)]
    if wrong:
        errors["email_domains"] = [_("Not a domain name: %(domains)s. Separate domains "
                                     "with commas.") % {"domains": ", ".join(wrong)}]
    for field, text, limit in (("name", values.name.strip(), 100),
                               ("client_id", values.client_id.strip(), 200)):
        if not text:
            errors[field] = [_("This field is required.")]
        elif len(text) > limit:
            errors[field] = [_("At most %(limit)s characters.") % {"limit": limit}]
    if errors:
        raise ValidationFailed(_("The employer sign-in was not saved."), errors)
    return {"provider_id": provider_id, "name": values.name.strip(), "server_url": url,
            "client_id": values.client_id.strip(), "secret_variable": secret_variable,
            "subject_claim": values.subject_claim, "employee_number_claim": claim,
            "email_domains": ", ".join(domains), "passwords_allowed": values.passwords_allowed,
            "second_factor": values.second_factor, "active": values.active}


def employer_sign_in_save(*, organisation: Organisation, actor: User,
                          values: SignInValues) -> EmployerSignIn:
    """Create or change the organisation's sign-in (the caller checked the actor manages
    the organisation). Checklist: check every value, lock the row, save, audit what
    changed. Changing the stable claim or the id does not move the links already made."""
    fields = _checked(organisation, values)
    with transaction.atomic():
        config = (EmployerSignIn.objects.select_for_update()
                  .filter(organisation=organisation).first())
        before = {name: getattr(config, name) for name in fields} if config else {}
        if config is None:
            config = EmployerSignIn(organisation=organisation)
        for name, value in fields.items():
            setattr(config, name, value)
        config.updated_at = clock.now()
        config.updated_by = actor
        config.save()
        changes = {name: [before.get(name), value] for name, value in fields.items()
                   if before.get(name) != value}
        if changes:
            audit.record(actor=actor, action="employer_sign_in.changed", target=organisation,
                         changes=changes, organisation_id=organisation.pk)
    return config


# Linking a sign-in to a person ------------------------------------------------------


def claims_of(extra_data: Mapping[str, Any]) -> dict[str, Any]:
    """The ID token's claims with the userinfo answer's over them (allauth keeps both)."""
    id_token = extra_data.get("id_token")
    userinfo = extra_data.get("userinfo")
    return {**(id_token if isinstance(id_token, dict) else {}),
            **(userinfo if isinstance(userinfo, dict) else {})}


def _verified(claims: Mapping[str, Any]) -> bool:
    return any(claims.get(name) is True or str(claims.get(name)).lower() == "true"
               for name in ("email_verified", "xms_edov"))


def _login_hint(claims: Mapping[str, Any]) -> str:
    for name in ("email", "preferred_username", "upn", "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def _refuse(config: EmployerSignIn, *, reason: str, claims: Mapping[str, Any], ip: str,
            user: User | None, message: str) -> SignInRefused:
    refusal_record(viewer=None, kind=RefusalKind.SIGN_IN, target=config, action=reason, ip=ip,
                   user=user, login=_login_hint(claims),
                   organisation_id=config.organisation_id)
    return SignInRefused(message, reason=reason)


def _unknown_message(config: EmployerSignIn) -> str:
    return _("You signed in at %(provider)s, but Koers cannot tell which person of "
             "%(organisation)s you are. No account was made and nothing was changed. Ask "
             "your HR department to check that your employee number or work e-mail "
             "address in Koers matches the one your employer's sign-in knows.") % {
                 "provider": config.name, "organisation": config.organisation.name}


def person_for_claims(*, config: EmployerSignIn, claims: Mapping[str, Any],
                      ip: str = "") -> tuple[User, str]:
    """The login a first sign-in through ``config`` belongs to and the rule that found it
    (``employee_number``, ``email``), by the rules of the module's docstring (2 and 3; 1
    is allauth's lookup); ``SignInRefused`` otherwise."""
    people = Person.objects.filter(organisation_id=config.organisation_id).select_related("user")
    person: Person | None = None
    how = "employee_number"
    number = claims.get(config.employee_number_claim) if config.employee_number_claim else None
    if isinstance(number, (str, int)) and str(number).strip():
        person = people.filter(employee_number=str(number).strip()).first()
    email = claims.get("email")
    if person is None and isinstance(email, str) and "@" in email:
        domain = email.rpartition("@")[2].lower()
        if domain in email_domains(config):
            if not _verified(claims):
                raise _refuse(config, reason="email_unverified", claims=claims, ip=ip,
                              user=None, message=_(
                    "Your employer's sign-in did not confirm that the e-mail address "
                    "%(email)s is yours, so Koers does not link it to an account. Ask your "
                    "HR department or IT service desk.") % {"email": email})
            person = people.filter(user__email__iexact=email).first()
            how = "email"
    if person is None or person.user is None:
        raise _refuse(config, reason="no_match" if person is None else "no_login",
                      claims=claims, ip=ip, user=None, message=_unknown_message(config))
    user = person.user
    if not user.is_active:
        raise _refuse(config, reason="inactive", claims=claims, ip=ip, user=user, message=_(
            "Your account in Koers is switched off. Ask your HR department."))
    if SocialAccount.objects.filter(user=user, provider=config.provider_id).exists():
        raise _refuse(config, reason="linked_elsewhere", claims=claims, ip=ip, user=user,
                      message=_(
            "Your account in Koers is already linked to another identity at %(provider)s. "
            "Ask your HR department.") % {"provider": config.name})
    return user, how


def linked_user_check(*, config: EmployerSignIn, user: User, claims: Mapping[str, Any],
                      ip: str = "") -> None:
    """An identity linked before still belongs to a person of the organisation."""
    if not Person.objects.filter(user=user, organisation_id=config.organisation_id).exists():
        raise _refuse(config, reason="other_organisation", claims=claims, ip=ip, user=user,
                      message=_unknown_message(config))


def link_record(*, config: EmployerSignIn, user: User, how: str) -> None:
    """The first sign-in linked a login: an event of the person's audit trail."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        audit.record(actor=user, action="employer_sign_in.linked", target=person,
                     changes={"provider": config.provider_id, "by": how},
                     organisation_id=person.organisation_id)


# Passwords --------------------------------------------------------------------------


def password_allowed(user: User) -> bool:
    """May ``user`` sign in with a password? Not if their organisation signs its people
    in through its provider alone. A superuser always may: when the provider is down or
    misconfigured, someone must still get in to change it."""
    if user.is_superuser:
        return True
    return not EmployerSignIn.objects.filter(
        organisation__people__user=user, active=True, passwords_allowed=False).exists()


def password_refusal(*, user: User, ip: str) -> str:
    """Record a right password refused by the organisation's choice; the message."""
    config = EmployerSignIn.objects.filter(organisation__people__user=user).first()
    refusal_record(viewer=None, kind=RefusalKind.SIGN_IN, target=config, action="password",
                   ip=ip, user=user, login=user.email)
    name = config.name if config is not None else ""
    return _("Your organisation signs you in through %(provider)s: use that button. Your "
             "password is not used for Koers.") % {"provider": name}


# The session ------------------------------------------------------------------------


def signed_in_through(records: Iterable[Mapping[str, Any]]) -> str:
    """The provider id of the employer sign-in that signed this session in (allauth's
    records of the session's sign-in steps), or ""."""
    provider = ""
    for record in records:
        if record.get("method") == "socialaccount":
            provider = str(record.get("provider") or "")
    return provider

