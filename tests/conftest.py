import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests run in the default language (Dutch) with a fast password hasher."""
    settings.LANGUAGE_CODE = "nl"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
