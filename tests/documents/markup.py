"""Marked-up Word documents for the import tests, made as Word makes them.

`marked_up` lays out a version with a delegation's edits as tracked changes (the same markup
Word writes: `w:ins`/`w:del`, tracked paragraph marks, comments), keeping our bookmarks and
properties; `foreign` strips everything Concord put in, as if typed afresh in another tool;
`edit_xml` rewrites document.xml for markup our writer does not make (moves, stacked revisions,
formatting changes).
"""

import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

from app.documents.layout import comparison_paragraphs
from app.documents.word import DocumentInfo, Note, WordParagraph, write_document
from app.text.document import Para

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def paras(version_json: dict) -> list[Para]:
    return [Para(p["key"], p["kind"], p["text"]) for p in version_json["paragraphs"]]


def marked_up(
    did: int,
    number: int,
    before: list[Para],
    after: list[Para],
    *,
    author: str = "Kampala delegation",
    notes: dict[str, list[Note]] | None = None,
    adjust: Callable[[list[WordParagraph]], None] | None = None,
) -> bytes:
    """Version `number` with `after`'s differences tracked by `author` (keys of `after` that
    are not in `before` are new paragraphs and get no bookmark, as in Word)."""
    laid = comparison_paragraphs(before, after, lambda key: (author, WHEN))
    known = {p.key for p in before}
    for paragraph in laid:
        if paragraph.key not in known:
            paragraph.key = None
        paragraph.notes = (notes or {}).get(paragraph.key or "", [])
    if adjust:
        adjust(laid)
    info = DocumentInfo("Cities", f"Cities — version {number}", "version", did, number, WHEN)
    return write_document(info, laid)


def foreign(data: bytes) -> bytes:
    """The same document without anything Concord put in it: no properties, no bookmarks."""

    def strip(name: str, content: bytes) -> bytes | None:
        if name == "docProps/custom.xml":
            return None
        if name == "_rels/.rels":
            return re.sub(rb'<Relationship [^>]*custom-properties[^>]*/>', b"", content)
        if name == "[Content_Types].xml":
            return re.sub(rb'<Override [^>]*custom\.xml[^>]*/>', b"", content)
        if name == "word/document.xml":
            content = re.sub(rb'<w:bookmarkStart [^>]*_concord_[^>]*/>', b"", content)
            return re.sub(rb'<w:bookmarkEnd [^>]*/>', b"", content)
        return content

    return rewrite(data, strip)


def edit_xml(data: bytes, change: Callable[[str], str]) -> bytes:
    def edit(name: str, content: bytes) -> bytes | None:
        if name == "word/document.xml":
            return change(content.decode()).encode()
        return content

    return rewrite(data, edit)


def rewrite(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info, content)
    return out.getvalue()


def zip_of(files: dict[str, bytes], **kwargs) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", **kwargs) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()
