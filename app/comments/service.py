"""Comments: writing, editing, resolving, and reading them re-anchored onto any version."""

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.audit.service import record
from app.auth.models import EDITOR_ROLES, User
from app.comments.models import Comment
from app.comments.schemas import CommentCreate, Quote
from app.db import begin_write, utcnow
from app.declarations.models import Paragraph, Version
from app.declarations.service import get_declaration, get_version
from app.errors import Forbidden, Invalid, NotFound, text_intake
from app.notifications import service as notices
from app.ratelimit import WriteLimits
from app.text.anchor import CONTEXT_CHARS, Anchor, char_diffs, reanchor_with_diff
from app.text.intake import normalize_text


@dataclass(frozen=True)
class Placed:
    """A comment and where it stands in the version being read."""

    comment: Comment
    anchor: Anchor
    version: int


def comment_body(raw: str) -> str:
    """A comment's text as stored: normalised, trimmed, not empty (422 otherwise)."""
    with text_intake():
        body = normalize_text(raw, field="comment", max_bytes=80_000).strip()
    if not body:
        raise Invalid("The comment is empty.", code="empty_comment")
    return body


def create_comment(
    session: Session,
    *,
    limits: WriteLimits,
    actor: User,
    declaration_id: int,
    data: CommentCreate,
) -> Placed:
    limits.spend(session, "comment", actor.id)
    body = comment_body(data.body)
    begin_write(session)
    declaration = get_declaration(session, declaration_id)
    parent = None
    if data.parent_id is not None:
        parent = session.get(Comment, data.parent_id)
        if parent is None or parent.declaration_id != declaration_id:
            raise NotFound(f"There is no comment {data.parent_id} here.", code="comment_not_found")
    number = data.version or (parent.created_version if parent else declaration.head_version)
    version = get_version(session, declaration_id, number)
    key = data.paragraph_key or (parent.paragraph_key if parent else None)
    if key is None:
        raise Invalid("Name the paragraph_key the comment is about.", code="paragraph_required")
    if parent is not None and key != parent.paragraph_key:
        raise Invalid("A reply stays on its thread's paragraph.", code="wrong_paragraph")
    comment = add_comment(
        session,
        actor=actor,
        version=version,
        paragraph_key=key,
        body=body,
        parent=parent,
        quote=data.quote,
    )
    session.commit()
    return Placed(_with_author(session, comment.id), _own_anchor(comment), number)


def add_comment(
    session: Session,
    *,
    actor: User,
    version: Version,
    paragraph_key: str,
    body: str,
    parent: Comment | None,
    quote: Quote | None,
) -> Comment:
    """One comment on a paragraph of `version` (on `quote` of it, when given), added and
    audited but not committed: the caller commits (one comment, or a document's)."""
    paragraph = next((p for p in version.paragraphs if p.key == paragraph_key), None)
    if paragraph is None:
        raise Invalid(
            f"Version {version.number} has no paragraph {paragraph_key}.",
            code="unknown_paragraph",
        )
    comment = Comment(
        declaration_id=version.declaration_id,
        created_version=version.number,
        paragraph_key=paragraph_key,
        parent_id=parent.id if parent else None,
        author_id=actor.id,
        body=body,
        status="open",
    )
    if quote is not None:
        # A slice past the end is cut short ("days." at 77..200 would match): bound it too.
        if (
            quote.end > len(paragraph.text)
            or paragraph.text[quote.start : quote.end] != quote.exact
        ):
            raise Invalid(
                "The quote does not match the paragraph's text at those offsets (offsets count "
                "Unicode code points).",
                code="quote_mismatch",
            )
        comment.quote_exact, comment.quote_start, comment.quote_end = (
            quote.exact,
            quote.start,
            quote.end,
        )
        comment.quote_prefix = paragraph.text[max(0, quote.start - CONTEXT_CHARS) : quote.start]
        comment.quote_suffix = paragraph.text[quote.end : quote.end + CONTEXT_CHARS]
    session.add(comment)
    session.flush()
    record(
        session,
        actor=actor,
        action="comment.create",
        target=("comment", comment.id),
        declaration_id=version.declaration_id,
        after={
            "paragraph_key": paragraph_key,
            "version": version.number,
            "parent_id": comment.parent_id,
            "body": body,
        },
    )
    if parent is not None:
        notices.comment_replied(
            session,
            actor=actor,
            to_user_id=parent.author_id,
            comment_id=comment.id,
            declaration_id=version.declaration_id,
            paragraph_key=paragraph_key,
        )
    return comment


def edit_comment(session: Session, *, actor: User, comment_id: int, body: str) -> Placed:
    body = comment_body(body)
    begin_write(session)
    comment = _get(session, comment_id)
    if comment.author_id != actor.id:
        raise Forbidden("Only its author edits a comment.", code="not_author")
    before = comment.body
    comment.body = body
    comment.edited_at = utcnow()
    record(
        session,
        actor=actor,
        action="comment.edit",
        target=("comment", comment.id),
        declaration_id=comment.declaration_id,
        before={"body": before},
        after={"body": body},
    )
    session.commit()
    return Placed(_with_author(session, comment_id), _own_anchor(comment), comment.created_version)


