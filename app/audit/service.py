"""Writing and reading audit events; every state change calls `record` in its transaction."""

from collections.abc import Sequence
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
    session.add(
        Event(
            **event_row(
                actor=actor,
                action=action,
                target=target,
                declaration_id=declaration_id,
                before=before,
                after=after,
            )
        )
    )


def record_all(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Several events (rows from `event_row`) in one multi-row insert."""
    if rows:
        session.execute(insert(Event.__table__), list(rows))


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
