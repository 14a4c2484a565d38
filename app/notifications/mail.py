"""Notices by e-mail: a sender on a thread of its own in each app process, reading the mail
queue that actions write into their own transaction. A mail server that is down or slow
therefore never fails or slows an action: the sender retries with a doubling wait, records
every attempt, and gives a mail up after `mail_attempts` failures.

Several processes share one queue: each claims the mails it sends by moving their next
attempt a lease ahead (a conditional update only one of them wins)."""

import logging
import queue
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import User
from app.db import begin_write, utcnow
from app.notifications.models import Mail, MailAttempt, Notification
from app.settings import Settings

logger = logging.getLogger(__name__)

BATCH = 50  # mails claimed, and sent over one connection, at a time
LEASE = timedelta(minutes=5)  # a claimed mail is another sender's again after this
LONGEST_WAIT = timedelta(hours=1)
SMTP_TIMEOUT = 20  # seconds, for each exchange with the server
_SUBJECTS = {
    "amendment.decided": "Your city's amendment was decided",
    "amendment.merged": "Your city's amendment was merged",
    "comment.reply": "A reply to your comment",
    "endorsement.open": "A declaration is open for your signature",
}


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    tls: str  # "none", "ssl" (smtps) or "starttls"
    user: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> "Server":
        parts = urlsplit(url)
        tls = {"smtp": "none", "smtps": "ssl", "smtp+starttls": "starttls"}.get(parts.scheme)
        if tls is None or not parts.hostname:
            raise ValueError("CONCORD_SMTP_URL is smtp://, smtps:// or smtp+starttls://host:port")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls == "ssl" else 25),
            tls=tls,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    def connect(self) -> smtplib.SMTP:
        if self.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
        try:
            if self.tls == "starttls":
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


class MailSender:
    """Sends what is due every `mail_poll_seconds`, on a daemon thread; `send_due` is one
    round (the tests call it too)."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]):
        assert settings.smtp_url is not None
        self.server = Server.from_url(settings.smtp_url.get_secret_value())
        self._settings = settings
        self._sessions = sessions
        # Links open where browsers reach the platform: its public origin unless told otherwise.
        self.base_url = (settings.public_url or settings.origin).rstrip("/")
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._posted: queue.SimpleQueue[EmailMessage] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="concord-mail", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(SMTP_TIMEOUT + 5)
            self._thread = None

    def _run(self) -> None:
        while True:
            self._wake.wait(self._settings.mail_poll_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self.send_posted()
                while self.send_due() == BATCH and not self._stop.is_set():
                    pass
            except Exception:
                logger.exception("the mail sender failed; it tries again")

    def post(self, *, to: tuple[str, str], subject: str, body: str) -> None:
        """A mail that must not wait in the database (it carries a secret: a link to set a
        password): kept in this process only and sent at once, by the sender's thread. Should
        the server be down it is lost, and the person asks again."""
        self._posted.put(self._message(to=to, subject=subject, body=body))
        self._wake.set()

    def send_posted(self) -> int:
        """Sends the mails `post` holds, over one connection; answers how many it tried."""
        letters = []
        while True:
            try:
                letters.append(self._posted.get_nowait())
            except queue.Empty:
                break
        if not letters:
            return 0
        results = self._send(list(enumerate(letters)))
        for number, error in results.items():
            if error is not None:
                logger.warning("a mail to %s was not sent: %s", letters[number]["To"], error)
        return len(letters)

    def send_due(self) -> int:
        """Claims up to BATCH due mails, sends them over one connection, records each attempt.
        Answers how many it claimed."""
        with self._sessions() as session:
            claimed = _claim(session, utcnow())
            if not claimed:
                return 0
            letters = self._letters(session, claimed)
        results = self._send(letters)
        with self._sessions() as session:
            self._record(session, results)
        return len(claimed)

    def _send(self, letters: list[tuple[int, EmailMessage | None]]) -> dict[int, str | None]:
        """mail id -> None when the server took it, else why not."""
        results: dict[int, str | None] = {}
        try:
            smtp = self.server.connect()
        except (OSError, smtplib.SMTPException) as error:
            return {mail_id: _why(error) for mail_id, _ in letters}
        try:
            for mail_id, letter in letters:
                if letter is None:
                    results[mail_id] = "the account has no active address"
                    continue
                try:
                    smtp.send_message(letter)
                    results[mail_id] = None
                except smtplib.SMTPServerDisconnected as error:
                    results[mail_id] = _why(error)
                    break
                except (OSError, smtplib.SMTPException) as error:
                    results[mail_id] = _why(error)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        # What a dropped connection left unsent is tried again, as a failure.
        for mail_id, _ in letters:
            results.setdefault(mail_id, "the connection ended before it was sent")
        return results

    def _record(self, session: Session, results: dict[int, str | None]) -> None:
        begin_write(session)
        now = utcnow()
        mails = session.scalars(select(Mail).where(Mail.id.in_(results))).all()
        for mail in mails:
            error = results[mail.id]
            mail.attempts += 1
            session.add(MailAttempt(mail_id=mail.id, at=now, ok=error is None, error=error))
            if error is None:
                mail.state, mail.sent_at = "sent", now
            elif mail.attempts >= self._settings.mail_attempts:
                mail.state = "failed"
            else:
                mail.next_attempt_at = now + self.backoff(mail.attempts)
        session.commit()

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure: doubling from mail_retry_seconds, at most
        an hour."""
        wait = timedelta(seconds=self._settings.mail_retry_seconds * 2 ** (attempts - 1))
        return min(wait, LONGEST_WAIT)

    def _letters(
        self, session: Session, mail_ids: list[int]
    ) -> list[tuple[int, EmailMessage | None]]:
        """Each claimed mail's message; None for an account since deactivated."""
        rows = session.execute(
            select(Mail.id, Notification, User)
            .join(Notification, Notification.id == Mail.notification_id)
            .join(User, User.id == Notification.user_id)
            .where(Mail.id.in_(mail_ids))
            .order_by(Mail.id)
        ).all()
        return [
            (mail_id, self.letter(notification, user) if user.active else None)
            for mail_id, notification, user in rows
        ]

    def letter(self, notification: Notification, user: User) -> EmailMessage:
        return self._message(
            to=(user.name, user.email),
            subject=_SUBJECTS[notification.kind],
            body=f"{notification.text}\n\n{self.base_url}{notification.link}\n\n"
            "You receive this because of your part in a Concord negotiation.\n",
        )

    def _message(self, *, to: tuple[str, str], subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._settings.mail_from
        message["To"] = formataddr(to)
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="concord")
        message.set_content(body)
        return message


def _claim(session: Session, now: datetime) -> list[int]:
    """Due queued mails this sender wins: each moved a lease ahead by one conditional update,
    which skips a mail another sender's claim moved first (it is no longer due)."""
    begin_write(session)
    due = (
        select(Mail.id)
        .where(Mail.state == "queued", Mail.next_attempt_at <= now)
        .order_by(Mail.next_attempt_at, Mail.id)
        .limit(BATCH)
    )
    claimed = session.scalars(
        update(Mail)
        .where(
            Mail.id.in_(due.scalar_subquery()),
            Mail.state == "queued",
            Mail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
        .returning(Mail.id)
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    return sorted(claimed)


def _why(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]
