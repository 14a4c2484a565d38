"""Making the next version: accepted amendments merged onto the head with direct edits, or a
revised draft; all of it lands or none does.

Drafting (`app.declarations.versioning`) knows nothing of amendments: this module, which sees
both, runs the drafting steps with the amendments' own. Each amendment is carried onto the text
by the rule its rebased view shows (`app.text.rebase.effect_on`)."""

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.amendments.models import Amendment
from app.amendments.states import OPEN, AmendmentStatus
from app.audit.service import record
from app.auth.models import User
from app.db import begin_write, utcnow
from app.declarations import versioning
from app.declarations.models import Paragraph, Version
from app.declarations.schemas import CombinedChange, VersionCreate
from app.declarations.service import paragraphs_of, used_keys
from app.errors import Conflict, Invalid
from app.notifications import service as notices
from app.text.document import Draft, Para, key_factory
from app.text.rebase import Effect, effect_on


@dataclass(frozen=True)
class Merged:
    """The amendments merged as written, and the paragraphs two or more of them changed in
    different words (the wording there is a combination none of them proposed alone)."""

    ids: list[int]
    combined: list[CombinedChange]


def make_version(
    session: Session, *, actor: User, declaration_id: int, data: VersionCreate
) -> Version | versioning.Preview:
    """The next version from the head, all or nothing; a dry run writes nothing."""
    begin_write(session)
    declaration, head = versioning.open_head(session, declaration_id, data.base_version)
    before = paragraphs_of(head)
    after, applied = _next_paragraphs(session, declaration_id, before, data)
    merged = applied.ids
    reconciled = _reconciled(session, declaration_id, data, merged)
    versioning.check_next(before, after)
    if data.dry_run:
        session.rollback()
        return versioning.preview(
            head.number + 1, before, after, merged + reconciled, combined=applied.combined
        )
    version = versioning.append_version(
        session,
        actor=actor,
        declaration=declaration,
        paragraphs=after,
        note=data.note,
        merged_amendments=merged + reconciled,
    )
    _settle_amendments(session, actor, declaration_id, version.number, merged, reconciled, after)
    versioning.record_version(
        session,
        actor=actor,
        head=head,
        version=version,
        data=data,
        paragraphs=(before, after),
        merged=merged,
        reconciled=reconciled,
    )
    session.commit()
    return version


def _next_paragraphs(
    session: Session, declaration_id: int, before: list[Para], data: VersionCreate
) -> tuple[list[Para], Merged]:
    """The next version's paragraphs, and the amendments merged into them as written."""
    new_key = key_factory(used_keys(session, declaration_id))
    if data.text is not None:
        return versioning.align_revised_draft(before, data.text, new_key), Merged([], [])
    draft = Draft(before, new_key)
    merged = apply_accepted_amendments(
        session, draft=draft, declaration_id=declaration_id, amendment_ids=data.amendments
    )
    versioning.apply_edits(draft, data.edits)
    return draft.paragraphs, merged


def _reconciled(
    session: Session, declaration_id: int, data: VersionCreate, merged: list[int]
) -> list[int]:
    if set(merged) & set(data.reconciled):
        raise Invalid(
            "An amendment is both merged as written and reconciled.", code="duplicate_amendment"
        )
    return check_reconciled(
        session,
        declaration_id=declaration_id,
        amendment_ids=data.reconciled,
        edited={e.paragraph_key for e in data.edits},
    )


def _settle_amendments(
    session: Session,
    actor: User,
    declaration_id: int,
    number: int,
    merged: list[int],
    reconciled: list[int],
    after: list[Para],
) -> None:
    """What the new version does to amendments: merged ones say so, and open ones whose
    paragraph it deleted become obsolete."""
    if merged:
        mark_merged(session, actor=actor, amendment_ids=merged, version=number)
    if reconciled:
        mark_merged(session, actor=actor, amendment_ids=reconciled, version=number, reconciled=True)
    keys = {p.key for p in after}
    mark_obsolete(session, actor=actor, declaration_id=declaration_id, keys=keys, version=number)


