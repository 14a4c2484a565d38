"""The signature log's Merkle tree (RFC 9162 §2.1): hashes, inclusion and consistency proofs."""

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 ‖ entry): the hash of one log entry."""
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right): the hash of an interior node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


class MerkleTree:
    """Every level of the tree over a list of leaf hashes, built once in O(n).

    `levels[k][i]` is MTH(D[i·2^k : min((i+1)·2^k, n)]): pairing each level and carrying an odd
    last node up unchanged builds exactly RFC 9162's left-balanced tree, so every subtree the
    proofs need is a lookup and a proof costs O(log n).
    """

    __slots__ = ("levels", "size")

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        level = list(leaf_hashes)
        self.size = len(level)
        self.levels = [level]
        sha256 = hashlib.sha256
        while len(level) > 1:
            pairs = [
                sha256(NODE_PREFIX + a + b).digest()
                for a, b in zip(level[::2], level[1::2], strict=False)
            ]
            level = pairs + level[2 * len(pairs) :]
            self.levels.append(level)

    @property
    def root(self) -> bytes:
        """MTH of all leaves; SHA-256 of the empty string for an empty tree."""
        return self.levels[-1][0] if self.size else EMPTY_ROOT

    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range that is a node of this tree."""
        width = 1
        depth = 0
        while width < end - start:
            width *= 2
            depth += 1
        if start % width or (end != start + width and end != self.size):
            raise ValueError(f"[{start}, {end}) is not a node of a tree of size {self.size}")
        return self.levels[depth][start >> depth]

    def inclusion_proof(self, index: int) -> list[bytes]:
        """PATH(index, D[n]) of RFC 9162 §2.1.3.1, nearest sibling first."""
        if not 0 <= index < self.size:
            raise ValueError(f"leaf index {index} is outside a tree of size {self.size}")
        proof = []
        for depth, level in enumerate(self.levels[:-1]):
            sibling = (index >> depth) ^ 1
            if sibling < len(level):  # a carried node has no sibling on this level
                proof.append(level[sibling])
        return proof

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """PROOF(old_size, D[n]) of RFC 9162 §2.1.4.1; empty when old_size is 0 or n."""
        if not 0 <= old_size <= self.size:
            raise ValueError(f"old size {old_size} is outside 0..{self.size}")
        if old_size in (0, self.size):
            return []
        return self._subproof(old_size, 0, self.size, True)

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        """SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1."""
        n = end - start
        if m == n:
            return [] if complete else [self.subtree(start, end)]
        k = _largest_power_of_two_below(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, complete), self.subtree(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self.subtree(start, start + k)]


class CompactRange:
    """The roots of the perfect subtrees of a growing log (its "peaks"), left to right.

    Enough to append a leaf, get the new root and the new leaf's inclusion proof in O(log n)
    without reading the earlier leaves: store `size` and `peaks` beside the latest checkpoint.
    """

    __slots__ = ("peaks", "size")

    def __init__(self, size: int = 0, peaks: Sequence[bytes] = ()) -> None:
        if size < 0 or len(peaks) != size.bit_count() or not _well_formed(peaks):
            raise ValueError(f"a tree of size {size} has {size.bit_count()} peaks of 32 bytes")
        self.size = size
        self.peaks = list(peaks)

    @classmethod
    def of(cls, leaf_hashes: Sequence[bytes]) -> "CompactRange":
        compact = cls()
        for leaf in leaf_hashes:
            compact.append(leaf)
        return compact

    def append(self, leaf: bytes) -> list[bytes]:
        """Add a leaf; return its inclusion proof in the grown tree (RFC 9162 PATH)."""
        proof = self.peaks[::-1]  # nearest sibling first: the smallest peak, then leftwards
        merged, carry = leaf, self.size
        while carry & 1:  # equal-sized peaks merge, as binary addition carries
            merged = node_hash(self.peaks.pop(), merged)
            carry >>= 1
        self.peaks.append(merged)
        self.size += 1
        return proof

    @property
    def root(self) -> bytes:
        if not self.peaks:
            return EMPTY_ROOT
        root = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            root = node_hash(peak, root)
        return root


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes (RFC 9162 §2.1.1), in O(n) node hashes."""
    return MerkleTree(leaves).root


def inclusion_proof(leaf_hashes: Sequence[bytes] | MerkleTree, index: int) -> list[bytes]:
    """Audit path of leaf `index`; pass a MerkleTree to reuse its levels across proofs."""
    return _tree(leaf_hashes).inclusion_proof(index)


def consistency_proof(leaf_hashes: Sequence[bytes] | MerkleTree, old_size: int) -> list[bytes]:
    """Proof that the first `old_size` leaves are a prefix; pass a MerkleTree to reuse it."""
    return _tree(leaf_hashes).consistency_proof(old_size)


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` place `leaf_hash` at `index` in the tree with `root`?"""
    if not 0 <= index < tree_size or not _well_formed([leaf_hash, root, *proof]):
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of `old_size` with `old_root` a prefix of the new one?

    A tree of size 0 has one root, SHA-256 of nothing: any other is refused, even when both
    sizes are 0 and the roots agree."""
    if not 0 <= old_size <= new_size or not _well_formed([old_root, new_root, *proof]):
        return False
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT and (new_size > 0 or new_root == EMPTY_ROOT)
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def _tree(leaves: Sequence[bytes] | MerkleTree) -> MerkleTree:
    return leaves if isinstance(leaves, MerkleTree) else MerkleTree(leaves)


def _well_formed(hashes: Sequence[bytes]) -> bool:
    """Every one a SHA-256 digest: a hash of another length can only be a forgery."""
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)
