"""Load test of a negotiation's busiest hour, against `concord serve` on loopback: 200 delegates
reading and commenting, 50 proposing amendments, 3 co-facilitators deciding and merging; then
1,000 mayors signing within a minute. On PostgreSQL with several workers and on SQLite with one.

An async httpx driver (one process, on the same two cores as the server) plays every person,
each with a client and keep-alive connection of their own and exponential think times; the
phases are bounded in time. Reported: requests per second held, p50/p99 per endpoint, errors
(with their causes), CPU used by the server and by the driver, the server's memory (RSS summed
over its processes, from /proc), and the signing rate with the production argon2 cost next to
the rate of the signing path without the hash (through HTTP for mayors whose password hash has
argon2's cheapest cost, and as the service in a loop). Accounts are written straight into the
database and their tokens minted, so signing in (one more hash each) is not measured.

Run: .venv/bin/python -m bench.bench_load [--engines postgresql,sqlite] [--workers 2]
     BENCH_LOAD_SCALE=0.2 .venv/bin/python -m bench.bench_load   (fewer people, shorter)
"""

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from sqlalchemy import insert, select, text

from app.auth.models import City, User
from app.auth.security import Passwords, Tokens
from app.context import AppContext
from app.db import make_engine
from app.endorsements import service, signing
from app.settings import Settings
from app.text.paragraphs import split_paragraphs
from bench.common import ROOT, TEXTS, free_port, load_row, wait_until_up

JWT_SECRET = "bench-load-" + "x" * 40
PASSWORD = "a mayor's password"
Row = tuple[str, str, str]


@dataclass
class Plan:
    """The people and the bounds of each phase (BENCH_LOAD_SCALE scales both)."""

    delegates: int = 200
    proposers: int = 50
    co_facilitators: int = 3
    mayors: int = 1000
    negotiation_seconds: float = 40
    signing_window: float = 60  # the mayors arrive evenly within it
    signing_deadline: float = 75  # the signing phase ends then, whatever is left
    cheap_mayors: int = 3000
    cheap_seconds: float = 8
    cheap_clients: int = 32
    service_signatures: int = 1000

    @classmethod
    def scaled(cls, scale: float) -> "Plan":
        plan = cls()
        for name in ("delegates", "proposers", "mayors", "cheap_mayors", "service_signatures"):
            setattr(plan, name, max(3, round(getattr(plan, name) * scale)))
        for name in ("negotiation_seconds", "signing_window", "signing_deadline", "cheap_seconds"):
            setattr(plan, name, max(3.0, getattr(plan, name) * scale))
        return plan


# --- the served app and its processes ---------------------------------------------------------


@contextlib.contextmanager
def serve(
    database_url: str, workers: int, *, command: Sequence[str] = ("app.cli", "serve")
) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """`concord serve` (what `make run` starts) with the production argon2 cost; `command`, a
    module and its arguments, runs it otherwise (bench.profiled_serve: under cProfile)."""
    data_dir = tempfile.mkdtemp(prefix="concord-load-")
    port = free_port()
    env = {
        **os.environ,
        "CONCORD_PORT": str(port),
        "CONCORD_DATA_DIR": data_dir,
        "CONCORD_DATABASE_URL": database_url,
        "CONCORD_WORKERS": str(workers),
        "CONCORD_JWT_SECRET": JWT_SECRET,
        "CONCORD_DEMO": "0",
    }
    for name in list(env):
        if name.startswith("CONCORD_ARGON2_"):
            del env[name]
    process = subprocess.Popen([sys.executable, "-m", *command], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/health", process)
        yield base, process, Path(data_dir)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children[parent].append(int(entry.name))
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children[pid])
    return tree


def cpu_seconds(root: int) -> float:
    """CPU time (user and system) the server's processes have used so far."""
    ticks = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Memory:
    """Peak RSS of the server's processes (supervisor and workers), sampled twice a second."""

    def __init__(self, root: int):
        self.root = root
        self.peak = 0.0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            pids = process_tree(self.root)
            self.processes = max(self.processes, len(pids))
            self.peak = max(self.peak, rss_mib(pids))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return rss_mib(process_tree(self.root))


