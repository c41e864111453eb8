import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests run in the default language (Dutch) with a fast password hasher, and each
    starts with an empty cache: the log-in rate limits count in it, and a run that logs
    in often (the browser journeys) would otherwise be refused with 429 after a minute's
    worth of other tests' log-ins."""
    settings.LANGUAGE_CODE = "nl"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
