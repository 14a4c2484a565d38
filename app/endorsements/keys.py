"""The platform's ES256 signing keys: made once in the data directory, rotated, published."""

import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.endorsements.certificates import fingerprint, from_pkcs12, self_signed, x5c

KEYS_FILE = "signing-keys.json"
ALGORITHM = "ES256"
# RFC 7638 §3.2: the members that make up a key's thumbprint, per key type.
THUMBPRINT_MEMBERS = {
    "EC": ("crv", "kty", "x", "y"),
    "RSA": ("e", "kty", "n"),
    "oct": ("k", "kty"),
    "OKP": ("crv", "kty", "x"),
}


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint: base64url SHA-256 of the required members, sorted, no whitespace."""
    members = THUMBPRINT_MEMBERS.get(jwk.get("kty", ""))
    if members is None:
        raise ValueError(f"unsupported key type {jwk.get('kty')!r}")
    required = {name: jwk[name] for name in members}
    canonical = json.dumps(required, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def public_jwk(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    """The public JWK of a P-256 key, with its thumbprint as `kid`."""
    numbers = public_key.public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(numbers.x.to_bytes(32, "big")),
        "y": b64url(numbers.y.to_bytes(32, "big")),
    }
    return {**jwk, "kid": jwk_thumbprint(jwk), "alg": ALGORITHM, "use": "sig"}


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One key of the ring; a retired key keeps only its public half (and its certificate)."""

    kid: str
    public_jwk: dict[str, str]
    private_pem: str | None = field(default=None, repr=False)
    created_at: str | None = None
    certificates: tuple[bytes, ...] = field(default=(), repr=False)  # DER, leaf first

    @classmethod
    def from_pem(
        cls,
        pem: str,
        created_at: str | None = None,
        certificates: Sequence[bytes] | None = None,
    ) -> "SigningKey":
        """Load a P-256 private key (PKCS#8 or SEC 1 PEM, unencrypted) with its certificate
        chain; without one, the key gets its self-signed certificate."""
        private = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        if not isinstance(private, ec.EllipticCurvePrivateKey) or not isinstance(
            private.curve, ec.SECP256R1
        ):
            raise ValueError("the signing key must be an EC P-256 private key")
        jwk = public_jwk(private.public_key())
        normalised = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")
        if certificates is None:
            certificates = (self_signed(private, _parse_time(created_at)),)
        return cls(jwk["kid"], jwk, normalised, created_at, tuple(certificates))

    @classmethod
    def from_pkcs12(cls, data: bytes, password: str | None = None) -> "SigningKey":
        """The key and the CA-issued certificate chain of a PKCS#12 file."""
        pem, chain = from_pkcs12(data, password)
        return cls.from_pem(pem, certificates=chain)

    @classmethod
    def generate(cls) -> "SigningKey":
        """A fresh P-256 key."""
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls.from_pem(pem.decode("ascii"), created_at=_now())

    def retired(self) -> "SigningKey":
        """The same key without its private half."""
        return SigningKey(self.kid, self.public_jwk, None, self.created_at, self.certificates)

    @property
    def jwk(self) -> dict[str, Any]:
        """The public JWK as published: with its certificate chain (`x5c`) when it has one."""
        if not self.certificates:
            return dict(self.public_jwk)
        return {**self.public_jwk, "x5c": x5c(self.certificates)}

    @property
    def certificate_fingerprint(self) -> str | None:
        """SHA-256 of the key's certificate, to compare out of band (openssl's notation)."""
        return fingerprint(self.certificates[0]) if self.certificates else None


@dataclass(frozen=True, slots=True)
class KeyRing:
    """The current signing key and every earlier public key, newest first."""

    current: SigningKey
    previous: tuple[SigningKey, ...] = ()

    @property
    def all(self) -> list[SigningKey]:
        return [self.current, *self.previous]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JWK Set served at /.well-known/jwks.json and carried in every bundle."""
        return {"keys": [key.jwk for key in self.all]}

    @classmethod
    def from_pem(cls, pem: str, previous: Sequence[str] = ()) -> "KeyRing":
        """A ring from settings: the current private key and, optionally, earlier public keys.

        `previous` holds PEM keys (private or public) or public JWKs as JSON, so a rotated
        key given in settings still verifies old bundles.
        """
        return cls(SigningKey.from_pem(pem), tuple(_public_key(p) for p in previous))

    def with_retired(self, keys: Sequence[str]) -> "KeyRing":
        """The ring with more retired public keys (PEM or JWK), each kept once."""
        known = {key.kid for key in self.all}
        added = []
        for key in map(_public_key, keys):
            if key.kid not in known:
                known.add(key.kid)
                added.append(key)
        return KeyRing(self.current, (*self.previous, *added))

    def rotate(self, data_dir: Path) -> "KeyRing":
        """Make a new current key, keep the old ones' public halves, and save the ring."""
        ring = KeyRing(SigningKey.generate(), (self.current.retired(), *self.previous))
        _write_atomically(data_dir / KEYS_FILE, ring._dump(), replace=True)
        return ring

    def _dump(self) -> bytes:
        keys = [
            {
                "kid": key.kid,
                "created_at": key.created_at,
                **({"private_pem": key.private_pem} if key.private_pem else {}),
                "public_jwk": key.public_jwk,
                **({"certificates": x5c(key.certificates)} if key.certificates else {}),
            }
            for key in self.all
        ]
        return json.dumps({"current": self.current.kid, "keys": keys}, indent=2).encode()


