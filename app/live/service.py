"""Opening a declaration's stream: the declaration must exist; a reconnecting client gets what
it missed."""

from sqlalchemy.orm import Session, sessionmaker

from app.declarations.service import get_declaration
from app.live.events import LiveEvent, events_after


def open_stream(
    sessions: sessionmaker[Session], *, declaration_id: int, last_event_id: int | None
) -> list[LiveEvent]:
    """The events after `last_event_id` (none without it); 404 for an unknown declaration."""
    with sessions() as session:
        get_declaration(session, declaration_id)
        if last_event_id is None:
            return []
        return events_after(session, declaration_id, last_event_id)
