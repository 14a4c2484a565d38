"""Writing notices in the transaction of the action that causes them, and reading one's own.

Each insert is one statement, whatever the number of readers (every mayor when a text opens for
signature). When the platform sends mail, each notice's mail is queued in the same transaction
(app/notifications/mail.py sends it)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, insert, literal, select, update
from sqlalchemy.orm import Session

from app.auth.models import CITY_ROLES, Role, User
from app.db import begin_write, utcnow
from app.declarations.models import Declaration
from app.notifications.models import Mail, Notification

# Set in a session's info when the platform sends mail (AppContext.build).
MAIL = "notifications.mail"


@dataclass(frozen=True)
class Notice:
    kind: str
    declaration_id: int
    target: tuple[str, int]
    text: str
    link: str


def title_of(session: Session, declaration_id: int) -> str:
    return session.scalar(select(Declaration.title).where(Declaration.id == declaration_id)) or ""


def notify_user(session: Session, *, user_id: int, actor: User | None, notice: Notice) -> None:
    if actor is None or user_id != actor.id:
        _insert(session, select(User.id).where(User.id == user_id, User.active), actor, notice)


def notify_city(session: Session, *, city_id: int, actor: User | None, notice: Notice) -> None:
    """Every active delegate and mayor of the city, but the one who acted."""
    readers = select(User.id).where(User.city_id == city_id, User.role.in_(CITY_ROLES), User.active)
    if actor is not None:
        readers = readers.where(User.id != actor.id)
    _insert(session, readers, actor, notice)


def notify_mayors(session: Session, *, actor: User | None, notice: Notice) -> None:
    readers = select(User.id).where(User.role == Role.mayor, User.active)
    _insert(session, readers, actor, notice)


def _insert(session: Session, readers: Select, actor: User | None, notice: Notice) -> None:
    columns = ("user_id", "kind", "declaration_id", "target_type", "target_id", "actor_id")
    columns += ("text", "link", "created_at")
    values = (
        literal(notice.kind),
        literal(notice.declaration_id),
        literal(notice.target[0]),
        literal(notice.target[1]),
        literal(actor.id if actor else None),
        literal(notice.text),
        literal(notice.link),
        literal(utcnow(), Notification.created_at.type),
    )
    rows = readers.add_columns(*values)
    ids = session.scalars(
        insert(Notification).from_select(columns, rows).returning(Notification.id)
    ).all()
    _queue_mail(session, ids)


def _queue_mail(session: Session, notification_ids: Sequence[int]) -> None:
    if notification_ids and session.info.get(MAIL):
        now = utcnow()
        session.execute(
            insert(Mail),
            [{"notification_id": i, "next_attempt_at": now} for i in notification_ids],
        )


def list_notifications(
    session: Session, *, user: User, unread_only: bool, limit: int, offset: int
) -> tuple[list[Notification], int, int]:
    """The reader's notices, newest first; with their total and how many are unread."""
    mine = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        mine = mine.where(Notification.read_at.is_(None))
    total = _count(session, mine)
    unread = total if unread_only else unread_count(session, user=user)
    items = session.scalars(mine.order_by(Notification.id.desc()).limit(limit).offset(offset))
    return list(items), total, unread


def unread_count(session: Session, *, user: User) -> int:
    query = select(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return _count(session, query)


def _count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def mark_read(session: Session, *, user: User, ids: Iterable[int] | None) -> int:
    """Marks the reader's own notices read (all of them when `ids` is None); others' ids are
    ignored. Answers how many stay unread."""
    begin_write(session)
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    session.commit()
    return unread_count(session, user=user)


def _insert_rows(session: Session, rows: list[dict]) -> None:
    if rows:
        ids = session.scalars(
            insert(Notification).returning(Notification.id, sort_by_parameter_order=True), rows
        ).all()
        _queue_mail(session, ids)


# What causes a notice, and its sentence: called by the services in their transaction.


def amendment_decided(
    session: Session,
    *,
    actor: User,
    amendment_id: int,
    declaration_id: int,
    city_id: int,
    paragraph_key: str | None,
    status: str,
    note: str | None,
) -> None:
    """The city's delegation learns what the co-facilitators decided on its amendment."""
    title = title_of(session, declaration_id)
    verb = "reopened" if status == "proposed" else status
    text = f"Your city's amendment {amendment_id} to “{title}” was {verb}."
    if note:
        text += f" Note: {note}"
    notice = Notice(
        "amendment.decided",
        declaration_id,
        ("amendment", amendment_id),
        text,
        _paragraph_link(declaration_id, paragraph_key),
    )
    notify_city(session, city_id=city_id, actor=actor, notice=notice)


def amendments_merged(
    session: Session,
    *,
    actor: User,
    declaration_id: int,
    version: int,
    amendments: list[tuple[int, int, str | None]],
) -> None:
    """Each amendment's city (amendments: id, city id, paragraph key) learns that it is in the
    new version: one insert for all of them."""
    title = title_of(session, declaration_id)
    cities = {city_id for _, city_id, _ in amendments}
    readers = session.execute(
        select(User.id, User.city_id).where(
            User.city_id.in_(cities), User.role.in_(CITY_ROLES), User.active, User.id != actor.id
        )
    ).all()
    now = utcnow()
    rows = [
        {
            "user_id": user_id,
            "kind": "amendment.merged",
            "declaration_id": declaration_id,
            "target_type": "amendment",
            "target_id": amendment_id,
            "actor_id": actor.id,
            "text": f"Your city's amendment {amendment_id} is merged into version {version} "
            f"of “{title}”.",
            "link": _paragraph_link(declaration_id, key),
            "created_at": now,
        }
        for amendment_id, city_id, key in amendments
        for user_id, reader_city in readers
        if reader_city == city_id
    ]
    _insert_rows(session, rows)


def comment_replied(
    session: Session,
    *,
    actor: User,
    to_user_id: int,
    comment_id: int,
    declaration_id: int,
    paragraph_key: str,
) -> None:
    title = title_of(session, declaration_id)
    notice = Notice(
        "comment.reply",
        declaration_id,
        ("comment", comment_id),
        f"{actor.name} replied to your comment on “{title}”.",
        _paragraph_link(declaration_id, paragraph_key),
    )
    notify_user(session, user_id=to_user_id, actor=actor, notice=notice)


def endorsement_opened(session: Session, *, actor: User, declaration_id: int) -> None:
    """Every mayor: the text is open for signature, with the way to sign it."""
    title = title_of(session, declaration_id)
    notice = Notice(
        "endorsement.open",
        declaration_id,
        ("declaration", declaration_id),
        f"“{title}” is open for signature.",
        f"/declarations/{declaration_id}/endorsement",
    )
    notify_mayors(session, actor=actor, notice=notice)


def _paragraph_link(declaration_id: int, key: str | None) -> str:
    """The reading view of the head, its margin open at the paragraph."""
    path = f"/declarations/{declaration_id}"
    return f"{path}?p={key}" if key else path
