"""A declaration's way to its signatures: finalized (the text to sign is frozen), opened for
endorsement (the log begins), closed (the log is sealed). One guarded function per move."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth.models import User
from app.db import begin_write
from app.declarations.models import Declaration
from app.declarations.service import get_declaration, get_version
from app.endorsements import log
from app.endorsements.keys import KeyRing
from app.endorsements.models import Checkpoint, Signature
from app.endorsements.service import (
    FinalText,
    final_text,
    now_in_seconds,
    releasing_when_refused,
)
from app.errors import Conflict, NotFound
from app.notifications import service as notices
from app.text.paragraphs import authentic_fingerprint
from app.translations.service import authentic_texts


@releasing_when_refused
def finalize(
    session: Session,
    *,
    actor: User,
    declaration_id: int,
    version: int,
    authentic_languages: Sequence[str] = (),
) -> Declaration:
    """Freeze the head version as the text to sign: no amendment decision or merge after it.
    With authentic languages, each translation must be complete and current, and the
    fingerprint to sign covers every authentic text."""
    declaration = _locked(session, declaration_id, "drafting", "finalized")
    if not 1 <= version <= declaration.head_version:
        raise NotFound(
            f"Declaration {declaration_id} has no version {version}.", code="version_not_found"
        )
    if version != declaration.head_version:
        raise Conflict(
            f"Only the latest version can be finalized: version {version} is not the head "
            f"(version {declaration.head_version}).",
            code="not_head",
            head_version=declaration.head_version,
        )
    final = get_version(session, declaration_id, version)
    texts = authentic_texts(session, declaration, final, authentic_languages)
    declaration.status, declaration.final_version = "final", version
    declaration.authentic_languages = [language for language, _ in texts[1:]]
    declaration.final_hash = authentic_fingerprint(texts)
    return _moved(
        session,
        actor,
        declaration,
        "declaration.finalize",
        before={"status": "drafting", "final_version": None},
        after={"status": "final", "final_version": version, "content_hash": final.content_hash}
        | (
            {
                "authentic_languages": declaration.authentic_languages,
                "final_hash": declaration.final_hash,
            }
            if declaration.authentic_languages
            else {}
        ),
    )


@releasing_when_refused
def open_endorsement(
    session: Session,
    *,
    keys: KeyRing,
    actor: User,
    declaration_id: int,
    require_passkey: bool = False,
) -> Declaration:
    """final → open; the log begins with a signed checkpoint of the empty tree. With
    `require_passkey`, mayors sign with a passkey only."""
    declaration = _locked(session, declaration_id, "final", "opened for endorsement")
    final, _ = _sign_checkpoint(session, keys, declaration, seal=False)
    declaration.status = "open"
    notices.endorsement_opened(session, actor=actor, declaration_id=declaration.id)
    declaration.require_passkey = require_passkey
    return _moved(
        session,
        actor,
        declaration,
        "endorsement.open",
        before={"status": "final"},
        after={
            "status": "open",
            "final_version": final.number,
            **({"require_passkey": True} if require_passkey else {}),
        },
    )


@releasing_when_refused
def close_endorsement(
    session: Session, *, keys: KeyRing, actor: User, declaration_id: int
) -> Declaration:
    """open → closed; the final checkpoint over the whole log is signed: the seal."""
    declaration = _locked(session, declaration_id, "open", "closed")
    _, seal = _sign_checkpoint(session, keys, declaration, seal=True)
    declaration.status = "closed"
    return _moved(
        session,
        actor,
        declaration,
        "endorsement.close",
        before={"status": "open"},
        after={
            "status": "closed",
            "tree_size": seal.tree_size,
            "root_hash": seal.root_hash,
            "signatories": _standing_count(session, declaration_id),
        },
    )


def _sign_checkpoint(
    session: Session, keys: KeyRing, declaration: Declaration, *, seal: bool
) -> tuple[FinalText, Checkpoint]:
    """Sign a checkpoint of the log as it stands over the final text; `seal` marks it final."""
    final = final_text(session, declaration)
    checkpoint = log.sign_checkpoint(
        session,
        keys=keys,
        declaration=declaration,
        content_hash=final.content_hash,
        compact=log.tail(session, declaration.id),
        issued_at=now_in_seconds(),
        final=seal,
    )
    return final, checkpoint


def _moved(
    session: Session,
    actor: User,
    declaration: Declaration,
    action: str,
    *,
    before: dict[str, Any],
    after: dict[str, Any],
) -> Declaration:
    """Audit the move and commit it."""
    record(
        session,
        actor=actor,
        action=action,
        target=("declaration", declaration.id),
        declaration_id=declaration.id,
        before=before,
        after=after,
    )
    session.commit()
    return declaration


def _locked(session: Session, declaration_id: int, status: str, verb: str) -> Declaration:
    """The declaration, under the write lock; refused unless it is in `status`."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    if declaration.status != status:
        raise Conflict(
            f"The declaration is {declaration.status}: only a {status} declaration can be {verb}.",
            code="wrong_state",
            status=declaration.status,
        )
    return declaration


def _standing_count(session: Session, declaration_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Signature)
            .where(Signature.declaration_id == declaration_id, Signature.withdrawn_seq.is_(None))
        )
        or 0
    )
