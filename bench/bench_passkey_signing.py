"""Signing with a passkey through HTTP, against `concord serve` on loopback: no password hash on
this path. Each signature is what the web app does: POST …/signatures/options (a single-use
challenge carrying the text's fingerprint), the mayor's authenticator signs it (the tests'
software P-256 authenticator, in this process), POST …/signatures with the assertion. On SQLite
with one worker and on PostgreSQL with two.

Where the time goes: the server's CPU per signature (from /proc); each stage as the service
runs it in this process on the same database, without HTTP (the challenge, the assertion's
check, the write one transaction at a time and group-committed); what HTTP alone costs (an
authenticated GET /api/me at the same concurrency); with --profile, one worker on SQLite under
cProfile in every thread, its time by package.

Bounded: `--mayors` (1,500) mayors each sign once, `--clients` (32) connections, `--seconds`
(8) of signing; loopback only. Mayors and their passkeys are written straight into the database
(registering is not measured).
Run: .venv/bin/python -m bench.bench_passkey_signing [--engines sqlite,postgresql] [--profile]
"""

import argparse
import asyncio
import os
import pstats
import signal
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import event, select

from app.auth.models import User
from app.context import AppContext
from app.declarations.service import get_declaration
from app.endorsements import signing
from app.endorsements.service import final_text
from app.passkeys import service as passkeys
from app.settings import Settings
from bench.bench_load import (
    JWT_SECRET,
    Plan,
    Record,
    browsers,
    cpu_seconds,
    databases,
    errors_text,
    in_turn,
    open_declaration,
    pct,
    seed_people,
    serve,
)
from bench.common import TEXTS, load_row
from tests.passkeys.authenticator import SoftAuthenticator

Row = tuple[str, str, str]
SIGN = "POST /declarations/{id}/signatures"
OPTIONS = "POST /declarations/{id}/signatures/options"
STAGE_SIGNATURES = 200  # mayors kept apart for the in-process stages


class Mayor:
    def __init__(self, user: User, headers: dict, authenticator: SoftAuthenticator):
        self.user, self.headers, self.authenticator = user, headers, authenticator


def short_text() -> str:
    return (TEXTS / "un-a-res-80-3-awaza-political-declaration-2025.txt").read_text("utf-8")


def register_passkeys(context: AppContext, headers: list[dict]) -> list[Mayor]:
    """A passkey for each of the mayors, registered by the service (its checks included) in
    this process, as the web app's 'Add a passkey' would through HTTP."""
    rp = context.relying_party
    mayors = []
    with context.sessionmaker() as session:
        query = select(User).where(User.email.like("cheap%@load.example")).order_by(User.id)
        users = list(session.scalars(query))
        for user, bearer in zip(users, headers, strict=True):
            authenticator = SoftAuthenticator(rp.origin)
            options = passkeys.registration_options(session, rp, user)
            passkeys.register(
                session, rp, user, name="Laptop", credential=authenticator.create(options)
            )
            mayors.append(Mayor(user, bearer, authenticator))
        session.expunge_all()
    return mayors


async def sign_in_turn(
    base: str, did: int, content_hash: str, mayors: list[Mayor], clients: int, seconds: float,
    record: Record,
) -> tuple[int, float]:  # fmt: skip
    """`clients` connections sign with one mayor's passkey after another: (signed, elapsed)."""
    url = f"/api/declarations/{did}/signatures"

    async def sign(http: httpx.AsyncClient, mayor: Mayor) -> bool:
        r = await record.call(http, OPTIONS, "POST", f"{url}/options", headers=mayor.headers)
        if r is None or r.status_code != 200:
            return False
        credential = mayor.authenticator.get(r.json()["challenge"])
        r = await record.call(
            http, SIGN, "POST", url, ok=(201,), headers=mayor.headers,
            json={"content_hash": content_hash, "passkey": credential},
        )  # fmt: skip
        return r is not None and r.status_code == 201

    return await in_turn(base, mayors, clients, seconds, sign)


async def authenticated_gets(base: str, headers: dict, clients: int, seconds: float) -> float:
    """GET /api/me as fast as `clients` connections go: requests/s of HTTP and the bearer
    check alone, for comparison."""
    done = 0
    async with browsers(base, clients) as connections:
        end = time.perf_counter() + seconds

        async def client(http: httpx.AsyncClient) -> None:
            nonlocal done
            while time.perf_counter() < end:
                r = await http.get("/api/me", headers=headers)
                done += r.status_code == 200

        start = time.perf_counter()
        await asyncio.gather(*(client(http) for http in connections))
        return done / (time.perf_counter() - start)


