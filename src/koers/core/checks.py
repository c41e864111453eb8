"""``koers check --deploy``: production settings Django's own checks do not know about.

koers.W003: static files are served under their own names, so a browser or proxy that
keeps them may keep an old script or style after an upgrade. With KOERS_STATIC_HASHED=1
``koers collectstatic`` names each file after its content (settings, STORAGES).
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.utils.module_loading import import_string

HASHED = "django.contrib.staticfiles.storage.ManifestFilesMixin"


@register(Tags.staticfiles, deploy=True)
def hashed_static_files_check(**kwargs: Any) -> list[CheckMessage]:
    backend = import_string(settings.STORAGES["staticfiles"]["BACKEND"])
    if issubclass(backend, import_string(HASHED)):
        return []
    return [Warning(
        "Static files keep their own names: a browser may keep an old script or style "
        "after an upgrade.",
        hint="Set KOERS_STATIC_HASHED=1 and run `koers collectstatic` at each release "
             "(docs/operations.md, \"Static files\").",
        id="koers.W003",
    )]
