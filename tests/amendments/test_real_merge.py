"""German Basic Law v2 as version 1, every paragraph-level difference to v3 as one amendment
from one of several cities, all accepted and merged: the result is v3, paragraph for paragraph."""

import itertools

import pytest

from app.auth.models import Role
from app.text.align import align_paragraphs
from app.text.paragraphs import canonical_text, split_paragraphs


def shown(block):
    return ("# " if block.kind == "heading" else "") + block.text


@pytest.fixture
def basic_law(client, people, texts):
    editor = people.as_role(Role.co_facilitator)
    v2 = (texts / "de-grundgesetz-v2-2012-08.txt").read_text()
    v3 = (texts / "de-grundgesetz-v3-2020.txt").read_text()
    did = client.post("/api/declarations", json={"title": "GG", "text": v2},
                      headers=editor).json()["id"]
    keys = [p["key"] for p in client.get(f"/api/declarations/{did}/versions/1",
                                          headers=editor).json()["paragraphs"]]
    old, new = split_paragraphs(v2), split_paragraphs(v3)
    cities = itertools.cycle([people.as_role(Role.delegate) for _ in range(5)])
    amendments = []
    anchor = None  # the last paragraph of v2 that survives into v3
    for i, j in align_paragraphs([shown(b) for b in old], [shown(b) for b in new]):
        if i is not None and j is not None:
            anchor = keys[i]
            if old[i] != new[j]:
                amendments.append(({"action": "modify", "paragraph_key": keys[i],
                                    "text": new[j].text}, next(cities)))
        elif i is not None:
            amendments.append(({"action": "delete", "paragraph_key": keys[i]}, next(cities)))
        else:
            amendments.append(({"action": "insert", "paragraph_key": anchor,
                                "text": shown(new[j])}, next(cities)))
    ids = []
    for body, city in amendments:
        r = client.post(f"/api/declarations/{did}/amendments",
                        json={"base_version": 1, **body}, headers=city)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
        assert client.post(f"/api/amendments/{ids[-1]}/decision", json={"decision": "accept"},
                           headers=editor).status_code == 200
    return client, editor, did, ids, canonical_text(new)


def head_text(client, editor, did):
    head = client.get(f"/api/declarations/{did}", headers=editor).json()["head_version"]
    return client.get(f"/api/declarations/{did}/versions/{head}/text", headers=editor).text


def test_all_amendments_merged_at_once_give_v3(basic_law):
    client, editor, did, ids, v3 = basic_law
    assert len(ids) > 50
    r = client.post(f"/api/declarations/{did}/versions",
                    json={"base_version": 1, "amendments": ids}, headers=editor)
    assert r.status_code == 201, r.text[:2000]
    assert head_text(client, editor, did) == v3


def test_the_same_amendments_merged_in_batches_give_v3(basic_law):
    client, editor, did, ids, v3 = basic_law
    base = 1
    for start in range(0, len(ids), 17):
        r = client.post(f"/api/declarations/{did}/versions",
                        json={"base_version": base, "amendments": ids[start:start + 17]},
                        headers=editor)
        assert r.status_code == 201, r.text[:2000]
        base += 1
    assert head_text(client, editor, did) == v3
    assert base > 3
