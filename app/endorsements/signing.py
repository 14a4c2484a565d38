"""Signing and withdrawing: each a signed entry appended to the declaration's log, audited,
with its receipt. Signatures that arrive together are appended in one transaction
(`endorse_all`, through app.batching)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.audit.service import event_row, record_all
from app.auth.models import City, User
from app.auth.security import Passwords
from app.auth.service import check_password
from app.db import begin_write
from app.declarations.models import Declaration, Version
from app.declarations.service import get_declaration
from app.endorsements import log
from app.endorsements.keys import KeyRing
from app.endorsements.merkle import CompactRange
from app.endorsements.models import Signature
from app.endorsements.service import (
    FinalText,
    Receipt,
    final_text,
    now_in_seconds,
    releasing_when_refused,
    signature_of,
)
from app.endorsements.statements import endorsement_statement, withdrawal_statement
from app.errors import AppError, Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized
from app.ratelimit import LoginThrottle


@dataclass(frozen=True, slots=True)
class Endorsement:
    """A mayor's request to endorse the text they read; the password is already checked."""

    actor: User
    content_hash: str
    # The `passkey` block of the entry (the assertion, checked and its challenge used up);
    # None when the mayor confirmed with the password.
    passkey: dict[str, Any] | None = None

    @property
    def method(self) -> str:
        """How the mayor confirmed: "passkey" or "password"."""
        return "password" if self.passkey is None else "passkey"


def endorse_all(
    session: Session, *, keys: KeyRing, declaration_id: int, endorsements: Sequence[Endorsement]
) -> list[Receipt | AppError]:
    """Append several endorsements in one transaction, in the order given: one lock, one read
    of the final text and of the log's tail, one commit (see app.batching). Each gets its
    receipt or its own refusal, and one refusal does not touch the others; a refusal of all
    (no such declaration, endorsement not open) is each one's answer."""
    outcomes: list[Receipt | AppError] = [
        Forbidden("Only a city's mayor signs for it.", code="no_city") for _ in endorsements
    ]
    todo = [i for i, e in enumerate(endorsements) if e.actor.city_id is not None]
    done = _endorse(session, keys, declaration_id, [endorsements[i] for i in todo]) if todo else []
    for i, outcome in zip(todo, done, strict=True):
        outcomes[i] = outcome
    return outcomes


def endorse_in_own_session(
    sessions: sessionmaker[Session],
    endorsements: Sequence[Endorsement],
    *,
    keys: KeyRing,
    declaration_id: int,
) -> list[Receipt | AppError]:
    """`endorse_all` in a session of its own: the group committer's write (app.batching),
    which runs in the writer's thread, outside any request."""
    with sessions() as session:
        return endorse_all(
            session, keys=keys, declaration_id=declaration_id, endorsements=endorsements
        )


def _endorse(
    session: Session, keys: KeyRing, declaration_id: int, endorsements: list[Endorsement]
) -> list[Receipt | AppError]:
    try:
        return _append_endorsements(session, keys, declaration_id, endorsements)
    except AppError as refusal:
        session.rollback()
        return [refusal] * len(endorsements)
    except IntegrityError:  # the partial unique index: one standing signature per city
        session.rollback()
        if len(endorsements) > 1:  # cannot happen under the lock; should it, each goes alone
            return [_endorse(session, keys, declaration_id, [e])[0] for e in endorsements]
        city_id = endorsements[0].actor.city_id
        return [_already_signed(_standing_signature(session, declaration_id, city_id))]
    except BaseException:
        session.rollback()
        raise