def apply_accepted_amendments(
    session: Session, *, draft: Draft, declaration_id: int, amendment_ids: list[int]
) -> Merged:
    """Apply each amendment, in the order given, to the draft; refuse the lot on any conflict."""
    if not amendment_ids:
        return Merged([], [])
    found = _accepted(session, declaration_id, amendment_ids, "merged")
    known = _keys_by_version(session, declaration_id, {a.base_version for a in found})
    conflicts: list[dict] = []
    head_texts = {p.key: p.text for p in draft.paragraphs}
    # paragraph key -> the amendments of this merge that changed its words so far
    changed_by: dict[str, list[int]] = {}
    for amendment in found:
        key = amendment.paragraph_key
        before = _text_in(draft, key)
        effect = _apply(draft, amendment, known[amendment.base_version])
        if effect.conflict is None:
            if key is not None and amendment.action != "insert":
                changed_by.setdefault(key, []).append(amendment.id)
            continue
        # The clash is with amendments earlier in this merge when they changed the paragraph.
        earlier = changed_by.get(key or "", []) if before != head_texts.get(key or "") else []
        conflicts.append(
            _conflict(amendment, effect, earlier, head=head_texts.get(key or ""), now=before)
        )
    if conflicts:
        raise Conflict(
            f"{len(conflicts)} amendment(s) conflict with the text or with each other; "
            "nothing was merged.",
            code="conflict",
            conflicts=conflicts,
        )
    combined = [
        CombinedChange(paragraph_key=key, amendment_ids=ids)
        for key, ids in changed_by.items()
        if len(ids) > 1
    ]
    return Merged(list(amendment_ids), combined)


def _conflict(
    amendment: Amendment, effect: Effect, earlier: list[int], *, head: str | None, now: str | None
) -> dict:
    """One conflict as the 409 answer lists it: a plain sentence, and every wording that
    clashes (the head's, the one earlier amendments of this merge made, this amendment's)."""
    return {
        "amendment_id": amendment.id,
        "paragraph_key": amendment.paragraph_key,
        "reason": _reason(amendment, effect, earlier),
        "competing_amendments": earlier,
        "current_text": head,
        "competing_text": now if earlier else None,
        "proposed_text": amendment.text if amendment.action != "delete" else None,
        "clashing_words": effect.clash.words if effect.clash else "",
    }


def _reason(amendment: Amendment, effect: Effect, earlier: list[int]) -> str:
    """One plain sentence: what clashes, and with whom."""
    if not earlier:
        return _sentence(effect.conflict or "")
    others = ", ".join(str(i) for i in earlier)
    who = (
        f"Amendment {others}, also in this merge,"
        if len(earlier) == 1
        else (f"Amendments {others}, also in this merge,")
    )
    clash = effect.clash
    if clash is not None and clash.words:
        return f"{who} changes the same words: '{_shorten(clash.words)}'."
    if clash is not None:
        where = f"after '{clash.after}'" if clash.after else "at the start of the paragraph"
        return f"{who} adds different words at the same place, {where}."
    if effect.current is None:
        return f"{who} deletes this paragraph."
    if amendment.action == "delete":
        return f"{who} rewrites the paragraph this amendment deletes."
    return f"{who} changes this paragraph too."


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _shorten(words: str, limit: int = 80) -> str:
    flat = " ".join(words.split())
    return flat if len(flat) <= limit else f"{flat[: limit - 1].rstrip()}…"


def _keys_by_version(
    session: Session, declaration_id: int, numbers: set[int]
) -> dict[int, frozenset[str]]:
    rows = session.execute(
        select(Version.number, Paragraph.key)
        .join(Paragraph, Paragraph.version_id == Version.id)
        .where(Version.declaration_id == declaration_id, Version.number.in_(numbers))
    ).all()
    keys: dict[int, set[str]] = {n: set() for n in numbers}
    for number, key in rows:
        keys[number].add(key)
    return {n: frozenset(k) for n, k in keys.items()}


def _text_in(draft: Draft, key: str | None) -> str | None:
    return next((p.text for p in draft.paragraphs if p.key == key), None)


def _apply(draft: Draft, amendment: Amendment, known: frozenset[str]) -> Effect:
    """Apply one amendment to the draft; its effect (with the conflict when it cannot land as
    written, and then the draft is unchanged)."""
    key = amendment.paragraph_key
    effect = effect_on(amendment, _text_in(draft, key))
    if effect.conflict is not None:
        return effect
    if amendment.action == "insert":
        # After its paragraph, and after what others inserted there since its base version.
        draft.insert_after(key, effect.text or "", amendment.kind, known=known)  # type: ignore[arg-type]
    elif amendment.action == "delete":
        draft.delete(key or "")
    else:
        draft.modify(key or "", effect.text or "")
    return effect


