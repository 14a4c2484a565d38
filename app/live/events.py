"""What a watcher of a declaration is told: audit events named as the stream's types, each
saying what changed (type, target, who, when) and nothing more."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.audit.models import Event
from app.auth.models import User

# Audit action -> the stream's event type. Actions not named here are not streamed.
TYPES = {
    "version.create": "version.created",
    "amendment.propose": "amendment.proposed",
    "amendment.support": "amendment.supported",
    "amendment.unsupport": "amendment.supported",
    "amendment.withdrawn": "amendment.withdrawn",
    "amendment.accepted": "amendment.decided",
    "amendment.rejected": "amendment.decided",
    "amendment.proposed": "amendment.decided",  # reopened
    "amendment.obsolete": "amendment.decided",
    "amendment.merged": "amendment.merged",
    "comment.create": "comment.created",
    "comment.edit": "comment.edited",
    "comment.resolve": "comment.resolved",
    "declaration.finalize": "declaration.status",
    "endorsement.open": "declaration.status",
    "endorsement.close": "declaration.status",
    "signature.sign": "signature.added",
    "signature.withdraw": "signature.withdrawn",
}
# At most this many missed events are sent to a client that reconnects; it reloads the rest.
BACKLOG = 1000
# An event takes its id when its transaction writes it and is seen when that transaction
# commits, so one with a smaller id can commit after a client saw a larger one. A reconnecting
# client is sent again what was recorded up to this long before the last event it saw (not that
# one): delivery is at least once, and the client knows the ids it has.
LATE_COMMIT = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class LiveEvent:
    id: int
    type: str
    declaration_id: int
    target: dict[str, Any]
    actor: dict[str, Any] | None
    at: datetime

    def frame(self) -> bytes:
        """The event as the stream sends it (`event:`, `id:`, `data:` and a blank line)."""
        data = {
            "type": self.type,
            "declaration_id": self.declaration_id,
            "target": self.target,
            "actor": self.actor,
            "at": self.at.isoformat(),
        }
        return f"event: {self.type}\nid: {self.id}\ndata: {_json(data)}\n\n".encode()


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _query():
    return (
        select(Event, User.name)
        .outerjoin(User, User.id == Event.actor_id)
        .where(Event.action.in_(TYPES))
        .order_by(Event.id)
    )


def events_by_id(session: Session, ids: list[int]) -> list[LiveEvent]:
    """The streamable events among `ids` (one declaration's, just committed)."""
    return [_live(e, name) for e, name in session.execute(_query().where(Event.id.in_(ids)))]


def events_after(session: Session, declaration_id: int, after: int) -> list[LiveEvent]:
    """The declaration's streamable events after id `after` (what a reconnecting client
    missed), with those recorded up to LATE_COMMIT before it, at most BACKLOG of the latest."""
    newer = Event.id > after
    seen_at = session.scalar(select(Event.created_at).where(Event.id == after))
    if seen_at is not None:
        newer = or_(newer, and_(Event.id < after, Event.created_at >= seen_at - LATE_COMMIT))
    query = _query().where(Event.declaration_id == declaration_id, newer)
    rows = session.execute(query.order_by(None).order_by(Event.id.desc()).limit(BACKLOG)).all()
    return [_live(e, name) for e, name in reversed(rows)]


def _live(event: Event, actor_name: str | None) -> LiveEvent:
    # The target and who acted are what every signed-in reader sees on the declaration's
    # pages anyway; the audit's before/after (co-facilitators' and the secretariat's) never go.
    target_id: Any = int(event.target_id) if event.target_id.isdigit() else event.target_id
    return LiveEvent(
        id=event.id,
        type=TYPES[event.action],
        declaration_id=event.declaration_id or 0,
        target={"type": event.target_type, "id": target_id},
        actor={"id": event.actor_id, "name": actor_name} if event.actor_id else None,
        at=event.created_at,
    )
