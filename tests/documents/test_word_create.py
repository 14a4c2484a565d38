"""A declaration, or its next version, from a Word document: the text with every change
accepted, split by Word's paragraphs."""

import pytest

from app.auth.models import Role
from app.documents.word import DocumentInfo, Revision, Span, WordParagraph, write_document
from tests.documents.markup import WHEN, marked_up, paras
from tests.documents.test_word_import import DOCX_TYPE, THIRTY

INSERTED = Revision("insert", "Ana", WHEN)
DELETED = Revision("delete", "Ana", WHEN)


def draft_docx() -> bytes:
    """A co-facilitator's draft, still with tracked changes and a line break in it."""
    paragraphs = [
        WordParagraph("heading", [Span("Preamble")]),
        WordParagraph("paragraph", [Span("We, mayors,"), Span(" gladly", DELETED),
                                    Span(" commit", INSERTED), Span(" to all.")]),
        WordParagraph("paragraph", [Span("Dropped.", DELETED)], mark=DELETED),
        WordParagraph("paragraph", [Span("Cities\nbelong.")]),
    ]
    info = DocumentInfo("Draft", "Draft", "version", 1, None, WHEN)
    return write_document(info, paragraphs)


def post_docx(client, url, headers, data, **form):
    return client.post(
        url,
        files={"file": ("draft.docx", data, DOCX_TYPE)},
        data={k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()},
        headers=headers,
    )


@pytest.fixture
def editor(people):
    return people.as_role(Role.co_facilitator)


class TestDeclarationFromWord:
    def test_the_text_with_every_change_accepted_becomes_version_1(self, client, editor):
        r = post_docx(client, "/api/declarations", editor, draft_docx(), title="From Word")
        assert r.status_code == 201, r.text
        declaration = r.json()
        assert declaration["title"] == "From Word"
        text = client.get(
            f"/api/declarations/{declaration['id']}/versions/1/text", headers=editor
        ).text
        assert text == "# Preamble\n\nWe, mayors, commit to all.\n\nCities belong.\n"

    def test_refusals(self, client, editor, people):
        r = post_docx(client, "/api/declarations", editor, b"not a docx", title="X")
        assert (r.status_code, r.json()["code"]) == (422, "not_a_docx")
        r = post_docx(client, "/api/declarations", editor, draft_docx())
        assert (r.status_code, r.json()["code"]) == (422, "invalid")  # no title
        r = client.post("/api/declarations", data={"title": "X"}, headers=editor,
                        files={"other": ("a.txt", b"a", "text/plain")})
        assert (r.status_code, r.json()["code"]) == (422, "file_required")
        observer = people.as_role(Role.observer)
        r = post_docx(client, "/api/declarations", observer, draft_docx(), title="X")
        assert (r.status_code, r.json()["code"]) == (403, "role_forbidden")
        assert client.get("/api/declarations", headers=editor).json()["total"] == 0

    def test_json_is_still_taken(self, client, editor):
        r = client.post("/api/declarations", json={"title": "T", "text": "One.\n"}, headers=editor)
        assert r.status_code == 201
        r = client.post("/api/declarations", content=b"{", headers={
            **editor, "content-type": "application/json"})
        assert (r.status_code, r.json()["code"]) == (400, "malformed_json")


class TestVersionFromWord:
    def test_a_marked_up_version_uploaded_whole_keeps_the_keys_of_its_paragraphs(
        self, client, editor
    ):
        text = "# Commitments\n\nWe commit to give every resident access to basic services " \
               "within thirty days.\n\nWe will meet again.\n"
        did = client.post("/api/declarations", json={"title": "T", "text": text},
                          headers=editor).json()["id"]
        v1 = paras(client.get(f"/api/declarations/{did}/versions/1", headers=editor).json())
        after = [v1[0], v1[1].__class__(v1[1].key, "paragraph", THIRTY), v1[2]]
        data = marked_up(did, 1, v1, after)
        url = f"/api/declarations/{did}/versions"
        preview = post_docx(client, url, editor, data, base_version=1, dry_run=True)
        assert preview.status_code == 200, preview.text
        assert preview.json()["changes"]["summary"]["modified"] == 1
        r = post_docx(client, url, editor, data, base_version=1, note="Word")
        assert r.status_code == 201, r.text
        v2 = r.json()
        assert [p["key"] for p in v2["paragraphs"]] == [p.key for p in v1]
        assert v2["paragraphs"][1]["text"] == THIRTY
        assert v2["note"] == "Word"
        stale = post_docx(client, url, editor, data, base_version=1)
        assert (stale.status_code, stale.json()["code"]) == (409, "stale_base")
