"""Mayors signing at the same moment, through a real server and real threads: one standing
signature per city, and a gapless log whose root is the one its checkpoint signs."""

import threading

import httpx
import pytest

from app.auth.models import Role
from app.endorsements.merkle import leaf_hash, root_hash, verify_inclusion
from app.endorsements.statements import verify_jws
from tests.conftest import PASSWORD

SIGNERS = 20


def open_declaration(live_server) -> tuple[int, str, dict]:
    people = live_server.people()
    editor = people.headers(people.user(Role.co_facilitator))
    with httpx.Client(base_url=live_server.url, timeout=60, headers=editor) as http:
        r = http.post("/api/declarations", json={"title": "T", "text": "One.\n\nTwo."})
        did = r.json()["id"]
        content_hash = http.get(f"/api/declarations/{did}/versions/1").json()["content_hash"]
        assert http.post(f"/api/declarations/{did}/finalize", json={"version": 1}).is_success
        assert http.post(f"/api/declarations/{did}/endorsement/open").is_success
    return did, content_hash, editor


def sign_at_once(live_server, did: int, content_hash: str, headers: list[dict]) -> list:
    barrier = threading.Barrier(len(headers))
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def sign(h: dict) -> None:
        with httpx.Client(base_url=live_server.url, timeout=120) as http:
            barrier.wait()
            r = http.post(
                f"/api/declarations/{did}/signatures",
                json={"content_hash": content_hash, "password": PASSWORD},
                headers=h,
            )
            with lock:
                answers.append(r)

    threads = [threading.Thread(target=sign, args=(h,)) for h in headers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


@pytest.mark.parametrize("same_mayor", [False, True], ids=["20 mayors", "one mayor 20 times"])
def test_one_city_signing_twenty_times_at_once_signs_once(live_server, same_mayor):
    did, content_hash, editor = open_declaration(live_server)
    people = live_server.people()
    city = people.city("Mechelen")
    if same_mayor:
        headers = [people.headers(people.user(Role.mayor, city=city))] * SIGNERS
    else:
        headers = [people.headers(people.user(Role.mayor, city=city)) for _ in range(SIGNERS)]
    answers = sign_at_once(live_server, did, content_hash, headers)
    assert sorted(r.status_code for r in answers) == [201] + [409] * (SIGNERS - 1)
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {"already_signed"}
    with httpx.Client(base_url=live_server.url, timeout=60, headers=editor) as http:
        listed = http.get(f"/api/declarations/{did}/signatures?include_withdrawn=true").json()
        checkpoint = http.get(f"/api/declarations/{did}/log/checkpoint").json()
    assert listed["total"] == 1 and checkpoint["tree_size"] == 1


def test_twenty_cities_signing_at_once_make_a_gapless_log(live_server):
    did, content_hash, editor = open_declaration(live_server)
    people = live_server.people()
    headers = [people.headers(people.user(Role.mayor)) for _ in range(SIGNERS)]
    answers = sign_at_once(live_server, did, content_hash, headers)
    assert [r.status_code for r in answers] == [201] * SIGNERS, [r.text for r in answers]
    receipts = sorted((r.json() for r in answers), key=lambda r: r["seq"])
    assert [r["seq"] for r in receipts] == list(range(1, SIGNERS + 1))
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        checkpoint = http.get(f"/api/declarations/{did}/log/checkpoint").json()
        jwks = http.get("/api/.well-known/jwks.json").json()
    assert checkpoint["tree_size"] == SIGNERS
    leaves = [leaf_hash(r["jws"].encode()) for r in receipts]
    assert root_hash(leaves).hex() == checkpoint["root_hash"]
    for receipt, leaf in zip(receipts, leaves, strict=True):
        seq = receipt["seq"]
        assert verify_jws(receipt["jws"], jwks)["seq"] == seq
        signed = verify_jws(receipt["checkpoint"], jwks)
        assert signed["tree_size"] == seq
        assert root_hash(leaves[:seq]).hex() == signed["root_hash"]
        proof = [bytes.fromhex(p) for p in receipt["inclusion_proof"]]
        assert verify_inclusion(leaf, seq - 1, seq, proof, bytes.fromhex(signed["root_hash"]))
