"""LibreOffice as the independent reader (and writer) of our Word files, headless.

`LibreOffice.fodt(path)` is LibreOffice's own flat OpenDocument of a file; `OdfText` reads from
it what LibreOffice understood: paragraphs, headings, bookmarks, tracked changes with their
authors, comments and custom properties. `resolved(path, accept=…)` lets LibreOffice itself
accept or reject every tracked change and answers the text it then holds. `resave(path)` lets it
write the document again as .docx, in its own OOXML dialect.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
T = f"{{{NS['text']}}}"
OFFICE = f"{{{NS['office']}}}"

# A Basic macro in the test profile: open a file, accept or reject every tracked change with
# LibreOffice's own command, save what is left as UTF-8 text.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub Resolve(inUrl As String, outUrl As String, how As String)
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, Array(Prop(&quot;Hidden&quot;, True)))
  dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  dispatcher.executeDispatch(doc.CurrentController.Frame, &quot;.uno:&quot; &amp; how &amp; &quot;AllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  doc.storeToURL(outUrl, Array(Prop(&quot;FilterName&quot;, &quot;Text (encoded)&quot;), Prop(&quot;FilterOptions&quot;, &quot;UTF8,LF,,,&quot;)))
  doc.close(True)
End Sub
Function Prop(name As String, value)
  Dim p As New com.sun.star.beans.PropertyValue
  p.Name = name
  p.Value = value
  Prop = p
End Function
</script:module>
"""  # noqa: E501


class LibreOffice:
    """soffice, headless, with its own HOME and profile (made once, the macro installed)."""

    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"
        self.profile = root / "profile"
        self.home.mkdir(parents=True, exist_ok=True)
        self.out = root / "out"
        self.out.mkdir(exist_ok=True)
        self._count = 0
        self._run("--convert-to", "txt", "--outdir", str(root / "warmup"), self._seed())
        module = self.profile / "user" / "basic" / "Standard" / "Module1.xba"
        module.write_text(_MACRO, encoding="utf-8")

    def _seed(self) -> str:
        seed = self.root / "seed.txt"
        seed.write_text("profile\n")
        return str(seed)

    def _run(self, *args: str) -> None:
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={self.profile.as_uri()}", *args],
            env={"HOME": str(self.home), "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
            timeout=180,
        )

    def _copy(self, path: Path, suffix: str) -> Path:
        self._count += 1
        target = self.out / f"in{self._count}{suffix}"
        shutil.copy(path, target)
        return target

    def convert(self, path: Path, target: str) -> Path:
        """LibreOffice's conversion of `path` (`fodt`, `docx:MS Word 2007 XML`, `pdf`)."""
        source = self._copy(path, path.suffix)
        outdir = self.out / f"conv{self._count}"
        self._run("--convert-to", target, "--outdir", str(outdir), str(source))
        extension = target.split(":")[0]
        return outdir / f"{source.stem}.{extension}"

    def fodt(self, path: Path) -> "OdfText":
        return OdfText(self.convert(path, "fodt").read_bytes())

    def resave(self, path: Path) -> Path:
        """The document as LibreOffice writes it back as .docx (its own OOXML)."""
        return self.convert(path, "docx:MS Word 2007 XML")

    def resolved(self, path: Path, *, accept: bool) -> list[str]:
        """Every tracked change accepted (or rejected) by LibreOffice: the lines of text it
        then holds, list numbers as it shows them ("1. …"). (LibreOffice 7.4, run headless by
        a macro, stops on files with comments: resolve those with `fodt(path).text(…)`.)"""
        source = self._copy(path, path.suffix)
        target = self.out / f"resolved{self._count}.txt"
        how = "Accept" if accept else "Reject"
        self._run(f'macro:///Standard.Module1.Resolve("{source.as_uri()}","{target.as_uri()}","{how}")')
        text = target.read_text(encoding="utf-8-sig")
        return [line for line in text.split("\n") if line.strip()]


_NUMBERED = re.compile(r"^\s+(\d+)\.\s(.*)$")


def split_numbers(lines: list[str]) -> list[tuple[int | None, str]]:
    """(list number or None, text) for each line of LibreOffice's text export."""
    out = []
    for line in lines:
        match = _NUMBERED.match(line)
        out.append((int(match[1]), match[2]) if match else (None, line.strip()))
    return out


@dataclass
class Change:
    kind: str  # insertion | deletion | format-change
    author: str
    date: str
    text: str = ""


