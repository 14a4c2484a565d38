"""A delegation's marked-up Word document becomes its city's amendments and comments."""

import dataclasses
from dataclasses import dataclass

import pytest

from app.auth.models import Role
from app.documents.word import Note, Span
from tests.documents.markup import WHEN, edit_xml, foreign, marked_up, paras, zip_of
from tests.documents.test_word_export import part

TEXT = """# Commitments

We commit to give every resident access to basic services within thirty days.

We commit to fight discrimination in our administrations.

We will meet again to report on these commitments.
"""
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Drafted:
    client: object
    did: int
    v1: list
    editor: dict
    kampala: dict
    kampala_name: str
    mechelen: dict
    observer: dict

    def upload(self, data: bytes, headers=None, **form):
        form = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()}
        return self.client.post(
            f"/api/declarations/{self.did}/amendments/import",
            files={"file": ("marked-up.docx", data, DOCX_TYPE)},
            data=form,
            headers=headers or self.kampala,
        )

    def imported(self, data: bytes, **form):
        r = self.upload(data, **form)
        assert r.status_code == (200 if form.get("dry_run") else 201), r.text
        return r.json()

    def amendments(self):
        r = self.client.get(f"/api/declarations/{self.did}/amendments", headers=self.editor)
        return r.json()["items"]

    def comments(self):
        r = self.client.get(f"/api/declarations/{self.did}/comments", headers=self.editor)
        return r.json()["items"]

    def edited(self, *changes):
        """Version 1 with paragraph texts replaced ((index, text) / (index, None) deletes) and
        ("after", index, text) inserted."""
        after = list(self.v1)
        inserts = []
        for change in changes:
            if change[0] == "after":
                inserts.append(change)
                continue
            index, text = change
            after[index] = None if text is None else dataclasses.replace(after[index], text=text)
        for _, index, text in sorted(inserts, key=lambda c: -c[1]):
            after.insert(index + 1, dataclasses.replace(self.v1[index], key=f"new{index}",
                                                         kind="paragraph", text=text))
        return [p for p in after if p is not None]


@pytest.fixture
def drafted(client, people) -> Drafted:
    editor = people.as_role(Role.co_facilitator)
    r = client.post("/api/declarations", json={"title": "Cities", "text": TEXT}, headers=editor)
    did = r.json()["id"]
    v1 = paras(client.get(f"/api/declarations/{did}/versions/1", headers=editor).json())
    kampala = people.user(Role.delegate, city=people.city("Kampala", "UG"), name="Sarah Nabukenya")
    return Drafted(
        client, did, v1, editor, people.headers(kampala), kampala.name,
        people.as_role(Role.delegate, city=people.city("Mechelen", "BE")),
        people.as_role(Role.observer),
    )


THIRTY = "We commit to give every resident access to basic services within fifteen days."
NEW = "We will publish what we learn, in every language of our residents."


def three_changes(d: Drafted) -> bytes:
    after = d.edited((1, THIRTY), (2, None), ("after", 3, NEW))
    return marked_up(d.did, 1, d.v1, after)


def summary(result):
    return [(a["action"], a["paragraph_key"], a["text"]) for a in result["amendments"]]


