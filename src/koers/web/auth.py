from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from koers.access import security


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


    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth refuses a login here once its rate limit is spent: the lockout goes to
        the security log, with the address tried and the peer's IP."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                security.lockout_record(
                    login=str(credentials.get("email") or credentials.get("username") or ""),
                    ip=request.META.get("REMOTE_ADDR", ""))
            raise


class NoSignupSocialAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    """An employer sign-in (OIDC/SAML) links to an existing account by its e-mail."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False
