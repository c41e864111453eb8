"""A real OpenID Connect provider on a socket for the sign-in tests (``oidc-provider-mock``,
a small Flask provider with discovery, signed ID tokens and userinfo), and the steps of a
sign-in through it with Django's test client.

``Provider.person`` sets the claims the provider will sign for a subject; its
authorization page signs in whoever is named in its form, as a person's employer's
provider would after they typed their password there."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client

from koers.access import sign_in
from koers.access.models import EmployerSignIn
from koers.core.models import User
from koers.organisation.models import Organisation

SECRET_VARIABLE = "KOERS_OIDC_SECRET_TEST"


@dataclass(frozen=True)
class Provider:
    url: str  # the issuer, http://localhost:<port>

    def person(self, claims: dict[str, Any]) -> str:
        """A new subject with these claims; its ``sub``."""
        sub = claims.get("sub") or f"sub-{secrets.token_hex(6)}"
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()
        return str(sub)

    def authorize(self, authorize_url: str, sub: str) -> str:
        """The provider's form, submitted for ``sub``: the redirect back to Koers."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False,
                                 timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield Provider(url=f"http://localhost:{server.server_port}")


@pytest.fixture
def oidc_secret(monkeypatch: pytest.MonkeyPatch, settings: Any) -> str:
    """The operator's side: the client secret in the environment, http allowed for a
    provider on this machine."""
    settings.KOERS_OIDC_ALLOW_HTTP = True
    monkeypatch.setenv(SECRET_VARIABLE, "a-client-secret")
    return SECRET_VARIABLE


def configure(organisation: Organisation, provider: Provider, *, actor: User,
              **values: Any) -> EmployerSignIn:
    """The organisation's sign-in through ``provider``, saved as HR saves it."""
    fields: dict[str, Any] = {
        "provider_id": organisation.slug, "name": "Werkgever", "server_url": provider.url,
        "client_id": "koers", "secret_variable": SECRET_VARIABLE,
        "employee_number_claim": "employee_number", **values}
    return sign_in.employer_sign_in_save(organisation=organisation, actor=actor,
                                         values=sign_in.SignInValues(**fields))


def sign_in_through(client: Client, provider: Provider, config: EmployerSignIn,
                    sub: str, **headers: Any) -> Any:
    """Press the button on the log-in page, sign in at the provider as ``sub``, come back:
    the callback's answer."""
    start = client.post(f"/accounts/oidc/{config.provider_id}/login/", **headers)
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(provider.url), start["Location"]
    back = urlsplit(provider.authorize(start["Location"], sub))
    return client.get(f"{back.path}?{back.query}", **headers)
