"""Checking a signer's receipt offline: its entry and checkpoint are signed by keys the caller
trusts, and the inclusion proof places the entry at its seq in the checkpoint's tree.

A receipt proves that an entry was in the log when that checkpoint was signed, not that the
final seal still holds it: that is the bundle's check (`verify.py`), a separate mode of
`concord verify`, because a checkpoint that is not final must never pass as a seal.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.endorsements.merkle import HASH_SIZE, leaf_hash, verify_inclusion
from app.endorsements.statements import (
    CHECKPOINT_TYP,
    ENTRY_TYP,
    InvalidSignature,
    verify_signed,
)

MAX_PROOF = 64  # an audit path has one hash per level: a tree of 2^64 entries needs 64


@dataclass(slots=True)
class ReceiptReport:
    """What `concord verify --receipt` found."""

    problems: list[str] = field(default_factory=list)
    entry: dict[str, Any] = field(default_factory=dict)
    checkpoint: dict[str, Any] = field(default_factory=dict)
    entry_key: str | None = None
    checkpoint_key: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_receipt(receipt: Any, trusted_jwks: Mapping[str, Any]) -> ReceiptReport:
    """Check a receipt against the keys the caller trusts (a receipt carries none)."""
    report = ReceiptReport()
    problems = report.problems
    if not isinstance(receipt, Mapping):
        problems.append("receipt: not a JSON object")
        return report
    for name, typ in (("jws", ENTRY_TYP), ("checkpoint", CHECKPOINT_TYP)):
        token = receipt.get(name)
        if not isinstance(token, str):
            problems.append(f"{name}: missing (a compact JWS)")
            continue
        try:
            header, statement = verify_signed(token, trusted_jwks, typ=typ)
        except InvalidSignature as error:
            problems.append(f"{name}: {error}")
            continue
        if name == "jws":
            report.entry, report.entry_key = statement, header["kid"]
        else:
            report.checkpoint, report.checkpoint_key = statement, header["kid"]
    if report.entry and report.checkpoint:
        _check_inclusion(receipt, report.entry, report.checkpoint, problems)
    return report


def _check_inclusion(
    receipt: Mapping[str, Any],
    entry: dict[str, Any],
    checkpoint: dict[str, Any],
    problems: list[str],
) -> None:
    seq, tree_size = entry.get("seq"), checkpoint.get("tree_size")
    if receipt.get("seq") != seq:
        problems.append(f"seq: the receipt says {receipt.get('seq')!r}, the entry signs {seq!r}")
    for name, sealed_name in (("content_hash", "content_hash"), ("version", "version")):
        if entry.get(name) != checkpoint.get(sealed_name):
            problems.append(
                f"checkpoint: {sealed_name} {checkpoint.get(sealed_name)!r} is not the entry's "
                f"{entry.get(name)!r}"
            )
    declaration = entry.get("declaration")
    if not isinstance(declaration, dict) or declaration.get("id") != checkpoint.get("declaration"):
        problems.append("checkpoint: it belongs to another declaration than the entry")
    proof = _proof(receipt.get("inclusion_proof"))
    if proof is None:
        problems.append(
            f"inclusion_proof: not a list of at most {MAX_PROOF} SHA-256 hashes in lowercase hex"
        )
        return
    root = checkpoint.get("root_hash")
    leaf = leaf_hash(receipt["jws"].encode("utf-8"))
    if not (
        isinstance(seq, int)
        and isinstance(tree_size, int)
        and isinstance(root, str)
        and _is_hash(root)
        and verify_inclusion(leaf, seq - 1, tree_size, proof, bytes.fromhex(root))
    ):
        problems.append(
            f"inclusion_proof: does not place entry seq {seq!r} in the tree of size "
            f"{tree_size!r} with root {root!r}"
        )


def _proof(value: Any) -> list[bytes] | None:
    if not isinstance(value, list) or len(value) > MAX_PROOF:
        return None
    if not all(isinstance(item, str) and _is_hash(item) for item in value):
        return None
    return [bytes.fromhex(item) for item in value]


def _is_hash(value: str) -> bool:
    return len(value) == 2 * HASH_SIZE and all(c in "0123456789abcdef" for c in value)


def format_receipt_report(report: ReceiptReport) -> str:
    """The report as `concord verify --receipt` prints it."""
    lines = []
    entry, checkpoint = report.entry, report.checkpoint
    if report.entry_key:
        lines.append(f"Entry signed by key: {report.entry_key}")
    if report.checkpoint_key:
        lines.append(f"Checkpoint signed by key: {report.checkpoint_key}")
    if not report.ok:
        count = len(report.problems)
        lines.append(f"INVALID RECEIPT: {count} problem{'s' if count != 1 else ''}")
        lines.extend(f"  - {problem}" for problem in report.problems)
        return "\n".join(lines)
    city = entry.get("city") or {}
    state = "the final seal" if checkpoint.get("final") is True else "not final: signing went on"
    lines.append(
        f"VALID RECEIPT: the {entry.get('type')} of {city.get('name')} ({city.get('country')}), "
        f"seq {entry.get('seq')}, is in the log of declaration {checkpoint.get('declaration')} "
        f"at the checkpoint of {checkpoint.get('tree_size')} entries, root "
        f"{checkpoint.get('root_hash')}, issued {checkpoint.get('issued_at')} ({state})."
    )
    return "\n".join(lines)
