"""Carry a comment's quoted range from one version of a paragraph to another, or say it is gone."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from app.text.approximate import character_masks, closest_matches, common_length
from app.text.diff import DELETE, EQUAL, INSERT, Diff, char_diff, engine, tokenize, word_diff

State = Literal["exact", "fuzzy", "orphaned"]

CONTEXT_CHARS = 32  # of prefix and of suffix, as in dmp's patches and the W3C text quote selector
_SELF_IDENTIFYING = 32  # a quote this long identifies itself without its context
# Past this many changed characters, a diff goes by words first (see `_words_then_letters`).
_LETTER_DIFF_CHARS = 256
_MAX_WINDOWS = 4  # closest approximate matches of a quote refined, per region searched
_MAX_OCCURRENCES = 200  # occurrences of the quote scored, nearest to where the diff puts it first
_MAX_EQUAL_COST_TRIES = 8
# Past this many changed characters the shortest-diff check of `_carried` (three more diffs of
# the whole texts) costs more than the search that places a moved quote anyway.
_AMBIGUITY_EDIT_CHARS = 200
# A place is ranked on the quote, its prefix, its suffix and its nearness to where the diff puts
# the quote, together, weighed as the Hypothesis client weighs them (nearness only breaks ties).
_QUOTE, _PREFIX, _SUFFIX, _NEARNESS = 50, 20, 20, 2


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
    Long rewrites are diffed by words first (`_words_then_letters`).
    """
    if old == new:
        return [(EQUAL, old)] if old else []
    diffs = _words_then_letters(old, new)
    _DMP.diff_cleanupSemantic(diffs)
    return diffs


def _words_then_letters(old: str, new: str) -> list[Diff]:
    """A character diff; where much was rewritten, words are diffed first and only the short
    runs of words replaced by others are diffed letter by letter (as dmp's line mode does
    with lines): a shortest character diff of a rewritten sentence is quadratic in its length."""
    head = _DMP.diff_commonPrefix(old, new)
    tail = _DMP.diff_commonSuffix(old[head:], new[head:])
    changed = len(old) + len(new) - 2 * (head + tail)
    if changed <= _LETTER_DIFF_CHARS:
        return char_diff(old, new)
    diffs: list[Diff] = [(EQUAL, old[:head])] if head else []
    deleted = inserted = ""
    for op, text in word_diff(old[head : len(old) - tail], new[head : len(new) - tail]):
        if op == "equal":
            diffs += _letters(deleted, inserted)
            deleted = inserted = ""
            diffs.append((EQUAL, text))
        elif op == "delete":
            deleted += text
        else:
            inserted += text
    diffs += _letters(deleted, inserted)
    if tail:
        diffs.append((EQUAL, old[len(old) - tail :]))
    return diffs


def _letters(deleted: str, inserted: str) -> list[Diff]:
    """Words replaced by others, diffed letter by letter when both sides are short."""
    if deleted and inserted and len(deleted) + len(inserted) <= _LETTER_DIFF_CHARS:
        return char_diff(deleted, inserted)
    return [(op, text) for op, text in ((DELETE, deleted), (INSERT, inserted)) if text]


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
    `fuzzy` when the best place found — the quote as the diff edited it, or the quote (or a
    close variant) elsewhere, each ranked on the quote, its prefix and suffix and its distance
    from where the diff puts it, together — has a score of at least `min_score`;
    `orphaned` otherwise.
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
    # Only offsets that hold the quote let the diff say where its text went.
    trace = _trace(diffs, old_text, start, end) if holds else None
    best = search.best_place(trace, min_score)
    return ORPHANED if best is None else Anchor("fuzzy", best.start, best.end)


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
    if bound > _AMBIGUITY_EDIT_CHARS:
        return None
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


@dataclass(frozen=True, slots=True)
class _Trace:
    """What the diff old → new says of the quote: where its text went and where text came from."""

    old_text: str
    quoted: tuple[int, int]  # the quote's place in the old text
    start: int  # its image in the new text: its own place, however edited
    end: int
    kept: int  # quoted characters the diff keeps
    equal: list[tuple[int, int, int]]  # (old start, new start, length) of each unchanged run
    inserted: list[tuple[int, int]]  # (new start, new end) of each inserted run


