"""Align a revised draft's paragraphs to its base's, so kept and edited ones keep their keys."""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence

from app.text.diff import EQUAL, INSERT, TableFull, TokenTable, char_diff, matching_blocks, tokenize

Pair = tuple[int | None, int | None]

# Gaps up to this many (deleted × inserted) pairs are scored pair by pair; larger ones (a draft
# reworded throughout) only score the pairs that share rarer words, which keeps them near-linear.
_FULL_GAP_PAIRS = 2_500
_CANDIDATES_PER_PARAGRAPH = 8
_MAX_EQUAL_PAIRS = 1_000_000


class _Profile:
    """A paragraph's non-blank tokens, their multiset, their length, and as dmp characters."""

    __slots__ = ("tokens", "counts", "weight", "chars")

    def __init__(self, text: str, table: TokenTable) -> None:
        self.tokens = [t for t in tokenize(text) if not t.isspace()]
        self.counts = Counter(self.tokens)
        self.weight = sum(len(t) for t in self.tokens)
        self.chars: str | None
        try:
            self.chars = table.encode(self.tokens)
        except TableFull:
            self.chars = None


class _Profiles:
    """Profiles of one alignment's paragraphs, made once each and sharing one token table."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        self._texts = (old, new)
        self._table = TokenTable()
        self._made: dict[tuple[int, int], _Profile] = {}

    def __call__(self, side: int, index: int) -> _Profile:
        profile = self._made.get((side, index))
        if profile is None:
            profile = _Profile(self._texts[side][index], self._table)
            self._made[side, index] = profile
        return profile


def paragraph_similarity(a: str, b: str) -> float:
    """2 × characters of the words both share in order ÷ all their characters, blanks ignored."""
    profiles = _Profiles([a], [b])
    return _similarity(profiles(0, 0), profiles(1, 0))


def align_paragraphs(
    old: Sequence[str], new: Sequence[str], *, threshold: float = 0.5
) -> list[Pair]:
    """Pairs (old index, new index) in new-document order; None marks a deleted or inserted one.

    Identical paragraphs are matched first (a longest common subsequence); between those, a
    deleted and an inserted paragraph are paired when their similarity is at least `threshold`,
    choosing the order-preserving pairing with the greatest total similarity. Deleted paragraphs
    come where they stood, before the paragraphs inserted at the same place.
    """
    kept = _identical(old, new)
    pairs: list[Pair] = []
    profiles = _Profiles(old, new)
    previous_old = previous_new = -1
    for i, j in [*kept, (len(old), len(new))]:
        deleted = range(previous_old + 1, i)
        inserted = range(previous_new + 1, j)
        pairs.extend(_align_gap(deleted, inserted, threshold, profiles))
        if i < len(old):
            pairs.append((i, j))
        previous_old, previous_new = i, j
    return pairs


def _identical(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """A longest common subsequence of identical paragraphs, as (old index, new index) pairs."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle = _middle_lcs(old[head : len(old) - tail], new[head : len(new) - tail])
    return (
        [(k, k) for k in range(head)]
        + [(head + i, head + j) for i, j in middle]
        + [(len(old) - tail + k, len(new) - tail + k) for k in range(tail)]
    )


def _middle_lcs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    # Hunt-Szymanski: its cost follows the number of equal (old, new) pairs, which is small for
    # paragraphs however much they were moved about, where dmp's Myers search would be quadratic.
    where: dict[str, list[int]] = defaultdict(list)
    for j, text in enumerate(new):
        where[text].append(j)
    equal_pairs = sum(len(where.get(text, ())) for text in old)
    if equal_pairs > _MAX_EQUAL_PAIRS:
        # Thousands of copies of one paragraph: Myers' search is the cheaper one then.
        blocks = matching_blocks(old, new)
        return [(a + k, b + k) for a, b, n in blocks for k in range(n)]
    ends: list[int] = []  # ends[k]: smallest new index ending a common run of length k + 1
    last: list[int] = []  # last[k]: the node ending that run
    nodes: list[tuple[int, int, int]] = []  # (old index, new index, node before it or -1)
    for i, text in enumerate(old):
        for j in reversed(where.get(text, ())):
            k = bisect_left(ends, j)
            nodes.append((i, j, last[k - 1] if k else -1))
            if k == len(ends):
                ends.append(j)
                last.append(len(nodes) - 1)
            else:
                ends[k] = j
                last[k] = len(nodes) - 1
    pairs = []
    node = last[-1] if last else -1
    while node != -1:
        i, j, node = nodes[node]
        pairs.append((i, j))
    return pairs[::-1]


