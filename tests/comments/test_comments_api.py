"""Commenting on paragraphs and quoted ranges, replies, editing, resolving, listing, and reading
comments re-anchored onto later versions, with every refusal."""

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from app.auth.models import Role

SERVICES = "We commit to give every resident access to basic services within thirty (30) days."
# 🌍 and 🏙 lie outside the BMP (two UTF-16 units each), the U+FE0F after 🏙 is one more code
# point, 東京 are one each: code-point and UTF-16 offsets part ways after them.
WORLD = "Mechelen 🌍 and 東京 welcome newcomers: 🏙️ cities act where people live."
MEET = "We will meet again to report on these commitments."
TEXT = f"# Shared commitments\n\n{SERVICES}\n\n{WORLD}\n\n{MEET}\n"


def utf16_offset(paragraph: str, index: int) -> int:
    return len(paragraph[:index].encode("utf-16-le")) // 2


def quote_of(paragraph: str, exact: str) -> dict:
    start = paragraph.index(exact)
    return {"exact": exact, "start": start, "end": start + len(exact)}


@dataclass
class Debate:
    client: object
    did: int
    keys: list[str]
    editor: dict
    delegate: dict
    observer: dict

    def post(self, headers, **body):
        return self.client.post(
            f"/api/declarations/{self.did}/comments", json=body, headers=headers
        )

    def comment(self, headers=None, **body):
        body.setdefault("body", "A remark.")
        r = self.post(headers or self.delegate, **body)
        assert r.status_code == 201, r.text
        return r.json()

    def listed(self, query="", headers=None):
        r = self.client.get(
            f"/api/declarations/{self.did}/comments?limit=500&{query}",
            headers=headers or self.observer,
        )
        assert r.status_code == 200, r.text
        return r.json()

    def anchors(self, version):
        """{comment id: (state, start, end)} as read on `version`."""
        return {
            c["id"]: (c["anchor"]["state"], c["anchor"]["start"], c["anchor"]["end"])
            for c in self.listed(f"version={version}")["items"]
        }

    def new_version(self, **body):
        head = self.client.get(f"/api/declarations/{self.did}", headers=self.editor).json()
        r = self.client.post(
            f"/api/declarations/{self.did}/versions",
            json={"base_version": head["head_version"], **body},
            headers=self.editor,
        )
        assert r.status_code == 201, r.text
        return r.json()["number"]

    def modified(self, key, new_text):
        return self.new_version(
            edits=[{"action": "modify", "paragraph_key": key, "text": new_text}]
        )

    def events(self, action):
        r = self.client.get(f"/api/declarations/{self.did}/events?limit=500", headers=self.editor)
        assert r.status_code == 200, r.text
        return [e for e in r.json()["items"] if e["action"] == action]


@pytest.fixture
def debate(client, people):
    editor = people.as_role(Role.co_facilitator)
    r = client.post("/api/declarations", json={"title": "T", "text": TEXT}, headers=editor)
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    paragraphs = client.get(f"/api/declarations/{did}/versions/1", headers=editor).json()[
        "paragraphs"
    ]
    assert [p["text"] for p in paragraphs] == ["Shared commitments", SERVICES, WORLD, MEET]
    return Debate(
        client=client,
        did=did,
        keys=[p["key"] for p in paragraphs],
        editor=editor,
        delegate=people.as_role(Role.delegate, city=people.city("Mechelen", "BE")),
        observer=people.as_role(Role.observer),
    )


def count(session, table):
    return session.scalar(text(f"SELECT count(*) FROM {table}"))


