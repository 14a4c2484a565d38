"""`concord verify --receipt`: a signer's receipt checked against trusted keys; a checkpoint that
is not final is accepted here, and only here."""

import copy
import io
import json

import pytest

from app.cli import main as concord
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.merkle import inclusion_proof, leaf_hash
from app.endorsements.verify_command import verify_receipt_file
from app.endorsements.verify_receipt import verify_receipt

from .conftest import Log, seal_for
from .verify_fixtures import payload, with_payload


def receipt_for(log: Log, seq: int) -> dict:
    """What the platform hands the signer of entry `seq`: the checkpoint signed right after it."""
    entries = log.entries[:seq]
    proof = inclusion_proof([leaf_hash(e.encode()) for e in entries], seq - 1)
    return {
        "seq": seq,
        "jws": log.entries[seq - 1],
        "checkpoint": seal_for(log.ring.current, entries, final=False),
        "inclusion_proof": [p.hex() for p in proof],
    }


@pytest.fixture
def receipt(log: Log) -> dict:
    return copy.deepcopy(receipt_for(log, 5))


class TestReceipt:
    def test_a_genuine_receipt_at_a_checkpoint_that_is_not_final(self, ring, receipt):
        report = verify_receipt(receipt, ring.jwks())
        assert report.problems == []
        assert (report.entry["seq"], report.checkpoint["tree_size"]) == (5, 5)
        assert report.entry_key == report.checkpoint_key == ring.current.kid

    def test_every_receipt_of_the_log(self, ring, log):
        for seq in range(1, len(log.entries) + 1):
            assert verify_receipt(receipt_for(log, seq), ring.jwks()).problems == []

    def test_another_platforms_keys(self, receipt):
        other = KeyRing(SigningKey.generate())
        problems = verify_receipt(receipt, other.jwks()).problems
        assert problems[0].startswith("jws: signed with key") and len(problems) == 2

    def test_a_proof_for_another_entry(self, ring, log, receipt):
        receipt["jws"] = log.entries[3]
        receipt["seq"] = 4
        assert verify_receipt(receipt, ring.jwks()).problems == [
            f"inclusion_proof: does not place entry seq 4 in the tree of size 5 with root "
            f"{payload(receipt['checkpoint'])['root_hash']!r}"
        ]

    def test_an_altered_proof_and_a_hostile_one(self, ring, receipt):
        receipt["inclusion_proof"][0] = "00" * 32
        assert verify_receipt(receipt, ring.jwks()).problems[0].startswith(
            "inclusion_proof: does not place entry seq 5"
        )
        receipt["inclusion_proof"] = ["00" * 32] * 10_000
        assert verify_receipt(receipt, ring.jwks()).problems == [
            "inclusion_proof: not a list of at most 64 SHA-256 hashes in lowercase hex"
        ]

    def test_a_checkpoint_whose_signature_does_not_hold(self, ring, receipt):
        checkpoint = payload(receipt["checkpoint"]) | {"tree_size": 6}
        receipt["checkpoint"] = with_payload(receipt["checkpoint"], checkpoint)
        problems = verify_receipt(receipt, ring.jwks()).problems
        assert problems == [f"checkpoint: signature does not verify with key {ring.current.kid}"]

    def test_a_seq_the_entry_does_not_sign(self, ring, receipt):
        receipt["seq"] = 4
        assert verify_receipt(receipt, ring.jwks()).problems[0] == (
            "seq: the receipt says 4, the entry signs 5"
        )


class TestCommand:
    def test_exit_codes(self, tmp_path, ring, receipt):
        (tmp_path / "receipt.json").write_text(json.dumps(receipt))
        (tmp_path / "jwks.json").write_text(json.dumps(ring.jwks()))
        out = io.StringIO()
        assert verify_receipt_file(tmp_path / "receipt.json", trusted_jwks=tmp_path / "jwks.json",
                                   out=out) == 0  # fmt: skip
        assert "VALID RECEIPT: the endorsement of عمّان (JO), seq 5, is in the log" in out.getvalue()
        assert "(not final: signing went on)" in out.getvalue()
        assert concord(["verify", str(tmp_path / "receipt.json"), "--receipt"]) == 2  # no keys
        receipt["inclusion_proof"].pop()
        (tmp_path / "receipt.json").write_text(json.dumps(receipt))
        args = [str(tmp_path / "receipt.json"), "--receipt", "--jwks", str(tmp_path / "jwks.json")]
        assert concord(["verify", *args]) == 1

    def test_a_receipt_is_no_bundle(self, tmp_path, ring, receipt):
        (tmp_path / "receipt.json").write_text(json.dumps(receipt))
        assert concord(["verify", str(tmp_path / "receipt.json"), "--key", ring.current.kid]) == 1