def check_reconciled(
    session: Session, *, declaration_id: int, amendment_ids: list[int], edited: set[str | None]
) -> list[int]:
    """Accepted amendments of this declaration that a direct edit of the version takes into
    account: each about a paragraph an edit names (a compromise wording of it)."""
    for amendment in _accepted(session, declaration_id, amendment_ids, "reconciled"):
        if amendment.paragraph_key not in edited:
            raise Invalid(
                f"Amendment {amendment.id} is about a paragraph that no direct edit of this "
                "version touches: it is not reconciled by it.",
                code="not_reconciled",
                amendment_id=amendment.id,
            )
    return list(amendment_ids)


def _accepted(
    session: Session, declaration_id: int, amendment_ids: list[int], verb: str
) -> list[Amendment]:
    """The named amendments, in order: each once, of this declaration, and accepted."""
    if not amendment_ids:
        return []
    if len(set(amendment_ids)) != len(amendment_ids):
        raise Invalid("An amendment is named twice.", code="duplicate_amendment")
    found = {
        a.id: a for a in session.scalars(select(Amendment).where(Amendment.id.in_(amendment_ids)))
    }
    for amendment_id in amendment_ids:
        amendment = found.get(amendment_id)
        if amendment is None or amendment.declaration_id != declaration_id:
            raise Invalid(
                f"Amendment {amendment_id} does not belong to this declaration.",
                code="unknown_amendment",
            )
        if amendment.status != AmendmentStatus.accepted:
            raise Conflict(
                f"Amendment {amendment_id} is {amendment.status}; only accepted amendments "
                f"are {verb}.",
                code="not_accepted",
            )
    return [found[i] for i in amendment_ids]


def mark_merged(
    session: Session,
    *,
    actor: User,
    amendment_ids: list[int],
    version: int,
    reconciled: bool = False,
) -> None:
    # One statement for all of them: an UPDATE, a SELECT and an event flush per amendment
    # would be two thirds of the time of merging 200 amendments.
    merged = session.execute(
        select(
            Amendment.id, Amendment.declaration_id, Amendment.city_id, Amendment.paragraph_key
        ).where(Amendment.id.in_(amendment_ids))
    ).all()
    declaration_of = {row.id: row.declaration_id for row in merged}
    changed = session.execute(
        update(Amendment)
        .where(Amendment.id.in_(amendment_ids), Amendment.status == AmendmentStatus.accepted)
        .values(status=AmendmentStatus.merged, merged_version=version, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != len(amendment_ids):  # a decision landed since `_accepted` checked them
        raise Conflict(
            "An amendment changed during the merge; nothing was merged.",
            code="not_accepted",
        )
    for amendment_id in amendment_ids:
        record(
            session,
            actor=actor,
            action="amendment.merged",
            target=("amendment", amendment_id),
            before={"status": AmendmentStatus.accepted},
            after={"status": AmendmentStatus.merged, "version": version, "reconciled": reconciled},
            declaration_id=declaration_of[amendment_id],
        )
    for declaration_id in set(declaration_of.values()):
        notices.amendments_merged(
            session,
            actor=actor,
            declaration_id=declaration_id,
            version=version,
            amendments=[
                (row.id, row.city_id, row.paragraph_key)
                for row in merged
                if row.declaration_id == declaration_id
            ],
        )


def mark_obsolete(
    session: Session, *, actor: User, declaration_id: int, keys: set[str], version: int
) -> None:
    """Open amendments whose paragraph no longer exists in the new version become obsolete."""
    stale = session.scalars(
        select(Amendment).where(
            Amendment.declaration_id == declaration_id,
            Amendment.status.in_(OPEN),
            Amendment.paragraph_key.is_not(None),
            Amendment.paragraph_key.not_in(keys),
        )
    ).all()
    for amendment in stale:
        record(
            session,
            actor=actor,
            action="amendment.obsolete",
            target=("amendment", amendment.id),
            declaration_id=declaration_id,
            before={"status": amendment.status},
            after={"status": AmendmentStatus.obsolete, "version": version},
        )
        amendment.status = AmendmentStatus.obsolete
        amendment.updated_at = utcnow()
