"""Lay out the compilation text: the head version with every open amendment as a tracked
change by its city, rationales and comments as Word comments.

Pure: the head's paragraphs, the amendments' effects on them and the comments' anchors in;
Word paragraphs out. A paragraph cannot carry two competing tracked rewrites of the same words,
so this is the rule for amendments to one paragraph (open ones, accepted before proposed, then
oldest first):

* an amendment whose changes touch no words another one placed in the paragraph already
  changes is shown **in the paragraph**, as tracked changes by its city — several cities'
  changes to different words of one paragraph all stand in it, each by its own author;
* one that touches words already changed there (or cannot be carried onto the paragraph as it
  now stands) is shown as an **alternative**: right after the paragraph, the whole paragraph as
  that city would have it, in its own indented style, tracked as inserted by the city, with a
  comment naming the amendment and the paragraph it would replace. A deletion that cannot stand
  in the paragraph becomes a comment on it by the deleting city.

Rejecting every change gives the head version exactly (alternatives and insertions are tracked
insertions, in-paragraph changes tracked changes of it); accepting every change gives the head
with every placed change and every alternative after its paragraph: a reading aid, not a text.
"""

from dataclasses import dataclass, field
from datetime import datetime

from app.documents.layout import keep_breaks_between_insertions, place_paragraph_marks
from app.documents.word import Note, Revision, Span, WordParagraph
from app.text.diff import word_diff
from app.text.document import Para
from app.text.paragraphs import Kind


@dataclass(frozen=True)
class Proposal:
    """An open amendment and what it would do to the paragraph as it stands in the head."""

    amendment_id: int
    city: str
    date: datetime
    status: str
    action: str  # modify | insert | delete
    paragraph_key: str | None
    kind: Kind
    text: str | None  # modify: the paragraph's new text on the head; insert: the new paragraph
    conflict: str | None  # why it cannot be carried onto the head as written
    written_text: str | None  # the amendment's own wording (shown when it conflicts)
    base_version: int
    rationale: str
    supporters: tuple[str, ...] = ()
    # The amendment's own redline, when it was written against the paragraph as it still is
    # (stored at proposal: not computed again for each of thousands of amendments).
    diff: list[tuple[str, str]] | None = None


@dataclass
class Remark:
    """A comment of the platform, anchored on the head: `start`/`end` in the paragraph's text
    (None: on the whole paragraph)."""

    paragraph_key: str
    author: str
    date: datetime
    body: str
    start: int | None
    end: int | None
    resolved: bool = False
    replies: list["Remark"] = field(default_factory=list)


@dataclass
class _Placed:
    """A paragraph being laid out, with the notes to anchor once its spans are final."""

    paragraph: WordParagraph
    pending: list[tuple[int, int, Note]] = field(default_factory=list)  # in head-text offsets
    on_whole: list[Note] = field(default_factory=list)  # spanning all its text


def compilation_paragraphs(
    head: list[Para], proposals: list[Proposal], remarks: list[Remark]
) -> list[WordParagraph]:
    by_key: dict[str | None, list[Proposal]] = {}
    for proposal in sorted(proposals, key=_order):
        by_key.setdefault(proposal.paragraph_key, []).append(proposal)
    remarks_by_key: dict[str, list[Remark]] = {}
    for remark in remarks:
        remarks_by_key.setdefault(remark.paragraph_key, []).append(remark)
    placed: list[_Placed] = [
        _inserted(p) for p in by_key.get(None, []) if p.action == "insert" and not p.conflict
    ]
    for paragraph in head:
        own = by_key.get(paragraph.key, [])
        changes = [p for p in own if p.action != "insert"]
        main, alternatives = _lay_paragraph(paragraph, changes)
        for remark in remarks_by_key.get(paragraph.key, []):
            note = _note(remark)
            if remark.start is None or remark.end is None:
                main.pending.append((0, len(paragraph.text), note))
            else:
                main.pending.append((remark.start, remark.end, note))
        placed.append(main)
        placed.extend(alternatives)
        placed.extend(_inserted(p) for p in own if p.action == "insert" and not p.conflict)
    laid = [p.paragraph for p in placed]
    place_paragraph_marks(laid)
    keep_breaks_between_insertions(laid)
    for item in placed:
        _anchor_notes(item)
    return laid


def _order(proposal: Proposal) -> tuple[int, int]:
    return (0 if proposal.status == "accepted" else 1, proposal.amendment_id)


def _revision(proposal: Proposal, kind: str) -> Revision:
    return Revision(kind, proposal.city, proposal.date)  # type: ignore[arg-type]


def _who(proposal: Proposal) -> str:
    supported = f"; supported by {', '.join(proposal.supporters)}" if proposal.supporters else ""
    return (
        f"Amendment {proposal.amendment_id} — {proposal.city}, {proposal.status}, on version "
        f"{proposal.base_version}{supported}."
    )


def _rationale_note(proposal: Proposal, lead: str = "") -> Note:
    parts = [lead, _who(proposal)] if lead else [_who(proposal)]
    if proposal.conflict:
        parts.append(f"As written it does not apply to this version: {proposal.conflict}")
    if proposal.rationale:
        parts.append(proposal.rationale)
    return Note(proposal.city, proposal.date, "\n".join(parts), 0, 0)


