"""Two `concord serve` processes on different ports sharing one PostgreSQL, as two machines
behind a load balancer would: what happens on one is known on the other at once."""

import os
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.endorsements.verify import verify_bundle
from tests.live.conftest import stream
from tests.test_serve import start_serve as start

ADMIN = ("secretariat@test.example", "a secret for the test")
PASSWORD = "a mayor's password"


@pytest.fixture(scope="module")
def machines(databases, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Two servers (each its own data directory: they share only what the environment and
    the database give them)."""
    if databases.kind != "postgresql":
        pytest.skip("several machines share a PostgreSQL database")
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    env = {
        **os.environ,
        "CONCORD_DATABASE_URL": databases.fresh(),
        "CONCORD_JWT_SECRET": "two-machines-" + "x" * 40,
        "CONCORD_SIGNING_KEY_PEM": key,
        "CONCORD_ADMIN_EMAIL": ADMIN[0],
        "CONCORD_ADMIN_PASSWORD": ADMIN[1],
        "CONCORD_ARGON2_MEMORY_KIB": "8192",
        "CONCORD_ARGON2_TIME_COST": "1",
        "CONCORD_FORWARDED_ALLOW_IPS": "127.0.0.1",  # so a test may speak for other addresses
        "CONCORD_DEMO": "0",
    }
    tmp = tmp_path_factory.mktemp("machines")
    first = start(env, tmp / "a")  # one after the other: the first migrates
    second = start(env, tmp / "b")
    try:
        yield first[1], second[1]
    finally:
        for process, _ in (first, second):
            process.terminate()
            process.wait(20)


def token(base: str, email: str, password: str, address: str = "10.9.9.9") -> dict[str, str]:
    r = httpx.post(f"{base}/api/auth/token", data={"username": email, "password": password},
                   headers={"X-Forwarded-For": address})  # fmt: skip
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


class World:
    def __init__(self, base: str):
        self.base = base
        self.admin = token(base, *ADMIN)
        self.count = 0

    def post(self, path: str, headers: dict, **body) -> dict:
        r = httpx.post(f"{self.base}/api{path}", json=body, headers=headers, timeout=30)
        assert r.is_success, r.text
        return r.json()

    def user(self, role: str, city: bool = True) -> tuple[int, str]:
        self.count += 1
        email = f"{role}{self.count}-{time.monotonic_ns()}@test.example"
        city_id = None
        if city:
            city_id = self.post("/cities", self.admin, name=f"City {email}", country="BE",
                                kind="city")["id"]  # fmt: skip
        made = self.post("/users", self.admin, email=email, name=f"{role} {self.count}",
                         password=PASSWORD, role=role, city_id=city_id)  # fmt: skip
        return made["id"], email

    def declaration(self, editor: dict) -> tuple[int, str]:
        made = self.post("/declarations", editor, title="Two machines",
                         text="# Title\n\nWe commit.\n\nWe meet again.\n")  # fmt: skip
        version = httpx.get(f"{self.base}/api/declarations/{made['id']}/versions/1",
                            headers=editor).json()  # fmt: skip
        return made["id"], version["paragraphs"][1]["key"]


def test_an_event_made_on_one_reaches_a_stream_on_the_other(machines):
    a, b = machines
    world = World(a)
    editor = token(a, world.user("co_facilitator", city=False)[1], PASSWORD)
    did, key = world.declaration(editor)
    reader = token(b, world.user("observer", city=False)[1], PASSWORD)
    with stream(f"{b}/api/declarations/{did}/stream", reader) as watching:
        made = world.post(f"/declarations/{did}/comments", editor, paragraph_key=key, body="Hi.")
        frame = watching.until("comment.created")
        assert frame["data"]["target"] == {"type": "comment", "id": made["id"]}


def test_the_sign_in_throttle_counts_failures_on_both(machines):
    a, b = machines
    _, email = World(a).user("observer", city=False)
    for n in range(10):  # five on each, each from an address of its own
        r = httpx.post(f"{(a, b)[n % 2]}/api/auth/token",
                       data={"username": email, "password": "a guess"},
                       headers={"X-Forwarded-For": f"10.1.0.{n}"})  # fmt: skip
        assert r.status_code == 401, r.text
    for base in (a, b):
        r = httpx.post(f"{base}/api/auth/token", data={"username": email, "password": PASSWORD},
                       headers={"X-Forwarded-For": "10.2.0.1"})  # fmt: skip
        assert r.status_code == 429 and r.json()["code"] == "login_throttled"


def test_a_deactivation_on_one_is_refused_on_the_other_within_a_second(machines):
    a, b = machines
    world = World(a)
    user_id, email = world.user("observer", city=False)
    headers = token(b, email, PASSWORD)
    assert httpx.get(f"{b}/api/me", headers=headers).status_code == 200  # cached on b now
    r = httpx.patch(f"{a}/api/users/{user_id}", json={"active": False}, headers=world.admin)
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 1.0  # b caches users for 5 s: only the channel is this fast
    while httpx.get(f"{b}/api/me", headers=headers).status_code != 401:
        assert time.monotonic() < deadline, "b still honours the deactivated account"
        time.sleep(0.05)


def test_signatures_from_both_go_into_one_gapless_log(machines):
    a, b = machines
    world = World(a)
    editor = token(a, world.user("co_facilitator", city=False)[1], PASSWORD)
    did, _ = world.declaration(editor)
    world.post(f"/declarations/{did}/finalize", editor, version=1)
    world.post(f"/declarations/{did}/endorsement/open", editor)
    content_hash = httpx.get(f"{a}/api/declarations/{did}", headers=editor).json()["final_hash"]
    mayors = [(base, token(base, world.user("mayor")[1], PASSWORD)) for base in (a, b) * 6]
    answers: list[httpx.Response] = []

    def sign(base: str, headers: dict) -> None:
        answers.append(httpx.post(f"{base}/api/declarations/{did}/signatures",
                                  json={"content_hash": content_hash, "password": PASSWORD},
                                  headers=headers, timeout=60))  # fmt: skip

    threads = [threading.Thread(target=sign, args=m) for m in mayors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r.status_code for r in answers] == [201] * len(mayors), [r.text for r in answers]
    assert sorted(r.json()["seq"] for r in answers) == list(range(1, len(mayors) + 1))
    checkpoint = httpx.get(f"{b}/api/declarations/{did}/log/checkpoint").json()
    assert checkpoint["tree_size"] == len(mayors)
    world.post(f"/declarations/{did}/endorsement/close", editor)
    bundle = httpx.get(f"{b}/api/declarations/{did}/signed-declaration?format=json",
                       headers=editor).json()  # fmt: skip
    report = verify_bundle(bundle, httpx.get(f"{a}/api/.well-known/jwks.json").json())
    assert report.problems == [] and report.entries == len(mayors)
