"""One notice to one account, and the e-mails that carry notices."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow

KINDS = ("amendment.decided", "amendment.merged", "comment.reply", "endorsement.open")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("kind IN " + str(KINDS), name="kind"),
        # A reader's notices are listed newest first and counted unread: one index range.
        Index("ix_notifications_user_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declarations.id"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The sentence and the SPA's path, fixed when it happens (a later title does not rewrite it).
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class Mail(Base):
    """A notice waiting to go, or gone, by e-mail: written with the notice, sent by the
    process's sender (app/notifications/mail.py), retried with backoff until it goes or
    `CONCORD_MAIL_ATTEMPTS` fail."""

    __tablename__ = "mail_queue"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'sent', 'failed')", name="state"),
        # The sender reads what is due: queued, by time.
        Index("ix_mail_queue_state_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MailAttempt(Base):
    """Every conversation with the mail server about one mail, and how it ended."""

    __tablename__ = "mail_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mail_queue.id"), index=True)
    at: Mapped[datetime]
    ok: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)
