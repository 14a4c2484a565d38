"""More requests in flight than the database pool has connections: every one is answered.

FastAPI validates a sync endpoint's answer in the shared thread pool after the endpoint has
returned. A request whose session kept its connection until its teardown waited there for a
thread, while the threads' endpoints waited for a connection: the server stopped until the
pool's timeout, then answered 500 (found by bench/bench_load.py with 300 delegates on
PostgreSQL). `app.routing.ReleasingRoute` closes the session as the endpoint returns; every
router of the project is an `app.routing.APIRouter`, whose routes are all of that class."""

import threading
from pathlib import Path

import fastapi
import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from app.auth.models import Role
from app.db import make_engine, make_sessionmaker
from app.routing import APIRouter, ReleasingRoute
from tests.conftest import PASSWORD

APP = Path(__file__).parents[1] / "app"
CONNECTIONS = 2
REQUESTS = 63


def test_every_route_of_the_app_releases_its_session(app):
    routes = [r.original_route for r in iter_route_contexts(app.routes)]
    api_routes = [r for r in routes if isinstance(r, APIRoute)]
    assert len(api_routes) > 30
    assert [r.path for r in api_routes if type(r) is not ReleasingRoute] == []


def test_a_plain_fastapi_router_would_be_caught(app):
    """The check above can fail: a route from FastAPI's own router is not a releasing one."""
    plain = fastapi.APIRouter()
    plain.get("/plain")(lambda: None)
    app.include_router(plain)
    routes = [r.original_route for r in iter_route_contexts(app.routes)]
    assert [
        r.path for r in routes if isinstance(r, APIRoute) and type(r) is not ReleasingRoute
    ] == ["/plain"]


def test_no_route_opens_a_session_of_its_own():
    """A read or write that needs its own session (a cached answer, a thread's work) is a
    service function taking the sessionmaker: routes only get the request's session."""
    opening = [
        f"{path.relative_to(APP.parent)}:{number}"
        for path in sorted(APP.rglob("routes.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if "sessionmaker()" in line
    ]
    assert opening == []


def test_the_project_router_has_no_other_route_class():
    with pytest.raises(TypeError):
        APIRouter(route_class=APIRoute)


def test_more_requests_than_connections_are_all_answered(live_server):
    context = live_server.context
    small = make_engine(
        context.settings.sqlalchemy_url,
        pool_size=CONNECTIONS,
        max_overflow=0,
        pool_timeout=5,
    )
    context.engine.dispose()
    context.engine, context.sessionmaker = small, make_sessionmaker(small)
    people = live_server.people()
    editor = people.headers(people.user(Role.co_facilitator))
    observers = [people.user(Role.observer) for _ in range(10)]
    readers = [people.headers(o) for o in observers]
    people.session.close()
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        r = http.post(
            "/api/declarations", json={"title": "T", "text": "One.\n\nTwo."}, headers=editor
        )
        did = r.json()["id"]
        for step, body in (("finalize", {"version": 1}), ("endorsement/open", None)):
            r = http.post(f"/api/declarations/{did}/{step}", json=body, headers=editor)
            assert r.status_code == 200, r.text
    # A session-reading route of every router (the accounts' public one has only sign-in).
    reads = [
        ("GET", f"/api/declarations/{did}", None),  # declarations
        ("GET", f"/api/declarations/{did}/amendments", None),  # amendments
        ("GET", f"/api/declarations/{did}/comments", None),  # comments
        ("GET", "/api/cities", None),  # accounts
        ("GET", f"/api/declarations/{did}/signatures", None),  # endorsement
        ("GET", f"/api/declarations/{did}/log/checkpoint", None),  # signature log (public)
        ("POST", "/api/auth/token", "sign-in"),  # accounts (public)
    ]
    barrier = threading.Barrier(REQUESTS)
    answers: list[tuple[str, int]] = []
    lock = threading.Lock()

    def read(n: int) -> None:
        method, path, form = reads[n % len(reads)]
        reader = n % len(readers)
        with httpx.Client(base_url=live_server.url, timeout=30) as http:
            barrier.wait()
            if form:
                data = {"username": observers[reader].email, "password": PASSWORD}
                r = http.post(path, data=data)
            else:
                r = http.request(method, path, headers=readers[reader])
        with lock:
            answers.append((path, r.status_code))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == REQUESTS
    assert [(path, status) for path, status in answers if status != 200] == []
