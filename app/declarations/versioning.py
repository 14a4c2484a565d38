"""Making the next version from the head: direct edits, accepted amendments, or a revised draft."""

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.amendments.merging import (
    apply_accepted_amendments,
    check_reconciled,
    mark_merged,
    mark_obsolete,
)
from app.audit.service import record
from app.auth.models import User
from app.db import begin_write
from app.declarations.models import Version
from app.declarations.schemas import Edit, VersionCreate
from app.declarations.service import (
    get_declaration,
    get_version,
    insert_version,
    intake_blocks,
    intake_paragraph,
    paragraphs_of,
    used_keys,
)
from app.errors import Conflict, Invalid, text_intake
from app.text.align import align_paragraphs
from app.text.compare import Comparison, compare
from app.text.document import Draft, EditError, Para, key_factory
from app.text.paragraphs import (
    canonical_text,
    check_bounds,
    content_hash,
    parse_block,
    with_mark,
)


@dataclass
class Preview:
    number: int
    content_hash: str
    merged_amendments: list[int]
    paragraphs: list[Para]
    changes: Comparison


def make_version(
    session: Session, *, actor: User, declaration_id: int, data: VersionCreate
) -> Version | Preview:
    """The next version from the head, all or nothing; a dry run writes nothing."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    if declaration.status != "drafting":
        raise Conflict(
            f"This declaration is {declaration.status}: its text can no longer change.",
            code="wrong_state",
        )
    if data.base_version != declaration.head_version:
        raise Conflict(
            f"Version {data.base_version} is no longer the latest; the head is version "
            f"{declaration.head_version}. Reload and try again.",
            code="stale_base",
            head_version=declaration.head_version,
        )
    head = get_version(session, declaration_id, declaration.head_version)
    before = paragraphs_of(head)
    new_key = key_factory(used_keys(session, declaration_id))
    merged: list[int] = []
    if data.text is not None:
        after = _align_revised_draft(before, data.text, new_key)
    else:
        draft = Draft(before, new_key)
        if data.amendments:
            merged = apply_accepted_amendments(
                session,
                draft=draft,
                declaration=declaration,
                head=head,
                amendment_ids=data.amendments,
            )
        _apply_edits(draft, data.edits)
        after = draft.paragraphs
    if set(merged) & set(data.reconciled):
        raise Invalid(
            "An amendment is both merged as written and reconciled.", code="duplicate_amendment"
        )
    reconciled = check_reconciled(
        session,
        declaration_id=declaration_id,
        amendment_ids=data.reconciled,
        edited={e.paragraph_key for e in data.edits},
    )
    with text_intake():
        check_bounds([p.block for p in after])
    if after == before:
        raise Invalid("These changes leave the text as it is.", code="no_change")
    number = declaration.head_version + 1
    if data.dry_run:
        session.rollback()
        canonical = canonical_text([p.block for p in after])
        return Preview(
            number, content_hash(canonical), merged + reconciled, after, compare(before, after)
        )
    version = insert_version(
        session,
        declaration=declaration,
        number=number,
        paragraphs=after,
        author=actor,
        note=data.note,
        merged_amendments=merged + reconciled,
    )
    declaration.head_version = number
    try:
        session.flush()
    except IntegrityError:  # another merge took this number first
        session.rollback()
        raise Conflict(
            "Another version was just made; reload and try again.", code="stale_base"
        ) from None
    if merged:
        mark_merged(session, actor=actor, amendment_ids=merged, version=number)
    if reconciled:
        mark_merged(session, actor=actor, amendment_ids=reconciled, version=number, reconciled=True)
    mark_obsolete(
        session,
        actor=actor,
        declaration_id=declaration_id,
        keys={p.key for p in after},
        version=number,
    )
    changes = compare(before, after)
    record(
        session,
        actor=actor,
        action="version.create",
        target=("version", number),
        declaration_id=declaration_id,
        before={"version": head.number, "content_hash": head.content_hash},
        after={
            "version": number,
            "content_hash": version.content_hash,
            "note": data.note,
            "source": "revised_text" if data.text is not None else "edits",
            "merged_amendments": merged,
            "reconciled_amendments": reconciled,
            "edits": len(data.edits),
            "modified": changes.count("modified"),
            "inserted": changes.count("inserted"),
            "deleted": changes.count("deleted"),
        },
    )
    session.commit()
    return version


def _apply_edits(draft: Draft, edits: list[Edit]) -> None:
    for number, edit in enumerate(edits, start=1):
        try:
            if edit.action == "delete":
                draft.delete(edit.paragraph_key or "")
                continue
            text = intake_paragraph(edit.text or "", field=f"text of edit {number}")
            kind = edit.kind
            typed = parse_block(text)
            if typed.kind == "heading" and kind in (None, "heading"):
                text, kind = typed.text, "heading"
            if not text:
                raise Invalid(f"Edit {number} leaves an empty paragraph.", code="empty_paragraph")
            if edit.action == "modify":
                draft.modify(edit.paragraph_key or "", text, kind)
            else:
                draft.insert_after(edit.paragraph_key, text, kind or "paragraph")
        except EditError as exc:
            raise Invalid(f"Edit {number}: {exc}", code=exc.code) from None


def _align_revised_draft(before: list[Para], raw: str, new_key) -> list[Para]:
    """Paragraphs of an uploaded draft, keeping the keys of those that match the base."""
    blocks = intake_blocks(raw)
    shown = [with_mark(p.block) for p in before]
    incoming = [with_mark(b) for b in blocks]
    after: list[Para] = []
    for i, j in align_paragraphs(shown, incoming):
        if j is None:
            continue
        key = before[i].key if i is not None else new_key()
        after.append(Para(key, blocks[j].kind, blocks[j].text))
    return after
