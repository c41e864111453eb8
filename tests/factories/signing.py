"""A test certificate authority and an organisation's signing key under it, as an
operator would configure it (``KOERS_ORGANISATIONS_DIR/<short name>/signing.p12`` with
its passphrase): generated for each test, never a real key."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from koers.organisation.models import Organisation

PASSPHRASE = b"test-passphrase"


@dataclass(frozen=True)
class TestCA:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def root(self) -> asn1_x509.Certificate:
        """The root as pyHanko's validator takes it."""
        return asn1_x509.Certificate.load(
            self.certificate.public_bytes(serialization.Encoding.DER))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Koers tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate_authority(common_name: str = "Koers Test Root CA") -> TestCA:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(common_name))
        .issuer_name(_name(common_name)).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256()))
    return TestCA(certificate=certificate, key=key)


def organisation_key(ca: TestCA, organisation: Organisation, directory: Path) -> Path:
    """Issue the organisation's signing certificate under ``ca`` and write it with its
    key as ``directory/<slug>/signing.p12`` and the passphrase beside it."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(organisation.name))
        .issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                       critical=False)
        .sign(ca.key, hashes.SHA256()))
    folder = directory / organisation.slug
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "signing.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        name=organisation.slug.encode(), key=key, cert=certificate, cas=[ca.certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(PASSPHRASE)))
    (folder / "signing.pass").write_bytes(PASSPHRASE + b"\n")
    return path


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "1234"


def _issue(ca: TestCA, organisation: Organisation) -> tuple[ec.EllipticCurvePrivateKey,
                                                             x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(_name(organisation.name))
        .issuer_name(ca.certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(ca.key, hashes.SHA256()))
    return key, certificate


def token_key(ca: TestCA, organisation: Organisation, directory: Path) -> None:
    """Issue the organisation's certificate under ``ca``, put key and certificate on a
    new SoftHSM token (``SOFTHSM2_CONF`` set by the caller) and write the organisation's
    ``pkcs11.json`` and ``pkcs11.pin`` as an operator would."""
    import subprocess

    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    key, certificate = _issue(ca, organisation)
    label = f"koers-{organisation.pk}"
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label,  # noqa: S603, S607
                    "--pin", PIN, "--so-pin", "87654321"], check=True, capture_output=True)
    pem = directory / f"{label}.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", label,  # noqa: S603, S607
                    "--label", "signing", "--id", "01", "--pin", PIN],
                   check=True, capture_output=True)
    pem.unlink()
    token = pkcs11.lib(str(SOFTHSM)).get_token(token_label=label)
    with token.open(user_pin=PIN, rw=True) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "signing", Attribute.ID: b"\x01",
            Attribute.SUBJECT: certificate.subject.public_bytes(),
            Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER)})
    folder = directory / organisation.slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pkcs11.json").write_text(
        f'{{"module": "{SOFTHSM}", "token": "{label}", "key": "signing", '
        '"raw_mechanism": true}')
    (folder / "pkcs11.pin").write_text(PIN + "\n")
