"""Compare two versions paragraph by paragraph (aligned by key), with a word redline inside."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from app.text.diff import DIFF_BUDGET, Op, SharedWork, word_diff
from app.text.document import Para
from app.text.paragraphs import with_mark

Status = Literal["unchanged", "modified", "inserted", "deleted"]

# Any signed-in reader may compare any two versions, so what one comparison may cost is bounded
# whatever the texts: its redlines share four paragraphs' worth of search. Two versions of
# 1.9 MB whose every paragraph was rewritten take ~1 s of CPU so, up to a minute with a budget
# per redline only (bench/bench_compare.py); the Basic Law's 2012-2020 revision spends 35,000.
COMPARE_WORK = 4 * DIFF_BUDGET


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
    result = Comparison()
    work = SharedWork(COMPARE_WORK)
    for status, was, now, frm, to in aligned(old, new):
        shown = now or was
        assert shown is not None  # one of the two is always there
        redline = _redline(was, now, work)
        result.paragraphs.append(ComparedParagraph(shown.key, shown.kind, status, frm, to, redline))
    return result


def count_changes(old: list[Para], new: list[Para]) -> Counter[Status]:
    """How many paragraphs are unchanged, modified, inserted and deleted (no redlines made)."""
    return Counter(status for status, *_ in aligned(old, new))


_Aligned = tuple[Status, Para | None, Para | None, int | None, int | None]


def aligned(old: list[Para], new: list[Para]) -> Iterator[_Aligned]:
    """(status, old paragraph, new paragraph, old position, new position) in reading order:
    every paragraph of both versions once, a deleted one where it stood."""
    old_position = {p.key: i for i, p in enumerate(old)}
    new_keys = {p.key for p in new}
    cursor = 0  # next paragraph of `old` not yet placed
    for j, paragraph in enumerate(new):
        i = old_position.get(paragraph.key)
        if i is None:
            yield "inserted", None, paragraph, None, j + 1
            continue
        for gone in range(cursor, i):
            if old[gone].key not in new_keys:
                yield "deleted", old[gone], None, gone + 1, None
        cursor = max(cursor, i + 1)
        status: Status = "unchanged" if old[i].block == paragraph.block else "modified"
        yield status, old[i], paragraph, i + 1, j + 1
    for gone in range(cursor, len(old)):
        if old[gone].key not in new_keys:
            yield "deleted", old[gone], None, gone + 1, None


def _redline(was: Para | None, now: Para | None, work: SharedWork) -> list[tuple[Op, str]]:
    if now is not None and was is None:
        return [("insert", now.text)]
    if was is not None and now is None:
        return [("delete", was.text)]
    assert was is not None and now is not None
    if was.block == now.block:
        return [("equal", now.text)]
    if was.kind == now.kind:
        return word_diff(was.text, now.text, work)
    # A paragraph became a heading or back: the mark is shown as part of the change.
    return word_diff(with_mark(was.block), with_mark(now.block), work)
