"""Registering a mayor's passkeys, and checking an assertion that signs a declaration's text.

py_webauthn does the WebAuthn ceremony checks, made strict (user verification required, ES256
only); the user handle and the challenge's single use are checked here, and every signing
assertion is also checked by the offline verifier the bundle's readers use (`assertion.py`),
so what the platform accepts is what anyone can check later."""

import hashlib
import ipaddress
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import webauthn
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from webauthn.helpers import decode_credential_public_key, options_to_json
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app.auth.models import User
from app.db import begin_write_after_reads, utcnow
from app.errors import AppError, Conflict, Forbidden, Invalid, NotFound
from app.passkeys.assertion import (
    NONCE_SIZE,
    AssertionProblem,
    b64url,
    b64url_decode,
    signing_challenge,
    verify_assertion,
)
from app.passkeys.models import Passkey, PasskeyChallenge

CHALLENGE_LIFETIME = timedelta(minutes=5)
TIMEOUT_MS = int(CHALLENGE_LIFETIME.total_seconds() * 1000)
ES256 = [COSEAlgorithmIdentifier.ECDSA_SHA_256]
# Refusals about the assertion itself: what it signed or how. 401 as for a wrong password.
_STATUS = {
    "challenge_used": 409,
    "challenge_expired": 409,
    "challenge_hash_mismatch": 409,
    "not_your_passkey": 403,
}


class PasskeyRefused(AppError):
    status_code, code = 401, "passkey_invalid"


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """Who passkeys are made for: the platform's public origin, and its host as the RP ID."""

    origin: str
    rp_id: str
    name: str = "Concord"

    @classmethod
    def of(cls, origin: str) -> "RelyingParty":
        parts = urlsplit(origin)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not host or parts.path not in ("", "/"):
            raise ValueError(f"CONCORD_PUBLIC_ORIGIN {origin!r} is not an origin (scheme://host)")
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return cls(origin=f"{parts.scheme}://{parts.netloc}", rp_id=host)
        raise ValueError(
            f"CONCORD_PUBLIC_ORIGIN {origin!r}: an IP address is not a valid WebAuthn RP ID; "
            "use a host name (http://localhost:PORT for a local demo)"
        )


def user_handle(user: User) -> bytes:
    """The WebAuthn user handle of an account: stable, and naming nothing about the person."""
    return hashlib.sha256(b"concord-user\x00" + str(user.id).encode()).digest()[:16]


def registration_options(session: Session, rp: RelyingParty, user: User) -> dict[str, Any]:
    existing = session.scalars(select(Passkey.credential_id).where(Passkey.user_id == user.id))
    options = webauthn.generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=rp.name,
        user_id=user_handle(user),
        user_name=user.email,
        user_display_name=user.name,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c) for c in existing],
        supported_pub_key_algs=ES256,
    )
    _issue(session, options.challenge, user, "register", None)
    return json.loads(options_to_json(options))


def register(
    session: Session, rp: RelyingParty, user: User, *, name: str, credential: dict[str, Any]
) -> Passkey:
    challenge = _client_challenge(credential)
    row = _challenge(session, challenge, user, "register", None)
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=row.challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            require_user_verification=True,
            supported_pub_key_algs=ES256,
        )
    except InvalidRegistrationResponse as error:
        raise PasskeyRefused(f"The passkey was not accepted: {error}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise Invalid(
            f"credential: not a WebAuthn credential ({error})", code="passkey_malformed"
        ) from None
    _use(session, row)
    if session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)):
        raise Conflict("This passkey is already registered.", code="passkey_exists")
    passkey = Passkey(
        user_id=user.id,
        name=name,
        credential_id=verified.credential_id,
        public_key_cose=verified.credential_public_key,
        public_key_jwk=json.dumps(_jwk_of(verified.credential_public_key)),
        user_handle=user_handle(user),
        sign_count=verified.sign_count,
    )
    session.add(passkey)
    session.commit()
    return passkey


def list_passkeys(session: Session, user: User) -> list[Passkey]:
    return list(
        session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id))
    )


def delete_passkey(session: Session, user: User, passkey_id: int) -> None:
    passkey = session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        raise NotFound(f"You have no passkey {passkey_id}.", code="passkey_not_found")
    session.delete(passkey)
    session.commit()


def has_passkey(session: Session, user: User) -> bool:
    return session.scalar(select(Passkey.id).where(Passkey.user_id == user.id).limit(1)) is not None


def signing_options(
    session: Session, rp: RelyingParty, user: User, *, declaration_id: int, content_hash: str
) -> dict[str, Any]:
    """A challenge carrying the fingerprint to sign, for the mayor's own passkeys."""
    passkeys = list_passkeys(session, user)
    if not passkeys:
        raise Conflict(
            "You have no passkey yet: add one on your account page first.", code="no_passkey"
        )
    challenge = signing_challenge(content_hash, secrets.token_bytes(NONCE_SIZE))
    _issue(session, challenge, user, "sign", declaration_id)
    return {
        "challenge": b64url(challenge),
        "rp_id": rp.rp_id,
        "allow_credentials": [
            {"type": "public-key", "id": b64url(p.credential_id)} for p in passkeys
        ],
        "user_verification": "required",
        "timeout": TIMEOUT_MS,
    }


