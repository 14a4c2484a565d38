"""The offline verifier of a signed declaration: text hash, every JWS, Merkle root against seal."""

import argparse
import json
import sys
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from app.endorsements.merkle import leaf_hash, root_hash
from app.endorsements.statements import (
    CHECKPOINT_TYP,
    ENTRY_TYP,
    InvalidSignature,
    content_hash_of,
    key_matches_kid,
    unverified_statement,
    verify_jws,
    verify_signed,
)

BUNDLE_FORMAT = "concord-signed-declaration/1"
BUNDLE_MEMBER = "bundle.json"
MAX_BUNDLE_BYTES = 256 * 1024 * 1024
MAX_LISTED = 50  # problems of one kind listed one by one before they are summed up


@dataclass(frozen=True, slots=True)
class Signatory:
    """A city whose endorsement verifies and stands (was not withdrawn)."""

    seq: int
    city: dict[str, Any]
    signer: dict[str, Any]
    signed_at: str
    kid: str


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """An endorsement that verifies and was later withdrawn by the entry at `withdrawn_by`."""

    seq: int
    city: dict[str, Any]
    signer: dict[str, Any]
    signed_at: str
    withdrawn_by: int
    withdrawn_at: str


@dataclass(slots=True)
class VerificationReport:
    """What `concord verify` found: every problem named, or the signatories of a valid bundle."""

    problems: list[str] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    withdrawn: list[Withdrawn] = field(default_factory=list)
    declaration: dict[str, Any] = field(default_factory=dict)
    entries: int = 0
    tree_size: int | None = None
    root_hash: str | None = None
    sealed_at: str | None = None
    final: bool = False
    keys: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class _Entry:
    position: int  # 1-based place in the bundle's list
    token: str
    seq: int | None  # read from the payload, verified or not, to name the entry
    statement: dict[str, Any] | None = None  # set only when the entry passes every check
    kid: str = ""

    @property
    def label(self) -> str:
        return f"entry {self.position}" + (f" (seq {self.seq})" if self.seq is not None else "")


def verify_bundle(bundle: Any, trusted_jwks: Mapping[str, Any] | None = None) -> VerificationReport:
    """Check a bundle with nothing but itself, or against `trusted_jwks` (the published keys)."""
    report = VerificationReport()
    problems = report.problems
    if not isinstance(bundle, Mapping):
        problems.append("bundle: not a JSON object")
        return report
    if bundle.get("format", BUNDLE_FORMAT) != BUNDLE_FORMAT:
        problems.append(f"format: {bundle.get('format')!r} is not {BUNDLE_FORMAT!r}")

    jwks = _key_set(bundle, trusted_jwks, problems)
    text = bundle.get("text")
    if not isinstance(text, str):
        problems.append("text: missing (the canonical text must be a string)")
    raw_entries = bundle.get("entries")
    if not isinstance(raw_entries, list) or not all(isinstance(e, str) for e in raw_entries):
        problems.append("entries: missing or not a list of JWS strings")
        raw_entries = []
    report.entries = len(raw_entries)
    if jwks is None:
        return report

    seal = _check_seal(bundle.get("seal"), jwks, problems)
    if seal is None:
        return report
    report.tree_size, report.root_hash = seal["tree_size"], seal["root_hash"]
    report.sealed_at, report.final = seal.get("issued_at"), seal.get("final") is True
    sealed_hash = seal["content_hash"]
    if isinstance(text, str) and content_hash_of(text) != sealed_hash:
        problems.append(
            f"text: its hash {content_hash_of(text)} does not match content_hash "
            f"{sealed_hash} in the seal (the text was altered)"
        )

    refused: list[str] = []
    entries = [_check_entry(i + 1, t, jwks, seal, refused) for i, t in enumerate(raw_entries)]
    problems.extend(_capped(refused, "more entries refused"))
    _check_sequence(entries, seal["tree_size"], problems)
    _check_root(raw_entries, seal, problems)
    _check_metadata(bundle, seal, entries, problems)
    report.declaration = _declaration_of(bundle, seal, entries)
    report.keys = sorted({e.kid for e in entries if e.statement})
    _collect_signatories(entries, report)
    return report


