"""Word-level redlines: they rebuild both texts exactly and change whole words."""

import difflib
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.text import diff
from app.text.align import align_paragraphs
from app.text.diff import (
    DELETE,
    EQUAL,
    INSERT,
    TokenTable,
    char_diff,
    matching_blocks,
    tokenize,
    word_diff,
)
from app.text.paragraphs import split_paragraphs

TEXTS = Path(__file__).parents[1] / "data" / "texts"
# The cases the browser's live redline is held to as well (frontend/src/lib/wordDiff.test.ts).
SHARED = json.loads(
    (Path(__file__).parents[2] / "frontend/src/lib/fixtures/tokens.json").read_text("utf-8")
)


def rebuild(redline: list[tuple[str, str]]) -> tuple[str, str]:
    old = "".join(text for op, text in redline if op != "insert")
    new = "".join(text for op, text in redline if op != "delete")
    return old, new


def assert_well_formed(redline: list[tuple[str, str]], old: str, new: str) -> None:
    assert rebuild(redline) == (old, new)
    assert all(text for _, text in redline), "empty parts are left out"
    assert all(op in ("equal", "insert", "delete") for op, _ in redline)
    assert all(a[0] != b[0] for a, b in zip(redline, redline[1:], strict=False)), "runs merged"


class TestTokenize:
    def test_words_blanks_and_marks(self) -> None:
        assert tokenize("Art. 93 (1)  über") == [
            "Art",
            ".",
            " ",
            "93",
            " ",
            "(",
            "1",
            ")",
            "  ",
            "über",
        ]

    def test_each_ideograph_is_a_token(self) -> None:
        assert tokenize("城市与移民。") == ["城", "市", "与", "移", "民", "。"]

    @given(st.text())
    def test_tokens_join_back_to_the_text(self, text: str) -> None:
        assert "".join(tokenize(text)) == text

    @pytest.mark.parametrize("case", SHARED["tokenize"], ids=lambda case: case["text"])
    def test_the_rule_the_browser_shares(self, case: dict) -> None:
        assert tokenize(case["text"]) == case["tokens"]


@pytest.mark.parametrize("case", SHARED["word_diff"], ids=lambda case: case["before"])
def test_the_redline_the_browser_shows_live(case: dict) -> None:
    assert [list(part) for part in word_diff(case["before"], case["after"])] == case["diff"]


class TestWordDiff:
    def test_replaced_word_is_whole(self) -> None:
        redline = word_diff("within thirty days", "within forty days")
        assert redline == [
            ("equal", "within "),
            ("delete", "thirty"),
            ("insert", "forty"),
            ("equal", " days"),
        ]

    def test_insertion_is_exactly_the_new_words(self) -> None:
        redline = word_diff("race, religion, or", "race, caste, color, religion, or")
        assert [part for part in redline if part[0] != "equal"] == [("insert", " caste, color,")]

    def test_identical_and_empty(self) -> None:
        assert word_diff("same", "same") == [("equal", "same")]
        assert word_diff("", "") == []
        assert word_diff("", "new") == [("insert", "new")]
        assert word_diff("old", "") == [("delete", "old")]

    def test_german_umlauts_stay_inside_words(self) -> None:
        redline = word_diff("die Länder gemäß Artikel", "die Bundesländer gemäß Artikel")
        assert ("delete", "Länder") in redline
        assert ("insert", "Bundesländer") in redline

    def test_non_bmp_characters(self) -> None:
        old, new = "Mechelen 🏙️ 𠀀 declaration", "Mechelen 🌍 𠀀 declaration"
        assert_well_formed(word_diff(old, new), old, new)

    def test_text_holding_the_table_characters_themselves(self) -> None:
        # Tokens are stood for by ideographs and private-use characters: text made of those
        # must still come back unchanged.
        old = "一 丁 \ue000 \U000f0000 x 丁丁"
        new = "丁 一 \ue001 \U000f0000 y 一一"
        assert_well_formed(word_diff(old, new), old, new)

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(st.sampled_from(["the", "city", "cities", " ", ", ", "ü", "中", "\n", "."])),
        st.lists(st.sampled_from(["the", "city", "cities", " ", ", ", "ü", "中", "\n", "."])),
    )
    def test_redline_rebuilds_both_texts(self, old_parts: list[str], new_parts: list[str]) -> None:
        old, new = "".join(old_parts), "".join(new_parts)
        assert_well_formed(word_diff(old, new), old, new)

    @settings(max_examples=60, deadline=None)
    @given(st.text(max_size=200), st.text(max_size=200))
    def test_redline_rebuilds_any_text(self, old: str, new: str) -> None:
        assert_well_formed(word_diff(old, new), old, new)

    def test_changes_never_split_a_word(self) -> None:
        old = "The cities of Europe welcome migrants and refugees alike"
        new = "The towns of Europa welcomed migrants and asylum seekers alike"
        for op, text in word_diff(old, new):
            if op != "equal":
                tokens = tokenize(text)
                assert all(t in tokenize(old) + tokenize(new) for t in tokens)

    def test_deterministic_on_a_long_rewrite(self) -> None:
        # With dmp's default 1 s deadline a long diff could differ from run to run.
        old = (TEXTS / "de-grundgesetz-v2-2012-08.txt").read_text()[:40_000]
        new = (TEXTS / "de-grundgesetz-v3-2020.txt").read_text()[:40_000]
        first = word_diff(old, new)
        assert_well_formed(first, old, new)
        assert word_diff(old, new) == first

    def test_basic_law_v2_to_v3_aligned_paragraphs(self) -> None:
        old = [
            b.text for b in split_paragraphs((TEXTS / "de-grundgesetz-v2-2012-08.txt").read_text())
        ]
        new = [b.text for b in split_paragraphs((TEXTS / "de-grundgesetz-v3-2020.txt").read_text())]
        pairs = [(i, j) for i, j in align_paragraphs(old, new) if i is not None and j is not None]
        started = time.perf_counter()
        changed = 0
        for i, j in pairs:
            redline = word_diff(old[i], new[j])
            assert_well_formed(redline, old[i], new[j])
            changed += any(op != "equal" for op, _ in redline)
        elapsed = time.perf_counter() - started
        print(f"word_diff on {len(pairs)} aligned paragraph pairs: {elapsed * 1000:.1f} ms")
        assert changed == sum(1 for i, j in pairs if old[i] != new[j]) > 10


