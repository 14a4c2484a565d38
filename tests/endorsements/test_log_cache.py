"""The public log endpoints answer from one cached tree per log, extended by new entries only:
the answers are those of a tree built from scratch, and no request re-hashes what was read."""

import pytest
from sqlalchemy import select

from app.endorsements import log as log_module
from app.endorsements.merkle import MerkleTree, leaf_hash
from app.endorsements.models import LogEntry
from tests.endorsements.test_endorsement_api import endorsement  # noqa: F401 (fixture)

SIGNATURES = 7


def stored_leaves(session, did: int) -> list[bytes]:
    jwss = session.scalars(
        select(LogEntry.jws).where(LogEntry.declaration_id == did).order_by(LogEntry.seq)
    ).all()
    return [leaf_hash(jws.encode()) for jws in jwss]


@pytest.fixture
def signed_log(endorsement):  # noqa: F811
    endorsement.opened()
    for _ in range(SIGNATURES):
        endorsement.signed(endorsement.mayor())
    return endorsement


@pytest.fixture
def counted_leaf_hashes(monkeypatch):
    calls = []

    def counting(entry: bytes) -> bytes:
        calls.append(entry)
        return leaf_hash(entry)

    monkeypatch.setattr(log_module, "leaf_hash", counting)
    return calls


def test_every_proof_of_every_size_is_the_from_scratch_one(signed_log, session):
    client, url = signed_log.client, signed_log.url
    leaves = stored_leaves(session, signed_log.did)
    assert signed_log.checkpoint()["root_hash"] == MerkleTree(leaves).root.hex()
    for size in range(1, SIGNATURES + 1):
        scratch = MerkleTree(leaves[:size])  # the tree of that size alone, built anew
        for seq in range(1, size + 1):
            r = client.get(url("/log/proof"), params={"seq": seq, "tree_size": size})
            assert r.status_code == 200, r.text
            assert r.json()["root_hash"] == scratch.root.hex()
            assert r.json()["inclusion_proof"] == [
                p.hex() for p in scratch.inclusion_proof(seq - 1)
            ]
        for old in range(1, size + 1):
            r = client.get(url("/log/consistency"), params={"from": old, "to": size})
            assert r.status_code == 200, r.text
            expected = [p.hex() for p in scratch.consistency_proof(old)]
            assert r.json()["consistency_proof"] == expected


def test_the_cache_is_extended_never_recomputed(signed_log, session, counted_leaf_hashes):
    trees = signed_log.client.app.state.context.log_trees
    signed_log.checkpoint()
    assert len(counted_leaf_hashes) == SIGNATURES  # the first read checks every entry once
    tree = trees.tree(session, signed_log.did, log_module.require_log(session, signed_log.did))
    built = tree.hashes
    for size in range(1, SIGNATURES + 1):
        signed_log.client.get(signed_log.url("/log/proof"), params={"seq": 1, "tree_size": size})
        signed_log.checkpoint()
    assert len(counted_leaf_hashes) == SIGNATURES and tree.hashes == built
    signed_log.signed(signed_log.mayor())
    assert signed_log.checkpoint()["tree_size"] == SIGNATURES + 1
    # the append hashes its entry, the next read checks that one entry only
    assert len(counted_leaf_hashes) == SIGNATURES + 2
    assert tree.hashes - built == 3  # 8 leaves: the nodes the 8th completes, one per level
    assert tree.root.hex() == MerkleTree(stored_leaves(session, signed_log.did)).root.hex()


def test_answers_say_how_long_they_may_be_cached(signed_log):
    client, url = signed_log.client, signed_log.url
    latest = client.get(url("/log/checkpoint"))
    assert latest.headers["cache-control"] == "public, max-age=5"
    fixed = client.get(url("/log/proof"), params={"seq": 1, "tree_size": 2})
    assert "immutable" in fixed.headers["cache-control"]
    moving = client.get(url("/log/proof"), params={"seq": 1})
    assert moving.headers["cache-control"] == "public, max-age=5"
    fixed = client.get(url("/log/consistency"), params={"from": 1, "to": 3})
    assert "immutable" in fixed.headers["cache-control"]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 64, 100, 1000])
def test_a_grown_tree_answers_for_every_earlier_size(size):
    leaves = [leaf_hash(str(i).encode()) for i in range(size)]
    tree = MerkleTree()
    for start in range(0, size, 7):  # grown in batches, as a log is
        tree.extend(leaves[start : start + 7])
    assert tree.hashes == size - size.bit_count()  # each perfect interior node once
    for old in {1, size // 3 or 1, size // 2 or 1, size}:
        scratch = MerkleTree(leaves[:old])
        assert tree.root_at(old) == scratch.root
        for index in {0, old // 2, old - 1}:
            assert tree.inclusion_proof(index, old) == scratch.inclusion_proof(index)
        for earlier in {1, old // 2 or 1, old}:
            assert tree.consistency_proof(earlier, old) == scratch.consistency_proof(earlier)
