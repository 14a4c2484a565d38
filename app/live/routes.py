"""The live stream of a declaration (Server-Sent Events)."""

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Header
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from app.deps import ContextDep, CurrentUser
from app.errors import error_responses
from app.live import service
from app.live.events import LiveEvent
from app.live.hub import Hub, Watcher
from app.routing import APIRouter

router = APIRouter(tags=["live"])

_STREAM = {
    200: {
        "description": "`text/event-stream`: `event: <type>`, `id: <audit event id>`, "
        "`data: {type, declaration_id, target, actor, at}`; a comment every 15 s.",
        # One event of the stream, as OpenAPI 3.2 describes Server-Sent Events.
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "event": {"type": "string"},
                        "id": {"type": "string"},
                        "data": {"type": "string", "contentMediaType": "application/json"},
                        "retry": {"type": "integer"},
                    },
                }
            }
        },
    }
}


@router.get(
    "/declarations/{declaration_id}/stream",
    response_class=StreamingResponse,
    responses={**_STREAM, **error_responses(401, 404, 422)},
)
async def stream(
    context: ContextDep,
    user: CurrentUser,
    declaration_id: int,
    last_event_id: Annotated[int | None, Header(ge=0, le=2**62)] = None,
) -> StreamingResponse:
    """What happens to the declaration, as it happens (Server-Sent Events; resumable with
    Last-Event-ID)."""
    hub = context.live.hub
    # Watch before reading what was missed, so that nothing falls between the two.
    watcher = hub.watch(declaration_id, user.id)
    try:
        backlog = await run_in_threadpool(
            service.open_stream,
            context.sessionmaker,
            declaration_id=declaration_id,
            last_event_id=last_event_id,
        )
    except BaseException:
        hub.leave(watcher)
        raise
    settings = context.settings
    frames = _frames(
        hub, watcher, backlog, settings.stream_heartbeat_seconds, settings.stream_seconds
    )
    return StreamingResponse(
        frames,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _frames(
    hub: Hub, watcher: Watcher, backlog: list[LiveEvent], heartbeat: float, lifetime: float
) -> AsyncIterator[bytes]:
    """The stream's bytes: no thread and no database connection is held while it waits."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + lifetime
    sent = {event.id for event in backlog}  # told live as well, if committed meanwhile
    try:
        yield b"retry: 2000\n\n"
        for event in backlog:
            yield event.frame()
        while (remaining := deadline - loop.time()) > 0:
            try:
                event = await asyncio.wait_for(watcher.queue.get(), min(heartbeat, remaining))
            except TimeoutError:
                yield b": keep-alive\n\n"
                continue
            if event is None:
                return
            if event.id not in sent:
                yield event.frame()
    finally:
        hub.leave(watcher)
