from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class NoSignupAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts come from HR (import, admin): nobody signs up on their own."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class NoSignupSocialAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    """An employer sign-in (OIDC/SAML) links to an existing account by its e-mail."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False