def _key_set(
    bundle: Mapping[str, Any], trusted: Mapping[str, Any] | None, problems: list[str]
) -> Mapping[str, Any] | None:
    jwks = trusted if trusted is not None else bundle.get("jwks")
    where = "trusted key set" if trusted is not None else "jwks"
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list) or not keys:
        problems.append(f"{where}: missing or not a JWK Set with keys")
        return None
    for key in keys:
        if isinstance(key, Mapping) and key.get("kty") == "EC" and not key_matches_kid(key):
            kid = key.get("kid")
            problems.append(f"{where}: key {kid} is not named by its RFC 7638 thumbprint")
    return jwks


def _check_seal(
    seal_token: Any, jwks: Mapping[str, Any], problems: list[str]
) -> dict[str, Any] | None:
    """The seal's statement; still returned when its signature fails, to name more problems."""
    if not isinstance(seal_token, str):
        problems.append("seal: missing (the final checkpoint JWS)")
        return None
    try:
        seal = verify_jws(seal_token, jwks, typ=CHECKPOINT_TYP)
    except InvalidSignature as error:
        problems.append(f"seal: {error}")
        seal = unverified_statement(seal_token)
    if seal is None or seal.get("type") != "checkpoint":
        problems.append("seal: not a checkpoint statement")
        return None
    malformed = [
        name
        for name, valid in (
            ("tree_size", _is_count(seal.get("tree_size"))),
            ("root_hash", _is_hex_hash(seal.get("root_hash"))),
            ("content_hash", isinstance(seal.get("content_hash"), str)),
        )
        if not valid
    ]
    if malformed:
        problems.append(f"seal: malformed {', '.join(malformed)}")
        return None
    return seal


def _check_entry(
    position: int, token: str, jwks: Mapping[str, Any], seal: dict[str, Any], problems: list[str]
) -> _Entry:
    try:
        header, statement = verify_signed(token, jwks, typ=ENTRY_TYP)
    except InvalidSignature as error:
        unverified = unverified_statement(token)
        seq = unverified.get("seq") if unverified else None
        entry = _Entry(position, token, seq if _is_count(seq) else None)
        problems.append(f"{entry.label}: {error}")
        return entry
    seq = statement.get("seq")
    entry = _Entry(position, token, seq if _is_count(seq) else None)
    wrong = _statement_problem(statement, seal)
    if wrong:
        problems.append(f"{entry.label}: {wrong}")
        return entry
    entry.statement, entry.kid = statement, header["kid"]
    return entry


def _statement_problem(statement: dict[str, Any], seal: dict[str, Any]) -> str | None:
    kind = statement.get("type")
    if kind not in ("endorsement", "withdrawal"):
        return f"type {kind!r} is neither an endorsement nor a withdrawal"
    city, signer, declaration = (statement.get(k) for k in ("city", "signer", "declaration"))
    if not (
        isinstance(city, dict)
        and isinstance(city.get("id"), int | str)
        and isinstance(signer, dict)
        and isinstance(declaration, dict)
        and _is_count(statement.get("seq"))
        and (kind == "endorsement" or _is_count(statement.get("withdraws")))
    ):
        return "the statement lacks its city, signer, declaration, seq or withdraws"
    if statement.get("content_hash") != seal["content_hash"]:
        return (
            f"signs content_hash {statement.get('content_hash')}, "
            f"not the sealed text's {seal['content_hash']}"
        )
    if declaration.get("id") != seal.get("declaration"):
        return (
            f"belongs to declaration {declaration.get('id')!r}, "
            f"not the sealed declaration {seal.get('declaration')!r}"
        )
    if statement.get("version") != seal.get("version"):
        return f"signs version {statement.get('version')}, not sealed version {seal.get('version')}"
    return None


def _check_sequence(entries: list[_Entry], tree_size: int, problems: list[str]) -> None:
    """Entries carry seq 1, 2, 3…: a gap is a removed entry, a step back a moved or repeated one."""
    previous = 0
    seen: set[int] = set()
    out_of_order = []
    for entry in entries:
        if entry.seq is None:
            continue
        if entry.seq in seen:
            out_of_order.append(f"{entry.label}: repeats an earlier entry (seq {entry.seq})")
        elif entry.seq < previous:
            out_of_order.append(f"{entry.label}: out of order after seq {previous}")
        else:
            previous = entry.seq
        seen.add(entry.seq)
    problems.extend(_capped(out_of_order, "more entries out of order"))
    count = len(entries)
    if count < tree_size:
        missing = [seq for seq in range(1, tree_size + 1) if seq not in seen]
        if len(missing) == tree_size - count:
            problems.extend(
                _capped(
                    [
                        f"entry {seq} (seq {seq}) is missing: the log has {count} entries "
                        f"but the seal covers tree size {tree_size}"
                        for seq in missing
                    ],
                    "more entries missing",
                )
            )
        else:
            problems.append(
                f"{tree_size - count} entries are missing: the log has {count} entries "
                f"but the seal covers tree size {tree_size}"
            )
    elif count > tree_size:
        problems.append(
            f"entries {tree_size + 1}–{count} are not covered by the seal: the log has "
            f"{count} entries but the seal covers tree size {tree_size}"
        )


