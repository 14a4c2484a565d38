"""The signed-in reader's notices."""

from app.deps import CurrentUser, SessionDep
from app.errors import error_responses
from app.notifications import service
from app.notifications.schemas import MarkRead, NotificationOut, Notifications, Unread
from app.routing import APIRouter
from app.schemas import page_params

router = APIRouter(tags=["notifications"])


@router.get("/me/notifications", response_model=Notifications, responses=error_responses(401))
def list_notifications(
    session: SessionDep, user: CurrentUser, unread: bool = False, limit: int = 50, offset: int = 0
) -> Notifications:
    """What concerns me, newest first (paginated), and how many I have not read."""
    limit, offset = page_params(limit, offset)
    items, total, unread_count = service.list_notifications(
        session, user=user, unread_only=unread, limit=limit, offset=offset
    )
    return Notifications(
        items=[NotificationOut.model_validate(n) for n in items],
        total=total,
        unread=unread_count,
        limit=limit,
        offset=offset,
    )


@router.post("/me/notifications/read", response_model=Unread, responses=error_responses(401, 422))
def mark_read(session: SessionDep, user: CurrentUser, body: MarkRead) -> Unread:
    """Mark my notices read (`ids`, or `all: true`); answers how many stay unread."""
    return Unread(unread=service.mark_read(session, user=user, ids=None if body.all else body.ids))