def _align_gap(deleted: range, inserted: range, threshold: float, profile: _Profiles) -> list[Pair]:
    if not deleted or not inserted:
        return [(i, None) for i in deleted] + [(None, j) for j in inserted]
    scored = []
    for i, j in _candidates(deleted, inserted, profile):
        a, b = profile(0, i), profile(1, j)
        if _upper_bound(a, b) >= threshold:
            similarity = _similarity(a, b)
            if similarity >= threshold:
                scored.append((i, j, similarity))
    chain = _heaviest_chain(scored)

    pairs: list[Pair] = []
    next_old, next_new = deleted.start, inserted.start
    for i, j in [*chain, (deleted.stop, inserted.stop)]:
        pairs.extend((d, None) for d in range(next_old, i))
        pairs.extend((None, n) for n in range(next_new, j))
        if i < deleted.stop:
            pairs.append((i, j))
        next_old, next_new = i + 1, j + 1
    return pairs


def _candidates(deleted: range, inserted: range, profile: _Profiles) -> list[tuple[int, int]]:
    if len(deleted) * len(inserted) <= _FULL_GAP_PAIRS:
        return [(i, j) for i in deleted for j in inserted]
    # Index the deleted paragraphs by their rarer words; an edited paragraph keeps most of its
    # numbers and names, so its original is among those sharing the most of them.
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i in deleted:
        for token, count in profile(0, i).counts.items():
            postings[token].append((i, count))
    common = max(8, len(deleted) // 50)
    pairs = set()
    for position, j in enumerate(inserted):
        shared: dict[int, int] = defaultdict(int)
        for token, count in profile(1, j).counts.items():
            entries = postings.get(token)
            if entries and len(entries) <= common:
                for i, old_count in entries:
                    shared[i] += min(count, old_count) * len(token)
        best = sorted(shared, key=lambda i: (-shared[i], i))[:_CANDIDATES_PER_PARAGRAPH]
        pairs.update((i, j) for i in best)
        # The paragraph at the same relative place, for texts made only of common words.
        here = deleted.start + position * len(deleted) // len(inserted)
        nearby = range(max(deleted.start, here - 1), min(deleted.stop, here + 2))
        pairs.update((i, j) for i in nearby)
    return sorted(pairs)


def _upper_bound(a: _Profile, b: _Profile) -> float:
    """The similarity if word order did not matter: never below the real one, and cheap."""
    total = a.weight + b.weight
    if not total:
        return 1.0
    small, large = (a.counts, b.counts) if len(a.counts) <= len(b.counts) else (b.counts, a.counts)
    common = sum(min(count, large[token]) * len(token) for token, count in small.items())
    return 2 * common / total


def _similarity(a: _Profile, b: _Profile) -> float:
    total = a.weight + b.weight
    if not total:
        return 1.0 if a.tokens == b.tokens else 0.0
    common = 0
    if a.chars is None or b.chars is None:
        for start, _, size in matching_blocks(a.tokens, b.tokens):
            common += sum(len(t) for t in a.tokens[start : start + size])
        return 2 * common / total
    position = 0  # in a.tokens
    for op, chars in char_diff(a.chars, b.chars):
        if op == INSERT:
            continue
        if op == EQUAL:
            common += sum(len(t) for t in a.tokens[position : position + len(chars)])
        position += len(chars)
    return 2 * common / total


def _heaviest_chain(scored: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The pairs, increasing in both indices, whose similarities add up to the most."""
    if not scored:
        return []
    columns = sorted({j for _, j, _ in scored})
    column_of = {j: k + 1 for k, j in enumerate(columns)}
    # Fenwick tree of (best total, pair index) over new-side columns, for prefix maxima.
    tree: list[tuple[float, int]] = [(0.0, -1)] * (len(columns) + 1)
    parent: list[int] = []
    # Same old index in descending new index, so two pairs of one paragraph never chain.
    order = sorted(scored, key=lambda pair: (pair[0], -pair[1]))
    for index, (_, j, similarity) in enumerate(order):
        k = column_of[j] - 1
        best = (0.0, -1)
        while k > 0:
            best = max(best, tree[k])
            k -= k & -k
        parent.append(best[1])
        entry = (best[0] + similarity, index)
        k = column_of[j]
        while k <= len(columns):
            tree[k] = max(tree[k], entry)
            k += k & -k
    best = max(tree[1:])
    chain = []
    index = best[1]
    while index != -1:
        chain.append((order[index][0], order[index][1]))
        index = parent[index]
    return chain[::-1]
