"""Read a Word document's text as its author left it: both the original (every tracked change
rejected) and the result (every change accepted), paragraph by paragraph, with the paragraph
keys of our own exports, the comments and where they are anchored.

Pure: parsed XML parts in (`app.documents.package`), plain data out. Word's paragraph marks
carry revisions too: a paragraph whose mark is inserted joins the next one in the original, one
whose mark is deleted joins it in the result; `views()` does those joins.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

from app.documents.word import KEY_BOOKMARK_PREFIX, PROP_DECLARATION, PROP_KIND, PROP_VERSION
from app.text.paragraphs import Kind

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _R, _T, _DEL_TEXT = _w("p"), _w("r"), _w("t"), _w("delText")
_INS, _DEL, _MOVE_FROM, _MOVE_TO = _w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")
_REVISIONS = {_INS, _DEL, _MOVE_FROM, _MOVE_TO}
# Containers whose content is part of the paragraph's text, read through.
_TRANSPARENT = {
    _w(t) for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo", "sdtContent")
}
_HEADING_NAME = re.compile(r"^(heading\s*[1-9]|title)$", re.IGNORECASE)


@dataclass
class Piece:
    """Text of a paragraph and which of the two readings hold it."""

    text: str
    original: bool  # there with every change rejected
    result: bool  # there with every change accepted
    moved: bool = False
    author: str = ""


@dataclass
class Anchor:
    """Where a comment's range starts or ends, in code points of both readings."""

    comment_id: str
    start: bool
    original: int
    result: int


@dataclass
class PhysicalParagraph:
    """One `w:p` as written, before the joins its tracked paragraph marks make."""

    pieces: list[Piece] = field(default_factory=list)
    kind: Kind = "paragraph"  # with every change accepted
    kind_before: Kind = "paragraph"  # with every change rejected
    mark_inserted: bool = False
    mark_deleted: bool = False
    mark_author: str = ""
    keys: list[str] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    format_changed: bool = False  # rPrChange / pPrChange: formatting revisions

    def original(self) -> str:
        return "".join(p.text for p in self.pieces if p.original)

    def result(self) -> str:
        return "".join(p.text for p in self.pieces if p.result)

    @property
    def tracked(self) -> bool:
        return (
            self.mark_inserted
            or self.mark_deleted
            or any(not (p.original and p.result) for p in self.pieces)
        )

    @property
    def moved(self) -> bool:
        return any(p.moved for p in self.pieces)


@dataclass
class WordComment:
    comment_id: str
    author: str
    body: str
    parent: str | None = None  # the comment this one replies to
    done: bool = False


@dataclass
class WordText:
    paragraphs: list[PhysicalParagraph]
    comments: dict[str, WordComment]
    properties: dict[str, str]

    @property
    def declaration_id(self) -> int | None:
        return _integer(self.properties.get(PROP_DECLARATION))

    @property
    def version(self) -> int | None:
        return _integer(self.properties.get(PROP_VERSION))

    @property
    def kind(self) -> str | None:
        return self.properties.get(PROP_KIND)


def _integer(value: str | None) -> int | None:
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return int(number) if number is not None and number.is_integer() else None


def read_word(package) -> WordText:
    """The document's paragraphs, comments and custom properties (`package`: a WordPackage)."""
    styles = _Styles(package.styles)
    reader = _BodyReader(styles)
    body = package.document.find(_w("body"))
    if body is not None:
        reader.block(body)
    return WordText(
        paragraphs=reader.paragraphs,
        comments=_comments(package.comments, package.comments_extended),
        properties=_custom_properties(package.custom_properties),
    )


