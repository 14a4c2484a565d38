"""The shared findings of the two verifiers: real bundles, tampered and forged ones, and what
`concord verify` says of each, written to frontend/src/lib/verify/fixtures/. The browser's
verifier (verify.test.ts) and the Python one (test_verify_fixtures.py) must both say exactly
what expected.json records.

    .venv/bin/python -m tests.endorsements.verify_fixtures     # after changing a finding
"""

import base64
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jose import jws

from app.endorsements.bundle import build_zip, bundle_json
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.merkle import leaf_hash, root_hash
from app.endorsements.statements import canonical_json, sign_statement
from app.endorsements.verify import VerificationReport, verify_bundle
from app.passkeys.assertion import CHALLENGE_PREFIX
from app.text.paragraphs import content_hash as content_hash_of
from tests.passkeys.authenticator import SoftAuthenticator

from .conftest import ALL_SIGN, TEXT, Log, make_log, seal_for, statements_for

FIXTURES = Path(__file__).resolve().parents[2] / "frontend/src/lib/verify/fixtures"
EVENTS = [*ALL_SIGN, ("withdraw", 1), ("endorse", 1), ("withdraw", 5)]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def with_payload(token: str, statement: dict[str, Any]) -> str:
    """The same header and signature over another payload: a signature that no longer holds."""
    header, _, signature = token.split(".")
    return f"{header}.{b64(json.dumps(statement).encode())}.{signature}"


def reseal(bundle: dict[str, Any], key: SigningKey, entries: list[str], **changes: Any) -> dict:
    """What a forger does: keep some entries, sign a checkpoint over them with a key of its
    own (the bundle's seal with another size and root), and add that key to its `jwks`."""
    forged = copy.deepcopy(bundle)
    forged["entries"] = entries
    root = root_hash([leaf_hash(entry.encode()) for entry in entries]).hex()
    checkpoint = payload(bundle["seal"]) | {"tree_size": len(entries), "root_hash": root}
    forged["seal"] = sign_statement(key, checkpoint | changes)
    forged["log"].update(tree_size=len(entries), root_hash=root)
    if key.kid not in {jwk["kid"] for jwk in forged["jwks"]["keys"]}:
        forged["jwks"]["keys"].append(key.jwk)
    return forged


