"""Aligning a whole revised draft to its base, paragraph by paragraph."""

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.text.align import align_paragraphs, paragraph_similarity
from app.text.diff import word_diff
from app.text.paragraphs import split_paragraphs

TEXTS = Path(__file__).parents[1] / "data" / "texts"


def load(name: str) -> list[str]:
    """Paragraphs as the lead compares them: kind and text, headings marked as in canonical text."""
    blocks = split_paragraphs((TEXTS / name).read_text(encoding="utf-8"))
    return [("# " if block.kind == "heading" else "") + block.text for block in blocks]


def check_shape(pairs: list[tuple[int | None, int | None]], old: list[str], new: list[str]) -> None:
    assert sorted(i for i, _ in pairs if i is not None) == list(range(len(old)))
    assert [j for _, j in pairs if j is not None] == list(range(len(new))), "new-document order"
    matched = [(i, j) for i, j in pairs if i is not None and j is not None]
    for (i1, j1), (i2, j2) in zip(matched, matched[1:], strict=False):
        assert i1 < i2 and j1 < j2
    assert all(i is not None or j is not None for i, j in pairs)
    # A deleted paragraph sits where it stood: after every kept paragraph that preceded it.
    last_old = -1
    for i, _ in pairs:
        if i is not None:
            assert i > last_old
            last_old = i


def classify(pairs: list[tuple[int | None, int | None]], old: list[str], new: list[str]):
    modified = [(i, j) for i, j in pairs if i is not None and j is not None and old[i] != new[j]]
    inserted = [j for i, j in pairs if i is None]
    deleted = [i for i, j in pairs if j is None]
    return modified, inserted, deleted


class TestSmall:
    def test_identical(self) -> None:
        assert align_paragraphs(["a", "b"], ["a", "b"]) == [(0, 0), (1, 1)]

    def test_empty_sides(self) -> None:
        assert align_paragraphs([], ["x"]) == [(None, 0)]
        assert align_paragraphs(["x"], []) == [(0, None)]
        assert align_paragraphs([], []) == []

    def test_edited_paragraph_keeps_its_place(self) -> None:
        old = ["Preamble.", "Cities welcome migrants.", "Signed in Mechelen."]
        new = ["Preamble.", "Cities warmly welcome migrants.", "Signed in Mechelen."]
        assert align_paragraphs(old, new) == [(0, 0), (1, 1), (2, 2)]

    def test_rewritten_paragraph_is_delete_then_insert(self) -> None:
        old = ["Preamble.", "Cities welcome migrants.", "End."]
        new = ["Preamble.", "The weather was pleasant in November.", "End."]
        assert align_paragraphs(old, new) == [(0, 0), (1, None), (None, 1), (2, 2)]

    def test_threshold(self) -> None:
        old, new = ["one two three four"], ["one two five six"]
        assert paragraph_similarity(old[0], new[0]) == 2 * 6 / (15 + 13)
        assert align_paragraphs(old, new, threshold=0.4) == [(0, 0)]
        assert align_paragraphs(old, new, threshold=0.5) == [(0, None), (None, 0)]

    def test_best_order_preserving_pairing_in_a_gap(self) -> None:
        old = ["K", "alpha beta gamma delta", "epsilon zeta eta theta", "K2"]
        new = ["K", "epsilon zeta eta theta iota", "new text entirely", "K2"]
        # alpha… was dropped, epsilon… edited: it pairs with the second, not the first.
        assert align_paragraphs(old, new) == [(0, 0), (1, None), (2, 1), (None, 2), (3, 3)]

    def test_moved_paragraph_is_deleted_and_inserted(self) -> None:
        old = ["a1 b1", "c2 d2", "e3 f3"]
        new = ["e3 f3", "a1 b1", "c2 d2"]
        pairs = align_paragraphs(old, new)
        check_shape(pairs, old, new)
        assert (0, 1) in pairs and (1, 2) in pairs and (2, None) in pairs and (None, 0) in pairs

    def test_repeated_paragraphs(self) -> None:
        old = ["-", "Art 1", "-", "Art 2", "-"]
        new = ["-", "Art 2", "-"]
        pairs = align_paragraphs(old, new)
        check_shape(pairs, old, new)
        assert sum(1 for i, j in pairs if i is not None and j is not None) == 3

    def test_similarity_ignores_blanks(self) -> None:
        assert paragraph_similarity("a  b", "a b") == 1.0
        assert paragraph_similarity("abc", "xyz") == 0.0

    @settings(max_examples=80, deadline=None)
    @given(
        st.lists(st.sampled_from(["p1 x", "p2 y", "p3 z", "p1 x y", "p4", "-"]), max_size=12),
        st.lists(st.sampled_from(["p1 x", "p2 y", "p3 z", "p1 x y", "p5", "-"]), max_size=12),
    )
    def test_every_paragraph_accounted_for_once(self, old: list[str], new: list[str]) -> None:
        pairs = align_paragraphs(old, new)
        check_shape(pairs, old, new)
        for i, j in pairs:
            if i is not None and j is not None and old[i] != new[j]:
                assert paragraph_similarity(old[i], new[j]) >= 0.5