def _append_endorsements(
    session: Session, keys: KeyRing, declaration_id: int, endorsements: Sequence[Endorsement]
) -> list[Receipt | AppError]:
    begin_write(session)
    declaration, final = _lock_open(session, declaration_id, "signed")
    cities = sorted({e.actor.city_id for e in endorsements})
    standing = {
        s.city_id: s
        for s in session.scalars(_STANDING, {"declaration_id": declaration_id, "cities": cities})
    }
    compact = log.tail(session, declaration_id)
    now = now_in_seconds()
    # First the signatures (one flush gives them their ids), then their log entries.
    outcomes: list[Receipt | AppError | Signature] = []
    accepted: list[tuple[int, Signature, Endorsement, City]] = []
    for e in endorsements:
        if e.content_hash != final.content_hash:
            outcomes.append(_hash_mismatch(e.content_hash, final.content_hash))
        elif declaration.require_passkey and e.passkey is None:
            outcomes.append(_passkey_required())
        elif e.actor.city_id in standing:
            outcomes.append(standing[e.actor.city_id])  # refused once the ids are known
        else:
            # The signed-in user comes with their city (joined), as read seconds ago at most.
            city = e.actor.city or session.get(City, e.actor.city_id)
            if city is None:  # a foreign key makes this impossible; said for the type checker
                raise NotFound("Your city is not registered.", code="city_not_found")
            signature = Signature(
                declaration_id=declaration_id,
                city_id=city.id,
                signer_id=e.actor.id,
                signer_name=e.actor.name,
                signer_title=e.actor.title,
                seq=compact.size + 1 + len(accepted),
                signed_at=now,
                method=e.method,
            )
            session.add(signature)
            standing[city.id] = signature
            accepted.append((len(outcomes), signature, e, city))
            outcomes.append(signature)
    if not accepted:
        session.rollback()
    else:
        session.flush()
    entries = [
        _Entry(
            signature,
            endorsement_statement(
                **_subject(declaration, final, signature, city),
                signed_at=now,
                seq=signature.seq,
                method=e.method,
                passkey=e.passkey,
            ),
            e.actor,
            "signature.sign",
            before=None,
            after={
                "seq": signature.seq,
                "city_id": city.id,
                "content_hash": final.content_hash,
                "method": e.method,
            },
        )
        for _, signature, e, city in accepted
    ]
    appended = _append_and_record(session, keys, declaration, compact, entries, now)
    for (index, signature, _, city), done in zip(accepted, appended, strict=True):
        outcomes[index] = Receipt(signature, city, final.content_hash, done)
    if accepted:
        session.commit()
    return [_already_signed(o) if isinstance(o, Signature) else o for o in outcomes]


