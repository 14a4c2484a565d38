"""Word and Akoma Ntoso in the browser: the Kampala delegation downloads the demo draft as
Word, marks a word up with Track Changes, uploads it, sees the preview and proposes; the
co-facilitator downloads the comparison and the compilation text, in which Kampala's change
stands by its city."""

import io
import re
import zipfile

from playwright.sync_api import expect

from app.demo import ACCOUNTS
from tests.e2e.conftest import shoot, sign_in

COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
DELEGATE_KAMPALA = next(a for a in ACCOUNTS if a.email.startswith("delegate.kampala"))


def marked_up(docx: bytes) -> tuple[bytes, str]:
    """The file with the first word of its second numbered paragraph replaced, tracked."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    xml = source.read("word/document.xml").decode()
    numbered = [m.start() for m in re.finditer(r'<w:pStyle w:val="ListNumber"/>', xml)]
    run = re.compile(r"<w:r><w:t(?: xml:space=\"preserve\")?>(\w+)")
    found = run.search(xml, numbered[1])
    word = found[1]
    stamp = 'w:author="Sarah Nabukenya" w:date="2026-11-16T10:00:00Z"'
    tracked = (
        f'<w:del w:id="9001" {stamp}><w:r><w:delText>{word}</w:delText></w:r></w:del>'
        f'<w:ins w:id="9002" {stamp}><w:r><w:t>Together</w:t></w:r></w:ins><w:r><w:t>'
    )
    xml = xml[: found.start()] + tracked + xml[found.end() :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = xml.encode() if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, content)
    return out.getvalue(), word


def test_a_marked_up_word_file_becomes_amendments(open_page, tmp_path):
    page = open_page()
    sign_in(page, DELEGATE_KAMPALA.email, DELEGATE_KAMPALA.password)
    page.get_by_role("link", name=re.compile("Mechelen Declaration")).first.click()
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as Word").click()
    assert download.value.suggested_filename.endswith(".docx")
    docx = (tmp_path / "version.docx")
    download.value.save_as(docx)
    with page.expect_download() as akn:
        page.get_by_role("button", name="Akoma Ntoso (XML)").click()
    assert b"<akomaNtoso" in akn.value.path().read_bytes()

    data, word = marked_up(docx.read_bytes())
    upload = tmp_path / "marked-up.docx"
    upload.write_bytes(data)
    page.get_by_label("Word file (.docx)").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the amendments").click()
    preview = page.locator(".word-import-preview")
    heading = preview.get_by_role("heading", name=re.compile("1 amendment of Kampala"))
    expect(heading).to_be_visible()
    expect(preview.locator("del", has_text=word)).to_be_visible()
    expect(preview.locator("ins", has_text="Together")).to_be_visible()
    preview.scroll_into_view_if_needed()
    shoot(page, "word-import-preview")
    page.get_by_role("button", name="Propose 1 amendment").click()
    expect(page.get_by_text("Proposed 1 amendment of Kampala.")).to_be_visible()

    editor = open_page()
    sign_in(editor, COFAC.email, COFAC.password)
    editor.get_by_role("link", name=re.compile("Mechelen Declaration")).first.click()
    editor.get_by_role("link", name="Co-facilitators’ desk").click()
    with editor.expect_download() as compilation:
        editor.get_by_role("button", name="Download the compilation text (Word)").click()
    with zipfile.ZipFile(compilation.value.path()) as archive:
        document = archive.read("word/document.xml").decode()
    assert 'w:author="Kampala"' in document and "Together" in document
    shoot(editor, "desk-with-compilation-download")
