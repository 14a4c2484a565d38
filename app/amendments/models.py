"""Amendments proposed by a city against a version, and the cities that support them."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.amendments.states import AmendmentStatus, in_sql
from app.auth.models import City, User
from app.db import Base, utcnow


class Amendment(Base):
    """The full proposed text and its base are kept, never only a patch: merging is a
    three-way merge of (base paragraph, amendment, head paragraph)."""

    __tablename__ = "amendments"
    __table_args__ = (
        CheckConstraint(in_sql("status"), name="status"),
        CheckConstraint("action IN ('modify', 'insert', 'delete')", name="action"),
        Index("ix_amendments_declaration_status", "declaration_id", "status"),
        Index("ix_amendments_declaration_paragraph", "declaration_id", "paragraph_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    base_version: Mapped[int]
    action: Mapped[str] = mapped_column(String(10))
    paragraph_key: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(10), default="paragraph")
    base_text: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    # The redline against the base never changes, so it is computed once, at proposal.
    diff: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=AmendmentStatus.proposed)
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    merged_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City] = relationship(lazy="raise")
    author: Mapped[User] = relationship(lazy="raise", foreign_keys=[author_id])
    supports: Mapped[list["Support"]] = relationship(
        lazy="raise", order_by="Support.created_at", cascade="all, delete-orphan"
    )


class Support(Base):
    """One city's co-sponsorship of another city's amendment."""

    __tablename__ = "amendment_supports"
    __table_args__ = (UniqueConstraint("amendment_id", "city_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id"))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")
