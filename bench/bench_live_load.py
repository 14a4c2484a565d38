"""The live room during the busiest hour, on one server: PostgreSQL, two workers. N open streams
of one declaration (the room), where a comment is written every `--interval` seconds, while
bench_load's negotiation runs on another declaration (200 delegates, 50 proposing, 3
co-facilitators) and then while bench_load's 1,000 mayors sign and the signing path is flooded.
For every stream and comment: the time from the event's record (its `at`, stamped at flush,
just before commit) to its arrival on that stream, p50 and p99, per phase; the server's memory
per open stream; errors (streams that broke, comments refused, events not delivered); and
bench_load's figures for the same phases, the signing rate through HTTP and what bounds it.

The streams and the room's comments run on a thread of their own (their own event loop) in the
driver, beside bench_load's clients; the driver shares the server's two cores.
Bounded: `--streams` (500) streams; bench_load's phases (BENCH_LOAD_SCALE scales them); loopback.
Run: .venv/bin/python -m bench.bench_live_load [--streams 500] [--interval 1]
"""

import argparse
import asyncio
import json
import os
import threading
import time
from collections import defaultdict
from datetime import datetime

import httpx

from bench.bench_live import pct
from bench.bench_live import seed as seed_readers
from bench.bench_load import (
    Memory,
    Plan,
    Served,
    argon2_rows,
    bare_signing_rows,
    bound_text,
    databases,
    negotiation_rows,
    process_tree,
    rss_mib,
    seed_people,
    serve,
    signing_rows,
)
from bench.common import load_row

Row = tuple[str, str, str]
TEXT = "# The room\n\nWe commit.\n\nWe meet again.\n"


class Room(threading.Thread):
    """The streams and the room's comments, on this thread's own event loop. `phase` names what
    the server is doing meanwhile; each comment, and its deliveries, count under the phase it
    was written in."""

    def __init__(self, base: str, authors: list[dict], readers: list[dict], interval: float):
        super().__init__(name="live-room", daemon=True)
        # Comments by turns: each author stays within the write limit (30 comments a minute).
        self.base, self.authors, self.readers, self.interval = base, authors, readers, interval
        self.editor = authors[0]
        self.phase: str | None = None  # None: no comment is written
        self.arrivals: list[tuple[int, float]] = []  # (comment id, seconds from its commit)
        self.phase_of: dict[int, str] = {}  # comment id -> the phase it was written in
        self.refused: dict[str, int] = defaultdict(int)
        self.broken = 0
        self.opened = threading.Event()
        self.stopping = threading.Event()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as failure:  # noqa: BLE001 (reported by the main thread)
            self.failure = failure
            self.opened.set()

    async def _main(self) -> None:
        limits = httpx.Limits(max_connections=len(self.readers) + 10, max_keepalive_connections=20)
        async with httpx.AsyncClient(base_url=self.base, timeout=600, limits=limits) as client:
            r = await client.post("/api/declarations", json={"title": "The room", "text": TEXT},
                                  headers=self.editor)  # fmt: skip
            r.raise_for_status()
            did = r.json()["id"]
            version = await client.get(f"/api/declarations/{did}/versions/1", headers=self.editor)
            key = version.json()["paragraphs"][1]["key"]
            opened = asyncio.Semaphore(0)
            url = f"/api/declarations/{did}/stream"
            streams = [asyncio.create_task(self._watch(client, url, h, opened))
                       for h in self.readers]  # fmt: skip
            for _ in self.readers:
                await asyncio.wait_for(opened.acquire(), 120)
            self.opened.set()
            n = 0
            while not self.stopping.is_set():
                phase = self.phase
                if phase is not None:
                    n += 1
                    body = {"paragraph_key": key, "body": f"Remark {n}."}
                    r = await client.post(f"/api/declarations/{did}/comments", json=body,
                                          headers=self.authors[n % len(self.authors)])  # fmt: skip
                    if r.status_code == 201:
                        self.phase_of[r.json()["id"]] = phase
                    else:
                        self.refused[phase] += 1
                await asyncio.sleep(self.interval)
            await asyncio.sleep(5)  # the last comments' deliveries
            for task in streams:
                task.cancel()
            outcomes = await asyncio.gather(*streams, return_exceptions=True)
            self.broken = sum(not isinstance(o, asyncio.CancelledError) for o in outcomes)

    async def _watch(self, client: httpx.AsyncClient, url: str, headers: dict, opened) -> None:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code != 200:
                raise RuntimeError(f"stream answered {response.status_code}")
            opened.release()
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    event = json.loads(line[6:])
                    at = datetime.fromisoformat(event["at"]).timestamp()
                    self.arrivals.append((event["target"]["id"], time.time() - at))

    def delays(self) -> dict[str, list[float]]:
        """Seconds from commit to arrival, for every delivery, by the phase of its comment."""
        by_phase: dict[str, list[float]] = defaultdict(list)
        for comment, delay in self.arrivals:
            by_phase[self.phase_of.get(comment, "unknown")].append(delay)
        return by_phase

    def posted(self) -> dict[str, int]:
        counted: dict[str, int] = defaultdict(int)
        for phase in self.phase_of.values():
            counted[phase] += 1
        return counted


