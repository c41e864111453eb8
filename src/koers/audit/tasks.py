"""Background tasks of the audit room."""

from pathlib import Path

from django.conf import settings
from django.tasks import task

from koers.audit import services
from koers.core import clock
from koers.core.schedule import Every, periodic


@periodic("audit anchor", every=Every.DAY)
@task()
def write_anchor_task() -> dict[str, int | str]:
    """Each day, a signed anchor of the audit trail into ``KOERS_AUDIT_ANCHOR_DIR`` (a
    folder the database's administrators cannot write), named by the time it was taken."""
    folder = settings.KOERS_AUDIT_ANCHOR_DIR
    if not folder:
        return {"chains": 0, "file": ""}
    path = Path(folder) / f"audit-anchor-{clock.now():%Y%m%dT%H%M%SZ}.txt"
    return {"chains": services.write_anchor(path), "file": path.name}
