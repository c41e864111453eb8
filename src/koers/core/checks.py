"""``koers check --deploy``: production settings Django's own checks do not know about.

koers.W004: the audit trail's hashes are not signed with a key kept outside the database.

koers.W003: static files are served under their own names, so a browser or proxy that
keeps them may keep an old script or style after an upgrade. With KOERS_STATIC_HASHED=1
``koers collectstatic`` names each file after its content (settings, STORAGES).
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.utils.module_loading import import_string

HASHED = "django.contrib.staticfiles.storage.ManifestFilesMixin"


@register(deploy=True)
def audit_key_check(**kwargs: Any) -> list[CheckMessage]:
    """koers.W004: without a key, someone who can write the database can rewrite the
    audit trail and recompute its hashes (docs/audit.md, "Keys")."""
    if settings.KOERS_AUDIT_KEYS:
        return []
    return [Warning(
        "The audit trail's hashes are not signed with a key: whoever can write the database "
        "can rewrite a chain and its head consistently.",
        hint="Set KOERS_AUDIT_KEYS_FILE to a file holding id:secret (a secret of 32 "
             "characters or more), then run `koers audit-rekey` once.",
        id="koers.W004",
    )]


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
