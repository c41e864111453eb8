"""The signed report as a legal record that proves itself outside Koers: its reference
number and letterhead, PDF/A-3b and PDF/UA-1, the sealed content embedded as JSON, the
next step printed, and the organisation's PAdES signature, checked with pyHanko's
validator against a test CA and by ``koers verify-report FILE.pdf``."""

import datetime as dt
import io
import json
import os
from pathlib import Path

import pikepdf
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from PIL import Image

from koers.access import renderings
from koers.access.policy import Viewer
from koers.core import clock
from koers.evaluations import seals, services
from koers.evaluations.checks import signing_key_check
from koers.evaluations.models import Evaluation, Signature
from koers.evaluations.pdf import report_pdf
from koers.evaluations.states import Role
from koers.organisation import pades, records
from koers.organisation.models import EmploymentStatus, RecordReference
from tests import personas
from tests.evaluations.test_pdf import (
    at,
    evaluation_with_goal,
    pdf_text,
    sign,
    write_report,
    write_self_evaluation,
)
from tests.factories import signing
from tests.factories.goals import viewer
from tests.factories.renderings import work_off

pytestmark = pytest.mark.django_db

XMP = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}


@pytest.fixture
def p() -> personas.Personas:
    return personas.build()


@pytest.fixture
def ca() -> signing.TestCA:
    return signing.certificate_authority()


@pytest.fixture
def keys(tmp_path: Path, ca: signing.TestCA, p: personas.Personas):  # type: ignore[no-untyped-def]
    """The organisation's signing key under the test CA, configured as an operator would."""
    signing.organisation_key(ca, p.employee.organisation, tmp_path)
    with override_settings(KOERS_ORGANISATIONS_DIR=str(tmp_path)):
        yield tmp_path


def delivered(p: personas.Personas, verdict: str = "onvoldoende") -> Evaluation:
    """Marc's report of 2025 signed by both evaluators: delivered, awaiting his signature."""
    evaluation = write_self_evaluation(p, evaluation_with_goal(p))
    write_report(p, evaluation, verdict=verdict)
    sign(p.manager, evaluation, dt.date(2025, 12, 10))
    sign(p.department.manager, evaluation, dt.date(2025, 12, 11))
    evaluation.refresh_from_db()
    return evaluation


def embedded(pdf: bytes) -> dict:  # type: ignore[type-arg]
    raw = pades.embedded_file(pdf, seals.RECORD_FILE)
    assert raw is not None
    return json.loads(raw)  # type: ignore[no-any-return]


def test_the_first_signature_gives_the_report_a_reference_number_that_stays(
        p: personas.Personas) -> None:
    evaluation = write_self_evaluation(p, evaluation_with_goal(p))
    write_report(p, evaluation, verdict="voldoende")
    assert records.reference_of(evaluation) is None

    sign(p.manager, evaluation, dt.date(2025, 12, 10))
    first = records.reference_of(evaluation)
    with clock.frozen(at(dt.date(2025, 12, 11))):
        services.evaluation_correct(actor=viewer(p.manager), evaluation=evaluation,
                                    reason="Het verkeerde doel was beoordeeld.")
    sign(p.manager, evaluation, dt.date(2025, 12, 12))
    sign(p.department.manager, evaluation, dt.date(2026, 1, 5))

    slug = p.employee.organisation.slug.upper()
    assert first == f"{slug}-2025-000001"
    assert records.reference_of(evaluation) == first  # corrected and signed again: kept
    assert RecordReference.objects.count() == 1


def test_reference_numbers_count_per_organisation_and_year_and_are_never_reused(
        p: personas.Personas) -> None:
    organisation = p.employee.organisation
    one, two = p.employee, p.manager  # any two records of the organisation

    first = records.reference_allocate(organisation=organisation, record=one,
                                       on=dt.date(2025, 12, 31))
    second = records.reference_allocate(organisation=organisation, record=two,
                                        on=dt.date(2025, 12, 31))
    again = records.reference_allocate(organisation=organisation, record=one,
                                       on=dt.date(2026, 1, 2))
    one.delete()  # the record erased: its number stays taken
    next_year = records.reference_allocate(organisation=organisation, record=p.department,
                                           on=dt.date(2026, 1, 2))
    third = records.reference_allocate(organisation=organisation, record=p.team,
                                       on=dt.date(2025, 6, 1))

    slug = organisation.slug.upper()
    assert (first, second, again, next_year, third) == (
        f"{slug}-2025-000001", f"{slug}-2025-000002", f"{slug}-2025-000001",
        f"{slug}-2026-000001", f"{slug}-2025-000003")