class TestComment:
    def test_on_a_whole_paragraph(self, debate):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1], body="Thirty days is too long.")
        assert c["paragraph_key"] == d.keys[1] and c["body"] == "Thirty days is too long."
        assert c["quote"] is None and c["parent_id"] is None and c["status"] == "open"
        assert c["anchor"] == {"state": "exact", "start": None, "end": None}
        assert c["created_version"] == 1 and c["anchored_version"] == 1
        assert c["edited"] is False and c["declaration_id"] == d.did
        assert c["author"]["name"].startswith("delegate")
        assert c["author_city"] == "Mechelen"  # the city the delegate speaks for
        listed = d.listed(headers=d.observer)["items"]
        assert [x["author_city"] for x in listed] == ["Mechelen"]

    def test_without_a_version_it_is_on_the_head(self, debate):
        d = debate
        d.modified(d.keys[3], "We will meet every year.")
        c = d.comment(paragraph_key=d.keys[3])
        assert c["created_version"] == 2

    def test_on_a_quoted_range_counted_in_code_points(self, debate):
        d = debate
        quote = quote_of(WORLD, "cities act")
        # 🌍 and 🏙 are two UTF-16 units each: a JavaScript index would be two further on.
        assert utf16_offset(WORLD, quote["start"]) == quote["start"] + 2
        c = d.comment(version=1, paragraph_key=d.keys[2], quote=quote, body="Which cities?")
        assert c["quote"] == quote
        assert c["anchor"] == {"state": "exact", "start": quote["start"], "end": quote["end"]}
        listed = d.listed()["items"][0]
        assert listed["quote"] == quote and listed["anchor"]["start"] == quote["start"]

    @pytest.mark.parametrize("exact", ["🌍", "東京", "🏙️", "welcome newcomers"])
    def test_quotes_of_emoji_and_cjk_characters(self, debate, exact):
        d = debate
        quote = quote_of(WORLD, exact)
        c = d.comment(version=1, paragraph_key=d.keys[2], quote=quote)
        assert WORLD[c["anchor"]["start"] : c["anchor"]["end"]] == exact

    def test_utf16_offsets_are_a_quote_mismatch_and_write_nothing(self, debate, session):
        d = debate
        start = WORLD.index("welcome newcomers")
        utf16 = utf16_offset(WORLD, start)
        comments, events = count(session, "comments"), count(session, "events")
        r = d.post(
            d.delegate,
            version=1,
            paragraph_key=d.keys[2],
            body="x",
            quote={"exact": "welcome newcomers", "start": utf16, "end": utf16 + 17},
        )
        assert (r.status_code, r.json()["code"]) == (422, "quote_mismatch"), r.text
        assert (count(session, "comments"), count(session, "events")) == (comments, events)

    @pytest.mark.parametrize(
        "quote, status, code",
        [
            ({"exact": "basic services", "start": 0, "end": 14}, 422, "quote_mismatch"),
            ({"exact": "Basic services", "start": 43, "end": 57}, 422, "quote_mismatch"),
            ({"exact": "days.", "start": 77, "end": 200}, 422, "quote_mismatch"),
            ({"exact": "basic", "start": 48, "end": 43}, 422, "invalid"),
            ({"exact": "", "start": 43, "end": 43}, 422, "invalid"),
            ({"exact": "basic", "start": -1, "end": 4}, 422, "invalid"),
        ],
    )
    def test_bad_quotes_are_refused_and_write_nothing(self, debate, session, quote, status, code):
        d = debate
        assert SERVICES[43:57] == "basic services" and SERVICES[77:] == "days."
        comments = count(session, "comments")
        r = d.post(d.delegate, version=1, paragraph_key=d.keys[1], body="x", quote=quote)
        assert (r.status_code, r.json()["code"]) == (status, code), r.text
        assert count(session, "comments") == comments

    @pytest.mark.parametrize(
        "body, status, code",
        [
            ({"paragraph_key": "nosuchkey"}, 422, "unknown_paragraph"),
            ({}, 422, "paragraph_required"),
            ({"paragraph_key": "K1", "version": 9}, 404, "version_not_found"),
            ({"paragraph_key": "K1", "body": ""}, 422, "invalid"),
            ({"paragraph_key": "K1", "body": "   \n "}, 422, "empty_comment"),
            ({"paragraph_key": "K1", "body": "x" * 20_001}, 422, "invalid"),
        ],
    )
    def test_bad_comments_are_refused_and_write_nothing(self, debate, session, body, status, code):
        d = debate
        body = {k: (d.keys[1] if v == "K1" else v) for k, v in body.items()}
        body.setdefault("body", "A remark.")
        comments = count(session, "comments")
        r = d.post(d.delegate, **body)
        assert (r.status_code, r.json()["code"]) == (status, code), r.text
        assert count(session, "comments") == comments

    def test_unknown_declaration_is_404(self, debate):
        r = debate.client.post(
            "/api/declarations/999999/comments",
            json={"paragraph_key": debate.keys[1], "body": "x"},
            headers=debate.delegate,
        )
        assert (r.status_code, r.json()["code"]) == (404, "declaration_not_found")
        r = debate.client.get("/api/declarations/999999/comments", headers=debate.delegate)
        assert r.status_code == 404