class TestOurOwnExport:
    def test_dry_run_lists_one_amendment_per_changed_paragraph_and_writes_nothing(
        self, drafted
    ):
        d = drafted
        result = d.imported(three_changes(d), dry_run=True)
        assert result["dry_run"] is True and result["mode"] == "keyed"
        assert result["base_version"] == 1
        keys = [p.key for p in d.v1]
        assert summary(result) == [
            ("modify", keys[1], THIRTY),
            ("delete", keys[2], None),
            ("insert", keys[3], NEW),
        ]
        assert all(a["id"] is None for a in result["amendments"])
        assert result["amendments"][0]["authors"] == ["Kampala delegation"]
        assert [op for op, _ in result["amendments"][0]["diff"]].count("equal") >= 2
        assert d.amendments() == []

    def test_the_import_proposes_them_for_the_uploaders_city(self, drafted):
        d = drafted
        result = d.imported(three_changes(d))
        made = d.amendments()
        assert [a["id"] for a in made] == [a["id"] for a in result["amendments"]]
        assert {a["city"]["name"] for a in made} == {"Kampala"}
        assert {a["status"] for a in made} == {"proposed"}
        assert [(a["action"], a["paragraph_key"], a["text"]) for a in made] == summary(result)

    def test_comments_land_on_their_quotes_and_on_new_text_in_the_rationale(self, drafted):
        d = drafted
        after = d.edited(("after", 3, NEW))
        quoted = "basic services"
        start = d.v1[1].text.index(quoted)
        notes = {
            d.v1[1].key: [Note("Sarah Nabukenya", WHEN, "Which services?", start,
                               start + len(quoted),
                               replies=[Note("Moses Okello", WHEN, "Water first.", 0, 0)])],
        }

        def on_new_text(laid):
            new = next(p for p in laid if p.text == NEW)
            new.notes = [Note("Moses Okello", WHEN, "We do this already.", 0, 10)]

        result = d.imported(marked_up(d.did, 1, d.v1, after, notes=notes, adjust=on_new_text))
        [insert] = result["amendments"]
        assert insert["rationale"] == "Moses Okello: We do this already."
        comments = d.comments()
        assert [(c["paragraph_key"], c["body"]) for c in comments] == [
            (d.v1[1].key, "Which services?"),  # the uploader's own: no name added
            (d.v1[1].key, "Moses Okello: Water first."),
        ]
        assert comments[0]["quote"] == {"exact": quoted, "start": start, "end": start + 14}
        assert comments[1]["parent_id"] == comments[0]["id"]

    def test_edits_made_without_track_changes_are_warned_about_not_proposed(self, drafted):
        d = drafted
        data = edit_xml(three_changes(d), lambda xml: xml.replace("our administrations",
                                                                  "all administrations"))
        data = edit_xml(data, lambda xml: xml.replace("report on these", "report on all these"))
        result = d.imported(data, dry_run=True)
        keys = [p.key for p in d.v1]
        assert summary(result) == [
            ("modify", keys[1], THIRTY),
            ("delete", keys[2], None),
            ("insert", keys[3], NEW),
        ]
        [warning] = result["warnings"]
        assert warning["code"] == "untracked_difference"
        assert keys[3] in warning["detail"]

    def test_nothing_to_propose_is_refused_and_writes_nothing(self, drafted):
        d = drafted
        r = d.upload(marked_up(d.did, 1, d.v1, d.v1))
        assert r.status_code == 422 and r.json()["code"] == "no_changes"
        assert d.amendments() == [] and d.comments() == []


class TestForeignDocuments:
    def test_aligned_to_the_named_base_version_gives_the_same_amendments(self, drafted):
        d = drafted
        ours = d.imported(three_changes(d), dry_run=True)
        data = foreign(three_changes(d))
        r = d.upload(data, dry_run=True)
        assert r.status_code == 422 and r.json()["code"] == "base_version_required"
        theirs = d.imported(data, dry_run=True, base_version=1)
        assert theirs["mode"] == "aligned"
        assert summary(theirs) == summary(ours)

    def test_a_document_typed_afresh_with_slips_keeps_only_the_tracked_change(self, drafted):
        d = drafted
        data = foreign(marked_up(d.did, 1, d.v1, d.edited((1, THIRTY))))
        # Typed afresh: a slip in another paragraph, and in the tracked one.
        data = edit_xml(data, lambda x: x.replace("discrimination", "discrimation"))
        data = edit_xml(data, lambda x: x.replace("every resident", "evry resident"))
        result = d.imported(data, dry_run=True, base_version=1)
        assert summary(result) == [("modify", d.v1[1].key, THIRTY)]
        assert {w["code"] for w in result["warnings"]} == {"untracked_difference"}

    def test_libreoffice_resaving_the_document_changes_nothing(
        self, drafted, libreoffice, tmp_path
    ):
        d = drafted
        data = three_changes(d)
        source = tmp_path / "marked-up.docx"
        source.write_bytes(data)
        resaved = libreoffice.resave(source).read_bytes()
        assert resaved != data
        assert part(resaved, "word/document.xml") is not None
        ours = d.imported(data, dry_run=True)
        theirs = d.imported(resaved, dry_run=True)
        assert summary(theirs) == summary(ours)
        assert theirs["mode"] == "keyed"


