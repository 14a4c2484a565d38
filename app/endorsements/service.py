"""What the endorsement moves share — a receipt, the final text, refusals that release the
write lock at once — and the reads: a signature's receipt again, the list of signatures.

The moves themselves: `lifecycle` (finalize, open, close) and `signing` (sign, withdraw)."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, ParamSpec, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.auth.models import City
from app.db import utcnow
from app.declarations.models import Declaration, Version
from app.declarations.service import get_declaration
from app.endorsements import log
from app.endorsements.models import LogEntry, Signature
from app.endorsements.statements import unverified_statement
from app.errors import NotFound

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Receipt:
    """A signature (or its withdrawal) as appended to the log."""

    signature: Signature
    city: City
    content_hash: str
    appended: log.Appended

    @property
    def withdraws(self) -> int | None:
        """The seq of the endorsement a withdrawal withdraws (that signature's own)."""
        return self.signature.seq if self.appended.entry.kind == "withdrawal" else None


class FinalText(NamedTuple):
    """The text to sign: the final version's number and fingerprint."""

    number: int
    content_hash: str


def releasing_when_refused(write: Callable[P, R]) -> Callable[P, R]:
    """Roll back at once when a write is refused: on SQLite the refused transaction holds the
    write lock, and it must not wait for the request's teardown (which needs a free worker
    thread, perhaps taken by requests waiting for that very lock) to let it go."""

    @functools.wraps(write)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return write(*args, **kwargs)
        except BaseException:
            session = args[0] if args else kwargs["session"]
            session.rollback()  # type: ignore[union-attr]
            raise

    return guarded


def receipt_of(
    session: Session, trees: log.LogTrees, *, declaration_id: int, signature_id: int
) -> Receipt:
    """A signature's receipt again (for a mayor who lost it): its log entry, with the latest
    checkpoint and the entry's inclusion proof in that tree."""
    get_declaration(session, declaration_id)
    signature = signature_of(session, declaration_id, signature_id)
    checkpoint, _, proof = log.inclusion_proof(
        session, trees, declaration_id, seq=signature.seq, tree_size=None
    )
    entry = session.scalars(
        select(LogEntry).where(
            LogEntry.declaration_id == declaration_id, LogEntry.seq == signature.seq
        )
    ).one()
    content_hash = (unverified_statement(entry.jws) or {}).get("content_hash", "")
    return Receipt(signature, signature.city, content_hash, log.Appended(entry, checkpoint, proof))


def list_signatures(
    session: Session,
    *,
    declaration_id: int,
    include_withdrawn: bool,
    city_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[Signature], int]:
    get_declaration(session, declaration_id)
    query = select(Signature).where(Signature.declaration_id == declaration_id)
    if not include_withdrawn:
        query = query.where(Signature.withdrawn_seq.is_(None))
    if city_id is not None:
        query = query.where(Signature.city_id == city_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(selectinload(Signature.city))
        .order_by(Signature.seq)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def final_text(session: Session, declaration: Declaration) -> FinalText:
    """The final version's number and fingerprint (two columns: this is on every append)."""
    number = declaration.final_version or 0
    content_hash = session.scalar(
        select(Version.content_hash).where(
            Version.declaration_id == declaration.id, Version.number == number
        )
    )
    if content_hash is None:
        raise NotFound(
            f"Declaration {declaration.id} has no version {number}.", code="version_not_found"
        )
    return FinalText(number, declaration.final_hash or content_hash)


def signature_of(session: Session, declaration_id: int, signature_id: int) -> Signature:
    """A signature of this declaration, with its city; 404 for any other id."""
    signature = session.scalar(
        select(Signature)
        .where(Signature.id == signature_id, Signature.declaration_id == declaration_id)
        .options(selectinload(Signature.city))
    )
    if signature is None:
        raise NotFound(
            f"Declaration {declaration_id} has no signature {signature_id}.",
            code="signature_not_found",
        )
    return signature


def now_in_seconds() -> datetime:
    """Now, to the second: statements carry seconds, and the rows keep the same moment."""
    return utcnow().replace(microsecond=0)
