"""Notifications: what concerns me, written with the action that causes it; listed, paged and
marked read by their reader alone."""

import pytest
from sqlalchemy import event

from app.auth.models import Role

TEXT = (
    "# Commitments\n\nWe commit to give every resident access to basic services.\n\nWe meet again."
)


@pytest.fixture
def room(client, people):
    editor = people.as_role(Role.co_facilitator)
    did = client.post(
        "/api/declarations", json={"title": "Pact", "text": TEXT}, headers=editor
    ).json()["id"]
    keys = [
        p["key"]
        for p in client.get(f"/api/declarations/{did}/versions/1", headers=editor).json()[
            "paragraphs"
        ]
    ]
    mechelen, kampala = people.city("Mechelen"), people.city("Kampala", "UG")
    return {
        "did": did,
        "key": keys[1],
        "editor": editor,
        "delegate": people.as_role(Role.delegate, city=mechelen),
        "mayor": people.as_role(Role.mayor, city=mechelen),
        "kampala": people.as_role(Role.delegate, city=kampala),
        "observer": people.as_role(Role.observer),
    }


def mine(client, headers, **params):
    r = client.get("/api/me/notifications", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def propose(client, room):
    r = client.post(
        f"/api/declarations/{room['did']}/amendments",
        json={
            "base_version": 1,
            "action": "modify",
            "paragraph_key": room["key"],
            "text": "We commit to give every resident access to basic services within 30 days.",
            "rationale": "A deadline.",
        },
        headers=room["delegate"],
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


class TestAmendments:
    def test_the_city_learns_the_decision_and_the_merge(self, client, room):
        aid = propose(client, room)
        r = client.post(
            f"/api/amendments/{aid}/decision",
            json={"decision": "accept", "note": "Agreed in the room."},
            headers=room["editor"],
        )
        assert r.status_code == 200, r.text
        [notice] = mine(client, room["mayor"])["items"]
        assert notice["kind"] == "amendment.decided"
        assert notice["target"] == {"type": "amendment", "id": aid}
        assert notice["declaration_id"] == room["did"]
        assert "accepted" in notice["text"] and "Agreed in the room." in notice["text"]
        assert notice["link"] == f"/declarations/{room['did']}?p={room['key']}"
        assert notice["read_at"] is None
        # The delegate who proposed it learns it too; another city and the decider do not.
        assert [n["kind"] for n in mine(client, room["delegate"])["items"]] == ["amendment.decided"]
        assert mine(client, room["kampala"])["total"] == 0
        assert mine(client, room["editor"])["total"] == 0

        r = client.post(
            f"/api/declarations/{room['did']}/versions",
            json={"base_version": 1, "amendments": [aid]},
            headers=room["editor"],
        )
        assert r.status_code == 201, r.text
        page = mine(client, room["mayor"])
        assert [n["kind"] for n in page["items"]] == ["amendment.merged", "amendment.decided"]
        assert "version 2" in page["items"][0]["text"]
        assert page["unread"] == 2

    def test_a_refused_decision_notifies_nobody(self, client, room):
        aid = propose(client, room)
        r = client.post(
            f"/api/amendments/{aid}/decision", json={"decision": "reopen"}, headers=room["editor"]
        )
        assert r.status_code == 409
        assert mine(client, room["mayor"])["total"] == 0


class TestReplies:
    def comment(self, client, room, headers, parent_id=None):
        body = {"version": 1, "paragraph_key": room["key"], "body": "Why thirty?"}
        if parent_id:
            body["parent_id"] = parent_id
        r = client.post(f"/api/declarations/{room['did']}/comments", json=body, headers=headers)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def test_the_author_learns_of_a_reply_but_not_of_their_own(self, client, room):
        first = self.comment(client, room, room["observer"])
        self.comment(client, room, room["observer"], parent_id=first)
        assert mine(client, room["observer"])["total"] == 0
        reply = self.comment(client, room, room["kampala"], parent_id=first)
        [notice] = mine(client, room["observer"])["items"]
        assert notice["kind"] == "comment.reply"
        assert notice["target"] == {"type": "comment", "id": reply}
        assert "replied to your comment" in notice["text"]
        assert mine(client, room["kampala"])["total"] == 0


class TestOpenForSignature:
    def test_every_mayor_is_told_in_one_insert(self, client, people, room, engine):
        others = [people.as_role(Role.mayor) for _ in range(3)]
        did = room["did"]
        assert (
            client.post(
                f"/api/declarations/{did}/finalize", json={"version": 1}, headers=room["editor"]
            ).status_code
            == 200
        )
        inserts = []

        def count(conn, cursor, statement, *args):
            if statement.startswith("INSERT INTO notifications"):
                inserts.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            r = client.post(f"/api/declarations/{did}/endorsement/open", headers=room["editor"])
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert r.status_code == 200, r.text
        assert len(inserts) == 1
        for mayor in [room["mayor"], *others]:
            [notice] = mine(client, mayor)["items"]
            assert notice["kind"] == "endorsement.open"
            assert notice["link"] == f"/declarations/{did}/endorsement"
            assert "open for signature" in notice["text"]
        for other in ("delegate", "kampala", "observer", "editor"):
            assert mine(client, room[other])["total"] == 0


class TestReading:
    @pytest.fixture
    def three(self, client, room):
        ids = [propose(client, room) for _ in range(3)]
        for aid in ids:
            client.post(
                f"/api/amendments/{aid}/decision",
                json={"decision": "reject"},
                headers=room["editor"],
            )
        return ids

    def test_pages_newest_first(self, client, room, three):
        page = mine(client, room["mayor"], limit=2, offset=0)
        assert page["total"] == 3 and page["unread"] == 3 and len(page["items"]) == 2
        assert [n["target"]["id"] for n in page["items"]] == three[::-1][:2]
        rest = mine(client, room["mayor"], limit=2, offset=2)
        assert [n["target"]["id"] for n in rest["items"]] == [three[0]]

    def test_marks_only_ones_own_read(self, client, room, three):
        delegates = [n["id"] for n in mine(client, room["delegate"])["items"]]
        mayors = [n["id"] for n in mine(client, room["mayor"])["items"]]
        r = client.post(
            "/api/me/notifications/read",
            json={"ids": [mayors[0], *delegates]},
            headers=room["mayor"],
        )
        assert r.status_code == 200 and r.json() == {"unread": 2}
        assert mine(client, room["delegate"])["unread"] == 3
        unread = mine(client, room["mayor"], unread=True)
        assert unread["total"] == 2 and mayors[0] not in [n["id"] for n in unread["items"]]
        r = client.post("/api/me/notifications/read", json={"all": True}, headers=room["mayor"])
        assert r.json() == {"unread": 0}
        assert all(n["read_at"] for n in mine(client, room["mayor"])["items"])

    @pytest.mark.parametrize("body", [{}, {"ids": [1], "all": True}, {"all": False}])
    def test_one_of_ids_or_all(self, client, room, body):
        r = client.post("/api/me/notifications/read", json=body, headers=room["mayor"])
        assert r.status_code == 422

    def test_not_signed_in(self, client):
        assert client.get("/api/me/notifications").status_code == 401
        assert client.post("/api/me/notifications/read", json={"all": True}).status_code == 401