class TestReply:
    def test_a_reply_joins_its_thread_on_the_same_paragraph(self, debate, people):
        d = debate
        quote = quote_of(SERVICES, "thirty (30) days")
        thread = d.comment(version=1, paragraph_key=d.keys[1], quote=quote)
        reply = d.comment(d.observer, parent_id=thread["id"], body="Agreed.")
        assert reply["parent_id"] == thread["id"] and reply["paragraph_key"] == d.keys[1]
        assert reply["created_version"] == 1 and reply["quote"] is None
        again = d.comment(people.as_role(Role.mayor), parent_id=reply["id"], body="So do we.")
        assert again["parent_id"] == reply["id"] and again["paragraph_key"] == d.keys[1]
        assert [c["parent_id"] for c in d.listed()["items"]] == [None, thread["id"], reply["id"]]

    def test_a_reply_on_a_later_version_keeps_its_threads_paragraph(self, debate):
        d = debate
        thread = d.comment(version=1, paragraph_key=d.keys[1])
        d.modified(d.keys[1], SERVICES.replace("thirty (30)", "sixty (60)"))
        reply = d.comment(parent_id=thread["id"], version=2)
        assert reply["paragraph_key"] == d.keys[1] and reply["created_version"] == 2

    def test_a_reply_cannot_move_to_another_paragraph(self, debate, session):
        d = debate
        thread = d.comment(version=1, paragraph_key=d.keys[1])
        comments = count(session, "comments")
        r = d.post(d.delegate, parent_id=thread["id"], paragraph_key=d.keys[3], body="x")
        assert (r.status_code, r.json()["code"]) == (422, "wrong_paragraph")
        assert count(session, "comments") == comments

    def test_an_unknown_parent_is_404(self, debate, session):
        d = debate
        comments = count(session, "comments")
        r = d.post(d.delegate, parent_id=999999, body="x")
        assert (r.status_code, r.json()["code"]) == (404, "comment_not_found")
        assert count(session, "comments") == comments

    def test_a_parent_in_another_declaration_is_404(self, debate):
        d = debate
        r = d.client.post(
            "/api/declarations", json={"title": "U", "text": "Other."}, headers=d.editor
        )
        other = r.json()["id"]
        key = d.client.get(f"/api/declarations/{other}/versions/1", headers=d.editor).json()[
            "paragraphs"
        ][0]["key"]
        foreign = d.client.post(
            f"/api/declarations/{other}/comments",
            json={"paragraph_key": key, "body": "x"},
            headers=d.delegate,
        ).json()
        r = d.post(d.delegate, parent_id=foreign["id"], body="x")
        assert (r.status_code, r.json()["code"]) == (404, "comment_not_found")


class TestWhoComments:
    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer", "co_facilitator", "admin"])
    def test_every_role_comments_and_reads(self, debate, people, role):
        d = debate
        headers = people.as_role(role)
        c = d.comment(headers, version=1, paragraph_key=d.keys[1], body=f"From a {role}.")
        assert c["author"]["role"] == role
        assert (c["author_city"] is None) == (role not in ("delegate", "mayor"))
        listed = d.listed(headers=headers)
        assert [x["body"] for x in listed["items"]] == [f"From a {role}."]

    @pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
    def test_nobody_signed_in_is_401(self, debate, session, headers):
        d = debate
        comment = d.comment(version=1, paragraph_key=d.keys[1])
        comments = count(session, "comments")
        assert d.post(headers, paragraph_key=d.keys[1], body="x").status_code == 401
        r = d.client.get(f"/api/declarations/{d.did}/comments", headers=headers)
        assert r.status_code == 401
        r = d.client.patch(f"/api/comments/{comment['id']}", json={"body": "y"}, headers=headers)
        assert r.status_code == 401
        r = d.client.post(f"/api/comments/{comment['id']}/resolve", headers=headers)
        assert r.status_code == 401
        assert count(session, "comments") == comments


