"""Proposing, supporting, withdrawing and deciding amendments: one guarded function per move."""

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.amendments.models import Amendment, Support
from app.amendments.schemas import AmendmentCreate, Decision, Rebased
from app.amendments.states import DECIDED, OPEN, TRANSITIONS, WITHDRAWAL, AmendmentStatus
from app.audit.service import record
from app.auth.models import CITY_ROLES, User, acting_city
from app.cache import ImmutableCache
from app.db import begin_write, utcnow
from app.declarations.models import Version
from app.declarations.service import (
    get_declaration,
    get_version,
    intake_paragraph,
    paragraph_text,
)
from app.errors import Conflict, Forbidden, Invalid, NotFound, text_intake
from app.notifications import service as notices
from app.ratelimit import WriteLimits
from app.text.diff import word_diff
from app.text.intake import normalize_text
from app.text.paragraphs import parse_block
from app.text.rebase import effect_on

_WITH_PEOPLE = (
    selectinload(Amendment.city),
    selectinload(Amendment.author),
    selectinload(Amendment.supports).selectinload(Support.city),
    selectinload(Amendment.supports).selectinload(Support.user),
)


def _free_text(raw: str, *, field: str) -> str:
    # Rationales and notes are shown beside the text: the same characters are refused in them
    # (bidi overrides, controls) as in the text itself.
    with text_intake():
        return normalize_text(raw, field=field, max_bytes=40_000).strip()


def propose(
    session: Session,
    *,
    limits: WriteLimits,
    actor: User,
    declaration_id: int,
    data: AmendmentCreate,
) -> Amendment:
    city_id = proposing_city(actor)
    limits.spend(session, "amendment", actor.id)
    typed = parse_block(intake_paragraph(data.text, field="amendment text")) if data.text else None
    text, kind = (typed.text, typed.kind) if typed else (None, "paragraph")
    rationale = _free_text(data.rationale, field="rationale")
    base = open_base(session, declaration_id=declaration_id, base_version=data.base_version)
    amendment = add_proposal(
        session,
        actor=actor,
        city_id=city_id,
        base=base,
        action=data.action,
        paragraph_key=data.paragraph_key,
        text=text,
        kind=kind,
        rationale=rationale,
    )
    session.commit()
    return get_amendment(session, amendment.id)


def proposing_city(actor: User) -> int:
    """The city `actor` proposes for; 403 `no_city` for anyone who acts for none."""
    return _city_of(actor, "Only a city's delegation proposes amendments.")


