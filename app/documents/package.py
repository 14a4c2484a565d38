"""Open an uploaded Word file safely: a bounded ZIP reading that refuses what it will not read.

Nothing in an uploaded document is executed or fetched. Refused, each with its own code: what is
not a .docx (`not_a_docx`), an encrypted file (`encrypted_document`), a ZIP whose parts inflate
far beyond their size or past the limits (`zip_bomb`), macros (`macros_not_allowed`), external
relationships other than hyperlinks (`external_relationship`), embedded objects and controls
(`embedded_object`), XML with a document type declaration (`invalid_document`), and Strict
Open XML (`unsupported_document`). Only the parts the importer reads are inflated, each at most
to its declared size and to a bound, so a lying header cannot make it read more.
"""

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

MAX_PARTS = 2_000
MAX_PART_BYTES = 32_000_000  # one inflated XML part
MAX_TOTAL_BYTES = 96_000_000  # every part's declared inflated size together
MAX_RATIO = 200  # inflated ÷ compressed, for parts over a megabyte
_RATIO_FROM = 1_000_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_DOCUMENT = f"{_REL}/officeDocument"
_STRICT_MARK = b"purl.oclc.org/ooxml"
_HYPERLINK = f"{_REL}/hyperlink"
_EMBEDDING_TYPES = ("oleObject", "package", "control", "activeXControl", "subDocument")
_MACRO_CONTENT = ("macroEnabled", "vbaProject", "vbaData", "ms-office.activeX")
_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)


class DocumentRejected(ValueError):
    """The upload cannot be read; `code` says why in machine terms."""

    def __init__(self, message: str, *, code: str, too_large: bool = False):
        super().__init__(message)
        self.code = code
        self.too_large = too_large


@dataclass(frozen=True)
class WordPackage:
    """The XML parts the importer reads, parsed (None where the document has none)."""

    document: etree._Element
    styles: etree._Element | None
    comments: etree._Element | None
    comments_extended: etree._Element | None
    custom_properties: etree._Element | None


