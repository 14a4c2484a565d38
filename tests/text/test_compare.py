"""Comparing two versions: what one comparison may cost is bounded, whatever the texts."""

import random

import pytest

from app.text import compare as compare_module
from app.text import diff
from app.text.compare import compare
from app.text.document import Para

# Documented in docs/api.md: the redlines of one comparison share 2,000,000 search steps.
SHARED_STEPS = 2_000_000


def unrelated_versions(paragraphs: int, words: int) -> tuple[list[Para], list[Para]]:
    """Two versions whose every paragraph was rewritten with other words (the costliest case)."""
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(20_000)]

    def text() -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(words))

    old = [Para(f"k{i}", "paragraph", text()) for i in range(paragraphs)]
    new = [Para(f"k{i}", "paragraph", text()) for i in range(paragraphs)]
    return old, new


@pytest.fixture
def steps(monkeypatch) -> list[int]:
    """Counts the search steps every diff spends (the charge of each budget check)."""
    spent = [0]
    check = diff._WorkBudget.__lt__

    def counted(self, now: object) -> bool:
        spent[0] += 2 * self.round + 2
        return check(self, now)

    monkeypatch.setattr(diff._WorkBudget, "__lt__", counted)
    return spent


def test_one_comparison_searches_a_bounded_number_of_steps(steps) -> None:
    old, new = unrelated_versions(paragraphs=16, words=400)
    comparison = compare(old, new)
    # Each redline alone may spend DIFF_BUDGET (500,000): sixteen would spend 8,000,000.
    assert steps[0] <= SHARED_STEPS + diff.DIFF_BUDGET
    # Past the bound a redline is coarser, never wrong: it still gives both texts back.
    for was, now, compared in zip(old, new, comparison.paragraphs, strict=True):
        assert compared.status == "modified"
        assert "".join(t for op, t in compared.diff if op != "insert") == was.text
        assert "".join(t for op, t in compared.diff if op != "delete") == now.text


def test_small_changes_still_get_word_redlines_past_the_bound(monkeypatch) -> None:
    monkeypatch.setattr(compare_module, "COMPARE_WORK", 0)
    old, new = unrelated_versions(paragraphs=3, words=400)
    # A paragraph that only gains a word: trimming what is equal needs no search.
    new[-1] = Para(old[-1].key, "paragraph", old[-1].text + " more")
    assert compare(old, new).paragraphs[-1].diff == [("equal", old[-1].text), ("insert", " more")]