def _check_root(raw_entries: list[str], seal: dict[str, Any], problems: list[str]) -> None:
    tree_size = seal["tree_size"]
    if len(raw_entries) < tree_size:
        return  # the missing entries are already named; no root can be recomputed
    computed = root_hash([leaf_hash(token.encode("utf-8")) for token in raw_entries[:tree_size]])
    if computed.hex() != seal["root_hash"]:
        problems.append(
            f"seal: root hash {seal['root_hash']} does not match the root of the entries "
            f"{computed.hex()} (an entry was altered, replaced or reordered, "
            "or the seal belongs to another log)"
        )


def _check_metadata(
    bundle: Mapping[str, Any], seal: dict[str, Any], entries: list[_Entry], problems: list[str]
) -> None:
    """The unsigned summary fields must agree with what is signed, so no reader is misled."""
    declaration = bundle.get("declaration")
    if isinstance(declaration, Mapping):
        for name, sealed_name in (("id", "declaration"), ("version", "version"),
                                  ("content_hash", "content_hash")):  # fmt: skip
            if name in declaration and declaration[name] != seal.get(sealed_name):
                problems.append(
                    f"declaration: {name} {declaration[name]!r} does not match "
                    f"{seal.get(sealed_name)!r} in the seal"
                )
        signed_titles = {e.statement["declaration"].get("title") for e in entries if e.statement}
        title = declaration.get("title")
        if title is not None and signed_titles and signed_titles != {title}:
            problems.append(f"declaration: title {title!r} is not the title the entries sign")
    log = bundle.get("log")
    if isinstance(log, Mapping):
        for name in ("tree_size", "root_hash"):
            if name in log and log[name] != seal[name]:
                problems.append(f"log: {name} {log[name]!r} is not the seal's {seal[name]!r}")


def _declaration_of(
    bundle: Mapping[str, Any], seal: dict[str, Any], entries: list[_Entry]
) -> dict[str, Any]:
    titles = [e.statement["declaration"].get("title") for e in entries if e.statement]
    given = bundle.get("declaration")
    title = titles[0] if titles else (given.get("title") if isinstance(given, Mapping) else None)
    return {
        "id": seal.get("declaration"),
        "title": title,
        "version": seal.get("version"),
        "content_hash": seal["content_hash"],
    }


def _collect_signatories(entries: list[_Entry], report: VerificationReport) -> None:
    """Replay the log: an endorsement stands until its city withdraws it, one per city."""
    standing: dict[Any, Signatory] = {}
    replayed: set[int] = set()
    for entry in entries:
        statement = entry.statement
        if statement is None or statement["seq"] in replayed:  # a repeat is named already
            continue
        replayed.add(statement["seq"])
        city = statement["city"]
        key = (type(city["id"]).__name__, city["id"])  # 1 and "1" are two cities
        current = standing.get(key)
        if statement["type"] == "endorsement":
            if current is not None:
                report.problems.append(
                    f"{entry.label}: a second endorsement for {city.get('name')} while "
                    f"its endorsement at seq {current.seq} stands"
                )
                continue
            standing[key] = Signatory(
                seq=statement["seq"],
                city=city,
                signer=statement["signer"],
                signed_at=statement.get("signed_at", ""),
                kid=entry.kid,
            )
        elif current is None or current.seq != statement["withdraws"]:
            report.problems.append(
                f"{entry.label}: withdraws seq {statement['withdraws']}, which is not a "
                f"standing endorsement of {city.get('name')}"
            )
        else:
            del standing[key]
            report.withdrawn.append(
                Withdrawn(
                    seq=current.seq,
                    city=current.city,
                    signer=current.signer,
                    signed_at=current.signed_at,
                    withdrawn_by=statement["seq"],
                    withdrawn_at=statement.get("signed_at", ""),
                )
            )
    report.signatories = sorted(standing.values(), key=lambda s: s.seq)


