"""A version and a comparison as Word, read back by LibreOffice."""

import io
import zipfile

import pytest
from lxml import etree

from app.auth.models import Role
from app.documents.service import DOCX
from tests.declarations.test_declarations_api import create, new_version, version
from tests.documents.libreoffice import split_numbers

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def saved(tmp_path, response, name="file.docx"):
    assert response.status_code == 200, response.text
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


class TestVersionAsWord:
    def test_headings_numbers_keys_and_identity_survive_libreoffice(
        self, client, negotiated, libreoffice, tmp_path
    ):
        n = negotiated
        r = n.get("/versions/2/document", format="docx")
        assert r.headers["content-type"] == DOCX
        assert r.headers["content-disposition"] == (
            f'attachment; filename="declaration-{n.did}-v2.docx"'
        )
        path = saved(tmp_path, r)
        paragraphs = version(client, n.editor, n.did, 2)["paragraphs"]
        odf = libreoffice.fodt(path)
        assert [(p.heading, p.text) for p in odf.paragraphs] == [
            (p["kind"] == "heading", p["text"]) for p in paragraphs
        ]
        assert odf.bookmarks() == [f"_concord_{p['key']}" for p in paragraphs]
        assert float(odf.property("ConcordDeclaration")) == n.did
        assert float(odf.property("ConcordVersion")) == 2
        assert odf.property("ConcordDocument") == "version"
        assert odf.changes == {}
        # Numbered as in the app: headings not at all, paragraphs from 1.
        shown = split_numbers(libreoffice.resolved(path, accept=True))
        assert shown == [
            (None, "Commitments"),
            (1, paragraphs[1]["text"]),
            (2, paragraphs[2]["text"]),
        ]
        # Track Changes is on, so a delegation's edits are tracked from the first keystroke.
        assert part(r.content, "word/settings.xml").find(f"{W}trackRevisions") is not None

    def test_unknown_version_and_format(self, negotiated):
        assert negotiated.get("/versions/9/document").json()["code"] == "version_not_found"
        assert negotiated.get("/versions/1/document", format="pdf").status_code == 422

    def test_signed_in_only(self, client, negotiated):
        r = client.get(f"/api/declarations/{negotiated.did}/versions/1/document")
        assert r.status_code == 401


class TestComparisonAsWord:
    def test_each_change_is_tracked_by_the_city_that_made_it(
        self, negotiated, libreoffice, tmp_path
    ):
        n = negotiated
        r = n.get("/compare", **{"from": 1, "to": 3, "format": "docx"})
        assert r.headers["content-type"] == DOCX
        odf = libreoffice.fodt(saved(tmp_path, r))
        kampala = odf.changes_by("Kampala")
        assert sorted((c.kind, c.text) for c in kampala) == [
            ("deletion", "thirty"),
            ("insertion", "fifteen"),
        ]
        [mechelen] = odf.changes_by("Mechelen")
        assert mechelen.kind == "deletion"
        assert mechelen.text.strip() == (
            "We commit to fight discrimination in our administrations."
        )
        editor = odf.changes_by(n.editor_name)
        assert sorted((c.kind, c.text.strip()) for c in editor) == [
            ("deletion", "again"),
            ("insertion", "every year"),
        ]
        assert all(c.date.startswith("20") for c in odf.changes.values())

    def test_accepting_gives_the_newer_version_and_rejecting_the_older(
        self, client, negotiated, libreoffice, tmp_path
    ):
        n = negotiated
        path = saved(tmp_path, n.get("/compare", **{"from": 1, "to": 3, "format": "docx"}))
        texts = {
            number: [p["text"] for p in version(client, n.editor, n.did, number)["paragraphs"]]
            for number in (1, 3)
        }
        assert [t for _, t in split_numbers(libreoffice.resolved(path, accept=True))] == texts[3]
        assert [t for _, t in split_numbers(libreoffice.resolved(path, accept=False))] == texts[1]

    def test_word_ids_are_unique_across_the_document(self, negotiated):
        r = negotiated.get("/compare", **{"from": 1, "to": 3, "format": "docx"})
        document = part(r.content, "word/document.xml")
        ids = [
            e.get(f"{W}id")
            for e in document.iter(f"{W}ins", f"{W}del", f"{W}bookmarkStart")
        ]
        assert len(ids) == len(set(ids)) and len(ids) > 4
        deleted = [t.text for t in document.iter(f"{W}delText")]
        assert "thirty" in "".join(deleted)

    def test_json_is_still_the_default(self, negotiated):
        r = negotiated.get("/compare", **{"from": 1, "to": 2})
        assert r.headers["content-type"] == "application/json"
        assert r.json()["summary"]["deleted"] == 1


@pytest.fixture
def editor(people):
    return people.as_role(Role.co_facilitator)


class TestBasicLaw:
    def test_v2_to_v3_accepted_is_v3_and_rejected_is_v2_paragraph_for_paragraph(
        self, client, editor, texts, libreoffice, tmp_path
    ):
        v2 = (texts / "de-grundgesetz-v2-2012-08.txt").read_text()
        v3 = (texts / "de-grundgesetz-v3-2020.txt").read_text()
        did = create(client, editor, text=v2, title="Grundgesetz")["id"]
        assert new_version(client, editor, did, base_version=1, text=v3).status_code == 201
        r = client.get(
            f"/api/declarations/{did}/compare",
            params={"from": 1, "to": 2, "format": "docx"},
            headers=editor,
        )
        path = saved(tmp_path, r)
        expected = {
            n: [p["text"] for p in version(client, editor, did, n)["paragraphs"]] for n in (1, 2)
        }
        accepted = [t for _, t in split_numbers(libreoffice.resolved(path, accept=True))]
        rejected = [t for _, t in split_numbers(libreoffice.resolved(path, accept=False))]
        assert accepted == expected[2]
        assert rejected == expected[1]
        # LibreOffice's own reading of the file says the same change by change.
        odf = libreoffice.fodt(path)
        assert odf.text(accept=True) == expected[2]
        assert odf.text(accept=False) == expected[1]
