"""Compare two versions, and revised drafts aligned to their base, on real texts."""

import pytest

from app.auth.models import Role
from tests.declarations.test_declarations_api import create, new_version, version


@pytest.fixture
def editor(people):
    return people.as_role(Role.co_facilitator)


def compare(client, headers, did, a, b):
    r = client.get(f"/api/declarations/{did}/compare?from={a}&to={b}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def rebuilt(diff, side):
    keep = {"old": ("equal", "delete"), "new": ("equal", "insert")}[side]
    return "".join(text for op, text in diff if op in keep)


class TestRealRevisions:
    def test_basic_law_v2_uploaded_over_v1_shows_one_insert_and_one_changed_line(
        self, client, editor, texts
    ):
        v1 = (texts / "de-grundgesetz-v1-2012-07.txt").read_text()
        v2 = (texts / "de-grundgesetz-v2-2012-08.txt").read_text()
        did = create(client, editor, text=v1, title="Grundgesetz")["id"]
        r = new_version(client, editor, did, base_version=1, text=v2, note="BGBl. 2012")
        assert r.status_code == 201, r.text
        result = compare(client, editor, did, 1, 2)
        changed = [p for p in result["paragraphs"] if p["status"] != "unchanged"]
        assert result["summary"]["inserted"] == 1 and result["summary"]["modified"] == 1
        assert result["summary"]["deleted"] == 0 and len(changed) == 2
        inserted = next(p for p in changed if p["status"] == "inserted")
        assert inserted["diff"][0][1].startswith("4c.")
        modified = next(p for p in changed if p["status"] == "modified")
        assert rebuilt(modified["diff"], "old").startswith("Zuletzt geändert")
        # Every unchanged paragraph kept its key: version 2 shares all of version 1's keys.
        keys1 = {p["key"] for p in version(client, editor, did, 1)["paragraphs"]}
        keys2 = {p["key"] for p in version(client, editor, did, 2)["paragraphs"]}
        assert keys1 <= keys2 and len(keys2 - keys1) == 1
        # The new version's canonical text is v2's text.
        text2 = client.get(f"/api/declarations/{did}/versions/2/text", headers=editor).text
        assert text2 == "\n\n".join(b.strip() for b in v2.strip().split("\n\n")) + "\n"

    def test_covenant_v2_1_adds_caste_and_color_and_bumps_its_version_links(
        self, client, editor, texts
    ):
        # The issue expected one modified paragraph; the real files differ in three: the
        # pledge (caste, color) and two links that name the version (2.0 -> 2.1).
        old = (texts / "contributor-covenant-v2.0.txt").read_text()
        new = (texts / "contributor-covenant-v2.1.txt").read_text()
        did = create(client, editor, text=old, title="Covenant")["id"]
        assert new_version(client, editor, did, base_version=1, text=new).status_code == 201
        result = compare(client, editor, did, 1, 2)
        changed = [p for p in result["paragraphs"] if p["status"] != "unchanged"]
        assert [(p["status"], p["from_position"]) for p in changed] == [
            ("modified", 3),
            ("modified", 41),
            ("modified", 44),
        ]
        pledge = [[op, t] for op, t in changed[0]["diff"] if op != "equal"]
        assert len(pledge) == 1 and pledge[0][0] == "insert"
        assert pledge[0][1].strip(" ,") == "caste, color"
        for link in changed[1:]:
            assert {t for op, t in link["diff"] if op == "insert"} <= {"1", "2.1"}

    def test_basic_law_v2_to_v3_redlines_rebuild_both_texts_exactly(self, client, editor, texts):
        v2 = (texts / "de-grundgesetz-v2-2012-08.txt").read_text()
        v3 = (texts / "de-grundgesetz-v3-2020.txt").read_text()
        did = create(client, editor, text=v2, title="Grundgesetz")["id"]
        assert new_version(client, editor, did, base_version=1, text=v3).status_code == 201
        old = {p["key"]: p["text"] for p in version(client, editor, did, 1)["paragraphs"]}
        new = {p["key"]: p["text"] for p in version(client, editor, did, 2)["paragraphs"]}
        result = compare(client, editor, did, 1, 2)
        assert result["summary"]["modified"] > 10
        for paragraph in result["paragraphs"]:
            if paragraph["status"] in ("modified", "unchanged"):
                assert rebuilt(paragraph["diff"], "old") == old[paragraph["key"]]
                assert rebuilt(paragraph["diff"], "new") == new[paragraph["key"]]
        # Each paragraph of both versions appears exactly once, in reading order.
        assert [p["key"] for p in result["paragraphs"] if p["to_position"]] == list(new)
        from_positions = [p["from_position"] for p in result["paragraphs"] if p["from_position"]]
        assert sorted(from_positions) == list(range(1, len(old) + 1))


class TestCompare:
    def test_statuses_positions_and_deleted_paragraphs_in_place(self, client, editor):
        did = create(client, editor, text="A one.\n\nB two.\n\nC three.\n\nD four.")["id"]
        p = version(client, editor, did, 1)["paragraphs"]
        r = new_version(
            client,
            editor,
            did,
            base_version=1,
            edits=[
                {"action": "delete", "paragraph_key": p[1]["key"]},
                {"action": "modify", "paragraph_key": p[2]["key"], "text": "C three and more."},
                {"action": "insert", "paragraph_key": p[3]["key"], "text": "E five."},
            ],
        )
        assert r.status_code == 201
        result = compare(client, editor, did, 1, 2)
        assert [
            (x["status"], x["from_position"], x["to_position"]) for x in result["paragraphs"]
        ] == [
            ("unchanged", 1, 1),
            ("deleted", 2, None),
            ("modified", 3, 2),
            ("unchanged", 4, 3),
            ("inserted", None, 4),
        ]
        assert result["paragraphs"][2]["diff"] == [
            ["equal", "C three"],
            ["insert", " and more"],
            ["equal", "."],
        ]
        assert result["from"] == 1 and result["to"] == 2
        backwards = compare(client, editor, did, 2, 1)
        assert backwards["summary"] == {"unchanged": 2, "modified": 1, "inserted": 1, "deleted": 1}

    def test_a_heading_that_becomes_a_paragraph_is_modified(self, client, editor):
        did = create(client, editor, text="# Title\n\nBody.")["id"]
        key = version(client, editor, did, 1)["paragraphs"][0]["key"]
        new_version(
            client,
            editor,
            did,
            base_version=1,
            edits=[
                {"action": "modify", "paragraph_key": key, "text": "Title", "kind": "paragraph"}
            ],
        )
        result = compare(client, editor, did, 1, 2)
        assert result["paragraphs"][0]["status"] == "modified"
        assert ["delete", "# "] in result["paragraphs"][0]["diff"]

    def test_bad_queries(self, client, editor):
        did = create(client, editor)["id"]
        r = client.get(f"/api/declarations/{did}/compare?from=1", headers=editor)
        assert r.status_code == 422
        r = client.get(f"/api/declarations/{did}/compare?from=x&to=1", headers=editor)
        assert r.status_code == 422
        r = client.get(f"/api/declarations/{did}/compare?from=1&to=9", headers=editor)
        assert r.status_code == 404