def variants(ring: KeyRing, genuine: dict[str, Any]) -> dict[str, Any]:
    """Every tampering and forgery both verifiers must name, by name."""
    forger, stranger = SigningKey.generate(), SigningKey.generate()
    entries = genuine["entries"]

    def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        bundle = copy.deepcopy(genuine)
        change(bundle)
        return bundle

    def alter_entry(bundle: dict[str, Any]) -> None:
        statement = payload(bundle["entries"][2]) | {"city": {"id": 3, "name": "Antwerpen",
                                                              "country": "BE"}}  # fmt: skip
        bundle["entries"][2] = with_payload(bundle["entries"][2], statement)

    def reorder(bundle: dict[str, Any]) -> None:
        bundle["entries"][1], bundle["entries"][2] = entries[2], entries[1]

    def wrong_alg(bundle: dict[str, Any]) -> None:
        bundle["entries"][3] = jws.sign(
            canonical_json(payload(entries[3])),
            "secret",
            {"kid": ring.current.kid, "typ": "concord-entry+jws"},
            "HS256",
        )

    def not_canonical(bundle: dict[str, Any]) -> None:
        pretty = json.dumps(payload(entries[0]), indent=1).encode()
        headers = {"alg": "ES256", "kid": ring.current.kid, "typ": "concord-entry+jws"}
        bundle["entries"][0] = jws.sign(pretty, ring.current.private_pem, headers, "ES256")

    def nested_too_deeply(bundle: dict[str, Any]) -> None:
        statement = payload(entries[0])
        nested: list[Any] = []
        for _ in range(64):
            nested = [nested]
        statement["signer"]["note"] = nested
        bundle["entries"][0] = sign_statement(ring.current, statement)

    def unsigned_seal(**changes: Any) -> Callable[[dict[str, Any]], None]:
        return lambda b: b.update(seal=with_payload(b["seal"], payload(b["seal"]) | changes))

    def second_endorsement() -> dict[str, Any]:
        statements = statements_for([("endorse", 0), ("endorse", 1)])
        statements.append(statements_for([("endorse", 0)])[0] | {"seq": 3})
        signed = [sign_statement(ring.current, s) for s in statements]
        return Log(ring, TEXT, signed, seal_for(ring.current, signed)).bundle()

    borrowed = reseal(genuine, forger, entries[:-1])
    borrowed["jwks"]["keys"][-1]["x5c"] = ring.current.jwk["x5c"]
    return {
        "valid": genuine,
        "altered-entry": changed(alter_entry),
        "removed-entry": changed(lambda b: b["entries"].pop(2)),
        "removed-last-entry": changed(lambda b: b["entries"].pop()),
        "reordered-entries": changed(reorder),
        "repeated-entry": changed(lambda b: b["entries"].__setitem__(3, entries[2])),
        "altered-text": changed(lambda b: b.update(text=b["text"].replace("every", "some"))),
        "altered-seal-root": changed(unsigned_seal(root_hash="00" * 32)),
        "entry-unknown-key": changed(
            lambda b: b["entries"].__setitem__(3, sign_statement(stranger, payload(entries[3])))
        ),
        "entry-wrong-alg": changed(wrong_alg),
        "entry-not-canonical": changed(not_canonical),
        "entry-nested-too-deeply": changed(nested_too_deeply),
        "summary-disagrees": changed(
            lambda b: b["declaration"].update(version=4, title="Another title")
        ),
        "missing-seal": changed(lambda b: b.pop("seal")),
        "no-keys": changed(lambda b: b.pop("jwks")),
        "bad-kid": changed(lambda b: b["jwks"]["keys"][0].update(kid="friendly-name")),
        "not-an-object": [genuine],
        "second-endorsement": second_endorsement(),
        "empty-log": make_log(ring, []).bundle(),
        "huge-tree-size": changed(unsigned_seal(tree_size=10**15)),
        "tree-size-beyond-json": changed(unsigned_seal(tree_size=2**60)),
        "certificate-unreadable": changed(
            lambda b: b["jwks"]["keys"][0].update(x5c=["bm90IGEgY2VydGlmaWNhdGU="])
        ),
        # The forgeries of issue 11, each once called VALID.
        "forged-dropped-withdrawal": reseal(genuine, forger, entries[:-1]),
        "forged-with-the-platforms-certificate": borrowed,
        "dropped-middle-entry": reseal(genuine, ring.current, [entries[i] for i in (0, 2, 3)]),
        "dropped-first-entry": reseal(genuine, ring.current, entries[1:]),
        "not-final": reseal(genuine, ring.current, entries[:5], final=False),
    }


ORIGIN, RP_ID = "http://localhost:8000", "localhost"
PLATFORM = {"origin": ORIGIN, "rp_id": RP_ID}


