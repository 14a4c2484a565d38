"""Endorsement, withdrawal and checkpoint statements: RFC 8785 JSON signed as ES256 JWS."""

import base64
import binascii
import functools
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import rfc8785
from jose import jwk as jose_jwk
from jose import jws
from jose.backends.base import Key as JoseKey
from jose.exceptions import JOSEError

from app.endorsements.keys import ALGORITHM, SigningKey, jwk_thumbprint

ALGORITHMS = [ALGORITHM]  # the only algorithm signed or accepted, everywhere
ENTRY_TYP = "concord-entry+jws"  # endorsements and withdrawals: the log's leaves
CHECKPOINT_TYP = "concord-checkpoint+jws"  # signed tree heads; the final one is the seal
TYP_OF = {"endorsement": ENTRY_TYP, "withdrawal": ENTRY_TYP, "checkpoint": CHECKPOINT_TYP}
# Statements nest three levels deep; a verifier refuses more the same way in Python (whose
# parser gives up near 1,000) and in the browser, before anything recurses into it.
MAX_JSON_DEPTH = 64
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")

Id = int | str


class InvalidSignature(ValueError):
    """A JWS that is malformed, uses another algorithm, names an unknown key or does not verify."""


def canonical_json(obj: Any) -> bytes:
    """The RFC 8785 (JCS) serialisation: the exact bytes that are signed.

    For what statements hold (ASCII keys, strings, integers within ±2^53, booleans, null) JCS
    is json.dumps with sorted keys, no spaces and no ASCII escaping, several times faster than
    the rfc8785 package (tested to agree with it); anything else goes to the package."""
    if _plain(obj):
        dumped = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return dumped.encode("utf-8")  # a lone surrogate raises here, as rfc8785 refuses it
    return rfc8785.dumps(obj)


_SAFE_INTEGER = 2**53 - 1  # I-JSON (RFC 7493), which RFC 8785 requires: larger ones are refused
_SCALARS = (str, bool, type(None))


def _plain(value: Any) -> bool:
    """Holds only what sorted json.dumps writes exactly as RFC 8785 does: dicts with ASCII
    string keys (JCS orders keys by UTF-16 code units), lists, strings, booleans, null and safe
    integers. Anything else — floats, tuples, subclasses of dict, list, int or str, whose
    serialisation json.dumps and JCS may write differently — takes the rfc8785 package."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(key) is str and key.isascii() for key in item):
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is int:
            if not -_SAFE_INTEGER <= item <= _SAFE_INTEGER:
                return False
        elif kind not in _SCALARS:
            return False
    return True


def rfc3339(moment: datetime) -> str:
    """A timezone-aware moment as an RFC 3339 UTC string with a `Z`, to the second."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def endorsement_statement(
    *,
    declaration: Mapping[str, Any],
    version: int,
    content_hash: str,
    city: Mapping[str, Any],
    signer: Mapping[str, Any],
    signed_at: datetime,
    seq: int,
    method: str | None = None,
    passkey: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What a mayor signs: this text, for this city, as log entry `seq` (1-based); an
    endorsement says how the mayor confirmed it (`method`: password, or passkey with the
    authenticator's assertion over the text's fingerprint)."""
    statement = {
        "type": "endorsement",
        "declaration": {"id": declaration["id"], "title": declaration["title"]},
        "version": version,
        "content_hash": content_hash,
        "city": {"id": city["id"], "name": city["name"], "country": city["country"]},
        "signer": {"name": signer["name"], "title": signer.get("title") or ""},
        "signed_at": rfc3339(signed_at),
        "seq": seq,
    }
    if method is not None:
        statement["method"] = method
    if passkey is not None:
        statement["passkey"] = dict(passkey)
    return statement


def withdrawal_statement(
    *,
    declaration: Mapping[str, Any],
    version: int,
    content_hash: str,
    city: Mapping[str, Any],
    signer: Mapping[str, Any],
    signed_at: datetime,
    seq: int,
    withdraws: int,
) -> dict[str, Any]:
    """A later entry that withdraws the endorsement at log entry `withdraws`; nothing is erased."""
    statement = endorsement_statement(
        declaration=declaration,
        version=version,
        content_hash=content_hash,
        city=city,
        signer=signer,
        signed_at=signed_at,
        seq=seq,
    )
    return {**statement, "type": "withdrawal", "withdraws": withdraws}


def checkpoint_statement(
    *,
    declaration: Id,
    version: int,
    content_hash: str,
    tree_size: int,
    root_hash: bytes | str,
    issued_at: datetime,
    final: bool = False,
) -> dict[str, Any]:
    """A signed tree head; `final` marks the seal written when endorsement closes."""
    root = root_hash.hex() if isinstance(root_hash, bytes) else root_hash.lower()
    return {
        "type": "checkpoint",
        "declaration": declaration,
        "version": version,
        "content_hash": content_hash,
        "tree_size": tree_size,
        "root_hash": root,
        "issued_at": rfc3339(issued_at),
        "final": final,
    }


def sign_statement(key: SigningKey, statement: Mapping[str, Any]) -> str:
    """Compact JWS over the statement's canonical bytes; the header names the key by `kid`."""
    if key.private_pem is None:
        raise ValueError(f"key {key.kid} is retired: it has no private half")
    typ = TYP_OF.get(statement.get("type", ""))
    if typ is None:
        raise ValueError(f"unknown statement type {statement.get('type')!r}")
    headers = {"alg": ALGORITHM, "kid": key.kid, "typ": typ}
    # bytes, not a dict: python-jose would re-serialise a dict with json.dumps
    return jws.sign(canonical_json(statement), _signer(key.private_pem), headers, ALGORITHM)


