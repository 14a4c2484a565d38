"""Finalizing a declaration, opening and closing endorsement, signing and withdrawing: one
guarded function per move."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, ParamSpec, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.audit.service import record
from app.auth.models import City, User
from app.auth.service import check_password
from app.context import AppContext
from app.db import begin_write, utcnow
from app.declarations.models import Declaration, Version
from app.declarations.service import get_declaration, get_version
from app.endorsements import log
from app.endorsements.keys import KeyRing
from app.endorsements.models import Signature
from app.endorsements.statements import endorsement_statement, withdrawal_statement
from app.errors import Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Receipt:
    """A signature (or its withdrawal) as appended to the log."""

    signature: Signature
    city: City
    content_hash: str
    appended: log.Appended


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
    final = _final_version(session, declaration)
    log.sign_checkpoint(
        session,
        keys=keys,
        declaration=declaration,
        content_hash=final.content_hash,
        compact=log.tail(session, declaration_id),
        issued_at=_now(),
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
    final = _final_version(session, declaration)
    compact = log.tail(session, declaration_id)
    seal = log.sign_checkpoint(
        session,
        keys=keys,
        declaration=declaration,
        content_hash=final.content_hash,
        compact=compact,
        issued_at=_now(),
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


def sign(
    session: Session,
    *,
    context: AppContext,
    actor: User,
    declaration_id: int,
    content_hash: str,
    password: str,
) -> Receipt:
    """A mayor endorses the final text for their city: the password first (argon2 is slow and
    must not hold the write lock), then the append."""
    _check_signing_password(context, actor, password)
    return endorse(
        session,
        keys=context.keys,
        actor=actor,
        declaration_id=declaration_id,
        content_hash=content_hash,
    )


@releasing_when_refused
def endorse(
    session: Session, *, keys: KeyRing, actor: User, declaration_id: int, content_hash: str
) -> Receipt:
    """Append the endorsement of `actor`'s city (the password is already checked)."""
    if actor.city_id is None:
        raise Forbidden("Only a city's mayor signs for it.", code="no_city")
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    final = _require_open(session, declaration, "signed")
    if content_hash != final.content_hash:
        raise Conflict(
            f"The text you read ({content_hash}) is not the final text of this declaration "
            f"({final.content_hash}). Reload it, read it, and sign again.",
            code="hash_mismatch",
            content_hash=final.content_hash,
        )
    # The signed-in user comes with their city (joined), as read a few seconds ago at most.
    city = actor.city or session.get(City, actor.city_id)
    if city is None:  # a foreign key makes this impossible; said for the type checker
        raise NotFound("Your city is not registered.", code="city_not_found")
    compact = log.tail(session, declaration_id)
    now = _now()
    signature = Signature(
        declaration_id=declaration_id,
        city_id=city.id,
        signer_id=actor.id,
        signer_name=actor.name,
        signer_title=actor.title,
        seq=compact.size + 1,
        signed_at=now,
    )
    session.add(signature)
    try:
        session.flush()
    except IntegrityError:  # the partial unique index: one standing signature per city
        session.rollback()
        raise _already_signed(_standing_signature(session, declaration_id, city.id)) from None
    statement = endorsement_statement(
        declaration={"id": declaration.id, "title": declaration.title},
        version=final.number,
        content_hash=final.content_hash,
        city={"id": city.id, "name": city.name, "country": city.country},
        signer={"name": actor.name, "title": actor.title},
        signed_at=now,
        seq=signature.seq,
    )
    appended = log.append(
        session,
        keys=keys,
        declaration=declaration,
        compact=compact,
        signature=signature,
        statement=statement,
        issued_at=now,
    )
    record(
        session,
        actor=actor,
        action="signature.sign",
        target=("signature", signature.id),
        declaration_id=declaration_id,
        after={
            "seq": signature.seq,
            "city_id": city.id,
            "content_hash": final.content_hash,
            "root_hash": appended.checkpoint.root_hash,
        },
    )
    session.commit()
    return Receipt(signature, city, final.content_hash, appended)


