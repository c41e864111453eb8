from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from koers.access import security, sign_in
from koers.notify import outbox


class NoSignupAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts come from HR (import, admin): nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(self, request: HttpRequest, level: int, message_template: str | None = None,
                    message_context: Any = None, extra_tags: str = "",
                    message: str | None = None) -> None:
        # Landing on one's own home page says enough; "signed in as …" is noise, and it
        # would be shown in the language of the log-in page rather than the user's own.
        if message_template and message_template.endswith("logged_in.txt"):
            return
        super().add_message(request, level, message_template, message_context, extra_tags,
                            message)


    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """The account's e-mail (password reset, security notices) goes through the
        outbox like all mail: a mail relay that is down does not fail the page."""
        request = allauth_context.request
        message = self.render_mail(template_prefix, email, {
            "request": request, "email": email, "current_site": get_current_site(request),
            **context})
        outbox.enqueue_account_mail(message, address=email)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's rate limits count per IP: the client's, by the rule the
        security log uses (behind trusted proxies, the forwarded one)."""
        return security.client_ip(request.META) or str(super().get_client_ip(request))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth refuses a login here once its rate limit is spent: the lockout goes to
        the security log, with the address tried and the client's IP."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                security.lockout_record(
                    login=str(credentials.get("email") or credentials.get("username") or ""),
                    ip=security.client_ip(request.META))
            raise

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """A right password of someone whose organisation signs its people in through
        its employer sign-in alone is refused, with a message that says where to sign in
        (checked after the password, so a guesser learns nothing), and recorded in the
        security log (``access.sign_in.password_allowed``)."""
        user = super().authenticate(request, **credentials)
        if user is not None and not sign_in.password_allowed(user):
            raise ValidationError(sign_in.password_refusal(
                user=user, ip=security.client_ip(request.META)), code="password_not_allowed")
        return user


class NoSignupSocialAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    """The employer sign-ins of the organisations (``access.sign_in``): each links a
    sign-in to an existing person by a stable claim, never makes an account and never
    touches a password; whoever cannot be linked is told why."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def list_apps(self, request: HttpRequest | None, provider: str | None = None,
                  client_id: str | None = None) -> list[SocialApp]:
        """The organisations' sign-ins, built from their settings (never stored as
        allauth's apps: the secret stays in the environment)."""
        wanted = None if provider in (None, sign_in.PROVIDER) else provider
        return [SocialApp(provider=sign_in.PROVIDER, provider_id=app.provider_id,
                          name=app.name, client_id=app.client_id, secret=app.secret,
                          settings=app.settings)
                for app in sign_in.provider_apps(wanted)
                if client_id is None or app.client_id == client_id]

    def authenticate_by_email(self, sociallogin: SocialLogin) -> None:
        """allauth's own linking by e-mail (which wipes the password of an address it did
        not verify) never runs: ``pre_social_login`` links by the organisation's rules."""
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        config = sign_in.for_provider(sociallogin.account.provider)
        if config is None or sociallogin.state.get("process") == AuthProcess.CONNECT:
            # Identities are linked by the organisation's rules alone, not by hand.
            raise ImmediateHttpResponse(HttpResponseRedirect(reverse("account_login")))
        claims = sign_in.claims_of(sociallogin.account.extra_data)
        ip = security.client_ip(request.META)
        try:
            if sociallogin.is_existing:
                sign_in.linked_user_check(config=config, user=sociallogin.user, claims=claims,
                                          ip=ip)
                return
            user, how = sign_in.person_for_claims(config=config, claims=claims, ip=ip)
        except sign_in.SignInRefused as refused:
            raise ImmediateHttpResponse(render(
                request, "socialaccount/not_linked.html",
                {"message": refused.message, "provider": config.name}, status=403)) from None
        sociallogin.user = user
        sociallogin.save(request, connect=True)  # the link; the login itself is untouched
        sign_in.link_record(config=config, user=user, how=how)


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own sign-in form, replaced: the admin has one entrance, the login page
    everyone uses, with its two-factor step and its rate limits (the admin's form took a
    password alone and had no limit). A signed-in member of staff goes on to the admin;
    anyone else signed in gets the 404 of a page that is not theirs."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = ""
    target = target or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target)
    if not (request.user.is_active and request.user.is_staff):
        raise Http404
    return HttpResponseRedirect(target)
