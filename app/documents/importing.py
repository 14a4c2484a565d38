"""Turn a marked-up Word document into amendments and comments: the plan, nothing written.

Pure: the document as read (`app.documents.reader`) and the base version's paragraphs in, a
plan out. The rules, each with a defined outcome:

* **Readings.** The *original* is the document with every tracked change rejected, the
  *result* with every change accepted. A paragraph whose mark is tracked as inserted is joined
  to the next one in the original, one whose mark is deleted in the result. Consecutive
  paragraphs joined in either reading form a *group*; a group whose original and result differ
  is a change.
* **Mapping to the base.** A document Concord exported carries each paragraph's key (a hidden
  bookmark): the original's paragraphs map by key. Any other document is aligned to the base
  version by the revised-draft aligner (`app.text.align`).
* **One amendment per changed paragraph.** Inside a changed group, original and result
  paragraphs are aligned: a pair that differs is a `modify` of the base paragraph (its text is
  the tracked change applied to the base paragraph by a three-way merge, so differences that
  are not tracked changes stay out of it); an original paragraph with no partner is a `delete`;
  a result paragraph with no partner is an `insert` after the last paragraph before it that
  stays. So a **split** is a modification of the part most like the paragraph plus insertions
  of the others, a **merge** a modification of the paragraph most like the merged text plus
  deletions of the others; a **move** (Word's move tracking, or cut and paste) is a deletion
  where the text was and an insertion where it went, marked `moved`.
* **Stacked revisions** (an insertion by one author deleted by another) are in neither reading:
  no change. **Formatting-only revisions** change no text: no amendment; they are counted. A
  heading that became a paragraph (or back) is not something an amendment can say: a warning.
* **Untracked differences** between the document's original and the base version are not
  proposed (they are not tracked changes); they are listed as warnings. Where one overlaps a
  tracked change so that both cannot be told apart, the amendment proposes the paragraph as
  the document has it, and says so.
* **Comments** on text of the base paragraph become comments on their quote (found again in
  the base paragraph, or the whole paragraph when it cannot be); comments on inserted text only
  become part of the rationale of the amendment that inserted it; replies follow their thread.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.documents.reader import PhysicalParagraph, WordComment, WordText
from app.text.align import align_paragraphs
from app.text.document import Para
from app.text.merge import MergeConflict, rebase_text
from app.text.paragraphs import Kind

MAX_PROPOSALS = 2_000
MAX_COMMENTS = 5_000
_LISTED = 20  # paragraphs named in one warning


@dataclass
class Reading:
    """One paragraph of the original or of the result: physical paragraphs joined."""

    kind: Kind
    text: str
    keys: list[str]
    parts: list[tuple[int, int]]  # (physical paragraph, where its text starts in `raw`)
    lead: int  # characters trimmed from the start of the raw text

    def offset(self, physical: int, within: int) -> int | None:
        """Where a position in a physical paragraph falls in this paragraph's text."""
        for index, start in self.parts:
            if index == physical:
                return max(0, min(len(self.text), start + within - self.lead))
        return None


@dataclass
class Group:
    first: int  # physical paragraph numbers
    last: int
    original: list[Reading]
    result: list[Reading]
    moved: bool
    format_changed: bool
    authors: list[str]

    @property
    def changed(self) -> bool:
        return [r.text for r in self.original] != [r.text for r in self.result]


@dataclass
class Proposal:
    action: Literal["modify", "insert", "delete"]
    paragraph_key: str | None  # modify, delete: the paragraph; insert: the one it follows
    text: str | None
    kind: Kind
    base_text: str | None
    authors: list[str]
    moved: bool = False
    whole_paragraph: bool = False  # untracked differences could not be kept apart
    rationale: list[str] = field(default_factory=list)
    group: int = 0


@dataclass
class PlannedComment:
    word_id: str
    paragraph_key: str
    author: str
    body: str
    quote: tuple[str, int, int] | None  # exact, start, end in the base paragraph
    parent: str | None = None  # the Word id of the comment it replies to


