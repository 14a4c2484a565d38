"""Threaded comments on a paragraph of a version, optionally on a quoted range of it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, utcnow


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'resolved')", name="status"),
        Index("ix_comments_declaration_paragraph", "declaration_id", "paragraph_key"),
        # A declaration's comments are listed and paged by id: one index range, no sort.
        Index("ix_comments_declaration_id", "declaration_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    created_version: Mapped[int]
    paragraph_key: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    # The quoted range, in code points of the paragraph's text in `created_version`, with the
    # text around it: what re-anchoring needs to find it again in later versions.
    quote_exact: Mapped[str | None] = mapped_column(Text)
    quote_start: Mapped[int | None]
    quote_end: Mapped[int | None]
    quote_prefix: Mapped[str | None] = mapped_column(Text)
    quote_suffix: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(lazy="raise", foreign_keys=[author_id])