@contextlib.asynccontextmanager
async def browsers(base: str, count: int) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One client, with one keep-alive connection, per person (as each has a browser): a single
    client shared by hundreds of tasks costs httpx most of its time in its connection pool."""
    tls = ssl.create_default_context()  # loaded once, not per client (the URLs are http://)
    # Idle connections are dropped before uvicorn's 5-second keep-alive ends, so that no request
    # is sent on a connection the server is closing (a browser would retry it unseen).
    limits = httpx.Limits(max_connections=1, keepalive_expiry=4)
    async with contextlib.AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=base, timeout=300, verify=tls, limits=limits)
            )
            for _ in range(count)
        ]


# --- recording answers ------------------------------------------------------------------------


@dataclass
class Record:
    """Every answer: latency per endpoint, refusals the scenario expects, and errors."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    expected: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    done_at: list[float] = field(default_factory=list)

    async def call(
        self,
        http: httpx.AsyncClient,
        endpoint: str,
        method: str,
        url: str,
        *,
        ok: tuple[int, ...] = (200,),
        expect: tuple[str, ...] = (),
        **kwargs,
    ) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            r = await http.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            self.errors[f"{endpoint}: {type(error).__name__}"] += 1
            return None
        end = time.perf_counter()
        self.latencies[endpoint].append((end - start) * 1000)
        self.done_at.append(end)
        if r.status_code in ok:
            return r
        code = _code(r)
        if code in expect:
            self.expected[f"{endpoint}: {r.status_code} {code}"] += 1
        else:
            self.errors[f"{endpoint}: {r.status_code} {code}"] += 1
        return r

    def rates(self, start: float, end: float) -> tuple[float, float]:
        """Mean requests per second over [start, end], and the lowest of its 5-second windows."""
        seconds = max(end - start, 1e-9)
        windows = Counter(int((t - start) // 5) for t in self.done_at if start <= t <= end)
        full = [windows.get(w, 0) / 5 for w in range(int(seconds // 5))]
        mean = len(self.done_at) / seconds
        return mean, min(full) if full else mean


def _code(r: httpx.Response) -> str:
    try:
        return str(r.json().get("code"))
    except ValueError:
        return "not-json"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


# --- seeding ----------------------------------------------------------------------------------


@dataclass
class People:
    """Bearer headers of every account the scenario plays."""

    co_facilitators: list[dict]
    delegates: list[dict]
    proposers: list[dict]
    mayors: list[dict]
    cheap_mayors: list[dict]


def seed_people(url: str, plan: Plan) -> People:
    """Cities and accounts straight into the served database, tokens minted with its JWT secret
    (signing in is not part of the hour measured). Mayors' passwords are hashed at the
    production cost; the `cheap_mayors`' at argon2's cheapest, to time the path without it."""
    production = production_passwords().hash(PASSWORD)
    cheapest = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    groups = [
        ("co_facilitator", "cofac", plan.co_facilitators, production, False),
        ("delegate", "delegate", plan.delegates, production, True),
        ("delegate", "proposer", plan.proposers, production, True),
        ("mayor", "mayor", plan.mayors, production, True),
        ("mayor", "cheap", plan.cheap_mayors, cheapest, True),
    ]
    tokens = Tokens(JWT_SECRET, 600)
    headers: dict[str, list[dict]] = {}
    engine = make_engine(url)
    with engine.begin() as db:
        for role, prefix, count, password_hash, with_city in groups:
            city_ids: list[int | None] = [None] * count
            if with_city:
                db.execute(
                    insert(City),
                    [{"name": f"{prefix} city {i}", "country": "BE", "kind": "city"}
                     for i in range(count)],
                )  # fmt: skip
                city_ids = list(
                    db.scalars(
                        select(City.id).where(City.name.like(f"{prefix} city %")).order_by(City.id)
                    )
                )
            db.execute(
                insert(User),
                [
                    {"email": f"{prefix}{i}@load.example", "name": f"{prefix.title()} {i}",
                     "title": "Mayor" if role == "mayor" else None, "role": role,
                     "city_id": city_id, "password_hash": password_hash}
                    for i, city_id in enumerate(city_ids)
                ],
            )  # fmt: skip
            ids = db.scalars(
                select(User.id).where(User.email.like(f"{prefix}%@load.example")).order_by(User.id)
            )
            headers[prefix] = [
                {"Authorization": f"Bearer {tokens.issue(user_id=i, token_version=0)}"} for i in ids
            ]
    engine.dispose()
    return People(
        headers["cofac"], headers["delegate"], headers["proposer"], headers["mayor"],
        headers["cheap"],
    )  # fmt: skip


def draft_text() -> str:
    """The next, larger declaration: the first 400 paragraphs of the Basic Law (v3)."""
    blocks = split_paragraphs((TEXTS / "de-grundgesetz-v3-2020.txt").read_text("utf-8"))[:400]
    return "\n\n".join(("# " if b.kind == "heading" else "") + b.text for b in blocks) + "\n"


def open_declaration(base: str, editor: dict, title: str, raw: str) -> tuple[int, str]:
    """A declaration finalized and open for signatures: (its id, the hash to sign)."""
    with httpx.Client(base_url=base, headers=editor, timeout=120) as http:
        r = http.post("/api/declarations", json={"title": title, "text": raw})
        r.raise_for_status()
        did = r.json()["id"]
        return did, finalize_and_open(http, did)


def finalize_and_open(http: httpx.Client, did: int) -> str:
    head = http.get(f"/api/declarations/{did}").json()["head_version"]
    http.post(f"/api/declarations/{did}/finalize", json={"version": head}).raise_for_status()
    http.post(f"/api/declarations/{did}/endorsement/open").raise_for_status()
    return http.get(f"/api/declarations/{did}/versions/{head}").json()["content_hash"]


# --- the negotiation --------------------------------------------------------------------------


@dataclass
class Draft:
    """What the people know of the declaration being negotiated."""

    did: int
    keys: list[str]  # every paragraph key
    amendable: list[str]  # keys of paragraphs (not headings)
    head: int = 1
    proposed: list[int] = field(default_factory=list)


class Reader:
    """One person's browser: versions cached by ETag, as the web app does."""

    def __init__(self, http, record: Record, draft: Draft, headers: dict, rng: random.Random):
        self.http, self.record, self.draft, self.headers, self.rng = (
            http, record, draft, headers, rng,
        )  # fmt: skip
        self.versions: dict[int, tuple[str, list[dict]]] = {}

    async def call(self, endpoint: str, method: str, url: str, **kwargs):
        return await self.record.call(
            self.http, endpoint, method, url, headers=self.headers, **kwargs
        )

    async def declaration(self) -> None:
        r = await self.call("GET /declarations/{id}", "GET", f"/api/declarations/{self.draft.did}")
        if r is not None and r.status_code == 200:
            self.draft.head = max(self.draft.head, r.json()["head_version"])

    async def version(self, number: int) -> list[dict] | None:
        cached = self.versions.get(number)
        headers = {**self.headers, **({"If-None-Match": cached[0]} if cached else {})}
        r = await self.record.call(
            self.http, "GET /declarations/{id}/versions/{n}", "GET",
            f"/api/declarations/{self.draft.did}/versions/{number}", headers=headers,
            ok=(200, 304),
        )  # fmt: skip
        if r is None or r.status_code not in (200, 304):
            return None
        if r.status_code == 200:
            self.versions[number] = (r.headers["ETag"], r.json()["paragraphs"])
        return self.versions[number][1]


async def pause(rng: random.Random, think: float, end: float) -> bool:
    """A person's think time (exponential, `think` on average); False once the phase is over."""
    await asyncio.sleep(min(rng.expovariate(1 / think), max(0.0, end - time.perf_counter())))
    return time.perf_counter() < end


async def delegate(reader: Reader, end: float, think: float) -> None:
    """Reads the head, its comments and the amendments; comments now and then."""
    did, rng = reader.draft.did, reader.rng
    while True:
        if not await pause(rng, think, end):
            return
        head, roll = reader.draft.head, rng.random()
        key = rng.choice(reader.draft.keys)
        if roll < 0.10:
            await reader.declaration()
        elif roll < 0.40:
            await reader.version(head)
        elif roll < 0.65:
            await reader.call(
                "GET /declarations/{id}/comments", "GET",
                f"/api/declarations/{did}/comments?version={head}&paragraph_key={key}",
            )  # fmt: skip
        elif roll < 0.80:
            await reader.call(
                "GET /declarations/{id}/amendments", "GET",
                f"/api/declarations/{did}/amendments?status=proposed&limit=20",
            )  # fmt: skip
        elif roll < 0.95:
            body: dict = {"version": head, "paragraph_key": key, "body": "Wir schlagen vor, "
                          "diesen Absatz mit den Städten abzustimmen."}  # fmt: skip
            paragraphs = reader.versions.get(head, (None, None))[1]
            paragraph = next((p for p in paragraphs or () if p["key"] == key), None)
            if paragraph and len(paragraph["text"]) > 20:
                body["quote"] = {"exact": paragraph["text"][:20], "start": 0, "end": 20}
            await reader.call(
                "POST /declarations/{id}/comments", "POST",
                f"/api/declarations/{did}/comments", json=body, ok=(201,),
            )  # fmt: skip
        elif head > 1:
            await reader.call(
                "GET /declarations/{id}/compare", "GET",
                f"/api/declarations/{did}/compare?from={head - 1}&to={head}",
            )  # fmt: skip


async def proposer(reader: Reader, keys: list[str], end: float, think: float) -> None:
    """Proposes a change to each of its paragraphs in turn, reading the amendments between."""
    did, rng, mine = reader.draft.did, reader.rng, []
    keys = list(keys)
    while True:
        if not await pause(rng, think, end):
            return
        roll = rng.random()
        if roll < 0.4 and keys:
            head = reader.draft.head
            paragraphs = await reader.version(head)
            key = keys.pop()
            paragraph = next((p for p in paragraphs or () if p["key"] == key), None)
            if paragraph is None:
                continue
            r = await reader.call(
                "POST /declarations/{id}/amendments", "POST",
                f"/api/declarations/{did}/amendments", ok=(201,),
                json={"base_version": head, "action": "modify", "paragraph_key": key,
                      "text": paragraph["text"] + " Die Städte wirken mit.",
                      "rationale": "Die Städte setzen es um."},
            )  # fmt: skip
            if r is not None and r.status_code == 201:
                mine.append(r.json()["id"])
        elif roll < 0.7 and mine:
            await reader.call("GET /amendments/{id}", "GET", f"/api/amendments/{rng.choice(mine)}")
        else:
            await reader.call(
                "GET /declarations/{id}/amendments", "GET",
                f"/api/declarations/{did}/amendments?status=proposed&limit=20",
            )  # fmt: skip


async def co_facilitator(reader: Reader, index: int, of: int, end: float, think: float) -> None:
    """Accepts the proposed amendments that are its share, and merges them into new versions
    (one co-facilitator's merge can make another's base stale: 409, reload, again)."""
    did, rng, turn = reader.draft.did, reader.rng, 0
    while True:
        if not await pause(rng, think, end):
            return
        turn += 1
        listing = "GET /declarations/{id}/amendments"
        status = "accepted" if turn % 3 == 0 else "proposed"
        r = await reader.call(
            listing, "GET", f"/api/declarations/{did}/amendments?status={status}&limit=200"
        )
        if r is None or r.status_code != 200:
            continue
        share = [a["id"] for a in r.json()["items"] if a["id"] % of == index]
        if status == "proposed":
            for amendment in share[:5]:
                await reader.call(
                    "POST /amendments/{id}/decision", "POST",
                    f"/api/amendments/{amendment}/decision", json={"decision": "accept"},
                )  # fmt: skip
            continue
        for _attempt in range(3):
            if not share:
                break
            await reader.declaration()
            r = await reader.call(
                "POST /declarations/{id}/versions (merge)", "POST",
                f"/api/declarations/{did}/versions", ok=(201,), expect=("stale_base",),
                json={"base_version": reader.draft.head, "amendments": share,
                      "note": f"Merged by co-facilitator {index + 1}"},
            )  # fmt: skip
            if r is None or r.status_code != 409:
                if r is not None and r.status_code == 201:
                    reader.draft.head = max(reader.draft.head, r.json()["number"])
                break


async def negotiation(
    base: str, people: People, draft: Draft, plan: Plan, record: Record
) -> tuple[float, float]:
    """Every person at work until the phase ends: (its start, its end)."""
    rng = random.Random(2017)
    everyone = len(people.delegates) + len(people.proposers) + len(people.co_facilitators)
    async with browsers(base, everyone) as clients:
        start = time.perf_counter()
        end = start + plan.negotiation_seconds

        def reader(headers: dict) -> Reader:
            return Reader(clients.pop(), record, draft, headers, random.Random(rng.random()))

        shares = [draft.amendable[i :: len(people.proposers)] for i in range(len(people.proposers))]
        await asyncio.gather(
            *(delegate(reader(h), end, think=2.0) for h in people.delegates),
            *(proposer(reader(h), keys, end, think=6.0)
              for h, keys in zip(people.proposers, shares, strict=True)),
            *(co_facilitator(reader(h), i, len(people.co_facilitators), end, think=3.0)
              for i, h in enumerate(people.co_facilitators)),
        )  # fmt: skip
        return start, time.perf_counter()


# --- signing ----------------------------------------------------------------------------------


@dataclass
class Signing:
    signed: list[tuple[float, float, float]] = field(default_factory=list)  # arrival, sent, done
    not_served: int = 0
    start: float = 0.0


async def mayors_sign(
    base: str, did: int, content_hash: str, mayors: list[dict], plan: Plan, in_flight: int,
    record: Record,
) -> Signing:  # fmt: skip
    """The mayors arrive evenly over the signing window; each waits for one of `in_flight`
    connections (as behind a proxy), then signs. Whoever has not been sent by the deadline
    is counted as not served."""
    url = f"/api/declarations/{did}/signatures"
    body = {"content_hash": content_hash, "password": PASSWORD}
    async with browsers(base, in_flight) as clients:
        outcome = Signing(start=time.perf_counter())
        free: asyncio.Queue[httpx.AsyncClient] = asyncio.Queue()
        for http in clients:
            free.put_nowait(http)

        async def mayor(i: int, headers: dict) -> None:
            arrival = outcome.start + i * plan.signing_window / len(mayors)
            await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
            http = await free.get()
            try:
                if time.perf_counter() > outcome.start + plan.signing_deadline:
                    outcome.not_served += 1
                    return
                sent = time.perf_counter()
                r = await record.call(
                    http, "POST /declarations/{id}/signatures", "POST", url, ok=(201,),
                    json=body, headers=headers,
                )  # fmt: skip
                if r is not None and r.status_code == 201:
                    outcome.signed.append((arrival, sent, time.perf_counter()))
            finally:
                free.put_nowait(http)

        await asyncio.gather(*(mayor(i, h) for i, h in enumerate(mayors)))
    return outcome


async def in_turn(
    base: str, items: list, clients: int, seconds: float,
    act: Callable[[httpx.AsyncClient, Any], Awaitable[bool]],
) -> tuple[int, float]:  # fmt: skip
    """`clients` connections take one item after another for `seconds`, each `act`ing on it
    (True when it succeeded): (how many succeeded, elapsed)."""
    waiting = list(reversed(items))
    done = 0
    async with browsers(base, clients) as connections:
        start = time.perf_counter()
        end = start + seconds

        async def client(http: httpx.AsyncClient) -> None:
            nonlocal done
            while waiting and time.perf_counter() < end:
                succeeded = await act(http, waiting.pop())  # not `done += await`: it reads
                done += succeeded  # `done` before awaiting, and the other clients' counts are lost

        await asyncio.gather(*(client(http) for http in connections))
        return done, time.perf_counter() - start


async def flood(
    base: str, did: int, content_hash: str, mayors: list[dict], clients: int, seconds: float,
    record: Record,
) -> tuple[int, float]:  # fmt: skip
    """`clients` connections sign one mayor after another for `seconds`: (signed, elapsed)."""
    body = {"content_hash": content_hash, "password": PASSWORD}

    async def sign(http: httpx.AsyncClient, headers: dict) -> bool:
        r = await record.call(
            http, "POST /declarations/{id}/signatures", "POST",
            f"/api/declarations/{did}/signatures", ok=(201,), json=body, headers=headers,
        )  # fmt: skip
        return r is not None and r.status_code == 201

    return await in_turn(base, mayors, clients, seconds, sign)


def service_loop(
    url: str, data_dir: Path, did: int, content_hash: str, count: int, batch: int
) -> float:
    """The signing service without HTTP and without the hash, in this process: `count`
    endorsements written `batch` at a time (1: one transaction each; more: what the group
    commit writes when that many are waiting). Signatures per second."""
    context = AppContext.build(Settings(data_dir=data_dir, database_url=url, jwt_secret=JWT_SECRET))
    with context.sessionmaker() as session:
        query = select(User).where(User.email.like("cheap%@load.example")).limit(count)
        users = list(session.scalars(query))
        session.expunge_all()
    start = time.perf_counter()
    for i in range(0, len(users), batch):
        with context.sessionmaker() as session:
            outcomes = signing.endorse_all(
                session, keys=context.keys, declaration_id=did,
                endorsements=[signing.Endorsement(u, content_hash) for u in users[i : i + batch]],
            )  # fmt: skip
            refused = [o for o in outcomes if not isinstance(o, service.Receipt)]
            assert not refused, refused[0]
    elapsed = time.perf_counter() - start
    context.engine.dispose()
    return len(users) / elapsed


# --- one engine -------------------------------------------------------------------------------


def latency_rows(record: Record) -> list[Row]:
    rows = []
    for endpoint, values in sorted(record.latencies.items(), key=lambda kv: -len(kv[1])):
        rows.append(
            (f"  {endpoint}: p50 / p99", "—",
             f"{pct(values, 0.5):.0f} / {pct(values, 0.99):.0f} ms ({len(values):,} requests)")
        )  # fmt: skip
    return rows


def errors_text(record: Record) -> str:
    if not record.errors:
        return "none"
    return f"{sum(record.errors.values()):,}: " + "; ".join(
        f"{cause} ×{n}" for cause, n in record.errors.most_common(6)
    )


@dataclass
class Served:
    """One engine's served app and what the phases share."""

    label: str
    base: str
    url: str
    data_dir: Path
    pid: int
    workers: int
    plan: Plan
    people: People
    editor: dict


def run_engine(name: str, url: str, workers: int, plan: Plan, argon2_most: float) -> list[Row]:
    label = f"{name}, {workers} worker{'s' if workers > 1 else ''}"
    with serve(url, workers) as (base, process, data_dir):
        people = seed_people(url, plan)
        served = Served(
            label, base, url, data_dir, process.pid, workers, plan, people,
            people.co_facilitators[0],
        )  # fmt: skip
        memory = Memory(process.pid)
        rows, did = negotiation_rows(served)
        signing, held = signing_rows(served, did)
        bare, http_rate, service_rate = bare_signing_rows(served)
        at_end = memory.stop()
    return [
        *rows,
        *signing,
        *bare,
        (f"{label}: server RSS, sum over its {memory.processes} processes", "—",
         f"peak {memory.peak:.0f} MiB, at the end {at_end:.0f} MiB"),
        (f"{label}: what bounds the signing rate", "—", bound_text(
            argon2_most, http_rate, service_rate, held, plan.mayors / plan.signing_window)),
    ]  # fmt: skip


def bound_text(
    argon2_most: float, http_rate: float, service_rate: float, held: float, arriving: float
) -> str:
    """Which part of the signing path is the narrowest, from the rates each part allows."""
    parts = {
        "the password hash (argon2 on both cores)": argon2_most,
        "the HTTP request around the write": http_rate,
        "the write (group-committed service)": service_rate,
    }
    narrowest = min(parts, key=parts.__getitem__)
    allowed = "; ".join(f"{name} {rate:.0f}/s" for name, rate in parts.items())
    demand = (f"the mayors arrived at {arriving:.1f}/s and {held:.1f}/s were signed: "
              + ("the demand, not the server, set the pace" if held >= 0.95 * arriving
                 else "the server fell behind"))  # fmt: skip
    return f"{narrowest}. Each part allows: {allowed}. In the timed minute, {demand}"



def negotiation_rows(served: Served) -> tuple[list[Row], int]:
    """The busiest hour of the negotiation, compressed into `negotiation_seconds`."""
    people, label = served.people, served.label
    with httpx.Client(base_url=served.base, headers=served.editor, timeout=120) as http:
        r = http.post(
            "/api/declarations",
            json={"title": "Declaration on Cities and Migration", "text": draft_text()},
        )
        did = r.json()["id"]
        version = http.get(f"/api/declarations/{did}/versions/1").json()["paragraphs"]
    draft = Draft(
        did,
        keys=[p["key"] for p in version],
        amendable=[p["key"] for p in version if p["kind"] == "paragraph"],
    )
    record = Record()
    cpu, server = time.process_time(), cpu_seconds(served.pid)
    start, end = asyncio.run(negotiation(served.base, people, draft, served.plan, record))
    driver = (time.process_time() - cpu) / (end - start)
    server = (cpu_seconds(served.pid) - server) / (end - start)
    mean, lowest = record.rates(start, end)
    who = (f"{len(people.delegates)} delegates, {len(people.proposers)} proposing, "
           f"{len(people.co_facilitators)} co-facilitators")  # fmt: skip
    writes = {e: len(v) for e, v in record.latencies.items() if e.startswith("POST")}
    return [
        (f"{label}: negotiation ({who}, {end - start:.0f} s): requests/s held", "—",
         f"{mean:.0f}/s on average, lowest 5-s window {lowest:.0f}/s "
         f"({len(record.done_at):,} requests; the server used {server:.2f} cores, the "
         f"driver {driver:.2f})"),
        *latency_rows(record),
        (f"{label}: negotiation writes", "—",
         ", ".join(f"{e.split(' ', 1)[1]} {n}" for e, n in writes.items())
         + f"; head version {draft.head}; expected refusals: "
         + (", ".join(f"{c} ×{n}" for c, n in record.expected.items()) or "none")),
        (f"{label}: negotiation errors", "none", errors_text(record)),
    ], did  # fmt: skip


def signing_rows(served: Served, did: int) -> tuple[list[Row], float]:
    """The declaration finalized and opened; every mayor signs, at the production argon2 cost,
    arriving evenly within the signing window."""
    plan, label, mayors = served.plan, served.label, served.people.mayors
    with httpx.Client(base_url=served.base, headers=served.editor, timeout=120) as http:
        content_hash = finalize_and_open(http, did)
    record = Record()
    cpu, server = time.process_time(), cpu_seconds(served.pid)
    signing = asyncio.run(
        mayors_sign(served.base, did, content_hash, mayors, plan, 8 * served.workers, record)
    )
    server = (cpu_seconds(served.pid) - server) / max(len(signing.signed), 1)
    signed = signing.signed
    window = plan.signing_window
    in_window = sum(done - signing.start <= window for _, _, done in signed)
    last = max((done for _, _, done in signed), default=signing.start)
    driver = (time.process_time() - cpu) / max(last - signing.start, 1e-9)
    waited = [(done - arrival) * 1000 for arrival, _, done in signed] or [0.0]
    service = [(done - sent) * 1000 for _, sent, done in signed] or [0.0]
    # The rate once the first seconds are past: the server's pace when saturated.
    warm = min(5.0, window / 4)
    busy = sorted(done for _, _, done in signed if done - signing.start > warm)
    held = (len(busy) - 1) / (busy[-1] - busy[0]) if len(busy) > 1 else 0.0
    return [
        (f"{label}: {len(mayors):,} mayors arriving within {window:.0f} s "
         "(production argon2)", f"all within {window:.0f} s",
         f"{in_window:,} signed within {window:.0f} s, {len(signed):,} by "
         f"{last - signing.start:.0f} s, {signing.not_served:,} not yet sent at the "
         f"{plan.signing_deadline:.0f}-s bound"),
        (f"{label}: signatures/s held, production argon2 (one hash each)", "—",
         f"{held:.1f}/s; a mayor waited p50 {pct(waited, 0.5) / 1000:.1f} s, p99 "
         f"{pct(waited, 0.99) / 1000:.1f} s from arrival (the request itself p50 "
         f"{pct(service, 0.5):.0f} ms, p99 {pct(service, 0.99):.0f} ms); server CPU "
         f"{server * 1000:.0f} ms per signature; the driver used {driver:.2f} cores"),
        (f"{label}: signing errors", "none", errors_text(record)),
    ], held  # fmt: skip


def bare_signing_rows(served: Served) -> tuple[list[Row], float, float]:
    """The signing path without the hash: through HTTP for mayors whose password hash has
    argon2's cheapest cost, and the service in a loop in this process (no HTTP)."""
    plan, label = served.plan, served.label
    did, content_hash = open_declaration(served.base, served.editor, "Cheap", _short_text())
    record = Record()
    cpu, server = time.process_time(), cpu_seconds(served.pid)
    signed, elapsed = asyncio.run(
        flood(served.base, did, content_hash, served.people.cheap_mayors, plan.cheap_clients,
              plan.cheap_seconds, record)
    )  # fmt: skip
    driver = (time.process_time() - cpu) / elapsed
    server = (cpu_seconds(served.pid) - server) / max(signed, 1)
    values = record.latencies["POST /declarations/{id}/signatures"] or [0.0]
    http_rate = signed / elapsed
    rates = {}
    for batch in (1, 100):
        did, content_hash = open_declaration(served.base, served.editor, "Loop", _short_text())
        rates[batch] = service_loop(
            served.url, served.data_dir, did, content_hash, plan.service_signatures, batch
        )
    return [
        (f"{label}: signing path without the hash, HTTP ({plan.cheap_clients} clients, "
         "cheapest argon2)", "≥ 1,000/s",
         f"{http_rate:.0f}/s ({signed:,} in {elapsed:.1f} s; p50 {pct(values, 0.5):.0f} ms, "
         f"p99 {pct(values, 0.99):.0f} ms; server CPU {server * 1000:.1f} ms per signature; "
         f"the driver used {driver:.2f} cores; errors: {errors_text(record)})"),
        (f"{label}: signing service without the hash, no HTTP, one transaction each",
         "—", f"{rates[1]:.0f}/s"),
        (f"{label}: signing service without the hash, no HTTP, 100 per transaction "
         "(group commit)", "≥ 1,000/s", f"{rates[100]:.0f}/s"),
    ], http_rate, rates[100]  # fmt: skip


def _short_text() -> str:
    return (TEXTS / "un-a-res-80-3-awaza-political-declaration-2025.txt").read_text("utf-8")


def production_passwords() -> Passwords:
    """The hasher `concord serve` uses when no CONCORD_ARGON2_* setting lowers its cost."""
    fields = Settings.model_fields
    return Passwords(
        Settings(
            data_dir=Path(tempfile.gettempdir()),
            argon2_time_cost=fields["argon2_time_cost"].default,
            argon2_memory_kib=fields["argon2_memory_kib"].default,
        )
    )


def argon2_rows() -> tuple[list[Row], float]:
    passwords = production_passwords()
    hashed = passwords.hash(PASSWORD)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        passwords.verify(hashed, PASSWORD)
        times.append(time.perf_counter() - start)
    per_hash = statistics.median(times)
    threads = [
        threading.Thread(target=lambda: [passwords.verify(hashed, PASSWORD) for _ in range(3)])
        for _ in range(os.cpu_count() or 1)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    most = 3 * len(threads) / (time.perf_counter() - start)
    fields = Settings.model_fields
    return [
        (f"argon2 at the production cost (t={fields['argon2_time_cost'].default}, "
         f"{fields['argon2_memory_kib'].default // 1024} MiB): one password check", "—",
         f"{per_hash * 1000:.0f} ms; {most:.1f} checks/s at most on all "
         f"{os.cpu_count()} cores")
    ], most  # fmt: skip


@contextlib.contextmanager
def databases(wanted: list[str]) -> Iterator[list[tuple[str, str]]]:
    found: list[tuple[str, str]] = []
    with contextlib.ExitStack() as stack:
        for name in wanted:
            if name == "postgresql":
                from tests.pg import PostgresServer

                server = PostgresServer().start()
                stack.callback(server.stop)
                admin = make_engine(server.url(), isolation_level="AUTOCOMMIT")
                with admin.connect() as connection:
                    connection.execute(text("CREATE DATABASE concord_load"))
                admin.dispose()
                found.append((name, server.url("concord_load")))
            else:
                folder = Path(tempfile.mkdtemp(prefix="concord-load-db-"))
                stack.callback(shutil.rmtree, folder, ignore_errors=True)
                found.append((name, f"sqlite:///{folder / 'load.db'}"))
        yield found


def main(argv: list[str] | None = None) -> list[Row]:
    """(figure, target, measured) rows, as bench.run_all reads them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engines", default="postgresql,sqlite")
    parser.add_argument("--workers", type=int, default=2, help="on PostgreSQL (SQLite: 1)")
    args = parser.parse_args(argv)
    scale = float(os.environ.get("BENCH_LOAD_SCALE", "1"))
    plan = Plan.scaled(scale)
    load = os.getloadavg()[0]
    rows, argon2_most = argon2_rows()
    with databases(args.engines.split(",")) as found:
        for name, url in found:
            workers = args.workers if name == "postgresql" else 1
            rows.extend(run_engine(name, url, workers, plan, argon2_most))
    rows.append(load_row(load))
    return rows


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure:90} {target:>16}  {measured}")