class _Styles:
    """Which paragraph styles are headings: an outline level, or named Heading n / Title."""

    def __init__(self, root: etree._Element | None):
        self._headings: set[str] = set()
        if root is None:
            return
        based_on: dict[str, str] = {}
        own: dict[str, bool] = {}
        for style in root.iter(_w("style")):
            if style.get(_w("type")) != "paragraph":
                continue
            style_id = style.get(_w("styleId"), "")
            name = style.find(_w("name"))
            level = style.find(f"{_w('pPr')}/{_w('outlineLvl')}")
            own[style_id] = bool(
                (name is not None and _HEADING_NAME.match(name.get(_w("val"), "")))
                or (level is not None and _outline(level))
            )
            parent = style.find(_w("basedOn"))
            if parent is not None:
                based_on[style_id] = parent.get(_w("val"), "")
        for style_id in own:
            seen, current = set(), style_id
            while current and current not in seen:
                if own.get(current):
                    self._headings.add(style_id)
                    break
                seen.add(current)
                current = based_on.get(current, "")

    def kind(self, properties: etree._Element | None) -> Kind:
        if properties is None:
            return "paragraph"
        level = properties.find(_w("outlineLvl"))
        if level is not None:
            return "heading" if _outline(level) else "paragraph"
        style = properties.find(_w("pStyle"))
        if style is not None and style.get(_w("val"), "") in self._headings:
            return "heading"
        return "paragraph"


def _outline(level: etree._Element) -> bool:
    value = level.get(_w("val"), "9")
    return value.isdigit() and int(value) < 9


