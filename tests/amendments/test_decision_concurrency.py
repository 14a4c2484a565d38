"""Simultaneous moves on one amendment, on a real server with real threads: exactly one lands."""

import threading
from collections.abc import Callable

import httpx
import pytest

from app.auth.models import Role

TEXT = "# Commitments\n\nWe commit to fight discrimination.\n\nWe will meet again."


def at_once(base_url: str, calls: list[Callable[[httpx.Client], httpx.Response]]) -> list:
    """Run every call in its own thread, released together; their responses, in call order."""
    barrier = threading.Barrier(len(calls))
    responses: list = [None] * len(calls)

    def run(i: int) -> None:
        with httpx.Client(base_url=base_url, timeout=60) as http:
            http.get("/api/health")  # connect before the barrier, so all start level
            barrier.wait()
            responses[i] = calls[i](http)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


class Setting:
    def __init__(self, live_server):
        self.url = live_server.url
        people = live_server.people()
        self.editors = [people.headers(people.user(Role.co_facilitator)) for _ in range(8)]
        proposer = people.city("Mechelen", "BE")
        self.proposer = people.headers(people.user(Role.delegate, city=proposer))
        kampala = people.city("Kampala", "UG")
        self.kampala = [
            people.headers(people.user(Role.delegate, city=kampala)),
            people.headers(people.user(Role.mayor, city=kampala)),
        ]
        people.session.close()
        with httpx.Client(base_url=self.url, timeout=60) as http:
            r = http.post(
                "/api/declarations", json={"title": "T", "text": TEXT}, headers=self.editors[0]
            )
            self.did = r.json()["id"]
            self.keys = [
                p["key"]
                for p in http.get(
                    f"/api/declarations/{self.did}/versions/1", headers=self.editors[0]
                ).json()["paragraphs"]
            ]
            r = http.post(
                f"/api/declarations/{self.did}/amendments",
                json={
                    "base_version": 1,
                    "action": "modify",
                    "paragraph_key": self.keys[1],
                    "text": "We commit to end discrimination.",
                },
                headers=self.proposer,
            )
            assert r.status_code == 201, r.text
            self.amendment = r.json()["id"]

    def get(self, path: str) -> dict:
        with httpx.Client(base_url=self.url, timeout=60) as http:
            r = http.get(path, headers=self.editors[0])
            assert r.status_code == 200, r.text
            return r.json()

    def events(self, prefix: str) -> list[dict]:
        items = self.get(f"/api/declarations/{self.did}/events?limit=500")["items"]
        return [
            e
            for e in items
            if e["action"].startswith(prefix) and e["target_id"] == str(self.amendment)
        ]


@pytest.fixture
def setting(live_server) -> Setting:
    return Setting(live_server)


def decision(amendment: int, decision: str, headers: dict):
    return lambda http: http.post(
        f"/api/amendments/{amendment}/decision",
        json={"decision": decision, "note": f"{decision} by this editor"},
        headers=headers,
    )


def statuses_and_codes(responses) -> list[tuple[int, str | None]]:
    return sorted(
        (r.status_code, r.json()["code"] if r.status_code >= 400 else None) for r in responses
    )


class TestSimultaneousDecisions:
    def test_accept_against_reject_exactly_one_lands(self, setting):
        s = setting
        responses = at_once(
            s.url,
            [
                decision(s.amendment, "accept", s.editors[0]),
                decision(s.amendment, "reject", s.editors[1]),
            ],
        )
        assert statuses_and_codes(responses) == [(200, None), (409, "wrong_state")]
        winner = next(r for r in responses if r.status_code == 200).json()["status"]
        assert s.get(f"/api/amendments/{s.amendment}")["status"] == winner
        decided = [e for e in s.events("amendment.") if e["action"] != "amendment.propose"]
        assert [(e["action"], e["after"]["status"]) for e in decided] == [
            (f"amendment.{winner}", winner)
        ]

    def test_eight_editors_deciding_at_once_make_one_decision(self, setting):
        s = setting
        choices = ["accept", "reject"] * 4
        responses = at_once(
            s.url,
            [decision(s.amendment, c, s.editors[i]) for i, c in enumerate(choices)],
        )
        assert statuses_and_codes(responses) == [(200, None)] + [(409, "wrong_state")] * 7
        winner = next(r for r in responses if r.status_code == 200).json()
        amendment = s.get(f"/api/amendments/{s.amendment}")
        assert amendment["status"] == winner["status"]
        assert amendment["decision_note"] == winner["decision_note"]
        decided = [e for e in s.events("amendment.") if e["action"] != "amendment.propose"]
        assert len(decided) == 1 and decided[0]["before"] == {"status": "proposed"}

    def test_withdrawal_against_acceptance_exactly_one_lands(self, setting):
        s = setting
        responses = at_once(
            s.url,
            [
                decision(s.amendment, "accept", s.editors[0]),
                lambda http: http.post(
                    f"/api/amendments/{s.amendment}/withdraw", headers=s.proposer
                ),
            ],
        )
        assert statuses_and_codes(responses) == [(200, None), (409, "wrong_state")]
        moves = [e for e in s.events("amendment.") if e["action"] != "amendment.propose"]
        assert len(moves) == 1
        assert s.get(f"/api/amendments/{s.amendment}")["status"] == moves[0]["after"]["status"]


class TestSimultaneousSupport:
    def test_two_delegates_of_one_city_support_once(self, setting):
        s = setting
        responses = at_once(
            s.url,
            [
                lambda http, h=h: http.post(f"/api/amendments/{s.amendment}/support", headers=h)
                for h in s.kampala
            ],
        )
        assert statuses_and_codes(responses) == [(200, None), (409, "already_supported")]
        supporters = s.get(f"/api/amendments/{s.amendment}")["supporters"]
        assert [x["city"]["name"] for x in supporters] == ["Kampala"]
        assert len(s.events("amendment.support")) == 1
