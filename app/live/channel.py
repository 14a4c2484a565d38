"""How committed events and account changes reach every worker: a transaction that recorded
them sends a PostgreSQL NOTIFY as it commits (delivered only if it commits, to every process
listening, this one included); each process listens on one connection of its own (psycopg's
async connection) and hands what it hears to its hub and its user cache. On SQLite there is
one machine and, for live events, one process: a commit tells the process's hub itself."""

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import psycopg
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.audit.service import Recorded, forget_recorded, recorded
from app.cache import UserCache
from app.live.events import events_by_id
from app.live.hub import Hub

logger = logging.getLogger(__name__)

CHANNEL = "concord_live"
_IDS_PER_MESSAGE = 500  # a NOTIFY payload holds under 8,000 bytes


class LiveRoom:
    """The process's hub, fed by its sessions' commits (SQLite) or by its listener
    (PostgreSQL)."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session], users: UserCache):
        self.postgres = engine.dialect.name == "postgresql"
        self._url = engine.url
        self._users = users
        self._sessions = sessions
        self.hub = Hub(self._read)
        self._listening: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()
        watch_commits(sessions, self)

    def _read(self, ids: list[int]):
        with self._sessions() as session:
            return events_by_id(session, ids)

    async def start(self) -> None:
        self.hub.start(asyncio.get_running_loop())
        if self.postgres:
            self.listening = asyncio.Event()
            self._listening = asyncio.create_task(self._listen())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.listening.wait(), 10)

    async def stop(self) -> None:
        self.hub.stop()
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening

    def heard(self, message: str) -> None:
        """A message of the channel (ours or another worker's)."""
        kind, _, rest = message.partition(":")
        if kind == "u":
            self._user_changed(int(rest))
        elif kind == "d":
            declaration, _, ids = rest.partition(":")
            self.hub.publish(int(declaration), [int(i) for i in ids.split(",") if i])

    def committed(self, what: Recorded) -> None:
        """Told in-process, after a commit (SQLite)."""
        for user_id in what.users:
            self._user_changed(user_id)
        for declaration_id, ids in what.declarations.items():
            self.hub.publish(declaration_id, ids)

    def _user_changed(self, user_id: int) -> None:
        self._users.forget(user_id)
        self.hub.user_changed(user_id)

    async def _listen(self) -> None:
        conninfo = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    # Changes told while nobody listened are unknown: forget every cached user.
                    self._users.clear()
                    self.listening.set()
                    async for notice in connection.notifies():
                        self.heard(notice.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("the live channel's connection failed; retrying", exc_info=True)
                await asyncio.sleep(1)


def messages(what: Recorded) -> Iterator[str]:
    for user_id in sorted(what.users):
        yield f"u:{user_id}"
    for declaration_id, ids in what.declarations.items():
        for start in range(0, len(ids), _IDS_PER_MESSAGE):
            chunk = ids[start : start + _IDS_PER_MESSAGE]
            yield f"d:{declaration_id}:{','.join(map(str, chunk))}"


def watch_commits(sessions: sessionmaker[Session], room: LiveRoom) -> None:
    if room.postgres:

        @event.listens_for(sessions, "before_commit")
        def notify(session: Session) -> None:
            session.flush()  # the events' ids
            for message in messages(recorded(session)):
                session.execute(select(func.pg_notify(CHANNEL, message)))

    else:

        @event.listens_for(sessions, "after_commit")
        def tell(session: Session) -> None:
            what = recorded(session)
            if what.declarations or what.users:
                room.committed(what)

    @event.listens_for(sessions, "after_rollback")
    def forget(session: Session) -> None:
        forget_recorded(session)
