"""One process's watchers, by declaration: told of committed events once per process (one read
of the events, whatever the number of watchers), each through a bounded queue of its own."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from anyio import to_thread

from app.live.events import LiveEvent

logger = logging.getLogger(__name__)

# A watcher this far behind is a dead or stuck connection: it is ended, and its browser
# reconnects with Last-Event-ID and catches up from the database.
QUEUE = 256
END = None  # put in a watcher's queue: the stream ends (account changed, shutdown)


@dataclass(eq=False)
class Watcher:
    declaration_id: int
    user_id: int
    queue: asyncio.Queue[LiveEvent | None] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE)
    )

    def offer(self, event: LiveEvent | None) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.end()

    def end(self) -> None:
        while True:  # make room for the end, whatever is queued
            try:
                self.queue.put_nowait(END)
                return
            except asyncio.QueueFull:
                self.queue.get_nowait()


class Hub:
    """Watchers of this process. `publish` and `user_changed` may be called from any thread;
    `read` (ids -> events, from the database) runs in a worker thread."""

    def __init__(self, read: Callable[[list[int]], list[LiveEvent]]):
        self._read = read
        self._watchers: dict[int, set[Watcher]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def stop(self) -> None:
        for watchers in list(self._watchers.values()):
            for watcher in list(watchers):
                watcher.end()
        self._loop = None

    def watch(self, declaration_id: int, user_id: int) -> Watcher:
        watcher = Watcher(declaration_id, user_id)
        self._watchers.setdefault(declaration_id, set()).add(watcher)
        return watcher

    def leave(self, watcher: Watcher) -> None:
        watchers = self._watchers.get(watcher.declaration_id)
        if watchers is not None:
            watchers.discard(watcher)
            if not watchers:
                del self._watchers[watcher.declaration_id]

    def watching(self) -> int:
        return sum(len(w) for w in self._watchers.values())

    def publish(self, declaration_id: int, event_ids: list[int]) -> None:
        """Committed events of a declaration: read once, given to each of its watchers."""
        loop = self._loop
        if loop is None or not event_ids:
            return
        loop.call_soon_threadsafe(self._publish, declaration_id, event_ids)

    def user_changed(self, user_id: int) -> None:
        """The account changed (deactivated, new password, new role): its streams end; a
        reconnection is authorised afresh."""
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._end_user, user_id)

    def _publish(self, declaration_id: int, event_ids: list[int]) -> None:
        if self._watchers.get(declaration_id):
            task = asyncio.ensure_future(self._deliver(declaration_id, event_ids))
            task.add_done_callback(_log_failure)

    async def _deliver(self, declaration_id: int, event_ids: list[int]) -> None:
        events = await to_thread.run_sync(self._read, event_ids)
        for watcher in list(self._watchers.get(declaration_id, ())):
            for event in events:
                watcher.offer(event)

    def _end_user(self, user_id: int) -> None:
        for watchers in list(self._watchers.values()):
            for watcher in list(watchers):
                if watcher.user_id == user_id:
                    watcher.end()


def _log_failure(task: "asyncio.Task[None]") -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("live events were not delivered", exc_info=task.exception())
