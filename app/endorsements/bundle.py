"""The signed declaration for the SRSG office: the JSON bundle, its PDF and the ZIP of both."""

import functools
import io
import json
import re
import string
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import typst

from app.endorsements.certificates import fingerprint, leaf_of
from app.endorsements.statements import unverified_header, unverified_statement
from app.endorsements.verify import (
    BUNDLE_FORMAT,
    BUNDLE_MEMBER,
    Signatory,
    VerificationReport,
    Withdrawn,
    verify_bundle,
)
from app.text.languages import direction
from app.text.paragraphs import authentic_fingerprint, parse_canonical
from app.text.paragraphs import content_hash as content_hash_of

PDF_MEMBER = "declaration.pdf"
PDF_STANDARDS: list[Any] = ["a-2a", "ua-1"]
SELF_NUMBERED = re.compile(r"\(?\d{1,3}[.)]\s")
README_MEMBER = "README.txt"
# Debian's fonts-noto-core and fonts-noto-cjk; Typst's own fonts are the fallback elsewhere.
FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto")
# A city name in these countries is written in CJK: the language picks the local glyph forms.
CJK_LANGUAGE = {
    "JP": ("ja", None),
    "KR": ("ko", None),
    "KP": ("ko", None),
    "CN": ("zh", "CN"),
    "SG": ("zh", "SG"),
    "TW": ("zh", "TW"),
    "HK": ("zh", "HK"),
    "MO": ("zh", "MO"),
}


