"""Engine, declarative Base, sessions, and the write-transaction rule for SQLite."""

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from anyio import CapacityLimiter, to_thread
from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator
from starlette.requests import Request

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way out, whatever the engine keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


def utcnow() -> datetime:
    return datetime.now(UTC)


WRITE_OPTION = "concord_write"


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        # Opening a SQLite connection costs more than a query (the PRAGMAs below): keep
        # enough of them pooled that a busy server never opens one per request.
        kwargs.setdefault("pool_size", 32)
        kwargs.setdefault("max_overflow", 32)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling is replaced so that SAVEPOINT works and so that
    # writers can take the write lock up front (BEGIN IMMEDIATE): a deferred transaction
    # that reads and then writes fails in WAL mode when another writer got in between.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if not connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN")
            return
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer (takes SQLite's write lock now)."""
    if not session.in_transaction():
        session.connection(execution_options={WRITE_OPTION: True})


def begin_write_after_reads(session: Session) -> None:
    """Start writing in a session that may have read already. SQLite cannot make a transaction
    that has read into a writer once another writer has committed meanwhile ("database is
    locked" at once, whatever the busy timeout): the reads' transaction ends (it wrote nothing)
    and a writer's begins."""
    if session.in_transaction():
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write_after_reads: the session has unwritten changes")
        session.commit()
    begin_write(session)


def lock_name(session: Session, name: str) -> None:
    """Serialise the transactions that take this name until each ends: PostgreSQL's
    transaction-level advisory lock (SQLite's write lock, taken by `begin_write`, already
    serialises every writer)."""
    if session.get_bind().dialect.name == "postgresql":
        number = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")
        session.execute(select(func.pg_advisory_xact_lock(number - 2**63)))


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, from the app's own engine; it touches the database only
    when used, and is closed in a worker thread when it did."""
    session: Session = request.app.state.context.sessionmaker()
    try:
        yield session
    finally:
        if session.in_transaction():
            # A refused write leaves its transaction (and its locks) open until this close.
            # Closing in the shared pool could wait behind the very requests that wait for
            # those locks: a deadlock. Closes get threads of their own.
            await to_thread.run_sync(session.close, limiter=_closer())
        else:
            session.close()


@lru_cache
def _closer() -> CapacityLimiter:
    return CapacityLimiter(64)
