"""Headers every page gets from the project's middleware."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_content_language_header_is_a_plain_string(client):
    """WSGI servers refuse header values that are not exactly ``str``; a language enum
    member would pass Django's own checks and then fail every request."""
    response = client.get(reverse("account_login"))

    assert response.headers["Content-Language"] == "nl"
    assert type(response.headers["Content-Language"]) is str