class TestDefinedOutcomes:
    def test_a_split_paragraph_is_a_modification_and_an_insertion(self, drafted):
        d = drafted
        first = "We commit to give every resident access to basic services."
        second = "They will have it within thirty days."

        def split(laid):
            target = next(i for i, p in enumerate(laid) if p.key == d.v1[1].key)
            del laid[target]
            laid[target:target] = _split_paragraph(d.v1[1], first, second)

        result = d.imported(marked_up(d.did, 1, d.v1, d.v1, adjust=split), dry_run=True)
        assert summary(result) == [
            ("modify", d.v1[1].key, first),
            ("insert", d.v1[1].key, second),
        ]

    def test_a_short_paragraph_rewritten_at_length_is_still_a_modification(self, drafted):
        d = drafted
        heading = "Commitments of the cities of the world, in every language we speak"
        result = d.imported(marked_up(d.did, 1, d.v1, d.edited((0, heading))), dry_run=True)
        assert summary(result) == [("modify", d.v1[0].key, heading)]

    def test_two_paragraphs_merged_are_a_modification_and_a_deletion(self, drafted):
        d = drafted
        merged = d.v1[2].text + " " + d.v1[3].text
        result = d.imported(
            marked_up(d.did, 1, d.v1, d.v1, adjust=lambda laid: _merge_marks(laid, d.v1[2].key)),
            dry_run=True,
        )
        assert [(a["action"], a["paragraph_key"]) for a in result["amendments"]] == [
            ("modify", d.v1[2].key),
            ("delete", d.v1[3].key),
        ]
        assert result["amendments"][0]["text"] == merged.replace("  ", " ")

    def test_a_moved_paragraph_is_deleted_where_it_was_and_inserted_where_it_went(
        self, drafted
    ):
        d = drafted
        moved_text = d.v1[2].text

        def move(xml: str) -> str:
            # Word's move markup: the paragraph as w:moveFrom at its place, w:moveTo after the
            # last one, both paragraph marks tracked.
            return _moved(xml, d.v1[2].key, moved_text)

        result = d.imported(edit_xml(marked_up(d.did, 1, d.v1, d.v1), move), dry_run=True)
        assert [(a["action"], a["paragraph_key"], a["moved"]) for a in result["amendments"]] == [
            ("delete", d.v1[2].key, True),
            ("insert", d.v1[3].key, True),
        ]
        assert result["amendments"][1]["text"] == moved_text

    def test_an_insertion_deleted_by_another_author_proposes_nothing_there(self, drafted):
        d = drafted

        def stacked(xml: str) -> str:
            # Kampala inserted "gladly ", Mechelen deleted that insertion again.
            return xml.replace(
                "We will meet again",
                'We will </w:t></w:r><w:ins w:id="901" w:author="Kampala" '
                'w:date="2026-03-01T09:00:00Z"><w:del w:id="902" w:author="Mechelen" '
                'w:date="2026-03-01T10:00:00Z"><w:r><w:delText xml:space="preserve">gladly '
                '</w:delText></w:r></w:del></w:ins><w:r><w:t xml:space="preserve">meet again',
            )

        data = edit_xml(three_changes(d), stacked)
        assert "gladly" in "".join(part(data, "word/document.xml").itertext())
        result = d.imported(data, dry_run=True)
        assert summary(result) == summary(d.imported(three_changes(d), dry_run=True))

    def test_formatting_only_revisions_propose_nothing_and_are_counted(self, drafted):
        d = drafted

        def bold(xml: str) -> str:
            return xml.replace(
                "<w:r><w:t>We commit to fight",
                '<w:r><w:rPr><w:b/><w:rPrChange w:id="903" w:author="Kampala" '
                'w:date="2026-03-01T09:00:00Z"><w:rPr/></w:rPrChange></w:rPr>'
                "<w:t>We commit to fight",
            )

        only_bold = edit_xml(marked_up(d.did, 1, d.v1, d.edited((1, THIRTY))), bold)
        result = d.imported(only_bold, dry_run=True)
        assert result["formatting_only"] == 1
        assert [w["code"] for w in result["warnings"]] == ["formatting_only"]


