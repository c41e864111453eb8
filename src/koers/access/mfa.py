"""Two-factor sign-in required by policy (docs/access.md, "Two-factor sign-in").

The accounts that can see or decide most must sign in with a second factor (TOTP): a
superuser, and whoever holds an active grant of HR or of a body (management body,
advisory body, appeal board). Everyone else may switch it on and need not.

The rule reads the request's ``Viewer``, loaded once per request for the access policy
anyway: the user, their active role grants and whether they have a TOTP authenticator
(read with their person, in the same query). It costs no query of its own, but one for
a superuser who is no person of an organisation. The two entrances ask it: the pages
(``web.middleware``, which sends such a user to the set-up) and the API (``api.auth``,
for the session and for tokens the user made earlier, which answer 403
``mfa_required``).

**The employer's sign-in.** An organisation whose identity provider asks for a second
factor at every sign-in says so in its employer sign-in settings (``second_factor``,
``access.sign_in``). A session signed in through that provider then counts as
two-factor sign-in; a password session of the same person does not, and neither does
an API token (it carries no sign-in of its own: such a user who wants tokens sets up
TOTP as well). The check reads the settings only for a user the rule concerns who has
no TOTP and whose session came through a provider: one query, for those alone.

``KOERS_MFA_REQUIRED`` (default on) switches the rule off for the whole installation;
the accounts with a password then keep two-factor sign-in as a choice of each user.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext as _

from koers.access.models import ApiToken, EmployerSignIn, RefusalKind
from koers.access.policy import Viewer
from koers.access.security import refusal_record
from koers.core.errors import DomainError
from koers.organisation.models import Role

# The roles whose holders must sign in with a second factor: HR sees and manages the
# people of its units, the bodies decide on evaluations, appeals and salary steps.
MFA_ROLES = frozenset({Role.HR, Role.MANAGEMENT_BODY, Role.ADVISORY_BODY, Role.APPEAL_BOARD})


class MfaMissing(DomainError):
    """An account the policy requires two-factor sign-in of has no TOTP authenticator:
    nothing but setting one up (and signing out) is answered."""

    code = "mfa_required"


def mfa_required(viewer: Viewer) -> bool:
    """Must this user sign in with a second factor? (No query: the viewer holds it all.)"""
    if not settings.KOERS_MFA_REQUIRED:
        return False
    return viewer.is_superuser or any(grant.role in MFA_ROLES for grant in viewer.grants)


def has_totp(viewer: Viewer) -> bool:
    """Read with the viewer's person (``Viewer.of``); asked of its own for an account
    that is no person of an organisation (a superuser of the installation)."""
    if viewer.has_totp is None:
        viewer.has_totp = Authenticator.objects.filter(
            user_id=viewer.user.pk, type=Authenticator.Type.TOTP).exists()
    return viewer.has_totp


def second_factor_by_employer(viewer: Viewer) -> bool:
    """The session came through the employer sign-in of the viewer's organisation, which
    declares that its provider asks for a second factor."""
    if not viewer.signed_in_through or viewer.person is None:
        return False
    return EmployerSignIn.objects.filter(
        organisation_id=viewer.person.organisation_id, provider_id=viewer.signed_in_through,
        active=True, second_factor=True).exists()


def mfa_missing(viewer: Viewer) -> bool:
    """The user must use two-factor sign-in and has not: no TOTP authenticator, and no
    session through an employer sign-in that asks for a second factor itself."""
    return (viewer.user.is_authenticated and mfa_required(viewer) and not has_totp(viewer)
            and not second_factor_by_employer(viewer))


def why() -> str:
    """What such a user is told, on the page and in the API's answer."""
    return _("Your role gives you access to other people's personal data or a say in "
             "decisions about them, so you must sign in with two-factor authentication. "
             "Set up an authenticator app first; until then Koers shows you nothing else.")


def mfa_check(viewer: Viewer, *, token: ApiToken | None = None) -> None:
    """Raise ``MfaMissing`` if the viewer must use two-factor sign-in and has not set it
    up. A refused API token is a row of the security log, as every refused token is."""
    if not mfa_missing(viewer):
        return
    if token is not None:
        refusal_record(viewer=viewer, kind=RefusalKind.TOKEN, target=token,
                       action="mfa_required")
    raise MfaMissing(why())
