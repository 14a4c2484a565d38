"""Security tests: who may call what (the matrix in docs/security.md), hostile input, and
fuzzing from the app's own OpenAPI schema. Here: the world they all act on.

The world is built once per engine on a fresh, committed database, through the API as users
would build it: a declaration being drafted (two versions, comments by every role and by a
second delegate, amendments by two cities, one supported), a final one, two open ones (one
signed by the mayor and by another city's mayor) and a closed, sealed one.
"""

import base64
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from jose import jwt
from sqlalchemy import Connection, select

from app.auth.models import Role, User
from app.cache import ImmutableCache, UserCache
from app.endorsements.log import LogTrees
from app.main import create_app
from app.models import Base
from app.ratelimit import Hit
from tests.conftest import PASSWORD, LivePeople, LiveServer, make_settings, savepoint_sessions

ROLES = ("admin", "co_facilitator", "delegate", "mayor", "observer")
# Each of these must be answered exactly as a request without any token.
NOBODIES = ("nobody", "expired", "deactivated", "forged", "alg_none")
TEXT = (
    "# Mechelen Declaration on Cities and Migration\n\n"
    "We, mayors and local and regional leaders, commit to the safe, orderly and regular "
    "migration of all.\n\n"
    "Cities are where migrants arrive, work and belong.\n\n"
    "We will share what works with every city, in every language.\n"
)
COLUMNS = ("nobody", *ROLES)
INDEX_HTML = "<!doctype html><title>Concord</title><div id=root></div>"


DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
_ROUTE = re.compile(r"^`([A-Z]+) (/\S*)`$")


def _rows(header: str) -> list[list[str]]:
    """The rows of the table of docs/security.md whose header row starts with `header`."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _route(cell: str) -> str:
    match = _ROUTE.match(cell)
    assert match, f"docs/security.md: {cell!r} is not `METHOD /path`"
    return f"{match[1]} {match[2]}"


def read_matrix() -> dict[str, dict[str, str]]:
    matrix = {}
    for cells in _rows("| route | nobody |"):
        route = _route(cells[0])
        assert route not in matrix, f"docs/security.md: two rows for {route}"
        matrix[route] = dict(zip(COLUMNS, cells[1 : 1 + len(COLUMNS)], strict=True))
    return matrix


def read_ownership() -> list[tuple[str, str, str, str]]:
    return [(case, _route(route), who, expect) for case, route, who, expect in _rows("| case |")]


MATRIX = read_matrix()
OWNERSHIP = read_ownership()


def fake_frontend(root: Path) -> Path:
    """A built SPA in miniature, so that file serving is tested against a known tree."""
    dist = root / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "swagger").mkdir()
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / "assets" / "app.js").write_text("console.log('concord');\n")
    (dist / "swagger" / "index.html").write_text("<!doctype html><title>API</title>")
    (root / "outside.txt").write_text("a file next to dist/, never served\n")
    # Links inside dist/ to a file outside it: following them would serve that file.
    (dist / "link-outside.txt").symlink_to(root / "outside.txt")
    (dist / "assets" / "link-outside.txt").symlink_to(root / "outside.txt")
    return dist


@dataclass
class World:
    app: FastAPI
    client: TestClient
    users: dict[str, User]
    headers: dict[str, dict[str, str]]
    drafting: int = 0
    final: int = 0
    open_signed: int = 0
    open_unsigned: int = 0
    closed: int = 0
    keys: list[str] = field(default_factory=list)  # paragraph keys of the drafting head
    comments: dict[str, int] = field(default_factory=dict)  # author → their comment's id
    amendments: dict[str, int] = field(default_factory=dict)
    signatures: dict[str, int] = field(default_factory=dict)  # signer → signature id (open)
    signed_hash: str = ""  # the content hash of `open_signed`'s final version
    unsigned_hash: str = ""

    @property
    def context(self):
        return self.app.state.context

    def as_(self, who: str) -> dict[str, str]:
        return self.headers[who]

    def reset_caches(self) -> None:
        """Forget what earlier requests cached: each request must meet the world as built."""
        self.context.cache = ImmutableCache()
        self.context.users = UserCache()
        self.context.log_trees = LogTrees()
        # The sign-in throttle and write limits count in the database: a request's hits are
        # undone with its writes.

    @contextmanager
    def rolled_back(self) -> Iterator[Connection]:
        """Requests whose every write is undone at the end (savepoints in one transaction)."""
        connection = self.context.engine.connect()
        outer = connection.begin()
        original = self.context.sessionmaker
        self.context.sessionmaker = savepoint_sessions(connection)
        try:
            yield connection
        finally:
            self.context.sessionmaker = original
            outer.rollback()
            connection.close()
            self.reset_caches()

    @contextmanager
    def one_request(self, connection: Connection) -> Iterator[None]:
        """One request's writes, undone afterwards (a savepoint inside `rolled_back`)."""
        self.reset_caches()
        nested = connection.begin_nested()
        try:
            yield
        finally:
            if nested.is_active:
                nested.rollback()