@dataclass
class Warning:
    code: str
    detail: str


@dataclass
class ImportPlan:
    mode: Literal["keyed", "aligned"]
    proposals: list[Proposal]
    comments: list[PlannedComment]
    warnings: list[Warning]
    formatting_only: int


def readings(paragraphs: Sequence[PhysicalParagraph]) -> list[Group]:
    """The document in groups of paragraphs joined by tracked paragraph marks."""
    groups: list[Group] = []
    start = 0
    for i, paragraph in enumerate(paragraphs):
        joined = paragraph.mark_inserted or paragraph.mark_deleted
        if joined and i < len(paragraphs) - 1:
            continue
        members = range(start, i + 1)
        groups.append(
            Group(
                first=start,
                last=i,
                original=_join(paragraphs, members, original=True),
                result=_join(paragraphs, members, original=False),
                moved=any(paragraphs[k].moved for k in members),
                format_changed=any(paragraphs[k].format_changed for k in members),
                authors=_authors(paragraphs, members),
            )
        )
        start = i + 1
    return groups


def accepted(word: WordText) -> list[Reading]:
    """The document's paragraphs with every tracked change accepted (what it says now)."""
    return [reading for group in readings(word.paragraphs) for reading in group.result]


def _authors(paragraphs: Sequence[PhysicalParagraph], members: range) -> list[str]:
    names: list[str] = []
    for k in members:
        paragraph = paragraphs[k]
        candidates = [p.author for p in paragraph.pieces if not (p.original and p.result)]
        if paragraph.mark_inserted or paragraph.mark_deleted:
            candidates.append(paragraph.mark_author)
        names.extend(n for n in candidates if n and n not in names)
    return names


def _join(paragraphs: Sequence[PhysicalParagraph], members: range, *, original: bool):
    """The group's paragraphs in one reading: a mark tracked away in it joins two."""
    out: list[Reading] = []
    raw, parts, keys, kinds = "", [], [], []
    for k in members:
        paragraph = paragraphs[k]
        text = paragraph.original() if original else paragraph.result()
        parts.append((k, len(raw)))
        raw += text
        keys.extend(paragraph.keys)
        if text.strip():
            kinds.append(paragraph.kind_before if original else paragraph.kind)
        gone = paragraph.mark_inserted if original else paragraph.mark_deleted
        if gone and k != members[-1]:
            continue
        flat = raw.replace("\n", " ")
        text = flat.strip()
        if text:
            lead = len(flat) - len(flat.lstrip())
            out.append(Reading(kinds[0] if kinds else "paragraph", text, keys, parts, lead))
        raw, parts, keys, kinds = "", [], [], []
    return out


def plan_import(
    word: WordText, base: Sequence[Para], *, keyed: bool
) -> ImportPlan:
    """What the document proposes against `base`, by keys or by alignment."""
    groups = readings(word.paragraphs)
    base_by_key = {p.key: p for p in base}
    originals = [r for g in groups for r in g.original]
    keys = _keys_by_key(originals, base_by_key) if keyed else _keys_by_alignment(originals, base)
    key_of = {id(r): k for r, k in zip(originals, keys, strict=True)}
    warnings: list[Warning] = []
    proposals: list[Proposal] = []
    untracked: list[str] = []
    unmatched: list[str] = []
    style_only: list[str] = []
    formatting_only = 0
    last_key: str | None = None
    for number, group in enumerate(groups):
        for reading in group.original:
            key = key_of[id(reading)]
            if key is not None and reading.text != base_by_key[key].text:
                untracked.append(key)
        if not group.changed:
            if [r.kind for r in group.original] != [r.kind for r in group.result]:
                style_only.extend(_name(key_of[id(r)], r) for r in group.original)
            elif group.format_changed:
                formatting_only += 1
            last_key = _last_kept(group.original, key_of, last_key)
            continue
        last_key = _propose(
            group, number, key_of, base_by_key, last_key, proposals, unmatched
        )
    _warn(warnings, "untracked_difference", untracked,
          "differ from version's text outside tracked changes; those differences are not "
          "proposed")
    _warn(warnings, "unmatched_paragraph", unmatched,
          "carry tracked changes but match no paragraph of the base version; they are left out")
    _warn(warnings, "style_change_ignored", style_only,
          "only changed between heading and paragraph, which an amendment cannot propose")
    if formatting_only:
        warnings.append(
            Warning(
                "formatting_only",
                f"{formatting_only} paragraph(s) have formatting-only revisions; formatting is "
                "not part of the text, so they propose nothing.",
            )
        )
    comments = _plan_comments(word, groups, key_of, base_by_key, proposals, warnings)
    return ImportPlan(
        "keyed" if keyed else "aligned", proposals, comments, warnings, formatting_only
    )


