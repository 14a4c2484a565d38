"""Concord's re-anchoring as it was before the joint scoring (app/text/anchor.py at 77021d0),
kept verbatim below this docstring so bench_anchoring can compare it with the current one."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from app.text.diff import EQUAL, Diff, char_diff, engine, tokenize

State = Literal["exact", "fuzzy", "orphaned"]
Candidate = tuple[float, float, int, int]  # score, context similarity, start, end

CONTEXT_CHARS = 32  # of prefix and of suffix, as in dmp's patches and the W3C text quote selector
_SELF_IDENTIFYING = 32  # a quote this long identifies itself without its context
_SEED_CHARS = 32  # dmp's bitap search handles patterns up to Match_MaxBits characters
_MAX_OCCURRENCES = 200  # occurrences of the quote scored, nearest to where the diff puts it first
_MAX_EQUAL_COST_TRIES = 8


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote now stands: offsets in code points of the new text, None when orphaned."""

    state: State
    start: int | None
    end: int | None


ORPHANED = Anchor("orphaned", None, None)
_DMP = engine()


def char_diffs(old: str, new: str) -> list[Diff]:
    """The diff to pass to `reanchor_with_diff`; worth caching per pair of paragraph texts.

    A character diff after dmp's semantic cleanup: in a rewritten sentence a shortest diff
    keeps stray letters ("the" out of "whether"), which must not carry a quote through.
    """
    if old == new:
        return [(EQUAL, old)] if old else []
    diffs = char_diff(old, new)
    _DMP.diff_cleanupSemantic(diffs)
    return diffs


def reanchor(
    old_text: str,
    new_text: str | None,
    start: int,
    end: int,
    exact: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    min_score: float = 0.6,
) -> Anchor:
    """Re-anchor the quote `exact` = old_text[start:end] onto new_text (None: paragraph deleted).

    `exact` when the offsets, carried through the diff old → new, still hold the quote;
    `fuzzy` when a scored search (the quote or a close variant, its context, its distance from
    where the diff puts it) finds it with a score of at least `min_score`; `orphaned` otherwise.
    """
    if new_text is None:
        return ORPHANED
    return reanchor_with_diff(
        char_diffs(old_text, new_text),
        old_text,
        new_text,
        start,
        end,
        exact,
        prefix=prefix,
        suffix=suffix,
        min_score=min_score,
    )


def reanchor_with_diff(
    diffs: list[Diff],
    old_text: str,
    new_text: str | None,
    start: int,
    end: int,
    exact: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    min_score: float = 0.6,
) -> Anchor:
    """`reanchor` with the diff old_text → new_text already computed by `char_diffs`."""
    if new_text is None:
        return ORPHANED
    holds = 0 <= start <= end <= len(old_text) and old_text[start:end] == exact
    start = max(0, min(start, len(old_text)))
    end = max(start, min(end, len(old_text)))
    if prefix is None:
        prefix = old_text[max(0, start - CONTEXT_CHARS) : start]
    if suffix is None:
        suffix = old_text[end : end + CONTEXT_CHARS]
    search = _Search(
        new_text, exact, prefix[-CONTEXT_CHARS:], suffix[:CONTEXT_CHARS], _x_index(diffs, start)
    )
    if holds:
        found = _carried(diffs, old_text, start, end, search)
        if found is not None:
            return Anchor("exact", found, found + len(exact))
    if not exact:
        return ORPHANED
    best = search.best_occurrence()
    if best is None or best[0] < min_score:
        # Where the diff carried the quote's last character: the image of an edited quote.
        image_end = _x_index(diffs, end - 1) + 1 if holds and end > start else None
        best = search.best([best, search.best_approximation(image_end, min_score)])
    if best is None or best[0] < min_score:
        return ORPHANED
    return Anchor("fuzzy", best[2], best[3])