def open_package(data: bytes) -> WordPackage:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise DocumentRejected(
                "The document is encrypted (password-protected): save it without a password "
                "and upload it again.",
                code="encrypted_document",
            )
        raise DocumentRejected(
            "This is an old-style Word file (.doc): save it as a Word Document (.docx).",
            code="not_a_docx",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_docx() from None
    with archive:
        entries = _check_entries(archive)
        reader = _PartReader(archive, entries)
        types = reader.xml("[Content_Types].xml", required=True)
        main = _main_part(reader)
        _refuse_active_content(types, entries)
        _refuse_external_and_embedded(reader, entries)
        if main not in entries:
            raise _not_docx()
        part_types = _content_types(types)
        if part_types.get("/" + main) not in _MAIN_TYPES:
            if any(m in (part_types.get("/" + main) or "") for m in _MACRO_CONTENT):
                raise _macros()
            raise _not_docx()
        related = _relationships(reader, _rels_of(main))
        return WordPackage(
            document=reader.xml(main, required=True),
            styles=reader.xml(related.get("styles")),
            comments=reader.xml(related.get("comments")),
            comments_extended=reader.xml(related.get("commentsExtended")),
            custom_properties=reader.xml(_custom_properties_part(reader)),
        )


def _not_docx() -> DocumentRejected:
    return DocumentRejected(
        "The file is not a Word document (.docx).", code="not_a_docx"
    )


def _macros() -> DocumentRejected:
    return DocumentRejected(
        "The document holds macros: save it as a Word Document (.docx) without macros.",
        code="macros_not_allowed",
    )


def _check_entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise DocumentRejected(
            f"The document has {len(infos):,} parts; at most {MAX_PARTS:,} are read.",
            code="zip_bomb",
            too_large=True,
        )
    total = 0
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise DocumentRejected(
                "The document is encrypted: save it without a password and upload it again.",
                code="encrypted_document",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _not_docx()
        total += info.file_size
        ratio_too_high = (
            info.file_size > _RATIO_FROM
            and info.file_size > MAX_RATIO * max(1, info.compress_size)
        )
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES or ratio_too_high:
            raise DocumentRejected(
                "The document inflates to far more than its size (a ZIP bomb, or parts larger "
                "than this service reads).",
                code="zip_bomb",
                too_large=True,
            )
        entries[info.filename.lstrip("/")] = info
    return entries


class _PartReader:
    """Inflates named parts, each at most to its declared size (a lying header stops there)."""

    def __init__(self, archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]):
        self.archive = archive
        self.entries = entries
        self._parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        )

    def read(self, name: str) -> bytes | None:
        info = self.entries.get(name)
        if info is None:
            return None
        try:
            with self.archive.open(info) as part:
                data = part.read(info.file_size + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            raise _not_docx() from None
        if len(data) > info.file_size:
            raise DocumentRejected(
                "A part of the document inflates beyond its declared size.",
                code="zip_bomb",
                too_large=True,
            )
        return data

    def xml(self, name: str | None, *, required: bool = False) -> etree._Element | None:
        data = self.read(name) if name else None
        if data is None:
            if required:
                raise _not_docx()
            return None
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
            raise DocumentRejected(
                "The document's XML declares a document type or entities, which Word never "
                "writes; it is not read.",
                code="invalid_document",
            )
        if _STRICT_MARK in data[:4096]:
            raise DocumentRejected(
                "The document is in Strict Open XML: save it as a Word Document (.docx).",
                code="unsupported_document",
            )
        try:
            return etree.fromstring(data, self._parser)
        except etree.XMLSyntaxError:
            raise DocumentRejected(
                f"The document's part {name} is not well-formed XML.", code="invalid_document"
            ) from None


def _content_types(types: etree._Element) -> dict[str, str]:
    overrides = {
        e.get("PartName", ""): e.get("ContentType", "")
        for e in types.iter(f"{{{_CONTENT_TYPES}}}Override")
    }
    return overrides


def _refuse_active_content(types: etree._Element, entries: dict[str, zipfile.ZipInfo]) -> None:
    declared = " ".join(
        e.get("ContentType", "")
        for e in types.iter(f"{{{_CONTENT_TYPES}}}Override", f"{{{_CONTENT_TYPES}}}Default")
    )
    names = " ".join(entries).lower()
    if any(m in declared for m in _MACRO_CONTENT) or "vbaproject" in names:
        raise _macros()
    if "/embeddings/" in names or "/activex/" in names:
        raise DocumentRejected(
            "The document embeds objects or controls (OLE, ActiveX); remove them and upload "
            "it again.",
            code="embedded_object",
        )


def _refuse_external_and_embedded(
    reader: _PartReader, entries: dict[str, zipfile.ZipInfo]
) -> None:
    for name in entries:
        if not name.endswith(".rels"):
            continue
        rels = reader.xml(name)
        if rels is None:
            continue
        for rel in rels.iter(f"{{{_PACKAGE_REL}}}Relationship"):
            kind = rel.get("Type", "")
            if any(kind.endswith("/" + t) for t in _EMBEDDING_TYPES):
                raise DocumentRejected(
                    "The document embeds objects, controls or sub-documents; remove them and "
                    "upload it again.",
                    code="embedded_object",
                )
            if rel.get("TargetMode") == "External" and kind != _HYPERLINK:
                raise DocumentRejected(
                    "The document links to content outside itself (an attached template, a "
                    "linked image or frame); nothing outside the file is fetched: remove the "
                    "link and upload it again.",
                    code="external_relationship",
                )


def _main_part(reader: _PartReader) -> str:
    rels = reader.xml("_rels/.rels", required=True)
    for rel in rels.iter(f"{{{_PACKAGE_REL}}}Relationship"):
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            return _resolve("", rel.get("Target", ""))
    raise _not_docx()


def _custom_properties_part(reader: _PartReader) -> str | None:
    rels = reader.xml("_rels/.rels")
    for rel in rels.iter(f"{{{_PACKAGE_REL}}}Relationship") if rels is not None else ():
        if rel.get("Type", "").endswith("/custom-properties"):
            return _resolve("", rel.get("Target", ""))
    return None


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relationships(reader: _PartReader, rels_name: str) -> dict[str, str]:
    """Internal relationships of a part, by the last word of their type: {"styles": path}."""
    rels = reader.xml(rels_name)
    folder = posixpath.dirname(rels_name.replace("/_rels/", "/").removesuffix(".rels"))
    related: dict[str, str] = {}
    for rel in rels.iter(f"{{{_PACKAGE_REL}}}Relationship") if rels is not None else ():
        if rel.get("TargetMode") == "External":
            continue
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        related.setdefault(kind, _resolve(folder, rel.get("Target", "")))
    return related


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
