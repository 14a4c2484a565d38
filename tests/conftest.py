"""Test fixtures: migrated SQLite and PostgreSQL databases, a rolled-back session per test,
the app wired to it, and users of every role."""

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import City, Role, User
from app.cli import alembic_config
from app.db import make_engine
from app.main import create_app
from app.settings import Settings
from tests.documented import typed_errors_documented
from tests.pg import PostgresServer

TEXTS = Path(__file__).parent / "data" / "texts"
ENGINES = [e for e in os.environ.get("CONCORD_TEST_ENGINES", "sqlite,postgresql").split(",") if e]
PASSWORD = "correct horse battery"


def migrate(engine: Engine) -> None:
    config = alembic_config()
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


class Databases:
    """Migrated template databases; `fresh()` gives a new, empty, migrated one cheaply."""

    def __init__(self, kind: str, tmp: Path, postgres: Callable[[], PostgresServer]):
        self.kind = kind
        self.tmp = tmp
        self._count = 0
        if kind == "sqlite":
            self.template = tmp / "template.db"
            engine = make_engine(f"sqlite:///{self.template}")
            migrate(engine)
            engine.dispose()
        else:
            self.server = postgres()
            admin = make_engine(self.server.url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text("CREATE DATABASE concord_template"))
            admin.dispose()
            engine = make_engine(self.server.url("concord_template"))
            migrate(engine)
            engine.dispose()

    def fresh(self) -> str:
        self._count += 1
        if self.kind == "sqlite":
            path = self.tmp / f"db{self._count}.db"
            shutil.copy(self.template, path)
            return f"sqlite:///{path}"
        name = f"concord_{self._count}"
        admin = make_engine(self.server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name} TEMPLATE concord_template"))
        admin.dispose()
        return self.server.url(name)


@pytest.fixture(scope="session", params=ENGINES)
def databases(request, tmp_path_factory) -> Databases:
    return Databases(
        request.param,
        tmp_path_factory.mktemp(request.param),
        lambda: request.getfixturevalue("postgres"),
    )


@pytest.fixture(scope="session")
def engine(databases: Databases) -> Iterator[Engine]:
    engine = make_engine(databases.fresh())
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection whose outer transaction is rolled back at the end of the test."""
    connection = engine.connect()
    outer = connection.begin()
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


def savepoint_sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits are savepoints inside the test's transaction."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    db = savepoint_sessions(connection)()
    try:
        yield db
    finally:
        db.close()


def make_settings(tmp_path: Path, **overrides) -> Settings:
    # Tests write many comments and amendments as one user; tests/test_rate_limits.py sets
    # the limits low on purpose.
    defaults = {
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8192,
        "jwt_secret": "test-secret-" + "x" * 40,
        "comments_per_minute": 100_000,
        "amendments_per_minute": 100_000,
    }
    return Settings(data_dir=tmp_path, **{**defaults, **overrides})


@pytest.fixture
def app(connection: Connection, tmp_path: Path) -> FastAPI:
    """The app, its every request session joined to the test's rolled-back transaction."""
    application = create_app(make_settings(tmp_path / "data"))
    application.state.context.sessionmaker = savepoint_sessions(connection)
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=True) as test_client:
        test_client.event_hooks = {"request": [], "response": [typed_errors_documented(app)]}
        yield test_client


class People:
    """Creates cities and users straight through the models, and their bearer headers."""

    def __init__(self, app: FastAPI, session: Session):
        self.context = app.state.context
        self.session = session
        self._hash = self.context.passwords.hash(PASSWORD)
        self._count = 0

    def city(self, name: str | None = None, country: str = "BE") -> City:
        self._count += 1
        city = City(name=name or f"City {self._count}", country=country, kind="city")
        self.session.add(city)
        self.session.commit()
        return city

    def user(self, role: Role | str, *, city: City | None = None, name: str | None = None) -> User:
        role = Role(role)
        self._count += 1
        if role in (Role.delegate, Role.mayor) and city is None:
            city = self.city()
        user = User(
            email=f"{role.value}{self._count}@test.example",
            name=name or f"{role.value} {self._count}",
            title="Mayor" if role is Role.mayor else None,
            role=role.value,
            city_id=city.id if city else None,
            password_hash=self._hash,
        )
        self.session.add(user)
        self.session.commit()
        return user

    def headers(self, user: User) -> dict[str, str]:
        token = self.context.tokens.issue(user_id=user.id, token_version=user.token_version)
        return {"Authorization": f"Bearer {token}"}

    def as_role(self, role: Role | str, **kwargs) -> dict[str, str]:
        return self.headers(self.user(role, **kwargs))


@pytest.fixture
def people(app: FastAPI, session: Session) -> People:
    return People(app, session)


@pytest.fixture
def texts() -> Path:
    return TEXTS


class LiveServer:
    """The app on a real database (committed, not rolled back) behind uvicorn on loopback."""

    def __init__(self, app: FastAPI, url: str):
        self.app = app
        self.url = url
        self.context = app.state.context

    def session(self) -> Session:
        return self.context.sessionmaker()

    def people(self) -> "LivePeople":
        return LivePeople(self)


class LivePeople(People):
    def __init__(self, server: LiveServer):
        self.context = server.context
        self.session = server.session()
        self._hash = self.context.passwords.hash(PASSWORD)
        self._count = 0


@contextmanager
def serving(application: FastAPI) -> Iterator[LiveServer]:
    """The app behind uvicorn on a free loopback port, until the block ends."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield LiveServer(application, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(10)
        application.state.context.engine.dispose()


@pytest.fixture
def live_server(databases: Databases, tmp_path: Path) -> Iterator[LiveServer]:
    application = create_app(make_settings(tmp_path / "data", database_url=databases.fresh()))
    with serving(application) as server:
        yield server
