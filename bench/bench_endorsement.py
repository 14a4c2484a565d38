"""Endorsement at 10,000 signatories, through the services and the database: signing (without
the password hash), a sample through HTTP, proofs, the checkpoint check, the sealed bundle, its
PDF and `concord verify`. SQLite, and PostgreSQL when BENCH_DATABASE_URL is set or a local
PostgreSQL can be started.

Run: .venv/bin/python -m bench.bench_endorsement [--signatories N] [--http N] [--engines sqlite]
"""

import argparse
import contextlib
import io
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from alembic import command
from sqlalchemy import insert, select, text

from app.auth.models import City, User
from app.auth.security import Passwords, Tokens
from app.cli import alembic_config
from app.context import AppContext
from app.db import make_engine
from app.declarations.service import create_declaration, get_version
from app.endorsements import lifecycle, log, sealed, signing
from app.endorsements.verify_command import verify_file
from app.settings import Settings
from bench.common import TEXTS, served_concord

TEXT_FILE = TEXTS / "un-a-res-80-3-awaza-political-declaration-2025.txt"
JWT_SECRET = "bench-endorsement-" + "x" * 40
PASSWORD = "bench-password"
# Real places in their own scripts; a number keeps 10,000 of them apart.
PLACES = [
    ("Mechelen", "BE", "Bart Somers"),
    ("Malmö", "SE", "Katrin Stjernfeldt Jammeh"),
    ("São Paulo", "BR", "João Dória"),
    ("東京", "JP", "小池 百合子"),
    ("عمّان", "JO", "يوسف الشواربة"),
    ("Київ", "UA", "Віталій Кличко"),
    ("서울", "KR", "오세훈"),
    ("Αθήνα", "GR", "Χάρης Δούκας"),
    ("Łódź", "PL", "Hanna Zdanowska"),
    ("Zürich", "CH", "Corine Mauch"),
]
Row = tuple[str, str, str]


def ms(values: list[float]) -> str:
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    return f"median {statistics.median(values):.2f} ms, p99 {p99:.2f} ms, max {values[-1]:.1f} ms"


def elapsed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


@contextlib.contextmanager
def engines(wanted: list[str]) -> Iterator[list[tuple[str, str]]]:
    """(name, database URL) of each engine to measure; PostgreSQL only when it can be had."""
    found: list[tuple[str, str]] = []
    with contextlib.ExitStack() as stack:
        if "sqlite" in wanted:
            folder = Path(tempfile.mkdtemp(prefix="concord-bench-db-"))
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            found.append(("sqlite", f"sqlite:///{folder / 'bench.db'}"))
        if "postgresql" in wanted:
            url = postgres_url(stack)
            if url:
                found.append(("postgresql", url))
        yield found


def postgres_url(stack: contextlib.ExitStack) -> str | None:
    import os

    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    try:
        from tests.pg import PostgresServer

        server = PostgresServer().start()
    except Exception as error:  # noqa: BLE001 (no PostgreSQL here: measure SQLite only)
        print(f"PostgreSQL skipped: {error}")
        return None
    stack.callback(server.stop)
    admin = make_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE concord_bench"))
    admin.dispose()
    return server.url("concord_bench")


def prepare(url: str, data_dir: Path, signatories: int) -> tuple[AppContext, int, str]:
    """A migrated database with an open declaration and `signatories` mayors of as many cities."""
    engine = make_engine(url)
    config = alembic_config()
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()
    settings = Settings(
        data_dir=data_dir,
        database_url=url,
        jwt_secret=JWT_SECRET,
        argon2_time_cost=1,
        argon2_memory_kib=8192,
    )
    context = AppContext.build(settings)
    password_hash = context.passwords.hash(PASSWORD)
    with context.sessionmaker() as session:
        editor = User(
            email="editor@bench.example",
            name="Editor",
            role="co_facilitator",
            password_hash=password_hash,
        )
        session.add(editor)
        session.commit()
        declaration = create_declaration(
            session,
            actor=editor,
            title="Mechelen Declaration on Cities and Migration",
            text=TEXT_FILE.read_text("utf-8"),
        )
        did = declaration.id
        lifecycle.finalize(session, actor=editor, declaration_id=did, version=1)
        lifecycle.open_endorsement(session, keys=context.keys, actor=editor, declaration_id=did)
        content_hash = get_version(session, did, 1, with_paragraphs=False).content_hash
        session.execute(
            insert(City),
            [
                {"name": f"{place} {i}", "country": country, "kind": "city"}
                for i, (place, country, _) in enumerate(
                    (PLACES[i % len(PLACES)] for i in range(signatories)), 1
                )
            ],
        )
        city_ids = session.scalars(select(City.id).order_by(City.id)).all()
        session.execute(
            insert(User),
            [
                {
                    "email": f"mayor{i}@bench.example",
                    "name": PLACES[i % len(PLACES)][2],
                    "title": "Mayor",
                    "role": "mayor",
                    "city_id": city_id,
                    "password_hash": password_hash,
                }
                for i, city_id in enumerate(city_ids)
            ],
        )
        session.commit()
    return context, did, content_hash