class TestEdit:
    def test_the_author_edits_and_the_original_stays_in_the_audit_log(self, debate):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1], body="Thirty days is too long.")
        r = d.client.patch(
            f"/api/comments/{c['id']}",
            json={"body": "Sixty days is too long."},
            headers=d.delegate,
        )
        assert r.status_code == 200, r.text
        assert r.json()["body"] == "Sixty days is too long." and r.json()["edited"] is True
        listed = d.listed()["items"]
        assert listed[0]["body"] == "Sixty days is too long." and listed[0]["edited"] is True
        edits = [e for e in d.events("comment.edit") if e["target_id"] == str(c["id"])]
        assert [(e["before"], e["after"]) for e in edits] == [
            ({"body": "Thirty days is too long."}, {"body": "Sixty days is too long."})
        ]
        created = [e for e in d.events("comment.create") if e["target_id"] == str(c["id"])]
        assert created[0]["after"]["body"] == "Thirty days is too long."

    def test_an_edit_keeps_the_quote_and_anchor(self, debate):
        d = debate
        quote = quote_of(WORLD, "cities act")
        c = d.comment(version=1, paragraph_key=d.keys[2], quote=quote)
        r = d.client.patch(f"/api/comments/{c['id']}", json={"body": "New."}, headers=d.delegate)
        assert r.json()["quote"] == quote and r.json()["anchor"] == c["anchor"]

    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer", "co_facilitator", "admin"])
    def test_nobody_else_edits(self, debate, people, session, role):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1], body="Mine.")
        events = count(session, "events")
        r = d.client.patch(
            f"/api/comments/{c['id']}", json={"body": "Theirs."}, headers=people.as_role(role)
        )
        assert (r.status_code, r.json()["code"]) == (403, "not_author")
        assert d.listed()["items"][0]["body"] == "Mine."
        assert d.listed()["items"][0]["edited"] is False
        assert count(session, "events") == events

    def test_a_bad_edit_writes_nothing(self, debate, session):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1], body="Mine.")
        events = count(session, "events")
        for body, code in [("a\u202eb", "forbidden_character"), ("  ", "empty_comment")]:
            r = d.client.patch(f"/api/comments/{c['id']}", json={"body": body}, headers=d.delegate)
            assert (r.status_code, r.json()["code"]) == (422, code)
        assert d.listed()["items"][0]["body"] == "Mine."
        assert count(session, "events") == events

    def test_an_unknown_comment_is_404(self, debate):
        r = debate.client.patch("/api/comments/999999", json={"body": "x"}, headers=debate.delegate)
        assert (r.status_code, r.json()["code"]) == (404, "comment_not_found")


class TestResolve:
    @pytest.mark.parametrize("who", ["author", "co_facilitator", "admin"])
    def test_the_author_or_an_editor_resolves(self, debate, people, who):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1])
        headers = d.delegate if who == "author" else people.as_role(who)
        r = d.client.post(f"/api/comments/{c['id']}/resolve", headers=headers)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "resolved"
        assert d.listed()["items"][0]["status"] == "resolved"
        resolved = d.events("comment.resolve")
        assert [(e["target_id"], e["before"], e["after"]) for e in resolved] == [
            (str(c["id"]), {"status": "open"}, {"status": "resolved"})
        ]

    def test_resolving_twice_records_once(self, debate):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1])
        for _ in range(2):
            r = d.client.post(f"/api/comments/{c['id']}/resolve", headers=d.delegate)
            assert r.status_code == 200 and r.json()["status"] == "resolved"
        assert len(d.events("comment.resolve")) == 1

    @pytest.mark.parametrize("role", ["delegate", "mayor", "observer"])
    def test_others_cannot_resolve(self, debate, people, session, role):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1])
        events = count(session, "events")
        r = d.client.post(f"/api/comments/{c['id']}/resolve", headers=people.as_role(role))
        assert (r.status_code, r.json()["code"]) == (403, "not_author")
        assert d.listed()["items"][0]["status"] == "open"
        assert count(session, "events") == events

    def test_an_unknown_comment_is_404(self, debate):
        r = debate.client.post("/api/comments/999999/resolve", headers=debate.editor)
        assert r.status_code == 404


