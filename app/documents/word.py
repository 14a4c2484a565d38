"""Write a Word document (OOXML) of keyed paragraphs, with real tracked changes and comments.

python-docx gives the package, the styles and the core properties; the elements it does not
model (`w:ins`, `w:del`, `w:delText`, revision marks on paragraph marks, comment ranges,
bookmarks, custom properties) are written here with lxml. Every annotation — insertion,
deletion, comment, bookmark — takes its `w:id` from one document-wide counter.

Imports nothing of the app but the text core: callers hand in paragraphs already laid out.
"""

import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from app.text.paragraphs import Kind

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id every custom property carries (ECMA-376 Part 1, 22.3.2.2).
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

# Each paragraph's key is a bookmark with this prefix. A leading underscore makes it a hidden
# bookmark: Word and LibreOffice keep it, Word does not list it to the reader.
KEY_BOOKMARK_PREFIX = "_concord_"
# Custom document properties that say what a file is (read back by the importer).
PROP_DECLARATION = "ConcordDeclaration"
PROP_VERSION = "ConcordVersion"
PROP_KIND = "ConcordDocument"

HEADING_STYLE = "Heading 1"
NUMBERED_STYLE = "List Number"
ALTERNATIVE_STYLE = "Concord Alternative"

DocumentKind = Literal["version", "comparison", "compilation", "translation"]


@dataclass(frozen=True, slots=True)
class Revision:
    """Who inserted or deleted something, and when: a tracked change."""

    kind: Literal["insert", "delete"]
    author: str
    date: datetime


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a paragraph's text, plain or tracked as inserted or deleted."""

    text: str
    revision: Revision | None = None


@dataclass(slots=True)
class Note:
    """A Word comment on `start`…`end` (code points of the paragraph's spans, all of them:
    deleted text counts), with its replies."""

    author: str
    date: datetime
    body: str
    start: int
    end: int
    done: bool = False
    replies: list["Note"] = field(default_factory=list)


@dataclass(slots=True)
class WordParagraph:
    kind: Kind
    spans: list[Span]
    key: str | None = None
    mark: Revision | None = None  # the paragraph itself inserted or deleted
    notes: list[Note] = field(default_factory=list)
    numbered: bool = True  # headings never are
    alternative: bool = False  # a competing proposal shown after the paragraph it rewrites
    old_kind: Kind | None = None  # a heading that became a paragraph, or back…
    kind_revision: Revision | None = None  # …and who changed it (a tracked format change)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    title: str
    header: str  # one line at the top of every page: what this document is
    kind: DocumentKind
    declaration_id: int
    version: int | None  # the version whose keys the bookmarks are (a version document)
    created: datetime
    track_revisions: bool = False
    language: str | None = None  # BCP 47, the text's language (Word's proofing and fonts)
    right_to_left: bool = False  # every paragraph laid out right to left (w:bidi, w:rtl)


def write_document(info: DocumentInfo, paragraphs: Iterable[WordParagraph]) -> bytes:
    """The .docx bytes: headings as Word headings, paragraphs numbered as in the app."""
    document = docx.Document()
    _drop_template_extras(document)
    _prepare_styles(document)
    ids = itertools.count(1)
    body = document.element.body
    section = body[-1]  # python-docx's template ends the body with the section's properties
    comments: list[tuple[int, Note, int | None]] = []  # (id, note, parent id)
    styles = _StyleIds(document)
    if info.language:
        _language(document, info.language, rtl=info.right_to_left)
    for paragraph in paragraphs:
        section.addprevious(_paragraph(paragraph, ids, comments, styles, info.right_to_left))
    _header(document, info.header)
    _core_properties(document, info)
    _custom_properties(document, info)
    if info.track_revisions:
        _track_revisions(document)
    if comments:
        _comments_parts(document, comments)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _drop_template_extras(document) -> None:
    """python-docx's template carries a thumbnail of another document and a custom XML item."""
    unwanted = (
        (document.part.package.rels, RT.THUMBNAIL),
        (document.part.rels, RT.CUSTOM_XML),
        (
            document.part.rels,
            "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
        ),
    )
    for rels, kind in unwanted:
        for rel_id in [r for r, rel in rels.items() if rel.reltype == kind]:
            del rels[rel_id]


