"""The offline verifier of a signed declaration: the text's hash, every JWS, each entry at its
place, the Merkle root against the final seal, and which keys all of it rests on."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from app.endorsements.certificates import fingerprint, leaf_of, normalised_fingerprint
from app.endorsements.merkle import leaf_hash, root_hash
from app.endorsements.statements import (
    CHECKPOINT_TYP,
    ENTRY_TYP,
    InvalidSignature,
    key_matches_kid,
    unverified_statement,
    verify_signed,
)
from app.passkeys.assertion import AssertionProblem, verify_assertion
from app.text.paragraphs import authentic_fingerprint
from app.text.paragraphs import content_hash as content_hash_of

BUNDLE_FORMAT = "concord-signed-declaration/1"
BUNDLE_MEMBER = "bundle.json"
MAX_LISTED = 50  # problems of one kind listed one by one before they are summed up
MAX_SAFE_INTEGER = 2**53 - 1

Verdict = Literal["valid", "unproven", "invalid"]
# `concord verify`'s exit codes; 2 is a file that cannot be read at all.
EXIT_CODES: dict[Verdict, int] = {"valid": 0, "invalid": 1, "unproven": 3}


@dataclass(frozen=True, slots=True)
class Signatory:
    """A city whose endorsement verifies and stands (was not withdrawn)."""

    seq: int
    city: dict[str, Any]
    signer: dict[str, Any]
    signed_at: str
    kid: str
    method: str = "password"  # or "passkey": the mayor's own authenticator signed the text


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
    """What `concord verify` found: every problem named, the keys used, the signatories.

    `ok` says the bundle is consistent (no problem found); whether it is *valid* also depends on
    where the keys came from: see `verdict`.
    """

    problems: list[str] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    withdrawn: list[Withdrawn] = field(default_factory=list)
    declaration: dict[str, Any] = field(default_factory=dict)
    entries: int = 0
    tree_size: int | None = None
    root_hash: str | None = None
    sealed_at: str | None = None
    final: bool = False
    trusted: bool = False  # checked against keys the caller trusts, not the bundle's own
    seal_key: str | None = None  # the kid that signed the seal, when its signature verifies
    entry_keys: dict[str, int] = field(default_factory=dict)  # kid → entries it signed
    certificates: dict[str, str] = field(default_factory=dict)  # kid → certificate SHA-256
    # The origin and RP ID passkey assertions were checked against (the bundle's `platform`).
    platform: dict[str, str] | None = None
    passkey_entries: int = 0  # entries whose passkey assertion verifies

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def keys(self) -> list[str]:
        """Every key used, the seal's and the entries', each once."""
        return sorted({*self.entry_keys, *([self.seal_key] if self.seal_key else [])})

    @property
    def verdict(self) -> Verdict:
        if self.problems:
            return "invalid"
        return "valid" if self.trusted else "unproven"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]


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


def verify_bundle(
    bundle: Any,
    trusted_jwks: Mapping[str, Any] | None = None,
    *,
    trusted_keys: Sequence[str] = (),
) -> VerificationReport:
    """Check a bundle against the keys the caller trusts, or with nothing but itself.

    `trusted_jwks` is a JWK Set learnt out of band (the platform's published keys);
    `trusted_keys` names keys of the bundle's own `jwks` the caller has compared out of band,
    by RFC 7638 thumbprint or certificate SHA-256 fingerprint. With neither, the bundle's own
    keys are used and the verdict is at best "unproven": anyone can make a consistent bundle.
    """
    report = VerificationReport()
    problems = report.problems
    if not isinstance(bundle, Mapping):
        problems.append("bundle: not a JSON object")
        return report
    if bundle.get("format", BUNDLE_FORMAT) != BUNDLE_FORMAT:
        problems.append(f"format: {bundle.get('format')!r} is not {BUNDLE_FORMAT!r}")

    report.trusted = trusted_jwks is not None or bool(trusted_keys)
    jwks = _key_set(bundle, trusted_jwks, trusted_keys, problems)
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

    seal = _check_seal(bundle.get("seal"), jwks, problems, report)
    if seal is None:
        return report
    report.tree_size, report.root_hash = seal["tree_size"], seal["root_hash"]
    report.sealed_at, report.final = seal.get("issued_at"), seal.get("final") is True
    if not report.final:
        problems.append(
            "seal: a checkpoint that is not final: it covers the entries signed up to it, while "
            "signing went on (a signed declaration is sealed by the final checkpoint)"
        )
    if isinstance(text, str):
        _check_texts(bundle, text, seal["content_hash"], problems)

    report.platform = _platform_of(bundle, problems)
    refused: list[str] = []
    entries = [
        _check_entry(i + 1, t, jwks, seal, refused, report.platform)
        for i, t in enumerate(raw_entries)
    ]
    problems.extend(_capped(refused, "more entries refused"))
    _check_positions(entries, problems)
    _check_size(len(entries), seal["tree_size"], problems)
    _check_root(raw_entries, seal, problems)
    _check_metadata(bundle, seal, entries, problems)
    report.declaration = _declaration_of(bundle, seal, entries)
    for entry in entries:
        if entry.statement:
            report.entry_keys[entry.kid] = report.entry_keys.get(entry.kid, 0) + 1
            report.passkey_entries += entry.statement.get("method") == "passkey"
    report.certificates = _certificates(jwks, report.keys)
    _collect_signatories(entries, report)
    return report


def _check_texts(
    bundle: Mapping[str, Any], text: str, sealed_hash: str, problems: list[str]
) -> None:
    """The sealed fingerprint recomputed from the text, and from every authentic translation
    when the bundle carries them (app.text.paragraphs.authentic_fingerprint); an altered text
    is named by its language."""
    translations = bundle.get("translations") or {}
    declaration = bundle.get("declaration")
    declaration = declaration if isinstance(declaration, Mapping) else {}
    if not isinstance(translations, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in translations.items()
    ):
        problems.append("translations: not an object of language → canonical text")
        return
    language = declaration.get("language", "en")
    texts = [(str(language), text), *translations.items()]
    if authentic_fingerprint(texts) == sealed_hash:
        return
    listed = declaration.get("texts")
    listed = listed if isinstance(listed, Mapping) else {}
    # One text is named as the text; of several, those that no longer hash as listed.
    several = len(texts) > 1
    altered = [lang for lang, t in texts if several and listed.get(lang) != content_hash_of(t)]
    if not altered:
        problems.append(
            f"text: its hash {authentic_fingerprint(texts)} does not match content_hash "
            f"{sealed_hash} in the seal (the text was altered)"
        )
    for lang in altered:
        problems.append(
            f"text ({lang}): the {lang} text does not hash to {listed.get(lang)}, the hash "
            f"listed for it, and the texts do not match content_hash {sealed_hash} in the seal "
            "(the text was altered)"
        )


def _key_set(
    bundle: Mapping[str, Any],
    trusted: Mapping[str, Any] | None,
    trusted_keys: Sequence[str],
    problems: list[str],
) -> dict[str, Any] | None:
    """The keys to verify with: the caller's, or else the bundle's own."""
    if trusted is None and not trusted_keys:
        own = _checked_keys(bundle.get("jwks"), "jwks", problems)
        return {"keys": own} if own is not None else None
    keys: list[Any] = []
    if trusted is not None:
        checked = _checked_keys(trusted, "trusted key set", problems)
        if checked is None:
            return None
        keys.extend(checked)
    if trusted_keys:
        pinned = _pinned(_checked_keys(bundle.get("jwks"), "jwks", problems) or [], trusted_keys)
        if not pinned:
            problems.append(
                "trusted keys: none of the keys given (--key) is among the bundle's keys"
            )
        keys.extend(pinned)
    return {"keys": keys} if keys else None


def _checked_keys(jwks: Any, where: str, problems: list[str]) -> list[Any] | None:
    """The keys of a JWK Set; each must be named by its thumbprint, and a certificate beside
    it must be the certificate of that key."""
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list) or not keys:
        problems.append(f"{where}: missing or not a JWK Set with keys")
        return None
    for key in keys:
        if not isinstance(key, Mapping) or key.get("kty") != "EC":
            continue
        if not key_matches_kid(key):
            problems.append(
                f"{where}: key {key.get('kid')} is not named by its RFC 7638 thumbprint"
            )
        try:
            leaf_of(key)
        except ValueError as error:
            problems.append(f"{where}: key {key.get('kid')}: {error}")
    return keys


def _pinned(keys: list[Any], named: Sequence[str]) -> list[Any]:
    """The bundle's keys the caller named by thumbprint or by certificate fingerprint."""
    kids = set(named)
    fingerprints = {f for f in map(normalised_fingerprint, named) if f}
    chosen = []
    for key in keys:
        if not isinstance(key, Mapping) or not key_matches_kid(key):
            continue
        if key.get("kid") in kids or _fingerprint_of(key) in fingerprints:
            chosen.append(key)
    return chosen


def _fingerprint_of(jwk: Mapping[str, Any]) -> str | None:
    try:
        der = leaf_of(jwk)
    except ValueError:
        return None
    return fingerprint(der) if der else None


def _certificates(jwks: Mapping[str, Any], kids: list[str]) -> dict[str, str]:
    """The certificate fingerprint of each key used that carries a certificate of itself."""
    found = {}
    for key in jwks["keys"]:
        if isinstance(key, Mapping) and key.get("kid") in kids and key.get("kid") not in found:
            print_ = _fingerprint_of(key)
            if print_:
                found[key["kid"]] = print_
    return found


def _check_seal(
    seal_token: Any, jwks: Mapping[str, Any], problems: list[str], report: VerificationReport
) -> dict[str, Any] | None:
    """The seal's statement; still returned when its signature fails, to name more problems."""
    if not isinstance(seal_token, str):
        problems.append("seal: missing (the final checkpoint JWS)")
        return None
    try:
        header, seal = verify_signed(seal_token, jwks, typ=CHECKPOINT_TYP)
        report.seal_key = header["kid"]
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
    position: int,
    token: str,
    jwks: Mapping[str, Any],
    seal: dict[str, Any],
    problems: list[str],
    platform: dict[str, str] | None = None,
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
    wrong = _statement_problem(statement, seal) or _passkey_problem(statement, platform)
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


def _platform_of(bundle: Mapping[str, Any], problems: list[str]) -> dict[str, str] | None:
    platform = bundle.get("platform")
    if platform is None:
        return None
    if (
        not isinstance(platform, Mapping)
        or not isinstance(platform.get("origin"), str)
        or not isinstance(platform.get("rp_id"), str)
    ):
        problems.append("platform: not an object with the strings origin and rp_id")
        return None
    return {"origin": platform["origin"], "rp_id": platform["rp_id"]}


def _passkey_problem(statement: dict[str, Any], platform: dict[str, str] | None) -> str | None:
    """An endorsement signed with a passkey carries the authenticator's assertion over the
    text's fingerprint: check it, against the platform's origin and RP ID."""
    method = statement.get("method")
    if method not in (None, "password", "passkey"):
        return f"method {method!r} is neither password nor passkey"
    if method != "passkey" and "passkey" not in statement:
        return None
    if method != "passkey" or not isinstance(statement.get("passkey"), dict):
        return "method and passkey disagree: a passkey entry carries both"
    if platform is None:
        return (
            "a passkey assertion, but the bundle names no platform (origin, rp_id) to check it "
            "against"
        )
    try:
        verify_assertion(
            statement["passkey"],
            content_hash=str(statement.get("content_hash")),
            origin=platform["origin"],
            rp_id=platform["rp_id"],
        )
    except AssertionProblem as problem:
        return f"passkey: {problem}"
    return None


def _check_positions(entries: list[_Entry], problems: list[str]) -> None:
    """Entry i carries seq i: a dropped, repeated or moved entry is found even when a new seal
    was signed over what is left. A run of entries off by the same amount is named once."""
    misplaced: list[str] = []
    seen: set[int] = set()
    run: list[_Entry] = []

    def close_run() -> None:
        if run:
            first, last = run[0], run[-1]
            where = (
                first.label
                if first is last
                else (f"entries {first.position}–{last.position} (seq {first.seq}–{last.seq})")
            )
            misplaced.append(
                f"{where}: out of place: entry {first.position} must carry seq {first.position}"
            )
            run.clear()

    for entry in entries:
        seq = entry.seq
        if seq is None or seq == entry.position:
            close_run()
        elif seq in seen:
            close_run()
            misplaced.append(f"{entry.label}: repeats an earlier entry (seq {seq})")
        else:
            if run and seq - entry.position != run[-1].seq - run[-1].position:  # type: ignore[operator]
                close_run()
            run.append(entry)
        if seq is not None:
            seen.add(seq)
    close_run()
    problems.extend(_capped(misplaced, "more entries out of place"))


def _check_size(count: int, tree_size: int, problems: list[str]) -> None:
    """As many entries as the seal covers. Said with arithmetic, never by counting up to the
    seal's tree_size: an unsigned seal can claim any number."""
    if count < tree_size:
        problems.append(
            f"{_span('entry', 'entries', count + 1, tree_size)} missing: the log has {count} "
            f"entries but the seal covers tree size {tree_size}"
        )
    elif count > tree_size:
        problems.append(
            f"entries {tree_size + 1}–{count} are not covered by the seal: the log has "
            f"{count} entries but the seal covers tree size {tree_size}"
        )


def _span(one: str, many: str, first: int, last: int) -> str:
    return f"{one} {first} is" if first == last else f"{many} {first}–{last} are"


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
                method="passkey" if statement.get("method") == "passkey" else "password",
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


def _capped(messages: list[str], rest: str) -> list[str]:
    if len(messages) <= MAX_LISTED:
        return messages
    return [*messages[:MAX_LISTED], f"… and {len(messages) - MAX_LISTED} {rest}"]


def _is_count(value: Any) -> bool:
    """A count JSON can carry between any two programs (I-JSON: at most 2^53 - 1), so that
    the browser's verifier reads the same number."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SAFE_INTEGER


def _is_hex_hash(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )
