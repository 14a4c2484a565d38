"""Split a text into paragraphs and write the canonical text whose hash identifies a version.

The heading mark (`# `) is read by `parse_block` and written by `with_mark`, nowhere else."""

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Literal

from app.text.intake import MAX_PARAGRAPH_CHARS, MAX_PARAGRAPHS, TextRejected

Kind = Literal["heading", "paragraph"]
HEADING_MARK = "# "


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of a version, before it is given a key."""

    kind: Kind
    text: str


def split_paragraphs(text: str) -> list[Block]:
    """Blocks are separated by blank lines; inside one, line breaks become a single space."""
    blocks: list[Block] = []
    current: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(parse_block(" ".join(current)))
            current = []
    check_bounds(blocks)
    return blocks


def parse_block(joined: str) -> Block:
    """A block that starts with `# ` is a heading; the mark is not part of its text."""
    if joined.startswith(HEADING_MARK):
        return Block("heading", joined[len(HEADING_MARK) :].strip())
    return Block("paragraph", joined)


def with_mark(block: Block) -> str:
    """The block as it is typed and as the canonical text writes it: a heading with its mark."""
    return (HEADING_MARK if block.kind == "heading" else "") + block.text


def parse_canonical(text: str) -> list[Block]:
    """The blocks of a canonical text (the inverse of `canonical_text`)."""
    return [parse_block(b) for b in text.rstrip("\n").split("\n\n") if b]


def clean_paragraph_text(text: str) -> str:
    """One paragraph as typed in a form: line breaks folded to spaces, ends trimmed."""
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


def check_bounds(blocks: list[Block]) -> None:
    if len(blocks) > MAX_PARAGRAPHS:
        raise TextRejected(
            f"The text has {len(blocks):,} paragraphs; at most {MAX_PARAGRAPHS:,} are allowed.",
            code="too_many_paragraphs",
            too_large=True,
        )
    for number, block in enumerate(blocks, start=1):
        if not block.text:
            raise TextRejected(f"Paragraph {number} is empty.", code="empty_paragraph")
        if len(block.text) > MAX_PARAGRAPH_CHARS:
            raise TextRejected(
                f"Paragraph {number} has {len(block.text):,} characters; "
                f"at most {MAX_PARAGRAPH_CHARS:,} are allowed.",
                code="paragraph_too_long",
            )


def canonical_text(blocks: list[Block]) -> str:
    """Paragraphs in order, NFC, headings as `# text`, joined by a blank line, one final LF."""
    parts = [unicodedata.normalize("NFC", with_mark(b)) for b in blocks]
    return "\n\n".join(parts) + "\n"


def content_hash(canonical: str) -> str:
    """`sha256:` + hex digest of the UTF-8 canonical text: a version's fingerprint, which every
    signed statement names and every verifier recomputes."""
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


AUTHENTIC_MANIFEST = "concord-authentic-texts/1\n"


def authentic_fingerprint(texts: list[tuple[str, str]]) -> str:
    """The fingerprint a mayor signs, over every authentic text: `(language, canonical text)`
    pairs, the negotiating language first. One language: its content_hash, so a declaration
    without translations signs what it always signed. Several: the content_hash of a manifest,
    `concord-authentic-texts/1` then one line `<language> <content_hash>` per text, the
    negotiating language first and the others by tag, each line ending in LF."""
    if len(texts) == 1:
        return content_hash(texts[0][1])
    (source_language, source), *others = texts
    lines = [
        f"{lang} {content_hash(text)}\n"
        for lang, text in [(source_language, source), *sorted(others)]
    ]
    return content_hash(AUTHENTIC_MANIFEST + "".join(lines))
