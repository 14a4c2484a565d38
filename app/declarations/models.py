"""Declarations and their immutable versions, each an ordered list of keyed paragraphs."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, utcnow


class Declaration(Base):
    __tablename__ = "declarations"
    __table_args__ = (
        CheckConstraint("status IN ('drafting', 'final', 'open', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # BCP 47: the language the text is negotiated in, its versions' language.
    language: Mapped[str] = mapped_column(String(35), default="en", server_default="en")
    status: Mapped[str] = mapped_column(String(10), default="drafting")
    head_version: Mapped[int] = mapped_column(default=1)
    final_version: Mapped[int | None]
    # Set at finalize: the languages whose translations are authentic beside `language`, and
    # the fingerprint a mayor signs (the final version's content_hash when there are none).
    authentic_languages: Mapped[list[str]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    final_hash: Mapped[str | None] = mapped_column(String(80))
    # Set when endorsement opens: mayors must sign with a passkey (no password fallback).
    require_passkey: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Version(Base):
    """Inserted once, never updated or deleted (database triggers refuse both)."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("declaration_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    merged_amendments: Mapped[list[int]] = mapped_column(JSON, default=list)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(lazy="raise")
    paragraphs: Mapped[list["Paragraph"]] = relationship(
        lazy="raise", order_by="Paragraph.position"
    )


class Paragraph(Base):
    """One paragraph of one version; `key` identifies it across versions."""

    __tablename__ = "paragraphs"
    __table_args__ = (
        UniqueConstraint("version_id", "position"),
        UniqueConstraint("version_id", "key"),
        CheckConstraint("kind IN ('heading', 'paragraph')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
