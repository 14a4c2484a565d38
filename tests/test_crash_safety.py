"""Crash safety: `concord serve` killed (SIGKILL) in the middle of a merge and in the middle of a
burst of signatures, then restarted on the same database. Every version is whole, every
acknowledged signature is in the log with the JWS its receipt carries, the log's root verifies,
and nothing half-written is visible. On SQLite (the killed process holds the database file) and
on PostgreSQL (the killed process holds open transactions and the declaration's row lock)."""

import contextlib
import hashlib
import io
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Connection, text

from app.auth.security import Tokens
from app.db import make_engine
from app.endorsements.merkle import leaf_hash, verify_consistency, verify_inclusion
from app.endorsements.statements import verify_jws
from app.endorsements.verify_command import verify_file
from tests.conftest import TEXTS
from tests.test_serve import free_port

ROOT = Path(__file__).resolve().parent.parent
JWT_SECRET = "crash-test-secret-" + "x" * 40
ADMIN = ("secretariat@crash.example", "a secret for the crash test")
PASSWORD = "mayor password"
BATCH = 25  # amendments per merge
BATCHES = 7  # a calibration merge, at most one per killed round, and one after them
ROUNDS = 5  # merges killed
MAYORS = 90
BURSTS = (20, 45)  # kill when this many receipts have come back in all
CLIENTS = 12


class Served:
    """`concord serve` on one database and port, which the test may kill and start again."""

    def __init__(self, database_url: str, data_dir: Path):
        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / "serve.log"
        self.env = {
            **os.environ,
            "CONCORD_PORT": str(self.port),
            "CONCORD_DATA_DIR": str(data_dir),
            "CONCORD_DATABASE_URL": database_url,
            "CONCORD_ADMIN_EMAIL": ADMIN[0],
            "CONCORD_ADMIN_PASSWORD": ADMIN[1],
            "CONCORD_JWT_SECRET": JWT_SECRET,
            "CONCORD_ARGON2_MEMORY_KIB": "8192",
            "CONCORD_ARGON2_TIME_COST": "1",
            "CONCORD_LOGIN_BURST": "100000",
            "CONCORD_AMENDMENTS_PER_MINUTE": "100000",
            "CONCORD_WORKERS": "1",  # uvicorn then serves in this very process: kill hits it
        }
        self.process: subprocess.Popen | None = None
        self.kills = 0

    def start(self) -> "Served":
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"concord serve did not start:\n{self.log.read_text()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no rollback, no flush of anything the process holds."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)


@pytest.fixture
def served(databases, tmp_path):
    server = Served(databases.fresh(), tmp_path / "data").start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def database(server: Served) -> Iterator[Connection]:
    """The served database, read straight (what the API shows is checked apart)."""
    engine = make_engine(server.database_url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def client(server: Served, headers: dict | None = None) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=headers or {}, timeout=60)


def bearer(user_id: int) -> dict[str, str]:
    token = Tokens(JWT_SECRET, 60).issue(user_id=user_id, token_version=0)
    return {"Authorization": f"Bearer {token}"}