def _carried(
    diffs: list[Diff], old_text: str, start: int, end: int, search: "_Search"
) -> int | None:
    """Where the diff carries the quote, or None if it does not arrive intact."""
    new_text, exact, mapped = search.text, search.quote, search.expected
    if not exact:
        return mapped
    # The last quoted character is carried rather than the end: text inserted right after
    # the quote must not be pulled into it.
    if new_text[mapped : mapped + len(exact)] == exact and (
        _x_index(diffs, end - 1) + 1 == mapped + len(exact)
    ):
        return mapped
    # A diff is not unique ("aab" → "ab": which "a" went?) and cleanup may shift an edit into
    # the quote. It still holds at p if the text on one side of p is unchanged and a shortest
    # diff can keep the quote whole there (the two sides around it cost no more than the whole).
    bound = sum(len(text) for op, text in diffs if op != EQUAL)  # at least the shortest cost
    nearby = []
    position = new_text.find(exact, max(0, start - bound))
    while position != -1 and position <= start + bound:
        if search.context_intact(position, position + len(exact)):
            nearby.append(position)
        position = new_text.find(exact, position + 1)
    if not nearby:
        return None
    cost = _cost(old_text, new_text)
    for position in sorted(nearby, key=lambda p: (abs(p - mapped), p))[:_MAX_EQUAL_COST_TRIES]:
        around = _cost(old_text[:start], new_text[:position]) + _cost(
            old_text[end:], new_text[position + len(exact) :]
        )
        if around <= cost:
            return position
    return None