@releasing_when_refused
def withdraw(
    session: Session, *, keys: KeyRing, actor: User, declaration_id: int, signature_id: int
) -> Receipt:
    """The mayor who signed withdraws: a withdrawal entry is appended, nothing is erased, and
    the city may sign again."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    signature = signature_of(session, declaration_id, signature_id)
    if signature.signer_id != actor.id:
        raise Forbidden(
            "Only the mayor who signed can withdraw this signature.", code="not_your_signature"
        )
    if signature.withdrawn_seq is not None:
        raise Conflict(
            f"This signature was already withdrawn (log entry {signature.withdrawn_seq}).",
            code="already_withdrawn",
        )
    final = require_open(session, declaration, "withdrawn from")
    compact = log.tail(session, declaration_id)
    now = now_in_seconds()
    city = signature.city
    statement = withdrawal_statement(
        **_subject(declaration, final, signature, city),
        signed_at=now,
        seq=compact.size + 1,
        withdraws=signature.seq,
    )
    signature.withdrawn_seq, signature.withdrawn_at = compact.size + 1, now
    [appended] = _append_and_record(
        session, keys, declaration, compact,
        [_Entry(signature, statement, actor, "signature.withdraw",
                before={"seq": signature.seq, "city_id": city.id},
                after={"withdrawn_seq": signature.withdrawn_seq})],
        now,
    )  # fmt: skip
    session.commit()
    return Receipt(signature, city, final.content_hash, appended)


def check_signing_password(
    sessions: sessionmaker[Session],
    *,
    passwords: Passwords,
    throttle: LoginThrottle,
    actor: User,
    password: str,
) -> None:
    """Signing re-asks the password. Wrong ones count under the account's signing key, apart
    from its sign-ins: anyone may fail to sign in under a mayor's e-mail, and that must not
    keep the signed-in mayor from signing."""
    key = f"signing:{actor.id}"
    with sessions() as session:
        wait = throttle.retry_after(session, key)
        session.rollback()
        if wait:
            raise TooManyRequests(
                f"Too many wrong passwords. Try again in {wait} seconds.",
                code="signing_throttled",
                retry_after=wait,
            )
        try:
            check_password(passwords, actor, password)
        except Unauthorized:
            throttle.failed(session, key)
            raise


def _subject(
    declaration: Declaration, final: FinalText, signature: Signature, city: City
) -> dict[str, Any]:
    """What an entry is about: the declaration, its final text, the city and who signed."""
    return {
        "declaration": {"id": declaration.id, "title": declaration.title},
        "version": final.number,
        "content_hash": final.content_hash,
        "city": {"id": city.id, "name": city.name, "country": city.country},
        "signer": signature.signer,
    }


@dataclass(frozen=True, slots=True)
class _Entry:
    """A statement to append for a signature, and how the act is audited."""

    signature: Signature
    statement: dict[str, Any]
    actor: User
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any]


def _append_and_record(
    session: Session,
    keys: KeyRing,
    declaration: Declaration,
    compact: CompactRange,
    entries: Sequence[_Entry],
    issued_at: datetime,
) -> list[log.Appended]:
    """Sign and append each statement to the log, and audit each with the root it leads to."""
    appended = log.append_all(
        session,
        keys=keys,
        declaration=declaration,
        compact=compact,
        entries=[(e.signature, e.statement) for e in entries],
        issued_at=issued_at,
    )
    record_all(
        session,
        [
            event_row(
                actor=e.actor,
                action=e.action,
                target=("signature", e.signature.id),
                declaration_id=declaration.id,
                before=e.before,
                after={**e.after, "root_hash": done.checkpoint.root_hash},
            )
            for e, done in zip(entries, appended, strict=True)
        ],
    )
    return appended


def require_open(session: Session, declaration: Declaration, verb: str) -> FinalText:
    """The final text, while endorsement is open; else 409 `wrong_state`."""
    _require_status_open(declaration, verb)
    return final_text(session, declaration)


def _require_status_open(declaration: Declaration, verb: str) -> None:
    if declaration.status != "open":
        raise Conflict(
            f"Endorsement is not open (the declaration is {declaration.status}): it cannot be "
            f"{verb} now.",
            code="wrong_state",
            status=declaration.status,
        )


# The queries on every signature, built once (building a statement costs more than running it).
_LOCK_OPEN = (
    select(Declaration, Version.content_hash)
    .outerjoin(
        Version,
        (Version.declaration_id == Declaration.id) & (Version.number == Declaration.final_version),
    )
    .where(Declaration.id == bindparam("declaration_id"))
    .with_for_update(of=Declaration)
)


_STANDING = select(Signature).where(
    Signature.declaration_id == bindparam("declaration_id"),
    Signature.city_id.in_(bindparam("cities", expanding=True)),
    Signature.withdrawn_seq.is_(None),
)


def _lock_open(session: Session, declaration_id: int, verb: str) -> tuple[Declaration, FinalText]:
    """Lock the declaration and read its final text's fingerprint in one round trip (this is on
    every append); refused unless endorsement is open."""
    row = session.execute(_LOCK_OPEN, {"declaration_id": declaration_id}).first()
    if row is None:
        raise NotFound(f"There is no declaration {declaration_id}.", code="declaration_not_found")
    declaration, content_hash = row
    _require_status_open(declaration, verb)
    if content_hash is None:
        raise NotFound(
            f"Declaration {declaration.id} has no version {declaration.final_version}.",
            code="version_not_found",
        )
    return declaration, FinalText(
        declaration.final_version or 0, declaration.final_hash or content_hash
    )


def _standing_signature(session: Session, declaration_id: int, city_id: int) -> Signature | None:
    return session.scalar(
        select(Signature).where(
            Signature.declaration_id == declaration_id,
            Signature.city_id == city_id,
            Signature.withdrawn_seq.is_(None),
        )
    )


def _hash_mismatch(read: str, final: str) -> Conflict:
    return Conflict(
        f"The text you read ({read}) is not the final text of this declaration ({final}). "
        "Reload it, read it, and sign again.",
        code="hash_mismatch",
        content_hash=final,
    )


def _passkey_required() -> Forbidden:
    return Forbidden(
        "This declaration is signed with a passkey only: sign with your passkey (add one on "
        "your account page if you have none).",
        code="passkey_required",
    )


def _already_signed(standing: Signature | None) -> Conflict:
    where = f" (log entry {standing.seq})" if standing is not None else ""
    return Conflict(
        f"Your city has already signed this declaration{where}. Withdraw that signature first "
        "to sign again.",
        code="already_signed",
        **({"signature_id": standing.id} if standing is not None else {}),
    )