class _StyleIds:
    def __init__(self, document) -> None:
        self.heading = document.styles[HEADING_STYLE].style_id
        self.numbered = document.styles[NUMBERED_STYLE].style_id
        self.alternative = document.styles[ALTERNATIVE_STYLE].style_id
        self.normal = document.styles["Normal"].style_id

    def of(self, kind: Kind, paragraph: "WordParagraph") -> str:
        if kind == "heading":
            return self.heading
        if paragraph.alternative:
            return self.alternative
        return self.numbered if paragraph.numbered else self.normal


def _prepare_styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    numbered = document.styles[NUMBERED_STYLE]
    numbered.paragraph_format.space_after = Pt(8)
    # python-docx's template keeps list items tight; declarations read better spaced.
    spacing = numbered.element.pPr.find(qn("w:contextualSpacing"))
    if spacing is not None:
        numbered.element.pPr.remove(spacing)
    alternative = document.styles.add_style(ALTERNATIVE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    alternative.base_style = document.styles["Normal"]
    alternative.paragraph_format.left_indent = Pt(36)
    alternative.paragraph_format.space_after = Pt(8)
    alternative.font.italic = True
    document.styles["Normal"].paragraph_format.space_after = Pt(8)


@cache
def _name(tag: str) -> str:
    """Clark notation of `w:p`, or of an attribute written `w_id` (python-docx's qn parses
    each time: a compilation text makes a few hundred thousand elements)."""
    return qn(tag.replace("_", ":", 1) if ":" not in tag else tag)


def _el(tag: str, **attributes: str) -> etree._Element:
    element = etree.Element(_name(tag))
    for name, value in attributes.items():
        element.set(_name(name), value)
    return element


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _name(tag))
    for name, value in attributes.items():
        element.set(_name(name), value)
    return element