def format_report(report: VerificationReport) -> str:
    """The report as `concord verify` prints it."""
    declaration = report.declaration
    lines = []
    if declaration:
        lines.append(
            f"Declaration: {declaration.get('title')} "
            f"(id {declaration.get('id')}, version {declaration.get('version')})"
        )
        lines.append(f"Fingerprint: {declaration.get('content_hash')}")
    if report.tree_size is not None:
        state = "sealed at close" if report.final else "NOT the final seal: signing may continue"
        lines.append(
            f"Log: {report.entries} entries; checkpoint of {report.tree_size} entries, "
            f"root {report.root_hash}, issued {report.sealed_at} ({state})"
        )
    if report.keys:
        lines.append(f"Signing keys (RFC 7638 thumbprints): {', '.join(report.keys)}")
    if not report.ok:
        count = len(report.problems)
        lines.append(f"INVALID: {count} problem{'s' if count != 1 else ''}")
        lines.extend(f"  - {problem}" for problem in report.problems)
        return "\n".join(lines)
    lines.append(f"VALID: {len(report.signatories)} signatories")
    for number, signatory in enumerate(report.signatories, 1):
        city, signer = signatory.city, signatory.signer
        title = f", {signer.get('title')}" if signer.get("title") else ""
        lines.append(
            f"  {number:>5}. {city.get('name')} ({city.get('country')}): "
            f"{signer.get('name')}{title}, signed {signatory.signed_at} (seq {signatory.seq})"
        )
    if report.withdrawn:
        lines.append(f"Withdrawn endorsements: {len(report.withdrawn)}")
        for item in report.withdrawn:
            lines.append(
                f"         {item.city.get('name')} ({item.city.get('country')}): seq {item.seq}, "
                f"withdrawn by seq {item.withdrawn_by} on {item.withdrawn_at}"
            )
    return "\n".join(lines)


class UnreadableBundle(ValueError):
    """The file is not a bundle at all: not found, not JSON, not a ZIP holding bundle.json."""


def read_bundle(path: Path) -> Any:
    """The bundle's JSON from a .json file or from bundle.json inside a .zip."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                name = BUNDLE_MEMBER if BUNDLE_MEMBER in names else None
                if name is None:
                    raise UnreadableBundle(f"{path}: the ZIP holds no {BUNDLE_MEMBER}")
                if archive.getinfo(name).file_size > MAX_BUNDLE_BYTES:
                    raise UnreadableBundle(f"{path}: {name} is too large")
                raw = archive.read(name)
        else:
            if path.stat().st_size > MAX_BUNDLE_BYTES:
                raise UnreadableBundle(f"{path}: too large for a bundle")
            raw = path.read_bytes()
        return json.loads(raw.decode("utf-8"))
    except UnreadableBundle:
        raise
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, ValueError) as error:
        raise UnreadableBundle(f"{path}: {error}") from None


def verify_file(
    path: Path | str,
    *,
    trusted_jwks: Path | str | None = None,
    out: TextIO | None = None,
) -> int:
    """`concord verify FILE`: print the report; exit code 0 valid, 1 invalid, 2 unreadable."""
    out = out or sys.stdout
    try:
        bundle = read_bundle(Path(path))
        keys = read_bundle(Path(trusted_jwks)) if trusted_jwks is not None else None
    except UnreadableBundle as error:
        print(f"cannot read {error}", file=out)
        return 2
    report = verify_bundle(bundle, keys)
    print(format_report(report), file=out)
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Argument parsing for `concord verify` (and `python -m app.endorsements.verify`)."""
    parser = argparse.ArgumentParser(
        prog="concord verify", description="Verify a signed declaration offline."
    )
    parser.add_argument("file", help="the bundle: signed-declaration .json or .zip")
    parser.add_argument(
        "--jwks",
        help="a JWK Set to trust instead of the bundle's own keys "
        "(e.g. a saved copy of /api/.well-known/jwks.json)",
    )
    args = parser.parse_args(argv)
    return verify_file(args.file, trusted_jwks=args.jwks)


def _capped(messages: list[str], rest: str) -> list[str]:
    if len(messages) <= MAX_LISTED:
        return messages
    return [*messages[:MAX_LISTED], f"… and {len(messages) - MAX_LISTED} {rest}"]


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_hex_hash(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


if __name__ == "__main__":
    sys.exit(main())
