"""The live room on PostgreSQL with two workers: N open streams of one declaration, then
comments written one after another; for every stream and comment, the time from the event's
record (its `at`, stamped at flush, just before commit) to its arrival on that stream; the
server's memory per open stream. And the cost of the limits kept in the database: a counted
sign-in failure and a write limit's spend, per call, on PostgreSQL and SQLite.

Bounded: `--streams` (500) streams, `--comments` (20) comments, loopback only. The same streams
during bench_load's busiest hour, on the same server: bench/bench_live_load.py.
Run: .venv/bin/python -m bench.bench_live [--streams 500] [--comments 20]
"""

import argparse
import asyncio
import json
import statistics
import time
from datetime import datetime

import httpx
from sqlalchemy import insert, select

from app.auth.models import Role, User
from app.auth.security import Tokens
from app.db import make_engine, make_sessionmaker
from app.ratelimit import LoginThrottle, WriteLimits
from bench.bench_load import JWT_SECRET, databases, process_tree, rss_mib, serve

TEXT = "# Title\n\nWe commit.\n\nWe meet again.\n"


def seed(url: str, readers: int) -> tuple[dict, list[dict]]:
    engine = make_engine(url)
    tokens = Tokens(JWT_SECRET, 600)
    with engine.begin() as db:
        db.execute(insert(User), [
            {"email": f"reader{i}@live.example", "name": f"Reader {i}", "role": Role.observer,
             "password_hash": "x"} for i in range(readers)
        ] + [{"email": "cofac@live.example", "name": "Cofac", "role": Role.co_facilitator,
              "password_hash": "x"}])  # fmt: skip
        ids = list(db.scalars(select(User.id).where(User.email.like("%@live.example"))
                              .order_by(User.id)))  # fmt: skip
    engine.dispose()
    bearer = [{"Authorization": f"Bearer {tokens.issue(user_id=i, token_version=0)}"} for i in ids]
    return bearer[-1], bearer[:-1]


async def watch(client: httpx.AsyncClient, url: str, headers: dict, arrivals: list, opened):
    async with client.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        opened.release()
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                data = json.loads(line[6:])
                at = datetime.fromisoformat(data["at"]).timestamp()
                arrivals.append(time.time() - at)


async def run(base: str, process_pid: int, editor: dict, readers: list[dict], comments: int):
    limits = httpx.Limits(max_connections=len(readers) + 10, max_keepalive_connections=20)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        made = (await client.post("/api/declarations", json={"title": "Live", "text": TEXT},
                                  headers=editor)).json()  # fmt: skip
        did = made["id"]
        version = (await client.get(f"/api/declarations/{did}/versions/1", headers=editor)).json()
        key = version["paragraphs"][1]["key"]
        before = rss_mib(process_tree(process_pid))
        arrivals: list[float] = []
        opened = asyncio.Semaphore(0)
        url = f"/api/declarations/{did}/stream"
        tasks = [asyncio.create_task(watch(client, url, h, arrivals, opened)) for h in readers]
        for _ in readers:
            await asyncio.wait_for(opened.acquire(), 120)
        await asyncio.sleep(2)
        after = rss_mib(process_tree(process_pid))
        errors = 0
        for n in range(comments):
            r = await client.post(f"/api/declarations/{did}/comments", headers=editor,
                                  json={"paragraph_key": key, "body": f"Remark {n}."})  # fmt: skip
            errors += r.status_code != 201
            await asyncio.sleep(0.25)
        deadline = time.monotonic() + 30
        while len(arrivals) < comments * len(readers) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return arrivals, (after - before) * 1024 / len(readers), errors


def limit_costs(url: str, calls: int = 300) -> tuple[float, float]:
    """ms per counted sign-in failure (failed + retry_after), ms per write-limit spend."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    throttle = LoginThrottle(10**9, 300)
    limits = WriteLimits({"comment": 10**9})
    with sessions() as session:
        start = time.perf_counter()
        for i in range(calls):
            throttle.retry_after(session, f"email:{i}", "address:10.0.0.1")
            throttle.failed(session, f"email:{i}", "address:10.0.0.1")
        failed = (time.perf_counter() - start) / calls
        start = time.perf_counter()
        for i in range(calls):
            limits.spend(session, "comment", i % 7)
        spend = (time.perf_counter() - start) / calls
    engine.dispose()
    return failed * 1000, spend * 1000


def pct(values: list[float], q: int) -> float:
    """The q-th percentile (1 to 99) of `values`."""
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--comments", type=int, default=20)
    args = parser.parse_args(argv)
    rows = []
    with databases(["postgresql", "sqlite"]) as found:
        urls = dict(found)
        with serve(urls["postgresql"], 2) as (base, process, _):
            editor, readers = seed(urls["postgresql"], args.streams)
            arrivals, per_stream_kib, errors = asyncio.run(
                run(base, process.pid, editor, readers, args.comments)
            )
        expected = args.streams * args.comments
        rows += [
            (f"commit to delivery, {args.streams} streams on 2 workers (PostgreSQL), "
             f"{args.comments} comments", "p99 < 1 s",
             f"p50 {pct(arrivals, 50) * 1000:.0f} ms, p99 {pct(arrivals, 99) * 1000:.0f} ms, "
             f"max {max(arrivals) * 1000:.0f} ms; {len(arrivals)}/{expected} delivered, "
             f"{errors} errors"),
            ("server memory per open stream", "—", f"{per_stream_kib:.0f} KiB"),
        ]  # fmt: skip
        for name in ("postgresql", "sqlite"):
            failed, spend = limit_costs(_migrated(urls[name]))
            figure = f"limits in the database ({name}): a counted sign-in failure; a write's spend"
            rows.append((figure, "—", f"{failed:.2f} ms; {spend:.2f} ms per call"))
    return rows


def _migrated(url: str) -> str:
    """The database at `url`, migrated (the served one already is: migrating again is a no-op)."""
    from tests.conftest import migrate

    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
