"""Passkey signatures at scale: `concord verify` of a bundle in which every endorsement carries
a passkey assertion (each checked: ECDSA P-256 over authenticatorData ‖ SHA-256(clientDataJSON)),
and what checking one assertion costs (the offline verifier, and py_webauthn on the server).

Run: .venv/bin/python -m bench.bench_passkeys [--signatories N]
"""

import argparse
import json
import statistics
import time
from datetime import UTC, datetime, timedelta

import webauthn

from app.endorsements.bundle import build_bundle
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.merkle import leaf_hash, root_hash
from app.endorsements.statements import (
    checkpoint_statement,
    endorsement_statement,
    sign_statement,
)
from app.endorsements.verify import verify_bundle
from app.passkeys.assertion import CHALLENGE_PREFIX, b64url, verify_assertion
from app.text.paragraphs import content_hash as content_hash_of
from tests.passkeys.authenticator import SoftAuthenticator

ORIGIN, RP_ID = "http://localhost:8000", "localhost"
TEXT = "# Welcoming cities\n\nWe welcome everyone who arrives.\n"
STARTED = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def passkey_block(authenticator: SoftAuthenticator, content_hash: str, nonce: bytes) -> dict:
    challenge = CHALLENGE_PREFIX + bytes.fromhex(content_hash[7:]) + nonce
    return authenticator.entry_block(b64url(challenge))


def bundle_of(n: int, ring: KeyRing) -> dict:
    content_hash = content_hash_of(TEXT)
    entries = []
    for seq in range(1, n + 1):
        authenticator = SoftAuthenticator(ORIGIN)
        authenticator.rp_id = RP_ID
        statement = endorsement_statement(
            declaration={"id": 1, "title": "Bench"},
            version=1,
            content_hash=content_hash,
            city={"id": seq, "name": f"City {seq}", "country": "BE"},
            signer={"name": f"Mayor {seq}", "title": "Mayor"},
            signed_at=STARTED + timedelta(seconds=seq),
            seq=seq,
            method="passkey",
            passkey=passkey_block(authenticator, content_hash, seq.to_bytes(16, "big")),
        )
        entries.append(sign_statement(ring.current, statement))
    seal = sign_statement(
        ring.current,
        checkpoint_statement(
            declaration=1,
            version=1,
            content_hash=content_hash,
            tree_size=n,
            root_hash=root_hash([leaf_hash(e.encode()) for e in entries]),
            issued_at=STARTED + timedelta(days=1),
            final=True,
        ),
    )
    bundle = build_bundle(
        declaration={"id": 1, "title": "Bench", "version": 1},
        text=TEXT,
        entries=entries,
        seal=seal,
        jwks=ring.jwks(),
        platform={"origin": ORIGIN, "rp_id": RP_ID},
    )
    return bundle


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(figure, target, measured) rows, as bench.run_all reads them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signatories", type=int, default=10_000)
    args = parser.parse_args(argv)
    ring = KeyRing(SigningKey.generate())
    made = time.perf_counter()
    bundle = bundle_of(args.signatories, ring)
    made = time.perf_counter() - made
    start = time.perf_counter()
    report = verify_bundle(bundle, ring.jwks())
    seconds = time.perf_counter() - start
    assert report.verdict == "valid" and report.passkey_entries == args.signatories, report.problems
    rows = [
        (f"bundle of {args.signatories:,} passkey entries made (bench set-up)", f"{made:.1f} s"),
        (
            f"verify_bundle (concord verify), {args.signatories:,} passkey entries (< 5 s)",
            f"{seconds:.2f} s",
        ),
    ]
    # One assertion: the offline verifier, and py_webauthn as the server runs it.
    authenticator = SoftAuthenticator(ORIGIN)
    options = webauthn.generate_registration_options(rp_id=RP_ID, rp_name="x", user_name="m")
    registration = webauthn.verify_registration_response(
        credential=authenticator.create(json.loads(webauthn.options_to_json(options))),
        expected_challenge=options.challenge,
        expected_rp_id=RP_ID,
        expected_origin=ORIGIN,
    )
    content_hash = content_hash_of(TEXT)
    block = passkey_block(authenticator, content_hash, bytes(16))
    offline = []
    for _ in range(500):
        t = time.perf_counter()
        verify_assertion(block, content_hash=content_hash, origin=ORIGIN, rp_id=RP_ID)
        offline.append((time.perf_counter() - t) * 1000)
    challenge = CHALLENGE_PREFIX + bytes.fromhex(content_hash[7:]) + bytes(16)
    credential = authenticator.get(b64url(challenge))
    library = []
    for _ in range(500):
        t = time.perf_counter()
        webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=RP_ID,
            expected_origin=ORIGIN,
            credential_public_key=registration.credential_public_key,
            credential_current_sign_count=0,
            require_user_verification=True,
        )
        library.append((time.perf_counter() - t) * 1000)
    rows.append(("one assertion, offline verifier (p50)", f"{statistics.median(offline):.3f} ms"))
    rows.append(("one assertion, py_webauthn (p50)", f"{statistics.median(library):.3f} ms"))
    return [(figure, "< 5 s" if "< 5 s" in figure else "—", value) for figure, value in rows]


if __name__ == "__main__":
    for figure, target, value in main():
        print(f"{figure:64} {target:>7}  {value}")
