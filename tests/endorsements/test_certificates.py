"""The platform key's X.509 certificate: self-signed and the same wherever the key is loaded, or
CA-issued from a PKCS#12; published as `x5c`, compared by its SHA-256 fingerprint."""

import base64
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.context import signing_keys
from app.endorsements.certificates import (
    NO_EXPIRY,
    fingerprint,
    leaf_of,
    normalised_fingerprint,
)
from app.endorsements.keys import KEYS_FILE, KeyRing, SigningKey, load_or_create_keys, rotate
from app.settings import Settings


def certificate_of(key: SigningKey) -> x509.Certificate:
    return x509.load_der_x509_certificate(key.certificates[0])


class TestSelfSigned:
    def test_holds_the_key_and_signs_itself(self):
        key = SigningKey.generate()
        certificate = certificate_of(key)
        assert leaf_of(key.jwk) == key.certificates[0]
        assert certificate.issuer == certificate.subject
        certificate.verify_directly_issued_by(certificate)
        assert certificate.not_valid_before_utc == datetime.fromisoformat(
            key.created_at.replace("Z", "+00:00")
        )
        assert certificate.not_valid_after_utc == NO_EXPIRY
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign

    def test_the_same_certificate_wherever_the_key_is_loaded(self):
        pem = SigningKey.generate().private_pem
        first, second = KeyRing.from_pem(pem), KeyRing.from_pem(pem)
        assert first.jwks() == second.jwks()  # two machines sharing CONCORD_SIGNING_KEY_PEM
        assert first.jwks()["keys"][0]["x5c"] == [
            base64.b64encode(first.current.certificates[0]).decode()
        ]

    def test_fingerprint_is_the_sha256_of_the_certificate(self):
        key = SigningKey.generate()
        digest = hashlib.sha256(key.certificates[0]).hexdigest().upper()
        assert key.certificate_fingerprint.replace(":", "") == digest
        assert fingerprint(key.certificates[0]) == key.certificate_fingerprint
        assert normalised_fingerprint(digest.lower()) == key.certificate_fingerprint
        assert normalised_fingerprint(key.kid) is None


class TestKeysFile:
    def test_the_certificate_is_stored_beside_the_key(self, tmp_path):
        ring = load_or_create_keys(tmp_path)
        stored = json.loads((tmp_path / KEYS_FILE).read_text())
        assert stored["keys"][0]["certificates"] == ring.jwks()["keys"][0]["x5c"]
        assert load_or_create_keys(tmp_path).jwks() == ring.jwks()

    def test_a_file_from_before_certificates_gets_the_same_one_at_every_start(self, tmp_path):
        ring = load_or_create_keys(tmp_path)
        path = tmp_path / KEYS_FILE
        stored = json.loads(path.read_text())
        del stored["keys"][0]["certificates"]
        path.write_text(json.dumps(stored))
        first, second = load_or_create_keys(tmp_path), load_or_create_keys(tmp_path)
        assert first.jwks() == second.jwks() == ring.jwks()

    def test_a_retired_key_keeps_its_certificate(self, tmp_path):
        old = load_or_create_keys(tmp_path)
        rotated = rotate(tmp_path)
        reloaded = load_or_create_keys(tmp_path)
        assert reloaded.previous[0].certificates == old.current.certificates
        assert reloaded.current.certificates == rotated.current.certificates
        assert reloaded.jwks()["keys"][1]["x5c"] == old.jwks()["keys"][0]["x5c"]


def make_certificate(
    key: Any,
    subject: str,
    *,
    issuer: tuple[x509.Name, Any] | None = None,
    extensions: Sequence[x509.ExtensionType] = (),
) -> x509.Certificate:
    """A certificate for tests, valid from yesterday for 90 days: self-signed, or issued by
    (name, key); each extension critical."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    issuer_name, issuer_key = issuer or (name, key)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=90))
    )
    for extension in extensions:
        builder = builder.add_extension(extension, critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def issued_by_a_ca() -> tuple[bytes, SigningKey, x509.Certificate]:
    """A PKCS#12 holding a P-256 key and its certificate issued by a test CA, and that CA."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = make_certificate(
        ca_key, "Test Root CA", extensions=[x509.BasicConstraints(ca=True, path_length=0)]
    )
    key = ec.generate_private_key(ec.SECP256R1())
    # digitalSignature and nonRepudiation, as a CA issues a document-signing key
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    leaf = make_certificate(
        key, "Concord, Mechelen", issuer=(ca.subject, ca_key), extensions=[usage]
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"concord", key, leaf, [ca], serialization.BestAvailableEncryption(b"s3cret")
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return p12, SigningKey.from_pem(pem), ca


class TestPkcs12:
    def test_the_ca_issued_chain_is_published(self, tmp_path):
        p12, expected, ca = issued_by_a_ca()
        (tmp_path / "platform.p12").write_bytes(p12)
        settings = Settings(
            data_dir=tmp_path / "data",
            signing_p12=tmp_path / "platform.p12",
            signing_p12_password="s3cret",
        )
        ring = signing_keys(settings)
        (published,) = ring.jwks()["keys"]
        assert published["kid"] == expected.kid
        leaf = x509.load_der_x509_certificate(base64.b64decode(published["x5c"][0]))
        assert leaf.issuer == ca.subject
        assert base64.b64decode(published["x5c"][1]) == ca.public_bytes(serialization.Encoding.DER)
        assert leaf_of(published) == ring.current.certificates[0]
        assert not (tmp_path / "data" / KEYS_FILE).exists()

    def test_a_wrong_password_is_refused(self):
        p12, _, _ = issued_by_a_ca()
        with pytest.raises(ValueError):
            SigningKey.from_pkcs12(p12, "guess")

    def test_a_key_on_another_curve_is_refused(self):
        key = ec.generate_private_key(ec.SECP384R1())
        p12 = pkcs12.serialize_key_and_certificates(
            b"x", key, make_certificate(key, "P-384"), None, serialization.NoEncryption()
        )
        with pytest.raises(ValueError, match="P-256"):
            SigningKey.from_pkcs12(p12)


def test_show_key_prints_what_readers_compare(tmp_path, monkeypatch, capsys):
    from app import cli

    monkeypatch.setattr(cli, "get_settings", lambda: Settings(data_dir=tmp_path))
    assert cli.main(["show-key"]) == 0
    key = load_or_create_keys(tmp_path).current
    assert capsys.readouterr().out == (
        "Current signing key\n"
        f"  RFC 7638 thumbprint (kid)  {key.kid}\n"
        f"  certificate SHA-256        {key.certificate_fingerprint}\n"
    )
