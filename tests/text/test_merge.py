"""The word-level three-way merge: both changes land, or a conflict says which words clash."""

import time
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.text.merge import DmpSequenceMatcher, MergeConflict, _three_way, merge_words, rebase_text
from app.text.paragraphs import split_paragraphs

TEXTS = Path(__file__).parents[1] / "data" / "texts"
VOCABULARY = ["city", "cities", "the", "of", "and", "30", "(", ")", ","]
WORDS = st.lists(st.sampled_from(VOCABULARY), max_size=14).map(" ".join)

DEADLINE = "The report is due within thirty (30) days of the meeting."


def covenant_pledge(version: str) -> str:
    blocks = split_paragraphs((TEXTS / f"contributor-covenant-v{version}.txt").read_text())
    return next(b.text for b in blocks if b.text.startswith("We as members"))


class TestCases:
    def test_two_ways_of_editing_thirty_30_conflict(self) -> None:
        ours = DEADLINE.replace("thirty (30)", "sixty (60)")
        theirs = DEADLINE.replace("thirty (30)", "forty-five (45)")
        result = merge_words(DEADLINE, ours, theirs)
        assert isinstance(result, MergeConflict)
        assert result.reason == "both change the words 'thirty (30)'"
        assert result.words == "thirty (30)"

    def test_word_and_number_edited_separately_still_conflict(self) -> None:
        # Only " (" stands between the two edits: no unchanged word separates them.
        ours = DEADLINE.replace("thirty", "sixty")
        theirs = DEADLINE.replace("(30)", "(45)")
        assert isinstance(merge_words(DEADLINE, ours, theirs), MergeConflict)

    def test_separate_edits_both_land(self) -> None:
        ours = DEADLINE.replace("report", "summary")
        theirs = DEADLINE.replace("meeting", "conference")
        expected = "The summary is due within thirty (30) days of the conference."
        assert merge_words(DEADLINE, ours, theirs) == expected
        assert merge_words(DEADLINE, theirs, ours) == expected

    def test_same_change_on_both_sides_is_applied_once(self) -> None:
        both = DEADLINE.replace("thirty (30)", "sixty (60)")
        assert merge_words(DEADLINE, both, both) == both
        ours = both.replace("report", "summary")
        assert merge_words(DEADLINE, ours, both) == ours

    def test_deleted_paragraph_against_a_rewrite_conflicts(self) -> None:
        rewrite = DEADLINE.replace("thirty (30) days", "two months")
        result = merge_words(DEADLINE, "", rewrite)
        assert isinstance(result, MergeConflict)
        assert result.words == DEADLINE
        assert isinstance(rebase_text(DEADLINE, "", rewrite), MergeConflict)
        assert isinstance(rebase_text(DEADLINE, rewrite, ""), MergeConflict)
        assert merge_words(DEADLINE, "", DEADLINE) == ""

    def test_edit_after_a_large_insertion_lands_in_place(self) -> None:
        law = (TEXTS / "de-grundgesetz-v1-2012-07.txt").read_text(encoding="utf-8")
        insertion = " ".join(law[:3000].split()) + " "
        ours = insertion + DEADLINE
        theirs = DEADLINE.replace("meeting", "conference")
        expected = insertion + theirs
        assert merge_words(DEADLINE, ours, theirs) == expected
        assert rebase_text(DEADLINE, theirs, ours) == expected

    def test_insertions_at_one_place_conflict(self) -> None:
        result = merge_words(
            DEADLINE,
            DEADLINE.replace("days", "full days"),
            DEADLINE.replace("days", "working days"),
        )
        assert isinstance(result, MergeConflict)
        assert result.words == ""
        assert result.after == "due within thirty (30)"
        assert result.reason == (
            "both insert different words at the same place, after 'due within thirty (30)'"
        )
        at_start = merge_words("b c", "x b c", "y b c")
        assert isinstance(at_start, MergeConflict)
        assert at_start.reason.endswith("at the start")

    def test_rebase_reason_speaks_of_the_amendment(self) -> None:
        head = DEADLINE.replace("thirty (30)", "sixty (60)")
        amended = DEADLINE.replace("thirty (30)", "ninety (90)")
        result = rebase_text(DEADLINE, amended, head)
        assert isinstance(result, MergeConflict)
        assert result.reason == (
            "since the amendment was proposed, the current text changed the same words: "
            "'thirty (30)'"
        )

    def test_rebase_applies_the_amendment_onto_the_head(self) -> None:
        head = DEADLINE.replace("report", "summary")
        amended = DEADLINE.replace("days", "calendar days")
        assert rebase_text(DEADLINE, amended, head) == (
            "The summary is due within thirty (30) calendar days of the meeting."
        )
        assert rebase_text(DEADLINE, amended, DEADLINE) == amended
        assert rebase_text(DEADLINE, DEADLINE, head) == head

    def test_real_amendment_carried_past_caste_color(self) -> None:
        base, head = covenant_pledge("2.0"), covenant_pledge("2.1")
        amended = base.replace("sexual identity and orientation", "sexual orientation")
        result = rebase_text(base, amended, head)
        assert isinstance(result, str)
        assert "race, caste, color, religion, or sexual orientation." in result
        clashing = base.replace("race, religion", "race, origin, religion")
        conflict = rebase_text(base, clashing, head)
        assert isinstance(conflict, MergeConflict)
        assert "race" in conflict.reason or "religion" in conflict.reason

    def test_long_paragraph_is_quick(self) -> None:
        law = " ".join((TEXTS / "de-grundgesetz-v3-2020.txt").read_text(encoding="utf-8").split())
        base = law[:20_000]
        ours = base[:15_000].replace("Bundestag", "Parlament") + base[15_000:]
        theirs = base[:15_000] + base[15_000:].replace("Gesetz", "Statut")
        assert ours != base and theirs != base
        started = time.perf_counter()
        result = merge_words(base, ours, theirs)
        elapsed = time.perf_counter() - started
        print(f"merge_words on 20,000 characters: {elapsed * 1000:.1f} ms")
        assert result == ours[:15_000] + ours[15_000:].replace("Gesetz", "Statut")
        assert elapsed < 2.0

    def test_matcher_blocks_match_difflib_on_simple_input(self) -> None:
        a = ["The", " ", "cities", " ", "sign"]
        b = ["The", " ", "towns", " ", "sign"]
        assert DmpSequenceMatcher(None, a, b).get_matching_blocks() == [
            (0, 0, 2),
            (3, 3, 2),
            (5, 5, 0),
        ]


