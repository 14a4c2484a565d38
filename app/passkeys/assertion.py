"""A WebAuthn assertion checked offline, with nothing but `cryptography`: that the
authenticator holding a credential signed a challenge carrying this text's fingerprint, for this
origin and relying party, with the user verified.

The signature is ECDSA P-256 / SHA-256 (DER) over authenticatorData ‖ SHA-256(clientDataJSON),
clientDataJSON taken byte for byte as the browser wrote it (never re-serialised).
"""

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

# The challenge: this prefix (16 bytes) ‖ SHA-256 digest of the fingerprint ‖ a 16-byte nonce.
CHALLENGE_PREFIX = b"concord-endorse\x00"
NONCE_SIZE = 16
CHALLENGE_SIZE = len(CHALLENGE_PREFIX) + 32 + NONCE_SIZE
FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04
MAX_CLIENT_DATA = 4096  # a browser writes a few hundred bytes
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class AssertionProblem(ValueError):
    """What is wrong with an assertion, with a machine code the API answers with."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Checked:
    """A verified assertion: the nonce of its challenge and the authenticator's counter."""

    nonce: bytes
    sign_count: int
    user_verified: bool


def b64url_decode(value: Any, what: str) -> bytes:
    """Strict base64url without padding (RFC 4648 §5), as the browser's verifier reads it."""
    if not isinstance(value, str) or not _BASE64URL.fullmatch(value) or len(value) % 4 == 1:
        raise AssertionProblem("passkey_malformed", f"{what} is not base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise AssertionProblem("passkey_malformed", f"{what} is not base64url") from None


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def fingerprint_digest(content_hash: str) -> bytes:
    """The 32 bytes of a `sha256:<hex>` fingerprint."""
    if not content_hash.startswith("sha256:") or len(content_hash) != 71:
        raise AssertionProblem("passkey_malformed", f"{content_hash!r} is not a sha256 fingerprint")
    return bytes.fromhex(content_hash[7:])


def signing_challenge(content_hash: str, nonce: bytes) -> bytes:
    return CHALLENGE_PREFIX + fingerprint_digest(content_hash) + nonce


def public_key_of(jwk: Mapping[str, Any]) -> ec.EllipticCurvePublicKey:
    """An EC P-256 public key from its JWK (RFC 7517: kty EC, crv P-256, x, y)."""
    if not isinstance(jwk, Mapping) or jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise AssertionProblem("passkey_malformed", "the public key is not an EC P-256 JWK")
    x, y = b64url_decode(jwk.get("x"), "public_key.x"), b64url_decode(jwk.get("y"), "public_key.y")
    if len(x) != 32 or len(y) != 32:
        raise AssertionProblem("passkey_malformed", "the public key's coordinates are not 32 bytes")
    try:
        return ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
        ).public_key()
    except ValueError:
        raise AssertionProblem("passkey_malformed", "the public key is not on P-256") from None


def verify_assertion(
    passkey: Mapping[str, Any], *, content_hash: str, origin: str, rp_id: str
) -> Checked:
    """Check a statement's `passkey` block (base64url authenticator_data, client_data_json,
    signature; public_key as a JWK) against the fingerprint signed, the origin and the RP ID.
    Raises AssertionProblem naming the first thing wrong."""
    if not isinstance(passkey, Mapping):
        raise AssertionProblem("passkey_malformed", "the passkey assertion is not an object")
    authenticator_data = b64url_decode(passkey.get("authenticator_data"), "authenticator_data")
    client_data_json = b64url_decode(passkey.get("client_data_json"), "client_data_json")
    signature = b64url_decode(passkey.get("signature"), "signature")
    key = public_key_of(passkey.get("public_key"))  # type: ignore[arg-type]
    client_data = _client_data(client_data_json)
    if client_data.get("type") != "webauthn.get":
        raise AssertionProblem(
            "passkey_type", f"clientDataJSON type is {client_data.get('type')!r}, not webauthn.get"
        )
    challenge = b64url_decode(client_data.get("challenge"), "the challenge")
    expected = fingerprint_digest(content_hash)
    if (
        len(challenge) != CHALLENGE_SIZE
        or not challenge.startswith(CHALLENGE_PREFIX)
        or challenge[len(CHALLENGE_PREFIX) : -NONCE_SIZE] != expected
    ):
        raise AssertionProblem(
            "challenge_hash_mismatch",
            f"the authenticator signed a challenge that does not carry {content_hash}",
        )
    if client_data.get("origin") != origin:
        raise AssertionProblem(
            "passkey_origin",
            f"signed for origin {client_data.get('origin')!r}, not {origin!r}",
        )
    if client_data.get("crossOrigin") is True:
        raise AssertionProblem("passkey_origin", "signed inside a frame of another origin")
    if len(authenticator_data) < 37:
        raise AssertionProblem("passkey_malformed", "authenticator_data is shorter than 37 bytes")
    if authenticator_data[:32] != hashlib.sha256(rp_id.encode("utf-8")).digest():
        raise AssertionProblem("passkey_rp_id", f"signed for another relying party than {rp_id!r}")
    flags = authenticator_data[32]
    if not flags & FLAG_USER_PRESENT:
        raise AssertionProblem("user_not_present", "the authenticator reports no user presence")
    if not flags & FLAG_USER_VERIFIED:
        raise AssertionProblem(
            "user_not_verified", "the authenticator did not verify the user (PIN or biometric)"
        )
    signed = authenticator_data + hashlib.sha256(client_data_json).digest()
    try:
        key.verify(signature, signed, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        raise AssertionProblem(
            "passkey_signature_invalid", "the assertion's signature does not verify"
        ) from None
    return Checked(
        nonce=challenge[-NONCE_SIZE:],
        sign_count=int.from_bytes(authenticator_data[33:37], "big"),
        user_verified=True,
    )


def _client_data(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_CLIENT_DATA:
        raise AssertionProblem("passkey_malformed", "clientDataJSON is too long")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AssertionProblem("passkey_malformed", "clientDataJSON is not JSON") from None
    if not isinstance(value, dict):
        raise AssertionProblem("passkey_malformed", "clientDataJSON is not a JSON object")
    return value
