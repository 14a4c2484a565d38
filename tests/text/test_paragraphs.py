"""Splitting imported text into paragraphs, the canonical text, its hash, and intake checks."""

import hashlib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.text.intake import (
    MAX_PARAGRAPH_CHARS,
    MAX_PARAGRAPHS,
    MAX_TEXT_BYTES,
    TextRejected,
    normalize_line,
    normalize_text,
)
from app.text.paragraphs import (
    Block,
    canonical_text,
    check_bounds,
    clean_paragraph_text,
    content_hash,
    parse_canonical,
    split_paragraphs,
)

TEXTS = Path(__file__).parents[1] / "data" / "texts"


class TestSplit:
    def test_blank_lines_separate_paragraphs(self) -> None:
        text = "First paragraph.\n\nSecond paragraph.\n\n\n\nThird."
        assert split_paragraphs(text) == [
            Block("paragraph", "First paragraph."),
            Block("paragraph", "Second paragraph."),
            Block("paragraph", "Third."),
        ]

    def test_lines_of_spaces_count_as_blank(self) -> None:
        assert split_paragraphs("One.\n   \t \nTwo.") == [
            Block("paragraph", "One."),
            Block("paragraph", "Two."),
        ]

    def test_inner_line_breaks_become_one_space_and_ends_are_trimmed(self) -> None:
        text = "\n\n  The cities   \n   commit to\nwelcome  migrants.  \n\n"
        assert split_paragraphs(text) == [
            Block("paragraph", "The cities commit to welcome  migrants.")
        ]

    def test_heading_mark(self) -> None:
        text = "# Mechelen Declaration\n\n#hashtag is not a heading\n\n#  Spaced   heading \n\nText"
        assert split_paragraphs(text) == [
            Block("heading", "Mechelen Declaration"),
            Block("paragraph", "#hashtag is not a heading"),
            Block("heading", "Spaced   heading"),
            Block("paragraph", "Text"),
        ]

    def test_heading_spanning_lines(self) -> None:
        assert split_paragraphs("# Part one:\ncities") == [Block("heading", "Part one: cities")]

    def test_empty_text(self) -> None:
        assert split_paragraphs("") == []
        assert split_paragraphs("\n \n\n") == []

    def test_real_text(self) -> None:
        blocks = split_paragraphs((TEXTS / "de-grundgesetz-v1-2012-07.txt").read_text())
        assert len(blocks) == 872
        assert blocks[0] == Block(
            "paragraph", "Grundgesetz für die Bundesrepublik Deutschland (GG)"
        )
        assert all(b.text == b.text.strip() and "\n" not in b.text for b in blocks)

    def test_clean_paragraph_text(self) -> None:
        assert clean_paragraph_text("  one\n\n  two  \nthree ") == "one two three"


class TestCanonical:
    def test_format(self) -> None:
        blocks = [Block("heading", "Title"), Block("paragraph", "One."), Block("paragraph", "Two.")]
        assert canonical_text(blocks) == "# Title\n\nOne.\n\nTwo.\n"

    def test_nfc(self) -> None:
        assert canonical_text([Block("paragraph", "Caf" + "e\u0301")]) == "Café\n"

    def test_hash_is_sha256_of_the_utf8_bytes(self) -> None:
        assert content_hash("abc") == (
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        canonical = canonical_text([Block("heading", "Städte"), Block("paragraph", "移民 🌍")])
        expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        assert content_hash(canonical) == "sha256:" + expected

    def test_hash_changes_with_one_character(self) -> None:
        one = canonical_text([Block("paragraph", "thirty (30) days")])
        other = canonical_text([Block("paragraph", "thirty (31) days")])
        assert content_hash(one) != content_hash(other)


def valid_text(text: str) -> bool:
    return bool(text) and text == text.strip() and "\n" not in text


# What intake lets through: no controls or surrogates, so only the block rules remain.
BLOCK_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")),
    min_size=1,
    max_size=40,
).filter(valid_text)
BLOCKS = st.lists(
    st.one_of(
        st.builds(Block, st.just("heading"), BLOCK_TEXT),
        st.builds(Block, st.just("paragraph"), BLOCK_TEXT.filter(lambda t: not t.startswith("# "))),
    ),
    max_size=8,
)


