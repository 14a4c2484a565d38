"""Per-user limits on writes: the next comment or amendment past the limit is 429 rate_limited
with Retry-After, nothing of it is written, and other users and other actions are unaffected."""

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, func, select

from app.auth.models import Role
from app.errors import TooManyRequests
from app.main import create_app
from app.ratelimit import Hit, WriteLimits
from tests.conftest import PASSWORD, make_settings, savepoint_sessions

COMMENTS = 3
AMENDMENTS = 2
TEXT = "# Commitments\n\nWe commit to act.\n\nWe will meet again.\n"


@pytest.fixture
def app(connection: Connection, tmp_path: Path) -> FastAPI:
    """The app with low write limits (the suite's default settings lift them)."""
    application = create_app(
        make_settings(
            tmp_path / "data", comments_per_minute=COMMENTS, amendments_per_minute=AMENDMENTS
        )
    )
    application.state.context.sessionmaker = savepoint_sessions(connection)
    return application


@pytest.fixture
def drafting(client, people):
    """A drafting declaration: (its id, its paragraph keys, a co-facilitator's headers)."""
    editor = people.as_role(Role.co_facilitator)
    did = client.post("/api/declarations", json={"title": "T", "text": TEXT}, headers=editor)
    did = did.json()["id"]
    version = client.get(f"/api/declarations/{did}/versions/1", headers=editor).json()
    return did, [p["key"] for p in version["paragraphs"]], editor


def events(client, did, editor, action):
    items = client.get(f"/api/declarations/{did}/events?limit=500", headers=editor).json()["items"]
    return [e for e in items if e["action"] == action]


def assert_rate_limited(r):
    assert r.status_code == 429, r.text
    body = r.json()
    assert body["code"] == "rate_limited"
    assert 1 <= body["retry_after"] <= 61
    assert r.headers["Retry-After"] == str(body["retry_after"])


class TestCommentLimit:
    def test_the_next_comment_past_the_limit_is_refused_and_not_written(
        self, client, people, drafting
    ):
        did, keys, editor = drafting
        delegate = people.as_role(Role.delegate)

        def comment(headers, body):
            return client.post(
                f"/api/declarations/{did}/comments",
                json={"paragraph_key": keys[1], "body": body},
                headers=headers,
            )

        for n in range(COMMENTS):
            assert comment(delegate, f"Remark {n}").status_code == 201
        assert_rate_limited(comment(delegate, "One too many"))
        listed = client.get(f"/api/declarations/{did}/comments", headers=editor).json()
        assert [c["body"] for c in listed["items"]] == [f"Remark {n}" for n in range(COMMENTS)]
        assert len(events(client, did, editor, "comment.create")) == COMMENTS
        # Another user, of any role, is unaffected.
        assert comment(people.as_role(Role.observer), "Mine").status_code == 201
        assert comment(editor, "And mine").status_code == 201
        # The limited user may still do other kinds of writes.
        r = client.post(
            f"/api/declarations/{did}/amendments",
            json={"base_version": 1, "action": "delete", "paragraph_key": keys[2],
                  "text": None, "rationale": "r"},
            headers=delegate,
        )  # fmt: skip
        assert r.status_code == 201, r.text

    def test_refused_requests_count_too(self, client, people, drafting):
        """An invalid comment is still a write attempt: a script cannot probe without limit."""
        did, keys, _ = drafting
        observer = people.as_role(Role.observer)
        url = f"/api/declarations/{did}/comments"
        for _ in range(COMMENTS):
            r = client.post(url, json={"paragraph_key": "nosuchky", "body": "x"}, headers=observer)
            assert r.status_code == 422
        r = client.post(url, json={"paragraph_key": keys[1], "body": "x"}, headers=observer)
        assert_rate_limited(r)


class TestAmendmentLimit:
    def test_the_next_amendment_past_the_limit_is_refused_and_not_written(
        self, client, people, drafting
    ):
        did, keys, editor = drafting
        mechelen = people.as_role(Role.delegate)
        kampala = people.as_role(Role.delegate)

        def propose(headers, text):
            return client.post(
                f"/api/declarations/{did}/amendments",
                json={"base_version": 1, "action": "modify", "paragraph_key": keys[1],
                      "text": text, "rationale": "Clearer."},
                headers=headers,
            )  # fmt: skip

        for n in range(AMENDMENTS):
            assert propose(mechelen, f"We commit to act, {n}.").status_code == 201
        assert_rate_limited(propose(mechelen, "We commit to act now."))
        listed = client.get(f"/api/declarations/{did}/amendments", headers=editor).json()
        assert listed["total"] == AMENDMENTS
        assert "We commit to act now." not in [a["text"] for a in listed["items"]]
        assert len(events(client, did, editor, "amendment.propose")) == AMENDMENTS
        assert propose(kampala, "We commit to act today.").status_code == 201


class TestRetryAfter:
    def test_every_429_carries_retry_after(self, client, people):
        user = people.user(Role.observer)
        burst = client.app.state.context.login_throttle.burst
        for _ in range(burst + 1):
            r = client.post(
                "/api/auth/token", data={"username": user.email, "password": "wrong password"}
            )
        assert r.status_code == 429 and r.json()["code"] == "login_throttled"
        assert r.headers["Retry-After"] == str(r.json()["retry_after"])
        r = client.post("/api/auth/token", data={"username": user.email, "password": PASSWORD})
        assert r.status_code == 429 and "Retry-After" in r.headers


class TestWindow:
    """The limiter itself, on a clock the test moves, against the test's database."""

    def limits(self, **limits):
        self.now = 1_800_000_000.0
        return WriteLimits(limits or {"comment": 2}, window_seconds=60, clock=lambda: self.now)

    def test_the_window_slides(self, session):
        limits = self.limits()
        limits.spend(session, "comment", 1)
        self.now += 30
        limits.spend(session, "comment", 1)
        with pytest.raises(TooManyRequests) as refused:
            limits.spend(session, "comment", 1)
        assert refused.value.code == "rate_limited"
        assert refused.value.extra["retry_after"] == 31  # the first write leaves at +60
        self.now += 30  # the first write has left the window
        limits.spend(session, "comment", 1)
        with pytest.raises(TooManyRequests):
            limits.spend(session, "comment", 1)

    def test_refusals_do_not_prolong_the_wait(self, session):
        limits = self.limits()
        limits.spend(session, "comment", 1)
        limits.spend(session, "comment", 1)
        for _ in range(50):
            self.now += 1
            with pytest.raises(TooManyRequests):
                limits.spend(session, "comment", 1)
        self.now += 10
        limits.spend(session, "comment", 1)

    def test_every_process_counts_the_same_writes(self, session):
        """Two limiters on one database (two workers, or a restart) count together."""
        first = self.limits()
        second = WriteLimits({"comment": 2}, window_seconds=60, clock=lambda: self.now)
        first.spend(session, "comment", 1)
        second.spend(session, "comment", 1)
        with pytest.raises(TooManyRequests):
            first.spend(session, "comment", 1)

    def test_users_and_actions_are_counted_apart_and_idle_ones_pruned(self, session):
        limits = self.limits(comment=1, amendment=1)
        for user in range(100):
            limits.spend(session, "comment", user)
            limits.spend(session, "amendment", user)
        assert session.scalar(select(func.count()).select_from(Hit)) == 200
        self.now += 121
        limits.spend(session, "comment", 0)
        assert session.scalar(select(func.count()).select_from(Hit)) == 1
