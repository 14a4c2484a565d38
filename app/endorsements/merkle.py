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
    """The perfect subtrees of a log, level by level; it only ever grows.

    `levels[k][i]` is MTH(D[i·2^k : (i+1)·2^k]), the root of a perfect subtree, so
    `len(levels[k]) == size >> k` and no node, once stored, changes when leaves are appended:
    `extend` hashes only the nodes the new leaves complete (O(m + log n) for m leaves), and
    readers of a smaller tree are never disturbed by a larger one growing. Any node of the tree
    of any size up to `size` is a perfect node or a right edge made of O(log n) of them, so the
    root and the proofs of every earlier tree come from the latest one.
    """

    __slots__ = ("hashes", "levels", "size")

    def __init__(self, leaf_hashes: Sequence[bytes] = ()) -> None:
        self.levels: list[list[bytes]] = [[]]
        self.size = 0
        self.hashes = 0  # interior nodes hashed by extend: what growing the tree has cost
        self.extend(leaf_hashes)

    def extend(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append leaves, hashing only the perfect subtrees they complete."""
        sha256 = hashlib.sha256
        levels = self.levels
        levels[0].extend(leaf_hashes)
        size = len(levels[0])
        depth = 0
        while size >> (depth + 1):
            if depth + 1 == len(levels):
                levels.append([])
            below, above = levels[depth], levels[depth + 1]
            first, last = len(above), len(below) // 2
            above.extend(
                sha256(NODE_PREFIX + below[2 * i] + below[2 * i + 1]).digest()
                for i in range(first, last)
            )
            self.hashes += last - first
            depth += 1
        self.size = size  # last: a reader never sees a size whose nodes are not stored yet

    @property
    def root(self) -> bytes:
        """MTH of all leaves; SHA-256 of the empty string for an empty tree."""
        return self.root_at(self.size)

    def root_at(self, size: int) -> bytes:
        """MTH of the first `size` leaves: the root the log had at that size."""
        if not 0 <= size <= self.size:
            raise ValueError(f"size {size} is outside 0..{self.size}")
        return self.subtree(0, size) if size else EMPTY_ROOT

    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range that is a node of the tree of some size ≥ end."""
        n = end - start
        if not 0 <= start < end <= self.size:
            raise ValueError(f"[{start}, {end}) is not within a tree of size {self.size}")
        if n & (n - 1) == 0:  # a perfect subtree: stored, if it is aligned
            depth = n.bit_length() - 1
            if start % n:
                raise ValueError(f"[{start}, {end}) is not a node of a Merkle tree")
            return self.levels[depth][start >> depth]
        k = _largest_power_of_two_below(n)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]) of RFC 9162 §2.1.3.1, nearest sibling first."""
        size = self.size if size is None else size
        if not 0 <= index < size <= self.size:
            raise ValueError(f"leaf index {index} is outside a tree of size {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = _largest_power_of_two_below(n)
        if m < k:
            return [*self._path(m, start, start + k), self.subtree(start + k, end)]
        return [*self._path(m - k, start + k, end), self.subtree(start, start + k)]

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[new_size]) of RFC 9162 §2.1.4.1; empty when old_size is 0 or
        new_size."""
        new_size = self.size if new_size is None else new_size
        if not 0 <= old_size <= new_size <= self.size:
            raise ValueError(f"old size {old_size} is outside 0..{new_size}")
        if old_size in (0, new_size):
            return []
        return self._subproof(old_size, 0, new_size, True)

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
