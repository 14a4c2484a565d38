"""`concord verify` (its arguments are in app/cli.py): read a bundle and the keys the caller
trusts (a file or an http(s) address), within fixed bounds of size and time, and print what the
verifier found."""

import http.client
import json
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from app.endorsements.statements import MAX_JSON_DEPTH, nesting_depth
from app.endorsements.verify import BUNDLE_MEMBER, VerificationReport, verify_bundle
from app.endorsements.verify_receipt import format_receipt_report, verify_receipt

MAX_BUNDLE_BYTES = 64 * 1024 * 1024  # ten thousand signatures take about 10 MB
MAX_KEY_SET_BYTES = 1024 * 1024
FETCH_SECONDS = 10.0  # for the whole download of a key set, not for each read
CHUNK = 64 * 1024
EXIT_UNREADABLE = 2


class UnreadableBundle(ValueError):
    """The file is not a bundle (or a key set) at all: missing, too large, not JSON, not a ZIP
    holding bundle.json, or an address that cannot be fetched."""


def read_bundle(path: Path) -> Any:
    """The bundle's JSON from a .json file or from bundle.json inside a .zip."""
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise UnreadableBundle(f"{path}: too large for a bundle")
        if zipfile.is_zipfile(path):
            raw = _zip_member(path, BUNDLE_MEMBER, MAX_BUNDLE_BYTES)
        else:
            raw = path.read_bytes()
        return _json(raw, path)
    except UnreadableBundle:
        raise
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise UnreadableBundle(f"{path}: {error}") from None


def read_key_set(source: str) -> Any:
    """A JWK Set the caller trusts, from a file or fetched from an http(s) address."""
    if "://" in source:
        return _json(_fetch(source), source)
    path = Path(source)
    try:
        if path.stat().st_size > MAX_KEY_SET_BYTES:
            raise UnreadableBundle(f"{path}: too large for a key set")
        return _json(path.read_bytes(), path)
    except OSError as error:
        raise UnreadableBundle(f"{path}: {error}") from None


def _zip_member(path: Path, name: str, cap: int) -> bytes:
    """One member, inflated chunk by chunk and never beyond its declared size or the cap."""
    with zipfile.ZipFile(path) as archive:
        try:
            info = archive.getinfo(name)
        except KeyError:
            raise UnreadableBundle(f"{path}: the ZIP holds no {name}") from None
        if info.file_size > cap:
            raise UnreadableBundle(f"{path}: {name} is too large")
        content = bytearray()
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                content += chunk
                if len(content) > info.file_size:
                    raise UnreadableBundle(f"{path}: {name} inflates beyond its declared size")
        return bytes(content)


def _fetch(url: str) -> bytes:
    """GET an http(s) address: nothing else is fetched, and no more than the cap, in time."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise UnreadableBundle(f"{url}: only http:// and https:// addresses are fetched")
    # No file:, ftp: or data: handlers: a redirect cannot lead anywhere but http(s).
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    deadline = time.monotonic() + FETCH_SECONDS
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with opener.open(request, timeout=FETCH_SECONDS) as response:
            body = bytearray()
            while chunk := response.read1(CHUNK):  # one receive at a time: the deadline holds
                body += chunk
                if len(body) > MAX_KEY_SET_BYTES:
                    raise UnreadableBundle(f"{url}: too large for a key set")
                if time.monotonic() > deadline:
                    raise UnreadableBundle(f"{url}: took longer than {FETCH_SECONDS:.0f} s")
            return bytes(body)
    except UnreadableBundle:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:  # URLError is an OSError
        raise UnreadableBundle(f"{url}: {error}") from None


def _json(raw: bytes, source: object) -> Any:
    try:
        value = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise UnreadableBundle(f"{source}: JSON nested too deeply") from None
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise UnreadableBundle(f"{source}: {error}") from None
    if nesting_depth(value) > MAX_JSON_DEPTH:
        raise UnreadableBundle(f"{source}: JSON nested too deeply")
    return value


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
        state = "the final seal" if report.final else "NOT final"
        lines.append(
            f"Log: {report.entries} entries; sealed at {report.tree_size} entries, "
            f"root {report.root_hash}, issued {report.sealed_at} ({state})"
        )
    lines.extend(_key_lines(report))
    if report.platform:
        lines.append(
            f"Passkeys checked against: origin {report.platform['origin']}, RP ID "
            f"{report.platform['rp_id']} ({report.passkey_entries} entries signed with the "
            "mayor's own passkey)"
        )
    if not report.ok:
        count = len(report.problems)
        lines.append(f"INVALID: {count} problem{'s' if count != 1 else ''}")
        lines.extend(f"  - {problem}" for problem in report.problems)
        return "\n".join(lines)
    if report.trusted:
        lines.append(f"VALID: {len(report.signatories)} signatories")
    else:
        lines.append(
            f"ORIGIN UNPROVEN: consistent, {len(report.signatories)} signatories, but checked "
            "only against the keys the file carries, and anyone can make such a file. Compare "
            "the seal's key above with the platform's (its published JWKS, or the fingerprint "
            "printed on the signed declaration), then verify again with --jwks or --key."
        )
    lines.extend(_signatory_lines(report))
    return "\n".join(lines)


def _key_lines(report: VerificationReport) -> list[str]:
    """Every key used, the seal's apart, and where the verifier got them from."""
    lines = []
    if report.seal_key:
        seal_key = report.seal_key
        lines.append(f"Seal signed by key: {seal_key}{_certificate(report, seal_key, ' (', ')')}")
    if report.entry_keys:
        used = ", ".join(
            f"{kid} ({count} entr{'y' if count == 1 else 'ies'}{_certificate(report, kid, '; ')})"
            for kid, count in report.entry_keys.items()
        )
        lines.append(f"Entries signed by key: {used}")
    if report.trusted:
        lines.append("Keys checked against: the keys you trust (--jwks, --key)")
    else:
        lines.append("Keys checked against: only the keys the file itself carries")
    return lines


