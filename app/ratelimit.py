"""Limits on sign-ins, signing and writes, kept in the database: every worker on every machine
counts the same attempts, and a restart forgets none of them."""

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from sqlalchemy import Index, String, delete, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, begin_write, lock_name
from app.errors import TooManyRequests

# What each limited action is called in the answer to a refused request.
_WORDS = {"comment": "comments", "amendment": "amendments"}


class Hit(Base):
    """One counted attempt under a key (`email:…`, `address:…`, `signing:<user id>`,
    `comment:<user id>`): kept until it leaves its window, then pruned."""

    __tablename__ = "limit_hits"
    __table_args__ = (Index("ix_limit_hits_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class Window:
    """At most `limit` hits under a key in any `seconds`: a sliding window over the hits table.

    Rows follow recent attempts only: each expires when it leaves its window, and every
    `seconds` each process deletes the expired ones as part of a write it makes anyway.
    """

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.time):
        if limit < 1:
            raise ValueError("a window allows at least one hit")
        self.limit = limit
        self.seconds = seconds
        self._clock = clock
        self._next_prune = 0.0

    def wait(self, session: Session, *keys: str) -> int:
        """Whole seconds until one more hit is allowed under every key; 0 when it is now."""
        now = self._clock()
        since = _moment(now - self.seconds)
        rows = session.execute(
            select(Hit.key, Hit.at).where(Hit.key.in_(keys), Hit.at > since)
        ).all()
        wait = 0.0
        for key in keys:
            moments = sorted((at.timestamp() for k, at in rows if k == key), reverse=True)
            if len(moments) >= self.limit:
                # The limit-th latest hit leaves the window first among those that count.
                wait = max(wait, moments[self.limit - 1] + self.seconds - now)
        return int(wait) + 1 if wait > 0 else 0

    def add(self, session: Session, *keys: str) -> None:
        """Count a hit under each key, in the session's write transaction (not committed)."""
        now = self._clock()
        at, expires_at = _moment(now), _moment(now + self.seconds)
        session.execute(
            insert(Hit), [{"key": k, "at": at, "expires_at": expires_at} for k in keys]
        )
        if now >= self._next_prune:
            session.execute(delete(Hit).where(Hit.expires_at <= at))
            self._next_prune = now + self.seconds

    def clear(self, session: Session, key: str) -> None:
        session.execute(delete(Hit).where(Hit.key == key))


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class LoginThrottle:
    """Failed sign-ins per account and per address, and wrong signing passwords per account
    (a key of their own, so that failing to sign in under a mayor's e-mail never keeps the
    signed-in mayor from signing): `burst` failures in the window give 429 until the oldest
    of them leaves it. Refused attempts are not counted, so a flood of invented usernames
    from one address adds at most `burst` rows a window."""

    def __init__(
        self, burst: int, window_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.window = Window(burst, window_seconds, clock)

    @property
    def burst(self) -> int:
        return self.window.limit

    def retry_after(self, session: Session, *keys: str) -> int:
        """Seconds until another try is allowed, or 0 when it is allowed now (a read)."""
        return self.window.wait(session, *keys)

    def failed(self, session: Session, *keys: str) -> None:
        """Count a failure under each key, committed in a transaction of its own (the
        session's read transaction, if any, is ended first)."""
        session.rollback()
        begin_write(session)
        self.window.add(session, *keys)
        session.commit()

    def succeeded(self, session: Session, key: str) -> None:
        """Forget the key's failures (the account's, after its right password)."""
        session.rollback()
        begin_write(session)
        self.window.clear(session, key)
        session.commit()


class ResetThrottle:
    """Links to set a new password asked for: at most `per_email` per e-mail address and
    `per_client` per client address in the window. Every request counts, whether an account
    has the address or not, so the answer says nothing about who has one."""

    def __init__(
        self,
        per_email: int,
        per_client: int,
        window_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.email = Window(per_email, window_seconds, clock)
        self.client = Window(per_client, window_seconds, clock)

    def spend(self, session: Session, *, email: str, client: str) -> None:
        """Count one request in the session's write transaction (committed with it), or raise
        429 `reset_throttled` and count nothing."""
        email_key, client_key = f"reset:{email}", f"reset-from:{client}"
        wait = max(self.email.wait(session, email_key), self.client.wait(session, client_key))
        if wait:
            session.rollback()
            raise TooManyRequests(
                f"Too many links asked for. Try again in {wait} seconds.",
                code="reset_throttled",
                retry_after=wait,
            )
        self.email.add(session, email_key)
        self.client.add(session, client_key)


class WriteLimits:
    """At most `limits[action]` writes of an action per user in any `window` seconds, counted
    across every worker: the count and the new hit are made under a lock of the user's key."""

    def __init__(
        self,
        limits: Mapping[str, int],
        window_seconds: float = 60,
        clock: Callable[[], float] = time.time,
    ):
        self.window = window_seconds
        self.windows = {
            action: Window(limit, window_seconds, clock) for action, limit in limits.items()
        }

    def spend(self, session: Session, action: str, user_id: int) -> None:
        """Count one write of `action` by the user, committed before the write itself (a
        refused write still counts, so a script cannot probe without limit); or raise 429
        `rate_limited` and count nothing. Called before the use-case's first read."""
        window, key = self.windows[action], f"{action}:{user_id}"
        begin_write(session)
        lock_name(session, key)
        wait = window.wait(session, key)
        if wait:
            session.rollback()
            raise TooManyRequests(
                f"You have written {window.limit} {_WORDS.get(action, action)} in the last "
                f"{self.window:g} seconds, the most allowed. Try again in {wait} seconds.",
                code="rate_limited",
                retry_after=wait,
            )
        window.add(session, key)
        session.commit()