class TestTableFull:
    def test_falls_back_to_a_character_redline(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(diff, "_POOL", ((0xE000, 0xE003),))
        old, new = "alpha beta gamma delta", "alpha beta gamma epsilon"
        redline = word_diff(old, new)
        assert_well_formed(redline, old, new)

    def test_matching_blocks_fall_back_to_difflib(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(diff, "_POOL", ((0xE000, 0xE002),))
        a, b = ["w1", "w2", "w3", "w4"], ["w1", "w3", "w4", "w5"]
        expected = [tuple(m) for m in difflib.SequenceMatcher(None, a, b).get_matching_blocks()]
        assert matching_blocks(a, b) == expected

    def test_more_tokens_than_the_bmp_holds(self) -> None:
        table = TokenTable()
        chars = table.encode(f"w{k}" for k in range(70_000))
        assert len(set(chars)) == 70_000
        assert table.decode_text(chars[-3:]) == "w69997w69998w69999"


class TestWorkBudget:
    def test_unrelated_long_paragraphs_are_bounded_and_deterministic(self) -> None:
        law = " ".join((TEXTS / "de-grundgesetz-v3-2020.txt").read_text().split())
        old, new = law[:5_000], law[60_000:65_000]
        started = time.perf_counter()
        redline = word_diff(old, new)
        characters = char_diff(old, new)
        elapsed = time.perf_counter() - started
        print(f"word_diff + char_diff on unrelated 5,000-character paragraphs: {elapsed:.2f} s")
        assert_well_formed(redline, old, new)
        assert "".join(t for op, t in characters if op != INSERT) == old
        assert "".join(t for op, t in characters if op != DELETE) == new
        assert word_diff(old, new) == redline
        assert char_diff(old, new) == characters
        assert elapsed < 3.0

    def test_exhausted_budget_gives_a_coarser_but_exact_redline(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        old = "alpha beta gamma delta epsilon zeta eta theta"
        new = "alpha BETA gamma DELTA epsilon ZETA eta THETA"
        fine = word_diff(old, new)
        monkeypatch.setattr(diff, "DIFF_BUDGET", 0)
        coarse = word_diff(old, new)
        assert_well_formed(coarse, old, new)
        assert len(coarse) < len(fine)
        assert coarse == [("equal", "alpha "), ("delete", old[6:]), ("insert", new[6:])]


class TestCharDiffAndBlocks:
    def test_char_diff_is_raw_dmp(self) -> None:
        assert char_diff("abc", "abd") == [(EQUAL, "ab"), (DELETE, "c"), (INSERT, "d")]

    @settings(max_examples=100, deadline=None)
    @given(
        st.lists(st.sampled_from("abcde"), max_size=30),
        st.lists(st.sampled_from("abcde"), max_size=30),
    )
    def test_matching_blocks_are_a_longest_common_subsequence(
        self, a: list[str], b: list[str]
    ) -> None:
        blocks = matching_blocks(a, b)
        assert blocks[-1] == (len(a), len(b), 0)
        for i, j, n in blocks:
            assert a[i : i + n] == b[j : j + n]
        matched = sum(n for _, _, n in blocks)
        lcs = difflib.SequenceMatcher(None, a, b, autojunk=False)
        # difflib is not always optimal, so it bounds the LCS from below.
        assert matched >= sum(m.size for m in lcs.get_matching_blocks())
        assert matched == _lcs_length(a, b)


def _lcs_length(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], previous + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]