@st.composite
def separate_edits(draw: st.DrawFn) -> tuple[str, str, str, str]:
    """A base and two edits with at least one untouched word between them, and the result."""
    words = draw(st.lists(st.sampled_from(VOCABULARY[:5]), min_size=3, max_size=12))

    def edit(fresh: str) -> tuple[int, str, int]:
        # Positions on a doubled grid: 2k is the gap before word k, 2k + 1 is word k itself.
        kind = draw(st.sampled_from(["replace", "insert", "delete"]))
        if kind == "insert":
            k = draw(st.integers(0, len(words)))
            return 2 * k, kind, k
        k = draw(st.integers(0, len(words) - 1))
        # Deleting one of several equal words is ambiguous ("a a" → "a"): keep it unique.
        assume(kind == "replace" or words.count(words[k]) == 1)
        return 2 * k + 1, kind, k

    first, second = edit("X"), edit("Y")
    low, high = sorted((first[0], second[0]))
    assume(any(q % 2 for q in range(low + 1, high)))

    def apply(word_list: list[str], change: tuple[int, str, int], fresh: str) -> list[str]:
        _, kind, k = change
        result = list(word_list)
        if kind == "replace":
            result[k] = fresh
        elif kind == "insert":
            result.insert(k, fresh)
        else:
            del result[k]
        return result

    both = list(words)
    for change, fresh in sorted([(first, "X"), (second, "Y")], key=lambda c: -c[0][0]):
        both = apply(both, change, fresh)
    return (
        " ".join(words),
        " ".join(apply(words, first, "X")),
        " ".join(apply(words, second, "Y")),
        " ".join(both),
    )


class TestProperties:
    @settings(max_examples=150, deadline=None)
    @given(WORDS, WORDS)
    def test_one_sided_change_wins(self, base: str, changed: str) -> None:
        assert merge_words(base, changed, base) == changed
        assert merge_words(base, base, changed) == changed
        # The same without the shortcuts merge_words takes for these cases.
        assert _three_way(base, changed, base) == changed
        assert _three_way(base, base, changed) == changed

    @settings(max_examples=100, deadline=None)
    @given(WORDS, WORDS)
    def test_idempotent(self, base: str, changed: str) -> None:
        assert merge_words(base, changed, changed) == changed
        assert rebase_text(base, changed, changed) == changed
        assert _three_way(base, changed, changed) == changed

    @settings(max_examples=150, deadline=None)
    @given(separate_edits())
    def test_separate_edits_both_land_in_either_order(
        self, case: tuple[str, str, str, str]
    ) -> None:
        base, ours, theirs, expected = case
        assert merge_words(base, ours, theirs) == expected
        assert merge_words(base, theirs, ours) == expected
        assert rebase_text(base, theirs, ours) == expected

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(st.sampled_from(VOCABULARY[:5]), min_size=1, max_size=10),
        st.data(),
    )
    def test_overlapping_edits_conflict(self, words: list[str], data: st.DataObject) -> None:
        k = data.draw(st.integers(0, len(words) - 1))
        span = data.draw(st.integers(1, 2))
        ours = words[:k] + ["X"] + words[k + 1 :]
        theirs_kind = data.draw(st.sampled_from(["replace", "delete", "widen", "neighbour"]))
        if theirs_kind == "replace":
            theirs = words[:k] + ["Y"] + words[k + 1 :]
        elif theirs_kind == "delete":
            # Which of several equal words went is ambiguous ("a a" → "a"): keep them distinct.
            assume(len(set(words)) == len(words))
            theirs = words[:k] + words[k + span :]
        elif theirs_kind == "widen":
            theirs = words[:k] + ["Y", "Z"] + words[k + span :]
        else:
            # The next word: adjacent edits conflict too.
            assume(k + 1 < len(words))
            theirs = words[: k + 1] + ["Y"] + words[k + 2 :]
        result = merge_words(" ".join(words), " ".join(ours), " ".join(theirs))
        assert isinstance(result, MergeConflict)
        assert result.words

    @settings(max_examples=200, deadline=None)
    @given(WORDS, WORDS, WORDS)
    def test_symmetric(self, base: str, ours: str, theirs: str) -> None:
        forward, backward = merge_words(base, ours, theirs), merge_words(base, theirs, ours)
        assert isinstance(forward, MergeConflict) == isinstance(backward, MergeConflict)
        if isinstance(forward, str):
            assert forward == backward
        else:
            assert forward.words == backward.words  # type: ignore[union-attr]