def build_bundle(
    *,
    declaration: Mapping[str, Any],
    text: str,
    entries: Sequence[str],
    seal: str,
    jwks: Mapping[str, Any],
    language: str = "en",
    translations: Mapping[str, str] | None = None,
    platform: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything needed to verify the declaration offline, in one JSON object.

    `declaration` is {id, title, version}; its content_hash is computed from `text` (and the
    authentic `translations`, language → canonical text, when there are any), and a
    content_hash passed in must agree. Raises ValueError when the seal does not describe
    these entries and these texts, so a broken bundle is never handed out.
    """
    content_hash = authentic_fingerprint([(language, text), *(translations or {}).items()])
    given = declaration.get("content_hash")
    if given is not None and given != content_hash:
        raise ValueError(f"the text hashes to {content_hash}, not {given}")
    sealed = unverified_statement(seal) or {}
    if sealed.get("type") != "checkpoint":
        raise ValueError("the seal is not a checkpoint")
    if sealed.get("tree_size") != len(entries) or sealed.get("content_hash") != content_hash:
        raise ValueError(
            f"the seal covers {sealed.get('tree_size')} entries of {sealed.get('content_hash')}, "
            f"not {len(entries)} entries of {content_hash}"
        )
    bundle: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "declaration": {
            "id": declaration["id"],
            "title": declaration["title"],
            "version": declaration["version"],
            "content_hash": content_hash,
        },
        "text": text,
    }
    if translations:
        # Each authentic text beside the source; content_hash is then the hash of the manifest
        # of their hashes (app.text.paragraphs.authentic_fingerprint), listed here per language.
        bundle["declaration"]["language"] = language
        every = [(language, text), *sorted(translations.items())]
        bundle["declaration"]["texts"] = {lang: content_hash_of(t) for lang, t in every}
        bundle["translations"] = dict(sorted(translations.items()))
    if platform is not None:
        # The origin and WebAuthn RP ID passkey assertions are made for: verifiers check each
        # assertion against them and print them for the reader to compare.
        bundle["platform"] = {"origin": platform["origin"], "rp_id": platform["rp_id"]}
    return bundle | {
        "entries": list(entries),
        "seal": seal,
        "jwks": {"keys": [dict(key) for key in jwks["keys"]]},
        "log": {
            "tree_size": sealed["tree_size"],
            "root_hash": sealed["root_hash"],
            "leaf_hash": "SHA-256(0x00 || the entry's compact JWS, ASCII)",
            "node_hash": "SHA-256(0x01 || left || right)",
            "tree": "RFC 9162 section 2.1 (Certificate Transparency)",
        },
    }


def bundle_json(bundle: Mapping[str, Any]) -> bytes:
    """The bundle as UTF-8 JSON; parsing it gives back `text` byte for byte."""
    return json.dumps(bundle, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def render_pdf(bundle: Mapping[str, Any], report: VerificationReport | None = None) -> bytes:
    """The declaration as an A4 PDF (Typst), from a bundle that verifies.

    The signatories printed are the verifier's, so the paper says what `concord verify` says.
    Pass `report` when the bundle was just verified, to skip verifying it again. The PDF is
    PDF/A-2a and PDF/UA-1 (archival, tagged for screen readers) unless a name holds a
    character no installed font can show: those standards forbid it, and a plain PDF that
    shows a blank box is better than no document.
    """
    report = report or verify_bundle(bundle)
    if not report.ok:
        raise ValueError("the bundle does not verify: " + "; ".join(report.problems[:5]))
    data = json.dumps(_document_data(bundle, report), ensure_ascii=False)
    options: dict[str, Any] = {
        "font_paths": _fonts(),
        "sys_inputs": {"data": data},
        "timestamp": _parse_time(report.sealed_at),
    }
    try:
        return typst.compile(_template(), pdf_standards=PDF_STANDARDS, **options)
    except typst.TypstError:
        return typst.compile(_template(), **options)


def build_zip(bundle: Mapping[str, Any], pdf: bytes | None = None) -> bytes:
    """bundle.json, declaration.pdf and README.txt (how to verify, with the seal's key) in one
    ZIP."""
    pdf = pdf if pdf is not None else render_pdf(bundle)
    sealed = unverified_statement(bundle["seal"]) or {}
    readme = verify_readme(*_seal_key(bundle))
    moment = _parse_time(sealed.get("issued_at"))
    date_time = moment.timetuple()[:6] if moment else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            (BUNDLE_MEMBER, bundle_json(bundle)),
            (PDF_MEMBER, pdf),
            (README_MEMBER, readme.encode("utf-8")),
        ):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def verify_readme(kid: str | None = None, certificate: str | None = None) -> str:
    """README.txt of the ZIP: how to verify with `concord verify` or any JOSE library, and the
    seal's key (its thumbprint and certificate fingerprint) to compare out of band."""
    template = resources.files("app.endorsements").joinpath("VERIFY.txt").read_text("utf-8")
    return string.Template(template).substitute(
        key_thumbprint=kid or "(none)", certificate_fingerprint=certificate or "(none)"
    )


def _seal_key(bundle: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The kid in the seal's header and the fingerprint of that key's certificate in `jwks`
    (the platform's own bundle: render_pdf has verified it)."""
    kid = unverified_header(bundle["seal"]).get("kid")
    for key in bundle["jwks"]["keys"]:
        if key.get("kid") == kid:
            der = leaf_of(key)
            return kid, fingerprint(der) if der else None
    return None, None


def paragraphs_of(text: str) -> list[dict[str, Any]]:
    """The canonical text's paragraphs, numbered as a UN document numbers them (headings not).

    A text that numbers its paragraphs itself ("12. We recognise…", in a quarter of them or
    more) keeps its own numbers and gets none added, so no reader sees "34. 18. We invite…".
    """
    blocks = parse_canonical(text)
    body = [b.text for b in blocks if b.kind == "paragraph"]
    self_numbered = sum(1 for b in body if SELF_NUMBERED.match(b)) * 4 >= max(len(body), 1)
    paragraphs = []
    number = 0
    for block in blocks:
        if block.kind == "heading":
            paragraphs.append({"kind": "heading", "number": None, "text": block.text})
        else:
            number += 1
            shown = None if self_numbered else number
            paragraphs.append({"kind": "paragraph", "number": shown, "text": block.text})
    return paragraphs


def _document_data(bundle: Mapping[str, Any], report: VerificationReport) -> dict[str, Any]:
    declaration = report.declaration
    return {
        "id": declaration["id"],
        "title": declaration["title"] or "Declaration",
        "version": declaration["version"],
        "content_hash": declaration["content_hash"],
        "paragraphs": paragraphs_of(bundle["text"]),
        "translations": _translations_data(bundle),
        "texts": [
            {"tag": tag, "content_hash": h}
            for tag, h in (bundle["declaration"].get("texts") or {}).items()
        ],
        "signatories": [_signatory_row(n, s) for n, s in enumerate(report.signatories, 1)],
        "withdrawn": [_withdrawn_row(w) for w in report.withdrawn],
        "tree_size": report.tree_size,
        "root_hash": report.root_hash,
        "sealed_at": _day_and_time(report.sealed_at or "") + " UTC" if report.sealed_at else None,
        "final": report.final,
        "seal_key": report.seal_key,
        "seal_certificate": _halves(report.certificates.get(report.seal_key or "")),
        "entry_kids": list(report.entry_keys),
    }


def _translations_data(bundle: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each authentic translation as the PDF prints it: in its language and direction, its
    paragraphs numbered as the source's are (the keys match one to one)."""
    source = paragraphs_of(bundle["text"])
    listed = bundle["declaration"].get("texts", {})
    out = []
    for tag, text in (bundle.get("translations") or {}).items():
        language, _, rest = tag.partition("-")
        region = next((p.upper() for p in rest.split("-") if len(p) == 2 and p.isalpha()), None)
        blocks = parse_canonical(text)
        paragraphs = [
            {"kind": b.kind, "number": s["number"], "text": b.text}
            for b, s in zip(blocks, source, strict=False)
        ]
        out.append(
            {
                "tag": tag,
                "lang": language.lower(),
                "region": region,
                "rtl": direction(tag) == "rtl",
                "content_hash": listed.get(tag, content_hash_of(text)),
                "paragraphs": paragraphs,
            }
        )
    return out


def _signatory_row(number: int, signatory: Signatory) -> dict[str, Any]:
    country = str(signatory.city.get("country") or "")
    lang, region = CJK_LANGUAGE.get(country.upper(), (None, None))
    return {
        "number": number,
        "city": str(signatory.city.get("name") or ""),
        "country": country,
        "lang": lang,
        "region": region,
        "signer": str(signatory.signer.get("name") or ""),
        "title": str(signatory.signer.get("title") or ""),
        "signed_at": _day_and_time(signatory.signed_at),
        "method": signatory.method,
        "seq": signatory.seq,
    }


def _withdrawn_row(withdrawn: Withdrawn) -> dict[str, Any]:
    country = str(withdrawn.city.get("country") or "")
    lang, region = CJK_LANGUAGE.get(country.upper(), (None, None))
    return {
        "city": str(withdrawn.city.get("name") or ""),
        "country": country,
        "lang": lang,
        "region": region,
        "signer": str(withdrawn.signer.get("name") or ""),
        "seq": withdrawn.seq,
        "withdrawn_by": withdrawn.withdrawn_by,
        "withdrawn_at": _day_and_time(withdrawn.withdrawn_at),
    }


def _halves(fingerprint: str | None) -> list[str] | None:
    """`AB:CD:…` of 32 bytes as two lines of 16 bytes each."""
    return [fingerprint[:47], fingerprint[48:]] if fingerprint else None


def _day_and_time(moment: str) -> str:
    """`2017-11-16T10:30:00Z` → `2017-11-16 10:30`, what a reader of the table needs."""
    return moment[:16].replace("T", " ") if len(moment) >= 16 else moment


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@functools.cache
def _template() -> bytes:
    return resources.files("app.endorsements").joinpath("declaration.typ").read_bytes()


@functools.cache
def _fonts() -> typst.Fonts:
    """Scan the fonts once per process (about 0.1 s for all of Noto)."""
    return typst.Fonts(font_paths=[d for d in FONT_DIRS if Path(d).is_dir()])
