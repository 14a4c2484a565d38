"""Lay out a version, or a comparison of two, as Word paragraphs with tracked changes.

Pure: keyed paragraphs and who made each change in, Word paragraphs out (`app.documents.word`
writes them).
"""

import itertools
from collections.abc import Callable
from datetime import datetime

from app.documents.word import Revision, Span, WordParagraph
from app.text.compare import COMPARE_WORK, aligned
from app.text.diff import SharedWork, tokenize, word_diff
from app.text.document import Para

# Who made a paragraph's change between the two versions compared: (author, date) by key.
Attribution = Callable[[str], tuple[str, datetime]]


def version_paragraphs(paragraphs: list[Para]) -> list[WordParagraph]:
    """A version as it reads: each paragraph once, its key kept as a bookmark."""
    return [WordParagraph(p.kind, [Span(p.text)], key=p.key) for p in paragraphs]


def comparison_paragraphs(
    old: list[Para], new: list[Para], attribution: Attribution
) -> list[WordParagraph]:
    """Every paragraph of both versions in reading order (a deleted one where it stood), the
    differences as tracked changes by whoever made them. Accepting every change gives `new`,
    rejecting every change gives `old`, paragraph for paragraph."""
    work = SharedWork(COMPARE_WORK)  # bounded as the JSON comparison is
    laid: list[WordParagraph] = []
    for status, was, now, _, _ in aligned(old, new):
        if now is None:
            assert was is not None
            revision = _revision("delete", attribution(was.key))
            laid.append(WordParagraph(was.kind, [Span(was.text, revision)], was.key, revision))
        elif was is None:
            revision = _revision("insert", attribution(now.key))
            laid.append(WordParagraph(now.kind, [Span(now.text, revision)], now.key, revision))
        elif status == "unchanged":
            laid.append(WordParagraph(now.kind, [Span(now.text)], now.key))
        else:
            who = attribution(now.key)
            kind_changed = was.kind != now.kind
            laid.append(
                WordParagraph(
                    now.kind,
                    redline_spans(was.text, now.text, who, work),
                    now.key,
                    old_kind=was.kind if kind_changed else None,
                    kind_revision=_revision("insert", who) if kind_changed else None,
                )
            )
    place_paragraph_marks(laid)
    keep_breaks_between_insertions(laid)
    return laid


def redline_spans(
    old: str, new: str, who: tuple[str, datetime], work: SharedWork | None = None
) -> list[Span]:
    """The word-level redline from `old` to `new` as spans, each change by `who`."""
    spans = []
    for op, text in word_diff(old, new, work):
        if op == "equal":
            spans.append(Span(text))
        else:
            spans.append(Span(text, _revision("insert" if op == "insert" else "delete", who)))
    return spans


def place_paragraph_marks(laid: list[WordParagraph]) -> None:
    """Put each whole-paragraph insertion or deletion on the right paragraph mark.

    A mark ends the paragraph before a break, so a paragraph inserted (or deleted) after
    another is the break *before* it plus its text: its revision goes on the mark of the
    paragraph before it, as Word itself records a paragraph typed after another. Only the
    paragraphs changed at the very start of a document, which have no paragraph before them,
    carry it on their own mark. (LibreOffice joins a tracked change at the end of one
    paragraph with an insertion in the next by the same author: with the revision on the
    paragraph's own mark, rejecting that joined change also removed the unchanged break
    between them.) `mark` is read as "this paragraph is inserted/deleted" and rewritten.
    """
    changed = [p.mark for p in laid]
    for paragraph in laid:
        paragraph.mark = None
    leading = 0
    while leading < len(laid) and changed[leading] is not None:
        laid[leading].mark = changed[leading]
        leading += 1
    if leading == len(laid) and laid:
        laid[-1].mark = None  # the document's last mark cannot be taken away
        return
    for k in range(leading + 1, len(laid)):
        if changed[k] is not None:
            laid[k - 1].mark = changed[k]


def keep_breaks_between_insertions(laid: list[WordParagraph]) -> None:
    """Never start a paragraph with an insertion right after a paragraph that ends with an
    insertion by the same author across an unchanged break.

    LibreOffice (7.4) joins two insertions by one author, made in the same minute, when one
    ends a paragraph and the other starts the next, as if the break between them had been
    typed too: rejecting every change then joins the two paragraphs. Starting the second
    paragraph's change with the deletion of its first word (and that word inserted again)
    leaves nothing to join; the text on accepting or rejecting is the same.
    """
    for previous, paragraph in itertools.pairwise(laid):
        if previous.mark is not None and previous.mark.kind == "insert":
            continue  # the break itself is inserted: joining across it is right
        last = _last_revision(previous)
        first = paragraph.spans[0].revision if paragraph.spans else None
        if (
            last is None
            or first is None
            or last.kind != "insert"
            or first.kind != "insert"
            or last.author != first.author
        ):
            continue
        paragraph.spans = _deletion_first(paragraph.spans)


def _last_revision(paragraph: WordParagraph) -> Revision | None:
    spans = [s for s in paragraph.spans if s.text]
    return spans[-1].revision if spans else None


def _deletion_first(spans: list[Span]) -> list[Span]:
    """The same change, starting with a deletion: the leading run of changes with its
    deletions first, or, when it only inserts, the next word deleted and inserted again."""
    leading = 0
    while leading < len(spans) and spans[leading].revision is not None:
        leading += 1
    cluster, rest = spans[:leading], spans[leading:]
    deleted = [s for s in cluster if s.revision.kind == "delete"]  # type: ignore[union-attr]
    inserted = [s for s in cluster if s.revision.kind == "insert"]  # type: ignore[union-attr]
    if deleted:
        return deleted + inserted + rest
    if not rest:
        return spans
    insertion = inserted[-1].revision
    word = _first_word(rest[0].text)
    removal = Revision("delete", insertion.author, insertion.date)  # type: ignore[union-attr]
    remainder = [Span(rest[0].text[len(word) :])] if len(word) < len(rest[0].text) else []
    return [
        Span(word, removal),
        *inserted[:-1],
        Span(inserted[-1].text + word, insertion),
        *remainder,
        *rest[1:],
    ]


def _first_word(text: str) -> str:
    tokens = tokenize(text)
    return tokens[0] if tokens else text


def _revision(kind: str, who: tuple[str, datetime]) -> Revision:
    author, date = who
    return Revision(kind, author, date)  # type: ignore[arg-type]