def open_base(session: Session, *, declaration_id: int, base_version: int) -> Version:
    """The version proposals are written against, once the declaration is found open for them
    (takes the write lock: a proposal is a write)."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id)
    _require_drafting(declaration.status)
    if base_version > declaration.head_version:
        raise NotFound(
            f"Declaration {declaration_id} has no version {base_version}.",
            code="version_not_found",
        )
    return get_version(session, declaration_id, base_version)


def add_proposal(
    session: Session,
    *,
    actor: User,
    city_id: int,
    base: Version,
    action: str,
    paragraph_key: str | None,
    text: str | None,
    kind: str,
    rationale: str,
) -> Amendment:
    """One proposal of `actor`'s city against `base`, added to the session and audited but not
    committed: the caller checked the declaration and commits (one proposal, or a document's)."""
    paragraph = next((p for p in base.paragraphs if p.key == paragraph_key), None)
    if paragraph_key is not None and paragraph is None:
        raise Invalid(
            f"Version {base.number} has no paragraph {paragraph_key}.",
            code="unknown_paragraph",
        )
    base_text = paragraph.text if paragraph and action != "insert" else None
    if action == "modify":
        kind = paragraph.kind  # type: ignore[union-attr]
        if text == base_text:
            raise Invalid("The amendment leaves the paragraph as it is.", code="no_change")
        diff = word_diff(base_text or "", text or "")
    elif action == "insert":
        diff = [("insert", text)]
    else:
        diff = [("delete", base_text)]
    amendment = Amendment(
        declaration_id=base.declaration_id,
        city_id=city_id,
        author_id=actor.id,
        base_version=base.number,
        action=action,
        paragraph_key=paragraph_key,
        kind=kind,
        base_text=base_text,
        text=text,
        rationale=rationale,
        diff=[list(part) for part in diff],
        status=AmendmentStatus.proposed,
    )
    session.add(amendment)
    session.flush()
    record(
        session,
        actor=actor,
        action="amendment.propose",
        target=("amendment", amendment.id),
        declaration_id=base.declaration_id,
        after={
            "status": AmendmentStatus.proposed,
            "action": action,
            "paragraph_key": paragraph_key,
            "base_version": base.number,
            "city_id": city_id,
            "text": text,
        },
    )
    return amendment


def list_amendments(
    session: Session,
    *,
    declaration_id: int,
    status: str | None,
    paragraph_key: str | None,
    city_id: int | None,
    limit: int,
    offset: int,
) -> tuple[list[Amendment], int]:
    get_declaration(session, declaration_id)
    query = select(Amendment).where(Amendment.declaration_id == declaration_id)
    if status:
        query = query.where(Amendment.status == status)
    if paragraph_key:
        query = query.where(Amendment.paragraph_key == paragraph_key)
    if city_id:
        query = query.where(Amendment.city_id == city_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(*_WITH_PEOPLE).order_by(Amendment.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def get_amendment(session: Session, amendment_id: int, *, for_update: bool = False) -> Amendment:
    query = select(Amendment).where(Amendment.id == amendment_id).options(*_WITH_PEOPLE)
    if for_update:
        query = query.with_for_update(of=Amendment)
    amendment = session.scalar(query)
    if amendment is None:
        raise NotFound(f"There is no amendment {amendment_id}.", code="amendment_not_found")
    return amendment


def rebased_on_head(
    session: Session, amendment: Amendment, *, cache: ImmutableCache
) -> Rebased | None:
    """An open amendment carried onto the current head: its redline there, or the conflict.

    Any reader may ask, and the three-way merge of a long paragraph costs hundreds of
    milliseconds, so it is made once per (amendment, head version): an amendment's text and a
    version never change, and a new head is a new key."""
    if amendment.status not in OPEN:
        return None
    head = get_declaration(session, amendment.declaration_id).head_version
    key = ("rebased", amendment.id, head)
    cached = cache.get(key)
    if cached is not None:
        return Rebased.model_validate_json(cached[1])
    target = amendment.paragraph_key
    current = paragraph_text(session, amendment.declaration_id, head, target) if target else None
    effect = effect_on(amendment, current)
    rebased = Rebased(version=head, diff=effect.redline(), conflict=effect.conflict)
    cache.put(key, (f"{amendment.id}@{head}", rebased.model_dump_json().encode()))
    return rebased


def support(session: Session, *, actor: User, amendment_id: int) -> Amendment:
    begin_write(session)
    amendment = get_amendment(session, amendment_id)
    city_id = _city_of(actor, "Only a city's delegation supports amendments.")
    if amendment.city_id == city_id:
        raise Forbidden("A city cannot support its own amendment.", code="own_amendment")
    if amendment.status not in OPEN:
        raise Conflict(f"This amendment is {amendment.status}.", code="wrong_state")
    session.add(Support(amendment_id=amendment.id, city_id=city_id, user_id=actor.id))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "Your city already supports this amendment.", code="already_supported"
        ) from None
    record(
        session,
        actor=actor,
        action="amendment.support",
        target=("amendment", amendment.id),
        declaration_id=amendment.declaration_id,
        after={"city_id": city_id},
    )
    session.commit()
    session.expire_all()
    return get_amendment(session, amendment_id)


def withdraw_support(session: Session, *, actor: User, amendment_id: int) -> Amendment:
    begin_write(session)
    amendment = get_amendment(session, amendment_id)
    city_id = acting_city(actor)
    mine = next((s for s in amendment.supports if s.city_id == city_id), None)
    if city_id is None or mine is None:
        raise NotFound("Your city does not support this amendment.", code="not_supported")
    session.delete(mine)
    record(
        session,
        actor=actor,
        action="amendment.unsupport",
        target=("amendment", amendment.id),
        declaration_id=amendment.declaration_id,
        before={"city_id": city_id},
    )
    session.commit()
    session.expire_all()
    return get_amendment(session, amendment_id)


def withdraw(session: Session, *, actor: User, amendment_id: int) -> Amendment:
    begin_write(session)
    amendment = get_amendment(session, amendment_id, for_update=True)
    if acting_city(actor) != amendment.city_id:
        raise Forbidden(
            "Only the city that proposed an amendment withdraws it.", code="not_your_city"
        )
    allowed, target = WITHDRAWAL
    _move(session, amendment, frm=allowed, to=target, actor=actor, note=None)
    session.commit()
    return get_amendment(session, amendment_id)


def decide(session: Session, *, actor: User, amendment_id: int, data: Decision) -> Amendment:
    begin_write(session)
    amendment = get_amendment(session, amendment_id, for_update=True)
    _require_drafting(get_declaration(session, amendment.declaration_id).status)
    allowed, target = TRANSITIONS[data.decision]
    note = _free_text(data.note, field="note") if data.note is not None else None
    _move(session, amendment, frm=allowed, to=target, actor=actor, note=note)
    notices.amendment_decided(
        session,
        actor=actor,
        amendment_id=amendment_id,
        declaration_id=amendment.declaration_id,
        city_id=amendment.city_id,
        paragraph_key=amendment.paragraph_key,
        status=target,
        note=note,
    )
    session.commit()
    return get_amendment(session, amendment_id)


def _move(
    session: Session,
    amendment: Amendment,
    *,
    frm: tuple[str, ...],
    to: str,
    actor: User,
    note: str | None,
) -> None:
    """One state transition, applied only if the row is still in an allowed state: of two
    simultaneous decisions, the second finds the state changed and is refused."""
    if amendment.status not in frm:
        raise Conflict(
            f"This amendment is {amendment.status}; it cannot become {to}.", code="wrong_state"
        )
    values: dict = {"status": to, "updated_at": utcnow()}
    if to in DECIDED and actor.role not in CITY_ROLES:
        values |= {"decided_by": actor.id, "decision_note": note}
    changed = session.execute(
        update(Amendment)
        .where(Amendment.id == amendment.id, Amendment.status == amendment.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        session.rollback()
        raise Conflict("Someone else changed this amendment just now.", code="wrong_state")
    record(
        session,
        actor=actor,
        action=f"amendment.{to}",
        target=("amendment", amendment.id),
        declaration_id=amendment.declaration_id,
        before={"status": amendment.status},
        after={"status": to, "note": note},
    )
    session.expire(amendment)


def _city_of(actor: User, refusal: str) -> int:
    city_id = acting_city(actor)
    if city_id is None:
        raise Forbidden(refusal, code="no_city")
    return city_id


def _require_drafting(status: str) -> None:
    if status != "drafting":
        raise Conflict(f"The declaration is {status}: amendments are closed.", code="wrong_state")
