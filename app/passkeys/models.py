"""Mayors' passkeys (WebAuthn credentials) and the single-use challenges issued for them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class Passkey(Base):
    """A credential a mayor registered: the platform keeps its public key only."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    credential_id: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    public_key_cose: Mapped[bytes] = mapped_column(LargeBinary)  # as the authenticator gave it
    public_key_jwk: Mapped[str] = mapped_column(Text)  # the same key as a JWK (JSON), for entries
    user_handle: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PasskeyChallenge(Base):
    """A challenge handed to a mayor's browser: used once, within its lifetime, by that mayor,
    for registering (`register`) or for signing declaration `declaration_id` (`sign`)."""

    __tablename__ = "passkey_challenges"
    __table_args__ = (CheckConstraint("purpose IN ('register', 'sign')", name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declarations.id"))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]