class TestWhoMayImport:
    @pytest.mark.parametrize("role", ["co_facilitator", "observer", "admin"])
    def test_only_a_citys_delegation(self, drafted, people, role):
        r = drafted.upload(three_changes(drafted), headers=people.as_role(role))
        assert r.status_code == 403 and r.json()["code"] == "role_forbidden"

    def test_the_mayor_may(self, drafted, people):
        mayor = people.as_role(Role.mayor, city=people.city("Malmö", "SE"))
        r = drafted.upload(three_changes(drafted), headers=mayor)
        assert r.status_code == 201, r.text


def _split_paragraph(original, first, second):
    """The paragraph split in two by a tracked Enter after "services", a full stop typed
    before the break and words typed after it."""
    from app.documents.word import Revision, WordParagraph

    inserted = Revision("insert", "Kampala delegation", WHEN)
    deleted = Revision("delete", "Kampala delegation", WHEN)
    cut = original.text.index(" within")
    return [
        WordParagraph(
            "paragraph",
            [Span(original.text[:cut]), Span(".", inserted)],
            key=original.key,
            mark=inserted,
        ),
        WordParagraph(
            "paragraph",
            [Span(" ", deleted), Span("They will have it ", inserted),
             Span(original.text[cut + 1 :])],
        ),
    ]


def _merge_marks(laid, key):
    """Two paragraphs joined by deleting the break between them (a tracked Delete)."""
    from app.documents.word import Revision

    index = next(i for i, p in enumerate(laid) if p.key == key)
    laid[index].mark = Revision("delete", "Kampala delegation", WHEN)
    laid[index].spans.append(Span(" ", Revision("insert", "Kampala delegation", WHEN)))


def _moved(xml: str, key: str, text: str) -> str:
    start = xml.index(f'w:name="_concord_{key}"')
    p_start = xml.rindex("<w:p>", 0, start)
    p_end = xml.index("</w:p>", start) + len("</w:p>")
    stamp = 'w:author="Kampala" w:date="2026-03-01T09:00:00Z"'
    away = (
        f'<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:rPr><w:moveFrom w:id="801" {stamp}/>'
        f'</w:rPr></w:pPr><w:bookmarkStart w:id="805" w:name="_concord_{key}"/>'
        f'<w:moveFrom w:id="802" {stamp}><w:r><w:delText>{text}</w:delText></w:r></w:moveFrom>'
        '<w:bookmarkEnd w:id="805"/></w:p>'
    )
    here = (
        f'<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:rPr><w:moveTo w:id="803" {stamp}/>'
        f'</w:rPr></w:pPr><w:moveTo w:id="804" {stamp}><w:r><w:t>{text}</w:t></w:r>'
        "</w:moveTo></w:p>"
    )
    xml = xml[:p_start] + away + xml[p_end:]
    end = xml.index("<w:sectPr")
    return xml[:end] + here + xml[end:]


