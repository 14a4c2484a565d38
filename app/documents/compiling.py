"""The compilation text as a Word file: what the layout needs, read in a few plain queries
(tens of thousands of amendments, supports and comments: rows, not model objects)."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.amendments.models import Amendment, Support
from app.amendments.states import OPEN
from app.auth.models import City, User
from app.comments.models import Comment
from app.comments.service import reanchor_comments
from app.db import utcnow
from app.declarations.service import get_declaration, get_version, paragraphs_of
from app.documents import compilation
from app.documents.service import DOCX, Download
from app.documents.word import DocumentInfo, write_document
from app.text.rebase import effect_on


def compilation_docx(session: Session, *, declaration_id: int) -> Download:
    """The head version with every open amendment as a tracked change by its city (rationale
    as a comment), and the comments on their quotes."""
    declaration = get_declaration(session, declaration_id)
    head = get_version(session, declaration_id, declaration.head_version)
    current = {p.key: p.text for p in head.paragraphs}
    supporters = _supporters(session, declaration_id)
    proposals = [
        _proposal(row, current, supporters.get(row.id, ()))
        for row in session.execute(
            select(
                Amendment.id,
                Amendment.status,
                Amendment.action,
                Amendment.paragraph_key,
                Amendment.kind,
                Amendment.base_text,
                Amendment.text,
                Amendment.base_version,
                Amendment.rationale,
                Amendment.diff,
                Amendment.created_at,
                City.name.label("city"),
            )
            .join(City, City.id == Amendment.city_id)
            .where(Amendment.declaration_id == declaration_id, Amendment.status.in_(list(OPEN)))
            .order_by(Amendment.id)
        )
    ]
    comments = session.execute(
        select(
            Comment.id,
            Comment.paragraph_key,
            Comment.parent_id,
            Comment.created_version,
            Comment.quote_exact,
            Comment.quote_start,
            Comment.quote_end,
            Comment.quote_prefix,
            Comment.quote_suffix,
            Comment.body,
            Comment.status,
            Comment.created_at,
            User.name.label("author"),
        )
        .join(User, User.id == Comment.author_id)
        .where(Comment.declaration_id == declaration_id)
        .order_by(Comment.id)
    ).all()
    # Rows carry every attribute re-anchoring reads of a comment.
    remarks = _remarks(comments, reanchor_comments(session, comments, head))  # type: ignore[arg-type]
    info = DocumentInfo(
        title=declaration.title,
        header=f"{declaration.title} — compilation text on version {head.number}",
        kind="compilation",
        declaration_id=declaration_id,
        version=None,
        created=utcnow(),
        track_revisions=True,
    )
    content = write_document(
        info, compilation.compilation_paragraphs(paragraphs_of(head), proposals, remarks)
    )
    return Download(
        f"declaration-{declaration_id}-compilation-v{head.number}.docx", DOCX, content
    )


def _supporters(session: Session, declaration_id: int) -> dict[int, tuple[str, ...]]:
    rows = session.execute(
        select(Support.amendment_id, City.name)
        .join(City, City.id == Support.city_id)
        .join(Amendment, Amendment.id == Support.amendment_id)
        .where(Amendment.declaration_id == declaration_id, Amendment.status.in_(list(OPEN)))
        .order_by(Support.created_at)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for amendment_id, city in rows:
        found[amendment_id].append(city)
    return {k: tuple(v) for k, v in found.items()}


def _proposal(row, current: dict[str, str], supporters: tuple[str, ...]) -> compilation.Proposal:
    anchor = current.get(row.paragraph_key) if row.paragraph_key else None
    effect = effect_on(row, anchor)
    unchanged_since = row.action == "modify" and anchor == row.base_text
    return compilation.Proposal(
        amendment_id=row.id,
        city=row.city,
        date=row.created_at,
        status=row.status,
        action=row.action,
        paragraph_key=row.paragraph_key,
        kind=row.kind,
        text=effect.text,
        conflict=effect.conflict,
        written_text=row.text,
        base_version=row.base_version,
        rationale=row.rationale,
        supporters=supporters,
        diff=[(op, text) for op, text in row.diff] if unchanged_since else None,
    )


def _remarks(comments, anchors: dict) -> list[compilation.Remark]:
    """Comments placed on the head (orphaned ones left out), replies under their thread."""
    remarks: dict[int, compilation.Remark] = {}
    top: list[compilation.Remark] = []
    for comment in comments:
        anchor = anchors[comment.id]
        remark = compilation.Remark(
            paragraph_key=comment.paragraph_key,
            author=comment.author,
            date=comment.created_at,
            body=comment.body,
            start=anchor.start,
            end=anchor.end,
            resolved=comment.status == "resolved",
        )
        parent = remarks.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.replies.append(remark)
        elif anchor.state != "orphaned":
            top.append(remark)
        remarks[comment.id] = remark
    return top