class _BodyReader:
    def __init__(self, styles: _Styles):
        self.styles = styles
        self.paragraphs: list[PhysicalParagraph] = []
        # Comment ranges and bookmarks may start between paragraphs: they then belong to the
        # start of the next one.
        self._pending_keys: list[str] = []
        self._pending_starts: list[str] = []

    def block(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self.paragraph(child)
            elif tag == _w("tbl"):
                for cell in child.iter(_w("tc")):
                    self.block(cell)
            elif tag in (_w("sdt"), _w("customXml")):
                content = child.find(_w("sdtContent"))
                self.block(content if content is not None else child)
            elif tag == _w("bookmarkStart"):
                self._bookmark(child, self._pending_keys)
            elif tag == _w("commentRangeStart"):
                self._pending_starts.append(child.get(_w("id"), ""))
            elif tag == _w("commentRangeEnd") and self.paragraphs:
                last = self.paragraphs[-1]
                last.anchors.append(
                    Anchor(child.get(_w("id"), ""), False, len(last.original()), len(last.result()))
                )

    def _bookmark(self, element: etree._Element, keys: list[str]) -> None:
        name = element.get(_w("name"), "")
        if name.startswith(KEY_BOOKMARK_PREFIX):
            keys.append(name[len(KEY_BOOKMARK_PREFIX) :])

    def paragraph(self, element: etree._Element) -> None:
        paragraph = PhysicalParagraph()
        paragraph.keys.extend(self._pending_keys)
        paragraph.anchors.extend(Anchor(i, True, 0, 0) for i in self._pending_starts)
        self._pending_keys, self._pending_starts = [], []
        properties = element.find(_w("pPr"))
        paragraph.kind = paragraph.kind_before = self.styles.kind(properties)
        if properties is not None:
            self._paragraph_properties(properties, paragraph)
        _Runs(paragraph, self).walk(element, original=True, result=True, moved=False, author="")
        self.paragraphs.append(paragraph)

    def _paragraph_properties(self, properties: etree._Element, paragraph: PhysicalParagraph):
        change = properties.find(_w("pPrChange"))
        if change is not None:
            paragraph.format_changed = True
            paragraph.kind_before = self.styles.kind(change.find(_w("pPr")))
        mark = properties.find(_w("rPr"))
        if mark is None:
            return
        for tag, attribute in ((_INS, "mark_inserted"), (_MOVE_TO, "mark_inserted"),
                               (_DEL, "mark_deleted"), (_MOVE_FROM, "mark_deleted")):
            revision = mark.find(tag)
            if revision is not None:
                setattr(paragraph, attribute, True)
                paragraph.mark_author = revision.get(_w("author"), "")
        if mark.find(_w("rPrChange")) is not None:
            paragraph.format_changed = True


class _Runs:
    """The text of one paragraph's content, each piece marked with the readings that hold it."""

    def __init__(self, paragraph: PhysicalParagraph, body: _BodyReader):
        self.paragraph = paragraph
        self.body = body
        self.in_field_code = False

    def _add(self, text: str, original: bool, result: bool, moved: bool, author: str) -> None:
        if text and (original or result):
            self.paragraph.pieces.append(Piece(text, original, result, moved, author))

    def _anchor(self, element: etree._Element, start: bool) -> None:
        self.paragraph.anchors.append(
            Anchor(
                element.get(_w("id"), ""),
                start,
                len(self.paragraph.original()),
                len(self.paragraph.result()),
            )
        )

    def walk(
        self, element: etree._Element, *, original: bool, result: bool, moved: bool, author: str
    ) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self.run(child, original, result, moved, author)
            elif tag in _REVISIONS:
                inserted = tag in (_INS, _MOVE_TO)  # else deleted (or moved away)
                self.walk(
                    child,
                    original=original and not inserted,
                    result=result and inserted,
                    moved=moved or tag in (_MOVE_FROM, _MOVE_TO),
                    author=child.get(_w("author"), author),
                )
            elif tag in _TRANSPARENT:
                self.walk(child, original=original, result=result, moved=moved, author=author)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self.walk(content, original=original, result=result, moved=moved, author=author)
            elif tag == _w("bookmarkStart"):
                self.body._bookmark(child, self.paragraph.keys)
            elif tag == _w("commentRangeStart"):
                self._anchor(child, True)
            elif tag == _w("commentRangeEnd"):
                self._anchor(child, False)

    def run(self, run: etree._Element, original: bool, result: bool, moved: bool, author: str):
        properties = run.find(_w("rPr"))
        if properties is not None and properties.find(_w("rPrChange")) is not None:
            self.paragraph.format_changed = True
        for child in run:
            tag = child.tag
            text = None
            if tag == _w("fldChar"):
                kind = child.get(_w("fldCharType"))
                self.in_field_code = kind == "begin"
            elif self.in_field_code:
                continue
            elif tag in (_T, _DEL_TEXT):
                text = child.text or ""
            elif tag in (_w("tab"), _w("ptab")):
                text = "\t"
            elif tag in (_w("br"), _w("cr")):
                text = "\n"
            elif tag == _w("noBreakHyphen"):
                text = "\u2011"
            if text:
                self._add(text, original, result, moved, author)


def _comments(
    comments: etree._Element | None, extended: etree._Element | None
) -> dict[str, WordComment]:
    if comments is None:
        return {}
    found: dict[str, WordComment] = {}
    by_paragraph_id: dict[str, str] = {}
    for element in comments.iter(_w("comment")):
        comment_id = element.get(_w("id"), "")
        lines = []
        for p in element.iter(_P):
            lines.append("".join(t.text or "" for t in p.iter(_T)))
            paragraph_id = p.get(f"{{{W14}}}paraId")
            if paragraph_id:
                by_paragraph_id[paragraph_id] = comment_id  # the last paragraph's id counts
        found[comment_id] = WordComment(
            comment_id, element.get(_w("author"), ""), "\n".join(lines).strip()
        )
    for entry in extended.iter(f"{{{W15}}}commentEx") if extended is not None else ():
        own = by_paragraph_id.get(entry.get(f"{{{W15}}}paraId", ""))
        if own is None:
            continue
        parent = by_paragraph_id.get(entry.get(f"{{{W15}}}paraIdParent", ""))
        found[own].parent = parent if parent != own else None
        found[own].done = entry.get(f"{{{W15}}}done") == "1"
    return found


def _custom_properties(root: etree._Element | None) -> dict[str, str]:
    if root is None:
        return {}
    properties = {}
    for element in root.iter(f"{{{_CUSTOM}}}property"):
        value = next(iter(element), None)
        if value is not None and value.text is not None:
            properties[element.get("name", "")] = value.text.strip()
    return properties
