"""The Hypothesis client's re-anchoring, re-implemented in Python for bench_anchoring.

Two generations of it, each behind the client's own order of selectors (`anchor()` in
src/annotator/anchoring/html.ts): the stored position is kept if the text there still equals
the quote; otherwise the quote selector is searched for, with that position as the hint.

* `match_quote` — the current client (src/annotator/anchoring/match-quote.ts): exact
  occurrences of the quote if there are any, else the lowest-error approximate matches
  (approx-string-match, Myers' bit-vector algorithm, at most min(256, len/2) errors); each scored
  quote 50, prefix 20, suffix 20, position 2, the best taken. It never declines a match found.
* `text_quote_dmp` — the client until 2020 (tilgovi/dom-anchor-text-quote): diff-match-patch's
  bitap `match_main` (threshold 0.5, distance twice the text's length) for the prefix, then the
  quote in 32-character slices from there.

Offsets are code points here, UTF-16 units in the browser: the same on these texts (all BMP).
"""

import math

from diff_match_patch import diff_match_patch

from app.text.approximate import closest_matches

Found = tuple[int, int] | None  # start, end; None when the client gives up


def anchor_match_quote(text: str, quote: str, prefix: str, suffix: str, hint: int) -> Found:
    """The current client: position selector, then `matchQuote` with the position as hint."""
    if text[hint : hint + len(quote)] == quote:
        return hint, hint + len(quote)
    match = match_quote(text, quote, prefix=prefix, suffix=suffix, hint=hint)
    return None if match is None else (match[0], match[1])


def anchor_text_quote_dmp(text: str, quote: str, prefix: str, suffix: str, hint: int) -> Found:
    """The client until 2020: position selector, then dom-anchor-text-quote's dmp search."""
    if text[hint : hint + len(quote)] == quote:
        return hint, hint + len(quote)
    return text_quote_dmp(text, quote, prefix=prefix, suffix=suffix, hint=hint)


# --- match-quote.ts -------------------------------------------------------------------------


def match_quote(
    text: str, quote: str, *, prefix: str, suffix: str, hint: int | None
) -> tuple[int, int, float] | None:
    """matchQuote(text, quote, {prefix, suffix, hint}): (start, end, score) or None."""
    if not quote:
        return None
    matches = _search(text, quote, min(256, len(quote) / 2))
    if not matches:
        return None

    def score(match: tuple[int, int, int]) -> float:
        start, end, errors = match
        quote_score = 1 - errors / len(quote)
        prefix_score = (
            _text_match_score(text[max(0, start - len(prefix)) : start], prefix) if prefix else 1.0
        )
        suffix_score = _text_match_score(text[end : end + len(suffix)], suffix) if suffix else 1.0
        position_score = 1.0 - abs(start - hint) / len(text) if hint is not None else 1.0
        raw = 50 * quote_score + 20 * prefix_score + 20 * suffix_score + 2 * position_score
        return raw / 92

    # JavaScript's sort is stable and descending by score: the first best match wins.
    best = max(matches, key=score)
    return best[0], best[1], score(best)


def _search(text: str, pattern: str, max_errors: float) -> list[tuple[int, int, int]]:
    """match-quote.ts' `search`: every exact occurrence, or else approx-string-match's."""
    exact = []
    position = text.find(pattern)
    while position != -1:
        exact.append((position, position + len(pattern), 0))
        position = text.find(pattern, position + 1)
    if exact:
        return exact
    return approx_search(text, pattern, max_errors)


def _text_match_score(text: str, pattern: str) -> float:
    if not pattern or not text:
        return 0.0
    matches = _search(text, pattern, len(pattern))
    return 1 - matches[0][2] / len(pattern)


# --- approx-string-match (robertknight/approx-string-match-js) -------------------------------


def approx_search(text: str, pattern: str, max_errors: float) -> list[tuple[int, int, int]]:
    """`search(text, pattern, maxErrors)`: the lowest-error matches as (start, end, errors), of
    a match's starts the one making it longest. The library runs Myers' bit-vector algorithm
    in 32-bit blocks; Concord's `closest_matches` runs it with the whole pattern in one integer
    (the errors found are the same), and errors are whole numbers, so at most `max_errors` is at
    most its integer part."""
    matches, errors = closest_matches(text, pattern, math.floor(max_errors))
    return [(start, end, errors) for start, end in matches]


# --- dom-anchor-text-quote (tilgovi), as the client used it until 2020 ------------------------

_SLICE = 32  # dmp's bitap handles patterns of at most Match_MaxBits characters


def text_quote_dmp(text: str, quote: str, *, prefix: str, suffix: str, hint: int | None) -> Found:
    """`toTextPosition(root, {exact, prefix, suffix}, {hint})`."""
    if not quote:
        return None
    dmp = diff_match_patch()  # Match_Threshold 0.5, as the library leaves it
    dmp.Match_Distance = len(text) * 2
    slices = [quote[i : i + _SLICE] for i in range(0, len(quote), _SLICE)]
    loc = len(text) // 2 if hint is None else hint
    # The library searches for any prefix it is given, even an empty one (found at `loc`).
    found_prefix = False
    result = dmp.match_main(text, prefix, loc)
    if result > -1:
        loc = result + len(prefix)
        found_prefix = True
    if not found_prefix:
        result = dmp.match_main(text, suffix, loc + len(quote))
        if result > -1:
            loc = result - len(quote)
    first = dmp.match_main(text, slices[0], loc)
    if first == -1:
        return None
    start, end = first, first + len(slices[0])
    loc = end
    dmp.Match_Distance = 64  # "the next slice should follow this one closely"
    for piece in slices[1:]:
        result = dmp.match_main(text, piece, loc)
        if result == -1:
            return None
        loc = result + len(piece)
        start, end = min(start, result), max(end, result + len(piece))
    return start, min(end, len(text))  # a range in the document ends where the text does
