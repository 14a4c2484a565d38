"""The drafting steps of making the next version from the head: open the head, apply direct
edits or align a revised draft, check the result, preview it or write it.

Merging amendments is negotiation: `app.amendments.merging.make_version` runs these steps with
the amendments' own; this module knows nothing of amendments."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth.models import User
from app.declarations.models import Declaration, Version
from app.declarations.schemas import (
    CombinedChange,
    Edit,
    ParagraphOut,
    VersionCreate,
    VersionPreview,
)
from app.declarations.schemas import Comparison as ComparisonOut
from app.declarations.service import (
    get_declaration,
    get_version,
    insert_version,
    intake_blocks,
    intake_paragraph,
)
from app.errors import Conflict, Invalid, text_intake
from app.text.align import align_paragraphs
from app.text.compare import Comparison, compare, count_changes
from app.text.document import Draft, EditError, Para
from app.text.paragraphs import canonical_text, check_bounds, content_hash, parse_block, with_mark


@dataclass
class Preview:
    number: int
    content_hash: str
    merged_amendments: list[int]
    paragraphs: list[Para]
    changes: Comparison
    combined: list[CombinedChange] = field(default_factory=list)

    def answer(self) -> VersionPreview:
        """The preview as the API says it."""
        return VersionPreview(
            number=self.number,
            content_hash=self.content_hash,
            merged_amendments=self.merged_amendments,
            paragraphs=[
                ParagraphOut(key=p.key, position=i, kind=p.kind, text=p.text)
                for i, p in enumerate(self.paragraphs, start=1)
            ],
            changes=ComparisonOut.of(self.number - 1, self.number, self.changes),
            combined=self.combined,
        )


def open_head(
    session: Session, declaration_id: int, base_version: int
) -> tuple[Declaration, Version]:
    """The declaration, locked for the new version, and its head, which must be `base_version`."""
    declaration = get_declaration(session, declaration_id, for_update=True)
    if declaration.status != "drafting":
        raise Conflict(
            f"This declaration is {declaration.status}: its text can no longer change.",
            code="wrong_state",
        )
    if base_version != declaration.head_version:
        raise Conflict(
            f"Version {base_version} is no longer the latest; the head is version "
            f"{declaration.head_version}. Reload and try again.",
            code="stale_base",
            head_version=declaration.head_version,
        )
    return declaration, get_version(session, declaration_id, declaration.head_version)


def apply_edits(draft: Draft, edits: list[Edit]) -> None:
    """Direct edits, in order; the first that cannot apply refuses them all (422)."""
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


def align_revised_draft(before: list[Para], raw: str, new_key: Callable[[], str]) -> list[Para]:
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


def check_next(before: list[Para], after: list[Para]) -> None:
    """The next version stays within the text's bounds and differs from the head."""
    with text_intake():
        check_bounds([p.block for p in after])
    if after == before:
        raise Invalid("These changes leave the text as it is.", code="no_change")


def preview(
    number: int,
    before: list[Para],
    after: list[Para],
    merged: list[int],
    *,
    combined: list[CombinedChange] | None = None,
) -> Preview:
    canonical = canonical_text([p.block for p in after])
    changes = compare(before, after)
    return Preview(number, content_hash(canonical), merged, after, changes, combined or [])


def append_version(
    session: Session,
    *,
    actor: User,
    declaration: Declaration,
    paragraphs: list[Para],
    note: str | None,
    merged_amendments: list[int],
) -> Version:
    """Write the next version and make it the head; 409 `stale_base` if another took its
    number first."""
    number = declaration.head_version + 1
    declaration_id = declaration.id
    try:
        version = insert_version(
            session,
            declaration=declaration,
            number=number,
            paragraphs=paragraphs,
            author=actor,
            note=note,
            merged_amendments=merged_amendments,
        )
    except IntegrityError:  # another request made this number first
        session.rollback()
        raise Conflict(
            "Another version was just made; reload and try again.",
            code="stale_base",
            head_version=get_declaration(session, declaration_id).head_version,
        ) from None
    declaration.head_version = number
    session.flush()
    return version


def record_version(
    session: Session,
    *,
    actor: User,
    head: Version,
    version: Version,
    data: VersionCreate,
    paragraphs: tuple[list[Para], list[Para]],
    merged: list[int],
    reconciled: list[int],
) -> None:
    """The audit event of a new version: where it came from and how much it changed."""
    counts = count_changes(*paragraphs)
    record(
        session,
        actor=actor,
        action="version.create",
        target=("version", version.number),
        declaration_id=head.declaration_id,
        before={"version": head.number, "content_hash": head.content_hash},
        after={
            "version": version.number,
            "content_hash": version.content_hash,
            "note": data.note,
            "source": "revised_text" if data.text is not None else "edits",
            "merged_amendments": merged,
            "reconciled_amendments": reconciled,
            "edits": len(data.edits),
            "modified": counts["modified"],
            "inserted": counts["inserted"],
            "deleted": counts["deleted"],
        },
    )
