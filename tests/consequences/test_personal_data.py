"""The employee's cases in their export; retention erases the cases of leavers."""

import datetime as dt

import pytest

from koers.access.personal_data import ErasurePlan, build_export
from koers.consequences.models import Appeal, CaseFileRead, SalaryDecision, SalaryObjection
from koers.consequences.retention import erase_consequences
from koers.core import clock
from tests.factories import consequences as cf

pytestmark = pytest.mark.django_db


def _cases(p, bodies) -> None:
    cf.appeal(p, cf.delivered(p, p.employee, verdict="onvoldoende"))
    decision = cf.decide(bodies.management, {cf.delivered(p, p.employee, year=2024): 0},
                         day=dt.date(2025, 1, 10))[0]
    cf.objection(decision)


def test_the_export_holds_the_appeal_the_decision_and_the_objection(p, bodies) -> None:
    _cases(p, bodies)

    export = build_export(p.employee, now=clock.now())

    part = next(part for part in export.parts if part.key == "consequences")
    assert [record.title for record in part.records] == [
        "Beroep tegen de einduitspraak (evaluatieperiode 2025)",
        "Salarisbeslissing na de evaluatie (evaluatieperiode 2024)",
        "Tegenspraak tegen een salarisbeslissing",
    ]


def test_retention_erases_the_cases_of_a_leaver(p, bodies) -> None:
    _cases(p, bodies)
    CaseFileRead.objects.create(reader=bodies.board, subject=p.employee, role="appeal_board",
                                appeal=Appeal.objects.get(), record_label="x",
                                read_at=clock.now())

    erasure = erase_consequences(ErasurePlan(organisation=p.employee.organisation,
                                             cutoff=dt.date(2020, 1, 1),
                                             leaver_ids=[p.employee.pk], dry_run=False))

    assert erasure.counts == {"case_file_reads": 1, "salary_objections": 1,
                              "salary_decisions": 1, "appeals": 1}
    assert (Appeal.objects.count(), SalaryDecision.objects.count(),
            SalaryObjection.objects.count()) == (0, 0, 0)
