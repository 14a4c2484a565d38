"""The log's Merkle tree against the RFC 6962 test vectors and a literal reading of the RFC."""

import hashlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.endorsements.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MerkleTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

# The leaves, roots and proofs used by the Certificate Transparency test suites
# (google/certificate-transparency, transparency-dev/merkle proof/verify_test.go).
LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, audit path); the Go suite numbers leaves from 1, these from 0.
INCLUSION_VECTORS = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (0, 1, []),
]  # fmt: skip
# (old size, new size, consistency proof)
CONSISTENCY_VECTORS = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip

HASHES = [leaf_hash(leaf) for leaf in LEAVES]


def reference_mth(leaves: list[bytes]) -> bytes:
    """MTH exactly as RFC 9162 §2.1.1 writes it: split at the largest power of two below n."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(reference_mth(leaves[:k]), reference_mth(leaves[k:]))


def reference_path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) exactly as RFC 9162 §2.1.3.1 writes it."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*reference_path(m, leaves[:k]), reference_mth(leaves[k:])]
    return [*reference_path(m - k, leaves[k:]), reference_mth(leaves[:k])]


def reference_subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) exactly as RFC 9162 §2.1.4.1 writes it."""
    n = len(leaves)
    if m == n:
        return [] if complete else [reference_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*reference_subproof(m, leaves[:k], complete), reference_mth(leaves[k:])]
    return [*reference_subproof(m - k, leaves[k:], False), reference_mth(leaves[:k])]


def leaves_of(size: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(size)]


def flipped(proof: list[bytes], i: int) -> list[bytes]:
    changed = bytearray(proof[i])
    changed[0] ^= 0x08
    return [*proof[:i], bytes(changed), *proof[i + 1 :]]


class TestVectors:
    def test_hashes_are_domain_separated(self):
        assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
        assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()

    def test_empty_tree_root_is_the_hash_of_nothing(self):
        assert root_hash([]) == EMPTY_ROOT
        assert EMPTY_ROOT.hex() == (
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )

    @pytest.mark.parametrize("size", range(1, 9))
    def test_roots_of_the_first_eight_trees(self, size):
        assert root_hash(HASHES[:size]).hex() == ROOTS[size - 1]

    def test_eight_leaf_root(self):
        assert root_hash(HASHES).hex() == (
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
        )

    @pytest.mark.parametrize(("index", "size", "expected"), INCLUSION_VECTORS)
    def test_inclusion_proofs(self, index, size, expected):
        proof = inclusion_proof(HASHES[:size], index)
        assert [p.hex() for p in proof] == expected
        root = bytes.fromhex(ROOTS[size - 1])
        assert verify_inclusion(HASHES[index], index, size, proof, root)

    @pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY_VECTORS)
    def test_consistency_proofs(self, old, new, expected):
        proof = consistency_proof(HASHES[:new], old)
        assert [p.hex() for p in proof] == expected
        old_root, new_root = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
        assert verify_consistency(old, new, old_root, new_root, proof)


