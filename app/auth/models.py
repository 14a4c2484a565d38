"""Cities and the people who act for them."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class Role(enum.StrEnum):
    admin = "admin"
    co_facilitator = "co_facilitator"
    delegate = "delegate"
    mayor = "mayor"
    observer = "observer"


CITY_ROLES = frozenset({Role.delegate, Role.mayor})
EDITOR_ROLES = frozenset({Role.co_facilitator, Role.admin})


def city_problem(role: Role, city_id: int | None) -> tuple[str, str] | None:
    """The rule of accounts: a mayor or delegate acts for a city, no one else does (the
    `city_for_city_roles` constraint holds the first half). (code, sentence) when broken."""
    if role in CITY_ROLES and city_id is None:
        return "city_required", f"A {role.value} must belong to a city."
    if role not in CITY_ROLES and city_id is not None:
        return "city_not_allowed", f"A {role.value} does not act for a city."
    return None


def acting_city(user: "User") -> int | None:
    """The city a user acts for: a mayor's or delegate's own; nobody else acts for one."""
    return user.city_id if user.role in CITY_ROLES else None


class City(Base):
    __tablename__ = "cities"
    __table_args__ = (
        UniqueConstraint("name", "country"),
        CheckConstraint("kind IN ('city', 'region')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(10), default="city")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'co_facilitator', 'delegate', 'mayor', 'observer')", name="role"
        ),
        CheckConstraint(
            "city_id IS NOT NULL OR role NOT IN ('delegate', 'mayor')", name="city_for_city_roles"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped when the password changes or the account is deactivated: older tokens stop working.
    token_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City | None] = relationship(lazy="joined", innerjoin=False)


class PasswordReset(Base):
    """A link to set a new password, asked for from the sign-in page: only the SHA-256 of its
    token is kept. It serves once (`used_at`), until `expires_at`, and only while the account's
    `token_version` is the one it was made under (a password change or a deactivation ends it)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