def _trace(diffs: list[Diff], old_text: str, start: int, end: int) -> _Trace:
    image_start = image_end = None
    kept = 0
    equal, inserted = [], []
    i = j = 0  # old and new positions
    for k, (op, text) in enumerate(diffs):
        n = len(text)
        if not n:
            continue
        if op == INSERT:
            inserted.append((j, j + n))
            j += n
            continue
        if op == EQUAL:
            equal.append((i, j, n))
            kept += max(0, min(end, i + n) - max(start, i))
            image_length = n
        else:
            # A deleted run maps in proportion onto the insertion that replaces it: quoted
            # words rewritten stay in the image; text merely inserted at its edges stays out.
            replaced = k + 1 < len(diffs) and diffs[k + 1][0] == INSERT
            image_length = len(diffs[k + 1][1]) if replaced else 0
        if image_start is None and start < i + n:
            image_start = j + (start - i) * image_length // n
        if image_end is None and end <= i + n:
            image_end = j + -(-(end - i) * image_length // n)  # rounded up
        i += n
        if op == EQUAL:
            j += n
    image_start = j if image_start is None else image_start
    image_end = max(image_start, j if image_end is None else image_end)
    return _Trace(old_text, (start, end), image_start, image_end, kept, equal, inserted)


def _joins(text: str, position: int) -> bool:
    """Whether `position` falls inside a word of `text`."""
    return 0 < position < len(text) and text[position - 1].isalnum() and text[position].isalnum()


@dataclass(frozen=True, slots=True)
class _Place:
    """A place the quote may now stand: `rank` says which is the quote's, `confidence` whether
    the quote is there at all (compared with `min_score`)."""

    rank: float
    confidence: float
    start: int
    end: int


class _Search:
    """Places for a quote in the new text, ranked on the quote, its context and nearness."""

    def __init__(self, text: str, quote: str, prefix: str, suffix: str, expected: int) -> None:
        self.text = text
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.expected = expected
        self.specificity = min(1.0, len(quote) / _SELF_IDENTIFYING)
        # Whether the quote begins, ends at a word's edge: then so must any place found for it.
        self.whole_words = (
            not _joins(prefix[-1:] + quote, len(prefix[-1:])),
            not _joins(quote + suffix[:1], len(quote)),
        )
        self._boundaries: list[int] | None = None
        self._masks: dict[str, int] | None = None  # where each character stands in the quote

    def best_place(self, trace: _Trace | None, min_score: float) -> _Place | None:
        """The best place found whose confidence reaches `min_score`.

        First the quote's own place as the diff edited it and the quote's exact occurrences
        (not those the diff carried from another passage of the old text: a lookalike that
        was already there is not the quote); only when none will do, a costlier approximate
        search for a quote that moved and changed."""
        places = list(self._occurrences(trace))
        if trace is not None:
            places.append(self._image(trace))
        best = self._best(p for p in places if p is not None and p.confidence >= min_score)
        if best is None:
            best = self._best(
                p for p in self._approximations(trace, min_score) if p.confidence >= min_score
            )
        return best

    def _best(self, places: Iterable[_Place | None]) -> _Place | None:
        return max(filter(None, places), key=self._order, default=None)

    def _order(self, place: _Place) -> tuple[float, float, int, int]:
        nearness = -abs(place.start - self.expected)
        return (round(place.rank, 9), round(place.confidence, 9), nearness, -place.start)

    def _place(
        self, start: int, end: int, quote_similarity: float, identified: float | None = None
    ) -> _Place:
        """Rank and confidence of [start, end). `identified`: how sure it is the quote's own
        place apart from its wording (1 for the diff's image); None: as sure as its context."""
        before = _word_similarity(self.prefix, self.text[max(0, start - CONTEXT_CHARS) : start])
        after = _word_similarity(self.suffix, self.text[end : end + CONTEXT_CHARS])
        nearness = 1 - min(1.0, abs(start - self.expected) / max(1, len(self.text)))
        rank = (
            _QUOTE * quote_similarity + _PREFIX * before + _SUFFIX * after + _NEARNESS * nearness
        ) / (_QUOTE + _PREFIX + _SUFFIX + _NEARNESS)
        if identified is None:
            # A long quote vouches for itself; a short one ("the") needs its context.
            identified = max(self.specificity, (before + after) / 2)
        return _Place(rank, quote_similarity * (0.5 + 0.5 * identified), start, end)

    def _image(self, trace: _Trace) -> _Place | None:
        """The quote's own place as the diff edited it, widened to whole words."""
        start, end = trace.start, trace.end
        text = self.text
        while self.whole_words[0] and _joins(text, start):
            start -= 1
        while self.whole_words[1] and _joins(text, end):
            end += 1
        if not self.quote[0].isspace():
            while start < end and text[start].isspace():
                start += 1
        if not self.quote[-1].isspace():
            while end > start and text[end - 1].isspace():
                end -= 1
        if end <= start or not trace.kept:
            return None
        # The share of the quote the diff keeps; inserted words cost only past doubling it.
        kept = trace.kept / len(self.quote) * min(1.0, 2 * len(self.quote) / (end - start))
        return self._place(start, end, kept, identified=1.0)

    def _occurrences(self, trace: _Trace | None) -> Iterable[_Place]:
        positions = []
        position = self.text.find(self.quote)
        while position != -1:
            positions.append(position)
            position = self.text.find(self.quote, position + 1)
        positions.sort(key=lambda p: (abs(p - self.expected), p))
        length = len(self.quote)
        for p in positions[:_MAX_OCCURRENCES]:
            source = None if trace is None else _source_elsewhere(trace, p, p + length)
            if source is None or self._took_the_quotes_place(trace, source, p):
                yield self._place(p, p + length, 1.0)

    def _took_the_quotes_place(self, trace: _Trace, source: int, start: int) -> bool:
        """Whether the quote's context came with this occurrence, carried by the diff from the
        old text's occurrence at `source`: a phrase repeated in moved sentences can be aligned
        with the wrong twin; a lookalike that stayed where it was keeps its own context."""
        end = start + len(self.quote)
        before = self.text[max(0, start - CONTEXT_CHARS) : start]
        after = self.text[end : end + CONTEXT_CHARS]
        old = trace.old_text
        own = _word_similarity(old[max(0, source - CONTEXT_CHARS) : source], before)
        source_end = source + len(self.quote)
        own += _word_similarity(old[source_end : source_end + CONTEXT_CHARS], after)
        quotes = _word_similarity(self.prefix, before) + _word_similarity(self.suffix, after)
        return quotes > own

    def _approximations(self, trace: _Trace | None, min_score: float) -> Iterable[_Place]:
        """An edited quote where it is closest in edit distance: anywhere when the diff is not
        known, else only in and around text the diff says was inserted (where a moved quote is)."""
        length = len(self.quote)
        if trace is None:
            regions = [(0, len(self.text))]
        else:
            # Not the text that replaced the quote at its own place: the image judged that.
            regions = _merged(
                (max(0, s - length), min(len(self.text), e + length))
                for s, e in trace.inserted
                if 2 * (e - s) >= length and (e < trace.start or s > trace.end)
            )
        # At most half the quote's length in edits, as dmp's bitap threshold and the Hypothesis
        # client allow: past that, what is found is rarely the quote and costly to refine.
        max_errors = length // 2
        best: _Place | None = None
        for region_start, region_end in regions:
            region = self.text[region_start:region_end]
            matches, _ = closest_matches(region, self.quote, max_errors)
            for s, e in matches[:_MAX_WINDOWS]:
                floor = max(min_score, best.confidence) if best is not None else min_score
                window = (region_start + s, region_start + e)
                best = self._best([best, self._refine(*window, floor=floor)])
        if best is not None:
            yield best

    def _refine(self, start: int, end: int, *, floor: float = 0.0) -> _Place | None:
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
        if self.whole_words[0]:
            starts = [s for s in starts if not _joins(self.text, s)]
        if self.whole_words[1]:
            ends = [e for e in ends if not _joins(self.text, e)]
        windows = [(s, e) for s in dict.fromkeys(starts) for e in dict.fromkeys(ends) if s < e]
        # Confidence is at most the quote's similarity, which is at most 2·min(lengths) ÷ their
        # sum: the windows closest in length go first and raise the bar for the others, which
        # are skipped, uncompared, once they cannot reach it (a tiny margin keeps exact ties).
        windows.sort(key=lambda w: -_length_bound(len(self.quote), w[1] - w[0]))
        bar = floor
        best: _Place | None = None
        for s, e in windows:
            if _length_bound(len(self.quote), e - s) < bar - 1e-9:
                break
            if 2 * self._shared(s, e) / (len(self.quote) + e - s) < bar - 1e-9:
                continue  # even every shared character kept would not reach the bar
            quote_similarity = similarity(self.quote, self.text[s:e])
            if quote_similarity < bar - 1e-9:
                continue  # its context can only lower it: no need to score that
            place = self._place(s, e, quote_similarity)
            if place.confidence >= floor:
                best = self._best([best, place])
                bar = max(bar, place.confidence)
        return best

    def _shared(self, start: int, end: int) -> int:
        """How many characters of the quote text[start:end] keeps in order: `similarity`
        counts no more than these in common."""
        if self._masks is None:
            self._masks = character_masks(self.quote)
        return common_length(self.quote, self.text[start:end], self._masks)

    def _near(self, position: int, slack: int) -> list[int]:
        if self._boundaries is None:
            self._boundaries = [0]
            for token in tokenize(self.text):
                self._boundaries.append(self._boundaries[-1] + len(token))
        near = [b for b in self._boundaries if abs(b - position) <= slack]
        return sorted(near, key=lambda b: (abs(b - position), b))[:4]

    def context_intact(self, start: int, end: int) -> bool:
        """The text just before or just after is as it was (empty: at the paragraph's edge)."""
        prefix, suffix = self.prefix, self.suffix
        before = self.text[max(0, start - len(prefix)) : start] == prefix and (prefix or start == 0)
        after = self.text[end : end + len(suffix)] == suffix and (suffix or end == len(self.text))
        return bool(before or after)


def _source_elsewhere(trace: _Trace, start: int, end: int) -> int | None:
    """Where in the old text new[start:end] comes from when the diff keeps most of it from
    outside the quote (another passage, not the quote moved); None otherwise."""
    elsewhere = 0
    source = None
    for old_start, new_start, length in trace.equal:
        a, b = max(start, new_start), min(end, new_start + length)
        if a >= b:
            continue
        old_a, old_b = old_start + a - new_start, old_start + b - new_start
        quoted = max(0, min(old_b, trace.quoted[1]) - max(old_a, trace.quoted[0]))
        elsewhere += (b - a) - quoted
        if source is None:
            source = max(0, old_start + start - new_start)
    return source if 2 * elsewhere > end - start else None


def _merged(regions: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


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


def _word_similarity(a: str, b: str) -> float:
    """2 × characters of the words and marks both share, in order, ÷ both their lengths.

    For context, where it is cheap and has no baseline: unrelated text shares a few short
    words, not the stray letters a character comparison finds everywhere. Spaces are not
    counted; an empty context (the paragraph's edge) is like only another empty one.
    """
    if a == b:
        return 1.0
    x = [t for t in tokenize(a) if not t.isspace()]
    y = [t for t in tokenize(b) if not t.isspace()]
    total = sum(map(len, x)) + sum(map(len, y))
    if not total:
        return 1.0
    # Longest common subsequence of tokens, each weighing its length.
    previous = [0] * (len(y) + 1)
    for token in x:
        current = [0]
        for k, other in enumerate(y):
            if token == other:
                current.append(previous[k] + len(token))
            else:
                current.append(max(previous[k + 1], current[k]))
        previous = current
    return 2 * previous[-1] / total


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
