"""Signatures, the transparency log's entries and its signed checkpoints."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import City
from app.db import Base, utcnow

STANDING = text("withdrawn_seq IS NULL")
SEALED = text("final")


class Signature(Base):
    """A city's endorsement, as it stands. Never deleted; a database trigger allows one update
    only, marking it withdrawn. The log entries are the record; this row answers "who signed"."""

    __tablename__ = "signatures"
    __table_args__ = (
        # One standing endorsement per city and declaration, whatever the application does.
        Index(
            "uq_signatures_standing",
            "declaration_id",
            "city_id",
            unique=True,
            sqlite_where=STANDING,
            postgresql_where=STANDING,
        ),
        UniqueConstraint("declaration_id", "seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # As signed: the statement names them, so a later rename does not change the list.
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str | None] = mapped_column(String(200))
    seq: Mapped[int]
    signed_at: Mapped[datetime]
    # How the mayor confirmed: "password", or "passkey" (the entry carries the assertion).
    method: Mapped[str] = mapped_column(String(10), default="password", server_default="password")
    withdrawn_seq: Mapped[int | None]
    withdrawn_at: Mapped[datetime | None]

    city: Mapped[City] = relationship(lazy="raise")

    @property
    def signer(self) -> dict[str, str | None]:
        """Who signed, as the statement and the API name them."""
        return {"name": self.signer_name, "title": self.signer_title}

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_seq is not None


class LogEntry(Base):
    """One leaf of a declaration's signature log: an endorsement or a withdrawal, as a JWS.
    Inserted, never updated or deleted (database triggers refuse both)."""

    __tablename__ = "log_entries"
    __table_args__ = (
        UniqueConstraint("declaration_id", "seq"),
        CheckConstraint("kind IN ('endorsement', 'withdrawal')", name="kind"),
        CheckConstraint("seq >= 1", name="seq_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id"), index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"))
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    jws: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[str] = mapped_column(String(64))  # lowercase hex of SHA-256(0x00 ‖ jws)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Checkpoint(Base):
    """A signed tree head, one per append (and one for the empty log when endorsement opens);
    the `final` one is the seal. `peaks` (the compact range's subtree roots, 32 bytes each)
    let the next append compute the new root in O(log n). Inserted, never updated or deleted."""

    __tablename__ = "checkpoints"
    __table_args__ = (
        UniqueConstraint("declaration_id", "tree_size", "final"),
        Index(
            "uq_checkpoints_one_seal",
            "declaration_id",
            unique=True,
            sqlite_where=SEALED,
            postgresql_where=SEALED,
        ),
        CheckConstraint("tree_size >= 0", name="tree_size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    tree_size: Mapped[int]
    root_hash: Mapped[str] = mapped_column(String(64))
    peaks: Mapped[bytes] = mapped_column(LargeBinary)
    jws: Mapped[str] = mapped_column(Text)
    final: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
