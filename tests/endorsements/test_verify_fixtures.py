"""The findings the browser's verifier is held to (frontend/src/lib/verify/fixtures) are what
`concord verify` says today: a changed finding on either side fails one of the two suites."""

import json

import pytest

from app.endorsements.verify import verify_bundle
from app.endorsements.verify_command import read_bundle

from .verify_fixtures import FIXTURES, findings


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


EXPECTED = fixture("expected.json")
BUNDLES = {"valid": fixture("bundle.json"), **fixture("tampered.json")}
TRUST = {
    "own": None,
    "platform": fixture("platform-jwks.json"),
    "other": fixture("other-jwks.json"),
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_the_python_verifier_says_what_the_fixtures_record(case):
    expected = EXPECTED[case]
    report = verify_bundle(BUNDLES[expected["bundle"]], TRUST[expected["trust"]])
    assert {"bundle": expected["bundle"], "trust": expected["trust"]} | findings(report) == expected


def test_the_zip_holds_the_same_bundle():
    assert read_bundle(FIXTURES / "signed-declaration.zip") == BUNDLES["valid"]


def test_the_forgeries_and_the_tampering_that_matter_are_covered():
    verdicts = {case: EXPECTED[case]["verdict"] for case in EXPECTED}
    assert verdicts["valid@platform"] == "valid" and verdicts["valid@own"] == "unproven"
    assert verdicts["forged-dropped-withdrawal@own"] == "unproven"
    for forged in ("forged-dropped-withdrawal", "dropped-middle-entry", "not-final",
                   "huge-tree-size", "altered-text", "removed-entry"):  # fmt: skip
        assert verdicts[f"{forged}@platform"] == "invalid"


def test_no_passkey_assertion_passes_that_the_mayors_authenticator_did_not_make():
    verdicts = {case: EXPECTED[case]["verdict"] for case in EXPECTED}
    assert verdicts["passkey@platform"] == "valid"
    assert EXPECTED["passkey@platform"]["methods"][0] == "passkey"
    broken = [name for name in BUNDLES if name.startswith("passkey-")]
    assert len(broken) >= 9
    for name in broken:  # each re-signed and re-sealed by the platform's own, genuine key
        assert verdicts[f"{name}@platform"] == "invalid", name