class TestBodies:
    def test_html_and_script_are_stored_and_returned_verbatim(self, debate):
        d = debate
        body = "<script>alert('x')</script> <b>bold</b> <img src=x onerror=alert(1)> &amp;"
        c = d.comment(version=1, paragraph_key=d.keys[1], body=body)
        assert c["body"] == body
        assert d.listed()["items"][0]["body"] == body

    @pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u202a"])
    def test_a_bidi_override_is_refused_and_writes_nothing(self, debate, session, char):
        d = debate
        comments, events = count(session, "comments"), count(session, "events")
        r = d.post(d.delegate, version=1, paragraph_key=d.keys[1], body=f"fine {char}txt.exe")
        assert (r.status_code, r.json()["code"]) == (422, "forbidden_character"), r.text
        assert (count(session, "comments"), count(session, "events")) == (comments, events)


class TestList:
    def test_filter_by_paragraph(self, debate):
        d = debate
        first = d.comment(version=1, paragraph_key=d.keys[1])
        d.comment(version=1, paragraph_key=d.keys[2])
        third = d.comment(version=1, paragraph_key=d.keys[1])
        page = d.listed(f"paragraph_key={d.keys[1]}")
        assert page["total"] == 2 and [c["id"] for c in page["items"]] == [first["id"], third["id"]]
        assert d.listed("paragraph_key=nosuchkey") == {
            "items": [],
            "total": 0,
            "limit": 500,
            "offset": 0,
        }

    def test_filter_by_version_reads_each_comment_on_that_version(self, debate):
        d = debate
        quote = quote_of(SERVICES, "basic services")
        c = d.comment(version=1, paragraph_key=d.keys[1], quote=quote)
        d.modified(d.keys[1], "In every city, " + SERVICES)
        on_head, on_first = d.listed()["items"][0], d.listed("version=1")["items"][0]
        shift = len("In every city, ")
        assert on_head["anchored_version"] == 2
        assert on_head["anchor"] == {
            "state": "exact",
            "start": quote["start"] + shift,
            "end": quote["end"] + shift,
        }
        assert on_first["anchored_version"] == 1 and on_first["anchor"] == c["anchor"]
        assert on_head["quote"] == on_first["quote"] == quote  # the quote as written stays
        r = d.client.get(f"/api/declarations/{d.did}/comments?version=9", headers=d.observer)
        assert (r.status_code, r.json()["code"]) == (404, "version_not_found")

    def test_pages_are_oldest_first(self, debate):
        d = debate
        ids = [d.comment(version=1, paragraph_key=d.keys[1], body=f"#{i}")["id"] for i in range(5)]
        r = d.client.get(f"/api/declarations/{d.did}/comments?limit=2&offset=2", headers=d.observer)
        page = r.json()
        assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
        assert [c["id"] for c in page["items"]] == ids[2:4]
        last = d.client.get(
            f"/api/declarations/{d.did}/comments?limit=2&offset=4", headers=d.observer
        ).json()
        assert [c["id"] for c in last["items"]] == ids[4:]
        past = d.client.get(
            f"/api/declarations/{d.did}/comments?limit=2&offset=50", headers=d.observer
        ).json()
        assert past["items"] == [] and past["total"] == 5