def mayors(context: AppContext, limit: int | None = None) -> list[User]:
    with context.sessionmaker() as session:
        query = select(User).where(User.role == "mayor").order_by(User.id).limit(limit)
        users = list(session.scalars(query).unique())
        session.expunge_all()
    return users


def sign_all(
    context: AppContext, did: int, content_hash: str, users: list[User]
) -> tuple[list[float], list[float]]:
    """Each mayor's endorsement written as the signing route's writer writes it (its own session,
    a batch of one), the password check left out: wall time and this process's CPU time (a
    shared machine inflates the wall time)."""
    walls, cpus = [], []
    for user in users:
        wall, cpu = time.perf_counter(), time.process_time()
        [outcome] = signing.endorse_in_own_session(
            context.sessionmaker,
            [signing.Endorsement(user, content_hash)],
            keys=context.keys,
            declaration_id=did,
        )
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        if isinstance(outcome, Exception):
            raise outcome
    return walls, cpus


def http_sample(url: str, context: AppContext, did: int, count: int) -> tuple[list[float], float]:
    """`count` mayors sign a second declaration through `concord serve`, one after another."""
    with context.sessionmaker() as session:
        editor = session.scalar(select(User).where(User.role == "co_facilitator"))
        second = create_declaration(session, actor=editor, title="Second", text="One.\n\nTwo.")
        lifecycle.finalize(session, actor=editor, declaration_id=second.id, version=1)
        lifecycle.open_endorsement(
            session, keys=context.keys, actor=editor, declaration_id=second.id
        )
        content_hash = get_version(session, second.id, 1, with_paragraphs=False).content_hash
    tokens = Tokens(JWT_SECRET, 60)
    users = mayors(context, count)
    check = Passwords(context.settings)
    hash_ms = statistics.median(
        elapsed(lambda u=u: check.verify(u.password_hash, PASSWORD))[0] * 1000 for u in users[:20]
    )
    times = []
    with (
        served_concord(url, CONCORD_JWT_SECRET=JWT_SECRET) as base,
        httpx.Client(base_url=base, timeout=60) as http,
    ):
        for user in users:
            headers = {
                "Authorization": "Bearer "
                + tokens.issue(user_id=user.id, token_version=user.token_version)
            }
            http.get("/api/me", headers=headers).raise_for_status()  # warm the user cache
            seconds, r = elapsed(
                lambda h=headers: http.post(
                    f"/api/declarations/{second.id}/signatures",
                    json={"content_hash": content_hash, "password": PASSWORD},
                    headers=h,
                )
            )
            assert r.status_code == 201, r.text
            times.append(seconds * 1000)
    return times, hash_ms