def delivery_rows(room: Room, streams: int, phases: dict[str, str]) -> list[Row]:
    rows = []
    delays, posted = room.delays(), room.posted()
    for phase, what in phases.items():
        these = delays.get(phase, [])
        expected = posted[phase] * streams
        measured = (
            f"p50 {pct(these, 50) * 1000:.0f} ms, p99 {pct(these, 99) * 1000:.0f} ms, max "
            f"{max(these) * 1000:.0f} ms; {len(these):,} deliveries of "
            f"{posted[phase]} comments × {streams} streams = {expected:,}"
            if these
            else "nothing delivered"
        )
        rows.append((f"commit to delivery on {streams} streams, 2 workers (PostgreSQL), "
                     f"{what}", "p99 < 1 s", measured))  # fmt: skip
    expected = sum(posted.values()) * streams
    rows.append((
        "live room errors: streams broken; comments refused; deliveries missing", "none",
        f"{room.broken} streams broken; {sum(room.refused.values())} comments refused; "
        f"{expected - len(room.arrivals):,} of {expected:,} deliveries missing",
    ))  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> list[Row]:
    """(figure, target, measured) rows, as bench.run_all reads them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between comments")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    plan = Plan.scaled(float(os.environ.get("BENCH_LOAD_SCALE", "1")))
    load = os.getloadavg()[0]
    rows, argon2_most = argon2_rows()
    label = f"postgresql, {args.workers} workers"
    with databases(["postgresql"]) as found:
        url = found[0][1]
        with serve(url, args.workers) as (base, process, data_dir):
            people = seed_people(url, plan)
            editor, readers = seed_readers(url, args.streams)
            served = Served(label, base, url, data_dir, process.pid, args.workers, plan, people,
                            people.co_facilitators[0])  # fmt: skip
            before = rss_mib(process_tree(process.pid))
            room = Room(base, [editor, *people.co_facilitators], readers, args.interval)
            room.start()
            room.opened.wait(180)
            if room.failure is not None:
                raise room.failure
            time.sleep(2)
            per_stream = (rss_mib(process_tree(process.pid)) - before) * 1024 / args.streams
            memory = Memory(process.pid)
            room.phase = "negotiation"
            negotiation, did = negotiation_rows(served)
            room.phase = "signing"
            signing, held = signing_rows(served, did)
            room.phase = "flood"
            bare, http_rate, service_rate = bare_signing_rows(served)
            room.phase = None
            room.stopping.set()
            room.join(60)
            at_end = memory.stop()
    phases = {
        "negotiation": "during the negotiation's load",
        "signing": "while 1,000 mayors sign (production argon2)",
        "flood": "while the signing path without the hash is flooded",
    }
    rows += [
        *delivery_rows(room, args.streams, phases),
        ("server memory per open stream (RSS of the server's processes, before and after the "
         "streams opened)", "—", f"{per_stream:.0f} KiB"),
        *negotiation,
        *signing,
        *bare,
        (f"{label}: server RSS, sum over its {memory.processes} processes, with the streams "
         "open", "—", f"peak {memory.peak:.0f} MiB, at the end {at_end:.0f} MiB"),
        (f"{label}: what bounds the signing rate (streams open)", "—", bound_text(
            argon2_most, http_rate, service_rate, held, plan.mayors / plan.signing_window)),
        load_row(load),
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
