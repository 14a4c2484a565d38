"""'Forgot password': a link by e-mail to set a new password.

Asking answers the same whether or not the address has an account (nobody learns who has
one), and is throttled per address and per client in the database. The link's token is random
(256 bits); only its SHA-256 is stored. It serves once, for `reset_minutes`, and only while the
account's password is the one it had when the link was asked for (any password change or a
deactivation bumps `token_version` and ends it). Setting the new password ends every sign-in of
the account and drops it from every worker's cache (the audit event names the account)."""

import hashlib
import secrets
from datetime import timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth.models import PasswordReset, User
from app.auth.security import Passwords
from app.cache import UserCache
from app.db import begin_write, utcnow
from app.errors import Conflict, NotFound
from app.ratelimit import ResetThrottle

PATH = "/reset-password"  # the SPA's page the link opens; the token follows in the fragment
ASKED = (
    "If an account has this address, a link to set a new password is on its way to it. "
    "It works once, within {minutes} minutes."
)


class Outbox(Protocol):
    """Where the link goes: the platform's mail sender (app/notifications/mail.py)."""

    base_url: str

    def post(self, *, to: tuple[str, str], subject: str, body: str) -> None: ...


def unavailable() -> Conflict:
    return Conflict(
        "This platform sends no e-mail, so it cannot send a link to set a new password: ask "
        "the conference secretariat to set one for you.",
        code="password_reset_unavailable",
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ask(
    session: Session,
    *,
    outbox: Outbox | None,
    throttle: ResetThrottle,
    minutes: int,
    email: str,
    address: str,
) -> str:
    """Send a link to the account with this address, if there is one; the answer's sentence
    is the same either way. Every request counts against the address and the client."""
    if outbox is None:
        raise unavailable()
    email = email.strip().lower()
    begin_write(session)
    throttle.spend(session, email=email, client=address)
    user = session.scalar(select(User).where(User.email == email, User.active))
    token = None
    if user is not None:
        token = secrets.token_urlsafe(32)
        session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=token_hash(token),
                token_version=user.token_version,
                expires_at=utcnow() + timedelta(minutes=minutes),
            )
        )
        to = (user.name, user.email)
    session.commit()
    if token is not None:
        letter = _letter(outbox, token, minutes)
        outbox.post(to=to, subject="Set a new Concord password", body=letter)
    return ASKED.format(minutes=minutes)


def _letter(outbox: Outbox, token: str, minutes: int) -> str:
    return (
        "Someone — we hope you — asked to set a new password for your Concord account.\n\n"
        f"Open this link within {minutes} minutes to choose it (it works once):\n\n"
        f"{outbox.base_url}{PATH}#token={token}\n\n"
        "If you did not ask, ignore this mail: your password stays as it is.\n"
    )


def reset(
    session: Session,
    *,
    passwords: Passwords,
    user_cache: UserCache,
    token: str,
    password: str,
) -> None:
    """Set the account's new password with a link's token; the link is then spent, and every
    sign-in of the account ends."""
    password_hash = passwords.hash(password)  # slow: before the write lock
    begin_write(session)
    link = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    )
    user = session.get(User, link.user_id) if link is not None else None
    if link is None or user is None:
        raise NotFound(
            "This link to set a new password is not known: ask for a new one.",
            code="reset_link_unknown",
        )
    if link.used_at is not None:
        raise _refused("This link was used already: ask for a new one.")
    if link.expires_at <= utcnow():
        raise _refused("This link has expired: ask for a new one.")
    if not user.active or user.token_version != link.token_version:
        raise _refused("The password was changed since this link was sent: ask for a new one.")
    link.used_at = utcnow()
    user.password_hash = password_hash
    user.token_version += 1
    record(
        session,
        actor=user,
        action="user.password_reset",
        target=("user", user.id),
        after={"password_changed": True},
    )
    session.commit()
    user_cache.forget(user.id)


def _refused(sentence: str) -> Conflict:
    return Conflict(sentence, code="reset_link_invalid")