def resolve_comment(session: Session, *, actor: User, comment_id: int) -> Placed:
    begin_write(session)
    comment = _get(session, comment_id)
    if comment.author_id != actor.id and actor.role not in EDITOR_ROLES:
        raise Forbidden("Only its author or a co-facilitator resolves a thread.", code="not_author")
    if comment.status != "resolved":
        comment.status, comment.resolved_at, comment.resolved_by = "resolved", utcnow(), actor.id
        record(
            session,
            actor=actor,
            action="comment.resolve",
            target=("comment", comment.id),
            declaration_id=comment.declaration_id,
            before={"status": "open"},
            after={"status": "resolved"},
        )
        session.commit()
    return Placed(_with_author(session, comment_id), _own_anchor(comment), comment.created_version)


def list_comments(
    session: Session,
    *,
    declaration_id: int,
    version: int | None,
    paragraph_key: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Placed], int]:
    """Comments of a declaration, each re-anchored onto the version read (default: the head)."""
    declaration = get_declaration(session, declaration_id)
    number = version or declaration.head_version
    target = get_version(session, declaration_id, number, with_paragraphs=False)
    query = select(Comment).where(Comment.declaration_id == declaration_id)
    if paragraph_key:
        query = query.where(Comment.paragraph_key == paragraph_key)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    # The page's ids first: ordering whole rows by id made SQLite sort every comment of the
    # declaration, bodies and all, for each page (no index has declaration_id then id).
    page_ids = query.with_only_columns(Comment.id).order_by(Comment.id).limit(limit).offset(offset)
    page = list(
        session.scalars(
            select(Comment)
            .where(Comment.id.in_(page_ids.scalar_subquery()))
            .options(selectinload(Comment.author))
            .order_by(Comment.id)
        )
    )
    anchors = reanchor_comments(session, page, target)
    return [Placed(c, anchors[c.id], number) for c in page], total


def reanchor_comments(
    session: Session, comments: Iterable[Comment], target: Version
) -> dict[int, Anchor]:
    """Each comment's anchor in `target`, one character diff per distinct pair of paragraphs."""
    comments = list(comments)
    wanted_versions = {c.created_version for c in comments} | {target.number}
    keys = {c.paragraph_key for c in comments}
    rows = session.execute(
        select(Version.number, Paragraph.key, Paragraph.text)
        .join(Paragraph, Paragraph.version_id == Version.id)
        .where(
            Version.declaration_id == target.declaration_id,
            Version.number.in_(wanted_versions),
            Paragraph.key.in_(keys),
        )
    ).all()
    texts = {(number, key): text for number, key, text in rows}
    pairs: dict[tuple[int, str], bytes] = {}
    anchors: dict[int, Anchor] = {}
    for comment in comments:
        new_text = texts.get((target.number, comment.paragraph_key))
        if new_text is None:
            anchors[comment.id] = Anchor("orphaned", None, None)
            continue
        if comment.quote_exact is None:  # about the whole paragraph, which is still there
            anchors[comment.id] = Anchor("exact", None, None)
            continue
        old_text = texts[(comment.created_version, comment.paragraph_key)]
        if old_text == new_text:  # the paragraph as it was: the quote is where it was written
            anchors[comment.id] = Anchor("exact", comment.quote_start, comment.quote_end)
            continue
        pair = (comment.created_version, comment.paragraph_key)
        if pair not in pairs:
            pairs[pair] = _digest(old_text, new_text)
        quote = (
            comment.quote_start,
            comment.quote_end,
            comment.quote_exact,
            comment.quote_prefix,
            comment.quote_suffix,
        )
        memo_key = _digest(json.dumps(quote), seed=pairs[pair])
        anchor = _ANCHORS.get(memo_key)
        if anchor is None:
            diff = _DIFFS.get(pairs[pair])
            if diff is None:
                diff = char_diffs(old_text, new_text)
                _DIFFS.put(pairs[pair], diff)
            anchor = reanchor_with_diff(
                diff,
                old_text,
                new_text,
                comment.quote_start,
                comment.quote_end,
                comment.quote_exact,
                prefix=comment.quote_prefix,
                suffix=comment.quote_suffix,
            )
            _ANCHORS.put(memo_key, anchor)
        anchors[comment.id] = anchor
    return anchors


class _Memo:
    """The last `size` answers by digest, least recently used out first.

    Versions and quotes never change, so neither does the diff between two paragraph texts
    nor where a quote lands: a reader paging through a version's comments does not redo the
    diffs and fuzzy searches of the pages and readers before."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[bytes, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> Any:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: bytes, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)


_ANCHORS = _Memo(100_000)  # by texts and quote; about 200 bytes an entry
_DIFFS = _Memo(512)  # by texts; a diff holds about both texts


def _digest(*texts: str, seed: bytes = b"") -> bytes:
    hasher = hashlib.blake2b(seed, digest_size=16)
    for text in texts:
        data = text.encode()
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.digest()


def _own_anchor(comment: Comment) -> Anchor:
    return Anchor("exact", comment.quote_start, comment.quote_end)


def _get(session: Session, comment_id: int) -> Comment:
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"There is no comment {comment_id}.", code="comment_not_found")
    return comment


def _with_author(session: Session, comment_id: int) -> Comment:
    return session.scalar(
        select(Comment).where(Comment.id == comment_id).options(selectinload(Comment.author))
    )
