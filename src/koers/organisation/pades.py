"""The organisation's PAdES signature on a signed record's PDF, and its check.

A task worker signs the final PDF of a signed record (``evaluations/documents.py``) with
the organisation's key, so anyone can check it in a PDF reader or with an open
validator, without Koers: the signature covers the whole file (the printed report and
its embedded sealed content), its ``/Reason`` names the signers and their times, and the
same names, roles and times are signed attributes of the CMS signature
(``signer-attributes-v2`` of CAdES, one claimed role per signer).

The key lives outside the database, per organisation, in
``KOERS_ORGANISATIONS_DIR/<short name>/`` (``records.organisation_file``;
``docs/operations.md``, "Signed records"): a PKCS#12 file with its passphrase, or the
address of a key on a PKCS#11 token (an HSM, a smart card) with its PIN. Without one
the PDF is made unsigned and ``koers check --deploy`` warns (``checks.py``).
"""

import asyncio
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.ades.api import CAdESSignedAttrSpec, SignerAttrSpec
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from koers.organisation.models import Organisation
from koers.organisation.records import organisation_file

KEY_FILE = "signing.p12"
PASSPHRASE_FILE = "signing.pass"  # noqa: S105 (a file name)
PKCS11_FILE = "pkcs11.json"
PKCS11_PIN_FILE = "pkcs11.pin"
FIELD_NAME = "Koers"


@dataclass(frozen=True)
class Signer:
    """One signature on the record, as the PAdES signature names it."""

    role: str  # in words, in the record's language
    name: str
    signed_at: dt.datetime


def has_key(organisation: Organisation) -> bool:
    return any(organisation_file(organisation, name) is not None
               for name in (KEY_FILE, PKCS11_FILE))


@contextmanager
def _signer(organisation: Organisation) -> Iterator[signers.Signer | None]:
    """The organisation's signer: from its PKCS#12 file, else from the PKCS#11 token
    its ``pkcs11.json`` names (the session closed after use), else ``None``."""
    path = organisation_file(organisation, KEY_FILE)
    if path is not None:
        passphrase_path = organisation_file(organisation, PASSPHRASE_FILE)
        passphrase = (passphrase_path.read_bytes().strip() if passphrase_path is not None
                      else None)
        loaded: signers.SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(path), passphrase=passphrase)
        if loaded is None:
            raise ValueError(f"the signing key of {organisation.slug} could not be read")
        yield loaded
        return
    token = organisation_file(organisation, PKCS11_FILE)
    if token is None:
        yield None
        return
    yield from _token_signer(organisation, json.loads(token.read_text()))


def _token_signer(organisation: Organisation,
                  config: dict[str, Any]) -> Iterator[signers.Signer]:
    """A key on a PKCS#11 token: ``{"module": "/path/to/module.so", "token": "label",
    "key": "label"}`` (the certificate has the key's label unless ``"certificate"``
    names another; ``"raw_mechanism": true`` hashes in Koers and signs with plain ECDSA,
    for tokens without ECDSA-with-SHA-256, such as SoftHSM), the user PIN in
    ``pkcs11.pin``."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    pin_path = organisation_file(organisation, PKCS11_PIN_FILE)
    session = pkcs11.open_pkcs11_session(
        config["module"], token_criteria=TokenCriteria(label=config["token"]),
        user_pin=pin_path.read_text().strip() if pin_path is not None else None)
    try:
        yield pkcs11.PKCS11Signer(session, key_label=config["key"],
                                  cert_label=config.get("certificate", config["key"]),
                                  use_raw_mechanism=bool(config.get("raw_mechanism")))
    finally:
        session.close()


def _claimed(signer: Signer) -> cms.AttCertAttribute:
    """A signer as a claimed role: its directory name holds the person's name (CN), the
    role in the procedure (title) and the moment of signing, ISO 8601 in UTC, as the
    qualifier that tells two signatures of one person apart (dnQualifier)."""
    moment = signer.signed_at.astimezone(dt.UTC).isoformat(timespec="seconds")
    name = x509.Name.build({"common_name": signer.name, "title": signer.role,
                            "dn_qualifier": moment})
    return cms.AttCertAttribute({"type": "role", "values": [
        cms.RoleSyntax({"role_name": x509.GeneralName(name="directory_name", value=name)})]})


def reason(signatures: Sequence[Signer]) -> str:
    return "; ".join(
        f"{s.role}: {s.name}, {s.signed_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"
        for s in signatures)


def sign(pdf: bytes, *, organisation: Organisation, signatures: Sequence[Signer]) -> bytes:
    """The PDF signed in the organisation's name (PAdES baseline B), or as it was when
    the organisation has no key configured."""
    with _signer(organisation) as signer:
        if signer is None:
            return pdf
        return _signed(pdf, organisation, signatures, signer)


def _signed(pdf: bytes, organisation: Organisation, signatures: Sequence[Signer],
            signer: signers.Signer) -> bytes:
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, name=organisation.name,
        reason=reason(signatures)[:1000],
        cades_signed_attr_spec=CAdESSignedAttrSpec(signer_attributes=SignerAttrSpec(
            claimed_attrs=[_claimed(s) for s in signatures], certified_attrs=[])))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, metadata, signer=signer)
    return bytes(out.getvalue())


@dataclass(frozen=True)
class Check:
    """What the signature of a PDF says: signed at all, intact (not a byte changed in
    what it covers), covering the whole file, and trusted (its certificate chains up to
    a trusted root)."""

    signed: bool
    intact: bool = False
    whole_file: bool = False
    trusted: bool = False
    signer: str = ""  # the certificate's subject
    claimed: tuple[str, ...] = ()  # the signers named in the signed attributes

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.whole_file and self.trusted


def _claimed_signers(signed_data: Any) -> tuple[str, ...]:
    found = []
    for info in signed_data["signer_infos"]:
        for attribute in info["signed_attrs"]:
            if attribute["type"].native != "signer_attributes_v2":
                continue
            for value in attribute["values"]:
                for claimed in value["claimed_attributes"] or ():
                    for role in claimed["values"]:
                        name = role["role_name"].chosen.native
                        found.append(f"{name.get('title', '')}: {name.get('common_name', '')}"
                                     f", {name.get('dn_qualifier', '')}")
    return tuple(found)


def check(pdf: bytes, *, trust_roots: Sequence[x509.Certificate]) -> Check:
    """Validate the PDF's last signature against ``trust_roots`` (pyHanko's validator)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:
        return Check(signed=False)
    if not embedded:
        return Check(signed=False)
    signature = embedded[-1]
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False,
                                revocation_mode="soft-fail")
    try:
        status = asyncio.run(async_validate_pdf_signature(
            signature, signer_validation_context=context))
    except Exception:  # a signature too damaged to read is no signature that holds
        return Check(signed=True)
    return Check(
        signed=True, intact=bool(status.intact and status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted), signer=status.signing_cert.subject.human_friendly,
        claimed=_claimed_signers(signature.signed_data))


def embedded_file(pdf: bytes, name: str) -> bytes | None:
    """The file attached to the PDF under ``name``, or ``None``."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            attached = document.attachments.get(name)
            return None if attached is None else bytes(attached.get_file().read_bytes())
    except pikepdf.PdfError:
        return None


def certificates(organisation: Organisation) -> list[x509.Certificate]:
    """The organisation's signing certificate and its chain, from its key file: the
    roots ``koers verify-report`` trusts for it."""
    with _signer(organisation) as signer:
        if signer is None or signer.signing_cert is None:
            return []
        return [signer.signing_cert, *signer.cert_registry]
