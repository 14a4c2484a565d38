"""Compare two versions paragraph by paragraph (aligned by key), with a word redline inside."""

from dataclasses import dataclass, field
from typing import Literal

from app.text.diff import Op, word_diff
from app.text.document import Para
from app.text.paragraphs import with_mark

Status = Literal["unchanged", "modified", "inserted", "deleted"]


@dataclass(frozen=True, slots=True)
class ComparedParagraph:
    key: str
    kind: str
    status: Status
    from_position: int | None
    to_position: int | None
    diff: list[tuple[Op, str]]


@dataclass
class Comparison:
    paragraphs: list[ComparedParagraph] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for p in self.paragraphs if p.status == status)


def compare(old: list[Para], new: list[Para]) -> Comparison:
    """Every paragraph of both versions once, in reading order; a deleted one where it stood."""
    old_position = {p.key: i for i, p in enumerate(old)}
    new_keys = {p.key for p in new}
    result = Comparison()
    cursor = 0  # next paragraph of `old` not yet placed

    def flush_deleted(until: int) -> None:
        nonlocal cursor
        while cursor < until:
            gone = old[cursor]
            if gone.key not in new_keys:
                result.paragraphs.append(
                    ComparedParagraph(
                        gone.key, gone.kind, "deleted", cursor + 1, None, [("delete", gone.text)]
                    )
                )
            cursor += 1

    for j, paragraph in enumerate(new):
        i = old_position.get(paragraph.key)
        if i is None:
            result.paragraphs.append(
                ComparedParagraph(
                    paragraph.key,
                    paragraph.kind,
                    "inserted",
                    None,
                    j + 1,
                    [("insert", paragraph.text)],
                )
            )
            continue
        flush_deleted(i)
        cursor = max(cursor, i + 1)
        before = old[i]
        if before.kind == paragraph.kind and before.text == paragraph.text:
            status: Status = "unchanged"
            diff: list[tuple[Op, str]] = [("equal", paragraph.text)]
        elif before.kind == paragraph.kind:
            status, diff = "modified", word_diff(before.text, paragraph.text)
        else:  # a paragraph became a heading or back: show the mark as part of the change
            marked = with_mark(before.block), with_mark(paragraph.block)
            status, diff = "modified", word_diff(*marked)
        result.paragraphs.append(
            ComparedParagraph(paragraph.key, paragraph.kind, status, i + 1, j + 1, diff)
        )
    flush_deleted(len(old))
    return result