def _certificate(report: VerificationReport, kid: str, before: str, after: str = "") -> str:
    certificate = report.certificates.get(kid)
    return f"{before}certificate SHA-256 {certificate}{after}" if certificate else ""


def _signatory_lines(report: VerificationReport) -> list[str]:
    lines = []
    for number, signatory in enumerate(report.signatories, 1):
        city, signer = signatory.city, signatory.signer
        title = f", {signer.get('title')}" if signer.get("title") else ""
        lines.append(
            f"  {number:>5}. {city.get('name')} ({city.get('country')}): "
            f"{signer.get('name')}{title}, signed {signatory.signed_at} (seq {signatory.seq})"
            + (", own passkey" if signatory.method == "passkey" else "")
        )
    if report.withdrawn:
        lines.append(f"Withdrawn endorsements: {len(report.withdrawn)}")
        for item in report.withdrawn:
            lines.append(
                f"         {item.city.get('name')} ({item.city.get('country')}): seq {item.seq}, "
                f"withdrawn by seq {item.withdrawn_by} on {item.withdrawn_at}"
            )
    return lines


def verify_file(
    path: Path | str,
    *,
    trusted_jwks: str | Path | None = None,
    trusted_keys: Sequence[str] = (),
    out: TextIO | None = None,
) -> int:
    """`concord verify FILE`: print the report; exit 0 valid against keys the caller trusts,
    1 invalid, 2 unreadable, 3 consistent but checked only against the file's own keys."""
    out = out or sys.stdout
    try:
        bundle = read_bundle(Path(path))
        keys = read_key_set(str(trusted_jwks)) if trusted_jwks is not None else None
    except UnreadableBundle as error:
        print(f"cannot read {error}", file=out)
        return EXIT_UNREADABLE
    report = verify_bundle(bundle, keys, trusted_keys=trusted_keys)
    print(format_report(report), file=out)
    return report.exit_code


def verify_receipt_file(
    path: Path | str, *, trusted_jwks: str | Path | None, out: TextIO | None = None
) -> int:
    """`concord verify --receipt FILE --jwks …`: exit 0 valid, 1 invalid, 2 unreadable."""
    out = out or sys.stdout
    if trusted_jwks is None:
        print("cannot check a receipt without --jwks: it carries no keys of its own", file=out)
        return EXIT_UNREADABLE
    try:
        receipt = read_bundle(Path(path))
        keys = read_key_set(str(trusted_jwks))
    except UnreadableBundle as error:
        print(f"cannot read {error}", file=out)
        return EXIT_UNREADABLE
    report = verify_receipt(receipt, keys)
    print(format_receipt_report(report), file=out)
    return 0 if report.ok else 1
