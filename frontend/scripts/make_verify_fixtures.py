"""Writes the browser verifier's test fixtures with the Python core: a real signed bundle, tampered
variants, and what `app.endorsements.verify` says about each (the browser must say the same).

Run from the repository root:  .venv/bin/python frontend/scripts/make_verify_fixtures.py
"""

import base64
import copy
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.endorsements.bundle import build_zip, bundle_json  # noqa: E402
from app.endorsements.keys import KeyRing, SigningKey  # noqa: E402
from app.endorsements.statements import sign_statement  # noqa: E402
from app.endorsements.verify import verify_bundle  # noqa: E402
from tests.endorsements.conftest import (  # noqa: E402
    ALL_SIGN,
    make_log,
    seal_for,
    statements_for,
)

OUT = ROOT / "frontend" / "src" / "lib" / "verify" / "fixtures"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def with_payload(token: str, statement: dict) -> str:
    header, _, signature = token.split(".")
    return f"{header}.{b64(json.dumps(statement).encode())}.{signature}"


def with_header(token: str, header: dict) -> str:
    _, body, signature = token.split(".")
    return f"{b64(json.dumps(header).encode())}.{body}.{signature}"


def main() -> None:
    ring = KeyRing(SigningKey.generate())
    other = KeyRing(SigningKey.generate())
    # Six cities sign; Malmö withdraws and signs again; Киев withdraws.
    log = make_log(ring, [*ALL_SIGN, ("withdraw", 1), ("endorse", 1), ("withdraw", 5)])
    valid = log.bundle()
    variants: dict[str, object] = {}

    def variant(name: str, change) -> None:
        bundle = copy.deepcopy(valid)
        result = change(bundle)
        variants[name] = bundle if result is None else result

    def alter_entry(b):
        b["entries"][2] = with_payload(b["entries"][2], {**payload(b["entries"][2]), "signer": {"name": "Someone Else", "title": "Mayor"}})

    variant("altered-entry", alter_entry)
    variant("removed-entry", lambda b: b["entries"].pop(3) and None)
    variant("reordered-entries", lambda b: b["entries"].insert(1, b["entries"].pop(2)))
    variant("altered-text", lambda b: b.__setitem__("text", b["text"].replace("safe, orderly", "safe and orderly")))

    def altered_seal_root(b):
        statement = {**payload(b["seal"]), "root_hash": "00" * 32}
        b["seal"] = with_payload(b["seal"], statement)

    variant("altered-seal-root", altered_seal_root)

    def unknown_key(b):
        b["entries"][0] = sign_statement(other.current, payload(b["entries"][0]))

    variant("entry-unknown-key", unknown_key)

    def wrong_alg(b):
        header = json.loads(base64.urlsafe_b64decode(b["entries"][1].split(".")[0] + "=="))
        b["entries"][1] = with_header(b["entries"][1], {**header, "alg": "HS256"})

    variant("entry-wrong-alg", wrong_alg)

    def not_canonical(b):
        # Re-signed by the platform's key, but over non-canonical JSON (spaces, unsorted keys).
        from jose import jws

        from app.endorsements.statements import _signer

        statement = payload(b["entries"][4])
        body = json.dumps(dict(reversed(list(statement.items()))), ensure_ascii=False).encode()
        headers = {"alg": "ES256", "kid": ring.current.kid, "typ": "concord-entry+jws"}
        b["entries"][4] = jws.sign(body, _signer(ring.current.private_pem), headers, "ES256")

    variant("entry-not-canonical", not_canonical)

    def summary_disagrees(b):
        b["declaration"]["version"] = 99
        b["declaration"]["title"] = "Another title"
        b["log"]["tree_size"] = 8

    variant("summary-disagrees", summary_disagrees)
    variant("missing-seal", lambda b: b.pop("seal") and None)
    variant("no-keys", lambda b: b.__setitem__("jwks", {"keys": []}))
    variant("bad-kid", lambda b: b["jwks"]["keys"][0].__setitem__("kid", "friendly-name"))
    variant("not-an-object", lambda b: [1, 2])

    def second_endorsement(b):
        twice = make_log(ring, [("endorse", 0), ("endorse", 0), ("withdraw", 2)][:2])
        return twice.bundle()

    variant("second-endorsement", second_endorsement)

    def not_final(b):
        entries = b["entries"]
        b["seal"] = seal_for(ring.current, entries, final=False)

    variant("not-final", not_final)

    empty = make_log(ring, [])
    variants["empty-log"] = empty.bundle()

    expected = {}
    for name, bundle in {"valid": valid, **variants}.items():
        report = verify_bundle(bundle)
        expected[name] = {
            "ok": report.ok,
            "problems": report.problems,
            "signatories": [[s.seq, s.city["name"], s.signer["name"]] for s in report.signatories],
            "withdrawn": [[w.seq, w.city["name"], w.withdrawn_by] for w in report.withdrawn],
            "tree_size": report.tree_size,
            "root_hash": report.root_hash,
            "final": report.final,
            "keys": report.keys,
            "declaration": report.declaration,
        }
    trusted = verify_bundle(valid, other.jwks())
    expected["valid-against-other-keys"] = {"ok": trusted.ok, "problems": trusted.problems}

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bundle.json").write_bytes(bundle_json(valid))
    (OUT / "other-jwks.json").write_text(json.dumps(other.jwks(), indent=2) + "\n")
    (OUT / "tampered.json").write_text(json.dumps(variants, ensure_ascii=False, indent=1) + "\n")
    (OUT / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n")
    # A ZIP as the server hands it out; the PDF inside is a stand-in (the verifier never reads it).
    (OUT / "signed-declaration.zip").write_bytes(build_zip(valid, pdf=b"%PDF-1.7 stand-in\n"))
    print(f"wrote {len(variants) + 1} bundles to {OUT.relative_to(ROOT)}")
    print(json.dumps({k: v["problems"][:3] for k, v in expected.items()}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