class Statements:
    """Counts what the engine sends the database: statements (BEGIN included) and commits."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._one)
        event.listen(engine, "commit", self._one)

    def _one(self, *_: Any) -> None:
        self.count += 1


def per_call(action: Callable[[], Any], count: int, sent: Statements) -> tuple[float, float]:
    """ms and database statements per call of `action`, called `count` times."""
    start, before = time.perf_counter(), sent.count
    for _ in range(count):
        action()
    return (time.perf_counter() - start) * 1000 / count, (sent.count - before) / count


def stages(context: AppContext, did: int, content_hash: str, mayors: list[Mayor]) -> dict:
    """(ms, statements) per call of each stage of a passkey signature, in this process (no
    HTTP)."""
    rp, keys = context.relying_party, context.keys
    sent = Statements(context.engine)
    half = len(mayors) // 2
    timings: dict[str, tuple[float, float]] = {}
    blocks = []
    with context.sessionmaker() as session:
        timings["the options request's reads (the declaration, its final text)"] = per_call(
            lambda: final_text(session, get_declaration(session, did)), 50, sent
        )

        def issue() -> None:
            mayor = mayors[len(blocks)]
            options = passkeys.signing_options(
                session, rp, mayor.user, declaration_id=did, content_hash=content_hash
            )
            blocks.append((mayor, options["challenge"]))

        timings["a challenge issued (signing_options: delete expired, insert, commit)"] = per_call(
            issue, len(mayors), sent
        )
        credentials = [(m, m.authenticator.get(c)) for m, c in blocks]
        checked = []

        def check() -> None:
            mayor, credential = credentials[len(checked)]
            block = passkeys.check_signing_assertion(
                session, rp, mayor.user, declaration_id=did, content_hash=content_hash,
                credential=credential,
            )  # fmt: skip
            checked.append(signing.Endorsement(mayor.user, content_hash, block))

        stage = "the assertion checked (offline verifier + py_webauthn + challenge used, commit)"
        timings[stage] = per_call(check, len(credentials), sent)

    def write(endorsements: list[signing.Endorsement]) -> None:
        with context.sessionmaker() as session:
            outcomes = signing.endorse_all(
                session, keys=keys, declaration_id=did, endorsements=endorsements
            )
            assert all(not isinstance(o, Exception) for o in outcomes), outcomes[0]

    alone = iter(checked[:half])
    timings["the write, one transaction each (endorse_all of 1)"] = per_call(
        lambda: write([next(alone)]), half, sent
    )
    rest = checked[half:]
    ms, statements = per_call(lambda: write(rest), 1, sent)
    stage = f"the write, {len(rest)} in one transaction (group commit), per signature"
    timings[stage] = (ms / len(rest), statements / len(rest))
    return timings


def package_of(filename: str) -> str:
    """The package a profiled function belongs to, for a summary by package."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].split(".", 1)[0]
    if "/app/" in filename:
        return "app." + filename.split("/app/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename.startswith("~") or filename == "":
        return "builtins (C)"
    return "stdlib " + Path(filename).stem


# Threads waiting (for a request, a lock, the next batch) are not work.
IDLE = (
    "<method 'acquire' of '_thread.lock' objects>",
    "<method 'poll' of 'select.epoll' objects>",
    "<method 'get' of '_queue.SimpleQueue' objects>",
    "<built-in method time.sleep>",
)


def profile_rows(path: Path, signed: int) -> list[Row]:
    """The profile's own time by package, and the functions with the most own time."""
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    own: dict[str, float] = defaultdict(float)
    functions = []
    for (filename, line, function), (_, _, tottime, _, _) in stats.items():
        if function in IDLE:
            continue
        own[package_of(filename)] += tottime
        functions.append((tottime, f"{Path(filename).name}:{line}({function})"))
    busy = sum(own.values())
    top = sorted(own.items(), key=lambda kv: -kv[1])[:12]
    per = max(signed, 1)
    return [
        ("profile (1 worker, SQLite, cProfile of each thread's CPU time): own time by package",
         "—",
         "; ".join(f"{name} {t / busy:.0%}" for name, t in top)
         + f" (busy {busy * 1000 / per:.1f} ms a signature under cProfile)"),
        ("profile: the functions with the most own time, per signature", "—",
         "; ".join(f"{name} {t * 1000 / per:.2f} ms" for t, name in sorted(functions)[-10:][::-1])),
    ]  # fmt: skip


def run_engine(name: str, url: str, workers: int, args: argparse.Namespace,
               profile: Path | None = None) -> list[Row]:  # fmt: skip
    label = f"{name}, {workers} worker{'s' if workers > 1 else ''}"
    plan = Plan(delegates=3, proposers=3, co_facilitators=1, mayors=3,
                cheap_mayors=args.mayors + STAGE_SIGNATURES)  # fmt: skip
    command = ("bench.profiled_serve", str(profile)) if profile else ("app.cli", "serve")
    with serve(url, workers, command=command) as (base, process, data_dir):
        people = seed_people(url, plan)
        editor = people.co_facilitators[0]
        port = urlsplit(base).port
        context = AppContext.build(Settings(
            data_dir=data_dir, database_url=url, jwt_secret=JWT_SECRET,
            public_origin=f"http://localhost:{port}",
        ))  # fmt: skip
        start = time.perf_counter()
        mayors = register_passkeys(context, people.cheap_mayors)
        registered = time.perf_counter() - start
        did, content_hash = open_declaration(base, editor, "Passkeys", short_text())
        record = Record()
        if profile:
            os.kill(process.pid, signal.SIGUSR1)  # the profile starts now
        cpu, server = time.process_time(), cpu_seconds(process.pid)
        signers = mayors[: args.mayors]
        signed, elapsed = asyncio.run(
            sign_in_turn(base, did, content_hash, signers, args.clients, args.seconds, record)
        )
        driver = (time.process_time() - cpu) / elapsed
        server = (cpu_seconds(process.pid) - server) / max(signed, 1)
        rows = [
            (f"{label}: sign with a passkey through HTTP ({args.clients} clients; options + "
             "sign = 2 requests a signature)", "≥ 1,000/s",
             f"{signed / elapsed:.0f} signatures/s, {2 * signed / elapsed:.0f} requests/s "
             f"({signed:,} in {elapsed:.1f} s; errors: {errors_text(record)})"),
            (f"{label}:   latency p50 / p99", "—", "; ".join(
                f"{endpoint.split(' ', 1)[1].removeprefix('/declarations/{id}/')} "
                f"{pct(v, 0.5):.0f} / {pct(v, 0.99):.0f} ms"
                for endpoint, v in record.latencies.items())),
            (f"{label}:   server CPU per signature; driver's CPU", "—",
             f"{server * 1000:.1f} ms (both requests; at most {workers / server:.0f}/s if the "
             f"server had {workers} core{'s' if workers > 1 else ''} to itself); the driver "
             f"used {driver:.2f} cores"),
        ]  # fmt: skip
        if not profile:  # the profile is of the signing alone
            http_only = asyncio.run(authenticated_gets(base, editor, args.clients, 3))
            rows.append((f"{label}:   HTTP alone: GET /api/me, same clients", "—",
                         f"{http_only:.0f} requests/s"))  # fmt: skip
            kept = mayors[args.mayors :]
            for stage, (ms, sql) in stages(context, did, content_hash, kept).items():
                rows.append((f"{label}:   stage, in process: {stage}", "—",
                             f"{ms:.2f} ms, {sql:.1f} statements sent"))  # fmt: skip
        rows.append((f"{label}: bench set-up: {len(mayors):,} passkeys registered in process",
                     "—", f"{registered:.1f} s"))  # fmt: skip
        context.engine.dispose()
    if profile:
        rows += profile_rows(profile, signed)
    return rows


def main(argv: list[str] | None = None) -> list[Row]:
    """(figure, target, measured) rows, as bench.run_all reads them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2, help="on PostgreSQL (SQLite: 1)")
    parser.add_argument("--mayors", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--profile", action="store_true",
                        help="also: one worker on SQLite under cProfile")  # fmt: skip
    parser.add_argument("--profile-file", type=Path, help="keep the profile (pstats) there")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    rows: list[Row] = []
    with databases([e for e in args.engines.split(",") if e]) as found:
        for name, url in found:
            workers = args.workers if name == "postgresql" else 1
            rows.extend(run_engine(name, url, workers, args))
    if args.profile:
        with databases(["sqlite"]) as found, tempfile.TemporaryDirectory() as folder:
            path = args.profile_file or Path(folder) / "profile.pstats"
            rows.extend(run_engine("sqlite under cProfile", found[0][1], 1, args, path))
    rows.append(load_row(load))
    return rows


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