class TestRoundTrip:
    @settings(max_examples=100, deadline=None)
    @given(BLOCKS)
    def test_canonical_text_round_trips(self, blocks: list[Block]) -> None:
        canonical = canonical_text(blocks)
        assert canonical_text(split_paragraphs(canonical)) == canonical

    @settings(max_examples=100, deadline=None)
    @given(BLOCKS)
    def test_blocks_come_back_normalised(self, blocks: list[Block]) -> None:
        again = split_paragraphs(canonical_text(blocks))
        assert again == [Block(b.kind, unicodedata.normalize("NFC", b.text)) for b in blocks]

    @settings(max_examples=100, deadline=None)
    @given(BLOCKS)
    def test_the_canonical_text_reads_back_as_its_blocks(self, blocks: list[Block]) -> None:
        canonical = canonical_text(blocks)
        assert parse_canonical(canonical) == split_paragraphs(canonical)

    def test_real_text_round_trips(self) -> None:
        raw = (TEXTS / "un-a-res-80-3-awaza-political-declaration-2025.txt").read_text()
        canonical = canonical_text(split_paragraphs(normalize_text(raw)))
        assert canonical_text(split_paragraphs(canonical)) == canonical
        assert content_hash(canonical) == content_hash(canonical_text(split_paragraphs(canonical)))


class TestIntake:
    def test_nfc(self) -> None:
        assert normalize_text("e\u0301") == "é"
        assert normalize_text("A\u030a") == "Å"

    def test_line_ends(self) -> None:
        assert normalize_text("a\r\nb\rc\n") == "a\nb\nc\n"

    def test_bom_stripped_at_the_start_only(self) -> None:
        assert normalize_text("\ufeffText") == "Text"

    @pytest.mark.parametrize(
        "character", ["\u202e", "\u202a", "\u2066", "\u2069", "\x00", "\x1b", "\x7f", "\x85"]
    )
    def test_bidi_and_control_characters_refused(self, character: str) -> None:
        with pytest.raises(TextRejected) as refused:
            normalize_text(f"pay {character}0001 euros")
        assert refused.value.code == "forbidden_character"
        assert f"U+{ord(character):04X}" in str(refused.value)
        assert "position 4" in str(refused.value)

    def test_tab_and_newline_accepted(self) -> None:
        assert normalize_text("a\tb\nc") == "a\tb\nc"

    def test_lone_surrogate_refused(self) -> None:
        with pytest.raises(TextRejected) as refused:
            normalize_text("bad \ud800 text")
        assert refused.value.code == "invalid_unicode"

    def test_size_limit_in_bytes(self) -> None:
        assert len(normalize_text("a" * MAX_TEXT_BYTES)) == MAX_TEXT_BYTES
        with pytest.raises(TextRejected) as refused:
            normalize_text("a" * (MAX_TEXT_BYTES + 1))
        assert refused.value.code == "too_large" and refused.value.too_large
        # Two bytes each in UTF-8: half as many characters reach the limit.
        with pytest.raises(TextRejected):
            normalize_text("é" * (MAX_TEXT_BYTES // 2 + 1))

    def test_paragraph_length_limit(self) -> None:
        assert split_paragraphs("x" * MAX_PARAGRAPH_CHARS)[0].text == "x" * MAX_PARAGRAPH_CHARS
        with pytest.raises(TextRejected) as refused:
            split_paragraphs("ok\n\n" + "x" * (MAX_PARAGRAPH_CHARS + 1))
        assert refused.value.code == "paragraph_too_long"
        assert "Paragraph 2" in str(refused.value)

    def test_paragraph_count_limit(self) -> None:
        assert len(split_paragraphs("\n\n".join(["p"] * MAX_PARAGRAPHS))) == MAX_PARAGRAPHS
        with pytest.raises(TextRejected) as refused:
            split_paragraphs("\n\n".join(["p"] * (MAX_PARAGRAPHS + 1)))
        assert refused.value.code == "too_many_paragraphs" and refused.value.too_large

    def test_empty_paragraph_refused(self) -> None:
        with pytest.raises(TextRejected) as refused:
            check_bounds([Block("paragraph", "fine"), Block("heading", "")])
        assert refused.value.code == "empty_paragraph"


class TestLine:
    def test_trimmed_and_normalised(self) -> None:
        assert normalize_line("  Mayor of Meche\u0301len ", field="title") == "Mayor of Mechélen"

    @pytest.mark.parametrize("character", ["\u200b", "\u2060", "\ufeff", "\t", "\n", "\u2028"])
    def test_invisible_characters_refused(self, character: str) -> None:
        with pytest.raises(TextRejected) as refused:
            normalize_line(f"Bart{character}Somers", field="name")
        assert refused.value.code == "forbidden_character"

    def test_empty_and_too_long(self) -> None:
        with pytest.raises(TextRejected) as empty:
            normalize_line("   ", field="name")
        assert empty.value.code == "empty"
        with pytest.raises(TextRejected) as long:
            normalize_line("x" * 11, field="name", max_chars=10)
        assert long.value.code in ("too_long", "too_large")