def _inserted(proposal: Proposal) -> _Placed:
    revision = _revision(proposal, "insert")
    paragraph = WordParagraph(
        proposal.kind, [Span(proposal.text or "", revision)], mark=revision
    )
    return _Placed(paragraph, on_whole=[_rationale_note(proposal)])


Edit = tuple[int, int, str]  # start, end in the paragraph's text, inserted text


def _edits(diff: list[tuple[str, str]]) -> list[Edit]:
    edits: list[Edit] = []
    position = 0
    for op, text in diff:
        if op == "equal":
            position += len(text)
        elif op == "delete":
            if edits and edits[-1][1] == position:
                start, _, inserted = edits[-1]
                edits[-1] = (start, position + len(text), inserted)
            else:
                edits.append((position, position + len(text), ""))
            position += len(text)
        else:
            if edits and edits[-1][1] == position:
                start, end, inserted = edits[-1]
                edits[-1] = (start, end, inserted + text)
            else:
                edits.append((position, position, text))
    return edits


def _touches(a: Edit, b: Edit) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _lay_paragraph(
    paragraph: Para, changes: list[Proposal]
) -> tuple[_Placed, list[_Placed]]:
    """The paragraph with the changes that fit in it, and the alternatives after it."""
    inline: list[tuple[Proposal, list[Edit]]] = []
    taken: list[Edit] = []
    deleted_by: Proposal | None = None
    alternatives: list[_Placed] = []
    remarks: list[Note] = []
    for proposal in changes:
        if proposal.action == "delete":
            if proposal.conflict is None and not inline and deleted_by is None:
                deleted_by = proposal
            else:
                remarks.append(
                    _rationale_note(proposal, f"{proposal.city} proposes to delete this paragraph.")
                )
            continue
        edits = None
        if proposal.conflict is None and proposal.text is not None:
            edits = _edits(proposal.diff or word_diff(paragraph.text, proposal.text))
        fits = (
            edits
            and deleted_by is None
            and not any(_touches(e, t) for e in edits for t in taken)
        )
        if fits:
            inline.append((proposal, edits))  # type: ignore[arg-type]
            taken.extend(edits)  # type: ignore[arg-type]
        else:
            alternatives.append(_alternative(paragraph, proposal))
    if deleted_by is not None:
        revision = _revision(deleted_by, "delete")
        main = _Placed(
            WordParagraph(paragraph.kind, [Span(paragraph.text, revision)], paragraph.key, revision)
        )
        main.pending.append((0, len(paragraph.text), _rationale_note(deleted_by)))
    else:
        main = _Placed(
            WordParagraph(paragraph.kind, _spans(paragraph.text, inline), paragraph.key)
        )
        for proposal, edits in inline:
            start, end = edits[0][0], max(e[1] for e in edits)
            main.pending.append((start, end, _rationale_note(proposal)))
    for note in remarks:
        main.pending.append((0, len(paragraph.text), note))
    return main, alternatives


def _alternative(paragraph: Para, proposal: Proposal) -> _Placed:
    text = proposal.text if proposal.conflict is None else proposal.written_text
    revision = _revision(proposal, "insert")
    laid = WordParagraph(
        paragraph.kind, [Span(text or "", revision)], mark=revision, alternative=True
    )
    lead = f"{proposal.city}'s alternative to the paragraph above (it would replace it)."
    return _Placed(laid, on_whole=[_rationale_note(proposal, lead)])


def _spans(text: str, inline: list[tuple[Proposal, list[Edit]]]) -> list[Span]:
    edits = sorted((e, p) for p, es in inline for e in es)
    spans: list[Span] = []
    position = 0
    for (start, end, inserted), proposal in edits:
        if start > position:
            spans.append(Span(text[position:start]))
        if end > start:
            spans.append(Span(text[start:end], _revision(proposal, "delete")))
        if inserted:
            spans.append(Span(inserted, _revision(proposal, "insert")))
        position = max(position, end)
    if position < len(text):
        spans.append(Span(text[position:]))
    return spans


def _note(remark: Remark) -> Note:
    return Note(
        remark.author,
        remark.date,
        remark.body,
        0,
        0,
        done=remark.resolved,
        replies=[_note(r) for r in remark.replies],
    )


def _anchor_notes(item: _Placed) -> None:
    """Notes in head-text offsets → offsets in the paragraph's spans (deleted text counts,
    inserted text does not move a head offset)."""
    paragraph = item.paragraph
    total = len(paragraph.text)
    for note in item.on_whole:
        note.start, note.end = 0, total
        paragraph.notes.append(note)
    if not item.pending:
        return
    marks = _head_to_span(paragraph.spans)
    for start, end, note in item.pending:
        note.start = marks[min(start, len(marks) - 1)]
        note.end = max(note.start, marks[min(end, len(marks) - 1)])
        if note.end == note.start:
            note.end = min(total, note.start + 1) if total else 0
        paragraph.notes.append(note)


def _head_to_span(spans: list[Span]) -> list[int]:
    """For each offset 0…n of the head text, the offset in the spans' text."""
    marks: list[int] = []
    position = 0
    for span in spans:
        if span.revision is None or span.revision.kind == "delete":
            marks.extend(range(position, position + len(span.text)))
        position += len(span.text)
    marks.append(position)
    return marks