@dataclass
class Annotation:
    author: str
    body: str
    quoted: str = ""


@dataclass
class Paragraph:
    heading: bool
    text: str  # as shown with changes: inserted and deleted text both present
    bookmarks: list[str] = field(default_factory=list)


class OdfText:
    """What LibreOffice holds: paragraphs in order, tracked changes, comments, properties."""

    def __init__(self, data: bytes):
        self.root = etree.fromstring(data)
        body = self.root.find(".//office:text", NS)
        self.changes: dict[str, Change] = {}
        for region in body.findall("text:tracked-changes/text:changed-region", NS):
            kind_element = region[0]
            info = kind_element.find("office:change-info", NS)
            self.changes[region.get(f"{T}id")] = Change(
                etree.QName(kind_element).localname,
                info.findtext("dc:creator", "", NS),
                info.findtext("dc:date", "", NS),
            )
        self.paragraphs: list[Paragraph] = []
        self.annotations: dict[str, Annotation] = {}
        self._open_changes: list[str] = []
        self._open_notes: list[str] = []
        # (paragraph index, character, changes active, …) for accept/reject in ODF terms.
        self.stream: list[tuple[str, frozenset[str]]] = []
        for element in body.iter(f"{T}p", f"{T}h"):
            if _inside(element, {f"{OFFICE}annotation", f"{T}tracked-changes"}):
                continue
            self._paragraph(element)

    def _paragraph(self, element) -> None:
        paragraph = Paragraph(element.tag == f"{T}h", "")
        self.paragraphs.append(paragraph)
        self._walk(element, paragraph)
        self.stream.append(("\n", frozenset(self._open_changes)))

    def _emit(self, paragraph: Paragraph, text: str) -> None:
        paragraph.text += text
        for change_id in self._open_changes:
            self.changes[change_id].text += text
        for name in self._open_notes:
            self.annotations[name].quoted += text
        for character in text:
            self.stream.append((character, frozenset(self._open_changes)))

    def _walk(self, element, paragraph: Paragraph) -> None:
        if element.text and element.tag in (f"{T}p", f"{T}h", f"{T}span", f"{T}a"):
            self._emit(paragraph, element.text)
        for child in element:
            tag = child.tag
            if tag == f"{T}change-start":
                self._open_changes.append(child.get(f"{T}change-id"))
            elif tag == f"{T}change-end":
                self._open_changes.remove(child.get(f"{T}change-id"))
            elif tag == f"{T}change":
                raise AssertionError("a deletion held outside the text (text:change)")
            elif tag == f"{T}bookmark-start" or tag == f"{T}bookmark":
                paragraph.bookmarks.append(child.get(f"{T}name"))
            elif tag == f"{OFFICE}annotation":
                name = child.get(f"{OFFICE}name")
                body = "\n".join(
                    "".join(p.itertext()) for p in child.findall("text:p", NS)
                )
                self.annotations[name] = Annotation(child.findtext("dc:creator", "", NS), body)
                if name:
                    self._open_notes.append(name)
            elif tag == f"{OFFICE}annotation-end":
                self._open_notes.remove(child.get(f"{OFFICE}name"))
            elif tag == f"{T}s":
                self._emit(paragraph, " " * int(child.get(f"{T}c", "1")))
            elif tag == f"{T}tab":
                self._emit(paragraph, "\t")
            elif tag == f"{T}line-break":
                self._emit(paragraph, "\n")
            elif tag in (f"{T}span", f"{T}a"):
                self._walk(child, paragraph)
            if child.tail:
                self._emit(paragraph, child.tail)

    def text(self, *, accept: bool) -> list[str]:
        """The paragraphs with every change accepted (or rejected), in ODF's own terms."""
        drop = "deletion" if accept else "insertion"
        kept = "".join(
            character
            for character, active in self.stream
            if not any(self.changes[c].kind == drop for c in active)
        )
        return [p for p in kept.split("\n") if p]

    def property(self, name: str) -> str | None:
        for element in self.root.iterfind(".//meta:user-defined", NS):
            if element.get(f"{{{NS['meta']}}}name") == name:
                return element.text
        return None

    def bookmarks(self) -> list[str]:
        return [b for p in self.paragraphs for b in p.bookmarks]

    def changes_by(self, author: str) -> list[Change]:
        return [c for c in self.changes.values() if c.author == author]


def _inside(element, tags: set[str]) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False
