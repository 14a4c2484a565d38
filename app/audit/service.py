"""Writing and reading audit events; every state change calls `record` in its transaction.

Each session remembers the events it recorded (`recorded`), so that once its transaction
commits they can be told to whoever watches their declaration (app/live)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.audit.models import Event

if TYPE_CHECKING:
    from app.auth.models import User


def record(
    session: Session,
    *,
    actor: "User | None",
    action: str,
    target: tuple[str, object],
    declaration_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    event = Event(
        **event_row(
            actor=actor,
            action=action,
            target=target,
            declaration_id=declaration_id,
            before=before,
            after=after,
        )
    )
    session.add(event)
    _pending(session).append(event)


def record_all(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Several events (rows from `event_row`) in one multi-row insert."""
    if rows:
        ids = session.scalars(
            insert(Event.__table__).returning(Event.id, sort_by_parameter_order=True), list(rows)
        ).all()
        _pending(session).extend(
            (row["declaration_id"], event_id, row["target_type"], row["target_id"])
            for row, event_id in zip(rows, ids, strict=True)
        )


_PENDING = "audit.pending"


def _pending(session: Session) -> list[Any]:
    return session.info.setdefault(_PENDING, [])


@dataclass(frozen=True)
class Recorded:
    """What a committed transaction recorded: event ids by declaration, and the accounts it
    changed (whose cached copies every worker must drop)."""

    declarations: dict[int, list[int]]
    users: frozenset[int]


def recorded(session: Session) -> Recorded:
    """What the session recorded since it last took it (the session must be flushed); the
    session forgets it."""
    declarations: dict[int, list[int]] = {}
    users = set()
    for item in session.info.pop(_PENDING, ()):
        if isinstance(item, Event):
            item = (item.declaration_id, item.id, item.target_type, item.target_id)
        declaration_id, event_id, target_type, target_id = item
        if declaration_id is not None and event_id is not None:
            declarations.setdefault(declaration_id, []).append(event_id)
        if target_type == "user" and str(target_id).isdigit():
            users.add(int(target_id))
    return Recorded(declarations, frozenset(users))


def forget_recorded(session: Session) -> None:
    """The transaction was rolled back: what it recorded never happened."""
    session.info.pop(_PENDING, None)


def event_row(
    *,
    actor: "User | None",
    action: str,
    target: tuple[str, object],
    declaration_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> dict[str, Any]:
    return {
        "declaration_id": declaration_id,
        "actor_id": actor.id if actor else None,
        "action": action,
        "target_type": target[0],
        "target_id": str(target[1]),
        "before": _jsonable(before),
        "after": _jsonable(after),
    }


def list_events(
    session: Session, *, declaration_id: int, limit: int, offset: int
) -> tuple[list[Event], int]:
    query = select(Event).where(Event.declaration_id == declaration_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = session.scalars(query.order_by(Event.id).limit(limit).offset(offset)).all()
    return list(events), total


def _jsonable(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    value = to_jsonable_python(value)
    return value if isinstance(value, dict) else {"value": value}