def passkey_bundles(ring: KeyRing) -> dict[str, Any]:
    """Bundles whose endorsements carry a mayor's passkey assertion, made by a software
    authenticator; the broken ones are what even the platform, holding its own key, cannot
    make pass: each entry re-signed and the log re-sealed by the platform's genuine key."""
    content_hash = content_hash_of(TEXT)

    def assertion(**change: Any) -> dict[str, Any]:
        authenticator = SoftAuthenticator(change.pop("origin", ORIGIN))
        authenticator.rp_id = change.pop("rp_id", RP_ID)
        nonce = bytes(range(16))
        digest = change.pop("digest", bytes.fromhex(content_hash[7:]))
        return authenticator.entry_block(b64(CHALLENGE_PREFIX + digest + nonce), **change)

    def bundle(passkey: dict[str, Any], platform: Any = PLATFORM, **extra: Any) -> dict[str, Any]:
        statements = statements_for(ALL_SIGN)
        statements[0] |= {"method": "passkey", "passkey": passkey, **extra}
        for statement in statements[1:]:
            statement["method"] = "password"
        entries = [sign_statement(ring.current, st) for st in statements]
        made = Log(ring, TEXT, entries, seal_for(ring.current, entries)).bundle()
        if platform is not None:
            made["platform"] = platform
        return made

    genuine = assertion()
    forged_signature = assertion() | {"public_key": genuine["public_key"]}
    rewritten = json.loads(base64.urlsafe_b64decode(genuine["client_data_json"] + "=="))
    return {
        "passkey": bundle(genuine),
        "passkey-other-origin": bundle(assertion(origin="https://concord.example")),
        "passkey-other-rp-id": bundle(assertion(rp_id="concord.example")),
        "passkey-user-not-verified": bundle(assertion(user_verified=False)),
        "passkey-other-text": bundle(assertion(digest=bytes(32))),
        "passkey-forged-signature": bundle(forged_signature),
        "passkey-client-data-reserialised": bundle(
            genuine | {"client_data_json": b64(json.dumps(rewritten, indent=1).encode())}
        ),
        "passkey-platform-elsewhere": bundle(
            genuine, {"origin": "https://concord.example", "rp_id": "concord.example"}
        ),
        "passkey-without-platform": bundle(genuine, None),
        "passkey-method-password": bundle(genuine, method="password"),
    }


def findings(report: VerificationReport) -> dict[str, Any]:
    """What both verifiers must agree on, word for word."""
    return {
        "verdict": report.verdict,
        "problems": report.problems,
        "signatories": [[s.seq, s.city["name"], s.signer["name"]] for s in report.signatories],
        "withdrawn": [[w.seq, w.city["name"], w.withdrawn_by] for w in report.withdrawn],
        "entries": report.entries,
        "tree_size": report.tree_size,
        "root_hash": report.root_hash,
        "final": report.final,
        "seal_key": report.seal_key,
        "entry_keys": [[kid, count] for kid, count in report.entry_keys.items()],
        "keys": report.keys,
        "certificates": report.certificates,
        "declaration": report.declaration or None,
        "methods": [s.method for s in report.signatories],
        "platform": report.platform,
        "passkey_entries": report.passkey_entries,
    }


def cases(bundles: dict[str, Any], platform: dict[str, Any], other: dict[str, Any]) -> dict:
    """Each bundle against its own keys and against the platform's; the valid one also against
    another platform's."""
    trust = {"own": None, "platform": platform, "other": other}
    chosen = [(name, mode) for name in bundles for mode in ("own", "platform")]
    return {
        f"{name}@{mode}": {"bundle": name, "trust": mode}
        | findings(verify_bundle(bundles[name], trust[mode]))
        for name, mode in [*chosen, ("valid", "other")]
    }


def write() -> None:
    ring = KeyRing(SigningKey.generate())
    other = KeyRing(SigningKey.generate()).jwks()
    genuine = make_log(ring, EVENTS).bundle()
    bundles = variants(ring, genuine) | passkey_bundles(ring)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / "bundle.json").write_bytes(bundle_json(genuine))
    (FIXTURES / "signed-declaration.zip").write_bytes(build_zip(genuine, b"%PDF-1.7 stand-in"))
    for name, content in (
        ("platform-jwks.json", ring.jwks()),
        ("other-jwks.json", other),
        ("tampered.json", {k: v for k, v in bundles.items() if k != "valid"}),
        ("expected.json", cases(bundles, ring.jwks(), other)),
    ):
        text = json.dumps(content, ensure_ascii=False, indent=1)
        (FIXTURES / name).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