class TestEveryTreeUpTo64:
    @pytest.mark.parametrize("size", range(0, 65))
    def test_root_matches_the_rfc_recursion(self, size):
        leaves = leaves_of(size)
        assert root_hash(leaves) == reference_mth(leaves)

    @pytest.mark.parametrize("size", range(1, 65))
    def test_every_inclusion_proof_verifies_and_tampering_fails(self, size):
        leaves = leaves_of(size)
        tree = MerkleTree(leaves)
        root = tree.root
        other = leaf_hash(b"not in the log")
        for index in range(size):
            proof = tree.inclusion_proof(index)
            assert proof == reference_path(index, leaves)
            assert verify_inclusion(leaves[index], index, size, proof, root)
            assert not verify_inclusion(other, index, size, proof, root)
            assert not verify_inclusion(leaves[index], index, size, proof, other)
            assert not verify_inclusion(leaves[index], index, size, [*proof, root], root)
            assert not verify_inclusion(leaves[index], index, size, [root, *proof], root)
            assert not verify_inclusion(leaves[index], index, 2 * size, proof, root)
            assert not verify_inclusion(leaves[index], index, size, proof, root[:31])
            if size > 1:
                assert not verify_inclusion(leaves[index], index ^ 1, size, proof, root)
                assert not verify_inclusion(leaves[index], index, size, proof[:-1], root)
            for i in range(len(proof)):
                assert not verify_inclusion(leaves[index], index, size, flipped(proof, i), root)

    @pytest.mark.parametrize("size", range(1, 65))
    def test_every_consistency_proof_verifies_and_tampering_fails(self, size):
        leaves = leaves_of(size)
        tree = MerkleTree(leaves)
        new_root = tree.root
        for old in range(0, size + 1):
            old_root = reference_mth(leaves[:old])
            proof = tree.consistency_proof(old)
            expected = reference_subproof(old, leaves, True) if 0 < old < size else []
            assert proof == expected
            assert verify_consistency(old, size, old_root, new_root, proof)
            if not 0 < old < size:
                assert not verify_consistency(old, size, old_root, new_root, [new_root])
                continue
            assert not verify_consistency(old, size, new_root, old_root, proof)
            assert not verify_consistency(old, size, old_root, old_root, proof)
            assert not verify_consistency(old, size, new_root, new_root, proof)
            assert not verify_consistency(old, size, old_root, new_root, [])
            assert not verify_consistency(old, size, old_root, new_root, proof[:-1])
            assert not verify_consistency(old, size, old_root, new_root, [*proof, new_root])
            assert not verify_consistency(old, size, old_root, new_root, [old_root, *proof])
            assert not verify_consistency(old, 2 * size, old_root, new_root, proof)
            assert not verify_consistency(old + 1, size, old_root, new_root, proof)
            assert not verify_consistency(size, old, new_root, old_root, proof)
            if old > 1:
                assert not verify_consistency(old - 1, size, old_root, new_root, proof)
            for i in range(len(proof)):
                assert not verify_consistency(old, size, old_root, new_root, flipped(proof, i))


class TestCompactRange:
    def test_appending_gives_every_root_and_the_new_leafs_proof(self):
        leaves = leaves_of(64)
        compact = CompactRange()
        assert compact.root == EMPTY_ROOT
        for n, leaf in enumerate(leaves, 1):
            proof = compact.append(leaf)
            assert compact.root == reference_mth(leaves[:n])
            assert proof == reference_path(n - 1, leaves[:n])
            assert len(compact.peaks) == n.bit_count()

    def test_restored_from_its_stored_peaks(self):
        leaves = leaves_of(13)
        stored = CompactRange.of(leaves[:11])
        restored = CompactRange(stored.size, stored.peaks)
        restored.append(leaves[11])
        restored.append(leaves[12])
        assert restored.root == root_hash(leaves)
        assert CompactRange.of(HASHES).root.hex() == ROOTS[-1]

    def test_peaks_that_cannot_belong_to_the_size_are_refused(self):
        with pytest.raises(ValueError, match="a tree of size 3 has 2 peaks"):
            CompactRange(3, [HASHES[0]])


class TestEdges:
    def test_proofs_refuse_positions_outside_the_tree(self):
        with pytest.raises(ValueError, match="outside"):
            inclusion_proof(HASHES, 8)
        with pytest.raises(ValueError, match="outside"):
            inclusion_proof(HASHES, -1)
        with pytest.raises(ValueError, match="outside"):
            consistency_proof(HASHES, 9)

    def test_verifiers_refuse_sizes_that_cannot_be(self):
        root = root_hash(HASHES)
        assert not verify_inclusion(HASHES[0], 0, 0, [], EMPTY_ROOT)
        assert not verify_inclusion(HASHES[0], -1, 8, [], root)
        assert not verify_consistency(8, 7, root, root, [])
        assert not verify_consistency(-1, 8, root, root, [])

    def test_empty_tree_is_a_prefix_of_any_tree_but_only_with_its_own_root(self):
        root = root_hash(HASHES)
        assert verify_consistency(0, 8, EMPTY_ROOT, root, [])
        assert not verify_consistency(0, 8, root, root, [])

    def test_equal_sizes_need_equal_roots(self):
        root = root_hash(HASHES)
        assert verify_consistency(8, 8, root, root, [])
        assert not verify_consistency(8, 8, root, EMPTY_ROOT, [])