def _name(key: str | None, reading: Reading) -> str:
    return key or f"“{reading.text[:40]}”"


def _warn(warnings: list[Warning], code: str, items: list[str], what: str) -> None:
    if not items:
        return
    listed = ", ".join(items[:_LISTED]) + (" …" if len(items) > _LISTED else "")
    warnings.append(Warning(code, f"{len(items)} paragraph(s) ({listed}) {what}."))


def _last_kept(originals: list[Reading], key_of: dict[int, str | None], last: str | None):
    for reading in originals:
        last = key_of[id(reading)] or last
    return last


def _keys_by_key(originals: list[Reading], base: dict[str, Para]) -> list[str | None]:
    used: set[str] = set()
    keys: list[str | None] = []
    for reading in originals:
        key = next((k for k in reading.keys if k in base and k not in used), None)
        if key is not None:
            used.add(key)
        keys.append(key)
    return keys


def _keys_by_alignment(originals: list[Reading], base: Sequence[Para]) -> list[str | None]:
    keys: list[str | None] = [None] * len(originals)
    pairs = align_paragraphs([p.text for p in base], [r.text for r in originals])
    for i, j in pairs:
        if i is not None and j is not None:
            keys[j] = base[i].key
    return keys


def _propose(
    group: Group,
    number: int,
    key_of: dict[int, str | None],
    base: dict[str, Para],
    last_key: str | None,
    proposals: list[Proposal],
    unmatched: list[str],
) -> str | None:
    """The group's amendments; answers the last paragraph of it that stays."""
    if len(group.original) == len(group.result) == 1:
        # One paragraph before and after: a modification, however much of it changed.
        pairs: list[tuple[int | None, int | None]] = [(0, 0)]
    else:
        pairs = align_paragraphs([r.text for r in group.original], [r.text for r in group.result])
    for i, j in pairs:
        before = group.original[i] if i is not None else None
        after = group.result[j] if j is not None else None
        key = key_of[id(before)] if before is not None else None
        if before is not None and key is None:
            if after is None or after.text != before.text:
                unmatched.append(_name(None, before))
            continue
        common = {"authors": group.authors, "moved": group.moved, "group": number}
        if before is None and after is not None:
            proposals.append(
                Proposal("insert", last_key, after.text, after.kind, None, **common)
            )
            continue
        assert before is not None and key is not None
        paragraph = base[key]
        if after is None:
            proposals.append(
                Proposal("delete", key, None, paragraph.kind, paragraph.text, **common)
            )
            continue
        last_key = key
        if after.text == before.text:
            continue
        merged = rebase_text(before.text, after.text, paragraph.text)
        whole = isinstance(merged, MergeConflict)
        text = after.text if whole else merged
        if text != paragraph.text:
            proposals.append(
                Proposal("modify", key, text, paragraph.kind, paragraph.text,
                         whole_paragraph=whole, **common)
            )
    return last_key


