"""Approximate string matching with bit-vectors: where a pattern stands in a text with the fewest
edits, and how many of its characters a stretch of text keeps in order."""


def character_masks(pattern: str) -> dict[str, int]:
    """For each character of `pattern`, the bits of the places it stands at (bit i: pattern[i])."""
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | 1 << i
    return masks


def closest_matches(text: str, pattern: str, max_errors: int) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of the substrings of `text` fewest edits away from `pattern`, if that is at
    most `max_errors`, and that number; of the starts that give as few, the one making the
    match longest (as approx-string-match does)."""
    ends, errors = closest_ends(text, pattern, max_errors)
    backwards = pattern[::-1]
    matches = []
    for end in ends:
        lowest = max(0, end - len(pattern) - errors)
        starts, _ = closest_ends(text[lowest:end][::-1], backwards, errors)
        if starts:
            matches.append((end - max(starts), end))
    return matches, errors


def closest_ends(text: str, pattern: str, max_errors: int) -> tuple[list[int], int]:
    """Ends of the substrings of `text` fewest edits (Levenshtein) away from `pattern`, and
    that number, if at most `max_errors`: Myers' bit-vector algorithm, the whole pattern in
    one integer (Myers 1999, "A fast bit-vector algorithm for approximate string matching")."""
    m = len(pattern)
    if not m:
        return [], 0
    occurs = character_masks(pattern)
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    plus, minus, errors = mask, 0, m  # the column's vertical deltas, and its last cell
    best, ends = max_errors, []
    for j, char in enumerate(text):
        eq = occurs.get(char, 0)
        xv = eq | minus
        xh = (((eq & plus) + plus) ^ plus) | eq
        hplus = minus | (~(xh | plus) & mask)
        hminus = plus & xh
        if hplus & last:
            errors += 1
        elif hminus & last:
            errors -= 1
        hplus = (hplus << 1) & mask  # a match may start anywhere: row 0 costs nothing
        hminus = (hminus << 1) & mask
        plus = hminus | (~(xv | hplus) & mask)
        minus = hplus & xv
        if errors <= best:
            if errors < best:
                ends = []
                best = errors
            ends.append(j + 1)
    return ends, best


def common_length(pattern: str, text: str, masks: dict[str, int]) -> int:
    """The length of the longest common subsequence of `pattern` and `text`, `masks` being
    `character_masks(pattern)` (Hyyrö's bit-parallel form)."""
    mask = (1 << len(pattern)) - 1
    row = mask
    for char in text:
        matched = row & masks.get(char, 0)
        row = ((row + matched) | (row - matched)) & mask
    return len(pattern) - row.bit_count()