def sign_in(server: Served) -> dict[str, str]:
    r = httpx.post(
        f"{server.url}/api/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def all_pages(http: httpx.Client, path: str) -> list[dict]:
    items: list[dict] = []
    while True:
        separator = "&" if "?" in path else "?"
        page = http.get(f"{path}{separator}limit=500&offset={len(items)}")
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        if len(items) >= body["total"]:
            return items


def import_people(http: httpx.Client, role: str, count: int, prefix: str) -> list[int]:
    """`count` cities, one `role` account each (password PASSWORD); their user ids."""
    mailbox = prefix.lower().replace(" ", "-")
    cities = "name,country\n" + "".join(f"{prefix} {i},DE\n" for i in range(count))
    assert http.post("/api/cities/import", json={"csv": cities}).status_code == 200
    users = "email,name,role,title,city,country,password\n" + "".join(
        f"{mailbox}{i}@crash.example,{prefix} Person {i},{role},"
        f"{'Mayor' if role == 'mayor' else ''},{prefix} {i},DE,{PASSWORD}\n"
        for i in range(count)
    )
    r = http.post("/api/users/import", json={"csv": users})
    assert r.status_code == 200, r.text
    emails = {f"{mailbox}{i}@crash.example" for i in range(count)}
    return [u["id"] for u in all_pages(http, "/api/users") if u["email"] in emails]


# --- a merge killed half-way -----------------------------------------------------------------


def prepare_negotiation(server: Served) -> tuple[dict, int, list[list[int]]]:
    """Basic Law (v3, 888 paragraphs) and BATCHES batches of accepted amendments, each on a
    paragraph of its own."""
    admin = sign_in(server)
    with client(server, admin) as http:
        raw = (TEXTS / "de-grundgesetz-v3-2020.txt").read_text("utf-8")
        r = http.post("/api/declarations", json={"title": "Grundgesetz", "text": raw})
        assert r.status_code == 201, r.text
        did = r.json()["id"]
        paragraphs = [
            p
            for p in http.get(f"/api/declarations/{did}/versions/1").json()["paragraphs"]
            if p["kind"] == "paragraph"
        ]
        delegates = [bearer(uid) for uid in import_people(http, "delegate", 10, "Stadt")]

    def propose_and_accept(n: int) -> int:
        paragraph = paragraphs[n * (len(paragraphs) // (BATCH * BATCHES))]
        with client(server) as http:
            r = http.post(
                f"/api/declarations/{did}/amendments",
                json={"base_version": 1, "action": "modify", "paragraph_key": paragraph["key"],
                      "text": f"{paragraph['text']} (Änderung {n})", "rationale": "Klarer."},
                headers=delegates[n % len(delegates)],
            )  # fmt: skip
            assert r.status_code == 201, r.text
            amendment = r.json()["id"]
            r = http.post(
                f"/api/amendments/{amendment}/decision",
                json={"decision": "accept", "note": None},
                headers=admin,
            )
            assert r.status_code == 200, r.text
            return amendment

    with ThreadPoolExecutor(4) as pool:
        ids = list(pool.map(propose_and_accept, range(BATCH * BATCHES)))
    return admin, did, [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def merge(server: Served, admin: dict, did: int, base: int, batch: list[int]) -> httpx.Response:
    with client(server, admin) as http:
        return http.post(
            f"/api/declarations/{did}/versions",
            json={"base_version": base, "amendments": batch, "note": "Merged"},
        )


def merge_killed_after(
    server: Served, admin: dict, did: int, base: int, batch: list[int], delay: float
) -> httpx.Response | None:
    """The merge in a thread, SIGKILL `delay` seconds after it was sent; its answer, if any."""
    answers: list[httpx.Response | Exception] = []
    sent = threading.Event()

    def run() -> None:
        sent.set()
        try:
            answers.append(merge(server, admin, did, base, batch))
        except httpx.TransportError as error:
            answers.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    sent.wait()
    time.sleep(delay)
    server.kill()
    thread.join(30)
    answer = answers[0]
    return answer if isinstance(answer, httpx.Response) else None


def canonical(paragraphs: list[dict]) -> bytes:
    """The design's canonical text, rebuilt here from the paragraphs as read."""
    blocks = [("# " if p["kind"] == "heading" else "") + p["text"] for p in paragraphs]
    return ("\n\n".join(unicodedata.normalize("NFC", b) for b in blocks) + "\n").encode()


def assert_versions_whole(server: Served, admin: dict, did: int) -> int:
    """Every version rebuilds its hash, the head is the last whole version, every merged
    amendment names a version that exists and lists it, every version has its audit event."""
    with client(server, admin) as http:
        declaration = http.get(f"/api/declarations/{did}").json()
        head = declaration["head_version"]
        versions = http.get(f"/api/declarations/{did}/versions").json()
        assert [v["number"] for v in versions] == list(range(1, head + 1))
        for summary in versions:
            n = summary["number"]
            r = http.get(f"/api/declarations/{did}/versions/{n}/text")
            assert r.status_code == 200
            digest = "sha256:" + hashlib.sha256(r.content).hexdigest()
            assert digest == summary["content_hash"] == r.headers["X-Content-Hash"], n
            version = http.get(f"/api/declarations/{did}/versions/{n}").json()
            positions = [p["position"] for p in version["paragraphs"]]
            assert positions == list(range(1, len(positions) + 1)), n
            assert canonical(version["paragraphs"]) == r.content, n
        amendments = all_pages(http, f"/api/declarations/{did}/amendments")
        merged_into = {v["number"]: set(v["merged_amendments"]) for v in versions}
        for amendment in amendments:
            if amendment["status"] == "merged":
                assert 2 <= amendment["merged_version"] <= head, amendment
                assert amendment["id"] in merged_into[amendment["merged_version"]]
            else:
                assert amendment["status"] == "accepted" and amendment["merged_version"] is None
        assert sum(len(ids) for ids in merged_into.values()) == sum(
            a["status"] == "merged" for a in amendments
        )
        events = Counter(e["action"] for e in all_pages(http, f"/api/declarations/{did}/events"))
        assert events["version.create"] == head - 1
        assert events["amendment.merged"] == sum(a["status"] == "merged" for a in amendments)
    with database(server) as db:
        # No paragraph rows of a version that did not land, none of any version twice.
        orphans = db.execute(
            text(
                "SELECT count(*) FROM paragraphs WHERE version_id NOT IN (SELECT id FROM versions)"
            )
        ).scalar_one()
        assert orphans == 0
        numbers = db.execute(
            text("SELECT number FROM versions WHERE declaration_id = :d ORDER BY number"),
            {"d": did},
        ).scalars()
        assert list(numbers) == list(range(1, head + 1))
    return head


def test_killed_in_the_middle_of_a_merge(served):
    """A merge of 25 amendments into Basic Law, killed before, at and after its commit: after
    each restart the versions are whole and the head, amendments and audit events agree, and
    a killed merge can be made again."""
    admin, did, batches = prepare_negotiation(served)
    start = time.perf_counter()
    assert merge(served, admin, did, 1, batches.pop(0)).status_code == 201
    calibration = time.perf_counter() - start
    head = 2
    outcomes = []
    # Aim at the commit: a kill that came too late (answered) comes sooner next time, one that
    # came too early (nothing landed) later, so the rounds land before, at and after it.
    delay = calibration / 2
    for _ in range(ROUNDS):
        batch = batches[0]
        answer = merge_killed_after(served, admin, did, head, batch, delay)
        served.start()
        admin = sign_in(served)
        new_head = assert_versions_whole(served, admin, did)
        landed = new_head == head + 1
        assert new_head in (head, head + 1)
        if answer is not None:  # the answer got out before the kill: it had to land
            assert answer.status_code == 201 and landed, answer.text
        outcome = "answered" if answer is not None else "landed" if landed else "lost"
        outcomes.append(f"{outcome} at {delay * 1000:.0f} ms")
        delay *= {"answered": 0.6, "landed": 1.0, "lost": 1.3}[outcome]
        if landed:
            batches.pop(0)
        head = new_head
    print(f"merge of {BATCH} amendments: {calibration * 1000:.0f} ms; kills: {outcomes}")
    # The kill landed inside the request at least once (no answer came back).
    assert any(not o.startswith("answered") for o in outcomes), (calibration, outcomes)
    # Merging works after the crashes, also for a batch whose merge was killed.
    assert merge(served, admin, did, head, batches[0]).status_code == 201
    assert assert_versions_whole(served, admin, did) == head + 1


# --- a burst of signatures killed half-way -----------------------------------------------------


def prepare_endorsement(server: Served) -> tuple[dict, int, str, list[int]]:
    admin = sign_in(server)
    with client(server, admin) as http:
        raw = (TEXTS / "un-a-res-80-3-awaza-political-declaration-2025.txt").read_text("utf-8")
        r = http.post("/api/declarations", json={"title": "Awaza", "text": raw})
        did = r.json()["id"]
        content_hash = http.get(f"/api/declarations/{did}/versions/1").json()["content_hash"]
        assert http.post(f"/api/declarations/{did}/finalize", json={"version": 1}).is_success
        assert http.post(f"/api/declarations/{did}/endorsement/open").is_success
        mayors = import_people(http, "mayor", MAYORS, "Mayor City")
    assert len(mayors) == MAYORS
    return admin, did, content_hash, mayors


def sign(http: httpx.Client, did: int, content_hash: str, mayor: int) -> httpx.Response:
    return http.post(
        f"/api/declarations/{did}/signatures",
        json={"content_hash": content_hash, "password": PASSWORD},
        headers=bearer(mayor),
    )


def burst_killed_after(
    server: Served, did: int, content_hash: str, mayors: list[int], receipts: dict, kill_at: int
) -> set[int]:
    """CLIENTS threads sign for `mayors`; SIGKILL once `kill_at` receipts have come back in all.
    Receipts that came back are recorded (mayor → receipt); returns the mayors whose request
    was sent and got no answer."""
    waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
    for mayor in mayors:
        waiting.put(mayor)
    lock = threading.Lock()
    unanswered: set[int] = set()
    refused: list[str] = []

    def signer() -> None:
        with client(server) as http:
            while server.kills == kills_before:
                try:
                    mayor = waiting.get_nowait()
                except queue.Empty:
                    return
                try:
                    r = sign(http, did, content_hash, mayor)
                except httpx.TransportError:
                    with lock:
                        unanswered.add(mayor)
                    return
                with lock:
                    if r.status_code != 201:
                        refused.append(r.text)
                        continue
                    receipts[mayor] = r.json()
                    if len(receipts) == kill_at:
                        server.kill()

    kills_before = server.kills
    threads = [threading.Thread(target=signer) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not refused, refused
    assert server.kills == kills_before + 1, "the burst ended before the kill"
    return unanswered


def assert_log_whole(server: Served, did: int, receipts: dict) -> int:
    """The checkpoint recomputes; every receipt's entry is in the log with its very JWS and
    proves its inclusion in the latest tree; seqs, checkpoints and signatures are gapless and
    one for one."""
    with client(server) as http:
        jwks = http.get("/api/.well-known/jwks.json").json()
        r = http.get(f"/api/declarations/{did}/log/checkpoint")
        assert r.status_code == 200, r.text
        latest = r.json()
        size, root = latest["tree_size"], bytes.fromhex(latest["root_hash"])
        assert verify_jws(latest["jws"], jwks)["root_hash"] == latest["root_hash"]
        for receipt in receipts.values():
            seq = receipt["seq"]
            leaf = leaf_hash(receipt["jws"].encode("ascii"))
            assert verify_jws(receipt["jws"], jwks)["seq"] == seq
            proof = http.get(f"/api/declarations/{did}/log/proof?seq={seq}").json()
            assert proof["leaf_hash"] == leaf.hex() and proof["tree_size"] == size
            path = [bytes.fromhex(p) for p in proof["inclusion_proof"]]
            assert verify_inclusion(leaf, seq - 1, size, path, root), seq
            # The receipt's own checkpoint is a prefix of today's log.
            then = verify_jws(receipt["checkpoint"], jwks)
            consistency = http.get(
                f"/api/declarations/{did}/log/consistency?from={then['tree_size']}&to={size}"
            ).json()
            assert verify_consistency(
                then["tree_size"],
                size,
                bytes.fromhex(then["root_hash"]),
                root,
                [bytes.fromhex(p) for p in consistency["consistency_proof"]],
            )
    with database(server) as db:
        entries = dict(
            db.execute(
                text("SELECT seq, jws FROM log_entries WHERE declaration_id = :d"), {"d": did}
            ).all()
        )
        assert sorted(entries) == list(range(1, size + 1))  # gapless, and no entry past the tree
        for receipt in receipts.values():
            assert entries[receipt["seq"]] == receipt["jws"]
        sizes = db.execute(
            text("SELECT tree_size FROM checkpoints WHERE declaration_id = :d"), {"d": did}
        ).scalars()
        assert sorted(sizes) == list(range(size + 1))  # one checkpoint per size, none ahead
        signatures = db.execute(
            text(
                "SELECT s.seq, e.seq FROM signatures s LEFT JOIN log_entries e "
                "ON e.signature_id = s.id AND e.kind = 'endorsement' WHERE s.declaration_id = :d"
            ),
            {"d": did},
        ).all()
        assert len(signatures) == size and all(a == b for a, b in signatures)
        signed = db.execute(
            text(
                "SELECT count(*) FROM events WHERE action = 'signature.sign' "
                "AND declaration_id = :d"
            ),
            {"d": did},
        ).scalar_one()
        assert signed == size
    return size


def test_killed_in_the_middle_of_a_burst_of_signatures(served):
    """Twelve clients signing for 90 mayors, the server killed twice mid-burst: every receipt
    given is in the log with its JWS and proves its inclusion in the latest tree, the log is
    gapless, requests without an answer landed whole or not at all, signing goes on, and the
    sealed bundle verifies offline."""
    admin, did, content_hash, mayors = prepare_endorsement(served)
    receipts: dict[int, dict] = {}
    unanswered: set[int] = set()
    for kill_at in BURSTS:
        untried = [m for m in mayors if m not in receipts and m not in unanswered]
        unanswered |= burst_killed_after(served, did, content_hash, untried, receipts, kill_at)
        served.start()
        size = assert_log_whole(served, did, receipts)
        # A request without an answer landed whole or not at all.
        assert len(receipts) <= size <= len(receipts) + len(unanswered)
    assert unanswered  # the kills landed while signatures were in flight
    # Every mayor without a receipt signs now: a request that landed before the kill is found
    # (409 already_signed), any other lands now: signing works after the crashes.
    landed_unanswered = set()
    with client(served) as http:
        for mayor in mayors:
            if mayor in receipts:
                continue
            r = sign(http, did, content_hash, mayor)
            if r.status_code == 409:
                assert r.json()["code"] == "already_signed", r.text
                landed_unanswered.add(mayor)
            else:
                assert r.status_code == 201, r.text
                receipts[mayor] = r.json()
    assert landed_unanswered <= unanswered
    assert assert_log_whole(served, did, receipts) == MAYORS
    assert len(receipts) + len(landed_unanswered) == MAYORS
    print(
        f"signatures: {len(unanswered)} requests in flight at the kills, "
        f"{len(landed_unanswered)} of them landed"
    )
    # The sealed log verifies offline, as the SRSG office would check it.
    with client(served, admin) as http:
        assert http.post(f"/api/declarations/{did}/endorsement/close").status_code == 200
        bundle = http.get(f"/api/declarations/{did}/signed-declaration?format=json")
        assert bundle.status_code == 200
        jwks = http.get("/api/.well-known/jwks.json").content
    path = served.log.parent / "bundle.json"
    path.write_bytes(bundle.content)
    (served.log.parent / "jwks.json").write_bytes(jwks)
    report = io.StringIO()
    code = verify_file(path, trusted_jwks=served.log.parent / "jwks.json", out=report)
    assert code == 0, report.getvalue()