def load_or_create_keys(data_dir: Path) -> KeyRing:
    """Read `data_dir/signing-keys.json`, creating it (mode 0600) with a new key on first start.

    Creation is race-free: the file is written under a temporary name and hard-linked into
    place, so when several workers start at once exactly one key wins and all of them use it.
    """
    path = data_dir / KEYS_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fresh = KeyRing(SigningKey.generate())
        with contextlib.suppress(FileExistsError):
            _write_atomically(path, fresh._dump(), replace=False)
    return _read_ring(path)


def rotate(data_dir: Path) -> KeyRing:
    """`concord rotate-key`: a new current key; earlier public keys stay in the JWKS."""
    return load_or_create_keys(data_dir).rotate(data_dir)


def split_keys(text: str) -> list[str]:
    """The keys in one setting: PEM blocks one after another, or a JWK Set (or JWK) as JSON."""
    text = text.strip()
    if text.startswith("{"):
        document = json.loads(text)
        keys = document.get("keys", [document])
        return [json.dumps(jwk) for jwk in keys]
    blocks = [m.group(0) for m in _PEM_BLOCK.finditer(text)]
    if text and not blocks:
        raise ValueError("retired keys must be PEM blocks or a JWK Set")
    return blocks


_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----", re.DOTALL)


def _read_ring(path: Path) -> KeyRing:
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a copied or restored file may have lost its mode
    stored = json.loads(path.read_text("utf-8"))
    keys = []
    for item in stored["keys"]:
        # A file written before keys had certificates has none: the self-signed one is made
        # again, the same each time, until the next rotation stores it.
        stored_chain = [base64.b64decode(c) for c in item.get("certificates", [])]
        if item.get("private_pem"):
            key = SigningKey.from_pem(
                item["private_pem"], item.get("created_at"), stored_chain or None
            )
        else:
            jwk = item["public_jwk"]
            key = SigningKey(
                jwk_thumbprint(jwk), _published(jwk), None, item.get("created_at"),
                tuple(stored_chain),
            )  # fmt: skip
        if key.kid != item["kid"]:
            raise ValueError(f"{path}: key {item['kid']} does not match its thumbprint")
        keys.append(key)
    current = next((k for k in keys if k.kid == stored["current"]), None)
    if current is None or current.private_pem is None:
        raise ValueError(f"{path}: the current key {stored['current']} has no private key")
    return KeyRing(current, tuple(k for k in keys if k is not current))


def _public_key(text: str) -> SigningKey:
    text = text.strip()
    if text.startswith("{"):
        jwk = json.loads(text)
        return SigningKey(jwk_thumbprint(jwk), _published(jwk))
    if "PRIVATE KEY" in text:
        return SigningKey.from_pem(text).retired()
    public = serialization.load_pem_public_key(text.encode("ascii"))
    if not isinstance(public, ec.EllipticCurvePublicKey) or not isinstance(
        public.curve, ec.SECP256R1
    ):
        raise ValueError("a previous key must be an EC P-256 key")
    jwk = public_jwk(public)
    return SigningKey(jwk["kid"], jwk)


def _published(jwk: Mapping[str, Any]) -> dict[str, str]:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValueError("a previous key must be an EC P-256 key")
    core = {name: jwk[name] for name in ("kty", "crv", "x", "y")}
    return {**core, "kid": jwk_thumbprint(core), "alg": ALGORITHM, "use": "sig"}


def _write_atomically(path: Path, content: bytes, *, replace: bool) -> None:
    """Write a 0600 file under a temporary name, then move (or hard-link) it into place."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if another process created the file first
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
