"""Steps the retention tests of every room share: set the period, let a person leave,
run retention on a given moment, check the audit trail."""

import datetime as dt
import io

from django.core.management import call_command

from koers.access import retention
from koers.audit import services as audit
from koers.core import clock
from koers.organisation import services as organisation_services
from koers.organisation.models import Person
from koers.rulebook.services import policy_settings_change


def keep_for(hr: Person, years: int, *, on: dt.datetime) -> None:
    """``hr`` sets their organisation's retention period to ``years``."""
    assert hr.user is not None
    with clock.frozen(on):
        policy_settings_change(organisation=hr.organisation,
                               values={"retention_years": years}, actor=hr.user)


def leave(person: Person, hr: Person, *, on: dt.date) -> None:
    """``person`` left on ``on``, as HR records it."""
    with clock.frozen(dt.datetime.combine(on, dt.time(12), tzinfo=dt.UTC)):
        organisation_services.person_save(organisation=person.organisation, person=person,
                                          end_date=on, actor=hr.user)


def run(person: Person, *, on: dt.datetime, **options: bool) -> retention.RetentionReport:
    """Retention of ``person``'s organisation, run on ``on``."""
    with clock.frozen(on):
        return retention.retention_run(organisation=person.organisation, **options)


def audit_verifies() -> bool:
    """``koers verify-audit`` passes, and ``verify`` finds no break."""
    out = io.StringIO()
    call_command("verify-audit", stdout=out)
    return out.getvalue().startswith("ok: ") and audit.verify().breaks == []