def verify_jws(token: str, jwks: Mapping[str, Any], *, typ: str | None = None) -> dict[str, Any]:
    """Verify an ES256 JWS with the key its `kid` names in `jwks`; return the statement.

    Raises InvalidSignature with a sentence saying what is wrong. The payload must be the
    statement's RFC 8785 bytes, so one statement has exactly one signed form.
    """
    return verify_signed(token, jwks, typ=typ)[1]


def verify_signed(
    token: str, jwks: Mapping[str, Any], *, typ: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """verify_jws, returning the protected header with the statement."""
    header = unverified_header(token)
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise InvalidSignature(f"algorithm {alg!r} is refused: only ES256 is accepted")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidSignature("the header names no key (kid)")
    if typ is not None and header.get("typ") != typ:
        raise InvalidSignature(f"type {header.get('typ')!r} where {typ!r} was expected")
    public = find_key(jwks, kid)
    try:
        verifier = _verifier(_frozen(public))
    except (JOSEError, ValueError, TypeError):
        raise InvalidSignature(f"key {kid} is not a valid P-256 public key") from None
    try:
        payload = jws.verify(token, verifier, algorithms=ALGORITHMS)
    except JOSEError:
        raise InvalidSignature(f"signature does not verify with key {kid}") from None
    try:
        statement = json.loads(payload)
    except RecursionError:
        raise InvalidSignature("the signed payload is nested too deeply") from None
    except ValueError:
        raise InvalidSignature("the signed payload is not JSON") from None
    if nesting_depth(statement) > MAX_JSON_DEPTH:
        raise InvalidSignature("the signed payload is nested too deeply")
    if not isinstance(statement, dict):
        raise InvalidSignature("the signed payload is not a JSON object")
    if not is_canonical(statement, payload):
        raise InvalidSignature("the signed payload is not RFC 8785 canonical JSON")
    return header, statement


def is_canonical(statement: Any, payload: bytes) -> bool:
    """Are these the RFC 8785 bytes of the statement?

    For JSON whose keys are ASCII and whose numbers are safe integers, sorted-key json.dumps
    writes exactly the RFC 8785 bytes, at a tenth of the cost of the pure-Python rfc8785;
    anything else takes the long way.
    """
    if _plain(statement):
        try:
            quick = json.dumps(
                statement, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: rfc8785 decides
            quick = None
        if quick is not None:
            return quick == payload
    try:
        return canonical_json(statement) == payload
    except (rfc8785.CanonicalizationError, ValueError, TypeError):
        return False


def unverified_header(token: str) -> dict[str, Any]:
    """The protected header of a compact JWS, before any check of its signature."""
    header = _json_part(token, 0)
    if header is None:
        raise InvalidSignature("the JWS header cannot be read")
    return header


def unverified_statement(token: str) -> dict[str, Any] | None:
    """The payload of a JWS read without checking it (to name a broken entry), or None."""
    try:
        return _json_part(token, 1)
    except InvalidSignature:
        return None


def _json_part(token: str, index: int) -> dict[str, Any] | None:
    if not isinstance(token, str) or not _COMPACT_JWS.fullmatch(token):
        raise InvalidSignature("not a compact JWS (three base64url parts)")
    part = token.split(".")[index]
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, binascii.Error, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return value if isinstance(value, dict) and nesting_depth(value) <= MAX_JSON_DEPTH else None


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest (`[[]]` is 2), counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def find_key(jwks: Mapping[str, Any], kid: str) -> dict[str, Any]:
    """The ES256 P-256 key with this `kid` in a JWK Set."""
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    for candidate in keys if isinstance(keys, list) else []:
        if isinstance(candidate, Mapping) and candidate.get("kid") == kid:
            if candidate.get("kty") != "EC" or candidate.get("crv") != "P-256":
                raise InvalidSignature(f"key {kid} is not an EC P-256 key")
            if candidate.get("alg", ALGORITHM) != ALGORITHM:
                raise InvalidSignature(f"key {kid} is published for {candidate.get('alg')}")
            return dict(candidate)
    raise InvalidSignature(f"signed with key {kid}, which is not in the key set")


def key_matches_kid(jwk: Mapping[str, Any]) -> bool:
    """Is the key's `kid` its RFC 7638 thumbprint, as Concord always makes it?"""
    try:
        return jwk.get("kid") == jwk_thumbprint(jwk)
    except (KeyError, ValueError, TypeError):
        return False


def _frozen(jwk: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in jwk.items() if k in ("kty", "crv", "x", "y")))


@functools.lru_cache(maxsize=64)
def _verifier(frozen_jwk: tuple[tuple[str, str], ...]) -> JoseKey:
    """Parse each public key once: verifying 10,000 entries should not parse it 10,000 times."""
    return jose_jwk.construct(dict(frozen_jwk), ALGORITHM)


@functools.lru_cache(maxsize=8)
def _signer(private_pem: str) -> JoseKey:
    return jose_jwk.construct(private_pem, ALGORITHM)