def snapshot(connection: Connection) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused request wrote nothing. The limits'
    own count (`limit_hits`) is left out: counting refused attempts is what it is for."""
    return {
        table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=_sortable)
        for table in Base.metadata.sorted_tables
        if table.name != Hit.__tablename__
    }


def _sortable(row: tuple) -> tuple:
    return tuple((value is None, str(value)) for value in row)


def build_world(app: FastAPI) -> World:
    """Everything the security tests act on, committed through the API."""
    people = LivePeople(LiveServer(app, ""))
    kampala, mechelen, malmo = (
        people.city("Kampala", "UG"),
        people.city("Mechelen", "BE"),
        people.city("Malmö", "SE"),
    )
    users = {
        "admin": people.user(Role.admin),
        "co_facilitator": people.user(Role.co_facilitator),
        "delegate": people.user(Role.delegate, city=kampala),
        "mayor": people.user(Role.mayor, city=kampala),
        "observer": people.user(Role.observer),
        "other_delegate": people.user(Role.delegate, city=mechelen),
        "other_mayor": people.user(Role.mayor, city=malmo),
        "deactivated": people.user(Role.delegate, city=kampala),
    }
    headers = {who: people.headers(user) for who, user in users.items()}
    client = TestClient(app)
    client.__enter__()
    world = World(app=app, client=client, users=users, headers=headers)
    editor, admin = headers["co_facilitator"], headers["admin"]

    def ok(response, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()

    def declaration(title: str) -> int:
        body = {"title": title, "text": TEXT}
        return ok(client.post("/api/declarations", json=body, headers=editor), 201)["id"]

    # Drafting: version 2 by a direct edit, comments by every role, amendments by two cities.
    world.drafting = d = declaration("Drafting")
    keys = [
        p["key"]
        for p in ok(client.get(f"/api/declarations/{d}/versions/1", headers=editor))["paragraphs"]
    ]
    edit = {"action": "modify", "paragraph_key": keys[3], "text": "We will share what works."}
    ok(
        client.post(
            f"/api/declarations/{d}/versions",
            json={"base_version": 1, "edits": [edit]},
            headers=editor,
        ),
        201,
    )
    world.keys = keys
    for who in (*ROLES, "other_delegate"):
        body = {"paragraph_key": keys[1], "body": f"A remark by the {who}."}
        world.comments[who] = ok(
            client.post(f"/api/declarations/{d}/comments", json=body, headers=headers[who]), 201
        )["id"]

    def amend(who: str, key: str, text: str) -> int:
        body = {"base_version": 2, "action": "modify", "paragraph_key": key, "text": text}
        return ok(
            client.post(f"/api/declarations/{d}/amendments", json=body, headers=headers[who]), 201
        )["id"]

    world.amendments["own"] = amend("delegate", keys[1], "We, mayors, commit to the rights of all.")
    world.amendments["supported"] = amend(
        "other_delegate", keys[2], "Cities are where migrants live."
    )
    world.amendments["unsupported"] = amend(
        "other_delegate", keys[3], "We will share all that works."
    )
    ok(
        client.post(
            f"/api/amendments/{world.amendments['supported']}/support", headers=headers["delegate"]
        )
    )

    def finalized(title: str) -> int:
        did = declaration(title)
        ok(client.post(f"/api/declarations/{did}/finalize", json={"version": 1}, headers=editor))
        return did

    def opened(title: str) -> tuple[int, str]:
        did = finalized(title)
        ok(client.post(f"/api/declarations/{did}/endorsement/open", headers=editor))
        content_hash = ok(client.get(f"/api/declarations/{did}/versions/1", headers=editor))[
            "content_hash"
        ]
        return did, content_hash

    def sign(did: int, content_hash: str, who: str) -> int:
        body = {"content_hash": content_hash, "password": PASSWORD}
        return ok(
            client.post(f"/api/declarations/{did}/signatures", json=body, headers=headers[who]), 201
        )["id"]

    world.final = finalized("Final")
    world.open_signed, world.signed_hash = opened("Open, signed")
    world.signatures["mayor"] = sign(world.open_signed, world.signed_hash, "mayor")
    world.signatures["other_mayor"] = sign(world.open_signed, world.signed_hash, "other_mayor")
    world.open_unsigned, world.unsigned_hash = opened("Open, unsigned")
    world.closed, closed_hash = opened("Closed")
    sign(world.closed, closed_hash, "other_mayor")
    ok(client.post(f"/api/declarations/{world.closed}/endorsement/close", headers=editor))

    # Deactivated by the secretariat after its token was issued.
    ok(client.patch(f"/api/users/{users['deactivated'].id}", json={"active": False}, headers=admin))
    headers.update(nobody_headers(world))
    people.session.close()
    world.reset_caches()
    return world


def nobody_headers(world: World) -> dict[str, dict[str, str]]:
    secret = world.context.settings.jwt_secret.get_secret_value()
    admin = world.users["admin"]
    now = int(time.time())
    claims = {"sub": str(admin.id), "tv": admin.token_version, "iat": now - 7200}
    expired = jwt.encode({**claims, "exp": now - 3600}, secret, algorithm="HS256")
    forged = jwt.encode({**claims, "exp": now + 3600}, "not-the-secret-" * 4, algorithm="HS256")
    unsigned = _unsigned({**claims, "exp": now + 3600})
    bearer = lambda token: {"Authorization": f"Bearer {token}"}  # noqa: E731
    return {
        "nobody": {},
        "expired": bearer(expired),
        "forged": bearer(forged),
        "alg_none": bearer(unsigned),
    }


def _unsigned(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.fixture(scope="module", name="world")
def world_fixture(databases, tmp_path_factory) -> Iterator[World]:
    """The world, built once per test module and engine (import `world_fixture` to use it)."""
    app = world_app(databases, tmp_path_factory.mktemp("security"))
    built = build_world(app)
    try:
        yield built
    finally:
        built.client.__exit__(None, None, None)
        app.state.context.engine.dispose()


def world_app(databases, tmp: Path) -> FastAPI:
    """The app on a fresh database of this engine, with a miniature built SPA."""
    return create_app(
        make_settings(
            tmp / "data",
            database_url=databases.fresh(),
            frontend_dist=fake_frontend(tmp / "frontend"),
            stream_seconds=0,  # a live stream answers, then ends at once: requests here finish
        )
    )