def proofs(context: AppContext, did: int, size: int) -> list[Row]:
    rows = []
    rng = random.Random(7)
    with context.sessionmaker() as session:
        trees = log.LogTrees()
        cold, _ = elapsed(
            lambda: log.inclusion_proof(session, trees, did, seq=size // 3, tree_size=None)
        )
        warm = [
            elapsed(
                lambda: log.inclusion_proof(
                    session, trees, did, seq=rng.randint(1, size), tree_size=None
                )
            )[0]
            * 1000
            for _ in range(500)
        ]
        rows.append(("inclusion proof, latest tree (service + DB)", "< 5 ms", ms(warm)))
        rows.append(
            ("  first proof of a tree size (builds its tree)", "—", f"{cold * 1000:.1f} ms")
        )
        warm = [
            elapsed(
                lambda: log.consistency_proof(
                    session, trees, did, old_size=rng.randint(1, size), new_size=None
                )
            )[0]
            * 1000
            for _ in range(500)
        ]
        rows.append(("consistency proof, to the latest tree", "< 5 ms", ms(warm)))
        checks = [
            elapsed(lambda: log.verified_checkpoint(session, trees, did))[0] * 1000
            for _ in range(5)
        ]
        rows.append((f"log/checkpoint from the cached tree of {size:,} entries", "—", ms(checks)))
    return rows


def seal_and_download(context: AppContext, did: int, size: int, pdf: bool) -> list[Row]:
    rows = []
    with context.sessionmaker() as session:
        editor = session.scalar(select(User).where(User.role == "co_facilitator"))
        seconds, _ = elapsed(
            lambda: lifecycle.close_endorsement(
                session, keys=context.keys, actor=editor, declaration_id=did
            )
        )
        rows.append(("close (sign the seal)", "—", f"{seconds * 1000:.1f} ms"))

        def download(fmt: str) -> Path:
            return sealed.signed_declaration(
                session,
                keys=context.keys,
                data_dir=context.settings.data_dir,
                declaration_id=did,
                fmt=fmt,
            )

        seconds, path = elapsed(lambda: download("json"))
        rows.append(
            (
                f"JSON bundle of {size:,} entries (first download)",
                "< 2 s",
                f"{seconds:.2f} s, {path.stat().st_size / 1e6:.1f} MB",
            )
        )
        out = io.StringIO()
        kid = context.keys.current.kid
        seconds, code = elapsed(lambda: verify_file(path, trusted_keys=[kid], out=out))
        assert code == 0, out.getvalue()[-2000:]
        rows.append((f"concord verify of that bundle ({size:,} JWS)", "< 5 s", f"{seconds:.2f} s"))
        if pdf:
            seconds, path = elapsed(lambda: download("pdf"))
            rows.append(
                (
                    f"PDF with {size:,} signatories (first download)",
                    "< 15 s",
                    f"{seconds:.2f} s, {path.stat().st_size / 1e6:.1f} MB",
                )
            )
            seconds, path = elapsed(lambda: download("zip"))
            rows.append(("ZIP (bundle + cached PDF + README)", "—", f"{seconds:.2f} s"))
        seconds, _ = elapsed(lambda: download("json"))
        rows.append(("JSON bundle, later downloads (cached file)", "—", f"{seconds * 1000:.1f} ms"))
    return rows


def main(argv: list[str] | None = None) -> list[Row]:
    """(figure, target, measured) rows, the engine named in each figure (as bench.run_all reads)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signatories", type=int, default=10_000)
    parser.add_argument("--http", type=int, default=200, help="signatures through HTTP")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    n = args.signatories
    production = Passwords(Settings(data_dir=Path(tempfile.gettempdir())))
    hashed = production.hash(PASSWORD)
    argon2 = statistics.median(
        elapsed(lambda: production.verify(hashed, PASSWORD))[0] for _ in range(5)
    )
    results: list[tuple[str, Row]] = [
        ("", ("argon2 password check at the production cost (left out)", "—",
              f"{argon2 * 1000:.0f} ms")),
    ]  # fmt: skip
    with engines(args.engines.split(",")) as found:
        for position, (name, url) in enumerate(found):
            data_dir = Path(tempfile.mkdtemp(prefix="concord-bench-data-"))
            try:
                context, did, content_hash = prepare(url, data_dir, n)
                times, cpus = sign_all(context, did, content_hash, mayors(context))
                results.append(
                    (name, (f"sign, {n:,} mayors, service without the hash", "< 5 ms", ms(times)))
                )
                results.append(
                    (name, (f"  the last {min(n, 1000):,} signatures", "< 5 ms", ms(times[-1000:])))
                )
                results.append((name, ("  CPU time of this process per signature", "—", ms(cpus))))
                results.extend((name, row) for row in proofs(context, did, n))
                if args.http:
                    times, hash_ms = http_sample(url, context, did, args.http)
                    results.append(
                        (
                            name,
                            (
                                f"sign through HTTP, {args.http} mayors in turn",
                                "—",
                                f"{ms(times)} (incl. a {hash_ms:.1f} ms test-cost argon2)",
                            ),
                        )
                    )
                results.extend(
                    (name, row) for row in seal_and_download(context, did, n, pdf=position == 0)
                )
                context.engine.dispose()
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
    return [(f"{engine}: {figure}" if engine else figure, target, measured)
            for engine, (figure, target, measured) in results]  # fmt: skip


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure:70} {target:>7}  {measured}")
