"""A declaration's way to its signatures: finalized (the text to sign is frozen), opened for
endorsement (the log begins), closed (the log is sealed). One guarded function per move."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth.models import User
from app.db import begin_write
from app.declarations.models import Declaration
from app.declarations.service import get_declaration, get_version
from app.endorsements import log
from app.endorsements.keys import KeyRing
from app.endorsements.models import Signature
from app.endorsements.service import final_text, now_in_seconds, releasing_when_refused
from app.errors import Conflict, NotFound


@releasing_when_refused
def finalize(session: Session, *, actor: User, declaration_id: int, version: int) -> Declaration:
    """Freeze the head version as the text to sign: no amendment decision or merge after it."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    _require_status(declaration, "drafting", "finalized")
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
    final = get_version(session, declaration_id, version, with_paragraphs=False)
    declaration.status, declaration.final_version = "final", version
    record(
        session,
        actor=actor,
        action="declaration.finalize",
        target=("declaration", declaration_id),
        declaration_id=declaration_id,
        before={"status": "drafting", "final_version": None},
        after={"status": "final", "final_version": version, "content_hash": final.content_hash},
    )
    session.commit()
    return declaration


@releasing_when_refused
def open_endorsement(
    session: Session, *, keys: KeyRing, actor: User, declaration_id: int
) -> Declaration:
    """final → open; the log begins with a signed checkpoint of the empty tree."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    _require_status(declaration, "final", "opened for endorsement")
    final = final_text(session, declaration)
    log.sign_checkpoint(
        session,
        keys=keys,
        declaration=declaration,
        content_hash=final.content_hash,
        compact=log.tail(session, declaration_id),
        issued_at=now_in_seconds(),
    )
    declaration.status = "open"
    record(
        session,
        actor=actor,
        action="endorsement.open",
        target=("declaration", declaration_id),
        declaration_id=declaration_id,
        before={"status": "final"},
        after={"status": "open", "final_version": final.number},
    )
    session.commit()
    return declaration


@releasing_when_refused
def close_endorsement(
    session: Session, *, keys: KeyRing, actor: User, declaration_id: int
) -> Declaration:
    """open → closed; the final checkpoint over the whole log is signed: the seal."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    _require_status(declaration, "open", "closed")
    final = final_text(session, declaration)
    compact = log.tail(session, declaration_id)
    seal = log.sign_checkpoint(
        session,
        keys=keys,
        declaration=declaration,
        content_hash=final.content_hash,
        compact=compact,
        issued_at=now_in_seconds(),
        final=True,
    )
    declaration.status = "closed"
    record(
        session,
        actor=actor,
        action="endorsement.close",
        target=("declaration", declaration_id),
        declaration_id=declaration_id,
        before={"status": "open"},
        after={
            "status": "closed",
            "tree_size": seal.tree_size,
            "root_hash": seal.root_hash,
            "signatories": _standing_count(session, declaration_id),
        },
    )
    session.commit()
    return declaration


def _require_status(declaration: Declaration, status: str, verb: str) -> None:
    if declaration.status != status:
        raise Conflict(
            f"The declaration is {declaration.status}: only a {status} declaration can be {verb}.",
            code="wrong_state",
            status=declaration.status,
        )


def _standing_count(session: Session, declaration_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Signature)
            .where(Signature.declaration_id == declaration_id, Signature.withdrawn_seq.is_(None))
        )
        or 0
    )