def test_the_report_pdf_is_pdf_a_3b_and_pdf_ua_1_with_the_sealed_content_attached(
        p: personas.Personas) -> None:
    """ISO 19005-3 (PDF/A-3b) and ISO 14289-1 (PDF/UA-1), read structurally: the XMP
    identification, the sRGB output intent, the tags, and the JSON attached as data."""
    evaluation = delivered(p)

    pdf = report_pdf(evaluation, language="nl")

    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.open_metadata()
        assert (metadata["pdfaid:part"], metadata["pdfaid:conformance"],
                metadata["pdfuaid:part"]) == ("3", "B", "1")
        assert "pdfuaid" in document.Root.Metadata.read_bytes().decode()  # declared schema
        [intent] = document.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert intent.DestOutputProfile.N == 3  # an RGB ICC profile embedded
        assert (bool(document.Root.MarkInfo.Marked), str(document.Root.Lang)) == (True, "nl")
        assert "/StructTreeRoot" in document.Root
        assert bool(document.Root.ViewerPreferences.DisplayDocTitle) is True
        assert {(str(attached.AFRelationship), str(attached.UF))
                for attached in document.Root.AF} == {("/Data", seals.RECORD_FILE)}
        assert document.attachments[seals.RECORD_FILE].get_file().mime_type == \
            "application/json"
    record = embedded(pdf)
    stored = list(Signature.objects.filter(report__evaluation=evaluation).order_by("pk"))
    assert [(s["role"], s["seal"]) for s in record["signatures"]] == [
        (s.role, s.seal) for s in stored]
    assert record["reference"] == records.reference_of(evaluation)
    assert seals.record_problems(record) == []


def test_the_pdf_carries_the_reference_the_letterhead_and_the_next_step(
        p: personas.Personas, tmp_path: Path) -> None:
    """PLOEG: the employee signs within 15 calendar days of receipt; statutory staff
    may appeal an onvoldoende within 15 calendar days after delivery to the Raad van
    beroep ([f3][f4][f5])."""
    p.employee.employment_status = EmploymentStatus.STATUTORY
    p.employee.save(update_fields=["employment_status"])
    logo = tmp_path / p.employee.organisation.slug / "logo.png"
    logo.parent.mkdir(parents=True)
    Image.new("RGB", (40, 20), (0, 70, 140)).save(logo)
    evaluation = delivered(p)

    with override_settings(KOERS_ORGANISATIONS_DIR=str(tmp_path)):
        pdf = report_pdf(evaluation, language="en")
        text = pdf_text(evaluation, "en")

    reference = records.reference_of(evaluation)
    assert f"Reference: {reference}" in text
    assert ("The employee signs this report for receipt within 15 calendar days of receiving "
            "it, by 26 December 2025 at the latest.") in text
    assert ("Appeal: the employee may appeal this verdict, with reasons, within 15 calendar "
            "days after delivery, by 26 December 2025 at the latest, to the Raad van beroep "
            "(kamer 2).") in text
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert any(page.get_images() for page in document.pages)  # the logo


def test_a_contract_employee_is_told_no_appeal_is_open(p: personas.Personas) -> None:
    """Contract staff have no appeal board (regulations: [f22][f4])."""
    p.employee.employment_status = EmploymentStatus.CONTRACTUAL
    p.employee.save(update_fields=["employment_status"])
    evaluation = delivered(p)

    text = pdf_text(evaluation, "en")

    assert "No appeal to an appeal board is open against this report." in text


def test_the_delivered_report_is_signed_by_the_organisation_and_verifies_against_the_ca(
        p: personas.Personas, ca: signing.TestCA, keys: Path) -> None:
    evaluation = delivered(p)

    pdf = report_pdf(evaluation, language="nl")

    checked = pades.check(pdf, trust_roots=[ca.root])
    assert (checked.valid, checked.intact, checked.whole_file, checked.trusted) == (
        True, True, True, True)
    assert p.employee.organisation.name in checked.signer
    with translation.override("nl"):
        first, second = str(Role.FIRST_EVALUATOR.label), str(Role.SECOND_EVALUATOR.label)
    assert checked.claimed == (
        f"{first}: {p.manager.full_name}, 2025-12-10T10:00:00+00:00",
        f"{second}: {p.department.manager.full_name}, 2025-12-11T10:00:00+00:00")
    assert seals.pdf_problems(pdf) == []


def test_one_byte_changed_breaks_the_signature(p: personas.Personas, ca: signing.TestCA,
                                               keys: Path) -> None:
    pdf = report_pdf(delivered(p), language="nl")
    at_byte = pdf.index(b"PDF/UA Universal")
    altered = pdf[:at_byte] + b"Q" + pdf[at_byte + 1:]

    checked = pades.check(altered, trust_roots=[ca.root])

    assert (checked.signed, checked.intact, checked.valid) == (True, False, False)
    with translation.override("en"):
        assert seals.pdf_problems(altered) == [
            "The PDF's signature does not cover it as it is: the file was changed after it "
            "was signed."]


def test_a_pdf_signed_by_another_ca_is_not_trusted(p: personas.Personas, keys: Path) -> None:
    pdf = report_pdf(delivered(p), language="nl")

    checked = pades.check(pdf, trust_roots=[signing.certificate_authority("Other").root])

    assert (checked.intact, checked.trusted, checked.valid) == (True, False, False)