def check_signing_assertion_in_own_session(
    sessions: sessionmaker[Session], rp: RelyingParty, user: User, **assertion: Any
) -> dict[str, Any]:
    """`check_signing_assertion` in a session of its own: signing checks it in a worker thread
    before the group committer's write, outside any request session (its route is async)."""
    with sessions() as session:
        return check_signing_assertion(session, rp, user, **assertion)


def check_signing_assertion(
    session: Session,
    rp: RelyingParty,
    user: User,
    *,
    declaration_id: int,
    content_hash: str,
    credential: dict[str, Any],
) -> dict[str, Any]:
    """Check the assertion and use up its challenge; return the entry's `passkey` block (the
    raw bytes as the authenticator and browser made them, base64url) — committed on its own,
    before the signature is appended."""
    response = credential.get("response") if isinstance(credential, dict) else None
    if not isinstance(response, dict):
        raise Invalid("passkey: not a WebAuthn assertion", code="passkey_malformed")
    try:
        credential_id = b64url_decode(credential.get("rawId", credential.get("id")), "rawId")
        raw = {
            name: b64url_decode(response.get(field), field)
            for name, field in (
                ("authenticator_data", "authenticatorData"),
                ("client_data_json", "clientDataJSON"),
                ("signature", "signature"),
            )
        }
    except AssertionProblem as problem:
        raise Invalid(f"passkey: {problem}", code=problem.code) from None
    passkey = session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None:
        raise PasskeyRefused(
            "This passkey is not registered (or was removed).", code="passkey_unknown"
        )
    handle = response.get("userHandle")
    if passkey.user_id != user.id or (
        handle and b64url_decode(handle, "userHandle") != passkey.user_handle
    ):
        raise Forbidden("This passkey belongs to another account.", code="not_your_passkey")
    block = {
        "credential_id": b64url(passkey.credential_id),
        "public_key": json.loads(passkey.public_key_jwk),
        **{name: b64url(value) for name, value in raw.items()},
    }
    try:
        checked = verify_assertion(
            block, content_hash=content_hash, origin=rp.origin, rp_id=rp.rp_id
        )
    except AssertionProblem as problem:
        raise _refusal(problem) from None
    challenge = signing_challenge(content_hash, checked.nonce)
    row = _challenge(session, challenge, user, "sign", declaration_id)
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=row.challenge,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=passkey.public_key_cose,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except InvalidAuthenticationResponse as error:
        raise PasskeyRefused(f"The passkey's signature was not accepted: {error}") from None
    _use(session, row)
    if verified.new_sign_count:  # synced passkeys always report 0
        passkey.sign_count = verified.new_sign_count
    session.commit()
    return block


def _refusal(problem: AssertionProblem) -> AppError:
    error = PasskeyRefused(str(problem), code=problem.code)
    error.status_code = _STATUS.get(problem.code, 401)
    return error


def _issue(
    session: Session, challenge: bytes, user: User, purpose: str, declaration_id: int | None
) -> None:
    begin_write_after_reads(session)  # the caller has read the passkeys, the declaration
    now = utcnow()
    session.execute(  # the expired ones go as new ones come: the table stays small
        PasskeyChallenge.__table__.delete().where(PasskeyChallenge.expires_at < now)
    )
    session.add(
        PasskeyChallenge(
            challenge=challenge,
            user_id=user.id,
            purpose=purpose,
            declaration_id=declaration_id,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    )
    session.commit()


def _client_challenge(credential: Any) -> bytes:
    try:
        raw = b64url_decode(credential["response"]["clientDataJSON"], "clientDataJSON")
        return b64url_decode(json.loads(raw)["challenge"], "challenge")
    except (AssertionProblem, KeyError, TypeError, ValueError):
        raise Invalid(
            "credential: not a WebAuthn credential (clientDataJSON with a challenge)",
            code="passkey_malformed",
        ) from None


def _challenge(
    session: Session, challenge: bytes, user: User, purpose: str, declaration_id: int | None
) -> PasskeyChallenge:
    row = session.scalar(select(PasskeyChallenge).where(PasskeyChallenge.challenge == challenge))
    if (
        row is None
        or row.user_id != user.id
        or row.purpose != purpose
        or row.declaration_id != declaration_id
    ):
        raise PasskeyRefused(
            "This passkey answer is not to a challenge the platform gave you: ask for a new one.",
            code="challenge_unknown",
        )
    if row.used_at is not None:
        raise Conflict("This challenge was already used: ask for a new one.", code="challenge_used")
    if row.expires_at <= utcnow():
        raise Conflict(
            "This challenge has expired (5 minutes): ask for a new one.", code="challenge_expired"
        )
    return row


def _use(session: Session, row: PasskeyChallenge) -> None:
    """Mark the challenge used, once: of two requests racing with one answer, one wins (the
    update says whether it was still unused, whatever was read before)."""
    begin_write_after_reads(session)
    used = session.execute(
        update(PasskeyChallenge)
        .where(PasskeyChallenge.id == row.id, PasskeyChallenge.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        session.rollback()
        raise Conflict("This challenge was already used: ask for a new one.", code="challenge_used")


def _jwk_of(cose_key: bytes) -> dict[str, str]:
    key = decode_credential_public_key(cose_key)
    x, y = getattr(key, "x", None), getattr(key, "y", None)
    if not isinstance(x, bytes) or not isinstance(y, bytes):
        raise Invalid("Only ES256 (P-256) passkeys are accepted.", code="passkey_algorithm")
    return {"kty": "EC", "crv": "P-256", "x": b64url(x), "y": b64url(y)}
