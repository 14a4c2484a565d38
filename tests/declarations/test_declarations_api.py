"""Declarations, immutable versions, canonical text, compare, new versions and the audit log."""

import hashlib

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.audit.models import Event
from app.auth.models import Role
from app.declarations import versioning
from app.declarations.models import Paragraph, Version
from app.declarations.service import get_version

DRAFT = """# Preamble

We, the mayors, meeting in Mechelen,
affirm that migration is part of city life.

Cities are the first to welcome newcomers.

# Commitments

We commit to give every resident access to basic services.
"""


@pytest.fixture
def editor(people):
    return people.as_role(Role.co_facilitator)


def create(client, headers, text=DRAFT, title="Mechelen Declaration"):
    r = client.post("/api/declarations", json={"title": title, "text": text}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def version(client, headers, declaration_id, number):
    r = client.get(f"/api/declarations/{declaration_id}/versions/{number}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def new_version(client, headers, declaration_id, **body):
    return client.post(f"/api/declarations/{declaration_id}/versions", json=body, headers=headers)


class TestCreate:
    def test_text_is_split_into_keyed_paragraphs_and_headings(self, client, editor):
        declaration = create(client, editor)
        assert declaration["status"] == "drafting" and declaration["head_version"] == 1
        assert declaration["final_version"] is None
        v1 = version(client, editor, declaration["id"], 1)
        assert [(p["position"], p["kind"], p["text"]) for p in v1["paragraphs"]] == [
            (1, "heading", "Preamble"),
            (
                2,
                "paragraph",
                "We, the mayors, meeting in Mechelen, affirm that migration is part of city life.",
            ),
            (3, "paragraph", "Cities are the first to welcome newcomers."),
            (4, "heading", "Commitments"),
            (5, "paragraph", "We commit to give every resident access to basic services."),
        ]
        keys = [p["key"] for p in v1["paragraphs"]]
        assert len(set(keys)) == 5 and all(k for k in keys)

    def test_text_endpoint_bytes_hash_to_the_content_hash(self, client, editor):
        declaration = create(client, "\ufeff" + DRAFT.replace("\n", "\r\n") and editor)
        v1 = version(client, editor, declaration["id"], 1)
        r = client.get(f"/api/declarations/{declaration['id']}/versions/1/text", headers=editor)
        assert r.headers["content-type"] == "text/plain; charset=utf-8"
        assert v1["content_hash"] == "sha256:" + hashlib.sha256(r.content).hexdigest()
        assert r.content.decode() == (
            "# Preamble\n\nWe, the mayors, meeting in Mechelen, affirm that migration is part "
            "of city life.\n\nCities are the first to welcome newcomers.\n\n# Commitments\n\n"
            "We commit to give every resident access to basic services.\n"
        )

    def test_crlf_bom_and_decomposed_accents_are_normalised(self, client, editor):
        raw = "\ufeffMalmo\u0308 welcomes you.\r\n\r\nSecond paragraph.\r\n"
        declaration = create(client, editor, text=raw)
        v1 = version(client, editor, declaration["id"], 1)
        assert [p["text"] for p in v1["paragraphs"]] == [
            "Malm\u00f6 welcomes you.",
            "Second paragraph.",
        ]

    @pytest.mark.parametrize("bad", ["\u202e", "\u2066", "\x00", "\x07", "\x1b"])
    def test_bidi_overrides_and_control_characters_are_422(self, client, editor, bad):
        r = client.post(
            "/api/declarations",
            json={"title": "T", "text": f"Good text{bad} here."},
            headers=editor,
        )
        assert r.status_code == 422 and r.json()["code"] == "forbidden_character"

    def test_sizes_are_bounded(self, client, editor):
        too_long = "word " * 4001  # 20,005 characters in one paragraph
        r = client.post("/api/declarations", json={"title": "T", "text": too_long}, headers=editor)
        assert r.status_code == 422 and r.json()["code"] == "paragraph_too_long"
        too_many = "\n\n".join(f"Paragraph {i}." for i in range(5001))
        r = client.post("/api/declarations", json={"title": "T", "text": too_many}, headers=editor)
        assert r.status_code == 413 and r.json()["code"] == "too_many_paragraphs"
        too_big = "\n\n".join("x" * 1000 for _ in range(2100))
        r = client.post("/api/declarations", json={"title": "T", "text": too_big}, headers=editor)
        assert r.status_code == 413
        r = client.post("/api/declarations", json={"title": "T", "text": " \n\n "}, headers=editor)
        assert r.status_code == 422 and r.json()["code"] == "empty_text"
        listed = client.get("/api/declarations", headers=editor).json()
        assert listed["total"] == 0

    def test_malformed_json_is_400(self, client, editor):
        r = client.post(
            "/api/declarations",
            content=b'{"title": ',
            headers={**editor, "content-type": "application/json"},
        )
        assert r.status_code == 400 and r.json()["code"] == "malformed_json"

    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer"])
    def test_only_co_facilitators_and_admins_create(self, client, people, role):
        r = client.post(
            "/api/declarations",
            json={"title": "T", "text": "Text."},
            headers=people.as_role(role),
        )
        assert r.status_code == 403
        assert client.post("/api/declarations", json={"title": "T", "text": "x"}).status_code == 401

    def test_admin_may_create(self, client, people):
        create(client, people.as_role(Role.admin))

    def test_creation_is_audited(self, client, editor, session):
        declaration = create(client, editor)
        event = session.scalar(select(Event).where(Event.declaration_id == declaration["id"]))
        assert event.action == "declaration.create" and event.after["paragraphs"] == 5


class TestRead:
    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer", "admin"])
    def test_everyone_signed_in_reads(self, client, editor, people, role):
        declaration = create(client, editor)
        headers = people.as_role(role)
        assert (
            client.get(f"/api/declarations/{declaration['id']}", headers=headers).json()["title"]
            == "Mechelen Declaration"
        )
        versions = client.get(
            f"/api/declarations/{declaration['id']}/versions", headers=headers
        ).json()
        assert [v["number"] for v in versions] == [1]
        assert set(versions[0]) == {
            "number",
            "created_at",
            "author",
            "note",
            "content_hash",
            "merged_amendments",
        }
        assert version(client, headers, declaration["id"], 1)["number"] == 1

    def test_nobody_signed_in_reads_nothing(self, client, editor):
        declaration = create(client, editor)
        for path in ("", "/versions", "/versions/1", "/versions/1/text", "/compare?from=1&to=1"):
            r = client.get(f"/api/declarations/{declaration['id']}{path}")
            assert r.status_code == 401, path
        assert client.get("/api/declarations").status_code == 401

    def test_unknown_declaration_and_version_are_404(self, client, editor):
        declaration = create(client, editor)
        r = client.get("/api/declarations/999999", headers=editor)
        assert r.status_code == 404 and r.json()["code"] == "declaration_not_found"
        r = client.get(f"/api/declarations/{declaration['id']}/versions/7", headers=editor)
        assert r.status_code == 404 and r.json()["code"] == "version_not_found"
        r = client.get("/api/declarations/999999/versions/1", headers=editor)
        assert r.json()["code"] == "declaration_not_found"

    def test_a_version_answer_carries_an_etag(self, client, editor):
        declaration = create(client, editor)
        path = f"/api/declarations/{declaration['id']}/versions/1"
        first = client.get(path, headers=editor)
        etag = first.headers["etag"]
        again = client.get(path, headers={**editor, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        cached = client.get(path, headers=editor)
        assert cached.json() == first.json()


class TestNewVersionByEdits:
    def test_modify_insert_delete_keep_and_make_keys(self, client, editor):
        declaration = create(client, editor)
        did = declaration["id"]
        p = version(client, editor, did, 1)["paragraphs"]
        r = new_version(
            client,
            editor,
            did,
            base_version=1,
            note="Compromise wording",
            edits=[
                {
                    "action": "modify",
                    "paragraph_key": p[2]["key"],
                    "text": "Cities are the first to welcome and include newcomers.",
                },
                {
                    "action": "insert",
                    "paragraph_key": p[2]["key"],
                    "text": "Cities see what migrants contribute.",
                },
                {"action": "insert", "paragraph_key": None, "text": "# Mechelen, 2017"},
                {"action": "delete", "paragraph_key": p[4]["key"]},
            ],
        )
        assert r.status_code == 201, r.text
        v2 = r.json()
        assert v2["number"] == 2 and v2["note"] == "Compromise wording"
        got = [(q["key"], q["kind"], q["text"]) for q in v2["paragraphs"]]
        assert got[0][1:] == ("heading", "Mechelen, 2017")
        assert got[1] == (p[0]["key"], "heading", "Preamble")
        assert got[3] == (
            p[2]["key"],
            "paragraph",
            "Cities are the first to welcome and include newcomers.",
        )
        assert got[4][1:] == ("paragraph", "Cities see what migrants contribute.")
        assert got[4][0] not in {q["key"] for q in p}
        assert p[4]["key"] not in {k for k, _, _ in got}
        assert client.get(f"/api/declarations/{did}", headers=editor).json()["head_version"] == 2
        # Version 1 did not change.
        assert version(client, editor, did, 1)["paragraphs"] == p

    def test_a_stale_base_is_409_and_writes_nothing(self, client, editor):
        declaration = create(client, editor)
        did = declaration["id"]
        key = version(client, editor, did, 1)["paragraphs"][2]["key"]
        edit = [{"action": "modify", "paragraph_key": key, "text": "Changed."}]
        assert new_version(client, editor, did, base_version=1, edits=edit).status_code == 201
        r = new_version(client, editor, did, base_version=1, edits=edit)
        assert r.status_code == 409 and r.json()["code"] == "stale_base"
        assert r.json()["head_version"] == 2
        versions = client.get(f"/api/declarations/{did}/versions", headers=editor).json()
        assert [v["number"] for v in versions] == [1, 2]

    def test_a_number_taken_after_the_head_was_read_is_a_stale_base(
        self, client, editor, monkeypatch
    ):
        """Another request made the version this one was writing after it read the head: the
        same 409 `stale_base` with the head, nothing written."""
        declaration = create(client, editor)
        did = declaration["id"]
        key = version(client, editor, did, 1)["paragraphs"][2]["key"]
        edit = [{"action": "modify", "paragraph_key": key, "text": "Changed."}]
        assert new_version(client, editor, did, base_version=1, edits=edit).status_code == 201
        read_head = versioning.open_head

        def head_read_before_version_2(session, declaration_id, base_version):
            found, head = read_head(session, declaration_id, base_version + 1)
            found.head_version = base_version  # as read before the other request made v2
            return found, get_version(session, declaration_id, base_version)

        monkeypatch.setattr(versioning, "open_head", head_read_before_version_2)
        r = new_version(client, editor, did, base_version=1, edits=edit)
        assert r.status_code == 409 and r.json()["code"] == "stale_base", r.text
        assert r.json()["head_version"] == 2
        versions = client.get(f"/api/declarations/{did}/versions", headers=editor).json()
        assert [v["number"] for v in versions] == [1, 2]

    def test_dry_run_previews_and_writes_nothing(self, client, editor, session):
        declaration = create(client, editor)
        did = declaration["id"]
        key = version(client, editor, did, 1)["paragraphs"][2]["key"]
        events_before = session.scalar(text("SELECT count(*) FROM events"))
        r = new_version(
            client,
            editor,
            did,
            base_version=1,
            dry_run=True,
            edits=[
                {
                    "action": "modify",
                    "paragraph_key": key,
                    "text": "Cities are the first to welcome all newcomers.",
                }
            ],
        )
        assert r.status_code == 200, r.text
        preview = r.json()
        assert preview["number"] == 2 and preview["content_hash"].startswith("sha256:")
        assert preview["changes"]["summary"] == {
            "unchanged": 4,
            "modified": 1,
            "inserted": 0,
            "deleted": 0,
        }
        changed = [c for c in preview["changes"]["paragraphs"] if c["status"] == "modified"]
        assert ["insert", "all "] in changed[0]["diff"]
        assert client.get(f"/api/declarations/{did}", headers=editor).json()["head_version"] == 1
        assert session.scalar(text("SELECT count(*) FROM events")) == events_before

    @pytest.mark.parametrize(
        "edits, code",
        [
            (
                [{"action": "modify", "paragraph_key": "nosuchkey", "text": "x"}],
                "unknown_paragraph",
            ),
            (
                [{"action": "insert", "paragraph_key": "nosuchkey", "text": "x"}],
                "unknown_paragraph",
            ),
            (
                [{"action": "modify", "paragraph_key": "KEY", "text": "bad \u202e text"}],
                "forbidden_character",
            ),
            (
                [{"action": "modify", "paragraph_key": "KEY", "text": "x" * 20001}],
                "paragraph_too_long",
            ),
        ],
    )
    def test_bad_edits_are_422_and_write_nothing(self, client, editor, edits, code):
        declaration = create(client, editor)
        did = declaration["id"]
        p = version(client, editor, did, 1)["paragraphs"]
        edits = [dict(edit) for edit in edits]  # parameters are shared between engines
        for edit in edits:
            if edit["paragraph_key"] == "KEY":
                edit["paragraph_key"] = p[2]["key"]
        # A valid edit first: the bad one after it must undo it too.
        good = {"action": "delete", "paragraph_key": p[4]["key"]}
        r = new_version(client, editor, did, base_version=1, edits=[good, *edits])
        assert r.status_code == 422, r.text
        assert r.json()["code"] == code
        assert client.get(f"/api/declarations/{did}", headers=editor).json()["head_version"] == 1

    def test_no_change_and_shapeless_requests_are_422(self, client, editor):
        declaration = create(client, editor)
        did = declaration["id"]
        p = version(client, editor, did, 1)["paragraphs"]
        same = [{"action": "modify", "paragraph_key": p[2]["key"], "text": p[2]["text"]}]
        r = new_version(client, editor, did, base_version=1, edits=same)
        assert r.status_code == 422 and r.json()["code"] == "no_change"
        assert new_version(client, editor, did, base_version=1).status_code == 422
        r = new_version(client, editor, did, base_version=1, text="x", edits=same)
        assert r.status_code == 422

    def test_deleting_every_paragraph_is_refused(self, client, editor):
        declaration = create(client, editor, text="Only paragraph.")
        key = version(client, editor, declaration["id"], 1)["paragraphs"][0]["key"]
        r = new_version(
            client,
            editor,
            declaration["id"],
            base_version=1,
            edits=[{"action": "delete", "paragraph_key": key}],
        )
        assert r.status_code == 422 and r.json()["code"] == "empty_text"

    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer"])
    def test_only_co_facilitators_make_versions(self, client, editor, people, role):
        declaration = create(client, editor)
        r = new_version(
            client, people.as_role(role), declaration["id"], base_version=1, text="Another text."
        )
        assert r.status_code == 403

    def test_new_version_is_audited_with_before_and_after(self, client, editor, session):
        declaration = create(client, editor)
        did = declaration["id"]
        r = new_version(client, editor, did, base_version=1, text=DRAFT + "\nOne more.\n")
        assert r.status_code == 201
        event = session.scalars(
            select(Event).where(Event.declaration_id == did, Event.action == "version.create")
        ).one()
        assert event.before["version"] == 1 and event.after["version"] == 2
        assert event.after["inserted"] == 1
        events = client.get(f"/api/declarations/{did}/events", headers=editor).json()
        assert [e["action"] for e in events["items"]] == ["declaration.create", "version.create"]

    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer"])
    def test_only_co_facilitators_read_the_audit_log(self, client, editor, people, role):
        declaration = create(client, editor)
        r = client.get(
            f"/api/declarations/{declaration['id']}/events", headers=people.as_role(role)
        )
        assert r.status_code == 403


class TestImmutability:
    def test_the_database_refuses_to_update_or_delete_versions_and_paragraphs(
        self, client, editor, session
    ):
        declaration = create(client, editor)
        version_row = session.scalar(
            select(Version).where(Version.declaration_id == declaration["id"])
        )
        for statement in (
            f"UPDATE paragraphs SET text = 'forged' WHERE version_id = {version_row.id}",
            f"DELETE FROM paragraphs WHERE version_id = {version_row.id}",
            f"UPDATE versions SET content_hash = 'sha256:00' WHERE id = {version_row.id}",
            "UPDATE events SET action = 'forged'",
        ):
            nested = session.begin_nested()
            with pytest.raises(DBAPIError):
                session.execute(text(statement))
            nested.rollback()
        texts = session.scalars(
            select(Paragraph.text).where(Paragraph.version_id == version_row.id)
        ).all()
        assert "forged" not in texts