def test_a_draft_is_not_signed_and_without_a_key_nothing_is(p: personas.Personas,
                                                             keys: Path) -> None:
    evaluation = write_self_evaluation(p, evaluation_with_goal(p))
    write_report(p, evaluation, verdict="onvoldoende")
    sign(p.manager, evaluation, dt.date(2025, 12, 10))  # the 2nd evaluator signs next

    first_signed = report_pdf(evaluation, language="nl")
    with override_settings(KOERS_ORGANISATIONS_DIR=""):
        unkeyed = report_pdf(delivered_again(p, evaluation), language="nl")
        unkeyed_problems = seals.pdf_problems(unkeyed)

    assert pades.check(first_signed, trust_roots=[]).signed is False
    assert pades.check(unkeyed, trust_roots=[]).signed is False
    assert unkeyed_problems == []  # no key configured: unsigned is expected
    with translation.override("en"):  # with a key, an unsigned PDF is not the organisation's
        assert seals.pdf_problems(unkeyed) == [
            f"The PDF is not signed by {p.employee.organisation.name}."]


def delivered_again(p: personas.Personas, evaluation: Evaluation) -> Evaluation:
    sign(p.department.manager, evaluation, dt.date(2025, 12, 11))
    evaluation.refresh_from_db()
    return evaluation


def test_the_deploy_check_names_the_organisations_without_a_key(p: personas.Personas,
                                                               keys: Path) -> None:
    keyed = signing_key_check(databases=["default"])
    with override_settings(KOERS_ORGANISATIONS_DIR=""):
        unkeyed = signing_key_check(databases=["default"])

    slug = p.employee.organisation.slug
    assert [message.id for message in unkeyed] == ["koers.W005"]
    assert slug in unkeyed[0].msg
    assert all(slug not in message.msg.split(": ")[0] for message in keyed)


def test_verify_report_checks_a_pdf_file(p: personas.Personas, keys: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    good = keys / "report.pdf"
    good.write_bytes(report_pdf(delivered(p), language="nl"))
    bad = keys / "altered.pdf"
    content = good.read_bytes()
    at_byte = content.index(b"PDF/UA Universal")
    bad.write_bytes(content[:at_byte] + b"Q" + content[at_byte + 1:])

    call_command("verify-report", str(good))
    assert capsys.readouterr().out.strip() == "ok: 1 PDFs"
    with pytest.raises(SystemExit) as exit_status:
        call_command("verify-report", str(good), str(bad))

    out = capsys.readouterr().out
    assert exit_status.value.code == 1
    assert f"{bad}: " in out
    assert f"{good}: " not in out
    assert out.strip().endswith("mismatch: 1 of 2 PDFs")


def test_the_embedded_content_is_checked_against_the_seals_in_the_database(
        p: personas.Personas) -> None:
    evaluation = delivered(p)
    record = embedded(report_pdf(evaluation, language="nl"))
    forged = json.loads(json.dumps(record))
    forged["signatures"][0]["sealed"]["verdict"] = "voldoende"
    reseal = json.loads(json.dumps(forged))
    reseal["signatures"][0]["seal"] = seals.hashlib.sha256(
        seals.canonical_json(reseal["signatures"][0]["sealed"])).hexdigest()

    assert seals.record_problems(record) == []
    assert len(seals.record_problems(forged)) == 1  # the content no longer hashes to its seal
    assert len(seals.record_problems(reseal)) == 1  # a seal the database does not hold


def test_the_task_worker_signs_the_pdf_it_lays_out(p: personas.Personas, ca: signing.TestCA,
                                                    keys: Path) -> None:
    evaluation = delivered(p)
    asked = renderings.rendering_request(viewer=Viewer.of(p.employee.user),
                                         kind="evaluations.report", subject_id=evaluation.pk)

    assert work_off() == ["ready"]
    asked.refresh_from_db()
    assert asked.content is not None
    assert pades.check(bytes(asked.content), trust_roots=[ca.root]).valid is True


def test_a_key_that_cannot_be_read_fails_the_rendering_instead_of_an_unsigned_pdf(
        p: personas.Personas, keys: Path) -> None:
    (keys / p.employee.organisation.slug / "signing.p12").write_bytes(b"not a key")
    evaluation = delivered(p)
    asked = renderings.rendering_request(viewer=Viewer.of(p.employee.user),
                                         kind="evaluations.report", subject_id=evaluation.pk)

    assert work_off() == ["failed"]
    asked.refresh_from_db()
    assert (asked.content, asked.reason) == (None, renderings.Reason.ERROR)


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SoftHSM's configuration, one token folder for the test process (the module
    reads it once, when first loaded)."""
    if not signing.SOFTHSM.exists():
        pytest.skip("SoftHSM (softhsm2) is not installed")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return root


def test_a_key_on_a_pkcs11_token_signs_the_report(p: personas.Personas, ca: signing.TestCA,
                                                  softhsm: Path, tmp_path: Path) -> None:
    signing.token_key(ca, p.employee.organisation, tmp_path)
    evaluation = delivered(p)

    with override_settings(KOERS_ORGANISATIONS_DIR=str(tmp_path)):
        pdf = report_pdf(evaluation, language="nl")
        problems = seals.pdf_problems(pdf)

    checked = pades.check(pdf, trust_roots=[ca.root])
    assert (checked.valid, p.employee.organisation.name in checked.signer) == (True, True)
    assert problems == []
