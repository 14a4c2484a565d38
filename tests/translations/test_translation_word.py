"""A version's translation as Word: LibreOffice reads the translation's paragraphs in order,
right to left for Arabic, and the file comes back as the same translation by its keys."""

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from app.auth.models import Role
from tests.documents.conftest import libreoffice  # noqa: F401  (the session's LibreOffice)
from tests.documents.libreoffice import LibreOffice, split_numbers
from tests.translations.test_translations_api import (
    TEXTS,
    negotiated_in_english,
    rows,
    translation_file,
    url,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COVENANT_21 = TEXTS / "contributor-covenant-v2.1.txt"


@pytest.fixture
def covenant(client, editor) -> dict:
    """The Contributor Covenant v2.1 (the version the Arabic translates)."""
    return negotiated_in_english(client, editor, COVENANT_21)


def translated(client, editor, covenant, lang: str) -> dict:
    r = client.put(url(covenant, 1, lang), json={"text": translation_file("2.1", lang)},
                   headers=editor)
    assert r.status_code == 200 and r.json()["missing"] == 0, r.text
    return r.json()


def document(client, headers, covenant, lang: str):
    return client.get(url(covenant, 1, lang) + "/document", headers=headers)


def bookmarks(docx: bytes) -> list[str]:
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    return [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]


def upload(client, headers, covenant, lang: str, data: bytes, **form):
    return client.put(
        url(covenant, 1, lang),
        files={"file": (f"{lang}.docx", data, "application/octet-stream")},
        data=form,
        headers=headers,
    )


def writing_modes(libreoffice: LibreOffice, path: Path) -> set[str]:  # noqa: F811
    """The writing mode LibreOffice gives each paragraph of the file's body (from the style
    each paragraph uses, its own automatic style or the named one)."""
    odf = libreoffice.fodt(path).root
    style = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
    text = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    modes = {}
    for element in odf.iter(f"{style}style"):
        properties = element.find(f"{style}paragraph-properties")
        mode = properties.get(f"{style}writing-mode") if properties is not None else None
        modes[element.get(f"{style}name")] = mode
    body = odf.find(".//{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text")
    return {
        modes.get(p.get(f"{text}style-name")) or "inherited"
        for p in body.iter(f"{text}p", f"{text}h")
        if "".join(p.itertext()).strip()
    }


class TestTranslationAsWord:
    @pytest.mark.parametrize(("lang", "mode"), [("ar", "rl-tb"), ("fr", "inherited")])
    def test_libreoffice_reads_the_paragraphs_in_order(
        self, client, editor, covenant, lang, mode, libreoffice: LibreOffice, tmp_path  # noqa: F811
    ) -> None:
        answer = translated(client, editor, covenant, lang)
        r = document(client, editor, covenant, lang)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert f"-v1-{lang}.docx" in r.headers["content-disposition"]
        path = tmp_path / f"{lang}.docx"
        path.write_bytes(r.content)
        lines = libreoffice.convert(path, "txt:Text (encoded):UTF8").read_text(encoding="utf-8-sig")
        shown = [text for _, text in split_numbers([ln for ln in lines.splitlines() if ln.strip()])]
        assert shown == [p["text"] for p in answer["paragraphs"]]
        assert writing_modes(libreoffice, path) == {mode}

    def test_the_same_keys_as_the_versions_own_export(self, client, editor, covenant) -> None:
        translated(client, editor, covenant, "es")
        ours = document(client, editor, covenant, "es").content
        version = client.get(
            f"/api/declarations/{covenant['id']}/versions/1/document", headers=editor
        ).content
        assert bookmarks(ours) == bookmarks(version) and len(bookmarks(ours)) == 44

    @pytest.mark.parametrize("lang", ["ar", "zh-cn"])
    def test_reuploaded_it_is_the_same_translation(
        self, client, editor, covenant, lang, session, libreoffice: LibreOffice, tmp_path  # noqa: F811
    ) -> None:
        before = translated(client, editor, covenant, lang)
        saved = rows(session)
        ours = document(client, editor, covenant, lang).content
        path = tmp_path / "ours.docx"
        path.write_bytes(ours)
        resaved = libreoffice.resave(path).read_bytes()  # as LibreOffice writes it back
        for data in (ours, resaved):
            r = upload(client, editor, covenant, lang, data)
            assert r.status_code == 200, r.text
            answer = r.json()
            assert answer["alignment"]["unmatched_keys"] == [] and answer["current"] == 44
            assert [p["text"] for p in answer["paragraphs"]] == [
                p["text"] for p in before["paragraphs"]
            ]
        assert rows(session) == saved  # every paragraph the same: nothing new written

    def test_a_paragraph_corrected_in_word_comes_back_under_its_key(
        self, client, editor, covenant
    ) -> None:
        before = translated(client, editor, covenant, "fr")
        package = zipfile.ZipFile(io.BytesIO(document(client, editor, covenant, "fr").content))
        xml = package.read("word/document.xml").decode()
        old = before["paragraphs"][1]["text"]
        changed = io.BytesIO()
        with zipfile.ZipFile(changed, "w") as out:
            for item in package.infolist():
                data = package.read(item)
                if item.filename == "word/document.xml":
                    data = xml.replace(f">{old}<", ">Notre promesse<", 1).encode()
                out.writestr(item, data)
        r = upload(client, editor, covenant, "fr", changed.getvalue())
        assert r.status_code == 200, r.text
        texts = [p["text"] for p in r.json()["paragraphs"]]
        assert texts[1] == "Notre promesse"
        assert texts[:1] + texts[2:] == [
            p["text"] for i, p in enumerate(before["paragraphs"]) if i != 1
        ]

    def test_untranslated_paragraphs_are_empty_and_keep_their_keys(
        self, client, editor, covenant
    ) -> None:
        keys = [p["key"] for p in client.get(url(covenant, 1, "ru"), headers=editor).json()[
            "paragraphs"]]
        r = client.put(url(covenant, 1, "ru"), json={"paragraphs": [
            {"key": keys[0], "text": "Кодекс поведения"}]}, headers=editor)
        assert r.status_code == 200, r.text
        docx = document(client, editor, covenant, "ru").content
        assert [b.removeprefix("_concord_") for b in bookmarks(docx)] == keys
        body = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
        texts = ["".join(p.itertext()) for p in body.iter(f"{W}p")]
        assert texts[0] == "Кодекс поведения" and set(texts[1:]) == {""}

    def test_a_partly_translated_file_saves_what_was_filled_in(
        self, client, editor, covenant, session
    ) -> None:
        keys = [p["key"] for p in client.get(url(covenant, 1, "ru"), headers=editor).json()[
            "paragraphs"]]
        client.put(url(covenant, 1, "ru"), json={"paragraphs": [
            {"key": keys[0], "text": "Кодекс поведения"}]}, headers=editor)
        saved = rows(session)
        package = zipfile.ZipFile(io.BytesIO(document(client, editor, covenant, "ru").content))
        body = etree.fromstring(package.read("word/document.xml"))
        start = next(b for b in body.iter(f"{W}bookmarkStart")
                     if b.get(f"{W}name") == f"_concord_{keys[1]}")
        run = etree.Element(f"{W}r")
        etree.SubElement(run, f"{W}t").text = "Наше обязательство"
        start.addnext(run)  # the translator fills in the second paragraph only
        filled = io.BytesIO()
        with zipfile.ZipFile(filled, "w") as out:
            for item in package.infolist():
                data = package.read(item)
                if item.filename == "word/document.xml":
                    data = etree.tostring(body, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)
                out.writestr(item, data)
        r = upload(client, editor, covenant, "ru", filled.getvalue(), dry_run="true")
        assert r.status_code == 200 and r.json()["alignment"]["by_key"] is True
        r = upload(client, editor, covenant, "ru", filled.getvalue())
        assert r.status_code == 200, r.text
        answer = r.json()
        assert [p["text"] for p in answer["paragraphs"][:2]] == [
            "Кодекс поведения", "Наше обязательство"]
        assert answer["current"] == 2 and answer["missing"] == 42
        assert rows(session) == saved + 1  # the unchanged first paragraph is not saved again

    def test_every_signed_in_role_reads_it(self, client, people, covenant, editor) -> None:
        translated(client, editor, covenant, "fr")
        for role in Role:
            assert document(client, people.as_role(role), covenant, "fr").status_code == 200
        assert document(client, {}, covenant, "fr").status_code == 401

    def test_refused_language_and_version(self, client, editor, covenant) -> None:
        r = document(client, editor, covenant, "not a tag")
        assert r.status_code == 422 and r.json()["code"] == "invalid_language"
        r = client.get(f"/api/declarations/{covenant['id']}/versions/9/translations/fr/document",
                       headers=editor)
        assert r.status_code == 404

    def test_not_a_document_to_propose_amendments_with(self, client, people, covenant, editor):
        translated(client, editor, covenant, "fr")
        r = client.post(
            f"/api/declarations/{covenant['id']}/amendments/import",
            files={"file": ("fr.docx", document(client, editor, covenant, "fr").content,
                            "application/octet-stream")},
            headers=people.as_role(Role.delegate),
        )
        assert r.status_code == 422 and r.json()["code"] == "not_a_version_document"
