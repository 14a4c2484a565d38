"""Two co-facilitators merging from the same head at the same moment: exactly one wins."""

import threading

import httpx

from app.auth.models import Role


def test_simultaneous_new_versions_from_one_head_make_exactly_one(live_server):
    people = live_server.people()
    editors = [people.headers(people.user(Role.co_facilitator)) for _ in range(6)]
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        r = http.post(
            "/api/declarations", json={"title": "T", "text": "One.\n\nTwo."}, headers=editors[0]
        )
        did = r.json()["id"]
        key = http.get(f"/api/declarations/{did}/versions/1", headers=editors[0]).json()[
            "paragraphs"
        ][0]["key"]
    barrier = threading.Barrier(len(editors))
    statuses: list[int] = []

    def merge(i: int) -> None:
        with httpx.Client(base_url=live_server.url, timeout=60) as http:
            barrier.wait()
            r = http.post(
                f"/api/declarations/{did}/versions",
                json={
                    "base_version": 1,
                    "edits": [
                        {"action": "modify", "paragraph_key": key, "text": f"One, by editor {i}."}
                    ],
                },
                headers=editors[i],
            )
            statuses.append(r.status_code)
            if r.status_code == 409:
                assert r.json()["code"] == "stale_base"

    threads = [threading.Thread(target=merge, args=(i,)) for i in range(len(editors))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [409] * (len(editors) - 1)
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        versions = http.get(f"/api/declarations/{did}/versions", headers=editors[0]).json()
    assert [v["number"] for v in versions] == [1, 2]
