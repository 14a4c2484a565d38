"""Approximate string matching: fewest edits (Myers) and the longest common subsequence (Hyyrö)."""

from hypothesis import given
from hypothesis import strategies as st

from app.text.approximate import character_masks, closest_ends, closest_matches, common_length

_TEXTS = st.text(alphabet="abc ", max_size=24)
_PATTERNS = st.text(alphabet="abc ", min_size=1, max_size=8)


def _edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _lcs(a: str, b: str) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def test_a_misspelt_word_is_found_with_its_errors():
    text = "the quack brown fox"
    matches, errors = closest_matches(text, "quick", 2)
    assert errors == 1
    assert [text[s:e] for s, e in matches] == ["quack"]


def test_nothing_within_the_errors_allowed_is_no_match():
    assert closest_matches("the brown fox", "quick", 1) == ([], 1)


@given(_TEXTS, _PATTERNS)
def test_the_errors_are_the_fewest_of_any_substring(text: str, pattern: str):
    fewest = min(
        _edits(pattern, text[i:j]) for i in range(len(text) + 1) for j in range(i, len(text) + 1)
    )
    ends, errors = closest_ends(text, pattern, len(pattern))
    assert errors == fewest
    for end in ends:
        assert min(_edits(pattern, text[i:end]) for i in range(end + 1)) == fewest
    matches, _ = closest_matches(text, pattern, len(pattern))
    assert [e for _, e in matches] == ends


@given(_PATTERNS, _TEXTS)
def test_common_length_is_the_longest_common_subsequence(pattern: str, text: str):
    assert common_length(pattern, text, character_masks(pattern)) == _lcs(pattern, text)