# transparency-dev/merkle proof/verify_test.go: its degenerate probes and corruptions, with
# Concord's stricter reading where the two differ: every hash is 32 bytes, and a tree of size 0
# has exactly one root, SHA-256 of nothing (RFC 9162 §2.1.1), so "don't care" roots are refused.
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
ROOT_A, ROOT_B = leaf_hash(b"don't care 1"), leaf_hash(b"don't care 2")


def corrupt_inclusion(index, size, proof, root, leaf):
    """corruptInclusionProof: each probe must be refused."""
    probes = [
        (index - 1, size, root, leaf, proof),
        (index + 1, size, root, leaf, proof),
        (index ^ 2, size, root, leaf, proof),
        (index, size * 2, root, leaf, proof),
        (index, size // 2, root, leaf, proof),
        (index, size, root, b"WrongLeaf", proof),
        (index, size, EMPTY_ROOT, leaf, proof),
        (index, size, SOME_HASH, leaf, proof),
        (index, size, root, leaf, [*proof, b""]),
        (index, size, root, leaf, [*proof, root]),
        (index, size, root, leaf, [b"", *proof]),
        (index, size, root, leaf, [root, *proof]),
    ]
    probes += [(index, size, root, leaf, flipped(proof, i)) for i in range(len(proof))]
    if proof:
        probes.append((index, size, root, leaf, proof[:-1]))
    if len(proof) > 1:
        probes.append((index, size, root, leaf, [proof[0], SOME_HASH, *proof[1:]]))
    return probes


def corrupt_consistency(old, new, old_root, new_root, proof):
    """corruptConsistencyProof: each probe must be refused."""
    probes = [
        (old - 1, new, old_root, new_root, proof),
        (old + 1, new, old_root, new_root, proof),
        (old ^ 2, new, old_root, new_root, proof),
        (old, new * 2, old_root, new_root, proof),
        (old, new // 2, old_root, new_root, proof),
        (old, new, b"WrongRoot", new_root, proof),
        (old, new, old_root, b"WrongRoot", proof),
        (old, new, new_root, old_root, proof),
        (old, new, old_root, new_root, []),
        (old, new, old_root, new_root, [*proof, b""]),
        (old, new, old_root, new_root, [*proof, old_root]),
        (old, new, old_root, new_root, [*proof, new_root]),
        (old, new, old_root, new_root, [b"", *proof]),
        (old, new, old_root, new_root, [old_root, *proof]),
        (old, new, old_root, new_root, [new_root, *proof]),
        (old, new, old_root, new_root, [proof[0], *proof]),
        (old, new, old_root, new_root, proof[:-1]),
    ]
    return probes + [(old, new, old_root, new_root, flipped(proof, i)) for i in range(len(proof))]


class TestTransparencyDevVectors:
    @pytest.mark.parametrize(
        ("root", "leaf", "valid"),
        [
            pytest.param(HASHES[3], HASHES[3], True, id="the leaf is the root"),
            pytest.param(HASHES[3], b"", False, id="empty leaf"),
            pytest.param(b"", HASHES[3], False, id="empty root"),
            pytest.param(b"", b"", False, id="both empty"),
        ],
    )
    def test_inclusion_in_a_single_entry_tree(self, root, leaf, valid):
        assert verify_inclusion(leaf, 0, 1, [], root) is valid

    @pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
    def test_inclusion_of_invalid_roots_and_leaves(self, index, size):
        assert not verify_inclusion(SOME_HASH, index, size, [], b"")
        assert not verify_inclusion(b"", index, size, [], EMPTY_ROOT)
        assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)

    @pytest.mark.parametrize(("index", "size", "path"), INCLUSION_VECTORS)
    def test_corrupted_inclusion_proofs_are_refused(self, index, size, path):
        proof = [bytes.fromhex(p) for p in path]
        root = bytes.fromhex(ROOTS[size - 1])
        assert verify_inclusion(HASHES[index], index, size, proof, root)
        for probe in corrupt_inclusion(index, size, proof, root, HASHES[index]):
            assert not verify_inclusion(probe[3], probe[0], probe[1], probe[4], probe[2]), probe

    @pytest.mark.parametrize(
        ("old", "new", "old_root", "new_root", "proof", "valid"),
        [
            pytest.param(0, 0, ROOT_A, ROOT_B, [], False, id="0-0 roots differ"),
            pytest.param(1, 1, ROOT_A, ROOT_B, [], False, id="1-1 roots differ"),
            # Always consistent in transparency-dev; here only with the empty tree's root.
            pytest.param(0, 0, ROOT_A, ROOT_A, [], False, id="0-0 any root"),
            pytest.param(0, 0, EMPTY_ROOT, EMPTY_ROOT, [], True, id="0-0 empty root"),
            pytest.param(0, 1, ROOT_A, ROOT_B, [], False, id="0-1 any old root"),
            pytest.param(0, 1, EMPTY_ROOT, ROOT_B, [], True, id="0-1 empty old root"),
            pytest.param(1, 1, ROOT_B, ROOT_B, [], True, id="1-1 same root"),
            # Hashes of another size are never roots.
            pytest.param(0, 0, b"", b"", [], False, id="0-0 empty bytes"),
            pytest.param(1, 1, b"don't care", b"don't care", [], False, id="1-1 short roots"),
            pytest.param(0, 1, EMPTY_ROOT, b"", [], False, id="0-1 empty new root"),
            pytest.param(1, 0, ROOT_A, ROOT_B, [], False, id="time travel 1-0"),
            pytest.param(2, 1, ROOT_A, ROOT_B, [], False, id="time travel 2-1"),
            pytest.param(1, 2, ROOT_A, ROOT_B, [], False, id="1-2 empty proof"),
            pytest.param(0, 0, EMPTY_ROOT, ROOT_B, [], False, id="0-0 roots do not match"),
            pytest.param(1, 1, EMPTY_ROOT, ROOT_B, [], False, id="1-1 roots do not match"),
            pytest.param(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False, id="0-0 proof"),
            pytest.param(0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False, id="0-1 proof"),
            pytest.param(1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False, id="1-1 proof"),
        ],
    )
    def test_consistency_edge_cases(self, old, new, old_root, new_root, proof, valid):
        assert verify_consistency(old, new, old_root, new_root, proof) is valid

    @pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY_VECTORS[1:])
    def test_corrupted_consistency_proofs_are_refused(self, old, new, path):
        proof = [bytes.fromhex(p) for p in path]
        old_root, new_root = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
        assert verify_consistency(old, new, old_root, new_root, proof)
        for probe in corrupt_consistency(old, new, old_root, new_root, proof):
            assert not verify_consistency(*probe), probe


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 3000), data=st.data())
def test_larger_trees_agree_with_the_verifiers(size, data):
    leaves = leaves_of(size)
    tree = MerkleTree(leaves)
    index = data.draw(st.integers(0, size - 1))
    old = data.draw(st.integers(1, size))
    assert verify_inclusion(leaves[index], index, size, tree.inclusion_proof(index), tree.root)
    old_root = MerkleTree(leaves[:old]).root
    assert verify_consistency(old, size, old_root, tree.root, tree.consistency_proof(old))


def test_proofs_over_10000_leaves_are_fast():
    leaves = leaves_of(10_000)
    tree = MerkleTree(leaves)
    started = time.perf_counter()
    for index in range(0, 10_000, 10):
        tree.inclusion_proof(index)
        tree.consistency_proof(index + 1)
    per_proof = (time.perf_counter() - started) / 2000
    assert per_proof < 0.005
