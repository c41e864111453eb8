import pytest


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests run in the default language (Dutch) unless they switch."""
    settings.LANGUAGE_CODE = "nl"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