class TestReanchoring:
    """Comments written on version 1, read on a version made through the API."""

    def quoted(self, d, key, paragraph, exact):
        return d.comment(version=1, paragraph_key=key, quote=quote_of(paragraph, exact))

    def test_an_unchanged_paragraph_keeps_the_same_offsets(self, debate):
        d = debate
        c = self.quoted(d, d.keys[2], WORLD, "cities act")
        v = d.modified(d.keys[3], "We will meet every year.")
        assert d.anchors(v)[c["id"]] == ("exact", c["quote"]["start"], c["quote"]["end"])

    def test_text_inserted_before_the_quote_shifts_it_exactly(self, debate):
        d = debate
        c = self.quoted(d, d.keys[2], WORLD, "cities act")
        new = "Since 2017 🎉, " + WORLD
        v = d.modified(d.keys[2], new)
        start = new.index("cities act")
        assert start == c["quote"]["start"] + len("Since 2017 🎉, ")
        assert d.anchors(v)[c["id"]] == ("exact", start, start + len("cities act"))

    def test_lightly_edited_quoted_words_are_found_fuzzily(self, debate):
        d = debate
        c = self.quoted(d, d.keys[1], SERVICES, "access to basic services within thirty (30) days")
        new = SERVICES.replace("basic services", "essential services")
        v = d.modified(d.keys[1], new)
        state, start, end = d.anchors(v)[c["id"]]
        assert state == "fuzzy"
        assert new[start:end] == "access to essential services within thirty (30) days"

    def test_removed_quoted_words_are_orphaned(self, debate):
        d = debate
        c = self.quoted(d, d.keys[1], SERVICES, "within thirty (30) days")
        v = d.modified(d.keys[1], "We commit to give every resident access to basic services.")
        assert d.anchors(v)[c["id"]] == ("orphaned", None, None)

    def test_a_deleted_paragraph_orphans_its_comments_but_loses_none(self, debate):
        d = debate
        quoted = self.quoted(d, d.keys[3], MEET, "report")
        whole = d.comment(version=1, paragraph_key=d.keys[3])
        reply = d.comment(parent_id=quoted["id"], body="Where?")
        v = d.new_version(edits=[{"action": "delete", "paragraph_key": d.keys[3]}])
        anchors = d.anchors(v)
        assert {anchors[c["id"]] for c in (quoted, whole, reply)} == {("orphaned", None, None)}
        page = d.listed(f"version={v}&paragraph_key={d.keys[3]}")
        assert page["total"] == 3 and {c["body"] for c in page["items"]} >= {"Where?"}
        assert d.anchors(1)[quoted["id"]] == (
            "exact",
            quoted["quote"]["start"],
            quoted["quote"]["end"],
        )

    def test_a_whole_paragraph_comment_holds_while_the_paragraph_exists(self, debate):
        d = debate
        c = d.comment(version=1, paragraph_key=d.keys[1])
        v2 = d.modified(d.keys[1], "Something else entirely, rewritten from scratch.")
        assert d.anchors(v2)[c["id"]] == ("exact", None, None)
        v3 = d.new_version(edits=[{"action": "delete", "paragraph_key": d.keys[1]}])
        assert d.anchors(v3)[c["id"]] == ("orphaned", None, None)

    def test_a_revised_draft_carries_comments_with_their_paragraphs(self, debate):
        d = debate
        world = self.quoted(d, d.keys[2], WORLD, "welcome newcomers")
        services = self.quoted(d, d.keys[1], SERVICES, "within thirty (30) days")
        meet = self.quoted(d, d.keys[3], MEET, "report on these commitments")
        new_world = WORLD.replace("Mechelen", "Mechelen, Kampala")
        revised = (
            "# Shared commitments\n\nA new opening paragraph, written offline.\n\n"
            + SERVICES.replace("within thirty (30) days", "without delay")
            + "\n\n"
            + new_world
            + "\n"
        )
        v = d.new_version(text=revised, note="Revised offline")
        version = d.client.get(f"/api/declarations/{d.did}/versions/{v}", headers=d.observer).json()
        keys = [p["key"] for p in version["paragraphs"]]
        assert keys[0] == d.keys[0] and keys[2:] == [d.keys[1], d.keys[2]]
        anchors = d.anchors(v)
        start = new_world.index("welcome newcomers")
        assert anchors[world["id"]] == ("exact", start, start + len("welcome newcomers"))
        assert anchors[services["id"]] == ("orphaned", None, None)
        assert anchors[meet["id"]] == ("orphaned", None, None)  # paragraph left out of the draft
        assert d.listed(f"version={v}")["total"] == 3