def _plan_comments(
    word: WordText,
    groups: list[Group],
    key_of: dict[int, str | None],
    base: dict[str, Para],
    proposals: list[Proposal],
    warnings: list[Warning],
) -> list[PlannedComment]:
    starts, ends = _comment_anchors(word)
    group_of = {k: n for n, g in enumerate(groups) for k in range(g.first, g.last + 1)}
    planned: dict[str, PlannedComment] = {}
    unplaced: list[str] = []
    for comment in _parents_first(word.comments):
        if not comment.body:
            continue
        if comment.parent is not None and comment.parent in planned:
            parent = planned[comment.parent]
            planned[comment.comment_id] = PlannedComment(
                comment.comment_id, parent.paragraph_key, comment.author, comment.body,
                None, parent=comment.parent,
            )
            continue
        start = starts.get(comment.comment_id)
        if start is None:
            unplaced.append(comment.comment_id)
            continue
        physical, original_offset, result_offset = start
        group = groups[group_of[physical]]
        placed = _place(comment, group, physical, original_offset, ends, key_of, base)
        if placed is not None:
            planned[comment.comment_id] = placed
            continue
        # On inserted text only: the rationale of the amendment that inserts it.
        made = [p for p in proposals if p.group == group_of[physical]]
        if made:
            made[0].rationale.append(_signed(comment))
        else:
            unplaced.append(comment.comment_id)
    if unplaced:
        warnings.append(
            Warning(
                "comment_not_placed",
                f"{len(unplaced)} comment(s) are on no text of the base version and on no "
                "proposed change; they are left out.",
            )
        )
    return list(planned.values())[:MAX_COMMENTS]


def _signed(comment: WordComment) -> str:
    return f"{comment.author}: {comment.body}" if comment.author else comment.body


def _comment_anchors(word: WordText):
    starts: dict[str, tuple[int, int, int]] = {}
    ends: dict[str, tuple[int, int, int]] = {}
    for index, paragraph in enumerate(word.paragraphs):
        for anchor in paragraph.anchors:
            target = starts if anchor.start else ends
            target.setdefault(anchor.comment_id, (index, anchor.original, anchor.result))
    return starts, ends


def _parents_first(comments: dict[str, WordComment]) -> list[WordComment]:
    ordered: list[WordComment] = []
    seen: set[str] = set()

    def visit(comment: WordComment, depth: int = 0) -> None:
        if comment.comment_id in seen or depth > 50:
            return
        parent = comments.get(comment.parent or "")
        if parent is not None:
            visit(parent, depth + 1)
        seen.add(comment.comment_id)
        ordered.append(comment)

    for comment in comments.values():
        visit(comment)
    return ordered


def _place(
    comment: WordComment,
    group: Group,
    physical: int,
    within: int,
    ends: dict[str, tuple[int, int, int]],
    key_of: dict[int, str | None],
    base: dict[str, Para],
) -> PlannedComment | None:
    """A comment on the base paragraph its range starts in, quoting the range's original
    text, found again in the base paragraph; None when it covers no original text."""
    reading = next((r for r in group.original if r.offset(physical, within) is not None), None)
    if reading is None:
        return None
    key = key_of[id(reading)]
    start = reading.offset(physical, within)
    end_at = ends.get(comment.comment_id)
    end = reading.offset(end_at[0], end_at[1]) if end_at else None
    if end is None:
        end = len(reading.text) if end_at and end_at[0] > physical else start
    if key is None or start is None or end <= start:
        return None
    exact = reading.text[start:end]
    paragraph = base[key].text
    quote: tuple[str, int, int] | None = None
    if paragraph[start:end] == exact:
        quote = (exact, start, end)
    elif exact.strip() and paragraph.count(exact) == 1:
        found = paragraph.index(exact)
        quote = (exact, found, found + len(exact))
    return PlannedComment(comment.comment_id, key, comment.author, comment.body, quote)