def _stamp(revision: Revision, ids: Iterator[int], tag: str) -> etree._Element:
    return _el(
        tag,
        w_id=str(next(ids)),
        w_author=revision.author,
        w_date=_iso(revision.date),
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _paragraph(
    paragraph: WordParagraph,
    ids: Iterator[int],
    comments: list[tuple[int, Note, int | None]],
    styles: _StyleIds,
    rtl: bool = False,
) -> etree._Element:
    p = _el("w:p")
    properties = _sub(p, "w:pPr")
    _sub(properties, "w:pStyle", w_val=styles.of(paragraph.kind, paragraph))
    if rtl:  # after w:pStyle, before w:rPr and w:pPrChange (CT_PPr's sequence)
        _sub(properties, "w:bidi")
    if paragraph.mark is not None:
        tag = "w:ins" if paragraph.mark.kind == "insert" else "w:del"
        _sub(properties, "w:rPr").append(_stamp(paragraph.mark, ids, tag))
    if paragraph.old_kind is not None and paragraph.kind_revision is not None:
        change = _stamp(paragraph.kind_revision, ids, "w:pPrChange")
        _sub(_sub(change, "w:pPr"), "w:pStyle", w_val=styles.of(paragraph.old_kind, paragraph))
        properties.append(change)
    bookmark = None
    if paragraph.key:
        bookmark = str(next(ids))
        _sub(p, "w:bookmarkStart", w_id=bookmark, w_name=KEY_BOOKMARK_PREFIX + paragraph.key)
    placed = _place_notes(paragraph.notes, ids, comments)
    for piece in _pieces(paragraph.spans, placed):
        if isinstance(piece, etree._Element):
            p.append(piece)
            continue
        span = piece
        if span.revision is None:
            p.extend(_runs(span.text, deleted=False, rtl=rtl))
            continue
        tag = "w:ins" if span.revision.kind == "insert" else "w:del"
        wrapper = _stamp(span.revision, ids, tag)
        wrapper.extend(_runs(span.text, deleted=span.revision.kind == "delete", rtl=rtl))
        p.append(wrapper)
    if bookmark is not None:
        _sub(p, "w:bookmarkEnd", w_id=bookmark)
    return p


def _place_notes(
    notes: list[Note], ids: Iterator[int], comments: list[tuple[int, Note, int | None]]
) -> list[tuple[int, int, list[int]]]:
    """Give each comment and reply its id; answer (start, end, ids) per range."""
    placed = []
    for note in notes:
        own = next(ids)
        comments.append((own, note, None))
        range_ids = [own]
        for reply in note.replies:
            reply_id = next(ids)
            comments.append((reply_id, reply, own))
            range_ids.append(reply_id)
        placed.append((note.start, note.end, range_ids))
    return placed


def _pieces(
    spans: list[Span], placed: list[tuple[int, int, list[int]]]
) -> Iterator[Span | etree._Element]:
    """The spans, cut where a comment range starts or ends, with the range marks between."""
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for start, end, range_ids in placed:
        starts.setdefault(start, []).extend(range_ids)
        ends.setdefault(end, []).extend(range_ids)
    cuts = sorted(set(starts) | set(ends))
    position = 0
    cut = 0

    def marks_at(offset: int) -> Iterator[etree._Element]:
        for comment_id in ends.get(offset, ()):
            yield _el("w:commentRangeEnd", w_id=str(comment_id))
            reference = _el("w:r")
            _sub(reference, "w:commentReference", w_id=str(comment_id))
            yield reference
        for comment_id in starts.get(offset, ()):
            yield _el("w:commentRangeStart", w_id=str(comment_id))

    for span in spans:
        end = position + len(span.text)
        while cut < len(cuts) and cuts[cut] <= end:
            offset = cuts[cut]
            # A range that ends where this span ends is closed after it (inside it, so a
            # deletion's comment is on the deleted words); starts at the end open the next span.
            if offset == end and offset not in ends:
                break
            if offset > position:
                yield Span(span.text[: offset - position], span.revision)
                span = Span(span.text[offset - position :], span.revision)
                position = offset
            yield from marks_at(offset)
            cut += 1
        if span.text:
            yield span
        position = end
    while cut < len(cuts):  # ranges at or past the end of the text
        yield from marks_at(cuts[cut])
        cut += 1


def _runs(text: str, *, deleted: bool, rtl: bool = False) -> list[etree._Element]:
    """Runs for a text: tabs as `w:tab`, the text in `w:t` (or `w:delText` when deleted);
    marked right to left (`w:rtl`) in a right-to-left document."""
    run = _el("w:r")
    if rtl:
        _sub(_sub(run, "w:rPr"), "w:rtl")
    tag = "w:delText" if deleted else "w:t"
    for i, part in enumerate(text.split("\t")):
        if i:
            _sub(run, "w:tab")
        if part:
            t = _sub(run, tag)
            t.text = part
            if part[0].isspace() or part[-1].isspace():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [run]


def _language(document, tag: str, *, rtl: bool) -> None:
    """The document's language in the default run properties: as the text's own language, and
    as its complex-script (`w:bidi`) or East Asian one where it is written so."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run.find(qn("w:rPr")) if run is not None else None
    if properties is None:
        return
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = _sub(properties, "w:lang")
    lang.set(_name("w:val"), tag)
    if tag.split("-")[0].lower() in ("zh", "ja", "ko"):
        lang.set(_name("w:eastAsia"), tag)
    if rtl:
        lang.set(_name("w:bidi"), tag)


def _header(document, line: str) -> None:
    header = document.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = line


def _core_properties(document, info: DocumentInfo) -> None:
    core = document.core_properties
    core.title = info.title[:255]
    core.author = "Concord"
    core.last_modified_by = "Concord"
    core.created = info.created.astimezone(UTC).replace(tzinfo=None)
    core.modified = core.created
    core.revision = 1
    core.subject = info.header[:255]
    core.comments = ""
    core.keywords = ""


def _custom_properties(document, info: DocumentInfo) -> None:
    """The declaration id, version and document kind, as custom document properties: they
    travel with the file through Word and LibreOffice and say which text its keys belong to."""
    values: list[tuple[str, str, str]] = [
        (PROP_DECLARATION, "i4", str(info.declaration_id)),
        (PROP_KIND, "lpwstr", info.kind),
    ]
    if info.version is not None:
        values.append((PROP_VERSION, "i4", str(info.version)))
    rows = "".join(
        f'<property fmtid="{_CUSTOM_FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:{kind}>{escape(value)}</vt:{kind}></property>"
        for pid, (name, kind, value) in enumerate(values, start=2)
    )
    blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{CUSTOM_PROPS}" xmlns:vt="{VT}">{rows}</Properties>'
    ).encode()
    package = document.part.package
    part = Part(
        PackURI("/docProps/custom.xml"),
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        blob,
        package,
    )
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _track_revisions(document) -> None:
    """Turn Track Changes on, so the reader's own edits are tracked too."""
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        # Its place in CT_Settings' sequence: after w:removePersonalInformation… and before
        # w:doNotTrackMoves; right after w:zoom / w:proofState is a valid position.
        anchor = settings.find(qn("w:proofState"))
        if anchor is None:
            anchor = settings.find(qn("w:zoom"))
        mark = _el("w:trackRevisions")
        if anchor is not None:
            anchor.addnext(mark)
        else:
            settings.insert(0, mark)


def _comments_parts(document, comments: list[tuple[int, Note, int | None]]) -> None:
    """comments.xml, and commentsExtended.xml for replies and resolved threads. Written as
    text: a compilation text has tens of thousands of comments."""
    body: list[str] = []
    extended: list[str] = []
    para_ids: dict[int, str] = {}
    for comment_id, note, parent in comments:
        para_id = f"{0x10000000 + comment_id:08X}"
        para_ids[comment_id] = para_id
        author = quoteattr(note.author)
        body.append(
            f'<w:comment w:id="{comment_id}" w:author={author} w:date="{_iso(note.date)}" '
            f"w:initials={quoteattr(_initials(note.author))}>"
        )
        lines = note.body.split("\n")
        for n, line in enumerate(lines):
            last = f' w14:paraId="{para_id}"' if n == len(lines) - 1 else ""
            reference = "<w:r><w:annotationRef/></w:r>" if n == 0 else ""
            body.append(f"<w:p{last}>{reference}{_text_run(line)}</w:p>")
        body.append("</w:comment>")
        parent_id = f' w15:paraIdParent="{para_ids[parent]}"' if parent is not None else ""
        done = "1" if note.done else "0"
        extended.append(f'<w15:commentEx w15:paraId="{para_id}"{parent_id} w15:done="{done}"/>')
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    comments_xml = (
        f'{declaration}<w:comments xmlns:w="{W}" xmlns:w14="{W14}">{"".join(body)}</w:comments>'
    )
    extended_xml = (
        f'{declaration}<w15:commentsEx xmlns:w15="{W15}">{"".join(extended)}</w15:commentsEx>'
    )
    package = document.part.package
    comments_part = Part(
        PackURI("/word/comments.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
        comments_xml.encode(),
        package,
    )
    document.part.relate_to(comments_part, RT.COMMENTS)
    extended_part = Part(
        PackURI("/word/commentsExtended.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
        extended_xml.encode(),
        package,
    )
    document.part.relate_to(
        extended_part, "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
    )


def _text_run(line: str) -> str:
    """One run of a comment's line, tabs as `w:tab`."""
    if not line:
        return ""
    parts = [f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else "" for part in
             line.split("\t")]
    return "<w:r>" + "<w:tab/>".join(parts) + "</w:r>"


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:3] if word) or "?"
