"""``koers verify-audit``: "ok" with counts, or the broken links and exit status 1."""

import io

import pytest
from django.core.management import call_command

from koers.audit import services as audit
from koers.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("verify-audit", *args, stdout=out)
    return out.getvalue()


def test_an_intact_trail_is_ok():
    unit = factories.unit(factories.organisation())
    audit.record(actor=None, action="unit.changed", target=unit)
    count = AuditEvent.objects.count()
    chains = AuditEvent.objects.values("chain").distinct().count()
    assert _run().startswith(f"ok: {count} events in {chains} chains, seconds: ")


def test_a_broken_trail_is_printed_and_exits_1():
    organisation = factories.organisation()
    audit.record(actor=None, action="policy.setting_changed", target=organisation)
    chain = audit.chain_of(organisation)
    AuditEvent.objects.filter(chain=chain).update(action="cycle.opened")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify-audit", "--chain", chain, stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().startswith(f"broken: chain {chain} at seq 1: altered")


def test_an_anchor_is_checked_later(tmp_path):
    unit = factories.unit(factories.organisation())
    audit.record(actor=None, action="unit.changed", target=unit)
    anchor = tmp_path / "anchor.txt"
    call_command("audit-anchor", "--output", str(anchor), stderr=io.StringIO())
    assert _run("--anchor", str(anchor)).startswith("ok: ")
    AuditEvent.objects.filter(chain=audit.chain_of(unit)).update(hash="f" * 64)
    with pytest.raises(SystemExit):
        _run("--anchor", str(anchor))
