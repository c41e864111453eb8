"""``koers check --deploy --database default``: whether this process's database role can
get past the guards on signed records.

The triggers that keep signatures and signed versions (migrations 0003 to 0005) hold
against any role but a superuser (who may switch triggers off) or the tables' owner (who
may drop them). The web app should connect as neither, and not as a member of
``koers_erasure`` either, which may erase signed rows: ``docs/operations.md``, "Database
roles". The worker that runs the retention task is the one process that needs that
membership, so the check names it without calling it wrong.
"""

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import connections

from koers.core.erasure import ERASURE_ROLE

ROLE_QUERY = (
    "SELECT r.rolsuper, "
    "EXISTS (SELECT 1 FROM pg_tables t WHERE t.tablename = 'evaluations_signature' "
    "AND t.tableowner = current_user), "
    "EXISTS (SELECT 1 FROM pg_roles e WHERE e.rolname = %s "
    "AND pg_has_role(current_user, e.oid, 'USAGE')) "
    "FROM pg_roles r WHERE r.rolname = current_user"
)


@register(Tags.database, deploy=True)
def database_role_check(databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(ROLE_QUERY, [ERASURE_ROLE])
            row = cursor.fetchone()
        superuser, owner, eraser = row if row else (False, False, False)
        if superuser or owner:
            messages.append(Warning(
                f"Database '{alias}' is used as a superuser or as the owner of the tables: "
                "that role can switch off the guards on signed records.",
                hint="Run migrations as the owner, and the app as a role with data rights "
                     "only (docs/operations.md, Database roles).",
                id="koers.W001"))
        elif eraser:
            messages.append(Warning(
                f"Database '{alias}' is used as a member of {ERASURE_ROLE}, which may erase "
                "signed records.",
                hint="Only the worker that runs the retention task needs this; the web app "
                     "should connect as a role that is not a member.",
                id="koers.W002"))
    return messages


@register(Tags.database, deploy=True)
def signing_key_check(databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every organisation's signed reports are signed in its name (``pdf.signed``) only
    with a key configured for it (``docs/operations.md``, "Signed records")."""
    if not databases:
        return []
    # Imported here: checks are registered before the apps' models are ready.
    from koers.organisation import pades
    from koers.organisation.models import Organisation

    missing = [organisation.slug for organisation in Organisation.objects.order_by("slug")
               if not pades.has_key(organisation)]
    if not missing:
        return []
    return [Warning(
        f"No signing key for the organisation(s) {', '.join(missing)}: their reports' "
        "PDFs are made without the organisation's PAdES signature.",
        hint="Put signing.p12 and signing.pass, or pkcs11.json and pkcs11.pin for a key on "
             "a PKCS#11 token, in KOERS_ORGANISATIONS_DIR/<short name>/ "
             "(docs/operations.md, Signed records).",
        id="koers.W005")]
