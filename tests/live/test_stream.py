"""GET /declarations/{id}/stream: events as they commit, resumable with Last-Event-ID, a
heartbeat, authorised at opening, ended when the account changes."""

import httpx
import pytest

from app.audit.models import Event
from app.auth.models import Role
from tests.conftest import PASSWORD
from tests.live.conftest import stream

TEXT = "# Commitments\n\nWe commit to act.\n\nWe will meet again.\n"


def drafting(server, editor):
    r = httpx.post(f"{server.url}/api/declarations", json={"title": "T", "text": TEXT},
                   headers=editor)  # fmt: skip
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    version = httpx.get(f"{server.url}/api/declarations/{did}/versions/1", headers=editor).json()
    return did, [p["key"] for p in version["paragraphs"]]


def comment(server, did, key, headers, body="A remark."):
    r = httpx.post(f"{server.url}/api/declarations/{did}/comments",
                   json={"paragraph_key": key, "body": body}, headers=headers)  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()


class TestStream:
    def test_a_comment_reaches_every_watcher_saying_what_changed_and_no_more(self, room):
        people = room.people()
        editor = people.as_role(Role.co_facilitator)
        delegate = people.user(Role.delegate, name="Ana Delegate")
        did, keys = drafting(room, editor)
        url = f"{room.url}/api/declarations/{did}/stream"
        observer = people.as_role(Role.observer)
        with stream(url, observer) as watching, stream(url, editor) as also:
            made = comment(room, did, keys[1], people.headers(delegate))
            frame = watching.until("comment.created")
            assert frame["data"] == {
                "type": "comment.created",
                "declaration_id": did,
                "target": {"type": "comment", "id": made["id"]},
                "actor": {"id": delegate.id, "name": "Ana Delegate"},
                "at": frame["data"]["at"],
            }
            assert int(frame["id"]) > 0
            assert also.until("comment.created")["id"] == frame["id"]

    def test_other_declarations_events_are_not_sent(self, room):
        people = room.people()
        editor = people.as_role(Role.co_facilitator)
        did, keys = drafting(room, editor)
        other, other_keys = drafting(room, editor)
        with stream(f"{room.url}/api/declarations/{did}/stream", editor) as watching:
            comment(room, other, other_keys[1], editor, "Elsewhere.")
            comment(room, did, keys[1], editor, "Here.")
            assert watching.until("comment.created")["data"]["declaration_id"] == did

    def test_a_reconnecting_client_gets_what_it_missed(self, room):
        people = room.people()
        editor = people.as_role(Role.co_facilitator)
        did, keys = drafting(room, editor)
        url = f"{room.url}/api/declarations/{did}/stream"
        with stream(url, editor) as watching:
            comment(room, did, keys[1], editor, "First.")
            seen = watching.until("comment.created")["id"]
        missed = [comment(room, did, keys[1], editor, f"Missed {n}.")["id"] for n in range(2)]
        with stream(url, {**editor, "Last-Event-ID": seen}) as again:
            got = [again.until("comment.created")["data"]["target"]["id"] for _ in missed]
        assert got == missed

    def test_a_reconnecting_client_gets_an_event_that_committed_after_a_later_one(
        self, room, databases
    ):
        """An event's id is taken when it is written, so a transaction that writes first and
        commits last has an id below one the client already saw."""
        if databases.kind == "sqlite":
            pytest.skip("SQLite lets one transaction write at a time: commits keep id order")
        people = room.people()
        editor = people.as_role(Role.co_facilitator)
        did, keys = drafting(room, editor)
        url = f"{room.url}/api/declarations/{did}/stream"
        with room.session() as slow:
            late = Event(declaration_id=did, action="comment.create", target_type="comment",
                         target_id="999", before=None, after=None)  # fmt: skip
            slow.add(late)
            slow.flush()  # its id is taken now
            with stream(url, editor) as watching:
                comment(room, did, keys[1], editor, "Committed first.")
                seen = watching.until("comment.created")["id"]
            assert late.id < int(seen)
            slow.commit()  # while no stream is open
            late_id = late.id
        with stream(url, {**editor, "Last-Event-ID": seen}) as again:
            while again.next()["id"] != str(late_id):  # fails (queue.Empty) if never sent
                pass

    def test_a_heartbeat_keeps_it_open(self, room):
        people = room.people()
        editor = people.as_role(Role.co_facilitator)
        did, _ = drafting(room, editor)
        with stream(f"{room.url}/api/declarations/{did}/stream", editor) as watching:
            watching.ended.wait(1.5)
            assert watching.comments and not watching.ended.is_set()

    def test_refused_at_opening(self, room):
        people = room.people()
        editor = people.as_role(Role.co_facilitator)
        did, _ = drafting(room, editor)
        r = httpx.get(f"{room.url}/api/declarations/{did}/stream")
        assert r.status_code == 401
        r = httpx.get(f"{room.url}/api/declarations/{did + 99}/stream", headers=editor)
        assert r.status_code == 404 and r.json()["code"] == "declaration_not_found"
        assert room.context.live.hub.watching() == 0

    def test_a_deactivated_account_is_refused_and_its_stream_ends(self, room):
        people = room.people()
        admin = people.as_role(Role.admin)
        editor = people.as_role(Role.co_facilitator)
        delegate = people.user(Role.delegate)
        did, _ = drafting(room, editor)
        headers = people.headers(delegate)
        with stream(f"{room.url}/api/declarations/{did}/stream", headers) as watching:
            r = httpx.patch(f"{room.url}/api/users/{delegate.id}", json={"active": False},
                            headers=admin)  # fmt: skip
            assert r.status_code == 200, r.text
            assert watching.ended.wait(5)
        r = httpx.get(f"{room.url}/api/me", headers=headers)
        assert r.status_code == 401

    def test_the_opening_and_signatures_are_told(self, room):
        people = room.people()
        editor = people.as_role(Role.co_facilitator)
        mayor = people.as_role(Role.mayor)
        did, _ = drafting(room, editor)
        base = f"{room.url}/api/declarations/{did}"
        assert httpx.post(f"{base}/finalize", json={"version": 1}, headers=editor).is_success
        with stream(f"{base}/stream", mayor) as watching:
            assert httpx.post(f"{base}/endorsement/open", headers=editor).is_success
            assert watching.until("declaration.status")["data"]["target"]["type"]
            content_hash = httpx.get(base, headers=editor).json()["final_hash"]
            r = httpx.post(f"{base}/signatures",
                           json={"content_hash": content_hash, "password": PASSWORD},
                           headers=mayor)  # fmt: skip
            assert r.status_code == 201, r.text
            frame = watching.until("signature.added")
            assert frame["data"]["target"] == {"type": "signature", "id": r.json()["id"]}
