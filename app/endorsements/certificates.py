"""X.509 certificates of the platform's signing keys: self-signed by default or issued by a CA
(a PKCS#12 file), published as `x5c` in the JWKS and compared by their SHA-256 fingerprint."""

import base64
import binascii
import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

# RFC 5280 §4.1.2.5: 99991231235959Z is a certificate with no well-defined expiration date; the
# platform key is retired by rotation, not by expiry, and old bundles must keep verifying.
NO_EXPIRY = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# A key given in the environment has no creation date; its certificate starts at this fixed one
# so that every machine sharing the key makes the same certificate.
UNDATED = datetime(2000, 1, 1, tzinfo=UTC)
SUBJECT = x509.Name(
    [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Concord"),
        x509.NameAttribute(NameOID.COMMON_NAME, "Concord platform signing key"),
    ]
)


def self_signed(private_key: ec.EllipticCurvePrivateKey, not_before: datetime | None) -> bytes:
    """A self-signed certificate (DER) for the key, the same bytes each time it is made.

    The signature is deterministic (RFC 6979) and the serial number is taken from the key, so
    workers and machines that share a key publish one certificate without storing it.
    """
    public = private_key.public_key()
    spki = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    serial = int.from_bytes(hashlib.sha256(spki).digest()[:16], "big") >> 1 | 1
    certificate = (
        x509.CertificateBuilder()
        .subject_name(SUBJECT)
        .issuer_name(SUBJECT)
        .public_key(public)
        .serial_number(serial)
        .not_valid_before((not_before or UNDATED).replace(microsecond=0))
        .not_valid_after(NO_EXPIRY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: the key signs statements and PDFs
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(private_key, hashes.SHA256(), ecdsa_deterministic=True)
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def from_pkcs12(data: bytes, password: str | None) -> tuple[str, tuple[bytes, ...]]:
    """The private key (PKCS#8 PEM) and the certificate chain (DER, leaf first) of a PKCS#12."""
    private, leaf, extra = pkcs12.load_key_and_certificates(
        data, password.encode("utf-8") if password else None
    )
    if not isinstance(private, ec.EllipticCurvePrivateKey) or leaf is None:
        raise ValueError("the PKCS#12 must hold an EC P-256 private key and its certificate")
    if leaf.public_key() != private.public_key():
        raise ValueError("the PKCS#12's certificate is not the certificate of its key")
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    chain = (leaf, *extra)
    return pem, tuple(c.public_bytes(serialization.Encoding.DER) for c in chain)


def x5c(chain: Sequence[bytes]) -> list[str]:
    """RFC 7517 §4.7: the chain as standard base64 (not base64url) DER, leaf first."""
    return [base64.b64encode(der).decode("ascii") for der in chain]


def fingerprint(der: bytes) -> str:
    """SHA-256 of the certificate, as `openssl x509 -noout -fingerprint -sha256` prints it."""
    return ":".join(f"{byte:02X}" for byte in hashlib.sha256(der).digest())


def normalised_fingerprint(value: str) -> str | None:
    """A SHA-256 fingerprint written with or without colons, in either case; None otherwise."""
    digits = value.replace(":", "").upper()
    if len(digits) != 64 or any(c not in "0123456789ABCDEF" for c in digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


def leaf_of(jwk: Mapping[str, Any]) -> bytes | None:
    """The DER of the first certificate of a JWK's `x5c`; None when it has none.

    Raises ValueError when `x5c` is there but is not a list of base64 certificates holding
    exactly this key: a certificate pasted beside another key must not lend it its name.
    """
    chain = jwk.get("x5c")
    if chain is None:
        return None
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise ValueError("its certificate chain (x5c) is not a list of base64 certificates")
    try:
        der = base64.b64decode(chain[0], validate=True)
        certificate = x509.load_der_x509_certificate(der)
        public = certificate.public_key()
    except (binascii.Error, ValueError):
        raise ValueError("its certificate (x5c) cannot be read") from None
    if not (
        isinstance(public, ec.EllipticCurvePublicKey)
        and isinstance(public.curve, ec.SECP256R1)
        and _coordinates(public) == (jwk.get("x"), jwk.get("y"))
    ):
        raise ValueError("its certificate (x5c) is for another key")
    return der


def _coordinates(public: ec.EllipticCurvePublicKey) -> tuple[str, str]:
    numbers = public.public_numbers()
    return tuple(  # type: ignore[return-value]
        base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode("ascii")
        for n in (numbers.x, numbers.y)
    )
