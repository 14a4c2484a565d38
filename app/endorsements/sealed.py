"""The sealed declaration for the SRSG office, as files: the JSON bundle, its PDF, the ZIP
of both and its Akoma Ntoso, rendered once (a sealed log never changes) and kept under the
data directory."""

import hashlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.declarations.models import Declaration
from app.declarations.service import get_declaration, get_version, version_text
from app.documents import akn
from app.documents.service import statement_of
from app.endorsements import log
from app.endorsements.bundle import build_bundle, build_zip, bundle_json, render_pdf
from app.endorsements.keys import KeyRing
from app.endorsements.models import Checkpoint, LogEntry, Signature
from app.endorsements.pades import sign_pdf
from app.errors import Conflict
from app.translations.service import authentic_texts

BundleFormat = Literal["json", "pdf", "zip", "akn"]
MEDIA_TYPES = {
    "json": "application/json",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "akn": "application/akn+xml",
}
# Part of each file's name: files rendered by an earlier version of this module (an unsigned
# PDF, a README without the key) are made again rather than served.
RENDERING = "r3"


def signed_declaration(
    session: Session,
    *,
    keys: KeyRing,
    data_dir: Path,
    declaration_id: int,
    fmt: BundleFormat,
    tsa_url: str | None = None,
    platform: Mapping[str, str] | None = None,
) -> Path:
    """The sealed declaration as a file (JSON bundle, PDF or ZIP of both), rendered once: a
    sealed log never changes, so the files are kept under the data directory. The PDF carries
    the platform's PAdES signature, time-stamped by `tsa_url` when one is given."""
    declaration = get_declaration(session, declaration_id)
    seal = log.seal_of(session, declaration_id)
    if declaration.status != "closed" or seal is None:
        raise Conflict(
            "Endorsement of this declaration is not closed: there is no sealed declaration yet.",
            code="not_sealed",
        )
    folder = data_dir / "signed-declarations"
    seal_hash = hashlib.sha256(seal.jws.encode()).hexdigest()[:16]
    stem = f"declaration-{declaration_id}-{seal_hash}-{RENDERING}"
    path = folder / f"{stem}.{fmt}"
    if path.is_file():
        return path
    bundle = _bundle(session, keys=keys, declaration=declaration, seal=seal, platform=platform)
    if fmt == "akn":
        content = _akoma_ntoso(session, declaration)
    elif fmt == "json":
        content = bundle_json(bundle)
    else:
        pdf_path = folder / f"{stem}.pdf"
        pdf = (
            pdf_path.read_bytes()
            if pdf_path.is_file()
            else sign_pdf(_render_pdf(bundle, declaration), keys.current, tsa_url=tsa_url)
        )
        if not pdf_path.is_file():
            _write_once(pdf_path, pdf)
        content = pdf if fmt == "pdf" else build_zip(bundle, pdf)
    _write_once(path, content)
    return path


def _bundle(
    session: Session,
    *,
    keys: KeyRing,
    declaration: Declaration,
    seal: Checkpoint,
    platform: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The bundle, refused (log_inconsistent) unless the stored entries are what the seal signs."""
    final = get_version(session, declaration.id, declaration.final_version or 0)
    rows = session.execute(
        select(LogEntry.seq, LogEntry.jws, LogEntry.leaf_hash)
        .where(LogEntry.declaration_id == declaration.id)
        .order_by(LogEntry.seq)
    ).all()
    log.check_entries(declaration.id, seal, [r[0] for r in rows], [(r[1], r[2]) for r in rows])
    texts = authentic_texts(session, declaration, final, declaration.authentic_languages or [])
    return build_bundle(
        declaration={"id": declaration.id, "title": declaration.title, "version": final.number},
        text=version_text(final),
        language=declaration.language,
        translations=dict(texts[1:]),
        entries=[r[1] for r in rows],
        seal=seal.jws,
        jwks=keys.jwks(),
        platform=platform,
    )


def _akoma_ntoso(session: Session, declaration: Declaration) -> bytes:
    """The final text as Akoma Ntoso with the cities that signed it (and have not withdrawn),
    in log order, in its <conclusions>."""
    final = get_version(session, declaration.id, declaration.final_version or 0)
    standing = session.scalars(
        select(Signature)
        .where(Signature.declaration_id == declaration.id, Signature.withdrawn_seq.is_(None))
        .options(selectinload(Signature.city))
        .order_by(Signature.seq)
    ).all()
    signatories = [
        akn.Signatory(s.city.name, s.city.country, s.signer_name, s.signer_title, s.signed_at)
        for s in standing
    ]
    return akn.statement_xml(statement_of(declaration, final, signatories))


def _render_pdf(bundle: dict[str, Any], declaration: Declaration) -> bytes:
    try:
        return render_pdf(bundle)
    except ValueError as error:  # the bundle does not verify: never print such a document
        raise log.LogInconsistent(
            f"The signed declaration {declaration.id} does not verify: {error}"
        ) from None


def _write_once(path: Path, content: bytes) -> None:
    """Write under a temporary name and move into place: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