class TestRealTexts:
    def test_basic_law_v1_to_v2_inserts_4c_and_updates_the_amendment_line(self) -> None:
        old, new = load("de-grundgesetz-v1-2012-07.txt"), load("de-grundgesetz-v2-2012-08.txt")
        started = time.perf_counter()
        pairs = align_paragraphs(old, new)
        elapsed = time.perf_counter() - started
        print(f"align Basic Law v1→v2 ({len(old)}→{len(new)} paragraphs): {elapsed * 1000:.1f} ms")
        check_shape(pairs, old, new)
        modified, inserted, deleted = classify(pairs, old, new)
        assert deleted == []
        assert len(inserted) == 1
        assert new[inserted[0]].startswith("4c. über Beschwerden von Vereinigungen")
        assert len(modified) == 1
        i, j = modified[0]
        assert old[i].startswith("Zuletzt geändert durch") and new[j].startswith(
            "Zuletzt geändert durch"
        )
        assert elapsed < 1.0  # about 2 ms on an idle machine; generous for a loaded CI runner

    def test_covenant_v2_0_to_v2_1(self) -> None:
        old = load("contributor-covenant-v2.0.txt")
        new = load("contributor-covenant-v2.1.txt")
        pairs = align_paragraphs(old, new)
        check_shape(pairs, old, new)
        modified, inserted, deleted = classify(pairs, old, new)
        assert inserted == [] and deleted == []
        # The pledge gains "caste, color"; the other two edits are the version number "2.0" →
        # "2.1" in the attribution paragraph and in the link references.
        assert len(modified) == 3
        redlines = {j: word_diff(old[i], new[j]) for i, j in modified}
        pledge = [j for j, redline in redlines.items() if any("caste" in t for _, t in redline)]
        assert len(pledge) == 1
        changes = [part for part in redlines[pledge[0]] if part[0] != "equal"]
        assert changes == [("insert", " caste, color,")]
        for j, redline in redlines.items():
            if j != pledge[0]:
                changed = {text for op, text in redline if op != "equal"}
                assert changed == {"0", "1"}

    def test_basic_law_v2_to_v3_every_paragraph_accounted_for(self) -> None:
        old, new = load("de-grundgesetz-v2-2012-08.txt"), load("de-grundgesetz-v3-2020.txt")
        started = time.perf_counter()
        pairs = align_paragraphs(old, new)
        elapsed = time.perf_counter() - started
        check_shape(pairs, old, new)
        modified, inserted, deleted = classify(pairs, old, new)
        print(
            f"align Basic Law v2→v3 ({len(old)}→{len(new)}): {elapsed * 1000:.1f} ms, "
            f"{len(modified)} modified, {len(inserted)} inserted, {len(deleted)} deleted"
        )
        unchanged = len(pairs) - len(modified) - len(inserted) - len(deleted)
        assert unchanged > 800
        for i, j in modified:
            assert paragraph_similarity(old[i], new[j]) >= 0.5

    def test_a_draft_edited_throughout_keeps_its_paragraphs(self) -> None:
        # A search-and-replace touches most paragraphs: no identical run is left to lean on.
        old = load("de-grundgesetz-v2-2012-08.txt")
        new = [p.replace("Bund", "Föderation").replace(" die ", " DIE ") for p in old]
        pairs = align_paragraphs(old, new)
        check_shape(pairs, old, new)
        matched = [(i, j) for i, j in pairs if i is not None and j is not None]
        assert len(matched) >= 0.97 * len(old)
        assert all(i == j for i, j in matched)

    def test_five_thousand_paragraphs(self) -> None:
        base = load("de-grundgesetz-v2-2012-08.txt") + load("de-grundgesetz-v3-2020.txt")
        old = [f"{text} [{k}]" for k, text in enumerate((base * 3)[:5000])]
        new = list(old)
        for k in range(0, 5000, 25):
            new[k] = new[k] + " geändert"
        del new[100:150]
        started = time.perf_counter()
        pairs = align_paragraphs(old, new)
        elapsed = time.perf_counter() - started
        print(f"align 5,000 paragraphs: {elapsed * 1000:.1f} ms")
        check_shape(pairs, old, new)
        modified, inserted, deleted = classify(pairs, old, new)
        assert len(deleted) == 50 and inserted == []
        assert len(modified) == 198
        assert elapsed < 2.0