def _minimal(document: bytes = b"", *, main_type: str | None = None, extra=None, rels=b""):
    """A small hand-made package: content types, package relationships, document."""
    main_type = main_type or (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    document = document or (
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>Hello.</w:t></w:r></w:p></w:body></w:document>"
    )
    files = {
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" ContentType="' + main_type.encode()
            + b'"/></Types>'
        ),
        "_rels/.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            b"</Relationships>"
        ),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships">' + rels + b"</Relationships>"
        ),
    }
    files.update(extra or {})
    return zip_of(files)


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BAD_INPUT = {
    "not a zip": (b"We commit to everything.\n", 422, "not_a_docx"),
    "a zip without a document": (zip_of({"hello.txt": b"hi"}), 422, "not_a_docx"),
    "an old .doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, 422, "not_a_docx"),
    "encrypted": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"),
        422,
        "encrypted_document",
    ),
    "a zip bomb": (
        lambda: zip_of({"word/document.xml": b"\0" * 40_000_000}, compression=8),
        413,
        "zip_bomb",
    ),
    "macros": (
        _minimal(
            main_type="application/vnd.ms-word.document.macroEnabled.main+xml",
            extra={"word/vbaProject.bin": b"\0" * 64},
        ),
        422,
        "macros_not_allowed",
    ),
    "an attached template on the web": (
        _minimal(
            rels=f'<Relationship Id="rId9" Type="{_REL}/attachedTemplate" '
            'Target="http://example.com/t.dotm" TargetMode="External"/>'.encode()
        ),
        422,
        "external_relationship",
    ),
    "an embedded OLE object": (
        _minimal(
            rels=f'<Relationship Id="rId9" Type="{_REL}/oleObject" '
            'Target="embeddings/oleObject1.bin"/>'.encode(),
            extra={"word/embeddings/oleObject1.bin": b"\0" * 64},
        ),
        422,
        "embedded_object",
    ),
    "entities (billion laughs)": (
        _minimal(
            b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
        ),
        422,
        "invalid_document",
    ),
    "broken XML": (_minimal(b"<w:document><w:body>"), 422, "invalid_document"),
}


class TestBadInput:
    @pytest.mark.parametrize("case", sorted(BAD_INPUT))
    def test_refused_with_a_code_and_nothing_written(self, drafted, case):
        data, status, code = BAD_INPUT[case]
        data = data() if callable(data) else data
        r = drafted.upload(data, base_version=1)
        assert (r.status_code, r.json()["code"]) == (status, code), r.text
        assert drafted.amendments() == [] and drafted.comments() == []

    def test_over_the_body_limit(self, drafted):
        r = drafted.upload(b"PK" + b"\0" * 4_100_000, base_version=1)
        assert r.status_code == 413 and r.json()["code"] == "too_large"

    def test_a_foreign_document_naming_a_version_that_does_not_exist(self, drafted):
        r = drafted.upload(foreign(three_changes(drafted)), base_version=9)
        assert r.status_code == 404 and r.json()["code"] == "version_not_found"
        r = drafted.upload(foreign(three_changes(drafted)), base_version=0)
        assert r.status_code == 404 and r.json()["code"] == "version_not_found"

    def test_our_export_of_another_declaration_or_version(self, drafted):
        d = drafted
        other = marked_up(d.did + 1000, 1, d.v1, d.edited((1, THIRTY)))
        r = d.upload(other)
        assert r.status_code == 422 and r.json()["code"] == "wrong_declaration"
        r = d.upload(three_changes(d), base_version=2)
        assert r.status_code == 422 and r.json()["code"] == "base_version_mismatch"

    def test_a_comparison_is_not_marked_up_as_a_version(self, drafted):
        d = drafted
        comparison = _with_kind(three_changes(d), "comparison")
        r = d.upload(comparison)
        assert r.status_code == 422 and r.json()["code"] == "not_a_version_document"

    def test_no_file(self, drafted):
        r = drafted.client.post(
            f"/api/declarations/{drafted.did}/amendments/import",
            data={"base_version": "1"},
            headers=drafted.kampala,
        )
        assert r.status_code == 422 and r.json()["code"] == "invalid"


def _with_kind(data: bytes, kind: str) -> bytes:
    from tests.documents.markup import rewrite

    def change(name, content):
        if name == "docProps/custom.xml":
            return content.replace(b">version<", f">{kind}<".encode())
        return content

    return rewrite(data, change)