class TestBasicLawRevision:
    """Comments on Basic Law v2 (2012), read on the version made by uploading v3 (2020)."""

    def test_every_comment_survives_and_unchanged_quotes_are_exact(self, debate, texts):
        d = debate
        v2 = (texts / "de-grundgesetz-v2-2012-08.txt").read_text()
        v3 = (texts / "de-grundgesetz-v3-2020.txt").read_text()
        r = d.client.post("/api/declarations", json={"title": "GG", "text": v2}, headers=d.editor)
        assert r.status_code == 201, r.text
        d.did = r.json()["id"]
        old = d.client.get(f"/api/declarations/{d.did}/versions/1", headers=d.editor).json()[
            "paragraphs"
        ]
        later = set(v3.split("\n\n"))
        written = {}
        for n, p in enumerate(old):
            changes = p["text"] not in later  # modified or deleted in 2020: quote it thrice
            if not changes and n % 20:
                continue
            if n % 7 == 0:
                c = d.comment(version=1, paragraph_key=p["key"], body="On the whole paragraph.")
                written[c["id"]] = (p, None)
            for exact in quotes_in(p["text"], 3 if changes else 1):
                quote = quote_of(p["text"], exact)
                c = d.comment(version=1, paragraph_key=p["key"], quote=quote)
                written[c["id"]] = (p, quote)
        assert len(written) > 100

        v = d.new_version(text=v3, note="Stand 2020")
        new = {
            p["key"]: p["text"]
            for p in d.client.get(
                f"/api/declarations/{d.did}/versions/{v}", headers=d.editor
            ).json()["paragraphs"]
        }
        anchors = {}
        offset = 0
        while True:
            page = d.client.get(
                f"/api/declarations/{d.did}/comments?version={v}&limit=50&offset={offset}",
                headers=d.observer,
            ).json()
            anchors |= {c["id"]: c["anchor"] for c in page["items"]}
            offset += 50
            if offset >= page["total"]:
                break
        assert set(anchors) == set(written)  # none lost

        states = {"exact": 0, "fuzzy": 0, "orphaned": 0}
        kept_in_edited_paragraphs = 0
        for cid, (paragraph, quote) in written.items():
            anchor, now = anchors[cid], new.get(paragraph["key"])
            states[anchor["state"]] += 1
            if now is None:
                assert anchor["state"] == "orphaned", (paragraph, anchor)
                continue
            if quote is None:
                assert anchor == {"state": "exact", "start": None, "end": None}
                continue
            if anchor["state"] != "orphaned":
                assert 0 <= anchor["start"] < anchor["end"] <= len(now)
            if anchor["state"] == "exact":
                assert now[anchor["start"] : anchor["end"]] == quote["exact"]
            expected = unchanged_position(paragraph["text"], now, quote)
            if expected is not None:
                kept_in_edited_paragraphs += now != paragraph["text"]
                assert anchor == {
                    "state": "exact",
                    "start": expected,
                    "end": expected + len(quote["exact"]),
                }, (quote, paragraph["text"], now)
        assert states["orphaned"] and states["exact"] > states["fuzzy"] + states["orphaned"]
        assert kept_in_edited_paragraphs >= 10  # not only paragraphs left as they were


def quotes_in(paragraph: str, how_many: int) -> list[str]:
    """A few words at the start, the middle and the end of a paragraph."""
    words = [m.span() for m in re.finditer(r"\S+", paragraph)]
    if len(words) < 4:
        return [paragraph]
    n = len(words)
    spans = [(n // 2 - 2, n // 2 + 2), (0, 3), (n - 3, n)][:how_many]
    return list(dict.fromkeys(paragraph[words[lo][0] : words[hi - 1][1]] for lo, hi in spans))


def unchanged_position(old: str, new: str, quote: dict) -> int | None:
    """Where an unchanged quote stands in the new paragraph: the same words, once, with the
    same twenty characters on either side; None when that cannot be said."""
    exact, start, end = quote["exact"], quote["start"], quote["end"]
    if old == new:
        return start
    if old.count(exact) != 1 or new.count(exact) != 1:
        return None
    at = new.index(exact)
    before = old[max(0, start - 20) : start] == new[max(0, at - 20) : at]
    after = old[end : end + 20] == new[at + len(exact) : at + len(exact) + 20]
    return at if before and after else None
