"""Translations of a declaration's paragraphs, one language at a time."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class TranslationText(Base):
    """One paragraph's translation into one language, made against one version of the source.

    Inserted, never updated: a version's translation of a key is the latest row made against
    that version or an earlier one, so translations carry forward to every new version by key
    and nothing is written when a version is made."""

    __tablename__ = "translation_texts"
    __table_args__ = (
        Index("ix_translation_texts_lookup", "declaration_id", "language", "source_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    language: Mapped[str] = mapped_column(String(35))
    key: Mapped[str] = mapped_column(String(16))
    source_version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
