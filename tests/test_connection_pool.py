"""More requests in flight than the database pool has connections: every one is answered.

FastAPI validates a sync endpoint's answer in the shared thread pool after the endpoint has
returned. A request whose session kept its connection until its teardown waited there for a
thread, while the threads' endpoints waited for a connection: the server stopped until the
pool's timeout, then answered 500 (found by bench/bench_load.py with 300 delegates on
PostgreSQL). `app.deps.ReleasingRoute` closes the session as the endpoint returns."""

import threading

import httpx

from app.auth.models import Role
from app.db import make_engine, make_sessionmaker

CONNECTIONS = 2
REQUESTS = 60


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
    readers = [people.headers(people.user(Role.observer)) for _ in range(10)]
    people.session.close()
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        r = http.post(
            "/api/declarations", json={"title": "T", "text": "One.\n\nTwo."}, headers=editor
        )
        did = r.json()["id"]
    paths = [f"/api/declarations/{did}", f"/api/declarations/{did}/amendments"]
    barrier = threading.Barrier(REQUESTS)
    answers: list[int] = []
    lock = threading.Lock()

    def read(n: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=30) as http:
            barrier.wait()
            r = http.get(paths[n % len(paths)], headers=readers[n % len(readers)])
        with lock:
            answers.append(r.status_code)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [200] * REQUESTS