class _Search:
    """Scored places for a quote in the new text, best first by score, context, nearness."""

    def __init__(self, text: str, quote: str, prefix: str, suffix: str, expected: int) -> None:
        self.text = text
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.expected = expected
        self.specificity = min(1.0, len(quote) / _SELF_IDENTIFYING)
        self._boundaries: list[int] | None = None

    def best_occurrence(self) -> Candidate | None:
        positions = []
        position = self.text.find(self.quote)
        while position != -1:
            positions.append(position)
            position = self.text.find(self.quote, position + 1)
        positions.sort(key=lambda p: (abs(p - self.expected), p))
        return self.best(
            self._score(p, p + len(self.quote), 1.0) for p in positions[:_MAX_OCCURRENCES]
        )

    def best(self, candidates: Iterable[Candidate | None]) -> Candidate | None:
        return max(filter(None, candidates), key=self._rank, default=None)

    def best_approximation(self, image_end: int | None, min_score: float) -> Candidate | None:
        """An edited quote: first where the diff put it, then where a bitap search finds it."""
        windows = []
        if image_end is not None and image_end > self.expected:
            windows.append((self.expected, image_end))
        else:
            windows.append((self.expected, self.expected + len(self.quote)))
        best = self._refine(*windows[0], floor=min_score)
        if best is not None and best[0] >= min_score:
            return best
        head = self.quote[:_SEED_CHARS]
        tail = self.quote[-_SEED_CHARS:]
        at_head = _DMP.match_main(self.text, head, self.expected)
        at_tail = _DMP.match_main(self.text, tail, self.expected + len(self.quote) - len(tail))
        if at_head != -1:
            windows.append((at_head, at_head + len(self.quote)))
        if at_tail != -1:
            windows.append((at_tail + len(tail) - len(self.quote), at_tail + len(tail)))
        if at_head != -1 and at_tail != -1 and at_tail + len(tail) > at_head:
            windows.append((at_head, at_tail + len(tail)))
        for window in windows[1:]:
            floor = max(min_score, best[0]) if best is not None else min_score
            best = self.best([best, self._refine(*window, floor=floor)])
        return best

    def _refine(self, start: int, end: int, *, floor: float = 0.0) -> Candidate | None:
        """The best window whose ends are at or near the rough ones, on word boundaries, among
        those that can score at least `floor` (below it a window cannot win: none is scored)."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        slack = max(4, len(self.quote) // 5)
        starts = [start, *self._near(start, slack)]
        ends = [end, *self._near(end, slack)]
        if not self.quote[0].isspace():
            starts = [s for s in starts if s >= len(self.text) or not self.text[s].isspace()]
        if not self.quote[-1].isspace():
            ends = [e for e in ends if e == 0 or not self.text[e - 1].isspace()]
        windows = [(s, e) for s in dict.fromkeys(starts) for e in dict.fromkeys(ends) if s < e]
        # A score is at most the quote's similarity, which is at most 2·min(lengths) ÷ their
        # sum: the windows closest in length go first and raise the bar for the others, which
        # are skipped, uncompared, once they cannot reach it (a tiny margin keeps exact ties).
        order = sorted(
            range(len(windows)), key=lambda i: -_length_bound(len(self.quote), _span(windows[i]))
        )
        bar = floor
        scored: dict[int, Candidate] = {}
        for i in order:
            s, e = windows[i]
            if _length_bound(len(self.quote), e - s) < bar - 1e-9:
                break
            quote_similarity = similarity(self.quote, self.text[s:e])
            if quote_similarity < bar - 1e-9:
                continue  # its context can only lower it: no need to score that
            scored[i] = self._score(s, e, quote_similarity)
            bar = max(bar, scored[i][0])
        # In the windows' own order, so that exact ties go the way they always did.
        return self.best(scored[i] for i in sorted(scored))

    def _near(self, position: int, slack: int) -> list[int]:
        if self._boundaries is None:
            self._boundaries = [0]
            for token in tokenize(self.text):
                self._boundaries.append(self._boundaries[-1] + len(token))
        near = [b for b in self._boundaries if abs(b - position) <= slack]
        return sorted(near, key=lambda b: (abs(b - position), b))[:4]

    def _score(self, start: int, end: int, quote_similarity: float) -> Candidate:
        # A long quote vouches for itself; a short one ("the") needs its context to be trusted.
        context = self._context(start, end)
        score = quote_similarity * (0.5 + 0.5 * max(self.specificity, context))
        return (score, context, start, end)

    def context_intact(self, start: int, end: int) -> bool:
        """The text just before or just after is as it was (empty: at the paragraph's edge)."""
        prefix, suffix = self.prefix, self.suffix
        before = self.text[max(0, start - len(prefix)) : start] == prefix and (prefix or start == 0)
        after = self.text[end : end + len(suffix)] == suffix and (suffix or end == len(self.text))
        return bool(before or after)

    def _context(self, start: int, end: int) -> float:
        before, after = len(self.prefix), len(self.suffix)
        if not before + after:
            return 0.0
        total = 0.0
        if before:
            total += before * similarity(self.prefix, self.text[max(0, start - before) : start])
        if after:
            total += after * similarity(self.suffix, self.text[end : end + after])
        return total / (before + after)

    def _rank(self, candidate: Candidate) -> Candidate:
        score, context, start, _ = candidate
        return (round(score, 9), round(context, 9), -abs(start - self.expected), -start)


def similarity(a: str, b: str) -> float:
    """2 × shared characters ÷ both lengths, after dmp's semantic cleanup drops stray matches."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    diffs = char_diff(a, b)
    _DMP.diff_cleanupSemantic(diffs)
    shared = sum(len(text) for op, text in diffs if op == EQUAL)
    return 2 * shared / (len(a) + len(b))


def _span(window: tuple[int, int]) -> int:
    return window[1] - window[0]


def _length_bound(a: int, b: int) -> float:
    """The highest `similarity` two texts of these lengths can have."""
    return 2 * min(a, b) / (a + b) if a + b else 1.0


def _cost(old: str, new: str) -> int:
    if old == new:
        return 0
    return sum(len(text) for op, text in char_diff(old, new) if op != EQUAL)


def _x_index(diffs: list[Diff], position: int) -> int:
    # dmp's diff_xIndex fails on an empty diff (both texts empty).
    return _DMP.diff_xIndex(diffs, position) if diffs else 0
