"""The compilation text: every open amendment as a tracked change by its city, read back by
LibreOffice."""

import pytest

from app.auth.models import Role
from app.documents.service import DOCX
from tests.documents.test_word_export import saved

TEXT = """# Commitments

We commit to give every resident access to basic services within thirty days.

We commit to fight discrimination in our administrations.

We will meet again to report on these commitments.
"""


@pytest.fixture
def desk(client, people):
    editor = people.as_role(Role.co_facilitator)
    did = client.post("/api/declarations", json={"title": "Cities", "text": TEXT},
                      headers=editor).json()["id"]
    keys = [p["key"] for p in client.get(f"/api/declarations/{did}/versions/1",
                                          headers=editor).json()["paragraphs"]]
    cities = {name: people.as_role(Role.delegate, city=people.city(name, country))
              for name, country in (("Kampala", "UG"), ("Mechelen", "BE"), ("Malmö", "SE"))}
    observer_user = people.user(Role.observer, name="Olga Observer")
    observer = people.headers(observer_user)

    def propose(city, **body):
        r = client.post(f"/api/declarations/{did}/amendments",
                        json={"base_version": 1, **body}, headers=cities[city])
        assert r.status_code == 201, r.text
        return r.json()

    p1 = "We commit to give every resident access to basic services within thirty days."
    amendments = {
        "kampala": propose("Kampala", action="modify", paragraph_key=keys[1],
                           text=p1.replace("thirty", "fifteen"), rationale="Too long."),
        "mechelen": propose("Mechelen", action="modify", paragraph_key=keys[1],
                            text=p1.replace("every resident", "every person")),
        "malmo": propose("Malmö", action="modify", paragraph_key=keys[1],
                         text=p1.replace("within thirty days", "within a week"),
                         rationale="A week is what people understand."),
        "drop": propose("Mechelen", action="delete", paragraph_key=keys[2]),
        "insert": propose("Kampala", action="insert", paragraph_key=keys[3],
                          text="We will publish what we learn."),
    }
    quote = "basic services"
    start = p1.index(quote)
    comment = client.post(f"/api/declarations/{did}/comments", json={
        "paragraph_key": keys[1], "body": "Which services?",
        "quote": {"exact": quote, "start": start, "end": start + len(quote)},
    }, headers=observer).json()
    client.post(f"/api/declarations/{did}/comments",
                json={"parent_id": comment["id"], "body": "Water first."}, headers=editor)
    return did, editor, keys, amendments


def compilation(client, did, headers):
    return client.get(f"/api/declarations/{did}/compilation", params={"format": "docx"},
                      headers=headers)


class TestCompilationText:
    def test_every_open_amendment_is_there_by_its_city(
        self, client, desk, libreoffice, tmp_path
    ):
        did, editor, keys, _ = desk
        r = compilation(client, did, editor)
        assert r.headers["content-type"] == DOCX
        odf = libreoffice.fodt(saved(tmp_path, r))
        by = {
            city: sorted((c.kind, c.text.strip()) for c in odf.changes_by(city))
            for city in ("Kampala", "Mechelen", "Malmö")
        }
        assert ("deletion", "thirty") in by["Kampala"] and ("insertion", "fifteen") in by[
            "Kampala"]
        assert ("insertion", "We will publish what we learn.") in by["Kampala"]
        assert ("deletion", "resident") in by["Mechelen"] and ("insertion", "person") in by[
            "Mechelen"]
        assert ("deletion", "We commit to fight discrimination in our administrations.") in by[
            "Mechelen"]
        # Malmö's rewrite touches Kampala's words: it stands as an alternative paragraph.
        assert by["Malmö"] == [
            ("insertion",
             "We commit to give every resident access to basic services within a week."),
        ]
        notes = list(odf.annotations.values())
        kampala = [n for n in notes if n.author == "Kampala" and "Too long." in n.body]
        assert kampala and kampala[0].quoted.strip()
        malmo = [n for n in notes if n.author == "Malmö"]
        assert malmo and "alternative" in malmo[0].body
        assert "A week is what people understand." in malmo[0].body
        observer = [n for n in notes if n.author == "Olga Observer"]
        assert observer and observer[0].quoted == "basic services"
        assert any(n.body == "Water first." for n in notes)

    def test_rejecting_every_change_gives_the_head_version(
        self, client, desk, libreoffice, tmp_path
    ):
        did, editor, _, _ = desk
        path = saved(tmp_path, compilation(client, did, editor))
        head = [p["text"] for p in client.get(f"/api/declarations/{did}/versions/1",
                                              headers=editor).json()["paragraphs"]]
        # LibreOffice 7.4 run headless by a macro stops on documents with comments, so the
        # changes are resolved on its own reading of the file (its flat ODF), which holds
        # each change as LibreOffice understood it.
        assert libreoffice.fodt(path).text(accept=False) == head

    def test_decided_amendments_leave_it(self, client, desk, libreoffice, tmp_path):
        did, editor, _, amendments = desk
        r = client.post(f"/api/amendments/{amendments['malmo']['id']}/decision",
                        json={"decision": "reject"}, headers=editor)
        assert r.status_code == 200
        odf = libreoffice.fodt(saved(tmp_path, compilation(client, did, editor)))
        assert odf.changes_by("Malmö") == []

    def test_every_signed_in_role_may_read_it(self, client, desk, people):
        did, *_ = desk
        for role in ("observer", "delegate", "mayor", "admin"):
            assert compilation(client, did, people.as_role(role)).status_code == 200
        assert compilation(client, did, {}).status_code == 401
        assert compilation(client, 999_999, desk[1]).json()["code"] == "declaration_not_found"