@releasing_when_refused
def withdraw(
    session: Session, *, keys: KeyRing, actor: User, declaration_id: int, signature_id: int
) -> Receipt:
    """The mayor who signed withdraws: a withdrawal entry is appended, nothing is erased, and
    the city may sign again."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
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
    if signature.signer_id != actor.id:
        raise Forbidden(
            "Only the mayor who signed can withdraw this signature.", code="not_your_signature"
        )
    if signature.withdrawn_seq is not None:
        raise Conflict(
            f"This signature was already withdrawn (log entry {signature.withdrawn_seq}).",
            code="already_withdrawn",
        )
    final = _require_open(session, declaration, "withdrawn from")
    compact = log.tail(session, declaration_id)
    now = _now()
    city = signature.city
    statement = withdrawal_statement(
        declaration={"id": declaration.id, "title": declaration.title},
        version=final.number,
        content_hash=final.content_hash,
        city={"id": city.id, "name": city.name, "country": city.country},
        signer={"name": signature.signer_name, "title": signature.signer_title},
        signed_at=now,
        seq=compact.size + 1,
        withdraws=signature.seq,
    )
    signature.withdrawn_seq, signature.withdrawn_at = compact.size + 1, now
    appended = log.append(
        session,
        keys=keys,
        declaration=declaration,
        compact=compact,
        signature=signature,
        statement=statement,
        issued_at=now,
    )
    record(
        session,
        actor=actor,
        action="signature.withdraw",
        target=("signature", signature.id),
        declaration_id=declaration_id,
        before={"seq": signature.seq, "city_id": city.id},
        after={
            "withdrawn_seq": signature.withdrawn_seq,
            "root_hash": appended.checkpoint.root_hash,
        },
    )
    session.commit()
    return Receipt(signature, city, final.content_hash, appended)


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


def _check_signing_password(context: AppContext, actor: User, password: str) -> None:
    """Signing re-asks the password; failures count towards the account's sign-in throttle."""
    key = f"email:{actor.email}"
    wait = context.login_throttle.retry_after(key)
    if wait:
        raise TooManyRequests(
            f"Too many wrong passwords. Try again in {wait} seconds.",
            code="login_throttled",
            retry_after=wait,
        )
    try:
        check_password(context, actor, password)
    except Unauthorized:
        context.login_throttle.failed(key)
        raise


def _require_status(declaration: Declaration, status: str, verb: str) -> None:
    if declaration.status != status:
        raise Conflict(
            f"The declaration is {declaration.status}: only a {status} declaration can be {verb}.",
            code="wrong_state",
            status=declaration.status,
        )


def _require_open(session: Session, declaration: Declaration, verb: str) -> FinalText:
    if declaration.status != "open":
        raise Conflict(
            f"Endorsement is not open (the declaration is {declaration.status}): it cannot be "
            f"{verb} now.",
            code="wrong_state",
            status=declaration.status,
        )
    return _final_version(session, declaration)


def _final_version(session: Session, declaration: Declaration) -> FinalText:
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
    return FinalText(number, content_hash)


def _standing_signature(session: Session, declaration_id: int, city_id: int) -> Signature | None:
    return session.scalar(
        select(Signature).where(
            Signature.declaration_id == declaration_id,
            Signature.city_id == city_id,
            Signature.withdrawn_seq.is_(None),
        )
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


def _already_signed(standing: Signature | None) -> Conflict:
    where = f" (log entry {standing.seq})" if standing is not None else ""
    return Conflict(
        f"Your city has already signed this declaration{where}. Withdraw that signature first "
        "to sign again.",
        code="already_signed",
        **({"signature_id": standing.id} if standing is not None else {}),
    )


def _now() -> datetime:
    # Statements carry seconds; the rows keep the same moment, so both always agree.
    return utcnow().replace(microsecond=0)
